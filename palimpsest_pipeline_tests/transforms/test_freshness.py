"""Freshness: which stored prices are stale, and that stale prices take no part in the comparison."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import polars as pl
import pytest

from palimpsest_pipeline.transforms.freshness import (
    REASON_AGE,
    REASON_FAILED,
    stale_before,
    stale_counts,
    stale_shares,
)
from palimpsest_pipeline.transforms.input_checks import FrameSchemaError
from palimpsest_pipeline.transforms.odds_compare import compare_prices, margins
from palimpsest_pipeline_tests.transforms.odds_frames import side_by_side

NOW = datetime(2026, 5, 6, 12, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)
#: The sensor's default tiers: imminent < 30 min: 60 s; soon < 2 h: 5 min; later < 24 h: 30 min.
TIERS = [(30 * MINUTE, 1 * MINUTE), (120 * MINUTE, 5 * MINUTE), (24 * 60 * MINUTE, 30 * MINUTE)]


def _log(rows: list[tuple[int, str, datetime, str, datetime | None]]) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema={
            "sr_id": pl.Int64,
            "book": pl.String,
            "last_attempt_at": pl.Datetime("us", "UTC"),
            "last_attempt_status": pl.String,
            "last_ok_at": pl.Datetime("us", "UTC"),
        },
        orient="row",
    )


def test_bounds_follow_the_kickoff_tier_and_failed_captures() -> None:
    kickoffs = pl.DataFrame(
        {
            "sr_id": [1, 2, 3, 4, 5],
            "kickoff": [
                NOW + 10 * MINUTE,  # imminent: cadence 60 s, bound 2 min
                NOW + 90 * MINUTE,  # soon: 5 min, bound 10 min
                NOW + 5 * 60 * MINUTE,  # later: 30 min, bound 1 h
                NOW + 3 * 24 * 60 * MINUTE,  # beyond the horizon: the last tier's cadence
                NOW - 20 * MINUTE,  # under way: the first tier's
            ],
        },
        schema={"sr_id": pl.Int64, "kickoff": pl.Datetime("us", "UTC")},
    )
    ok = NOW - 3 * MINUTE
    log = _log(
        [
            (1, "betpawa", ok, "ok", ok),
            (1, "sportybet", NOW - MINUTE, "failed", ok),  # failed after a good capture
            (2, "bet9ja", NOW - 20 * MINUTE, "ok", NOW - 20 * MINUTE),
            (3, "betpawa", NOW - 2 * MINUTE, "gone", None),  # never had a good capture
            (4, "betpawa", ok, "ok", ok),
            (5, "bet9ja", ok, "ok", ok),
            (6, "betpawa", ok, "ok", ok),  # no kick-off known: the last tier
        ]
    )
    got = {(r["sr_id"], r["book"]): r for r in stale_before(kickoffs, log, now=NOW, tiers=TIERS).to_dicts()}
    expected = {
        (1, "betpawa"): (120, NOW - 2 * MINUTE, REASON_AGE),
        (1, "sportybet"): (120, NOW - MINUTE, REASON_FAILED),
        (2, "bet9ja"): (600, NOW - 10 * MINUTE, REASON_AGE),
        (3, "betpawa"): (3600, NOW - 2 * MINUTE, REASON_FAILED),
        (4, "betpawa"): (3600, NOW - 60 * MINUTE, REASON_AGE),
        (5, "bet9ja"): (120, NOW - 2 * MINUTE, REASON_AGE),
        (6, "betpawa"): (3600, NOW - 60 * MINUTE, REASON_AGE),
    }
    assert {k: (v["max_age_s"], v["stale_before"], v["stale_reason"]) for k, v in got.items()} == expected


def test_a_failure_older_than_the_last_good_capture_changes_nothing() -> None:
    kickoffs = pl.DataFrame({"sr_id": [1], "kickoff": [NOW + 10 * MINUTE]}).cast(
        {"sr_id": pl.Int64, "kickoff": pl.Datetime("us", "UTC")}
    )
    log = _log([(1, "betpawa", NOW - MINUTE, "ok", NOW - MINUTE)])
    row = stale_before(kickoffs, log, now=NOW, tiers=TIERS, factor=3).row(0, named=True)
    assert row["stale_before"] == NOW - 3 * MINUTE and row["stale_reason"] == REASON_AGE


@pytest.mark.parametrize(("factor", "tiers"), [(0.0, TIERS), (2.0, [])])
def test_bad_settings_are_named(factor: float, tiers: list[tuple[timedelta, timedelta]]) -> None:
    with pytest.raises(FrameSchemaError, match="stale_before"):
        stale_before(pl.DataFrame(), _log([]), now=NOW, tiers=tiers, factor=factor)


def _odds(rows: list[tuple[str, int, float, datetime]]) -> pl.DataFrame:
    """1X2 prices of event 7: (book, outcome, price, captured_at)."""
    return pl.DataFrame(
        [(7, book, 1, "", outcome, price, "open", at) for book, outcome, price, at in rows],
        schema={
            "sr_id": pl.Int64,
            "book": pl.String,
            "market": pl.Int32,
            "specifier": pl.String,
            "outcome": pl.Int32,
            "price": pl.Float64,
            "state": pl.String,
            "captured_at": pl.Datetime("us", "UTC"),
        },
        orient="row",
    )


DEFS = pl.DataFrame({"market": [1, 1, 1], "outcome": [1, 2, 3], "complete": [True, True, True]}).cast(
    {"market": pl.Int32, "outcome": pl.Int32}
)


def test_a_stale_price_is_shown_but_never_best_nor_in_the_consensus() -> None:
    fresh, old = NOW - MINUTE, NOW - 90 * MINUTE
    odds = _odds(
        [
            ("betpawa", 1, 2.00, fresh),
            ("betpawa", 2, 3.40, fresh),
            ("betpawa", 3, 3.60, fresh),
            # SportyBet's last capture is 90 minutes old and would be best on every outcome.
            ("sportybet", 1, 2.30, old),
            ("sportybet", 2, 3.60, old),
            ("sportybet", 3, 3.90, old),
        ]
    )
    bounds = pl.DataFrame(
        {
            "sr_id": [7, 7],
            "book": ["betpawa", "sportybet"],
            "max_age_s": [120.0, 120.0],
            "stale_before": [NOW - 2 * MINUTE, NOW - 2 * MINUTE],
            "stale_reason": [REASON_AGE, REASON_AGE],
        }
    )
    compared = compare_prices(odds, DEFS, bounds)
    got = side_by_side(compared).sort("outcome")
    assert got["price_sportybet"].to_list() == [2.30, 3.60, 3.90]  # still shown ...
    assert got["stale_sportybet"].to_list() == [True, True, True]  # ... marked stale
    assert got["captured_at_sportybet"].to_list() == [old, old, old]
    assert got["stale_betpawa"].to_list() == [False, False, False]
    assert got["best_book"].to_list() == ["betpawa"] * 3
    assert got["best_price"].to_list() == [2.00, 3.40, 3.60]
    assert got["betpawa_gap"].to_list() == [0.0, 0.0, 0.0]
    assert got["betpawa_rank"].to_list() == [1, 1, 1]
    assert got["books_offering"].to_list() == [1, 1, 1]
    assert got["fair_books"].to_list() == [1, 1, 1]  # BetPawa's market alone
    # Hand-computed: BetPawa's book sums to 1/2 + 1/3.4 + 1/3.6 = 1.07190 (7.19 % margin).
    book_margins = margins(odds, DEFS, bounds).sort("book")
    assert book_margins["stale"].to_list() == [False, True]
    assert book_margins["margin"][0] == pytest.approx(1 / 2 + 1 / 3.4 + 1 / 3.6 - 1)

    # Without bounds (the moment of capture) the same prices compare as before: SportyBet is best.
    unbounded = compare_prices(odds, DEFS).outcomes.sort("outcome")
    assert unbounded["best_book"].to_list() == ["sportybet"] * 3
    assert unbounded["betpawa_gap"][0] == pytest.approx(2.00 / 2.30 - 1)

    passed, details = stale_shares([stale_counts(compared.prices)], limit=0.05)
    assert not passed
    assert details["sportybet"]["stale"] == 3 and details["sportybet"]["stale_share"] == 1.0
    assert details["betpawa"]["stale"] == 0


def test_stale_betpawa_has_no_gap_or_rank() -> None:
    fresh, old = NOW - MINUTE, NOW - 90 * MINUTE
    odds = _odds([("betpawa", 1, 2.50, old), ("bet9ja", 1, 2.10, fresh)])
    bounds = pl.DataFrame(
        {
            "sr_id": [7, 7],
            "book": ["betpawa", "bet9ja"],
            "max_age_s": [120.0, 120.0],
            "stale_before": [NOW - 2 * MINUTE] * 2,
            "stale_reason": [REASON_AGE] * 2,
        }
    )
    row = side_by_side(compare_prices(odds, DEFS, bounds)).row(0, named=True)
    assert row["price_betpawa"] == 2.50 and row["stale_betpawa"] is True
    assert row["best_book"] == "bet9ja" and row["best_price"] == 2.10
    assert row["betpawa_gap"] is None and row["betpawa_rank"] is None
