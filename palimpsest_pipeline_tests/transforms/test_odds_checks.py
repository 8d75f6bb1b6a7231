"""odds_checks: a swapped outcome or a wrong line is caught, clean books pass, so does the captured trio."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from palimpsest_pipeline.books.saved_response import read_saved_response
from palimpsest_pipeline.frames import ODDS_SCHEMA
from palimpsest_pipeline.markets.definitions import market_definitions_frame
from palimpsest_pipeline.markets.vocabulary import MAIN_MARKETS
from palimpsest_pipeline.records import Book, OddsRow
from palimpsest_pipeline.transforms.input_checks import FrameSchemaError
from palimpsest_pipeline.transforms.invariants import MAX_EXAMPLES, CheckResult
from palimpsest_pipeline.transforms.odds_checks import (
    MARGIN_HIGH,
    MARGIN_LOW,
    PRICE_FACTOR,
    main_market_ids,
    margin_check,
    price_check,
    screen_margins,
    screen_prices,
)
from palimpsest_pipeline.transforms.odds_compare import compare_prices, margins

pytestmark = pytest.mark.filterwarnings("error")

AT = datetime(2026, 5, 6, 9, tzinfo=UTC)
CAPTURED = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "captured"
DEFS = market_definitions_frame()

#: One honest event: (market, specifier) -> outcome -> price per book (betpawa, sportybet, bet9ja).
CLEAN: dict[tuple[int, str], dict[int, tuple[float, float, float]]] = {
    (1, ""): {1: (1.60, 1.62, 1.58), 2: (4.00, 3.90, 4.10), 3: (5.50, 5.40, 5.60)},
    (10, ""): {9: (1.12, 1.13, 1.11), 10: (1.25, 1.24, 1.26), 11: (2.30, 2.25, 2.35)},
    (18, "total=2.5"): {12: (1.96, 1.98, 1.90), 13: (1.85, 1.81, 1.80)},
    (18, "total=3.5"): {12: (3.40, 3.33, 3.20), 13: (1.30, 1.31, 1.32)},
    (16, "hcp=-1.5"): {1714: (2.90, 2.85, 2.95), 1715: (1.40, 1.42, 1.38)},
    (16, "hcp=1.5"): {1714: (1.05, 1.06, 1.05), 1715: (8.50, 8.00, 8.80)},
    (45, ""): {274: (9.0, 30.0, 17.0)},  # correct score: not a main market, never checked
}
BOOKS = ("betpawa", "sportybet", "bet9ja")


def _odds(
    prices: dict[tuple[int, str], dict[int, tuple[float, float, float]]], sr_id: int = 1
) -> pl.DataFrame:
    rows = [
        {
            "sr_id": sr_id,
            "book": book,
            "market": market,
            "specifier": specifier,
            "outcome": outcome,
            "price": triple[index],
            "state": "open",
            "captured_at": AT,
        }
        for (market, specifier), outcomes in prices.items()
        for outcome, triple in outcomes.items()
        for index, book in enumerate(BOOKS)
    ]
    return pl.DataFrame(rows, schema=ODDS_SCHEMA)


def _with_bet9ja(
    change: dict[tuple[int, str], dict[int, float]],
) -> dict[tuple[int, str], dict[int, tuple[float, float, float]]]:
    """CLEAN with some of Bet9ja's prices replaced, as a broken Bet9ja mapping would produce."""
    prices = {key: dict(outcomes) for key, outcomes in CLEAN.items()}
    for key, outcomes in change.items():
        for outcome, price in outcomes.items():
            betpawa, sportybet, _ = prices[key][outcome]
            prices[key][outcome] = (betpawa, sportybet, price)
    return prices


def margins_out_of_band(
    frame: pl.DataFrame, main_markets: Iterable[int], low: float = MARGIN_LOW, high: float = MARGIN_HIGH
) -> CheckResult:
    """The margin check over one frame screened whole."""
    return margin_check([screen_margins(frame, main_markets, low, high)], low, high)


def price_disagreements(
    comparison: pl.DataFrame, main_markets: Iterable[int], factor: float = PRICE_FACTOR
) -> CheckResult:
    """The price check over one frame screened whole."""
    return price_check([screen_prices(comparison, main_markets, factor)], factor)


def _checks(odds: pl.DataFrame) -> tuple[CheckResult, CheckResult]:
    return (
        margins_out_of_band(margins(odds, DEFS), MAIN_MARKETS),
        price_disagreements(compare_prices(odds, DEFS).prices, MAIN_MARKETS),
    )


# ------------------------------------------------------------------ hand-made events


def test_clean_books_pass_both_checks() -> None:
    by_margin, by_price = _checks(_odds(CLEAN))
    assert by_margin.passed and by_price.passed
    # 1X2, two totals, two handicaps for each of three books (double chance is not complete)
    assert by_margin.details["checked"] == 5 * 3
    assert by_margin.details["by_book"] == {"betpawa": 0, "sportybet": 0, "bet9ja": 0}
    # 1X2, double chance, two totals, two handicaps (8.50/8.00/8.80 is under the ceiling): not correct score
    assert by_price.details["checked"] == 3 + 3 + 2 + 2 + 2 + 2
    assert by_price.details["examples"] == [] and by_margin.details["examples"] == []


def test_swapped_1x2_outcomes_are_caught_by_prices() -> None:
    """Home and away swapped: each outcome set still has a normal margin, but prices collide."""
    by_margin, by_price = _checks(_odds(_with_bet9ja({(1, ""): {1: 5.60, 3: 1.58}})))
    assert by_margin.passed  # a permutation keeps the margin: that is why two checks exist
    assert not by_price.passed
    assert by_price.details["flagged"] == 2
    # each flagged outcome counts against the odd one out of the three prices
    assert by_price.details["by_book"] == {"betpawa": 0, "sportybet": 0, "bet9ja": 2}
    worst = by_price.details["examples"][0]
    assert worst == {
        "sr_id": 1,
        "market": 1,
        "specifier": "",
        "outcome": 1,
        "high_book": "bet9ja",
        "high_price": 5.60,
        "low_book": "betpawa",
        "low_price": 1.60,
        "ratio": 3.5,
        "suspects": ["bet9ja"],
    }


def test_double_chance_in_the_wrong_order_is_caught() -> None:
    """The classic trap: 1X and X2 exchanged (BetPawa lists 1X, X2, 12)."""
    _, by_price = _checks(_odds(_with_bet9ja({(10, ""): {9: 2.35, 11: 1.11}})))
    assert not by_price.passed
    assert {(e["market"], e["outcome"]) for e in by_price.details["examples"]} == {(10, 9), (10, 11)}


def test_a_total_read_from_the_wrong_line_is_caught_by_both() -> None:
    """Bet9ja's over 2.5 taken from the 3.5 line: the 2.5 book loses its margin and disagrees in price."""
    by_margin, by_price = _checks(_odds(_with_bet9ja({(18, "total=2.5"): {12: 3.20}})))
    assert not by_margin.passed
    assert by_margin.details["flagged"] == 1
    assert by_margin.details["by_book"] == {"betpawa": 0, "sportybet": 0, "bet9ja": 1}
    (example,) = by_margin.details["examples"]
    assert example == {
        "sr_id": 1,
        "market": 18,
        "specifier": "total=2.5",
        "book": "bet9ja",
        "margin": round(1 / 3.20 + 1 / 1.80 - 1, 4),
    }
    assert example["margin"] < 0
    assert not by_price.passed
    assert [(e["specifier"], e["outcome"]) for e in by_price.details["examples"]] == [("total=2.5", 12)]


def test_a_handicap_with_the_wrong_sign_is_caught() -> None:
    """Bet9ja writing the away line as the home line: hcp=-1.5 and hcp=1.5 prices trade places."""
    prices = _with_bet9ja(
        {(16, "hcp=-1.5"): {1714: 1.05, 1715: 8.80}, (16, "hcp=1.5"): {1714: 2.95, 1715: 1.38}}
    )
    _, by_price = _checks(_odds(prices))
    assert not by_price.passed
    assert by_price.details["flagged"] == 4
    assert by_price.details["by_book"]["bet9ja"] == 4


def test_an_inflated_margin_is_caught() -> None:
    """An outcome from another market priced into 1X2 (far too short) pushes the margin over the band."""
    by_margin, _ = _checks(_odds(_with_bet9ja({(1, ""): {2: 1.80}})))
    assert not by_margin.passed
    assert by_margin.details["examples"][0]["margin"] > 0.25


def test_band_and_factor_are_parameters() -> None:
    odds = _odds(CLEAN)
    assert not margins_out_of_band(margins(odds, DEFS), MAIN_MARKETS, low=0.06, high=0.25).passed
    assert not price_disagreements(compare_prices(odds, DEFS).prices, MAIN_MARKETS, factor=1.01).passed


def test_long_shots_are_left_out_above_the_ceiling() -> None:
    odds = _odds({(1, ""): {1: (1.15, 1.14, 1.16), 2: (8.0, 8.5, 7.5), 3: (26.0, 41.0, 30.0)}})
    assert price_disagreements(compare_prices(odds, DEFS).prices, MAIN_MARKETS).passed
    # the same spread (41 / 26 = 1.58 > 1.5) with its lowest price under the 10.0 ceiling is flagged
    under = _odds({(1, ""): {1: (1.15, 1.14, 1.16), 2: (8.0, 8.5, 7.5), 3: (6.5, 10.25, 7.5)}})
    flagged = price_disagreements(compare_prices(under, DEFS).prices, MAIN_MARKETS)
    assert not flagged.passed and flagged.details["price_ceiling"] == 10.0
    assert flagged.details["examples"][0]["outcome"] == 3


def test_examples_are_capped_and_worst_first() -> None:
    events = [_odds(_with_bet9ja({(1, ""): {1: 5.0 + n / 10, 3: 1.58}}), sr_id=n) for n in range(1, 16)]
    by_price = price_disagreements(compare_prices(pl.concat(events), DEFS).prices, MAIN_MARKETS)
    assert by_price.details["flagged"] == 30
    examples = by_price.details["examples"]
    assert len(examples) == MAX_EXAMPLES
    ratios = [e["ratio"] for e in examples]
    assert ratios == sorted(ratios, reverse=True)
    assert examples[0]["sr_id"] == 15
    assert json.loads(json.dumps(by_price.details)) == by_price.details  # usable as metadata as-is


def test_screened_slice_by_slice_the_checks_equal_the_checks_over_the_whole() -> None:
    # Fifteen events, each its own slice; the worst of them (sr_id 15) comes last. Bet9ja's 1X2 is swapped
    # (outcomes 1 and 3 flagged) and its over 2.5 at 1.20 against 1.96 (ratio 1.63 > 1.4; margin
    # 1/1.20 + 1/1.80 - 1 = 0.389 > 0.2; its 1X2 margin stays in band, 0.07): counts, by_book and
    # worst-first examples all span slices.
    events = [
        _odds(_with_bet9ja({(1, ""): {1: 5.0 + n / 10, 3: 1.58}, (18, "total=2.5"): {12: 1.2}}), sr_id=n)
        for n in range(1, 16)
    ]
    whole = pl.concat(events)
    by_margin = margins_out_of_band(margins(whole, DEFS), MAIN_MARKETS, 0.0, 0.2)
    by_price = price_disagreements(compare_prices(whole, DEFS).prices, MAIN_MARKETS, 1.4)
    assert by_price.details["flagged"] == 15 * 3 and by_margin.details["flagged"] == 15
    assert by_margin.details["by_book"] == {"betpawa": 0, "sportybet": 0, "bet9ja": 15}
    assert by_price.details["examples"][0]["sr_id"] == 15
    margin_screens = [screen_margins(margins(e, DEFS), MAIN_MARKETS, 0.0, 0.2) for e in events]
    price_screens = [screen_prices(compare_prices(e, DEFS).prices, MAIN_MARKETS, 1.4) for e in events]
    assert margin_check(margin_screens, 0.0, 0.2) == by_margin
    assert price_check(price_screens, 1.4) == by_price
    # No slice at all: nothing checked, nothing flagged.
    assert margin_check([]) == margins_out_of_band(margins(whole.clear(), DEFS), MAIN_MARKETS)
    assert price_check([]).details["checked"] == 0 and price_check([]).passed


def test_with_two_books_both_are_suspects() -> None:
    odds = _odds(_with_bet9ja({(1, ""): {1: 5.60, 3: 1.58}})).filter(pl.col("book") != "sportybet")
    _, by_price = _checks(odds)
    assert by_price.details["by_book"] == {"betpawa": 2, "bet9ja": 2}
    assert {tuple(e["suspects"]) for e in by_price.details["examples"]} == {("betpawa", "bet9ja")}


def test_outcomes_priced_by_one_book_are_not_compared() -> None:
    odds = _odds(CLEAN).filter(pl.col("book") == "betpawa")
    _, by_price = _checks(odds)
    assert by_price.passed and by_price.details["checked"] == 0 and by_price.details["by_book"] == {}


def test_main_markets_are_a_set_of_ids() -> None:
    assert main_market_ids({18, 1}) == [1, 18]
    assert main_market_ids([18, 18, 1]) == [1, 18]
    odds = _odds(_with_bet9ja({(18, "total=2.5"): {12: 3.20}}))
    only_1x2 = margins_out_of_band(margins(odds, DEFS), {1})
    assert only_1x2.passed and only_1x2.details["checked"] == 3


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: margins_out_of_band(pl.DataFrame({"sr_id": [1]}), {1}),
            FrameSchemaError,
            "margins: missing",
        ),
        (lambda: price_disagreements(pl.DataFrame({"x": [1]}), {1}), FrameSchemaError, "comparison: missing"),
        (
            lambda: margins_out_of_band(margins(_odds(CLEAN), DEFS).with_columns(book=pl.lit("x")), {1}),
            FrameSchemaError,
            "margins: column 'book' has unknown value",
        ),
        (
            lambda: margins_out_of_band(margins(_odds(CLEAN), DEFS), {1}, low=0.3, high=0.2),
            ValueError,
            "low < high",
        ),
        (
            lambda: price_disagreements(compare_prices(_odds(CLEAN), DEFS).prices, {1}, factor=1.0),
            ValueError,
            "above 1",
        ),
        (lambda: main_market_ids({"1"}), TypeError, "integers"),  # type: ignore[arg-type]
    ],
)
def test_bad_arguments_are_named(call: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        call()


# ------------------------------------------------------------------ the captured trio sr68995116


def _odds_frame(rows: list[OddsRow]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "sr_id": r.sr_id,
                "book": r.book.value,
                "market": r.market,
                "specifier": r.specifier,
                "outcome": r.outcome,
                "price": r.price,
                "state": r.state,
                "captured_at": r.captured_at,
            }
            for r in rows
        ],
        schema=ODDS_SCHEMA,
    )


@pytest.fixture(scope="module")
def trio_odds() -> pl.DataFrame:
    files = {
        Book.SPORTYBET: "sportybet/event_sr68995116_prematch.json",
        Book.BETPAWA: "betpawa/v3_event_sr68995116_prematch.json",
        Book.BET9JA: "bet9ja/GetEvent_sr68995116_prematch.json",
    }
    rows: list[OddsRow] = []
    for book, relative in files.items():
        path = CAPTURED / relative
        if not path.exists():
            pytest.skip(f"captured responses not available ({path} is absent: ../shared is not mounted)")
        saved = read_saved_response(book, path, captured_at=AT)
        assert saved.sr_id == 68995116
        rows += saved.odds.rows
    return _odds_frame(rows)


def test_the_captured_trio_passes_both_checks_with_default_bounds(trio_odds: pl.DataFrame) -> None:
    by_margin = margins_out_of_band(margins(trio_odds, DEFS), MAIN_MARKETS)
    by_price = price_disagreements(compare_prices(trio_odds, DEFS).prices, MAIN_MARKETS)
    assert by_margin.passed, by_margin.details
    assert by_price.passed, by_price.details
    # not vacuous: every book has main markets checked
    assert by_margin.details["checked"] >= 100
    assert set(by_margin.details["by_book"]) == set(BOOKS)
    assert by_price.details["checked"] >= 80
    assert set(by_price.details["by_book"]) == set(BOOKS)


def test_a_swap_injected_into_the_trio_is_caught(trio_odds: pl.DataFrame) -> None:
    """The same real prices with Bet9ja's over/under exchanged on every total line."""
    swapped = trio_odds.with_columns(
        pl.when((pl.col("book") == "bet9ja") & (pl.col("market") == 18))
        .then(25 - pl.col("outcome"))  # 12 <-> 13
        .otherwise(pl.col("outcome"))
        .alias("outcome")
    )
    by_margin = margins_out_of_band(margins(swapped, DEFS), MAIN_MARKETS)
    by_price = price_disagreements(compare_prices(swapped, DEFS).prices, MAIN_MARKETS)
    assert by_margin.passed  # a swap inside one market keeps each book's margin
    assert not by_price.passed
    assert by_price.details["by_book"]["bet9ja"] == by_price.details["flagged"]
    assert {e["market"] for e in by_price.details["examples"]} == {18}
