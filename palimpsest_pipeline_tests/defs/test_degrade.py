"""A book down for a run costs its freshness, not the run: matching, coverage and odds run on its last good
catalogue, marked stale, and the failure shows; defs/catalogue/assets.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.transforms.catalogue_freshness import DEFAULT_MAX_AGE, catalogue_freshness
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline_tests.defs.conftest import DAY, Materialize
from palimpsest_pipeline_tests.fixtures_sandbox import FaultSetter
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS

NOW = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)


def test_the_staleness_rule() -> None:
    fresh, old = NOW - timedelta(minutes=5), NOW - DEFAULT_MAX_AGE - timedelta(seconds=1)
    read = {Book.BETPAWA: fresh, Book.SPORTYBET: old, Book.BET9JA: fresh, Book.MSPORT: fresh}
    read[Book.BETWAY] = None  # never scraped
    got = catalogue_freshness(read, {Book.BET9JA}, NOW)
    assert {b: (got[b].stale, got[b].age_s) for b in got} == {
        Book.BETPAWA: (False, 300.0),
        Book.SPORTYBET: (True, DEFAULT_MAX_AGE.total_seconds() + 1),
        Book.BET9JA: (True, 300.0),  # fresh, but its scrape failed in this very run
        Book.MSPORT: (False, 300.0),
        Book.BETWAY: (True, None),  # never scraped: no age, and stale
    }
    never = catalogue_freshness(dict.fromkeys(NIGERIA_BOOKS), set(), NOW)
    assert list(never) == list(NIGERIA_BOOKS)
    assert all(f.stale and f.refreshed_at is None for f in never.values())


@pytest.fixture
def warehouse_url(day_warehouse_url: str) -> str:
    """A copy of the materialized day: every book scraped fine once (what ``materialize_range`` writes to)."""
    return day_warehouse_url


#: One book's stored catalogue, every column.
_EVENTS = "SELECT * FROM core.events WHERE book = %s ORDER BY event_id"


@pytest.mark.slow
def test_a_book_down_leaves_the_tables_running_on_its_last_good_catalogue(
    warehouse_url: str,
    materialize_range: Materialize,
    sandbox_faults: FaultSetter,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Bet9ja answering 503 to every request of a run: the run completes as a partial batch, Bet9ja's
    stored catalogue untouched and counted, marked stale, the others re-stored."""
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        before = conn.execute(
            "SELECT count(*) FILTER (WHERE on_bet9ja), count(*) FROM analytics.matched_events "
            "WHERE kickoff_date = %s",
            (DAY,),
        ).fetchone()
        good = conn.execute(_EVENTS, ("bet9ja",)).fetchall()
        betpawa = conn.execute(_EVENTS, ("betpawa",)).fetchall()
    assert before is not None and before[0] > 0 and good and betpawa
    monkeypatch.setenv("PALIMPSEST_BET9JA_NG_MAX_ATTEMPTS", "2")
    sandbox_faults(Book.BET9JA, fail_status=503, retry_after_s=0)  # Bet9ja down for the whole run
    result = materialize_range(DAY, DAY, raise_on_error=False)

    # Degrade, do not stop: no step fails; the failures are Bet9ja's catalogue_refreshed check (ERROR) and,
    # its odds capture failing too, the comparison's prices_fresh (WARN: its prices are out as stale) ...
    assert result.success
    failed_checks = {
        (e.asset_key.to_user_string(), e.check_name)
        for e in result.get_asset_check_evaluations()
        if not e.passed
    }
    assert failed_checks == {
        ("ng/bet9ja/events", "catalogue_refreshed"),
        ("ng/odds_comparison", "prices_fresh"),
    }
    done = {m.asset_key.to_user_string() for m in result.get_asset_materialization_events() if m.asset_key}
    assert {"ng/matched_events", "ng/coverage_overall", "ng/odds_comparison"} <= done  # nothing skipped
    events_md = {
        m.asset_key.to_user_string(): m.step_materialization_data.materialization.metadata
        for m in result.get_asset_materialization_events()
        if m.asset_key and m.asset_key.path[-1] == "events"
    }
    assert events_md["ng/bet9ja/events"]["stale"].value is True
    assert events_md["ng/bet9ja/events"]["status"].value == "failed"
    assert events_md["ng/betpawa/events"]["stale"].value is False
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        after = conn.execute(
            "SELECT count(*) FILTER (WHERE on_bet9ja), count(*) FROM analytics.matched_events "
            "WHERE kickoff_date = %s",
            (DAY,),
        ).fetchone()
        # ... and coverage ran, saying Bet9ja's catalogue is stale and when it was last refreshed.
        stale = conn.execute(
            "SELECT DISTINCT catalogue_stale_betpawa, catalogue_stale_sportybet, catalogue_stale_bet9ja, "
            "catalogue_at_bet9ja < catalogue_at_betpawa FROM analytics.coverage_overall "
            "WHERE kickoff_date = %s",
            (DAY,),
        ).fetchall()
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
        kept = conn.execute(_EVENTS, ("bet9ja",)).fetchall()
        restored = conn.execute(_EVENTS, ("betpawa",)).fetchall()
    assert after == before  # Bet9ja's last good catalogue still counts, as it was
    assert stale == [(False, False, True, True)]
    assert runs == {book.value: "failed" if book is Book.BET9JA else "ok" for book in NIGERIA_BOOKS}
    assert batch_status == ("partial",)
    assert errors is not None and errors[0] and any("503" in m for m in errors[1])
    # The failed book's stored catalogue is untouched, the others were re-stored.
    assert kept == good
    assert len(restored) == len(betpawa)
