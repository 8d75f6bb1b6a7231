"""odds_compare on hand-computed examples and bad input (random books against plain Python:
``test_odds_compare_reference.py``)."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

from palimpsest_pipeline.frames import ODDS_SCHEMA
from palimpsest_pipeline.transforms.input_checks import FrameSchemaError
from palimpsest_pipeline.transforms.market_availability import AVAILABILITY_SCHEMA, availability
from palimpsest_pipeline.transforms.odds_compare import (
    MARGINS_SCHEMA,
    OUTCOMES_SCHEMA,
    PRICES_SCHEMA,
    compare_prices,
    margins,
)
from palimpsest_pipeline_tests.transforms.odds_frames import (
    DEF_OUTCOMES,
    DEFS,
    bisection_exponent,
    side_by_side,
)
from palimpsest_pipeline_tests.transforms.odds_frames import (
    odds_frame as _odds,
)
from palimpsest_pipeline_tests.transforms.odds_frames import (
    odds_row as _row,
)

pytestmark = pytest.mark.filterwarnings("error")


def _market(book: str, prices: tuple[float | None, ...], market: int = 1, **kw: Any) -> list[dict[str, Any]]:
    return [_row(book, market, o, p, **kw) for o, p in zip(DEF_OUTCOMES[market], prices, strict=True)]


def _wide(odds: pl.DataFrame, defs: pl.DataFrame) -> pl.DataFrame:
    """The comparison side by side for the three books, as the old wide table had it."""
    return side_by_side(compare_prices(odds, defs), ("betpawa", "sportybet", "bet9ja"))


# ---------------------------------------------------------------- hand-computed examples


def test_margin_of_a_hand_computed_1x2() -> None:
    got = margins(_odds(_market("betpawa", (2.40, 3.30, 3.00))), DEFS)
    assert got.schema == pl.Schema(MARGINS_SCHEMA)
    (row,) = got.to_dicts()
    assert row["margin"] == pytest.approx(1 / 2.4 + 1 / 3.3 + 1 / 3.0 - 1)  # 0.0530303...
    assert row["margin"] == pytest.approx(0.0530303, abs=1e-7)
    assert (row["reason"], row["outcomes_expected"], row["outcomes_open"]) == (None, 3, 3)


@pytest.mark.parametrize(
    ("rows", "reason"),
    [
        (_market("sportybet", (2.4, None, 3.0)), "not_all_open"),
        (_market("sportybet", (2.4, 3.3, 3.0))[:2], "missing_outcome"),
        ([*_market("sportybet", (2.4, 3.3, 3.0)), _row("sportybet", 1, 4, 9.0)], "unknown_outcome"),
        (_market("sportybet", (1.3, 1.2, 1.25), market=10), "not_complete"),
        ([_row("sportybet", 999, 1, 1.9), _row("sportybet", 999, 2, 1.9)], "unknown_market"),
        # an open outcome without a price is not a price
        ([{**r, "state": "open"} for r in _market("sportybet", (2.4, None, 3.0))], "not_all_open"),
    ],
)
def test_margin_is_null_with_the_reason(rows: list[dict[str, Any]], reason: str) -> None:
    (row,) = margins(_odds(rows), DEFS).to_dicts()
    assert row["margin"] is None
    assert row["reason"] == reason


def test_power_method_recovers_known_fair_odds() -> None:
    # Book built from fair probabilities 0.5/0.3/0.2 with exponent 1/1.1: prices 1/q**(1/1.1).
    fair = (0.5, 0.3, 0.2)
    prices = tuple(1 / q ** (1 / 1.1) for q in fair)
    got = _wide(_odds(_market("bet9ja", prices)), DEFS)
    assert got.get_column("fair_price").to_list() == pytest.approx([2.0, 1 / 0.3, 5.0], rel=1e-12)
    assert got.get_column("fair_books").to_list() == [1, 1, 1]


def test_power_method_on_equal_two_way_prices_gives_evens() -> None:
    got = _wide(_odds(_market("betpawa", (1.90, 1.90), market=18, spec="total=2.5")), DEFS)
    assert got.get_column("fair_price").to_list() == pytest.approx([2.0, 2.0], rel=1e-12)


@pytest.mark.parametrize(
    ("prices", "fair"),
    [
        ((2.20, 2.20), (2.0, 2.0)),  # negative margin: Newton starts at k = 0, k < 1 stretches the odds back
        ((1.01, 60.0), None),  # extreme favourite
        ((1.5, 4.5, 9.0, 21.0, 51.0, 101.0), None),  # many outcomes, long shots
    ],
)
def test_power_method_on_unusual_books(prices: tuple[float, ...], fair: tuple[float, ...] | None) -> None:
    rows = [_row("sportybet", 1, o, p) for o, p in zip((1, 2, 3, 4, 5, 6), prices, strict=False)]
    defs = pl.DataFrame(
        {"market": [1] * len(prices), "outcome": list(range(1, len(prices) + 1))}
    ).with_columns(pl.lit(True).alias("complete"))
    got = _wide(_odds(rows), defs).get_column("fair_price").to_list()
    assert sum(1 / p for p in got) == pytest.approx(1.0, abs=1e-12)
    k = bisection_exponent([1 / p for p in prices])
    assert got == pytest.approx([1 / (1 / p) ** k for p in prices], rel=1e-9)
    if fair is not None:
        assert got == pytest.approx(list(fair), rel=1e-12)
    # prices are listed favourite first: the power method lengthens long shots' odds the most
    ratios = [f / p for f, p in zip(got, prices, strict=True)]
    assert ratios == pytest.approx(sorted(ratios), rel=1e-12)


def test_consensus_averages_fair_probabilities_and_they_sum_to_one() -> None:
    a = tuple(1 / q ** (1 / 1.1) for q in (0.5, 0.3, 0.2))
    b = tuple(1 / q ** (1 / 1.05) for q in (0.4, 0.3, 0.3))
    rows = _market("betpawa", a) + _market("sportybet", b) + _market("bet9ja", (2.0, None, 4.0))
    got = _wide(_odds(rows), DEFS)
    # bet9ja has a suspended outcome, so only two books define the consensus.
    assert got.get_column("fair_books").to_list() == [2, 2, 2]
    assert got.get_column("fair_price").to_list() == pytest.approx([1 / 0.45, 1 / 0.3, 1 / 0.25], rel=1e-12)
    assert sum(1 / p for p in got.get_column("fair_price")) == pytest.approx(1.0, abs=1e-12)


def test_best_price_ties_prefer_betpawa_then_sportybet() -> None:
    rows = (
        _market("betpawa", (2.50, 3.20, 3.00))
        + _market("sportybet", (2.50, 3.30, 3.10))
        + _market("bet9ja", (2.40, 3.30, 3.10))
    )
    got = {r["outcome"]: r for r in _wide(_odds(rows), DEFS).to_dicts()}
    # outcome 1: BetPawa ties SportyBet for best -> BetPawa is best, gap exactly 0, rank 1
    assert (got[1]["best_book"], got[1]["betpawa_gap"], got[1]["betpawa_rank"]) == ("betpawa", 0.0, 1)
    # outcome 2: SportyBet and Bet9ja tie above BetPawa -> SportyBet; dense rank 2, not 3
    assert (got[2]["best_book"], got[2]["best_price"], got[2]["betpawa_rank"]) == ("sportybet", 3.3, 2)
    assert got[2]["betpawa_gap"] == pytest.approx(3.2 / 3.3 - 1)
    assert got[3]["betpawa_rank"] == 2
    assert {r["books_offering"] for r in got.values()} == {3}


def test_every_book_at_the_best_price_is_named_best_book_first() -> None:
    rows = (
        _market("betpawa", (2.50, 3.20, 3.00))
        + _market("sportybet", (2.50, 3.30, 3.10))
        + _market("bet9ja", (2.40, 3.30, 3.20))
    )
    got = {r["outcome"]: r["best_books"] for r in compare_prices(_odds(rows), DEFS).outcomes.to_dicts()}
    assert got == {1: ["betpawa", "sportybet"], 2: ["sportybet", "bet9ja"], 3: ["bet9ja"]}


def test_one_price_row_per_open_price_only() -> None:
    # SportyBet prices the 1X2; Bet9ja lists the match (its over 2.5) but not the 1X2; BetPawa has outcome 3
    # suspended. A book gets a row only where it has an open price: four rows, none null.
    rows = [*_market("sportybet", (2.5, 3.2, 3.1)), _row("bet9ja", 18, 12, 1.9, spec="total=2.5")]
    rows.append(_row("betpawa", 1, 3, None))
    prices = compare_prices(_odds(rows), DEFS).prices
    by_key = {(r["market"], r["outcome"], r["book"]): r["price"] for r in prices.to_dicts()}
    assert by_key == {
        (1, 1, "sportybet"): 2.5,
        (1, 2, "sportybet"): 3.2,
        (1, 3, "sportybet"): 3.1,
        (18, 12, "bet9ja"): 1.9,
    }
    assert prices.get_column("captured_at").null_count() == 0


def test_missing_and_suspended_books() -> None:
    rows = _market("sportybet", (2.5, None, 3.1)) + _market("bet9ja", (2.6, None, 3.0))
    rows.append(_row("betpawa", 1, 3, None))  # BetPawa lists only outcome 3, suspended
    got = {r["outcome"]: r for r in _wide(_odds(rows), DEFS).to_dicts()}
    assert got[1]["price_betpawa"] is None
    assert (got[1]["betpawa_gap"], got[1]["betpawa_rank"]) == (None, None)
    assert (got[1]["best_book"], got[1]["books_offering"]) == ("bet9ja", 2)
    # nobody has outcome 2 open: the row stays, with nothing to compare
    assert (got[2]["best_price"], got[2]["best_book"], got[2]["books_offering"]) == (None, None, 0)
    assert (got[3]["price_betpawa"], got[3]["best_book"]) == (None, "sportybet")
    # no book prices the whole market -> no fair price
    assert all(r["fair_price"] is None and r["fair_books"] == 0 for r in got.values())


def test_availability_hand_example() -> None:
    rows = _market("betpawa", (2.4, 3.3, 3.0)) + _market(
        "sportybet", (None, None), market=18, spec="total=2.5"
    )
    rows += [_row("bet9ja", 10, 9, 1.3, sr_id=2)]  # bet9ja has odds for event 2 without listing it
    listed = pl.DataFrame({"sr_id": [1, 1, 1, 3], "book": ["betpawa", "sportybet", "bet9ja", "betpawa"]})
    got = availability(_odds(rows), listed)
    assert got.schema == pl.Schema(AVAILABILITY_SCHEMA)
    assert got.rows() == [
        (1, 1, "", "betpawa", "offered"),
        (1, 1, "", "sportybet", "not_offered"),
        (1, 1, "", "bet9ja", "not_offered"),
        (1, 18, "total=2.5", "betpawa", "not_offered"),
        (1, 18, "total=2.5", "sportybet", "suspended"),
        (1, 18, "total=2.5", "bet9ja", "not_offered"),
        (2, 10, "", "bet9ja", "offered"),
    ]


def test_empty_inputs_give_exact_schemas() -> None:
    empty = pl.DataFrame(schema=ODDS_SCHEMA)
    assert margins(empty, DEFS).schema == pl.Schema(MARGINS_SCHEMA)
    compared = compare_prices(empty, DEFS)
    assert compared.outcomes.schema == pl.Schema(OUTCOMES_SCHEMA)
    assert compared.prices.schema == pl.Schema(PRICES_SCHEMA)
    listed = pl.DataFrame({"sr_id": [1], "book": ["betpawa"]})
    got = availability(empty, listed)
    assert (got.height, got.schema) == (0, pl.Schema(AVAILABILITY_SCHEMA))


@pytest.mark.parametrize(
    ("odds_rows", "defs", "message"),
    [
        (_market("betpawa", (2.4, 3.3, 3.0)) * 2, DEFS, r"appear more than once.*betpawa sr_id=1 market=1"),
        (_market("betpawa", (2.4, 1.0, 3.0)), DEFS, r"not decimal odds above 1\.0, e\.g\. 1\.0 for betpawa"),
        (_market("betpawa", (2.4, float("nan"), 3.0)), DEFS, r"not decimal odds above 1\.0"),
        (
            [{**r, "state": "closed"} for r in _market("betpawa", (2.4, 3.3, 3.0))],
            DEFS,
            r"'state' has unknown value\(s\) \['closed'\]",
        ),
        (
            _market("betpawa", (2.4, 3.3, 3.0)),
            DEFS.with_columns(
                pl.when(pl.col("outcome") == 2).then(False).otherwise(pl.col("complete")).alias("complete")
            ),
            r"'complete' differs between outcomes of market\(s\) \[1\]",
        ),
        (
            _market("betpawa", (2.4, 3.3, 3.0)),
            DEFS.filter(pl.col("outcome") != 13),
            r"complete market\(s\) \[18\]",
        ),
        (
            _market("betpawa", (2.4, 3.3, 3.0)),
            pl.concat([DEFS, DEFS.head(1)]),
            r"\(market, outcome\) repeated",
        ),
        (_market("betpawa", (2.4, 3.3, 3.0)), DEFS.drop("complete"), r"market_defs: missing column"),
    ],
)
def test_bad_input_is_rejected(odds_rows: list[dict[str, Any]], defs: pl.DataFrame, message: str) -> None:
    with pytest.raises(FrameSchemaError, match=message):
        _wide(_odds(odds_rows), defs)
