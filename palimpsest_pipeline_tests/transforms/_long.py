"""Tests' bridge between the wide frame of ``match_events`` (one column per book of Nigeria's three) and the
long coverage frames: split the matches from their listings, and pivot the per-book figures back to the old
wide names so that figures derived by hand under those names are checked unchanged."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from palimpsest_pipeline.transforms.coverage import book_coverage, coverage, described

BOOKS = ("betpawa", "sportybet", "bet9ja")
COMPETITORS = ("sportybet", "bet9ja")
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
