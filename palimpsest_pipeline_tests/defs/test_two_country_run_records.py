"""A run over Nigeria and Ghana (a backfill without ``--country``) keeps each country's run records: Nigeria's
SportyBet site is down (its URL a closed port), Ghana's answers. Nigeria's failure is recorded beside Ghana's
success (book runs, scrape metrics, each country's batch, and each country's own SportyBet asset's
metadata), and Nigeria's coverage shows SportyBet's catalogue stale, although its last good one (an earlier
Nigerian run) is minutes old, while Ghana's shows it fresh."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest

from palimpsest_pipeline.books.settings import env_var_name
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline_tests.defs.test_two_countries import DAY, rows, scraped
from palimpsest_pipeline_tests.fixtures_sandbox import SANDBOX_TEST_INSTANT
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_sandbox import SandboxHandle

pytestmark = pytest.mark.drill

#: Nigeria's last good SportyBet catalogue before the run: an earlier (scheduled) Nigerian run, minutes ago.
EARLIER = "an-earlier-nigerian-run"


@pytest.fixture(scope="module")
def closed_port() -> Iterator[int]:
    """A local port bound but never listening: a connection to it is refused at once."""
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        yield held.getsockname()[1]


@pytest.fixture(scope="module")
def earlier_at() -> datetime:
    return datetime.now(UTC) - timedelta(minutes=5)


@pytest.fixture(scope="module")
def both_countries_run(
    sandbox: SandboxHandle, module_warehouse_url: str, closed_port: int, earlier_at: datetime
) -> dict[str, Any]:
    """The earlier Nigerian SportyBet run, then one catalogue-and-coverage run of the day in both countries
    with Nigeria's SportyBet down."""
    with psycopg.connect(libpq_url(module_warehouse_url)) as conn:
        conn.execute(
            "INSERT INTO core.scrape_batches (batch_id, started_at, finished_at, status, site_country) "
            "VALUES (%(batch)s, %(at)s, %(at)s, 'ok', 'ng')",
            {"batch": EARLIER, "at": earlier_at},
        )
        conn.execute(
            "INSERT INTO core.book_runs (batch_id, book, status, complete, started_at, finished_at, "
            "site_country) VALUES (%(batch)s, 'sportybet', 'ok', true, %(at)s, %(at)s, 'ng')",
            {"batch": EARLIER, "at": earlier_at},
        )
    down = f"http://127.0.0.1:{closed_port}"
    base_urls = {f"ng/{book.value}": sandbox.base_urls[book] for book in NIGERIA_BOOKS} | {
        "ng/sportybet": down
    }
    env = {
        **os.environ,
        "PALIMPSEST_COUNTRIES": "ng,gh",
        **{env_var_name(book, "base_url", cc): url for (book, cc), url in sandbox.edition_urls.items()},
        env_var_name(Book.SPORTYBET, "base_url", "ng"): down,
        env_var_name(Book.SPORTYBET, "max_attempts", "ng"): "1",
        "PALIMPSEST_AUTOMATION": "running",
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "palimpsest_pipeline_tests.defs.two_country_location",
            module_warehouse_url,
            json.dumps(base_urls),
            DAY.isoformat(),
            SANDBOX_TEST_INSTANT.isoformat(),
            "all",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def test_each_country_keeps_its_sportybet_run_and_metrics(
    both_countries_run: dict[str, Any], module_warehouse_url: str
) -> None:
    run_id = both_countries_run["run_id"]
    runs = rows(
        module_warehouse_url,
        "SELECT site_country, status, batch_status FROM analytics.scrape_runs "
        "WHERE batch_id = %s AND book = 'sportybet' ORDER BY site_country",
        run_id,
    )
    metrics = rows(
        module_warehouse_url,
        "SELECT site_country, status FROM core.scrape_metrics "
        "WHERE run_id = %s AND book = 'sportybet' AND kind = 'catalogue' ORDER BY site_country",
        run_id,
    )
    batches = rows(
        module_warehouse_url,
        "SELECT site_country, status FROM core.scrape_batches WHERE batch_id = %s ORDER BY site_country",
        run_id,
    )
    print(f"\nSportyBet's book runs of the run (site country, status, batch status): {runs}")
    print(f"SportyBet's catalogue metrics of the run (site country, status): {metrics}")
    # Nigeria: SportyBet failed beside books that answered (a partial batch); Ghana: every book answered
    assert runs == [("gh", "ok", "ok"), ("ng", "failed", "partial")]
    assert metrics == [("gh", "ok"), ("ng", "failed")]
    assert batches == [("gh", "ok"), ("ng", "partial")]
    # each country's SportyBet step ran apart and materialized its own asset, with its own metrics only;
    # Nigeria's book being down degraded its step (its catalogue stale), failing none of either country's
    assert both_countries_run["success"] and both_countries_run["failed_steps"] == []
    assert {"ng__sportybet_catalogue", "gh__sportybet_catalogue"} <= set(both_countries_run["steps"])
    shown = both_countries_run["scrape_metrics"]
    assert {key: set(figures) for key, figures in shown.items() if "sportybet" in key} == {
        "ng/sportybet/events": {"catalogue/sportybet"},
        "gh/sportybet/events": {"catalogue/sportybet"},
    }
    assert shown["ng/sportybet/events"]["catalogue/sportybet"]["status"] == "failed"
    assert shown["gh/sportybet/events"]["catalogue/sportybet"]["status"] == "ok"
    stale = both_countries_run["events_stale"]
    assert {key for key, is_stale in stale.items() if is_stale} == {"ng/sportybet/events"}
    # every edition of both countries materialized its own events (the others fresh)
    assert set(stale) == {f"{cc}/{book}/events" for cc in ("ng", "gh") for book in scraped(cc)}


def test_nigerias_coverage_shows_sportybet_stale_and_ghanas_fresh(
    both_countries_run: dict[str, Any], module_warehouse_url: str, earlier_at: datetime
) -> None:
    assert both_countries_run["run_id"]
    freshness = rows(
        module_warehouse_url,
        "SELECT DISTINCT site_country, catalogue_stale, catalogue_at FROM analytics.coverage "
        "WHERE level = 'overall' AND book = 'sportybet' ORDER BY site_country",
    )
    print(f"\nSportyBet's catalogue in each country's coverage (site country, stale, as of): {freshness}")
    (gh, gh_stale, gh_at), (ng, ng_stale, ng_at) = freshness
    assert (gh, gh_stale) == ("gh", False)
    assert gh_at > earlier_at  # Ghana's SportyBet: read in this run
    # Nigeria's: its last good catalogue is the earlier run's, five minutes old, but this run's scrape failed
    assert (ng, ng_stale, ng_at) == ("ng", True, earlier_at)
