"""Backfill from the archive, end to end: live runs against the sandbox, then the same range rebuilt from the
archived responses with the books unreachable, and every table compared."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import dagster as dg
import httpx
import psycopg
import pytest
from sqlalchemy.engine import make_url

from palimpsest_pipeline.definitions import ALL_ASSETS
from palimpsest_pipeline.defs.catalogue.archive_source import archive_run_config
from palimpsest_pipeline.defs.resources import BooksResource
from palimpsest_pipeline.partition_keys import partition_key
from palimpsest_pipeline.records import Book, OddsRow
from palimpsest_pipeline.scrape.archive import odds_replay as replay_module
from palimpsest_pipeline.scrape.archive.odds_replay import OddsReplay, rebuild_odds_from_archive
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline.warehouse.odds_store import store_odds
from palimpsest_pipeline_tests.defs.conftest import resources_for
from palimpsest_pipeline_tests.fixtures_pg import fresh_warehouse
from palimpsest_pipeline_tests.fixtures_sandbox import SANDBOX_TEST_INSTANT, FaultSetter
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_sandbox import SandboxHandle

pytestmark = pytest.mark.slow

FIRST = (SANDBOX_TEST_INSTANT + timedelta(days=1)).date().isoformat()
LAST = (SANDBOX_TEST_INSTANT + timedelta(days=2)).date().isoformat()

#: Every table the range's runs write, as (name, query) with the volatile columns (last_seen_at,
#: computed_at, batch ids, the capture log's reasons and receive times) left out.
SNAPSHOT_QUERIES: dict[str, str] = {
    "events": "SELECT book, event_id, sr_id, home, away, kickoff, tournament_id, tournament_name, country, "
    "sport, first_seen_at, deleted_at FROM core.events",
    "tournaments": "SELECT book, tournament_id, name, country, sport, event_count, first_seen_at, deleted_at "
    "FROM core.tournaments",
    "odds_history": "SELECT * FROM core.odds_history",
    "odds_current": "SELECT * FROM core.odds_current",
    "odds_captures": "SELECT sr_id, book, captured_at, status, sent_at, open_outcomes, mapped_outcomes "
    "FROM core.odds_captures WHERE status <> 'not_listed'",
    "unmapped_markets": "SELECT book, market_key, outcomes FROM core.unmapped_markets",
    # every level of every country, the sport level among them (its wide view is gone: 0050)
    "coverage_groups": "SELECT kickoff_date, site_country, level, sport, sr_category_id, country, "
    "tournament_key, tournament, placed, sr_tournament_id, country_iso, total, matched, betpawa_only, "
    "competitor_only, several_competitors_only, on_every_book, without_sr_id, linked_by_genius, match_rate, "
    "betpawa_coverage FROM analytics.coverage_groups",
}
ANALYTICS_TABLES = (
    "matched_events",
    "coverage_overall",
    "coverage_by_country",
    "coverage_by_tournament",
    "odds_comparison",
    "market_margins",
    "market_availability",
)
CATALOGUE_VIEWS = ANALYTICS_TABLES[:4]
RANGE_TAGS = {
    "dagster/asset_partition_range_start": partition_key(date.fromisoformat(FIRST)),
    "dagster/asset_partition_range_end": partition_key(date.fromisoformat(LAST)),
}
WIPED = (
    "core.events",
    "core.tournaments",
    "core.odds_changes",
    "core.odds_current_prices",
    "core.odds_confirmed",
    "core.odds_captures",
    "core.unmapped_markets",
    *(
        f"analytics.{table}"
        for table in ANALYTICS_TABLES
        if table not in CATALOGUE_VIEWS and table not in ("odds_comparison", "market_margins")
    ),
    # the views' tables, wiped in their stead (a match's listings go with it)
    "analytics.matches",
    "analytics.coverage_groups",
    "analytics.coverage",
    "analytics.outcome_comparison",
    "analytics.outcome_prices_stored",
    "analytics.market_margins_stored",
    "analytics.comparison_confirmations",
)


def _columns(conn: psycopg.Connection, table: str) -> list[str]:
    rows = conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'analytics' "
        "AND table_name = %s AND column_name <> 'computed_at' AND column_name NOT LIKE 'catalogue\\_at\\_%%' "
        "ORDER BY ordinal_position",
        (table,),
    ).fetchall()
    return [row[0] for row in rows]


def snapshot(warehouse_url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows (volatile columns left out), sorted, keyed by table.

    Volatile: when a run computed (computed_at) and when it refreshed each book's catalogue (catalogue_at_*,
    wall clock: a rebuild refreshes from the archive at its own time); the staleness flags are compared."""
    tables: dict[str, list[tuple[Any, ...]]] = {}
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        queries = dict(SNAPSHOT_QUERIES)
        for table in ANALYTICS_TABLES:
            queries[table] = f"SELECT {', '.join(_columns(conn, table))} FROM analytics.{table}"
        for name, query in queries.items():
            rows = conn.execute(query).fetchall()
            tables[name] = sorted(rows, key=repr)
    return tables


def wipe(warehouse_url: str) -> None:
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        for table in WIPED:
            conn.execute(f"DELETE FROM {table}")


def unreachable(url: str) -> str:
    """The same base path on a port where nothing listens."""
    return str(httpx.URL(url).copy_with(host="127.0.0.1", port=9))


@pytest.fixture(scope="module")
def sandbox(deep_sandbox: SandboxHandle) -> SandboxHandle:
    """The smaller world at full depth (every run of the range scrapes, stores and archives all of it); the
    rebuild test asserts every table it compares still gets rows."""
    return deep_sandbox


@pytest.fixture(scope="module")
def _live_range(sandbox: SandboxHandle, module_warehouse_url: str) -> str:
    """The name of a warehouse after ONE live run of the range against the sandbox (its tables and archive),
    the template each test that starts from that run clones: the run is the same for every one of them."""
    live = dg.materialize(ALL_ASSETS, resources=resources_for(sandbox, module_warehouse_url), tags=RANGE_TAGS)
    assert live.success
    name = make_url(module_warehouse_url).database
    assert name
    return name


@pytest.fixture
def live_warehouse_url(pg_server_url: str, _live_range: str) -> Iterator[str]:
    """A fresh copy of the warehouse the live run of the range left, this test's own."""
    yield from fresh_warehouse(pg_server_url, _live_range)


@pytest.fixture
def live_resources(sandbox: SandboxHandle, live_warehouse_url: str) -> dict[str, object]:
    return resources_for(sandbox, live_warehouse_url)


def test_a_range_rebuilt_from_the_archive_matches_the_original_tables(
    sandbox: SandboxHandle,
    live_warehouse_url: str,
    live_resources: dict[str, object],
    sandbox_faults: FaultSetter,
) -> None:
    warehouse_url, pipeline_resources = live_warehouse_url, live_resources
    original = snapshot(warehouse_url)
    assert original["events"] and original["odds_history"] and original["odds_comparison"]
    # the small world fills every table compared: none is compared empty with empty (but the unmapped markets:
    # the grammar keys every market the small world renders; were one unkeyed, its rows are compared too)
    empty = sorted(name for name, rows in original.items() if not rows)
    assert empty in ([], ["unmapped_markets"]), empty
    assert {row[1] for row in original["odds_captures"]} == {b.value for b in NIGERIA_BOOKS}

    wipe(warehouse_url)
    assert not any(snapshot(warehouse_url).values())
    for book in NIGERIA_BOOKS:  # a request that reached the sandbox anyway would fail, and be counted
        sandbox_faults(book, fail_status=503)
    sandbox.reset_stats()
    books = pipeline_resources["books"]
    assert isinstance(books, BooksResource)
    offline = {
        **pipeline_resources,
        "books": BooksResource(base_urls={book: unreachable(url) for book, url in books.base_urls.items()}),
    }
    rebuilt = dg.materialize(
        ALL_ASSETS,
        resources=offline,
        run_config=archive_run_config(),
        tags=RANGE_TAGS,
    )
    assert rebuilt.success
    assert sandbox.stats()["total"] == 0
    assert_same_tables(original, snapshot(warehouse_url))
    # Backfilling over tables that hold the range: test_a_rebuild_keeps_history_the_archive_does_not_hold
    # (the odds) and defs/test_palimpsest_assets.py's rematerializing test (the catalogue and the analytics).


def assert_same_tables(
    expected: dict[str, list[tuple[Any, ...]]], got: dict[str, list[tuple[Any, ...]]]
) -> None:
    for name, rows in expected.items():
        assert got[name] == rows, f"{name}: {len(got[name])} rows rebuilt, {len(rows)} originally"


def test_a_range_the_archive_does_not_reach_fails_and_changes_nothing(
    warehouse_url: str, pipeline_resources: dict[str, object]
) -> None:
    result = dg.materialize(
        ALL_ASSETS,
        resources=pipeline_resources,
        run_config=archive_run_config(),
        tags=RANGE_TAGS,
        raise_on_error=False,
    )
    assert not result.success
    failures = [
        event.step_failure_data.error.message
        for event in result.all_events
        if event.is_step_failure and event.step_failure_data.error is not None
    ]
    assert any("no archived betpawa catalogue scrape reaches" in message for message in failures)
    assert not any(snapshot(warehouse_url).values())


# ------------------------------------------------------------------------------------------ safe rebuilds


def _rebuild_odds(warehouse_url: str, books: BooksResource) -> OddsReplay:
    """The odds rebuild of the range, called directly (what the odds asset runs with source=archive)."""
    url = libpq_url(warehouse_url)
    first, last = date.fromisoformat(FIRST), date.fromisoformat(LAST)
    with psycopg.connect(url) as read_conn, psycopg.connect(url) as write_conn:
        return asyncio.run(
            rebuild_odds_from_archive(read_conn, write_conn, first, last, books.settings("ng"))
        )


def _history_by_event(warehouse_url: str) -> dict[int, list[tuple[Any, ...]]]:
    by_event: dict[int, list[tuple[Any, ...]]] = {}
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        for row in conn.execute("SELECT * FROM core.odds_history"):
            by_event.setdefault(row[_HISTORY_COLUMNS.index("sr_id")], []).append(row)
    return by_event


_HISTORY_COLUMNS = (
    "captured_at", "sr_id", "price", "market", "outcome", "book", "specifier", "state", "site_country"
)  # fmt: skip


def test_a_rebuild_keeps_history_the_archive_does_not_hold(
    live_warehouse_url: str, live_resources: dict[str, object]
) -> None:
    warehouse_url, pipeline_resources = live_warehouse_url, live_resources
    original = snapshot(warehouse_url)
    # A capture older than anything archived (the archive keeps 14 days, the history for ever), stored as
    # the pipeline stores one: one outcome of an archived event, at another price.
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        sr_id, book, market, specifier, outcome, first_at = (
            conn.execute(
                "SELECT sr_id, book, market, specifier, outcome, captured_at FROM core.odds_history "
                "ORDER BY captured_at, sr_id, book, market, specifier, outcome LIMIT 1"
            ).fetchone()
            or (None,) * 6
        )
        old_at = first_at - timedelta(days=20)
        old = OddsRow(sr_id, Book(book), market, specifier, outcome, 9.99, "open", old_at)
        store_odds(conn, [old], captured={(sr_id, Book(book)): old_at}, site_country="ng")
        conn.commit()
    books = pipeline_resources["books"]
    assert isinstance(books, BooksResource)

    replay = _rebuild_odds(warehouse_url, books)

    assert replay.sr_ids > 0 and replay.history_rows_replaced > 0
    rebuilt = snapshot(warehouse_url)
    old_row = (old_at, sr_id, 9.99, market, outcome, book, specifier, "open", "ng")
    assert sorted(rebuilt["odds_history"], key=repr) == sorted([*original["odds_history"], old_row], key=repr)
    assert rebuilt["odds_current"] == original["odds_current"]
    assert rebuilt["odds_captures"] == original["odds_captures"]


def test_a_rebuild_that_crashes_leaves_each_event_as_it_was_or_fully_rebuilt(
    live_warehouse_url: str, live_resources: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse_url, pipeline_resources = live_warehouse_url, live_resources
    original = snapshot(warehouse_url)
    books = pipeline_resources["books"]
    assert isinstance(books, BooksResource)
    real_store = replay_module.store_capture_cycle
    events: list[int] = []

    def store_then_crash(conn: psycopg.Connection, results: Any, *args: Any, **kwargs: Any) -> Any:
        (sr_id,) = {result.sr_id for result in results}
        if sr_id not in events:
            events.append(sr_id)
        stats = real_store(conn, results, *args, **kwargs)  # written, inside the event's transaction ...
        if len(events) == 3:
            raise RuntimeError("killed while rebuilding the third event")  # ... and never committed
        return stats

    monkeypatch.setattr(replay_module, "store_capture_cycle", store_then_crash)
    with pytest.raises(RuntimeError, match="third event"):
        _rebuild_odds(warehouse_url, books)
    # Every event, the two rebuilt and the one killed half-way alike, holds exactly what it held.
    assert snapshot(warehouse_url) == original

    # The same crash after the odds tables were lost: the events before it are whole, the rest untouched.
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        for table in (
            "core.odds_changes",
            "core.odds_current_prices",
            "core.odds_confirmed",
            "core.odds_captures",
        ):
            conn.execute(f"DELETE FROM {table}")
    events.clear()
    with pytest.raises(RuntimeError, match="third event"):
        _rebuild_odds(warehouse_url, books)
    before, after = _history_by_event_of(original), _history_by_event(warehouse_url)
    assert set(after) == set(events[:2])
    for sr_id in events[:2]:
        assert sorted(after[sr_id], key=repr) == sorted(before[sr_id], key=repr)


def _history_by_event_of(tables: dict[str, list[tuple[Any, ...]]]) -> dict[int, list[tuple[Any, ...]]]:
    by_event: dict[int, list[tuple[Any, ...]]] = {}
    for row in tables["odds_history"]:
        by_event.setdefault(row[_HISTORY_COLUMNS.index("sr_id")], []).append(row)
    return by_event
