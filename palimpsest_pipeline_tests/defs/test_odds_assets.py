"""Odds end to end: captures of every book at the same moment -> history/current -> comparison tables.

Every test starts from one run of every asset for DAY (``materialized_day``), in a copy of its own."""

from __future__ import annotations

from datetime import date, timedelta

import dagster as dg
import psycopg
import pytest

from palimpsest_pipeline.definitions import ALL_ASSETS
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.summary import format_pricing, read_pricing
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline_tests.defs.comparison_rows import analytics_rows
from palimpsest_pipeline_tests.defs.conftest import DAY, Materialize, MaterializedDay
from palimpsest_pipeline_tests.fixtures_sandbox import SANDBOX_TEST_INSTANT, FaultSetter, sandbox_test_config
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_sandbox import SandboxHandle
from palimpsest_sandbox.markets import book_prices

pytestmark = pytest.mark.slow

#: Nigeria's odds capture and comparison ops (the code location's own definitions); a run of DAY alone.
CAPTURE, COMPARISON = "ng__odds_snapshots", "ng__odds_comparison_tables"
DAY_TAGS = {"dagster/asset_partition_range_start": DAY, "dagster/asset_partition_range_end": DAY}


def op_asset(name: str) -> dg.AssetsDefinition:
    """The code location's asset (or multi-asset) whose op is ``name``."""
    (asset,) = [asset for asset in ALL_ASSETS if asset.op.name == name]
    return asset


@pytest.fixture
def warehouse_url(day_warehouse_url: str) -> str:
    """This module's warehouse: a copy of the materialized day (what ``materialize_range`` writes to)."""
    return day_warehouse_url


def test_odds_and_comparison_tables_for_a_day(
    sandbox: SandboxHandle, warehouse_url: str, materialized_day: MaterializedDay
) -> None:
    result = materialized_day.result
    assert result.success
    failed = [e.check_name for e in result.get_asset_check_evaluations() if not e.passed]
    assert failed == []
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        statuses = dict(
            conn.execute("SELECT status, count(*) FROM core.odds_captures GROUP BY status").fetchall()
        )
        compared = conn.execute(
            "SELECT count(DISTINCT sr_id), count(*) FILTER (WHERE books_offering = 3) "
            "FROM analytics.odds_comparison WHERE kickoff_date = %s",
            (DAY,),
        ).fetchone()
        sample = conn.execute(
            "SELECT o.sr_id, o.book, o.price FROM core.odds_current o "
            "WHERE market = 1 AND specifier = '' AND outcome = 1 AND state = 'open' "
            "ORDER BY sr_id, book LIMIT 6"
        ).fetchall()
    assert statuses.get("ok", 0) > 0 and statuses.get("failed", 0) == 0
    assert compared is not None and compared[0] > 0 and compared[1] > 0
    # Stored prices are exactly what the sandbox's books quoted at the capture moment.
    scale = sandbox_test_config().reprice_scale
    assert sample
    for sr_id, book, price in sample:
        listed = sandbox.world.listed_events(Book(book), SANDBOX_TEST_INSTANT)
        match = next(m for m in listed if m.sr_id == sr_id)
        version = match.price_version(Book(book), SANDBOX_TEST_INSTANT, scale)
        quoted = book_prices(Book(book), match.match_seed, version, match.sport)
        assert quoted[(1, "", 1)][0] == pytest.approx(price)


def test_a_book_failing_mid_cycle_does_not_stop_the_others(
    warehouse_url: str,
    materialize_range: Materialize,
    sandbox_faults: FaultSetter,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the materialized day: catalogues first, with every book up
    monkeypatch.setenv("PALIMPSEST_SPORTYBET_NG_MAX_ATTEMPTS", "2")
    sandbox_faults(Book.SPORTYBET, throttle_429=0.5, retry_after_s=0, server_error=0.5)
    result = materialize_range(DAY, DAY, assets=[op_asset(CAPTURE)])
    assert result.success
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        rows = conn.execute(
            "SELECT book, status, count(*), count(reason) FROM core.odds_captures "
            "WHERE batch_id = %s GROUP BY book, status",
            (result.run_id,),
        ).fetchall()
    by = {(book, status): (n, with_reason) for book, status, n, with_reason in rows}
    assert by[("betpawa", "ok")][0] > 0 and by[("bet9ja", "ok")][0] > 0
    failed = by.get(("sportybet", "failed"))
    assert failed is not None and failed[0] > 0 and failed[1] == failed[0]  # every failure says why


def test_the_comparison_one_event_at_a_time_writes_the_same_tables(
    warehouse_url: str, materialized_day: MaterializedDay, pipeline_resources: dict[str, object]
) -> None:
    first = materialized_day.result  # default slices: the whole day in one
    assert first.success
    whole = analytics_rows(warehouse_url)
    assert all(rows for table, rows in whole.items() if table != "analytics.suspect_markets")
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        row = conn.execute("SELECT count(DISTINCT sr_id) FROM analytics.odds_comparison").fetchone()
    assert row is not None
    events = int(row[0])
    assert events > 1  # else one event per slice would not split anything
    result = dg.materialize(
        [op_asset(COMPARISON)],
        resources=pipeline_resources,
        tags=DAY_TAGS,
        run_config={"ops": {COMPARISON: {"config": {"chunk_events": 1}}}},
    )
    assert result.success
    sliced = analytics_rows(warehouse_url)
    for table, rows in whole.items():
        assert len(sliced[table]) == len(rows), table
        for got, want in zip(sliced[table], rows, strict=True):
            assert _same_row(got, want), (table, got, want)
    # The checks and metadata, drawn from what each slice left behind, are those of the whole day.
    expected = _comparison_outputs(first)
    assert _comparison_outputs(result) == expected
    materialized = expected["materialized"]
    assert isinstance(materialized, dict)
    assert set(materialized) == {"ng/odds_comparison", "ng/market_margins", "ng/market_availability"}
    checks = expected["checks"]
    assert isinstance(checks, dict) and set(checks) == {
        "margins_in_band",
        "prices_agree",
        "prices_fresh",
        "no_suspect_markets",
    }
    assert all(
        details["checked"].value > 0
        for name, (_, details) in checks.items()
        if name not in ("prices_fresh", "no_suspect_markets")
    )


def _comparison_outputs(result: dg.ExecuteInProcessResult) -> dict[str, object]:
    """The comparison step's materialization metadata (per table) and check results (passed, metadata); not
    ``rows_written``, which counts what the run changed against what was stored before it."""
    keys = {"ng/odds_comparison", "ng/market_margins", "ng/market_availability"}
    materialized = {
        event.materialization.asset_key.to_user_string(): {
            name: value for name, value in event.materialization.metadata.items() if name != "rows_written"
        }
        for event in result.get_asset_materialization_events()
        if event.materialization.asset_key.to_user_string() in keys
    }
    checks = {
        check.check_name: (check.passed, dict(check.metadata))
        for check in result.get_asset_check_evaluations()
        if check.asset_key.to_user_string() in keys
    }
    return {"materialized": materialized, "checks": checks}


def _same_row(got: tuple[object, ...], want: tuple[object, ...]) -> bool:
    """Equal, floats to 1e-9: the power method iterates until every market of its frame converges, so a
    market may get one more (or one fewer) Newton step in a smaller frame."""
    pairs = list(zip(got, want, strict=True))
    exact = [(g, w) for g, w in pairs if not isinstance(w, float)]
    floats = [(g, w) for g, w in pairs if isinstance(w, float)]
    return all(g == w for g, w in exact) and [g for g, _ in floats] == pytest.approx(
        [w for _, w in floats], rel=1e-9
    )


def test_the_demo_pricing_summary_reads_the_comparison_tables(warehouse_url: str) -> None:
    day = date.fromisoformat(DAY)
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        pricing = read_pricing(conn, day, day, site_country="ng")
    assert pricing.events_priced > 0 and pricing.outcomes_compared > 0
    assert pricing.betpawa_best_share is not None and 0 < pricing.betpawa_best_share < 1
    assert pricing.betpawa_median_gap is not None and pricing.betpawa_median_gap <= 0
    for book, margin in pricing.median_1x2_margin.items():
        assert margin is not None and 0 < margin < 0.15, book
    assert "BetPawa has the best price on" in format_pricing(pricing)
    # one pricing model behind every book: no market of the sandbox can look keyed wrong
    assert pricing.suspect_markets == dict.fromkeys((b.value for b in NIGERIA_BOOKS), 0)


def test_a_book_that_fails_after_a_good_capture_is_not_compared_as_current(
    warehouse_url: str,
    materialize_range: Materialize,
    sandbox_faults: FaultSetter,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the materialized day: every book captured fine
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        before = conn.execute(
            "SELECT count(*) FILTER (WHERE best_book = 'sportybet'), count(price_sportybet), "
            "count(*) FILTER (WHERE stale_sportybet) FROM analytics.odds_comparison WHERE kickoff_date = %s",
            (DAY,),
        ).fetchone()
    assert before is not None and before[0] > 0 and before[1] > 0 and before[2] == 0

    monkeypatch.setenv("PALIMPSEST_SPORTYBET_NG_MAX_ATTEMPTS", "2")
    sandbox_faults(Book.SPORTYBET, server_error=1.0)  # SportyBet goes down: every capture fails
    result = materialize_range(DAY, DAY, assets=[op_asset(CAPTURE), op_asset(COMPARISON)])
    assert result.success
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        failed_at = conn.execute(
            "SELECT min(captured_at) FROM core.odds_captures WHERE batch_id = %s AND book = 'sportybet' "
            "AND status <> 'ok'",
            (result.run_id,),
        ).fetchone()
        after = conn.execute(
            "SELECT count(price_sportybet), count(*) FILTER (WHERE stale_sportybet), "
            "count(*) FILTER (WHERE best_book = 'sportybet'), max(captured_at_sportybet), "
            "count(*) FILTER (WHERE stale_betpawa OR stale_bet9ja) "
            "FROM analytics.odds_comparison WHERE kickoff_date = %s",
            (DAY,),
        ).fetchone()
    assert failed_at is not None and failed_at[0] is not None
    assert after is not None
    shown, stale, best, newest, others_stale = after
    # SportyBet's last prices are still shown, every one marked stale, none of them the best price.
    assert shown == before[1] and stale == shown and best == 0
    assert newest < failed_at[0]
    assert others_stale == 0
    fresh_check = next(e for e in result.get_asset_check_evaluations() if e.check_name == "prices_fresh")
    assert not fresh_check.passed


def test_a_market_keyed_wrong_on_one_book_is_suspect_and_left_out_of_the_best_price(
    warehouse_url: str, materialize_range: Materialize
) -> None:
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        assert conn.execute("SELECT count(*) FROM analytics.suspect_markets").fetchone() == (0,)
        # the sandbox's truth: every book prices one model, so a match with a clear favourite on all three
        row = conn.execute(
            "SELECT c.sr_id FROM analytics.odds_comparison c WHERE c.kickoff_date = %s AND market = 1 "
            "AND specifier = '' AND outcome = 1 AND books_offering = 3 AND price_betpawa < 1.8 "
            "ORDER BY sr_id LIMIT 1",
            (DAY,),
        ).fetchone()
        assert row is not None
        sr_id = row[0]
        # Bet9ja's home and away swapped, as a mapping with the wrong outcome order would store them
        swapped = conn.execute(
            "UPDATE core.odds_current_prices p SET price = q.price FROM core.odds_current_prices q "
            "WHERE (q.sr_id, q.book, q.market, q.specifier, q.outcome) = (p.sr_id, p.book, p.market, "
            "p.specifier, 4 - p.outcome) AND p.sr_id = %s AND p.book = 'bet9ja' AND p.market = 1 "
            "AND p.specifier = '' AND p.outcome IN (1, 3)",
            (sr_id,),
        )
        assert swapped.rowcount == 2
    result = materialize_range(DAY, DAY, assets=[op_asset(COMPARISON)])
    assert result.success
    check = next(e for e in result.get_asset_check_evaluations() if e.check_name == "no_suspect_markets")
    assert not check.passed
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        suspects = conn.execute(
            "SELECT sr_id, market, specifier, book, reason, outcomes_compared, outcomes_disagreeing "
            "FROM analytics.suspect_markets"
        ).fetchall()
        home = conn.execute(
            "SELECT suspect_bet9ja, suspect_betpawa, best_book, books_offering "
            "FROM analytics.odds_comparison "
            "WHERE sr_id = %s AND market = 1 AND specifier = '' AND outcome = 3",
            (sr_id,),
        ).fetchone()
        pricing = read_pricing(conn, date.fromisoformat(DAY), date.fromisoformat(DAY), site_country="ng")
    # home and away are far from both other books, the draw agrees
    assert suspects == [(sr_id, 1, "", "bet9ja", "disagrees", 3, 2)]
    # Bet9ja's swapped away price (its real home price, a long one) would be the best away price: it is not
    assert home is not None and home[:2] == (True, False)
    assert home[2] != "bet9ja" and home[3] == 2
    assert pricing.suspect_markets == {**dict.fromkeys((b.value for b in NIGERIA_BOOKS), 0), "bet9ja": 1}


def test_a_capture_run_compares_again_only_the_events_it_captured(
    warehouse_url: str,
    pipeline_resources: dict[str, object],
    sandbox_clock: SandboxHandle,
) -> None:
    from palimpsest_pipeline.defs.resources import ClockResource

    # the materialized day: the date's first comparison, built whole
    before = analytics_rows(warehouse_url)
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        events = [
            r[0] for r in conn.execute("SELECT DISTINCT sr_id FROM analytics.outcome_comparison ORDER BY 1")
        ]
        captured = events[:2]
        prices_before = conn.execute(
            "SELECT sr_id, book, market, specifier, outcome, price FROM analytics.outcome_prices "
            "WHERE sr_id = ANY(%s) ORDER BY 1, 2, 3, 4, 5",
            (captured,),
        ).fetchall()
    assert len(events) > 2

    # Six hours on, the books have moved prices; a capture run asks about two events only.
    later = SANDBOX_TEST_INSTANT + timedelta(hours=6)
    sandbox_clock.set_clock(later, frozen=True)
    resources = {**pipeline_resources, "clock": ClockResource(fixed_utc=later.isoformat())}
    result = dg.materialize(
        [op_asset(CAPTURE), op_asset(COMPARISON)],
        resources=resources,
        tags=DAY_TAGS,
        run_config={"ops": {CAPTURE: {"config": {"sr_ids": captured}}}},
    )
    assert result.success
    metadata = _comparison_outputs(result)["materialized"]
    assert isinstance(metadata, dict)
    compared = metadata["ng/odds_comparison"]
    assert compared["events"].value == 2 and compared["rebuilt_dates"].value == 0
    (written,) = [
        event.materialization.metadata["rows_written"].value
        for event in result.get_asset_materialization_events()
        if event.materialization.asset_key.to_user_string() == "ng/odds_comparison"
    ]
    assert isinstance(written, int) and written > 0  # the two events' moved prices
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        stamps = dict(conn.execute("SELECT sr_id, max(computed_at) FROM analytics.outcome_prices GROUP BY 1"))
        prices_after = conn.execute(
            "SELECT sr_id, book, market, specifier, outcome, price FROM analytics.outcome_prices "
            "WHERE sr_id = ANY(%s) ORDER BY 1, 2, 3, 4, 5",
            (captured,),
        ).fetchall()
    assert {s for s, at in stamps.items() if at == later} == set(captured)
    assert all(at == SANDBOX_TEST_INSTANT for s, at in stamps.items() if s not in captured)
    assert prices_after != prices_before  # the capture moved prices, and the comparison shows them
    updated = analytics_rows(warehouse_url)
    assert updated != before

    rebuilt = dg.materialize(
        [op_asset(COMPARISON)],
        resources=resources,
        tags=DAY_TAGS,
        run_config={"ops": {COMPARISON: {"config": {"rebuild": True}}}},
    )
    assert rebuilt.success
    assert analytics_rows(warehouse_url) == updated
