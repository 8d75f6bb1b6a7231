"""Storing the books' catalogues, one transaction per call: events are soft-deleted only when consecutive
complete scrapes miss them, and revived if listed again."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

import polars as pl
import psycopg

from palimpsest_pipeline.frames import EVENTS_SCHEMA
from palimpsest_pipeline.records import Book, Event, Tournament
from palimpsest_pipeline.warehouse.partitions import utc_day
from palimpsest_pipeline.warehouse.quarantine import Quarantined, record_quarantine, screen_catalogue
from palimpsest_pipeline.warehouse.store_inputs import Counts, StoreInputError, checked_book, require_aware
from palimpsest_pipeline.warehouse.table_io import copy_rows, read_frame
from palimpsest_pipeline.warehouse.withdrawal import DEFAULT_WITHDRAWAL, LIVE_OF_DATES

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


@dataclass(frozen=True)
class StoreStats(Counts):
    """What ``store_catalogue`` did to the book's events: ``deleted`` withdrawn after enough complete misses,
    ``missed`` but kept for now, ``outside_dates`` (input events off the dates: updated when known, never
    inserted)."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    revived: int = 0
    missed: int = 0
    outside_dates: int = 0


def store_catalogue(
    conn: psycopg.Connection,
    *,
    book: Book | str,
    site_country: str,
    tournaments: Iterable[Tournament],
    events: Iterable[Event],
    dates: Sequence[date],
    captured_at: datetime,
    batch_id: str | None,
    complete: bool,
    sports: Sequence[str] | None = None,
    withdraw_after: int = DEFAULT_WITHDRAWAL.withdraw_after,
    set_aside: Sequence[Quarantined] = (),
) -> StoreStats:
    """Upsert one book's tournaments and events kicking off on ``dates`` read from its ``site_country``
    site, atomically. Listed rows are updated and revived. Only a ``complete`` scrape (of ``sports``, default
    all) counts misses: a future event unlisted ``withdraw_after`` times is soft-deleted. An SR id listed
    under a new event id supersedes the old event. ``set_aside`` rows are quarantined, counted as listed."""
    book = checked_book(book, "store_catalogue")
    require_aware(captured_at, "captured_at")
    if withdraw_after < 1:
        raise StoreInputError(
            f"store_catalogue({book}): withdraw_after must be at least 1, got {withdraw_after}"
        )
    date_set = set(dates)
    listed = _own(book, events)
    all_events, tournament_list, screened = screen_catalogue(book, listed, _own(book, tournaments))
    quarantined = [*screened, *(item for item in set_aside if item.book == book.value)]
    params = {
        "book": book.value,
        "cc": site_country,
        "captured": captured_at,
        "batch": batch_id,
        "dates": sorted(date_set),
        "sports": list(sports) if sports is not None else None,
        "seen": sorted({e.event_id for e in listed} | {q.event_id for q in quarantined if q.event_id}),
        "after": withdraw_after,
    }
    with conn.transaction():
        if batch_id is not None and quarantined:
            record_quarantine(conn, batch_id=batch_id, site_country=site_country, items=quarantined)
        _load_incoming(conn, all_events, tournament_list, date_set)
        counts = conn.execute(_CLASSIFY_EVENTS, params).fetchone()
        assert counts is not None
        inserted, revived, updated, unchanged = (int(c) for c in counts)
        conn.execute(_RECORD_ADDED_AND_MOVED, params)
        conn.execute(_SUPERSEDE_EVENTS, params)
        conn.execute(_UPSERT_EVENTS, params)
        deleted = missed = 0
        if complete:
            for (withdrawn,) in conn.execute(_MISS_EVENTS, params).fetchall():
                deleted += bool(withdrawn)
                missed += not withdrawn
            conn.execute(_SOFT_DELETE_TOURNAMENTS, params)
        conn.execute(_UPSERT_TOURNAMENTS, params)
        conn.execute(_RECORD_WITHDRAWN, params)
    return StoreStats(
        inserted=inserted,
        updated=updated,
        unchanged=unchanged,
        deleted=deleted,
        revived=revived,
        missed=missed,
        outside_dates=sum(utc_day(e.kickoff) not in date_set for e in all_events),
    )


def read_live_events(conn: psycopg.Connection, start: date, end: date, *, site_country: str) -> pl.DataFrame:
    """Live events (all books) of ``site_country``'s sites kicking off from ``start`` to ``end`` inclusive
    (UTC dates), in ``frames.EVENTS_SCHEMA``."""
    if end < start:
        raise ValueError(f"read_live_events: end {end} is before start {start}")
    return read_frame(
        conn,
        """
        SELECT book, event_id, sr_id, home, away, kickoff, kickoff_date, tournament_id, tournament_name,
               country, sport, genius_id, country_id
        FROM core.events
        WHERE deleted_at IS NULL AND kickoff_date BETWEEN %s AND %s AND site_country = %s
        ORDER BY book, kickoff, event_id
        """,
        (start, end, site_country),
    ).cast(EVENTS_SCHEMA)  # type: ignore[arg-type]


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
    LEFT JOIN core.events AS e ON e.book = i.book AND e.event_id = i.event_id AND e.site_country = %(cc)s
    WHERE i.in_dates
)
SELECT count(*) FILTER (WHERE NOT known),
       count(*) FILTER (WHERE known AND withdrawn),
       count(*) FILTER (WHERE known AND NOT withdrawn AND changed),
       count(*) FILTER (WHERE known AND NOT withdrawn AND NOT changed)
FROM pairs
"""

# analytics.catalogue_changes, in the store's transaction: listed for the first time on the dates or again
# after a withdrawal (added), or a live event whose kick-off changed (moved); read before the upsert.
_RECORD_ADDED_AND_MOVED = """
INSERT INTO analytics.catalogue_changes (changed_at, book, event_id, change, sr_id, kickoff, previous_kickoff,
                                         sport, country, tournament, home, away, batch_id, site_country)
SELECT %(captured)s, i.book, i.event_id,
       CASE WHEN e.event_id IS NULL OR e.deleted_at IS NOT NULL THEN 'added' ELSE 'moved' END,
       i.sr_id, i.kickoff,
       CASE WHEN e.event_id IS NOT NULL AND e.deleted_at IS NULL THEN e.kickoff END,
       i.sport, i.country, i.tournament_name, i.home, i.away, %(batch)s, %(cc)s
FROM incoming_events AS i
LEFT JOIN core.events AS e ON e.book = i.book AND e.event_id = i.event_id AND e.site_country = %(cc)s
WHERE (e.event_id IS NULL AND i.in_dates) OR e.deleted_at IS NOT NULL
   OR (e.event_id IS NOT NULL AND e.deleted_at IS NULL AND e.kickoff <> i.kickoff)
ON CONFLICT DO NOTHING
"""

# Events this store withdrew (missed enough times, or superseded under a new event id) and did not revive.
_RECORD_WITHDRAWN = """
INSERT INTO analytics.catalogue_changes (changed_at, book, event_id, change, sr_id, kickoff, sport, country,
                                         tournament, home, away, batch_id, site_country)
SELECT %(captured)s, e.book, e.event_id, 'withdrawn', e.sr_id, e.kickoff, e.sport, e.country,
       e.tournament_name, e.home, e.away, %(batch)s, e.site_country
FROM core.events AS e
WHERE e.book = %(book)s AND e.site_country = %(cc)s AND e.deleted_at = %(captured)s
ON CONFLICT DO NOTHING
"""

# Withdraw live events whose SR id the book now lists under another event id, before the upsert would
# collide with the one-live-event-per-SR-id index. (Events also in the input are revived by the upsert.)
_SUPERSEDE_EVENTS = """
UPDATE core.events AS e SET deleted_at = %(captured)s
WHERE e.book = %(book)s AND e.site_country = %(cc)s AND e.deleted_at IS NULL AND e.sr_id IS NOT NULL
  AND EXISTS (SELECT 1 FROM incoming_events AS i WHERE i.sr_id = e.sr_id AND i.event_id <> e.event_id)
"""

_UPSERT_EVENTS = """
INSERT INTO core.events AS e (book, event_id, sr_id, home, away, kickoff, tournament_id, tournament_name,
                              country, sport, genius_id, country_id, first_seen_at, last_seen_at, deleted_at,
                              last_batch_id, site_country)
SELECT i.book, i.event_id, i.sr_id, i.home, i.away, i.kickoff, i.tournament_id, i.tournament_name, i.country,
       i.sport, i.genius_id, i.country_id, %(captured)s, %(captured)s, NULL, %(batch)s, %(cc)s
FROM incoming_events AS i
WHERE i.in_dates OR EXISTS (SELECT 1 FROM core.events AS k
                            WHERE k.book = i.book AND k.event_id = i.event_id AND k.site_country = %(cc)s)
ORDER BY i.event_id
ON CONFLICT (site_country, book, event_id) DO UPDATE SET
    sr_id = EXCLUDED.sr_id, home = EXCLUDED.home, away = EXCLUDED.away, kickoff = EXCLUDED.kickoff,
    tournament_id = EXCLUDED.tournament_id, tournament_name = EXCLUDED.tournament_name,
    country = EXCLUDED.country, sport = EXCLUDED.sport, genius_id = EXCLUDED.genius_id,
    country_id = EXCLUDED.country_id,
    first_seen_at = LEAST(e.first_seen_at, EXCLUDED.first_seen_at),
    last_seen_at = GREATEST(e.last_seen_at, EXCLUDED.last_seen_at),
    deleted_at = NULL,
    missed_scrapes = 0,
    last_batch_id = COALESCE(EXCLUDED.last_batch_id, e.last_batch_id)
"""

# One more miss for each live future event of the dates that the scrape did not list in any form (screened
# out or on another date counts as listed); withdrawn at the policy's count. Returns whether each went.
_MISS_EVENTS = f"""
UPDATE core.events AS e
SET missed_scrapes = e.missed_scrapes + 1,
    deleted_at = CASE WHEN e.missed_scrapes + 1 >= %(after)s THEN %(captured)s END
WHERE {LIVE_OF_DATES}
  AND (%(sports)s::text[] IS NULL OR e.sport = ANY(%(sports)s::text[]))
  AND NOT e.event_id = ANY(%(seen)s::text[])
RETURNING e.deleted_at IS NOT NULL
"""

_SOFT_DELETE_TOURNAMENTS = """
UPDATE core.tournaments AS t SET deleted_at = %(captured)s
WHERE t.book = %(book)s AND t.site_country = %(cc)s AND t.deleted_at IS NULL
  AND (%(sports)s::text[] IS NULL OR t.sport = ANY(%(sports)s::text[]))
  AND EXISTS (SELECT 1 FROM incoming_events AS i WHERE i.sport = t.sport)
  AND NOT EXISTS (SELECT 1 FROM incoming_tournaments AS i WHERE i.tournament_id = t.tournament_id)
"""

_UPSERT_TOURNAMENTS = """
INSERT INTO core.tournaments AS t (book, tournament_id, name, country, sport, event_count, country_id,
                                   first_seen_at, last_seen_at, deleted_at, site_country)
SELECT i.book, i.tournament_id, i.name, i.country, i.sport, i.event_count, i.country_id, %(captured)s,
       %(captured)s, NULL, %(cc)s
FROM incoming_tournaments AS i
ON CONFLICT (site_country, book, tournament_id) DO UPDATE SET
    name = EXCLUDED.name, country = EXCLUDED.country, sport = EXCLUDED.sport,
    event_count = EXCLUDED.event_count, country_id = EXCLUDED.country_id,
    first_seen_at = LEAST(t.first_seen_at, EXCLUDED.first_seen_at),
    last_seen_at = GREATEST(t.last_seen_at, EXCLUDED.last_seen_at),
    deleted_at = NULL
"""


def _load_incoming(
    conn: psycopg.Connection, events: Sequence[Event], tournaments: Sequence[Tournament], dates: set[date]
) -> None:
    """COPY the input into temp tables (dropped at commit), each event marked whether it kicks off on one of
    ``dates``."""
    conn.execute("DROP TABLE IF EXISTS pg_temp.incoming_events, pg_temp.incoming_tournaments")
    conn.execute(
        """
        CREATE TEMP TABLE incoming_events (
            book text, event_id text PRIMARY KEY, sr_id bigint, home text, away text, kickoff timestamptz,
            tournament_id text, tournament_name text, country text, sport text, genius_id bigint,
            country_id text, in_dates boolean
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
    copy_rows(
        conn,
        "incoming_events",
        (*_EVENT_COLUMNS, "in_dates"),
        ((*_row(e, _EVENT_COLUMNS), utc_day(e.kickoff) in dates) for e in events),
    )
    copy_rows(
        conn, "incoming_tournaments", _TOURNAMENT_COLUMNS, (_row(t, _TOURNAMENT_COLUMNS) for t in tournaments)
    )
    conn.execute("ANALYZE incoming_events")


def _row(record: Event | Tournament, columns: Sequence[str]) -> tuple[Any, ...]:
    """``record``'s values of ``columns``, the first (its book) as the key it is stored under."""
    return (str(record.book), *(getattr(record, column) for column in columns[1:]))


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
