"""Coverage tables: how much of the competitors' catalogue BetPawa also lists, per day and grouping level
(canonical keys), plain counts over the matches and their listings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.transforms.input_checks import FrameSchemaError, conform
from palimpsest_pipeline.transforms.matching import (
    LISTINGS_SCHEMA,
    MATCH_SCHEMA,
    STATUS_BETPAWA_ONLY,
    STATUS_COMPETITOR_ONLY,
    STATUS_MATCHED,
)

#: The grouping levels the pipeline materialises; each value is the ``by`` passed to ``coverage``.
COVERAGE_LEVELS: Mapping[str, tuple[str, ...]] = {
    "overall": (),
    "sport": ("sport",),
    "country": ("sport", "sr_category_id", "country"),
    "tournament": ("sport", "tournament_key"),
}

#: Coverage column -> the matched-table column it is read from (the canonical names, not the name source's).
_FROM_MATCHED: Mapping[str, str] = {
    "sport": "sport",
    "sr_category_id": "sr_category_id",
    "country": "canonical_country",
    "tournament_key": "tournament_key",
    "tournament": "canonical_tournament",
    "sr_tournament_id": "sr_tournament_id",
    "country_iso": "country_iso",
}
#: Columns ``coverage`` may group by.
GROUPABLE = ("sport", "sr_category_id", "country", "tournament_key", "tournament")
#: Descriptive columns that come with a grouping key (constant within its groups, so taken from any row).
DESCRIBED_BY: Mapping[str, tuple[str, ...]] = {
    "tournament_key": (
        "placed",
        "sr_tournament_id",
        "sr_category_id",
        "country",
        "tournament",
        "country_iso",
    ),
    "sr_category_id": ("country_iso",),
}
_DESCRIPTIVE_TYPES: Mapping[str, pl.DataType] = {
    "placed": pl.Boolean(),
    **{name: pl.String() for name in _FROM_MATCHED},
}

_COVERAGE_INPUT = {
    name: MATCH_SCHEMA[name]
    for name in (
        "kickoff_date",
        "match_key",
        "sr_id",
        *_FROM_MATCHED.values(),
        "status",
        "linked_by",
    )
}
_LISTINGS_INPUT = {name: LISTINGS_SCHEMA[name] for name in ("kickoff_date", "match_key", "book")}
_MATCH = ["kickoff_date", "match_key"]

#: Which matches each group metric counts (besides ``total``, which counts them all), in output order.
#: ``on_every_book`` reads the number of books of the site country (``_books``).
COUNTED_WHEN: Mapping[str, pl.Expr] = {
    "matched": pl.col("status") == STATUS_MATCHED,
    "betpawa_only": pl.col("status") == STATUS_BETPAWA_ONLY,
    "competitor_only": pl.col("status") == STATUS_COMPETITOR_ONLY,
    "several_competitors_only": ~pl.col("on_betpawa") & (pl.col("listed") >= 2),
    "on_every_book": pl.col("listed") == pl.col("_books"),
    "without_sr_id": pl.col("sr_id").is_null(),
    "linked_by_genius": pl.col("linked_by") == "genius",
}


def described(by: Sequence[str]) -> list[str]:
    """The descriptive columns that come with the keys ``by`` (those not already keys), in order."""
    out: list[str] = []
    for key in by:
        out.extend(name for name in DESCRIBED_BY.get(key, ()) if name not in by and name not in out)
    return out


def coverage_schema(by: Sequence[str], *, per_book: bool = False) -> dict[str, pl.DataType]:
    """Exact output schema of ``coverage`` (one row per group), or ``book_coverage`` (per group and book)."""
    keys = {"kickoff_date": pl.Date(), **{name: _DESCRIPTIVE_TYPES[name] for name in (*by, *described(by))}}
    if per_book:  # the figures of one book in one group
        books = ("events", "not_on_betpawa", "betpawa_not_on_it", "only_on_it")
        return {**keys, "book": pl.String(), **dict.fromkeys(books, pl.Int64())}
    counts = dict.fromkeys(("total", *COUNTED_WHEN), pl.Int64())
    return {**keys, **counts, **dict.fromkeys(("match_rate", "betpawa_coverage"), pl.Float64())}


def _matched_share(denominator: pl.Expr) -> pl.Expr:
    """matched / denominator as Float64, null when the denominator is 0."""
    return pl.when(denominator > 0).then(pl.col("matched").cast(pl.Float64) / denominator.cast(pl.Float64))


def _check_by(by: Sequence[str]) -> list[str]:
    keys = list(by)
    unknown = [name for name in keys if name not in GROUPABLE]
    if unknown or len(set(keys)) != len(keys):
        raise FrameSchemaError(f"coverage: by={keys} must be distinct columns from {list(GROUPABLE)}")
    return keys


def _matches(
    matches: pl.DataFrame, listings: pl.DataFrame, books: Sequence[str]
) -> tuple[pl.DataFrame, pl.DataFrame, list[str]]:
    """One row per match with the grouping columns, ``on_betpawa``, ``listed`` (books listing it) and
    ``_books`` (books of the site country); the listings checked; the site country's books (those given and
    any other the listings name, BetPawa first)."""
    listings = conform(listings, _LISTINGS_INPUT, "listings")
    named = set(books) | set(listings.get_column("book").unique().to_list()) | {Book.BETPAWA.value}
    all_books = [Book.BETPAWA.value, *sorted(named - {Book.BETPAWA.value})]
    frame = conform(matches, _COVERAGE_INPUT, "matches").with_columns(
        *(pl.col(source).alias(name) for name, source in _FROM_MATCHED.items() if name != source),
        pl.col("sr_tournament_id").is_not_null().alias("placed"),
    )
    flags = listings.group_by(_MATCH).agg(
        on_betpawa=(pl.col("book") == Book.BETPAWA.value).any(),
        listed=pl.col("book").n_unique().cast(pl.Int64),
    )
    frame = frame.join(flags, on=_MATCH, how="left").with_columns(
        pl.col("on_betpawa").fill_null(False),
        pl.col("listed").fill_null(0),
        pl.lit(len(all_books), dtype=pl.Int64).alias("_books"),
    )
    return frame, listings, all_books


def coverage(
    matches: pl.DataFrame, listings: pl.DataFrame, by: Sequence[str], books: Sequence[str] = ()
) -> pl.DataFrame:
    """Coverage counts per ``kickoff_date`` + ``by``; schema ``coverage_schema(by)``, sorted by the keys,
    nulls last; ``books`` decide ``on_every_book``; rates null on an empty denominator."""
    keys = ["kickoff_date", *_check_by(by)]
    frame, _, _ = _matches(matches, listings, books)
    counts = frame.group_by(keys).agg(
        *(pl.col(name).first() for name in described(by)),
        pl.len().alias("total"),
        *(predicate.cast(pl.Int64).sum().alias(name) for name, predicate in COUNTED_WHEN.items()),
    )
    return (
        counts.with_columns(
            _matched_share(pl.col("total")).alias("match_rate"),
            _matched_share(pl.col("matched") + pl.col("competitor_only")).alias("betpawa_coverage"),
        )
        .select(pl.col(name).cast(dtype) for name, dtype in coverage_schema(by).items())
        .sort(keys, nulls_last=True)
    )


def book_coverage(
    matches: pl.DataFrame, listings: pl.DataFrame, by: Sequence[str], books: Sequence[str] = ()
) -> pl.DataFrame:
    """Per ``kickoff_date`` + ``by`` and every book of the site country: the matches it lists, those BetPawa
    does not, those BetPawa lists and it does not, and those it alone lists."""
    keys = ["kickoff_date", *_check_by(by)]
    group = [*keys, *described(by)]
    frame, listed, all_books = _matches(matches, listings, books)
    per_listing = listed.join(frame.select(*_MATCH, *group[1:], "on_betpawa", "listed"), on=_MATCH)
    counts = per_listing.group_by([*keys, "book"]).agg(
        events=pl.len().cast(pl.Int64),
        not_on_betpawa=(~pl.col("on_betpawa")).cast(pl.Int64).sum(),
        only_on_it=(pl.col("listed") == 1).cast(pl.Int64).sum(),
    )
    grid = (
        frame.group_by(keys)
        .agg(*(pl.col(name).first() for name in described(by)), _betpawa_events=pl.col("on_betpawa").sum())
        .join(pl.DataFrame({"book": all_books}, schema={"book": pl.String()}), how="cross")
    )
    both = pl.col("events") - pl.col("not_on_betpawa")
    return (
        grid.join(counts, on=[*keys, "book"], how="left", nulls_equal=True)
        .with_columns(pl.col("events", "not_on_betpawa", "only_on_it").fill_null(0))
        .with_columns((pl.col("_betpawa_events") - both).alias("betpawa_not_on_it"))
        .select(pl.col(name).cast(dtype) for name, dtype in coverage_schema(by, per_book=True).items())
        .sort([*keys, "book"], nulls_last=True)
    )
