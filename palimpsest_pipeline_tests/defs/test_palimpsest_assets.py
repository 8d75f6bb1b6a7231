"""The palimpsest comparison end to end: sandbox over sockets -> Dagster assets -> real Postgres tables.

The coverage test reads one run of Nigeria's catalogue job's assets (catalogues, matching, coverage, the
report) over the three dates (``materialized_range``); the rematerializing test runs the session's
materialized day (every Nigerian asset and the report) again, in a copy of its own."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import psycopg
import pytest

from palimpsest_pipeline.defs.automation import catalogue_job
from palimpsest_pipeline.summary import format_summary, read_summary
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline_tests.defs.conftest import (
    DAY,
    MaterializedDay,
    materialized_template,
    materializer,
    resources_for,
)
from palimpsest_pipeline_tests.defs.world_truth import (
    WIDE_BOOKS,
    expected_by_tournament,
    expected_overall,
    truth_matches,
)
from palimpsest_pipeline_tests.fixtures_pg import fresh_warehouse
from palimpsest_pipeline_tests.fixtures_sandbox import SANDBOX_TEST_INSTANT
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_sandbox import SandboxHandle

pytestmark = pytest.mark.slow

FIRST = SANDBOX_TEST_INSTANT.date()
LAST = FIRST + timedelta(days=2)
DATES = [FIRST + timedelta(days=i) for i in range(3)]

# When a run scraped or computed (wall clock), not what it found. catalogue_at_<book> is when that book's
# catalogue was last refreshed: each run refreshes it, so it moves; its staleness flag is compared.
VOLATILE = {
    "first_seen_at",
    "last_seen_at",
    "computed_at",
    "last_batch_id",
    *(f"catalogue_at_{book.value}" for book in NIGERIA_BOOKS),
}


@pytest.fixture(scope="module")
def materialized_range(
    sandbox: SandboxHandle,
    pg_server_url: str,
    _warehouse_template: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[MaterializedDay]:
    """Nigeria's catalogue job's assets materialized in one run for FIRST..LAST, kept as a template database
    (the odds of a range are captured in archive/test_backfill_from_archive.py)."""
    report_dir = tmp_path_factory.mktemp("materialized_range_report")
    dates = (FIRST.isoformat(), LAST.isoformat())
    with materialized_template(
        sandbox, pg_server_url, _warehouse_template, "range", dates, report_dir, catalogue_job("ng").selection
    ) as run:
        yield run


@pytest.fixture
def range_warehouse_url(pg_server_url: str, materialized_range: MaterializedDay) -> Iterator[str]:
    """A fresh copy of ``materialized_range``'s warehouse for one test."""
    yield from fresh_warehouse(pg_server_url, materialized_range.database)


def table(conn: psycopg.Connection, name: str, order: str) -> list[dict[str, object]]:
    cursor = conn.cursor(row_factory=psycopg.rows.dict_row)
    rows = cursor.execute(f"SELECT * FROM {name} ORDER BY {order}").fetchall()
    return [{k: v for k, v in row.items() if k not in VOLATILE} for row in rows]


def snapshot(warehouse_url: str) -> dict[str, list[dict[str, object]]]:
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        return {
            "events": table(conn, "core.events", "book, event_id"),
            "tournaments": table(conn, "core.tournaments", "book, tournament_id"),
            "matched": table(conn, "analytics.matched_events", "kickoff_date, match_key"),
            "overall": table(conn, "analytics.coverage_overall", "kickoff_date"),
            "by_tournament": table(
                conn, "analytics.coverage_by_tournament", "kickoff_date, sport, tournament_key"
            ),
        }


def test_coverage_tables_equal_an_independent_computation(
    sandbox: SandboxHandle, range_warehouse_url: str, materialized_range: MaterializedDay
) -> None:
    warehouse_url = range_warehouse_url
    result = materialized_range.result
    assert result.success
    # Every check of the run passed (duplicates, SR-id uniqueness, adds-up, match-rate band).
    evaluations = result.get_asset_check_evaluations()
    assert evaluations and all(e.passed for e in evaluations), [
        e.check_name for e in evaluations if not e.passed
    ]
    # One run covered every date of the range, in each of Nigeria's coverage tables.
    materialized = {
        (m.asset_key.to_user_string(), m.partition)
        for m in result.asset_materializations_for_node("ng__coverage")
    }
    levels = ("overall", "by_sport", "by_country", "by_tournament")
    assert materialized == {(f"ng/coverage_{level}", d.isoformat()) for level in levels for d in DATES}

    truth = truth_matches(sandbox.world, SANDBOX_TEST_INSTANT, DATES)
    expected = expected_overall(truth)  # every book read in Nigeria: the long tables
    wide = expected_overall(truth, WIDE_BOOKS)  # the wide views: BetPawa, SportyBet and Bet9ja
    assert expected != wide  # MSport's and Betway's listings count in the long tables only
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        rows = (
            conn.cursor(row_factory=psycopg.rows.dict_row)
            .execute("SELECT * FROM analytics.coverage_overall ORDER BY kickoff_date")
            .fetchall()
        )
    assert [r["kickoff_date"] for r in rows] == DATES
    for row in rows:
        want = wide[row["kickoff_date"]]
        assert row["on_all_three"] == want["on_every_book"], row["kickoff_date"]
        for metric in ("total", "matched", "betpawa_only", "competitor_only",
                       "betpawa_events", "sportybet_events", "bet9ja_events",
                       "linked_by_genius"):  # fmt: skip
            assert row[metric] == want[metric], (row["kickoff_date"], metric)
        assert row["matched"] + row["betpawa_only"] + row["competitor_only"] == row["total"]
        assert row["match_rate"] == pytest.approx(want["matched"] / want["total"])
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        groups = conn.execute(
            "SELECT kickoff_date, total, matched, competitor_only, on_every_book"
            " FROM analytics.coverage_groups WHERE site_country = 'ng' AND level = 'overall'"
            " ORDER BY kickoff_date"
        ).fetchall()
    assert groups == [
        (d, *(expected[d][m] for m in ("total", "matched", "competitor_only", "on_every_book")))
        for d in DATES
    ]

    assert sum(expected[d]["linked_by_genius"] for d in DATES) > 0  # the Genius bridge is exercised
    # The long tables under the views: a row per group and book of the site country, a listing per book
    # listing a match, the world's per-book counts on the books' own rows.
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        counts = conn.execute(
            "SELECT (SELECT count(*) FROM analytics.coverage_groups WHERE site_country = 'ng'),"
            " (SELECT count(*) FROM analytics.coverage WHERE site_country = 'ng'),"
            " (SELECT count(*) FROM analytics.match_listings WHERE site_country = 'ng'),"
            " (SELECT sum(book_count) FROM analytics.matches WHERE site_country = 'ng')"
        ).fetchone()
        overall_books = conn.execute(
            "SELECT kickoff_date, book, events FROM analytics.coverage WHERE level = 'overall'"
        ).fetchall()
    assert counts is not None and counts[1] == counts[0] * len(NIGERIA_BOOKS) and counts[2] == counts[3]
    assert {(day, book): events for day, book, events in overall_books} == {
        (day, book.value): expected[day][f"{book.value}_events"] for day in DATES for book in NIGERIA_BOOKS
    }

    # Coverage by tournament: one row per world tournament (by the world's own key) per date, same counts.
    by_tournament = expected_by_tournament(truth, WIDE_BOOKS)
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        rows = (
            conn.cursor(row_factory=psycopg.rows.dict_row)
            .execute("SELECT * FROM analytics.coverage_by_tournament ORDER BY kickoff_date, tournament_key")
            .fetchall()
        )
    got = {(r["kickoff_date"], r["tournament_key"]): r for r in rows}
    assert len(got) == len(rows)
    assert got.keys() == by_tournament.keys()
    for key, row in got.items():
        for metric in ("total", "matched", "betpawa_only", "competitor_only", "linked_by_genius"):
            assert row[metric] == by_tournament[key][metric], (key, metric)
        assert row["placed"] == key[1].startswith("sr:tournament:")
        assert row["sr_tournament_id"] == (key[1] if row["placed"] else None)
    placed = [r for r in rows if r["placed"]]
    assert len(placed) > 0.9 * len(rows)
    # Placed rows carry each listing book's own name; SportyBet's is SportRadar's, the canonical one.
    world_names = {f"sr:tournament:{t.key}": t for t in sandbox.world.tournaments}
    for row in placed:
        t = world_names[row["tournament_key"]]
        assert (row["tournament"], row["sr_category_id"]) == (t.name, f"sr:category:{t.country_key}")
        for book in WIDE_BOOKS:
            name = row[f"{book.value}_tournament_name"]
            assert name is None or name == t.spellings[book], (row["tournament_key"], book)

    # The demo's summary sums the same rows.
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        summary = read_summary(conn, FIRST, LAST, site_country="ng")
    assert summary.total == sum(expected[d]["total"] for d in DATES)
    assert summary.matched == sum(expected[d]["matched"] for d in DATES)
    assert summary.events_per_book["bet9ja"] == sum(expected[d]["bet9ja_events"] for d in DATES)
    missing = sum(n for *_, n in summary.top_missing)
    assert 0 < missing <= summary.competitor_only
    assert "match rate" in format_summary(summary)
    with psycopg.connect(libpq_url(warehouse_url)) as conn:  # what to list: competitor-only, still ahead
        (competitor_only_ahead,) = conn.execute(
            "SELECT count(*) FROM analytics.matches m WHERE m.status = 'competitor_only'"
            " AND m.site_country = 'ng' AND m.kickoff > (SELECT max(computed_at) FROM analytics.to_list_now)"
        ).fetchone()
    assert summary.to_list == competitor_only_ahead > 0
    assert [k for k, *_ in summary.soonest_to_list] == sorted(k for k, *_ in summary.soonest_to_list)
    assert f"{summary.to_list:,} matches" in format_summary(summary)


def history_rows(warehouse_url: str) -> int:
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        row = conn.execute("SELECT count(*) FROM core.odds_history").fetchone()
    assert row is not None
    return int(row[0])


def test_rematerializing_a_range_leaves_identical_tables(
    sandbox: SandboxHandle, day_warehouse_url: str
) -> None:
    warehouse_url = day_warehouse_url  # every asset materialized once over DAY..DAY
    before = snapshot(warehouse_url)
    assert before["events"] and before["matched"] and before["by_tournament"]
    history = history_rows(warehouse_url)
    assert history > 0
    materialize_range = materializer(resources_for(sandbox, warehouse_url))
    assert materialize_range(DAY, DAY).success
    assert snapshot(warehouse_url) == before
    assert history_rows(warehouse_url) == history  # the same prices again add no history
