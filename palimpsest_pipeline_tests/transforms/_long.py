"""Tests' bridge between the long frames (matches, listings; per-book coverage rows) and the wide shape of
Nigeria's three books the reference computations and hand counts are written in: pivot the listings into
one column per book, split a wide frame back, and pivot the per-book figures to the old names, so that
figures derived independently under those names are checked unchanged."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from palimpsest_pipeline.transforms.coverage import book_coverage, coverage, described
from palimpsest_pipeline.transforms.matching import MATCH_SCHEMA, match_events, match_listings

BOOKS = ("betpawa", "sportybet", "bet9ja")
COMPETITORS = ("sportybet", "bet9ja")
#: The wide matched frame, columns as analytics.matched_events has them.
WIDE_MATCHED_SCHEMA: dict[str, pl.DataType] = {
    **{name: MATCH_SCHEMA[name] for name in list(MATCH_SCHEMA)[:10]},
    **{f"{book}_event_id": pl.String() for book in BOOKS},
    **{f"on_{book}": pl.Boolean() for book in BOOKS},
    **{name: MATCH_SCHEMA[name] for name in ("book_count", "status", "genius_id", "linked_by")},
    **{f"{book}_tournament_id": pl.String() for book in BOOKS},
    **{name: MATCH_SCHEMA[name] for name in list(MATCH_SCHEMA)[14:]},
}
#: The old coverage tables' figures, in their order.
WIDE_METRICS = (
    "total",
    "matched",
    "betpawa_only",
    "competitor_only",
    "only_sportybet",
    "only_bet9ja",
    "sportybet_and_bet9ja_only",
    "on_all_three",
    "betpawa_events",
    "sportybet_events",
    "bet9ja_events",
    "sportybet_not_betpawa",
    "bet9ja_not_betpawa",
    "betpawa_not_sportybet",
    "betpawa_not_bet9ja",
    "without_sr_id",
    "linked_by_genius",
    "match_rate",
    "betpawa_coverage",
)


def wide(matches: pl.DataFrame, listings: pl.DataFrame) -> pl.DataFrame:
    """The matches with one event id, flag and tournament id column per book; schema
    ``WIDE_MATCHED_SCHEMA``, rows in the matches' order."""
    frame = matches
    for book in BOOKS:
        own = listings.filter(pl.col("book") == book).select(
            "kickoff_date",
            "match_key",
            pl.col("event_id").alias(f"{book}_event_id"),
            pl.col("tournament_id").alias(f"{book}_tournament_id"),
        )
        frame = frame.join(own, on=["kickoff_date", "match_key"], how="left", maintain_order="left")
    frame = frame.with_columns(pl.col(f"{book}_event_id").is_not_null().alias(f"on_{book}") for book in BOOKS)
    return frame.select(pl.col(name).cast(dtype) for name, dtype in WIDE_MATCHED_SCHEMA.items())


def wide_matched(events: pl.DataFrame) -> pl.DataFrame:
    """``match_events`` of ``events`` with its listings pivoted into the wide columns."""
    matches = match_events(events)
    return wide(matches, match_listings(events, matches))


def split(matched: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(matches, listings) of a wide matched frame; a frame without ``match_key`` gets one per row, and a
    book's listing is read from ``on_<book>`` (its event id from ``<book>_event_id`` when there is one)."""
    if "match_key" not in matched.columns:
        matched = matched.with_columns(("m" + pl.int_range(pl.len()).cast(pl.String)).alias("match_key"))
    listings = [
        matched.filter(pl.col(f"on_{book}")).select(
            "kickoff_date",
            "match_key",
            pl.lit(book).alias("book"),
            (
                pl.col(f"{book}_event_id")
                if f"{book}_event_id" in matched.columns
                else pl.lit(book) + pl.col("match_key")
            ).alias("event_id"),
        )
        for book in BOOKS
    ]
    return matched, pl.concat(listings)


def wide_coverage(matched: pl.DataFrame, by: Sequence[str]) -> pl.DataFrame:
    """The coverage of a wide matched frame under the old tables' column names, per kick-off date + ``by``."""
    matches, listings = split(matched)
    groups = coverage(matches, listings, by, BOOKS)
    per_book = book_coverage(matches, listings, by, BOOKS)
    keys = ["kickoff_date", *by]
    pivots = []
    for book in BOOKS:
        rows = per_book.filter(pl.col("book") == book)
        figures = [pl.col("events").alias(f"{book}_events")]
        if book in COMPETITORS:
            figures += [
                pl.col("not_on_betpawa").alias(f"{book}_not_betpawa"),
                pl.col("betpawa_not_on_it").alias(f"betpawa_not_{book}"),
                pl.col("only_on_it").alias(f"only_{book}"),
            ]
        pivots.append(rows.select(*keys, *figures))
    frame = groups.rename(
        {"several_competitors_only": "sportybet_and_bet9ja_only", "on_every_book": "on_all_three"}
    )
    for pivot in pivots:
        frame = frame.join(pivot, on=keys, how="left", nulls_equal=True, maintain_order="left")
    return frame.select(*keys, *described(by), *WIDE_METRICS)
