"""Markets whose prices cannot be true, most likely keyed wrong: on their own prices (``markets.checks``, the
overround), or when other books all put an outcome's probability far off. Shown, but compared in nothing.
"""

from __future__ import annotations

import polars as pl

from palimpsest_pipeline.frames import BOOK_MARKET_SCHEMA
from palimpsest_pipeline.markets.checks.bounds import SuspectBounds
from palimpsest_pipeline.markets.checks.verdicts import REASON_OVERROUND, REASON_PRIORITY
from palimpsest_pipeline.transforms.odds_compare import (
    BOOK_MARKET_KEY,
    OUTCOME_KEY,
    fresh_open_prices,
    margins,
)

SUSPECT_SCHEMA: dict[str, pl.DataType] = {
    **BOOK_MARKET_SCHEMA,
    "reason": pl.String(),
    "implied_sum": pl.Float64(),
    "outcomes_compared": pl.Int32(),
    "outcomes_disagreeing": pl.Int32(),
    "detail": pl.String(),
}

REASON_DISAGREES = "disagrees"
#: The reason kept for a market suspect on several counts: the book's own prices first
#: (``markets.checks.verdicts.REASON_PRIORITY``), other books' last (they cannot say which book is wrong).
SUSPECT_PRIORITY = (*REASON_PRIORITY, REASON_DISAGREES)
_STORED_SCHEMA = {**BOOK_MARKET_SCHEMA, "reason": pl.String(), "detail": pl.String()}


def suspect_markets(
    odds: pl.DataFrame,
    market_defs: pl.DataFrame,
    stale_before: pl.DataFrame | None = None,
    single_book: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """One row per suspect (sr_id, market, specifier, book) that ``odds`` prices, ``SUSPECT_SCHEMA``, with the
    first reason of ``SUSPECT_PRIORITY``; a market suspect on its own prices is no other book's yardstick.
    ``single_book``: the stored single-book suspects (key, reason, detail) of those events."""
    bounds = SuspectBounds()
    ceiling = pl.lit(None, pl.Float64)
    for most, limit in reversed(bounds.max_margin_by_outcomes):
        ceiling = pl.when(pl.col("outcomes_expected") <= most).then(pl.lit(limit)).otherwise(ceiling)
    by_sum = (
        margins(odds, market_defs, stale_before)
        .filter(pl.col("margin").is_not_null())
        .filter((pl.col("margin") < bounds.min_margin) | (pl.col("margin") > ceiling))
        .select(
            *BOOK_MARKET_KEY,
            pl.lit(REASON_OVERROUND).alias("reason"),
            pl.lit(None, pl.String).alias("detail"),
        )
    )
    stored = pl.DataFrame(schema=_STORED_SCHEMA) if single_book is None else single_book
    fresh = fresh_open_prices(odds, stale_before)
    own = pl.concat(
        [stored.select(pl.col(n).cast(t) for n, t in _STORED_SCHEMA.items()), by_sum], how="vertical_relaxed"
    )
    by_book = _disagreements(fresh.join(own, on=list(BOOK_MARKET_KEY), how="anti"), bounds).filter(
        pl.col("outcomes_disagreeing") > 0
    )
    implied = (
        fresh_open_prices(odds)
        .group_by(BOOK_MARKET_KEY)
        .agg((1.0 / pl.col("price")).sum().alias("implied_sum"))
    )
    rank = {reason: position for position, reason in enumerate(SUSPECT_PRIORITY)}
    found = pl.concat(
        [own, by_book.select(*BOOK_MARKET_KEY, pl.lit(REASON_DISAGREES).alias("reason"))],
        how="diagonal_relaxed",
    )
    return (
        found.with_columns(pl.col("reason").replace_strict(rank, return_dtype=pl.Int32).alias("_rank"))
        .sort(*BOOK_MARKET_KEY, "_rank", pl.col("detail").is_null())
        .unique(subset=list(BOOK_MARKET_KEY), keep="first", maintain_order=True)
        .drop("outcomes_compared", "outcomes_disagreeing", strict=False)
        .join(by_book, on=list(BOOK_MARKET_KEY), how="left")
        .join(implied, on=list(BOOK_MARKET_KEY), how="inner")  # a market no longer priced is not shown
        .with_columns(
            pl.col("outcomes_compared").fill_null(0),
            pl.col("outcomes_disagreeing").fill_null(0),
            pl.when(pl.col("reason") == REASON_DISAGREES)
            .then(pl.lit(None, pl.String))
            .otherwise(pl.col("detail"))
            .alias("detail"),
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
        pl.len().cast(pl.Int32).alias("outcomes_compared"),
        pl.col("far_from_all").sum().cast(pl.Int32).alias("outcomes_disagreeing"),
    )
