"""The code location with two site countries (PALIMPSEST_COUNTRIES=ng,gh): partitions, schedules, sensors
and pools per country, and a catalogue-and-coverage run of one Ghanaian date that reads Ghana's editions only
(pointed at the sandbox's Nigerian routes until the sandbox serves Ghana) and writes Ghana's rows."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import psycopg
import pytest

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline_tests.fixtures_sandbox import SANDBOX_TEST_INSTANT
from palimpsest_sandbox import SandboxHandle

pytestmark = pytest.mark.slow

DAY = SANDBOX_TEST_INSTANT.date()


@pytest.fixture(scope="module")
def ghana_run(sandbox: SandboxHandle, module_warehouse_url: str) -> dict[str, object]:
    """One run of the code location for Nigeria and Ghana: what it defines, and its Ghanaian run."""
    env = {
        **os.environ,
        "PALIMPSEST_COUNTRIES": "ng,gh",
        "PALIMPSEST_BETPAWA_GH_URL": sandbox.base_urls[Book.BETPAWA],
        "PALIMPSEST_SPORTYBET_GH_URL": sandbox.base_urls[Book.SPORTYBET],
        "PALIMPSEST_AUTOMATION": "running",
    }
    args = [Book.BETPAWA, Book.SPORTYBET, Book.BET9JA]
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "palimpsest_pipeline_tests.defs.two_country_location",
            module_warehouse_url,
            *(sandbox.base_urls[book] for book in args),
            DAY.isoformat(),
            SANDBOX_TEST_INSTANT.isoformat(),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    found: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def rows(warehouse_url: str, sql: str, *params: object) -> list[tuple[object, ...]]:
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        return conn.execute(sql, params).fetchall()


def test_each_country_has_its_partitions_automation_and_pools(ghana_run: dict[str, object]) -> None:
    assert ghana_run["countries"] == ["ng", "gh"]
    schedules, sensors = set(ghana_run["schedules"]), set(ghana_run["sensors"])  # type: ignore[call-overload]
    for cc in ("ng", "gh"):
        assert {f"catalogue_schedule_{cc}", f"live_watch_schedule_{cc}"} <= schedules
        assert {f"catalogue_bootstrap_sensor_{cc}", f"odds_kickoff_window_sensor_{cc}"} <= sensors
    # Ghana's competitors the pipeline scrapes (competitors.toml): SportyBet; Bet9ja has no Ghanaian site
    assert ghana_run["pools"] == sorted(
        [
            "book_betpawa_ng",
            "book_sportybet_ng",
            "book_bet9ja_ng",
            "odds_capture_ng",
            "book_betpawa_gh",
            "book_sportybet_gh",
            "odds_capture_gh",
        ]
    )


def test_a_ghanaian_run_reads_ghanas_editions_and_writes_ghanas_rows(
    ghana_run: dict[str, object], module_warehouse_url: str
) -> None:
    warehouse_url = module_warehouse_url
    assert ghana_run["success"]
    # Bet9ja has no Ghanaian edition: skipped with a note, never asked
    assert set(ghana_run["skipped"]) == {"bet9ja/tournaments", "bet9ja/events"}  # type: ignore[arg-type]
    books_asked = rows(
        warehouse_url,
        "SELECT book, status FROM core.book_runs WHERE batch_id = %s ORDER BY book",
        ghana_run["run_id"],
    )
    assert books_asked == [("betpawa", "ok"), ("sportybet", "ok")]
    countries = rows(warehouse_url, "SELECT DISTINCT site_country FROM analytics.matches")
    assert countries == [("gh",)]
    listed = rows(warehouse_url, "SELECT DISTINCT book FROM analytics.match_listings ORDER BY book")
    assert listed == [("betpawa",), ("sportybet",)]
    coverage = rows(
        warehouse_url,
        "SELECT DISTINCT site_country, book FROM analytics.coverage ORDER BY book",
    )
    assert coverage == [("gh", "betpawa"), ("gh", "sportybet")]
    dates = rows(warehouse_url, "SELECT DISTINCT kickoff_date FROM analytics.coverage_groups")
    assert dates == [(DAY,)]
