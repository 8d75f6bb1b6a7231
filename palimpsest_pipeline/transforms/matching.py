"""Match the books' events into one row per real-world match by provider ids only (names pair the wrong
reserve, women's or youth fixtures); descriptive fields come from the first listing book in ``Book`` order.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

import polars as pl

from palimpsest_pipeline.books.kits import TOURNAMENT_KEYS_BOOK
from palimpsest_pipeline.frames import BOOK_ORDER, EVENTS_SCHEMA, UTC_MICROS, book_rank
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.transforms.input_checks import (
    FrameSchemaError,
    conform,
    require_not_null,
    require_values,
)

#: Exact output schema of ``match_events``, in column order: what one match is, whichever books list it
#: (``analytics.matches``; which books list it, with their own ids, are rows of ``LISTINGS_SCHEMA``).
MATCH_SCHEMA: dict[str, pl.DataType] = {
    "kickoff_date": pl.Date(),
    "match_key": pl.String(),
    "sr_id": pl.Int64(),
    "kickoff": UTC_MICROS,
    "sport": pl.String(),
    "country": pl.String(),
    "tournament": pl.String(),
    "home": pl.String(),
    "away": pl.String(),
    "name_source": pl.String(),
    "book_count": pl.Int16(),
    "status": pl.String(),
    "genius_id": pl.Int64(),
    "linked_by": pl.String(),
    "tournament_key": pl.String(),
    "sr_tournament_id": pl.String(),
    "canonical_tournament": pl.String(),
    "sr_category_id": pl.String(),
    "canonical_country": pl.String(),
    "country_iso": pl.String(),
}
#: One row per match and book listing it: ``analytics.match_listings``.
LISTINGS_SCHEMA: dict[str, pl.DataType] = {
    "kickoff_date": pl.Date(),
    "match_key": pl.String(),
    "book": pl.String(),
    "event_id": pl.String(),
    "tournament_id": pl.String(),
}

#: SportyBet's tournament ids that are SportRadar tournament ids (the canonical key), and its category ids.
SR_TOURNAMENT_PATTERN = r"^sr:(simple_)?tournament:[0-9]+$"
SR_CATEGORY_PATTERN = r"^sr:category:[0-9]+$"

STATUS_MATCHED = "matched"
STATUS_BETPAWA_ONLY = "betpawa_only"
STATUS_COMPETITOR_ONLY = "competitor_only"

_MAX_EXAMPLES = 5


class DuplicateSrIdError(ValueError):
    """One book lists the same SportRadar id on more than one event, so the match would be ambiguous."""


class DuplicateEventIdError(ValueError):
    """One book's event id appears more than once in the input (the read was not deduplicated)."""


def duplicate_sr_ids(events: pl.DataFrame) -> pl.DataFrame:
    """Rows (book, sr_id, event_ids, events) for every SR id a book lists more than once; empty when clean."""
    frame = conform(events, {k: EVENTS_SCHEMA[k] for k in ("book", "event_id", "sr_id")}, "events")
    return (
        frame.filter(pl.col("sr_id").is_not_null())
        .group_by("book", "sr_id")
        .agg(pl.col("event_id").sort().alias("event_ids"), pl.len().cast(pl.Int64).alias("events"))
        .filter(pl.col("events") > 1)
        .sort("book", "sr_id")
    )


def duplicate_event_ids(events: pl.DataFrame) -> pl.DataFrame:
    """Rows (book, event_id, events) for every event id that appears more than once for its book."""
    frame = conform(events, {k: EVENTS_SCHEMA[k] for k in ("book", "event_id")}, "events")
    return (
        frame.group_by("book", "event_id")
        .agg(pl.len().cast(pl.Int64).alias("events"))
        .filter(pl.col("events") > 1)
        .sort("book", "event_id")
    )


def _validated_events(events: pl.DataFrame) -> pl.DataFrame:
    frame = conform(events, EVENTS_SCHEMA, "events")
    require_not_null(frame, ("book", "event_id", "kickoff", "kickoff_date", "sport"), "events")
    require_values(frame, "book", BOOK_ORDER, "events")
    dup_ids = duplicate_event_ids(frame)
    if dup_ids.height:
        examples = [
            f"{r['book']}:{r['event_id']} x{r['events']}" for r in dup_ids.head(_MAX_EXAMPLES).to_dicts()
        ]
        raise DuplicateEventIdError(
            f"events: {dup_ids.height} (book, event_id) pair(s) appear more than once, e.g. {examples}"
        )
    dup_sr = duplicate_sr_ids(frame)
    if dup_sr.height:
        first = dup_sr.row(0, named=True)
        raise DuplicateSrIdError(
            f"events: book {first['book']!r} lists SportRadar id {first['sr_id']} on "
            f"{first['events']} events {first['event_ids']}; an SR id may appear at most once per book "
            f"({dup_sr.height} such SR id(s) in total)"
        )
    return frame


def link_events(events: pl.DataFrame) -> pl.DataFrame:
    """The events (``EVENTS_SCHEMA``) plus their ``match_key``: ``sr:<id>`` by SR id; without one, through
    the Genius id, ``sr:<id>`` when the events sharing it carry exactly one SR id and the match has no event
    of its book yet, ``gs:<genius id>`` when none does; else ``<book>:<event_id>`` alone. ``via_genius``
    marks the events joined through the Genius id only; a Genius id a book repeats links nothing."""
    # the event's Genius id, null where its book lists that Genius id on more than one event (ambiguous)
    repeated = pl.len().over("book", "genius_id") > 1
    genius = pl.when(pl.col("genius_id").is_not_null() & ~repeated).then(pl.col("genius_id"))
    frame = _validated_events(events).with_columns(genius.alias("_genius"))
    sr_key = pl.lit("sr:") + pl.col("sr_id").cast(pl.String)
    targets = (
        frame.filter(pl.col("_genius").is_not_null() & pl.col("sr_id").is_not_null())
        .group_by("_genius")
        .agg(pl.col("sr_id").unique().alias("_srs"))
        .with_columns(pl.col("_srs").list.len().alias("_n_srs"), pl.col("_srs").list.first().alias("_target"))
    )
    sr_books = frame.filter(pl.col("sr_id").is_not_null()).select(
        sr_key.alias("_candidate"), pl.col("book"), pl.lit(True).alias("_taken")
    )
    candidate = (
        pl.when(pl.col("sr_id").is_not_null())
        .then(sr_key)
        .when(pl.col("_genius").is_not_null() & (pl.col("_n_srs") == 1))
        .then(pl.lit("sr:") + pl.col("_target").cast(pl.String))
        .when(pl.col("_genius").is_not_null() & pl.col("_n_srs").is_null())
        .then(pl.lit("gs:") + pl.col("_genius").cast(pl.String))
    )
    linked = (
        frame.join(targets, on="_genius", how="left")
        .with_columns(candidate.alias("_candidate"))
        .join(sr_books, on=["_candidate", "book"], how="left")
    )
    joins_by_genius = pl.col("sr_id").is_null() & pl.col("_candidate").is_not_null()
    # A book lists a match once: a Genius link into a match that already has this book's event is refused.
    refused = joins_by_genius & pl.col("_taken").fill_null(False)
    # A Genius id only one event carries links nothing: that event stands alone like any other.
    lone_genius = pl.col("_candidate").str.starts_with("gs:") & (pl.len().over("_candidate") == 1)
    refused = refused | lone_genius.fill_null(False)
    alone = pl.col("book") + pl.lit(":") + pl.col("event_id")
    return linked.with_columns(
        pl.when(pl.col("_candidate").is_null() | refused)
        .then(alone)
        .otherwise("_candidate")
        .alias("match_key"),
        (joins_by_genius & ~refused).alias("via_genius"),
    ).select(*EVENTS_SCHEMA, "match_key", "via_genius")


def match_events(events: pl.DataFrame) -> pl.DataFrame:
    """One row per match across the books; schema ``MATCH_SCHEMA``, sorted by date, kick-off, key. Raises
    ``DuplicateSrIdError`` when a book lists an SR id twice, ``DuplicateEventIdError`` for a repeated (book,
    event_id), ``FrameSchemaError`` for a missing/mistyped column, a null key or an unknown book."""
    linked = link_events(events)
    on_betpawa = pl.col("_on_betpawa")
    book_count = pl.col("_books").cast(pl.Int16)
    status = (
        pl.when(on_betpawa & pl.col("_competitor"))
        .then(pl.lit(STATUS_MATCHED))
        .when(on_betpawa)
        .then(pl.lit(STATUS_BETPAWA_ONLY))
        .otherwise(pl.lit(STATUS_COMPETITOR_ONLY))
    )
    keys_book = pl.col("book") == TOURNAMENT_KEYS_BOOK.value
    grouped = (
        linked.with_columns(book_rank().alias("_rank"))
        # Polars keeps row order within each group, so after this sort ``first()`` is the source book's row.
        .sort("_rank", maintain_order=True)
        .group_by("match_key")
        .agg(
            pl.col("kickoff_date").first(),
            pl.col("sr_id").drop_nulls().first(),
            pl.col("genius_id").drop_nulls().first(),
            pl.col("via_genius").any().alias("_via_genius"),
            pl.col("tournament_id").first().alias("_source_tournament_id"),
            pl.col("tournament_id").filter(keys_book).first().alias("_sr_tournament"),
            pl.col("tournament_name").filter(keys_book).first().alias("_sr_tournament_name"),
            pl.col("country_id").filter(keys_book).first().alias("_sr_category"),
            pl.col("country").filter(keys_book).first().alias("_sr_country"),
            pl.col("kickoff").first(),
            pl.col("sport").first(),
            pl.col("country").first(),
            pl.col("tournament_name").first().alias("tournament"),
            pl.col("home").first(),
            pl.col("away").first(),
            pl.col("book").first().alias("name_source"),
            (pl.col("book") == Book.BETPAWA.value).any().alias("_on_betpawa"),
            (pl.col("book") != Book.BETPAWA.value).any().alias("_competitor"),
            pl.col("book").n_unique().alias("_books"),
        )
    )
    linked_by = (
        pl.when(book_count == 1)
        .then(pl.lit(None, dtype=pl.String))
        .when(pl.col("_via_genius") | pl.col("match_key").str.starts_with("gs:"))
        .then(pl.lit("genius"))
        .otherwise(pl.lit("sportradar"))
    )
    placed_by_keys_book = pl.col("_sr_tournament").str.contains(SR_TOURNAMENT_PATTERN).fill_null(False)
    sr_category = pl.col("_sr_category").str.contains(SR_CATEGORY_PATTERN).fill_null(False)
    return (
        grouped.with_columns(
            book_count.alias("book_count"),
            status.alias("status"),
            linked_by.alias("linked_by"),
            pl.when(placed_by_keys_book).then(pl.col("_sr_tournament")).alias("sr_tournament_id"),
            pl.when(placed_by_keys_book)
            .then(pl.col("_sr_tournament"))
            .otherwise(pl.col("name_source") + pl.lit(":") + pl.col("_source_tournament_id"))
            .alias("tournament_key"),
            pl.when(placed_by_keys_book)
            .then(pl.col("_sr_tournament_name"))
            .otherwise(pl.col("tournament"))
            .alias("canonical_tournament"),
            pl.when(placed_by_keys_book & sr_category).then(pl.col("_sr_category")).alias("sr_category_id"),
            pl.when(placed_by_keys_book & sr_category)
            .then(pl.col("_sr_country"))
            .otherwise(pl.col("country"))
            .alias("canonical_country"),
            pl.lit(None, dtype=pl.String).alias("country_iso"),
        )
        .select(pl.col(name).cast(dtype) for name, dtype in MATCH_SCHEMA.items())
        .sort("kickoff_date", "kickoff", "match_key")
    )


def match_listings(events: pl.DataFrame, matches: pl.DataFrame) -> pl.DataFrame:
    """Which book lists each match of ``matches`` (``match_events`` of the same ``events``), with its own
    event and tournament ids: schema ``LISTINGS_SCHEMA``, dated by the match, sorted by date, key and book."""
    linked = link_events(events).select("match_key", "book", "event_id", "tournament_id")
    return (
        matches.select("match_key", "kickoff_date")
        .join(linked, on="match_key", how="inner")
        .select(pl.col(name).cast(dtype) for name, dtype in LISTINGS_SCHEMA.items())
        .sort("kickoff_date", "match_key", "book")
    )


def keep_partition(matched: pl.DataFrame, dates: date | Iterable[date]) -> pl.DataFrame:
    """Rows of ``matched`` whose ``kickoff_date`` is one of ``dates``: partitions match a window of dates
    (books date a match differently around midnight) and keep their own, so each lands in one partition."""
    if "kickoff_date" not in matched.columns:
        raise FrameSchemaError(f"matched: missing column 'kickoff_date'; got {matched.columns}")
    wanted: list[date] = [dates] if isinstance(dates, date) else list(dates)
    bad = [d for d in wanted if not isinstance(d, date) or isinstance(d, datetime)]
    if bad:
        raise TypeError(f"keep_partition: dates must be datetime.date values, got {bad[:_MAX_EXAMPLES]}")
    return matched.filter(pl.col("kickoff_date").is_in(pl.Series(wanted, dtype=pl.Date).implode()))
