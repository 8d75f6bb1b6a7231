"""The code location with two site countries (PALIMPSEST_COUNTRIES=ng,gh): assets, jobs, schedules, sensors
and pools per country (the country in every asset's key, kick-off dates the only partitions), and a run of
Ghana's catalogue and coverage assets for one date that reads Ghana's editions only (the sandbox's Ghana
editions) and writes Ghana's rows."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

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
def ghana_run(sandbox: SandboxHandle, module_warehouse_url: str) -> dict[str, Any]:
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
            json.dumps({f"ng/{book.value}": sandbox.base_urls[book] for book in NIGERIA_BOOKS}),
            DAY.isoformat(),
            SANDBOX_TEST_INSTANT.isoformat(),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def rows(warehouse_url: str, sql: str, *params: object) -> list[tuple[object, ...]]:
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        return conn.execute(sql, params).fetchall()


#: Every site country's derived assets, after its books' catalogues: the catalogue job's ...
CATALOGUE_JOB_TABLES = [
    "tournament_crosswalk",
    "matched_events",
    *(f"coverage_{level}" for level in ("overall", "by_sport", "by_country", "by_tournament")),
    "price_leadership",
    "stale_vs_market",
    "closing_prices",
    "listing_lead_time",
    "to_list_now",
]
#: ... the capture job's ...
CAPTURE_JOB_TABLES = ["odds_snapshots", "odds_comparison", "market_margins", "market_availability"]
#: ... and the live watcher's.
LIVE_TABLES = ["live_coverage"]


def catalogue_tables(country: str) -> set[str]:
    """The tournaments and events assets of every book scraped in ``country``."""
    return {f"{country}/{book}/{table}" for book in scraped(country) for table in ("tournaments", "events")}


def test_each_country_has_its_assets_jobs_automation_and_pools(ghana_run: dict[str, Any]) -> None:
    assert ghana_run["countries"] == ["ng", "gh"]
    assert ghana_run["partitions"] == ["DailyPartitionsDefinition"]  # kick-off dates only: no country axis
    # every asset once per country, its key starting with the country; the report spans them all
    assert set(ghana_run["assets"]) == {
        *(
            key
            for cc in ("ng", "gh")
            for key in (
                *catalogue_tables(cc),
                *(f"{cc}/{name}" for name in CATALOGUE_JOB_TABLES + CAPTURE_JOB_TABLES + LIVE_TABLES),
            )
        ),
        "traders_report",
    }
    # Bet9ja has no Ghanaian edition: Ghana has no Bet9ja asset at all (nothing to skip, nothing asked)
    assert "ng/bet9ja/events" in ghana_run["assets"] and "gh/bet9ja/events" not in ghana_run["assets"]
    jobs = ghana_run["jobs"]
    for cc in ("ng", "gh"):
        assert set(jobs[f"palimpsest_comparison_{cc}"]) == {
            *catalogue_tables(cc),
            *(f"{cc}/{name}" for name in CATALOGUE_JOB_TABLES),
            "traders_report",
        }
        assert set(jobs[f"capture_odds_{cc}"]) == {f"{cc}/{name}" for name in CAPTURE_JOB_TABLES}
        # each country's automation requests its own jobs' runs
        assert ghana_run["schedules"][f"catalogue_schedule_{cc}"] == f"palimpsest_comparison_{cc}"
        assert ghana_run["schedules"][f"live_watch_schedule_{cc}"] == "watch_live"
        assert ghana_run["sensors"][f"catalogue_bootstrap_sensor_{cc}"] == f"palimpsest_comparison_{cc}"
        assert ghana_run["sensors"][f"odds_kickoff_window_sensor_{cc}"] == f"capture_worker_{cc}"
    # each country's books: BetPawa and its competitors there that the pipeline scrapes (competitors.toml)
    expected = [f"book_{book}_{cc}" for cc in ("ng", "gh") for book in scraped(cc)]
    odds = [f"{kind}_{cc}" for kind in ("odds_capture", "capture_worker") for cc in ("ng", "gh")]
    assert ghana_run["pools"] == sorted([*expected, *odds])
    # each edition's catalogue op declares its own pool, each country's capture its own: the pools Dagster's
    # executor claims as the ops start are exactly those the instance gets limits for
    assert ghana_run["op_pools"] == {
        **{f"{cc}__{book}_catalogue": [f"book_{book}_{cc}"] for cc in ("ng", "gh") for book in scraped(cc)},
        "ng__odds_snapshots": ["odds_capture_ng"],
        "gh__odds_snapshots": ["odds_capture_gh"],
        "ng__capture_worker": ["capture_worker_ng"],
        "gh__capture_worker": ["capture_worker_gh"],
    }


def scraped(country: str) -> list[str]:
    """BetPawa and its competitors in ``country``, read from competitors.toml: every book is scraped."""
    return sorted({"betpawa", *tomllib.loads(COMPETITORS_FILE.read_text())[country]})


def test_a_ghanaian_run_reads_ghanas_editions_and_writes_ghanas_rows(
    ghana_run: dict[str, Any], module_warehouse_url: str
) -> None:
    warehouse_url = module_warehouse_url
    assert ghana_run["success"] and ghana_run["failed_steps"] == []
    ghana = scraped("gh")
    assert "bet9ja" not in ghana and {"msport", "betway", "betika"} <= set(ghana)
    # Ghana's steps alone (none of Bet9ja: it has no Ghanaian edition), materializing Ghana's assets of DAY
    assert set(ghana_run["steps"]) == {
        *(f"gh__{book}_catalogue" for book in ghana),
        "gh__tournament_crosswalk",
        "gh__matched_events",
        "gh__coverage",
    }
    levels = ("overall", "by_sport", "by_country", "by_tournament")
    derived = ["gh/tournament_crosswalk", "gh/matched_events", *(f"gh/coverage_{level}" for level in levels)]
    assert sorted(ghana_run["materialized"]) == sorted(
        [key, DAY.isoformat()] for key in [*catalogue_tables("gh"), *derived]
    )
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
