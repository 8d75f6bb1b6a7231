"""The code location with two site countries (PALIMPSEST_COUNTRIES=ng,gh): partitions, schedules, sensors
and pools per country, and a catalogue-and-coverage run of one Ghanaian date that reads Ghana's editions only
(the sandbox's Ghana editions) and writes Ghana's rows."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import psycopg
import pytest

from palimpsest_pipeline.books.settings import env_var_name
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline_tests.fixtures_sandbox import SANDBOX_TEST_INSTANT
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_sandbox import SandboxHandle

pytestmark = pytest.mark.drill

DAY = SANDBOX_TEST_INSTANT.date()
COMPETITORS_FILE = Path(__file__).parents[2] / "palimpsest_pipeline" / "books" / "competitors.toml"


@pytest.fixture(scope="module")
def ghana_run(sandbox: SandboxHandle, module_warehouse_url: str) -> dict[str, object]:
    """One run of the code location for Nigeria and Ghana: what it defines, and its Ghanaian run."""
    env = {
        **os.environ,
        "PALIMPSEST_COUNTRIES": "ng,gh",
        **{env_var_name(book, "base_url", cc): url for (book, cc), url in sandbox.edition_urls.items()},
        "PALIMPSEST_AUTOMATION": "running",
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "palimpsest_pipeline_tests.defs.two_country_location",
            module_warehouse_url,
            json.dumps({book.value: sandbox.base_urls[book] for book in NIGERIA_BOOKS}),
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
    # each country's books: BetPawa and its competitors there that the pipeline scrapes (competitors.toml)
    expected = [f"book_{book}_{cc}" for cc in ("ng", "gh") for book in scraped(cc)]
    assert ghana_run["pools"] == sorted([*expected, "odds_capture_ng", "odds_capture_gh"])


def scraped(country: str) -> list[str]:
    """BetPawa and its competitors in ``country``, read from competitors.toml: every book is scraped."""
    return sorted({"betpawa", *tomllib.loads(COMPETITORS_FILE.read_text())[country]})


def test_a_ghanaian_run_reads_ghanas_editions_and_writes_ghanas_rows(
    ghana_run: dict[str, object], module_warehouse_url: str
) -> None:
    warehouse_url = module_warehouse_url
    assert ghana_run["success"]
    # Bet9ja has no Ghanaian edition: skipped with a note, never asked
    assert set(ghana_run["skipped"]) == {"bet9ja/tournaments", "bet9ja/events"}  # type: ignore[arg-type]
    ghana = scraped("gh")
    assert "bet9ja" not in ghana and {"msport", "betway", "betika"} <= set(ghana)
    books_asked = rows(
        warehouse_url,
        "SELECT book, status FROM core.book_runs WHERE batch_id = %s ORDER BY book",
        ghana_run["run_id"],
    )
    assert books_asked == [(book, "ok") for book in ghana]
    countries = rows(warehouse_url, "SELECT DISTINCT site_country FROM analytics.matches")
    assert countries == [("gh",)]
    listed = rows(warehouse_url, "SELECT DISTINCT book FROM analytics.match_listings ORDER BY book")
    assert listed == [(book,) for book in ghana]
    coverage = rows(
        warehouse_url,
        "SELECT DISTINCT site_country, book FROM analytics.coverage ORDER BY book",
    )
    assert coverage == [("gh", book) for book in ghana]
    dates = rows(warehouse_url, "SELECT DISTINCT kickoff_date FROM analytics.coverage_groups")
    assert dates == [(DAY,)]
