"""The palimpsest comparison end to end: sandbox over sockets -> Dagster assets -> real Postgres tables.

The first two tests read one run of every asset over the three dates (``materialized_range``), each in a
copy of its own."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import psycopg
import pytest

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.summary import format_summary, read_summary
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline_tests.defs.conftest import (
    Materialize,
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
from palimpsest_pipeline_tests.fixtures_sandbox import SANDBOX_TEST_INSTANT, FaultSetter
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
    """Every asset materialized in one run for FIRST..LAST, kept as a template database."""
    report_dir = tmp_path_factory.mktemp("materialized_range_report")
    dates = (FIRST.isoformat(), LAST.isoformat())
    with materialized_template(
        sandbox, pg_server_url, _warehouse_template, "range", dates, report_dir
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
    # One run covered every date of the range.
    materialized = {
        (m.asset_key.to_user_string(), m.partition)
        for m in result.asset_materializations_for_node("coverage")
    }
    assert {p for _, p in materialized} == {f"{d.isoformat()}|ng" for d in DATES}

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
        summary = read_summary(conn, FIRST, LAST)
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


def test_rematerializing_a_range_leaves_identical_tables(
    sandbox: SandboxHandle, range_warehouse_url: str
) -> None:
    warehouse_url = range_warehouse_url  # the range materialized once
    before = snapshot(warehouse_url)
    assert before["events"] and before["matched"] and before["by_tournament"]
    materialize_range = materializer(resources_for(sandbox, warehouse_url))
    assert materialize_range(FIRST.isoformat(), LAST.isoformat()).success
    assert snapshot(warehouse_url) == before


def test_a_book_answering_5xx_gives_a_partial_batch(
    sandbox: SandboxHandle,
    warehouse_url: str,
    materialize_range: Materialize,
    sandbox_faults: FaultSetter,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert materialize_range(FIRST.isoformat(), FIRST.isoformat()).success
    good = snapshot(warehouse_url)["events"]

    monkeypatch.setenv("PALIMPSEST_BET9JA_MAX_ATTEMPTS", "2")
    sandbox_faults(Book.BET9JA, fail_status=503, retry_after_s=0)
    result = materialize_range(FIRST.isoformat(), FIRST.isoformat(), raise_on_error=False)

    # Degrade, do not stop: no step fails; the failures are Bet9ja's catalogue_refreshed check (ERROR) and,
    # its odds capture failing too, the comparison's prices_fresh (WARN: its prices are out as stale) ...
    assert result.success
    failed_checks = {
        (e.asset_key.to_user_string(), e.check_name)
        for e in result.get_asset_check_evaluations()
        if not e.passed
    }
    assert failed_checks == {("bet9ja/events", "catalogue_refreshed"), ("odds_comparison", "prices_fresh")}
    # ... and coverage ran, saying Bet9ja's catalogue is stale and when it was last refreshed.
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        flags = conn.execute(
            "SELECT DISTINCT catalogue_stale_betpawa, catalogue_stale_sportybet, catalogue_stale_bet9ja, "
            "catalogue_at_bet9ja < catalogue_at_betpawa FROM analytics.coverage_overall"
        ).fetchall()
    assert flags == [(False, False, True, True)]
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        runs = dict(
            conn.execute(
                "SELECT book, status FROM core.book_runs WHERE batch_id = %s", (result.run_id,)
            ).fetchall()
        )
        batch_status = conn.execute(
            "SELECT status FROM core.scrape_batches WHERE batch_id = %s", (result.run_id,)
        ).fetchone()
        errors = conn.execute(
            "SELECT errors, error_messages FROM core.book_runs WHERE batch_id = %s AND book = 'bet9ja'",
            (result.run_id,),
        ).fetchone()
    assert runs == {book.value: "failed" if book is Book.BET9JA else "ok" for book in NIGERIA_BOOKS}
    assert batch_status == ("partial",)
    assert errors is not None and errors[0] and any("503" in m for m in errors[1])
    # The failed book's stored catalogue is untouched, the others were re-stored.
    after = snapshot(warehouse_url)["events"]
    assert [e for e in after if e["book"] == "bet9ja"] == [e for e in good if e["book"] == "bet9ja"]
    assert sum(e["book"] == "betpawa" for e in after) == sum(e["book"] == "betpawa" for e in good) > 0
