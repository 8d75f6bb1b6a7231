"""Which of a book's open outcomes another book prices openly under the same key: per book against its open
outcomes (keyed or not), the markets that meet on no other book, and per event and market family (summed per
hour, a drop then shows where it is)."""

from __future__ import annotations

import polars as pl

from palimpsest_pipeline.frames import ODDS_SCHEMA
from palimpsest_pipeline.markets.families import market_family
from palimpsest_pipeline.markets.grammar.canonical import DESCRIBED
from palimpsest_pipeline.transforms.input_checks import conform, require_not_null
from palimpsest_pipeline.transforms.odds_compare import OUTCOME_KEY, is_open_price

#: Each book's open outcomes, keyed or not (a parse's key account: unkeyed outcomes have no row).
OPEN_OUTCOMES_SCHEMA: dict[str, pl.DataType] = {"book": pl.String(), "open_outcomes": pl.Int64()}

BOOK_SHARING_SCHEMA: dict[str, pl.DataType] = {
    "book": pl.String(),
    "open_outcomes": pl.Int64(),
    "keyed_outcomes": pl.Int64(),
    "competitor_priced": pl.Int64(),
    "share": pl.Float64(),
}

LONE_MARKETS_SCHEMA: dict[str, pl.DataType] = {
    "book": pl.String(),
    "market": pl.String(),
    "family": pl.String(),
    "outcomes": pl.Int64(),
}

FAMILY_SHARING_SCHEMA: dict[str, pl.DataType] = {
    "sr_id": pl.Int64(),
    "book": pl.String(),
    "family": pl.String(),
    "hour": pl.Datetime("us", "UTC"),
    "keyed_outcomes": pl.Int64(),
    "competitor_priced": pl.Int64(),
}


def competitor_priced(odds: pl.DataFrame) -> pl.DataFrame:
    """Every book's open outcomes (``ODDS_SCHEMA``, each key once per book) with ``competitor_priced``: true
    when another book prices the same (sr_id, market, specifier, outcome) openly, and its ``family``."""
    frame = conform(odds, ODDS_SCHEMA, "odds")
    require_not_null(frame, ("sr_id", "book", "market", "specifier", "outcome", "state"), "odds")
    open_rows = frame.filter(is_open_price()).unique(
        [*OUTCOME_KEY, "book"], keep="first", maintain_order=True
    )
    books = open_rows.group_by(OUTCOME_KEY).agg(pl.col("book").n_unique().alias("_books"))
    return (
        open_rows.join(books, on=list(OUTCOME_KEY), how="left")
        .with_columns((pl.col("_books") > 1).alias("competitor_priced"))
        .drop("_books")
        .join(_families(open_rows), on=["market", "specifier"], how="left")
    )


def book_sharing(odds: pl.DataFrame, open_outcomes: pl.DataFrame) -> pl.DataFrame:
    """Per book of ``open_outcomes`` (``OPEN_OUTCOMES_SCHEMA``): its open outcomes, those keyed, those another
    book prices under the same key, and their share of the open outcomes (``BOOK_SHARING_SCHEMA``)."""
    counted = conform(open_outcomes, OPEN_OUTCOMES_SCHEMA, "open_outcomes")
    require_not_null(counted, tuple(OPEN_OUTCOMES_SCHEMA), "open_outcomes")
    keyed = (
        competitor_priced(odds)
        .group_by("book")
        .agg(pl.len().alias("keyed_outcomes"), pl.col("competitor_priced").sum().alias("competitor_priced"))
    )
    return (
        counted.join(keyed, on="book", how="left")
        .with_columns(pl.col("keyed_outcomes", "competitor_priced").fill_null(0))
        .with_columns(
            pl.when(pl.col("open_outcomes") > 0)
            .then(pl.col("competitor_priced") / pl.col("open_outcomes"))
            .alias("share")
        )
        .select(pl.col(name).cast(dtype) for name, dtype in BOOK_SHARING_SCHEMA.items())
    )


def lone_markets(odds: pl.DataFrame) -> pl.DataFrame:
    """Per book, the markets (a UOF id, or a described market's ``market=``, every line together) with open
    outcomes of which no other book prices any under the same key, most outcomes first."""
    rows = competitor_priced(odds).with_columns(
        pl.when(pl.col("market") == DESCRIBED)
        .then(pl.col("specifier").str.extract(r"(?:^|\|)market=([^|]*)", 1))
        .otherwise(pl.col("market").cast(pl.String))
        .alias("_market")
    )
    return (
        rows.group_by("book", "_market", "family")
        .agg(pl.len().alias("outcomes"), pl.col("competitor_priced").any().alias("_met"))
        .filter(~pl.col("_met"))
        .rename({"_market": "market"})
        .select(pl.col(name).cast(dtype) for name, dtype in LONE_MARKETS_SCHEMA.items())
        .sort("book", "outcomes", "market", descending=[False, True, False])
    )


def family_sharing(odds: pl.DataFrame) -> pl.DataFrame:
    """Per event, book with an open price on it, and market family: the hour of the book's newest capture of
    the event (``captured_at``, suspended prices too), its open keyed outcomes and those another book of the
    frame prices openly under the same key (``FAMILY_SHARING_SCHEMA``)."""
    rows = competitor_priced(odds)
    frame = conform(odds, ODDS_SCHEMA, "odds")
    require_not_null(frame, ("captured_at",), "odds")
    newest = frame.group_by("sr_id", "book").agg(pl.col("captured_at").max().dt.truncate("1h").alias("hour"))
    return (
        rows.group_by("sr_id", "book", "family")
        .agg(pl.len().alias("keyed_outcomes"), pl.col("competitor_priced").sum().alias("competitor_priced"))
        .join(newest, on=["sr_id", "book"], how="left")
        .select(pl.col(name).cast(dtype) for name, dtype in FAMILY_SHARING_SCHEMA.items())
        .sort("sr_id", "book", "family")
    )


def _families(rows: pl.DataFrame) -> pl.DataFrame:
    """The family of each (market, specifier) of ``rows`` (``markets.families.market_family``), once each; a
    described market's family is read from its specifier, any other's from its id alone."""
    lines = rows.select(
        "market",
        "specifier",
        pl.when(pl.col("market") == DESCRIBED).then(pl.col("specifier")).otherwise(pl.lit("")).alias("_read"),
    ).unique()
    read = lines.select("market", "_read").unique()
    names = [market_family(m, s) for m, s in zip(read["market"], read["_read"], strict=True)]
    named = read.with_columns(pl.Series("family", names, dtype=pl.String()))
    return lines.join(named, on=["market", "_read"], how="left").drop("_read")
