"""suspect_markets and its effect on compare_prices, on hand-computed examples."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

from palimpsest_pipeline.transforms.odds_compare import compare_prices
from palimpsest_pipeline.transforms.suspect_markets import SUSPECT_SCHEMA, suspect_markets
from palimpsest_pipeline_tests.transforms.odds_frames import DEF_OUTCOMES, DEFS, side_by_side
from palimpsest_pipeline_tests.transforms.odds_frames import odds_frame as _odds
from palimpsest_pipeline_tests.transforms.odds_frames import odds_row as _row

pytestmark = pytest.mark.filterwarnings("error")


def _market(book: str, prices: tuple[float | None, ...], market: int = 1) -> list[dict[str, Any]]:
    return [_row(book, market, o, p) for o, p in zip(DEF_OUTCOMES[market], prices, strict=True)]


def _flagged(frame: pl.DataFrame) -> dict[tuple[str, int], tuple[str, int, int]]:
    return {
        (r["book"], r["market"]): (r["reason"], r["outcomes_compared"], r["outcomes_disagreeing"])
        for r in frame.iter_rows(named=True)
    }


def test_a_market_whose_prices_sum_to_an_impossible_overround_is_suspect_alone() -> None:
    # 1/1.25 + 1/1.30 + 1/1.40 = 0.8 + 0.769 + 0.714 = 2.284: a combined market read as a 1X2
    rows = _market("betpawa", (1.25, 1.30, 1.40)) + _market("sportybet", (2.40, 3.30, 3.00))
    rows += _market("bet9ja", (2.45, 3.25, 2.95))
    got = suspect_markets(_odds(rows), DEFS)
    assert got.schema == pl.Schema(SUSPECT_SCHEMA)
    assert got.height == 1
    row = got.row(0, named=True)
    assert (row["book"], row["reason"]) == ("betpawa", "overround")
    assert row["implied_sum"] == pytest.approx(1 / 1.25 + 1 / 1.30 + 1 / 1.40)


@pytest.mark.parametrize(
    ("prices", "suspect"),
    [
        ((2.40, 3.30, 3.00), False),  # 0.4167 + 0.3030 + 0.3333 = 1.053: a 5 % margin
        ((1.90, 3.00, 3.00), False),  # 0.5263 + 0.3333 + 0.3333 = 1.193: a high but real margin
        ((1.50, 2.50, 2.50), True),  # 0.6667 + 0.4 + 0.4 = 1.467: past the 30 % ceiling of 3 outcomes
        ((2.60, 3.60, 3.40), True),  # 0.3846 + 0.2778 + 0.2941 = 0.957: below 0.98, the book would lose
    ],
)
def test_the_implied_sum_band_of_a_three_way_market(prices: tuple[float, ...], suspect: bool) -> None:
    got = suspect_markets(_odds(_market("bet9ja", prices)), DEFS)
    assert (got.height == 1) == suspect


def test_the_book_far_from_both_others_is_suspect_and_the_two_that_agree_are_not() -> None:
    rows = (
        _market("betpawa", (2.40, 3.30, 3.00))
        + _market("sportybet", (2.42, 3.25, 3.05))
        + _market("bet9ja", (3.00, 3.30, 2.40))
    )
    # close prices swapped: home 1/3.00 = 0.333 against 0.417 and 0.413, a factor of 1.25: not far
    assert _flagged(suspect_markets(_odds(rows), DEFS)) == {}
    swapped = (
        _market("betpawa", (1.50, 4.20, 6.50))
        + _market("sportybet", (1.52, 4.10, 6.40))
        + _market("bet9ja", (6.50, 4.20, 1.50))  # home and away swapped
    )
    # bet9ja home 1/6.5 = 0.154 vs 0.667, 0.658: far from both; away likewise; draw agrees
    assert _flagged(suspect_markets(_odds(swapped), DEFS)) == {("bet9ja", 1): ("disagrees", 3, 2)}


def test_two_books_that_disagree_are_both_suspect_and_long_shots_are_not() -> None:
    two = _market("betpawa", (1.50, 4.20, 6.50)) + _market("sportybet", (6.40, 4.10, 1.52))
    assert _flagged(suspect_markets(_odds(two), DEFS)) == {
        ("betpawa", 1): ("disagrees", 3, 2),
        ("sportybet", 1): ("disagrees", 3, 2),
    }
    # 1/21 = 0.048 vs 1/34 = 0.029: a factor of 1.6 but 0.019 apart: an ordinary long-shot spread
    long_shots = [_row("betpawa", 10, 9, 21.0), _row("sportybet", 10, 9, 34.0)]
    assert suspect_markets(_odds(long_shots), DEFS).height == 0


def test_a_suspect_market_is_shown_but_takes_no_part_in_best_price_rank_and_gap() -> None:
    rows = (
        _market("betpawa", (1.50, 4.20, 6.50))
        + _market("sportybet", (1.52, 4.10, 6.40))
        + _market("bet9ja", (6.50, 4.20, 1.50))
    )
    odds = _odds(rows)
    compared = side_by_side(compare_prices(odds, DEFS, suspects=suspect_markets(odds, DEFS)))
    home = compared.filter(pl.col("outcome") == 1).row(0, named=True)
    assert home["price_bet9ja"] == 6.50 and home["suspect_bet9ja"] is True
    assert home["suspect_betpawa"] is False
    # without the suspect 6.50, the best home price is SportyBet's 1.52, BetPawa second, 1.50/1.52 - 1 behind
    assert (home["best_price"], home["best_book"], home["betpawa_rank"]) == (1.52, "sportybet", 2)
    assert home["betpawa_gap"] == pytest.approx(1.50 / 1.52 - 1)
    assert home["books_offering"] == 2 and home["fair_books"] == 2
    unflagged = compare_prices(odds, DEFS).outcomes.filter(pl.col("outcome") == 1).row(0, named=True)
    assert (unflagged["best_book"], unflagged["books_offering"]) == ("bet9ja", 3)
