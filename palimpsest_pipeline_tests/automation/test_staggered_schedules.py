"""The site countries' schedules start in different minutes: a cron firing every N minutes is moved by the
country's place among every country of the competitors file, so twenty-two countries never fire together."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from dagster._utils.schedules import schedule_execution_time_iterator

from palimpsest_pipeline.defs.automation import staggered_cron
from palimpsest_pipeline.settings import load_settings

COUNTRIES = sorted(load_settings().competitors().by_country)
DAY = datetime(2026, 5, 4, tzinfo=UTC)

#: Prints every schedule's name and cron, the location loaded for the countries in the environment.
_LIST_SCHEDULES = """
import json
from palimpsest_pipeline.definitions import defs
print(json.dumps({s.name: s.cron_schedule for s in defs.schedules or ()}))
"""


@pytest.mark.parametrize(
    ("cron", "country", "countries", "expected"),
    [
        ("*/15 * * * *", "a", ["a", "b", "c"], "*/15 * * * *"),  # the first keeps the cron as written
        ("*/15 * * * *", "c", ["a", "b", "c"], "2-59/15 * * * *"),
        ("*/15 * * * *", "q", [chr(ord("a") + n) for n in range(22)], "1-59/15 * * * *"),  # 17th: 16 % 15
        ("*/5 8-20 * * 1-5", "h", [chr(ord("a") + n) for n in range(8)], "2-59/5 8-20 * * 1-5"),  # 7 % 5
        ("17 3 * * *", "c", ["a", "b", "c"], "17 3 * * *"),  # a chosen minute is the author's
        ("0,30 * * * *", "c", ["a", "b", "c"], "0,30 * * * *"),
    ],
)
def test_a_cron_every_n_minutes_moves_by_the_countrys_place(
    cron: str, country: str, countries: list[str], expected: str
) -> None:
    assert staggered_cron(cron, country, countries) == expected


def _ticks_per_minute(crons: dict[str, str]) -> Counter[tuple[int, int]]:
    """How many of ``crons`` fire at each (hour, minute) of one day, by Dagster's own schedule iterator."""
    fired: Counter[tuple[int, int]] = Counter()
    for cron in crons.values():
        for tick in schedule_execution_time_iterator(DAY.timestamp(), cron, "UTC"):
            if tick >= DAY + timedelta(days=1):
                break
            fired[(tick.hour, tick.minute)] += 1
    return fired


def test_twenty_two_countries_schedules_start_apart() -> None:
    assert len(COUNTRIES) == 22
    env = {**os.environ, "PALIMPSEST_COUNTRIES": ",".join(COUNTRIES)}
    env.pop("PALIMPSEST_CATALOGUE_CRON", None)
    env.pop("PALIMPSEST_LIVE_CRON", None)
    out = subprocess.run(
        [sys.executable, "-c", _LIST_SCHEDULES], env=env, capture_output=True, text=True, check=True
    ).stdout
    crons: dict[str, str] = json.loads(out.strip().splitlines()[-1])
    for kind, every_min, per_day in (("catalogue_schedule_", 15, 96), ("live_watch_schedule_", 5, 288)):
        of_kind = {name: cron for name, cron in crons.items() if name.startswith(kind)}
        assert sorted(name.removeprefix(kind) for name in of_kind) == COUNTRIES
        fired = _ticks_per_minute(of_kind)
        # every country keeps its cadence; together they spread over the N minutes (at most ceil(22 / N)
        # in one minute, where the crons as written fired all 22 together)
        assert sum(fired.values()) == per_day * len(COUNTRIES)
        assert max(fired.values()) == math.ceil(len(COUNTRIES) / every_min), (kind, fired.most_common(3))
        assert len({minute for _hour, minute in fired}) == min(60, len(COUNTRIES) * 60 // every_min)
