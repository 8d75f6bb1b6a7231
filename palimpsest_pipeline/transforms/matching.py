"""Match the three books' events into one row per real-world match.

Events are matched only by SportRadar id: every book exposes it (see ../shared/PLATFORMS.md) and it is exact,
whereas fuzzy name matching silently pairs the wrong reserve/women's/youth fixtures. An event without an SR id
therefore matches nothing and stands alone under the key ``<book>:<event_id>``; the coverage tables count
those separately (``without_sr_id``) so the cost of the rule stays visible.

Descriptive fields (names, tournament, country, kick-off, sport) come from one "source" book per match,
BetPawa when it lists the match, else SportyBet, else Bet9ja: BetPawa is the book being measured, so its own
names are what its analysts recognise.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

import polars as pl

from palimpsest_pipeline.frames import EVENTS_SCHEMA
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.transforms._frames import (
    BOOK_ORDER,
    UTC_MICROS,
    FrameSchemaError,
    book_rank,
    conform,
    require_not_null,
    require_values,
)

# ``match_events`` reads frames in the canonical EVENTS_SCHEMA (what the warehouse returns and what a fresh
# scrape converts to); extra columns are ignored.

#: Exact output schema of ``match_events``, in column order.
MATCHED_SCHEMA: dict[str, pl.DataType] = {
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
    **{f"{book}_event_id": pl.String() for book in BOOK_ORDER},
    **{f"on_{book}": pl.Boolean() for book in BOOK_ORDER},
    "book_count": pl.Int16(),
    "status": pl.String(),
}

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


def _raise_on_duplicates(events: pl.DataFrame) -> None:
    dup_ids = duplicate_event_ids(events)
    if dup_ids.height:
        examples = [
            f"{r['book']}:{r['event_id']} x{r['events']}" for r in dup_ids.head(_MAX_EXAMPLES).to_dicts()
        ]
        raise DuplicateEventIdError(
            f"events: {dup_ids.height} (book, event_id) pair(s) appear more than once, e.g. {examples}"
        )
    dup_sr = duplicate_sr_ids(events)
    if dup_sr.height:
        first = dup_sr.row(0, named=True)
        raise DuplicateSrIdError(
            f"events: book {first['book']!r} lists SportRadar id {first['sr_id']} on "
            f"{first['events']} events {first['event_ids']}; an SR id may appear at most once per book "
            f"({dup_sr.height} such SR id(s) in total)"
        )


def _validated_events(events: pl.DataFrame) -> pl.DataFrame:
    frame = conform(events, EVENTS_SCHEMA, "events")
    require_not_null(frame, ("book", "event_id", "kickoff", "kickoff_date", "sport"), "events")
    require_values(frame, "book", BOOK_ORDER, "events")
    _raise_on_duplicates(frame)
    return frame


def match_key_expr() -> pl.Expr:
    """``sr:<id>`` when the event has an SR id, else ``<book>:<event_id>`` (a key nothing else can share)."""
    return (
        pl.when(pl.col("sr_id").is_not_null())
        .then(pl.lit("sr:") + pl.col("sr_id").cast(pl.String))
        .otherwise(pl.col("book") + pl.lit(":") + pl.col("event_id"))
        .alias("match_key")
    )


def match_events(events: pl.DataFrame) -> pl.DataFrame:
    """One row per match across the three books; schema ``MATCHED_SCHEMA``, sorted by date, kick-off, key.

    Raises ``DuplicateSrIdError`` when a book lists an SR id twice (which event would be "the" match is
    undecidable), ``DuplicateEventIdError`` for a repeated (book, event_id), and ``FrameSchemaError`` for a
    missing/mistyped column, a null key or an unknown book.
    """
    frame = _validated_events(events)
    on_book = {book: pl.col(f"{book}_event_id").is_not_null() for book in BOOK_ORDER}
    book_count = pl.sum_horizontal(*(flag.cast(pl.Int16) for flag in on_book.values())).cast(pl.Int16)
    competitor_present = pl.any_horizontal(*(on_book[b.value] for b in Book if b is not Book.BETPAWA))
    status = (
        pl.when(on_book[Book.BETPAWA.value] & competitor_present)
        .then(pl.lit(STATUS_MATCHED))
        .when(on_book[Book.BETPAWA.value])
        .then(pl.lit(STATUS_BETPAWA_ONLY))
        .otherwise(pl.lit(STATUS_COMPETITOR_ONLY))
    )
    grouped = (
        frame.with_columns(match_key_expr(), book_rank().alias("_rank"))
        # Polars keeps row order within each group, so after this sort ``first()`` is the source book's row.
        .sort("_rank", maintain_order=True)
        .group_by("match_key")
        .agg(
            pl.col("kickoff_date").first(),
            pl.col("sr_id").first(),
            pl.col("kickoff").first(),
            pl.col("sport").first(),
            pl.col("country").first(),
            pl.col("tournament_name").first().alias("tournament"),
            pl.col("home").first(),
            pl.col("away").first(),
            pl.col("book").first().alias("name_source"),
            *(
                pl.col("event_id").filter(pl.col("book") == book).first().alias(f"{book}_event_id")
                for book in BOOK_ORDER
            ),
        )
    )
    return (
        grouped.with_columns(
            *(flag.alias(f"on_{book}") for book, flag in on_book.items()),
            book_count.alias("book_count"),
            status.alias("status"),
        )
        .select(pl.col(name).cast(dtype) for name, dtype in MATCHED_SCHEMA.items())
        .sort("kickoff_date", "kickoff", "match_key")
    )


def keep_partition(matched: pl.DataFrame, dates: date | Iterable[date]) -> pl.DataFrame:
    """Rows of ``matched`` whose ``kickoff_date`` is one of ``dates``.

    Books can place a match on different dates around midnight, so a partition's assets match a window of
    dates (the partition plus its neighbours) and then keep only the matches dated inside the partition by
    their source book: each match then lands in exactly one partition, never zero or two.
    """
    if "kickoff_date" not in matched.columns:
        raise FrameSchemaError(f"matched: missing column 'kickoff_date'; got {matched.columns}")
    wanted: list[date] = [dates] if isinstance(dates, date) else list(dates)
    bad = [d for d in wanted if not isinstance(d, date) or isinstance(d, datetime)]
    if bad:
        raise TypeError(f"keep_partition: dates must be datetime.date values, got {bad[:_MAX_EXAMPLES]}")
    return matched.filter(pl.col("kickoff_date").is_in(pl.Series(wanted, dtype=pl.Date).implode()))
