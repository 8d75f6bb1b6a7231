"""What each book offers: which markets on the events it lists (offered, suspended, or not offered at all)."""

from __future__ import annotations

import polars as pl

from palimpsest_pipeline.frames import BOOK_MARKET_SCHEMA, BOOK_ORDER, book_rank
from palimpsest_pipeline.transforms.input_checks import conform, require_not_null, require_values
from palimpsest_pipeline.transforms.odds_compare import (
    BOOK_MARKET_KEY,
    MARKET_KEY,
    is_open_price,
    validated_odds,
)

LISTED_SCHEMA: dict[str, pl.DataType] = {"sr_id": pl.Int64(), "book": pl.String()}

AVAILABILITY_SCHEMA: dict[str, pl.DataType] = {**BOOK_MARKET_SCHEMA, "availability": pl.String()}


def availability(odds: pl.DataFrame, listed: pl.DataFrame) -> pl.DataFrame:
    """Per (sr_id, market, specifier, book): offered, suspended or not_offered (``AVAILABILITY_SCHEMA``), an
    event's markets (any book's) crossed with every book listing it (``listed``, or having odds)."""
    frame = validated_odds(odds)
    events = conform(listed, LISTED_SCHEMA, "listed")
    require_not_null(events, LISTED_SCHEMA, "listed")
    require_values(events, "book", BOOK_ORDER, "listed")
    books = pl.concat([events, frame.select(list(LISTED_SCHEMA))]).unique()
    markets = frame.select(MARKET_KEY).unique()
    state = frame.group_by(BOOK_MARKET_KEY).agg(is_open_price().any().alias("_any_open"))
    return (
        markets.join(books, on="sr_id", how="inner")
        .join(state, on=list(BOOK_MARKET_KEY), how="left")
        .with_columns(
            pl.when(pl.col("_any_open").is_null())
            .then(pl.lit("not_offered"))
            .when(pl.col("_any_open"))
            .then(pl.lit("offered"))
            .otherwise(pl.lit("suspended"))
            .alias("availability")
        )
        .select(pl.col(name).cast(dtype) for name, dtype in AVAILABILITY_SCHEMA.items())
        .sort(*MARKET_KEY, book_rank())
    )
