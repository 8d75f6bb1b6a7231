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


@pytest.mark.slow
def test_a_book_down_leaves_the_tables_running_on_its_last_good_catalogue(
    warehouse_url: str,
    materialize_range: Materialize,
    sandbox_faults: FaultSetter,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        before = conn.execute(
            "SELECT count(*) FILTER (WHERE on_sportybet), count(*) FROM analytics.matched_events "
            "WHERE kickoff_date = %s",
            (DAY,),
        ).fetchone()
    assert before is not None and before[0] > 0
    monkeypatch.setenv("PALIMPSEST_SPORTYBET_MAX_ATTEMPTS", "1")
    sandbox_faults(Book.SPORTYBET, fail_status=503)  # SportyBet down for the whole run
    result = materialize_range(DAY, DAY, raise_on_error=False)
    done = {m.asset_key.to_user_string() for m in result.get_asset_materialization_events() if m.asset_key}
    assert {"matched_events", "coverage_overall", "odds_comparison"} <= done  # nothing skipped downstream
    events_md = {
        m.asset_key.to_user_string(): m.step_materialization_data.materialization.metadata
        for m in result.get_asset_materialization_events()
        if m.asset_key and m.asset_key.path[-1] == "events"
    }
    assert events_md["sportybet/events"]["stale"].value is True
    assert events_md["sportybet/events"]["status"].value == "failed"
    assert events_md["betpawa/events"]["stale"].value is False
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        after = conn.execute(
            "SELECT count(*) FILTER (WHERE on_sportybet), count(*) FROM analytics.matched_events "
            "WHERE kickoff_date = %s",
            (DAY,),
        ).fetchone()
        stale = conn.execute(
            "SELECT bool_and(catalogue_stale_sportybet), bool_or(catalogue_stale_betpawa), "
            "bool_or(catalogue_stale_bet9ja), bool_and(catalogue_at_sportybet IS NOT NULL) "
            "FROM analytics.coverage_overall WHERE kickoff_date = %s",
            (DAY,),
        ).fetchone()
    assert after == before  # SportyBet's last good catalogue still counts, as it was
    assert stale == (True, False, False, True)
