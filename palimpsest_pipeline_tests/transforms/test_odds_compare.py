"""odds_compare: hand-computed examples, then every output recomputed in plain Python on random books."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

import polars as pl
import pytest

from palimpsest_pipeline.transforms._frames import FrameSchemaError
from palimpsest_pipeline.transforms.odds_compare import (
    AVAILABILITY_SCHEMA,
    COMPARE_SCHEMA,
    MARGINS_SCHEMA,
    ODDS_SCHEMA,
    availability,
    compare_prices,
    margins,
)

pytestmark = pytest.mark.filterwarnings("error")

BOOKS = ("betpawa", "sportybet", "bet9ja")
AT = datetime(2025, 3, 1, 12, tzinfo=UTC)
#: 1X2 and over/under are complete; double chance overlaps (not complete); market 999 is undefined.
DEFS = pl.DataFrame(
    {
        "market": [1, 1, 1, 18, 18, 10, 10, 10],
        "outcome": [1, 2, 3, 12, 13, 9, 10, 11],
        "complete": [True] * 5 + [False] * 3,
        "main": [True, True, True, True, True, False, False, False],
    }
)
DEF_OUTCOMES = {1: (1, 2, 3), 18: (12, 13), 10: (9, 10, 11)}
COMPLETE = {1, 18}


def _row(
    book: str, market: int, outcome: int, price: float | None, *, sr_id: int = 1, spec: str = ""
) -> dict:
    state = "open" if price is not None else "suspended"
    return {
        "sr_id": sr_id,
        "book": book,
        "market": market,
        "specifier": spec,
        "outcome": outcome,
        "price": price,
        "state": state,
        "captured_at": AT,
    }


def _odds(rows: list[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=ODDS_SCHEMA)


def _market(book: str, prices: tuple[float | None, ...], market: int = 1, **kw: Any) -> list[dict[str, Any]]:
    return [_row(book, market, o, p, **kw) for o, p in zip(DEF_OUTCOMES[market], prices, strict=True)]


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
    got = compare_prices(_odds(_market("bet9ja", prices)), DEFS)
    assert got.get_column("fair_price").to_list() == pytest.approx([2.0, 1 / 0.3, 5.0], rel=1e-12)
    assert got.get_column("fair_books").to_list() == [1, 1, 1]


def test_power_method_on_equal_two_way_prices_gives_evens() -> None:
    got = compare_prices(_odds(_market("betpawa", (1.90, 1.90), market=18, spec="total=2.5")), DEFS)
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
    got = compare_prices(_odds(rows), defs).get_column("fair_price").to_list()
    assert sum(1 / p for p in got) == pytest.approx(1.0, abs=1e-12)
    k = _bisection_exponent([1 / p for p in prices])
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
    got = compare_prices(_odds(rows), DEFS)
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
    got = {r["outcome"]: r for r in compare_prices(_odds(rows), DEFS).to_dicts()}
    # outcome 1: BetPawa ties SportyBet for best -> BetPawa is best, gap exactly 0, rank 1
    assert (got[1]["best_book"], got[1]["betpawa_gap"], got[1]["betpawa_rank"]) == ("betpawa", 0.0, 1)
    # outcome 2: SportyBet and Bet9ja tie above BetPawa -> SportyBet; dense rank 2, not 3
    assert (got[2]["best_book"], got[2]["best_price"], got[2]["betpawa_rank"]) == ("sportybet", 3.3, 2)
    assert got[2]["betpawa_gap"] == pytest.approx(3.2 / 3.3 - 1)
    assert got[3]["betpawa_rank"] == 2
    assert {r["books_offering"] for r in got.values()} == {3}


def test_missing_and_suspended_books() -> None:
    rows = _market("sportybet", (2.5, None, 3.1)) + _market("bet9ja", (2.6, None, 3.0))
    rows.append(_row("betpawa", 1, 3, None))  # BetPawa lists only outcome 3, suspended
    got = {r["outcome"]: r for r in compare_prices(_odds(rows), DEFS).to_dicts()}
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
    assert compare_prices(empty, DEFS).schema == pl.Schema(COMPARE_SCHEMA)
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
        compare_prices(_odds(odds_rows), defs)


# ---------------------------------------------------------------- random books vs plain Python


def _random_odds(seed: int, events: int = 60) -> tuple[list[dict[str, Any]], list[tuple[int, str]]]:
    """Odds of ``events`` matches on random subsets of books: gaps, suspensions, ties, mapping bugs."""
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    listed: list[tuple[int, str]] = []
    markets = [(1, ""), (18, "total=1.5"), (18, "total=2.5"), (10, ""), (999, "")]
    for sr_id in range(1, events + 1):
        books = [b for b in BOOKS if rng.random() < 0.8]
        listed += [(sr_id, b) for b in books]
        for market, spec in markets:
            outcomes = DEF_OUTCOMES.get(market, (1, 2))
            fair = [rng.uniform(0.5, 3.0) for _ in outcomes]
            fair = [f / sum(fair) for f in fair]
            for book in books:
                if rng.random() < 0.2:
                    continue  # book lacks the market
                margin = rng.uniform(0.0, 0.12)
                for outcome, q in zip(outcomes, fair, strict=True):
                    if rng.random() < 0.05:
                        continue  # book lacks the outcome
                    # rounding to 0.05 makes ties between books common
                    price = max(1.01, round(1 / (q * (1 + margin)) * 20) / 20)
                    state = "suspended" if rng.random() < 0.07 else "open"
                    rows.append(_row(book, market, outcome, price, sr_id=sr_id, spec=spec) | {"state": state})
                    if state == "open" and rng.random() < 0.02:
                        rows[-1]["price"] = None  # open without a price is not a price either
                if market == 1 and rng.random() < 0.03:
                    rows.append(_row(book, 1, 4, 7.5, sr_id=sr_id, spec=spec))  # a mapping bug
    return rows, listed


def _open(row: dict[str, Any]) -> bool:
    return row["state"] == "open" and row["price"] is not None


def _ref_margins(rows: list[dict[str, Any]]) -> dict[tuple[Any, ...], tuple[float | None, str | None]]:
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        groups[(r["sr_id"], r["market"], r["specifier"], r["book"])].append(r)
    out = {}
    for key, group in groups.items():
        market = key[1]
        present = {r["outcome"] for r in group}
        if market not in DEF_OUTCOMES:
            reason: str | None = "unknown_market"
        elif market not in COMPLETE:
            reason = "not_complete"
        elif present - set(DEF_OUTCOMES[market]):
            reason = "unknown_outcome"
        elif set(DEF_OUTCOMES[market]) - present:
            reason = "missing_outcome"
        elif not all(_open(r) for r in group):
            reason = "not_all_open"
        else:
            reason = None
        margin = sum(1 / r["price"] for r in group) - 1 if reason is None else None
        out[key] = (margin, reason)
    return out


def _bisection_exponent(implied: list[float]) -> float:
    """k with sum(p**k) == 1 by scalar bisection (a different algorithm from the Newton under test)."""
    lo, hi = 0.0, 1.0
    while sum(p**hi for p in implied) > 1:
        hi *= 2
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if sum(p**mid for p in implied) > 1 else (lo, mid)
    return (lo + hi) / 2


def _ref_compare(rows: list[dict[str, Any]]) -> dict[tuple[Any, ...], dict[str, Any]]:
    margin_of = _ref_margins(rows)
    by_outcome: dict[tuple[Any, ...], dict[str, dict[str, Any]]] = defaultdict(dict)
    fair_probs: dict[tuple[Any, ...], list[float]] = defaultdict(list)
    by_book_market: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_outcome[(r["sr_id"], r["market"], r["specifier"], r["outcome"])][r["book"]] = r
        by_book_market[(r["sr_id"], r["market"], r["specifier"], r["book"])].append(r)
    for key, group in by_book_market.items():
        if margin_of[key][0] is None:
            continue
        implied = [1 / r["price"] for r in group]
        k = _bisection_exponent(implied)
        for r, p in zip(group, implied, strict=True):
            fair_probs[(*key[:3], r["outcome"])].append(p**k)
    out = {}
    for key, on in by_outcome.items():
        prices = {b: r["price"] for b, r in on.items() if _open(r)}
        best = max(prices.values()) if prices else None
        best_book = next((b for b in BOOKS if prices.get(b) == best), None) if prices else None
        bp = prices.get("betpawa")
        distinct_above = {p for p in prices.values() if bp is not None and p > bp}
        probs = fair_probs.get(key, [])
        out[key] = {
            **{f"price_{b}": prices.get(b) for b in BOOKS},
            "best_price": best,
            "best_book": best_book,
            "betpawa_gap": bp / best - 1 if bp is not None and best is not None else None,
            "betpawa_rank": 1 + len(distinct_above) if bp is not None else None,
            "books_offering": len(prices),
            "fair_price": len(probs) / sum(probs) if probs else None,
            "fair_books": len(probs),
        }
    return out


@pytest.mark.parametrize("seed", [1, 2])
def test_margins_equal_reference(seed: int) -> None:
    rows, _ = _random_odds(seed)
    got = margins(_odds(rows), DEFS)
    expected = _ref_margins(rows)
    keyed = {(r["sr_id"], r["market"], r["specifier"], r["book"]): r for r in got.to_dicts()}
    assert keyed.keys() == expected.keys()
    for key, row in keyed.items():
        margin, reason = expected[key]
        assert row["reason"] == reason, key
        assert row["margin"] == (None if margin is None else pytest.approx(margin, rel=1e-12)), key
    assert {r for _, r in expected.values()} >= {None, "unknown_market", "not_complete", "missing_outcome"}


@pytest.mark.parametrize("seed", [1, 2])
def test_compare_prices_equal_reference(seed: int) -> None:
    rows, _ = _random_odds(seed)
    got = compare_prices(_odds(rows), DEFS)
    expected = _ref_compare(rows)
    assert got.schema == pl.Schema(COMPARE_SCHEMA)
    keyed = {(r["sr_id"], r["market"], r["specifier"], r["outcome"]): r for r in got.to_dicts()}
    assert keyed.keys() == expected.keys()
    for key, row in keyed.items():
        for column, want in expected[key].items():
            if isinstance(want, float):
                assert row[column] == pytest.approx(want, rel=1e-9), (key, column)
            else:
                assert row[column] == want, (key, column)
    gaps = got.get_column("betpawa_gap").drop_nulls()
    assert (gaps <= 0).all() and (gaps == 0).any() and (gaps < 0).any()
    assert set(got.get_column("betpawa_rank").drop_nulls()) == {1, 2, 3}
    ties = got.filter(pl.col("best_book") == "betpawa", pl.col("price_sportybet") == pl.col("best_price"))
    assert ties.height > 0, "the random world must contain ties"


def test_fair_probabilities_of_every_complete_market_sum_to_one() -> None:
    rows, _ = _random_odds(3)
    got = compare_prices(_odds(rows), DEFS).filter(pl.col("fair_price").is_not_null())
    sums = got.group_by("sr_id", "market", "specifier").agg((1 / pl.col("fair_price")).sum().alias("s"))
    assert sums.height > 50
    assert (sums.get_column("s") - 1).abs().max() < 1e-12  # type: ignore[operator]


@pytest.mark.parametrize("seed", [1, 2])
def test_availability_equals_reference(seed: int) -> None:
    rows, listed = _random_odds(seed)
    got = availability(_odds(rows), pl.DataFrame(listed, schema=["sr_id", "book"], orient="row"))
    books_of: dict[int, set[str]] = defaultdict(set)
    for sr_id, book in listed:
        books_of[sr_id].add(book)
    states: dict[tuple[Any, ...], list[bool]] = defaultdict(list)
    for r in rows:
        books_of[r["sr_id"]].add(r["book"])
        states[(r["sr_id"], r["market"], r["specifier"], r["book"])].append(_open(r))
    markets = {(r["sr_id"], r["market"], r["specifier"]) for r in rows}
    expected = {}
    for sr_id, market, spec in markets:
        for book in books_of[sr_id]:
            flags = states.get((sr_id, market, spec, book))
            expected[(sr_id, market, spec, book)] = (
                "not_offered" if flags is None else "offered" if any(flags) else "suspended"
            )
    assert {(r[0], r[1], r[2], r[3]): r[4] for r in got.rows()} == expected
    assert got.height == len(expected)
    assert set(expected.values()) == {"offered", "suspended", "not_offered"}
