"""Canonical records as Polars frames, one exact schema per record type, so a fresh scrape's frame and one
read back from Postgres are interchangeable; and the books' precedence order."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from palimpsest_pipeline.records import Book, Event

#: Book keys in precedence order (``records.Book``'s), for "first book wins" rules (name source, ties).
BOOK_ORDER: tuple[str, ...] = tuple(book.value for book in Book)

UTC_MICROS = pl.Datetime("us", "UTC")

EVENTS_SCHEMA: dict[str, pl.DataType] = {
    "book": pl.String(),
    "event_id": pl.String(),
    "sr_id": pl.Int64(),
    "home": pl.String(),
    "away": pl.String(),
    "kickoff": pl.Datetime("us", "UTC"),
    "kickoff_date": pl.Date(),
    "tournament_id": pl.String(),
    "tournament_name": pl.String(),
    "country": pl.String(),
    "sport": pl.String(),
    "genius_id": pl.Int64(),
    "country_id": pl.String(),
}


#: Canonical odds rows (``records.OddsRow``) as the current-odds read returns them.
ODDS_SCHEMA: dict[str, pl.DataType] = {
    "sr_id": pl.Int64(),
    "book": pl.String(),
    "market": pl.Int32(),
    "specifier": pl.String(),
    "outcome": pl.Int32(),
    "price": pl.Float64(),
    "state": pl.String(),
    "captured_at": pl.Datetime("us", "UTC"),
}


#: A market of a match, then one book's market and one outcome of it: the keys comparison frames start with.
MARKET_KEY_SCHEMA: dict[str, pl.DataType] = {
    "sr_id": pl.Int64(),
    "market": pl.Int32(),
    "specifier": pl.String(),
}
BOOK_MARKET_SCHEMA: dict[str, pl.DataType] = {**MARKET_KEY_SCHEMA, "book": pl.String()}
OUTCOME_KEY_SCHEMA: dict[str, pl.DataType] = {**MARKET_KEY_SCHEMA, "outcome": pl.Int32()}

#: One book's price of one outcome of a match: the columns a frame of compared prices starts with.
OUTCOME_PRICE_SCHEMA: dict[str, pl.DataType] = {
    **OUTCOME_KEY_SCHEMA,
    "book": pl.String(),
    "price": pl.Float64(),
}


#: The listings the odds capture can ask, under an SR id (``via_genius`` or not), or ``skipped`` and why.
CAPTURE_LISTINGS_SCHEMA: dict[str, pl.DataType] = {
    "book": pl.String(),
    "event_id": pl.String(),
    "sr_id": pl.Int64(),
    "kickoff": pl.Datetime("us", "UTC"),
    "via_genius": pl.Boolean(),
    "skipped": pl.String(),
}


#: The capture log per (sr_id, book): its latest attempt and latest success, judging prices' freshness.
CAPTURE_LOG_SCHEMA: dict[str, pl.DataType] = {
    "sr_id": pl.Int64(),
    "book": pl.String(),
    "last_attempt_at": pl.Datetime("us", "UTC"),
    "last_attempt_status": pl.String(),
    "last_ok_at": pl.Datetime("us", "UTC"),
}


#: Exact schema of the tournament crosswalk (``analytics.tournament_crosswalk`` minus ``computed_at``).
CROSSWALK_SCHEMA: dict[str, pl.DataType] = {
    "book": pl.String(),
    "tournament_id": pl.String(),
    "sport": pl.String(),
    "tournament_name": pl.String(),
    "country": pl.String(),
    "country_id": pl.String(),
    "placement": pl.String(),
    "sr_tournament_id": pl.String(),
    "events": pl.Int64(),
    "votes": pl.Int64(),
    "agreeing": pl.Int64(),
    "agreement_share": pl.Float64(),
    "candidates": pl.Int64(),
    "conflict": pl.Boolean(),
    "tied": pl.Boolean(),
    "votes_by_tournament": pl.String(),
    "canonical_tournament": pl.String(),
    "sr_category_id": pl.String(),
    "canonical_country": pl.String(),
    "country_iso": pl.String(),
    "placed_at": pl.Datetime("us", "UTC"),
}

#: Exact schema of the country crosswalk (``analytics.country_crosswalk`` minus ``computed_at``).
COUNTRY_CROSSWALK_SCHEMA: dict[str, pl.DataType] = {
    "book": pl.String(),
    "sport": pl.String(),
    "country": pl.String(),
    "sr_category_id": pl.String(),
    "canonical_country": pl.String(),
    "country_iso": pl.String(),
    "tournaments": pl.Int64(),
    "agreeing": pl.Int64(),
    "agreement_share": pl.Float64(),
}

#: The single-book market suspects as stored (``core.market_suspects``) and read for the comparison.
MARKET_SUSPECTS_SCHEMA: dict[str, pl.DataType] = {
    "sr_id": pl.Int64(),
    "book": pl.String(),
    "market": pl.Int32(),
    "specifier": pl.String(),
    "reason": pl.String(),
    "detail": pl.String(),
}


def events_frame(events: Sequence[Event]) -> pl.DataFrame:
    """Events as a frame in ``EVENTS_SCHEMA`` (kick-off date derived in UTC, as the warehouse does)."""
    stored = {name: dtype for name, dtype in EVENTS_SCHEMA.items() if name != "kickoff_date"}
    frame = pl.DataFrame({name: [getattr(e, name) for e in events] for name in stored}, schema=stored)
    return frame.with_columns(pl.col("kickoff").dt.date().alias("kickoff_date")).select(list(EVENTS_SCHEMA))


def book_rank(column: str = "book") -> pl.Expr:
    """Position of the book in ``BOOK_ORDER`` (0 = BetPawa), for "first book wins" rules."""
    return pl.col(column).replace_strict(list(BOOK_ORDER), list(range(len(BOOK_ORDER))), return_dtype=pl.Int8)
