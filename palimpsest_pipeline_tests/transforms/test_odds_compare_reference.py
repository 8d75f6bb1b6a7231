"""odds_compare: every output recomputed in plain Python on random books."""

from __future__ import annotations

import random
from collections import defaultdict
from typing import Any

import polars as pl
import pytest

from palimpsest_pipeline.transforms.market_availability import availability
from palimpsest_pipeline.transforms.odds_compare import compare_prices, margins
from palimpsest_pipeline_tests.transforms.odds_frames import (
    BOOKS,
    COMPLETE,
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
        k = bisection_exponent(implied)
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
            "best_books": [b for b in BOOKS if prices.get(b) == best] if prices else None,
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
    compared = compare_prices(_odds(rows), DEFS)
    got = side_by_side(compared, BOOKS)
    expected = _ref_compare(rows)
    best_books = {
        (r["sr_id"], r["market"], r["specifier"], r["outcome"]): r["best_books"]
        for r in compared.outcomes.to_dicts()
    }
    keyed = {
        key: {**r, "best_books": best_books[key]}
        for r in got.to_dicts()
        if (key := (r["sr_id"], r["market"], r["specifier"], r["outcome"]))
    }
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
    got = compare_prices(_odds(rows), DEFS).outcomes.filter(pl.col("fair_price").is_not_null())
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
