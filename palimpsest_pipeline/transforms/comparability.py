"""How much of BetPawa's offer can be compared at all: the share of its open outcomes a competitor prices
under the same key (the rest is offered by nobody else, or a mapping to fix).
"""

from __future__ import annotations

import polars as pl

from palimpsest_pipeline.frames import BOOK_ORDER, ODDS_SCHEMA
from palimpsest_pipeline.transforms.input_checks import conform, require_not_null

COMPARABLE_SCHEMA: dict[str, pl.DataType] = {
    "sr_id": pl.Int64(),
    "betpawa_open": pl.Int64(),
    "comparable": pl.Int64(),
    "share": pl.Float64(),
}

_KEY = ["sr_id", "market", "specifier", "outcome"]


def comparable_share(odds: pl.DataFrame) -> pl.DataFrame:
    """Per SR id BetPawa prices: its open outcomes, how many a competitor also prices openly under the same
    key, and the share. Schema ``COMPARABLE_SCHEMA``; SR ids without a BetPawa open price are left out."""
    frame = conform(odds, ODDS_SCHEMA, "odds")
    require_not_null(frame, ("sr_id", "book", "market", "specifier", "outcome", "state"), "odds")
    open_prices = frame.filter((pl.col("state") == "open") & pl.col("price").is_not_null())
    betpawa = open_prices.filter(pl.col("book") == BOOK_ORDER[0]).select(_KEY).unique()
    competitors = open_prices.filter(pl.col("book") != BOOK_ORDER[0]).select(_KEY).unique()
    matched = betpawa.join(competitors, on=_KEY, how="semi")
    return (
        betpawa.group_by("sr_id")
        .len(name="betpawa_open")
        .join(matched.group_by("sr_id").len(name="comparable"), on="sr_id", how="left")
        .with_columns(pl.col("comparable").fill_null(0))
        .with_columns((pl.col("comparable") / pl.col("betpawa_open")).alias("share"))
        .select(pl.col(name).cast(dtype) for name, dtype in COMPARABLE_SCHEMA.items())
        .sort("sr_id")
    )
