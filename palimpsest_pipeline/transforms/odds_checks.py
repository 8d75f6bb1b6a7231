"""Checks that catch a wrong market mapping without labelled data: a book's margin on a complete market is
small and positive (:func:`margin_check`); books price an outcome alike (:func:`price_check`). Each slice of
the input is screened on its own, then the check draws up the details over every screen.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import NamedTuple

import polars as pl

from palimpsest_pipeline.frames import (
    BOOK_MARKET_SCHEMA,
    BOOK_ORDER,
    OUTCOME_KEY_SCHEMA,
    OUTCOME_PRICE_SCHEMA,
    book_rank,
)
from palimpsest_pipeline.transforms.input_checks import conform, require_values
from palimpsest_pipeline.transforms.invariants import MAX_EXAMPLES, CheckResult

#: Default band for a book's margin on a complete main market. Real books sit around 3-15%; 25% leaves room
#: for thin markets (2nd-half lines, 3-way handicaps) while a swapped outcome lands far outside.
MARGIN_LOW = 0.0
MARGIN_HIGH = 0.25
#: Default largest max/min ratio between two books' open prices of one outcome.
PRICE_FACTOR = 1.5
#: Outcomes whose lowest open price is above this are not compared: books shade long shots very
#: differently (26.0 against 41.0 is ordinary), while a mapping error pairs a long shot with a short price,
#: whose lowest price stays under the ceiling and is still caught.
PRICE_CEILING = 10.0

MARGINS_INPUT_SCHEMA: dict[str, pl.DataType] = {**BOOK_MARKET_SCHEMA, "margin": pl.Float64()}


def main_market_ids(main_markets: Iterable[int]) -> list[int]:
    """The main market ids, sorted, each once."""
    ids = list(main_markets)
    wrong = [value for value in ids if isinstance(value, bool) or not isinstance(value, int)]
    if wrong:
        raise TypeError(f"main_markets: market ids must be integers, got {wrong[:5]}")
    return sorted(set(ids))


class Screened(NamedTuple):
    """What a check keeps of one slice of its input: rows checked, their books and the flagged rows. Every
    row is checked on its own, so the check over the slices' screens is the check over the whole range."""

    checked: int
    checked_books: frozenset[str]
    flagged: pl.DataFrame


_FLAGGED_MARGIN_SCHEMA: dict[str, pl.DataType] = {**MARGINS_INPUT_SCHEMA, "_outside": pl.Float64()}
_FLAGGED_PRICE_SCHEMA: dict[str, pl.DataType] = {
    **OUTCOME_KEY_SCHEMA,
    "high_book": pl.String(),
    "high_price": pl.Float64(),
    "low_book": pl.String(),
    "low_price": pl.Float64(),
    "ratio": pl.Float64(),
    "suspects": pl.List(pl.String()),
}


def screen_margins(
    margins: pl.DataFrame, main_markets: Iterable[int], low: float = MARGIN_LOW, high: float = MARGIN_HIGH
) -> Screened:
    """Flag each book's margin (``odds_compare.margins``) on a complete main market outside [low, high]."""
    _check_band(low, high)
    frame = conform(margins, MARGINS_INPUT_SCHEMA, "margins")
    require_values(frame, "book", BOOK_ORDER, "margins")
    checked = frame.filter(
        pl.col("margin").is_not_null() & pl.col("market").is_in(main_market_ids(main_markets))
    )
    outside = pl.max_horizontal(pl.lit(low) - pl.col("margin"), pl.col("margin") - pl.lit(high))
    flagged = checked.with_columns(outside.alias("_outside")).filter(pl.col("_outside") > 0)
    return Screened(checked.height, frozenset(checked.get_column("book").unique().to_list()), flagged)


def margin_check(
    screens: Iterable[Screened], low: float = MARGIN_LOW, high: float = MARGIN_HIGH
) -> CheckResult:
    """Every row the ``screens`` (``screen_margins``) flagged; ``details``: counts, ``band``, ``by_book`` and
    ``examples``, farthest outside first."""
    _check_band(low, high)
    checked, books, flagged = _gather(screens, _FLAGGED_MARGIN_SCHEMA)
    flagged = flagged.sort(
        "_outside", "sr_id", "market", "specifier", book_rank(), descending=[True, False, False, False, False]
    )
    examples = [
        {**row, "margin": round(row["margin"], 4)}
        for row in flagged.head(MAX_EXAMPLES)
        .select("sr_id", "market", "specifier", "book", "margin")
        .to_dicts()
    ]
    details = {
        "checked": checked,
        "flagged": flagged.height,
        "band": [low, high],
        "by_book": _counts_by_book(books, flagged.get_column("book")),
        "examples": examples,
    }
    return CheckResult(flagged.height == 0, details)


def _check_band(low: float, high: float) -> None:
    if not low < high:
        raise ValueError(f"margin band must have low < high, got [{low}, {high}]")


def screen_prices(
    comparison: pl.DataFrame, main_markets: Iterable[int], factor: float = PRICE_FACTOR
) -> Screened:
    """Flag each main-market outcome priced by two books or more, its lowest price at most ``PRICE_CEILING``,
    whose highest and lowest open prices differ by more than ``factor``."""
    _check_factor(factor)
    frame = conform(comparison, OUTCOME_PRICE_SCHEMA, "comparison")
    keys = ["sr_id", "market", "specifier", "outcome"]
    long = (
        frame.filter(pl.col("market").is_in(main_market_ids(main_markets)))
        .drop_nulls("price")
        .with_columns(book_rank().alias("_rank"))
    )
    spread = long.group_by(keys).agg(
        pl.len().alias("_books"),
        pl.col("book").sort_by("price", "_rank", descending=[True, False]).first().alias("high_book"),
        pl.col("price").max().alias("high_price"),
        pl.col("book").sort_by("price", "_rank").first().alias("low_book"),
        pl.col("price").min().alias("low_price"),
    )
    checked = spread.filter((pl.col("_books") >= 2) & (pl.col("low_price") <= PRICE_CEILING))
    flagged = checked.with_columns((pl.col("high_price") / pl.col("low_price")).alias("ratio")).filter(
        pl.col("ratio") > factor
    )
    suspects = _suspects(long.join(flagged.select(keys), on=keys, how="semi"), keys)
    flagged = flagged.join(suspects, on=keys, how="left").select(
        pl.col(name).cast(dtype) for name, dtype in _FLAGGED_PRICE_SCHEMA.items()
    )
    checked_books = long.join(checked.select(keys), on=keys, how="semi").get_column("book").unique()
    return Screened(checked.height, frozenset(checked_books.to_list()), flagged)


def price_check(screens: Iterable[Screened], factor: float = PRICE_FACTOR) -> CheckResult:
    """Every outcome the ``screens`` (``screen_prices``) flagged; ``by_book`` counts them against the book(s)
    farthest from the median; ``examples`` largest ratio first."""
    _check_factor(factor)
    checked, books, flagged = _gather(screens, _FLAGGED_PRICE_SCHEMA)
    flagged = flagged.sort(
        "ratio", "sr_id", "market", "specifier", "outcome", descending=[True, False, False, False, False]
    )
    examples = [
        {**row, "ratio": round(row["ratio"], 4)}
        for row in flagged.head(MAX_EXAMPLES).select(*_FLAGGED_PRICE_SCHEMA).to_dicts()
    ]
    details = {
        "checked": checked,
        "flagged": flagged.height,
        "factor": factor,
        "price_ceiling": PRICE_CEILING,
        "by_book": _counts_by_book(books, flagged.get_column("suspects").explode().drop_nulls()),
        "examples": examples,
    }
    return CheckResult(flagged.height == 0, details)


def _check_factor(factor: float) -> None:
    if not factor > 1.0:
        raise ValueError(f"price factor must be above 1, got {factor}")


def _gather(
    screens: Iterable[Screened], schema: dict[str, pl.DataType]
) -> tuple[int, set[str], pl.DataFrame]:
    """The screens' checked counts summed, their books united and their flagged rows in one frame."""
    checked = 0
    books: set[str] = set()
    flagged = [pl.DataFrame(schema=schema)]
    for screened in screens:
        checked += screened.checked
        books |= screened.checked_books
        flagged.append(screened.flagged.select(pl.col(name).cast(dtype) for name, dtype in schema.items()))
    return checked, books, pl.concat(flagged, how="vertical")


def _suspects(prices: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """Per outcome key, the book(s) whose price lies farthest from the median price (ratio-wise), in order:
    with two books, both."""
    log_price = pl.col("price").log()
    distance = (log_price - log_price.median().over(keys)).abs()  # median of logs: symmetric for two books
    return (
        prices.with_columns(distance.alias("_distance"))
        .filter(pl.col("_distance") >= pl.col("_distance").max().over(keys) - 1e-12)
        .sort("_rank")
        .group_by(keys, maintain_order=True)
        .agg(pl.col("book").alias("suspects"))
    )


def _counts_by_book(checked_books: Iterable[str], flagged_books: pl.Series) -> dict[str, int]:
    """Flagged count per book, with 0 for books that were checked and not flagged, in ``BOOK_ORDER``."""
    flagged = Counter(flagged_books.to_list())
    return {book: flagged[book] for book in BOOK_ORDER if book in flagged or book in checked_books}
