"""Hand-made odds rows and market definitions shared by the ``odds_compare`` tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import polars as pl

from palimpsest_pipeline.frames import ODDS_SCHEMA, book_rank
from palimpsest_pipeline.transforms import odds_compare

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


def odds_row(
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


def odds_frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=ODDS_SCHEMA)


def bisection_exponent(implied: list[float]) -> float:
    """k with sum(p**k) == 1 by scalar bisection (a different algorithm from the Newton under test)."""
    lo, hi = 0.0, 1.0
    while sum(p**hi for p in implied) > 1:
        hi *= 2
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if sum(p**mid for p in implied) > 1 else (lo, mid)
    return (lo + hi) / 2


#: The columns of one book in ``side_by_side``, each suffixed with the book.
_BOOK_COLUMNS = ("price", "captured_at", "stale", "suspect")


def side_by_side(comparison: odds_compare.Comparison, books: Sequence[str] | None = None) -> pl.DataFrame:
    """``comparison`` one row per outcome with each book's columns side by side (``price_<book>``,
    ``captured_at_<book>``, ``stale_<book>``, ``suspect_<book>``), for ``books`` (default: those in it, in
    ``BOOK_ORDER``): the shape of the wide ``analytics.odds_comparison`` view, which the tests knew."""
    keys = list(odds_compare.OUTCOME_KEY)
    prices = comparison.prices
    if books is None:
        books = prices.select("book").unique().sort(book_rank()).get_column("book").to_list()
    wide = comparison.outcomes.drop("best_books")
    for book in books:
        columns = prices.filter(pl.col("book") == book).select(
            *keys, *(pl.col(name).alias(f"{name}_{book}") for name in _BOOK_COLUMNS)
        )
        wide = wide.join(columns, on=keys, how="left")
    ordered = [
        *keys,
        *(f"price_{b}" for b in books),
        *(name for name in odds_compare.OUTCOMES_SCHEMA if name not in (*keys, "best_books")),
        *(f"{name}_{b}" for name in _BOOK_COLUMNS[1:] for b in books),
    ]
    return wide.select(ordered).sort(keys)
