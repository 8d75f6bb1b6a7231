"""Putting matches and coverage rows on the canonical tournaments of the crosswalk: a match not placed by the
tournament-keys book takes BetPawa's placement, else another book's, else keeps its own tournament.
"""

from __future__ import annotations

import polars as pl

from palimpsest_pipeline.books.kits import TOURNAMENT_KEYS_BOOK
from palimpsest_pipeline.frames import COUNTRY_CROSSWALK_SCHEMA, CROSSWALK_SCHEMA
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.transforms.crosswalk import iso_of
from palimpsest_pipeline.transforms.input_checks import conform
from palimpsest_pipeline.transforms.matching import LISTINGS_SCHEMA, MATCH_SCHEMA


def placing_books(books: list[str]) -> list[str]:
    """The books whose crosswalk placement places a match the tournament-keys book does not list, in order of
    precedence: BetPawa, then the others by name (that book's own tournament ids are the canonical ones)."""
    others = sorted(set(books) - {Book.BETPAWA.value, TOURNAMENT_KEYS_BOOK.value})
    return [Book.BETPAWA.value, *others]


def place_matches(
    matches: pl.DataFrame, listings: pl.DataFrame, crosswalk: pl.DataFrame, countries: pl.DataFrame
) -> pl.DataFrame:
    """``matches`` (``MATCH_SCHEMA``, same rows and order) with their canonical tournament and country filled
    from the crosswalks, the books' own tournaments read from their ``listings``."""
    frame = conform(matches, MATCH_SCHEMA, "matches")
    listed = conform(
        listings, {name: LISTINGS_SCHEMA[name] for name in ("match_key", "book", "tournament_id")}, "listings"
    )
    cross = conform(crosswalk, CROSSWALK_SCHEMA, "crosswalk").filter(pl.col("sr_tournament_id").is_not_null())
    placing = placing_books(listed.get_column("book").unique().to_list())
    for book in placing:
        lookup = (
            listed.filter(pl.col("book") == book)
            .join(cross.filter(pl.col("book") == book), on="tournament_id", how="inner")
            .select("match_key", pl.col("sr_tournament_id").alias(f"_sr_{book}"))
        )
        frame = frame.join(lookup, on="match_key", how="left", maintain_order="left")
    frame = frame.with_columns(
        pl.coalesce("sr_tournament_id", *(f"_sr_{book}" for book in placing)).alias("sr_tournament_id")
    )
    canonical = cross.filter(
        (pl.col("book") == TOURNAMENT_KEYS_BOOK.value)
        & (pl.col("tournament_id") == pl.col("sr_tournament_id"))
    ).select(
        "sr_tournament_id",
        pl.col("canonical_tournament").alias("_c_tournament"),
        pl.col("sr_category_id").alias("_c_category"),
        pl.col("canonical_country").alias("_c_country"),
    )
    frame = frame.join(canonical, on="sr_tournament_id", how="left", maintain_order="left").with_columns(
        pl.coalesce("sr_tournament_id", "tournament_key").alias("tournament_key"),
        pl.coalesce("_c_tournament", "canonical_tournament").alias("canonical_tournament"),
        pl.coalesce("_c_category", "sr_category_id").alias("sr_category_id"),
        pl.when(pl.col("_c_category").is_not_null())
        .then(pl.col("_c_country"))
        .otherwise(pl.col("canonical_country"))
        .alias("canonical_country"),
    )
    placed_countries = conform(countries, COUNTRY_CROSSWALK_SCHEMA, "country crosswalk").select(
        pl.col("book").alias("name_source"),
        "sport",
        "country",
        pl.col("sr_category_id").alias("_k_category"),
        pl.col("canonical_country").alias("_k_country"),
    )
    frame = frame.join(
        placed_countries, on=["name_source", "sport", "country"], how="left", maintain_order="left"
    ).with_columns(
        pl.coalesce("sr_category_id", "_k_category").alias("sr_category_id"),
        pl.when(pl.col("sr_category_id").is_null() & pl.col("_k_category").is_not_null())
        .then(pl.col("_k_country"))
        .otherwise(pl.col("canonical_country"))
        .alias("canonical_country"),
    )
    return frame.with_columns(
        pl.when(pl.col("sr_category_id").is_not_null()).then(iso_of(frame)).alias("country_iso")
    ).select(pl.col(n).cast(t) for n, t in MATCH_SCHEMA.items())


def book_tournaments(book_rows: pl.DataFrame, crosswalk: pl.DataFrame) -> pl.DataFrame:
    """Per-book coverage rows of the tournament level plus the book's own id and name of the tournament: of
    a placed row, the book's tournament with the most agreeing votes; of an unplaced row, its book's own."""
    cross = conform(crosswalk, CROSSWALK_SCHEMA, "crosswalk").filter(pl.col("sr_tournament_id").is_not_null())
    best = (
        cross.sort(
            ["book", "sr_tournament_id", "agreeing", "events", "tournament_id"],
            descending=[False, False, True, True, False],
        )
        .group_by("book", "sr_tournament_id", maintain_order=True)
        .agg(
            pl.col("tournament_id").first().alias("_best_id"),
            pl.col("tournament_name").first().alias("_best_name"),
        )
    )
    prefix = pl.col("book") + pl.lit(":")
    own = pl.col("tournament_key").str.starts_with(prefix) & ~pl.col("placed")
    return (
        book_rows.join(best, on=["book", "sr_tournament_id"], how="left", maintain_order="left")
        .with_columns(
            pl.when(own)
            .then(pl.col("tournament_key").str.strip_prefix(prefix))
            .otherwise(pl.col("_best_id"))
            .alias("book_tournament_id"),
            pl.when(own)
            .then(pl.col("tournament"))
            .otherwise(pl.col("_best_name"))
            .alias("book_tournament_name"),
        )
        .drop("_best_id", "_best_name")
    )
