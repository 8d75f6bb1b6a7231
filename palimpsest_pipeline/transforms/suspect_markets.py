"""Markets whose prices cannot be true, most likely keyed wrong (a swapped outcome, a wrong line, a combined
market read as a simple one).

A book's market is suspect when, complete and open, its implied probabilities do not sum to a plausible
overround for its number of outcomes, or when one of its outcomes is priced by other books that all put its
implied probability far from this book's. A suspect market stays in the tables but takes no part in best
price, rank, gap or consensus (``odds_compare.compare_prices``).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from palimpsest_pipeline.transforms.odds_compare import (
    BOOK_MARKET_KEY,
    OUTCOME_KEY,
    fresh_open_prices,
    margins,
)

SUSPECT_SCHEMA: dict[str, pl.DataType] = {
    "sr_id": pl.Int64(),
    "market": pl.Int32(),
    "specifier": pl.String(),
    "book": pl.String(),
    "reason": pl.String(),
    "implied_sum": pl.Float64(),
    "outcomes_compared": pl.Int32(),
    "outcomes_disagreeing": pl.Int32(),
    "detail": pl.String(),
}

REASON_OVERROUND = "overround"
REASON_DISAGREES = "disagrees"


@dataclass(frozen=True)
class SuspectBounds:
    """What a true market looks like: an overround (implied sum - 1) between ``min_margin`` and the
    ceiling for its number of outcomes (``max_margin_by_outcomes``: (at most n outcomes, ceiling), in
    order), and implied probabilities within ``disagree_factor`` of another book's, or within
    ``disagree_min_gap`` of it (long shots differ by large factors and tiny probabilities)."""

    min_margin: float = -0.02
    max_margin_by_outcomes: tuple[tuple[int, float], ...] = ((3, 0.30), (12, 1.0), (1_000_000, 1.5))
    disagree_factor: float = 1.5
    disagree_min_gap: float = 0.05


def suspect_markets(
    odds: pl.DataFrame,
    market_defs: pl.DataFrame,
    stale_before: pl.DataFrame | None = None,
    bounds: SuspectBounds = SuspectBounds(),
) -> pl.DataFrame:
    """One row per suspect (sr_id, market, specifier, book); schema ``SUSPECT_SCHEMA``.

    ``reason`` is ``overround`` when the book's own prices fail (``implied_sum`` holds the sum), else
    ``disagrees``: ``outcomes_disagreeing`` of its ``outcomes_compared`` fresh open outcomes that other books
    price are far from every one of them.
    """
    ceiling = pl.lit(None, pl.Float64)
    for most, limit in reversed(bounds.max_margin_by_outcomes):
        ceiling = pl.when(pl.col("outcomes_expected") <= most).then(pl.lit(limit)).otherwise(ceiling)
    by_sum = (
        margins(odds, market_defs, stale_before)
        .filter(pl.col("margin").is_not_null())
        .filter((pl.col("margin") < bounds.min_margin) | (pl.col("margin") > ceiling))
        .select(*BOOK_MARKET_KEY, (pl.col("margin") + 1.0).alias("implied_sum"))
    )
    by_book = _disagreements(fresh_open_prices(odds, stale_before), bounds)
    return (
        by_book.join(by_sum, on=list(BOOK_MARKET_KEY), how="full", coalesce=True)
        .filter(pl.col("implied_sum").is_not_null() | (pl.col("outcomes_disagreeing") > 0))
        .with_columns(
            pl.when(pl.col("implied_sum").is_not_null())
            .then(pl.lit(REASON_OVERROUND))
            .otherwise(pl.lit(REASON_DISAGREES))
            .alias("reason"),
            pl.col("outcomes_compared").fill_null(0),
            pl.col("outcomes_disagreeing").fill_null(0),
            pl.lit(None, pl.String).alias("detail"),
        )
        .select(pl.col(name).cast(dtype) for name, dtype in SUSPECT_SCHEMA.items())
        .sort(*BOOK_MARKET_KEY)
    )


def _disagreements(fresh: pl.DataFrame, bounds: SuspectBounds) -> pl.DataFrame:
    """Per (sr_id, market, specifier, book): its fresh open outcomes that another book prices, and those of
    them whose implied probability is far from every other book's."""
    priced = fresh.select(*OUTCOME_KEY, "book", (1.0 / pl.col("price")).alias("p"))
    pairs = priced.join(priced, on=list(OUTCOME_KEY), suffix="_other").filter(
        pl.col("book") != pl.col("book_other")
    )
    low = pl.min_horizontal("p", "p_other")
    high = pl.max_horizontal("p", "p_other")
    far = (high > low * bounds.disagree_factor) & (high - low > bounds.disagree_min_gap)
    per_outcome = pairs.group_by(*OUTCOME_KEY, "book").agg(far.all().alias("far_from_all"))
    return per_outcome.group_by(BOOK_MARKET_KEY).agg(
        pl.len().alias("outcomes_compared"), pl.col("far_from_all").sum().alias("outcomes_disagreeing")
    )
