"""Which event of which book to ask for the odds of which SportRadar id, and which SR ids kick off soon (the
kick-off-window sensor's read). A listing without an SR id is asked under the one the live listings sharing
its Genius id carry; an ambiguous link is skipped with its reason (``SKIPPED_*``), never guessed
(docs/tables.md)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import polars as pl
import psycopg

from palimpsest_pipeline.frames import CAPTURE_LISTINGS_SCHEMA
from palimpsest_pipeline.warehouse.store_inputs import require_aware
from palimpsest_pipeline.warehouse.table_io import read_frame

SKIPPED_SR_CONFLICT = "genius_id_on_several_sr_ids"
SKIPPED_OWN_SR_ID = "book_lists_the_sr_id_itself"
SKIPPED_BOOK_LISTS_TWICE = "book_lists_the_match_twice"

#: The capture's listing read, one site country's listings. Parameters: first, last, now, cc.
CAPTURE_LISTINGS_SQL = f"""
WITH listed AS (
    SELECT book, event_id, sr_id, genius_id, kickoff
    FROM core.events
    WHERE deleted_at IS NULL AND site_country = %(cc)s
      AND kickoff_date BETWEEN %(first)s AND %(last)s
      AND kickoff > %(now)s
),
genius_sr AS (
    SELECT carrier.genius_id, min(carrier.sr_id) AS sr_id, count(DISTINCT carrier.sr_id) AS sr_ids
    FROM core.events AS carrier
    WHERE carrier.deleted_at IS NULL AND carrier.sr_id IS NOT NULL AND carrier.site_country = %(cc)s
      AND carrier.genius_id IN (SELECT genius_id FROM listed WHERE sr_id IS NULL AND genius_id IS NOT NULL)
    GROUP BY carrier.genius_id
),
bridged AS (
    SELECT l.book, l.event_id, l.kickoff, g.sr_id,
           CASE
               WHEN g.sr_ids > 1 THEN '{SKIPPED_SR_CONFLICT}'
               WHEN EXISTS (SELECT 1 FROM core.events AS own
                            WHERE own.book = l.book AND own.sr_id = g.sr_id AND own.deleted_at IS NULL
                              AND own.site_country = %(cc)s)
                   THEN '{SKIPPED_OWN_SR_ID}'
           END AS skipped
    FROM listed AS l
    JOIN genius_sr AS g ON g.genius_id = l.genius_id
    WHERE l.sr_id IS NULL
),
resolved AS (
    SELECT book, event_id, kickoff, sr_id,
           COALESCE(skipped, CASE WHEN count(*) OVER (PARTITION BY book, sr_id, skipped IS NULL) > 1
                                  THEN '{SKIPPED_BOOK_LISTS_TWICE}' END) AS skipped
    FROM bridged
)
SELECT book, event_id, sr_id, kickoff, false AS via_genius, NULL::text AS skipped
FROM listed
WHERE sr_id IS NOT NULL
UNION ALL
SELECT book, event_id, CASE WHEN skipped IS NULL THEN sr_id END, kickoff, true, skipped
FROM resolved
ORDER BY book, event_id
"""


def read_capture_listings(
    conn: psycopg.Connection, first: date, last: date, *, now: datetime, site_country: str
) -> pl.DataFrame:
    """Every live listing of ``site_country``'s sites kicking off from ``first`` to ``last`` (UTC dates) after
    ``now`` that the capture can ask, under the SR id it is asked for (``frames.CAPTURE_LISTINGS_SCHEMA``)."""
    if last < first:
        raise ValueError(f"read_capture_listings: last date {last} is before first date {first}")
    require_aware(now, "read_capture_listings: now", ValueError)
    return read_frame(
        conn, CAPTURE_LISTINGS_SQL, {"first": first, "last": last, "now": now, "cc": site_country}
    ).cast(CAPTURE_LISTINGS_SCHEMA)  # type: ignore[arg-type]


#: The kick-off-window sensor's one query (public so the sensor benchmark can EXPLAIN it).
UPCOMING_SQL = """
SELECT sr_id, min(kickoff) AS kickoff
FROM core.events
WHERE deleted_at IS NULL AND sr_id IS NOT NULL AND site_country = %(cc)s
  AND kickoff_date BETWEEN %(first)s AND %(last)s
  AND kickoff > %(now)s AND kickoff <= %(until)s
GROUP BY sr_id
"""


def read_upcoming(
    conn: psycopg.Connection, now: datetime, until: datetime, *, site_country: str
) -> list[tuple[int, datetime]]:
    """(sr_id, earliest kick-off) of every live listing of ``site_country``'s sites with an SR id kicking off
    in ``(now, until]`` (the redundant ``kickoff_date`` bounds let the query use its index)."""
    return read_upcoming_between(conn, now, now, until, site_country=site_country)


def read_earliest_kickoffs(
    conn: psycopg.Connection, sr_ids: Sequence[int], *, site_country: str
) -> dict[int, datetime]:
    """Earliest kick-off of each of ``sr_ids`` among the live listings of every book of ``site_country``'s
    sites (kicked off or not); an SR id no book lists there is absent."""
    rows = conn.execute(
        "SELECT sr_id, min(kickoff) FROM core.events "
        "WHERE deleted_at IS NULL AND sr_id = ANY(%s) AND site_country = %s GROUP BY sr_id",
        (list(sr_ids), site_country),
    ).fetchall()
    return {int(sr_id): kickoff for sr_id, kickoff in rows}


#: Events kicking off in ``(since, until]`` whose SR id has no earlier live kick-off in ``(now, since]`` (each
#: SR id at its earliest upcoming kick-off).
UPCOMING_BETWEEN_SQL = """
SELECT e.sr_id, min(e.kickoff) AS kickoff
FROM core.events AS e
WHERE e.deleted_at IS NULL AND e.sr_id IS NOT NULL AND e.site_country = %(cc)s
  AND e.kickoff_date BETWEEN %(first)s AND %(last)s
  AND e.kickoff > %(since)s AND e.kickoff <= %(until)s
  AND NOT EXISTS (
      SELECT 1 FROM core.events AS x
      WHERE x.sr_id = e.sr_id AND x.sr_id IS NOT NULL AND x.deleted_at IS NULL AND x.site_country = %(cc)s
        AND x.kickoff > %(now)s AND x.kickoff <= %(since)s)
GROUP BY e.sr_id
"""


def read_upcoming_between(
    conn: psycopg.Connection, now: datetime, since: datetime, until: datetime, *, site_country: str
) -> list[tuple[int, datetime]]:
    """(sr_id, earliest upcoming kick-off) of every SR id whose earliest live kick-off on ``site_country``'s
    sites after ``now`` lies in ``(since, until]`` (``since >= now``; ``since == now`` runs the simpler
    :data:`UPCOMING_SQL`)."""
    if since < now:
        raise ValueError(f"read_upcoming_between: since {since} is before now {now}")
    params = {"first": since.date(), "last": until.date(), "now": now, "since": since, "until": until}
    query = UPCOMING_SQL if since == now else UPCOMING_BETWEEN_SQL
    return [(int(sr_id), kickoff) for sr_id, kickoff in conn.execute(query, {**params, "cc": site_country})]
