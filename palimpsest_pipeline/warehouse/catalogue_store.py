"""Storing the books' catalogues (a scrape's bookkeeping is in ``batches.py``).

Every public function is one transaction (a savepoint inside a caller's transaction), so a crash never leaves
half a catalogue. The catalogue keeps history softly: an event that disappears from a *complete* scrape gets
``deleted_at`` instead of being deleted, and comes back to life if the book lists it again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, TypeVar

import polars as pl
import psycopg

from palimpsest_pipeline.frames import EVENTS_SCHEMA
from palimpsest_pipeline.records import Book, Event, Tournament
from palimpsest_pipeline.warehouse.frames import copy_rows, read_frame
from palimpsest_pipeline.warehouse.quarantine import Quarantined, record_quarantine, screen_catalogue

_EVENT_COLUMNS = (
    "book",
    "event_id",
    "sr_id",
    "home",
    "away",
    "kickoff",
    "tournament_id",
    "tournament_name",
    "country",
    "sport",
    "genius_id",
    "country_id",
)
_TOURNAMENT_COLUMNS = ("book", "tournament_id", "name", "country", "sport", "event_count", "country_id")


class StoreInputError(ValueError):
    """The records handed to the store are inconsistent; the message names the record and the field."""


@dataclass(frozen=True)
class StoreStats:
    """What ``store_catalogue`` did to the book's events (tournaments counted separately at the end).

    - inserted: events never seen before; updated: live events whose content changed; unchanged: live events
      seen again as they were (only last_seen_at moves); revived: withdrawn events listed again.
    - deleted: live events of the scraped dates, kick-off still ahead, that a complete scrape did not list.
    - superseded: live events withdrawn because the book now lists their SportRadar id under another event id.
    - outside_dates: input events ignored because their kick-off date is not one of ``dates``.
    """

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    revived: int = 0
    superseded: int = 0
    outside_dates: int = 0
    tournaments_upserted: int = 0
    tournaments_deleted: int = 0
    #: listings set aside or cleaned (warehouse/quarantine.py), recorded in core.quarantined_rows
    quarantined: tuple[Quarantined, ...] = ()


# ----------------------------------------------------------------------------------------------- catalogue


def store_catalogue(
    conn: psycopg.Connection,
    *,
    book: Book | str,
    tournaments: Iterable[Tournament],
    events: Iterable[Event],
    dates: Sequence[date],
    captured_at: datetime,
    batch_id: str | None,
    complete: bool,
    sports: Sequence[str] | None = None,
) -> StoreStats:
    """Upsert one book's scraped tournaments and its events kicking off on ``dates``, atomically.

    - first_seen_at is kept, last_seen_at becomes ``captured_at``, content columns are updated, and a
      withdrawn event or tournament that is listed again is revived (deleted_at cleared).
    - Only when ``complete`` (every page of every list was read): the book's live events kicking off on
      ``dates`` and still in the future at ``captured_at`` that the scrape did not list are soft-deleted
      (deleted_at = captured_at); likewise its tournaments the scrape did not list. An incomplete scrape
      never deletes anything: absence proves nothing when pages are missing.
    - ``sports`` narrows those deletions to the sports the scrape covered (default: all of the book's).
    - A SportRadar id maps to at most one live event per book: when the book lists an SR id under a new event
      id, the old event is soft-deleted first (``superseded``), whatever ``complete`` says.
    - Storing the same input again changes nothing but last_seen_at.
    """
    book = checked_book(book, "store_catalogue")
    require_aware(captured_at, "captured_at")
    date_set = set(dates)
    all_events, tournament_list, quarantined = screen_catalogue(
        book, _own(book, events), _own(book, tournaments)
    )
    in_dates = [e for e in all_events if _utc_date(e.kickoff) in date_set]
    params = {
        "book": book.value,
        "captured": captured_at,
        "batch": batch_id,
        "dates": sorted(date_set),
        "sports": list(sports) if sports is not None else None,
    }
    with conn.transaction():
        if batch_id is not None and quarantined:
            record_quarantine(conn, batch_id=batch_id, items=quarantined)
        _load_incoming(conn, in_dates, tournament_list)
        counts = conn.execute(_CLASSIFY_EVENTS).fetchone()
        assert counts is not None
        inserted, revived, updated, unchanged = (int(c) for c in counts)
        superseded_ids = [r[0] for r in conn.execute(_SUPERSEDE_EVENTS, params).fetchall()]
        conn.execute(_UPSERT_EVENTS, params)
        deleted = 0
        tournaments_deleted = 0
        if complete:
            deleted = len(conn.execute(_SOFT_DELETE_EVENTS, params).fetchall())
            tournaments_deleted = len(conn.execute(_SOFT_DELETE_TOURNAMENTS, params).fetchall())
        conn.execute(_UPSERT_TOURNAMENTS, params)
    incoming_ids = {e.event_id for e in in_dates}
    return StoreStats(
        inserted=inserted,
        updated=updated,
        unchanged=unchanged,
        deleted=deleted,
        revived=revived,
        superseded=sum(1 for event_id in superseded_ids if event_id not in incoming_ids),
        outside_dates=len(all_events) - len(in_dates),
        tournaments_upserted=len(tournament_list),
        tournaments_deleted=tournaments_deleted,
        quarantined=tuple(quarantined),
    )


def read_live_events(conn: psycopg.Connection, start: date, end: date) -> pl.DataFrame:
    """Live events (all books) kicking off from ``start`` to ``end`` inclusive (UTC dates), in
    ``palimpsest_pipeline.frames.EVENTS_SCHEMA``: sr_id Int64, kickoff Datetime(us, UTC), kickoff_date
    Date."""
    if end < start:
        raise ValueError(f"read_live_events: end {end} is before start {start}")
    frame = read_frame(
        conn,
        """
        SELECT book, event_id, sr_id, home, away, kickoff, kickoff_date, tournament_id, tournament_name,
               country, sport, genius_id, country_id
        FROM core.events
        WHERE deleted_at IS NULL AND kickoff_date BETWEEN %s AND %s
        ORDER BY book, kickoff, event_id
        """,
        (start, end),
    )
    return frame.cast(EVENTS_SCHEMA)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------------ internals

_CLASSIFY_EVENTS = """
WITH pairs AS (
    SELECT e.event_id IS NOT NULL AS known, e.deleted_at IS NOT NULL AS withdrawn,
           (e.sr_id, e.home, e.away, e.kickoff, e.tournament_id, e.tournament_name, e.country, e.sport,
            e.genius_id, e.country_id)
           IS DISTINCT FROM
           (i.sr_id, i.home, i.away, i.kickoff, i.tournament_id, i.tournament_name, i.country, i.sport,
            i.genius_id, i.country_id)
           AS changed
    FROM incoming_events AS i
    LEFT JOIN core.events AS e ON e.book = i.book AND e.event_id = i.event_id
)
SELECT count(*) FILTER (WHERE NOT known),
       count(*) FILTER (WHERE known AND withdrawn),
       count(*) FILTER (WHERE known AND NOT withdrawn AND changed),
       count(*) FILTER (WHERE known AND NOT withdrawn AND NOT changed)
FROM pairs
"""

# Withdraw live events whose SR id the book now lists under another event id, before the upsert would
# collide with the one-live-event-per-SR-id index. (Events also in the input are revived by the upsert.)
_SUPERSEDE_EVENTS = """
UPDATE core.events AS e SET deleted_at = %(captured)s
WHERE e.book = %(book)s AND e.deleted_at IS NULL AND e.sr_id IS NOT NULL
  AND EXISTS (SELECT 1 FROM incoming_events AS i WHERE i.sr_id = e.sr_id AND i.event_id <> e.event_id)
RETURNING e.event_id
"""

_UPSERT_EVENTS = """
INSERT INTO core.events AS e (book, event_id, sr_id, home, away, kickoff, tournament_id, tournament_name,
                              country, sport, genius_id, country_id, first_seen_at, last_seen_at, deleted_at,
                              last_batch_id)
SELECT i.book, i.event_id, i.sr_id, i.home, i.away, i.kickoff, i.tournament_id, i.tournament_name, i.country,
       i.sport, i.genius_id, i.country_id, %(captured)s, %(captured)s, NULL, %(batch)s
FROM incoming_events AS i
ORDER BY i.event_id
ON CONFLICT (book, event_id) DO UPDATE SET
    sr_id = EXCLUDED.sr_id, home = EXCLUDED.home, away = EXCLUDED.away, kickoff = EXCLUDED.kickoff,
    tournament_id = EXCLUDED.tournament_id, tournament_name = EXCLUDED.tournament_name,
    country = EXCLUDED.country, sport = EXCLUDED.sport, genius_id = EXCLUDED.genius_id,
    country_id = EXCLUDED.country_id,
    first_seen_at = LEAST(e.first_seen_at, EXCLUDED.first_seen_at),
    last_seen_at = GREATEST(e.last_seen_at, EXCLUDED.last_seen_at),
    deleted_at = NULL,
    last_batch_id = COALESCE(EXCLUDED.last_batch_id, e.last_batch_id)
"""

_SOFT_DELETE_EVENTS = """
UPDATE core.events AS e SET deleted_at = %(captured)s
WHERE e.book = %(book)s AND e.deleted_at IS NULL
  AND e.kickoff_date = ANY(%(dates)s::date[]) AND e.kickoff > %(captured)s
  AND (%(sports)s::text[] IS NULL OR e.sport = ANY(%(sports)s::text[]))
  AND NOT EXISTS (SELECT 1 FROM incoming_events AS i WHERE i.event_id = e.event_id)
RETURNING e.event_id
"""

_SOFT_DELETE_TOURNAMENTS = """
UPDATE core.tournaments AS t SET deleted_at = %(captured)s
WHERE t.book = %(book)s AND t.deleted_at IS NULL
  AND (%(sports)s::text[] IS NULL OR t.sport = ANY(%(sports)s::text[]))
  AND NOT EXISTS (SELECT 1 FROM incoming_tournaments AS i WHERE i.tournament_id = t.tournament_id)
RETURNING t.tournament_id
"""

_UPSERT_TOURNAMENTS = """
INSERT INTO core.tournaments AS t (book, tournament_id, name, country, sport, event_count, country_id,
                                   first_seen_at, last_seen_at, deleted_at)
SELECT i.book, i.tournament_id, i.name, i.country, i.sport, i.event_count, i.country_id, %(captured)s,
       %(captured)s, NULL
FROM incoming_tournaments AS i
ON CONFLICT (book, tournament_id) DO UPDATE SET
    name = EXCLUDED.name, country = EXCLUDED.country, sport = EXCLUDED.sport,
    event_count = EXCLUDED.event_count, country_id = EXCLUDED.country_id,
    first_seen_at = LEAST(t.first_seen_at, EXCLUDED.first_seen_at),
    last_seen_at = GREATEST(t.last_seen_at, EXCLUDED.last_seen_at),
    deleted_at = NULL
"""


def _load_incoming(
    conn: psycopg.Connection, events: Sequence[Event], tournaments: Sequence[Tournament]
) -> None:
    """COPY the input into session temp tables (dropped at commit; re-created if a caller's transaction
    already holds them)."""
    conn.execute("DROP TABLE IF EXISTS pg_temp.incoming_events, pg_temp.incoming_tournaments")
    conn.execute(
        """
        CREATE TEMP TABLE incoming_events (
            book text, event_id text PRIMARY KEY, sr_id bigint, home text, away text, kickoff timestamptz,
            tournament_id text, tournament_name text, country text, sport text, genius_id bigint,
            country_id text
        ) ON COMMIT DROP
        """
    )
    conn.execute(
        """
        CREATE TEMP TABLE incoming_tournaments (
            book text, tournament_id text PRIMARY KEY, name text, country text, sport text,
            event_count integer, country_id text
        ) ON COMMIT DROP
        """
    )
    copy_rows(conn, "incoming_events", _EVENT_COLUMNS, (_event_row(e) for e in events))
    copy_rows(conn, "incoming_tournaments", _TOURNAMENT_COLUMNS, (_tournament_row(t) for t in tournaments))
    conn.execute("ANALYZE incoming_events")


def _event_row(e: Event) -> tuple[Any, ...]:
    return (
        str(e.book),
        e.event_id,
        e.sr_id,
        e.home,
        e.away,
        e.kickoff,
        e.tournament_id,
        e.tournament_name,
        e.country,
        e.sport,
        e.genius_id,
        e.country_id,
    )


def _tournament_row(t: Tournament) -> tuple[Any, ...]:
    return (str(t.book), t.tournament_id, t.name, t.country, t.sport, t.event_count, t.country_id)


def checked_book(book: Book | str, where: str) -> Book:
    try:
        return Book(book)
    except ValueError:
        raise StoreInputError(
            f"{where}: unknown book {book!r} (expected one of {[b.value for b in Book]})"
        ) from None


def require_aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise StoreInputError(f"{name} must be timezone-aware (UTC), got naive {moment.isoformat()}")


def _utc_date(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


_L = TypeVar("_L", Event, Tournament)


def _own(book: Book, records: Iterable[_L]) -> list[_L]:
    """The records, checked to be this book's (another book's record here is the caller's bug: it raises)."""
    out = list(records)
    for record in out:
        if record.book != book:
            ident = getattr(record, "event_id", None) or getattr(record, "tournament_id", "")
            raise StoreInputError(f"store_catalogue({book}): {ident!r} belongs to book {record.book!r}")
        if isinstance(record, Event):
            require_aware(record.kickoff, f"kickoff of {book} event {record.event_id!r}")
    return out
