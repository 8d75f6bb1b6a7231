"""Which event of which book to ask for the odds of which SportRadar id: the odds capture's one listing read.

Odds are captured and compared per SportRadar (SR) id, but a book does not always show the SR id of an event
it lists: BetPawa without its SPORTRADAR widget, Bet9ja without EXTID. Matching (``transforms.matching``)
still links such a listing to its match when it shows the Genius Sports id another book shows next to the SR
id. Asking only the books that show the SR id would leave those listings' prices out of every comparison
although the match is known, so the capture reads its listings through the same bridge, in SQL, in one
query:

- a listing that shows an SR id is asked under it, whatever its Genius id says (its own id always wins);
- a listing without one is asked under the SR id that the live listings sharing its Genius id carry, when
  they carry exactly one. It is left out, and reported with the reason in ``skipped``, when
  - those listings carry several SR ids (``SKIPPED_SR_CONFLICT``: which match it is would be a guess);
  - its book already lists that SR id on an event of its own (``SKIPPED_OWN_SR_ID``: that event is the
    book's listing of the match);
  - another listing of its book, also without an SR id, is linked to the same SR id
    (``SKIPPED_BOOK_LISTS_TWICE``: a book lists a match once, so which one would be a guess).

The listings asked are those kicking off on the capture's dates and still ahead; the listings that carry the
SR id may kick off on any date (books place a match on different dates around midnight) and may have kicked
off. Reads use the (kickoff_date, book) index for the dates, the Genius id index for the bridge, and the
one-live-event-per-SR-id index for the own-SR-id rule.
"""

from __future__ import annotations

from datetime import date, datetime

import polars as pl
import psycopg

from palimpsest_pipeline.frames import CAPTURE_LISTINGS_SCHEMA
from palimpsest_pipeline.warehouse.frames import read_frame

SKIPPED_SR_CONFLICT = "genius_id_on_several_sr_ids"
SKIPPED_OWN_SR_ID = "book_lists_the_sr_id_itself"
SKIPPED_BOOK_LISTS_TWICE = "book_lists_the_match_twice"

#: The capture's listing read (public so a benchmark can EXPLAIN it). Parameters: first, last, now.
CAPTURE_LISTINGS_SQL = f"""
WITH listed AS (
    SELECT book, event_id, sr_id, genius_id, kickoff
    FROM core.events
    WHERE deleted_at IS NULL
      AND kickoff_date BETWEEN %(first)s AND %(last)s
      AND kickoff > %(now)s
),
genius_sr AS (
    SELECT carrier.genius_id, min(carrier.sr_id) AS sr_id, count(DISTINCT carrier.sr_id) AS sr_ids
    FROM core.events AS carrier
    WHERE carrier.deleted_at IS NULL AND carrier.sr_id IS NOT NULL
      AND carrier.genius_id IN (SELECT genius_id FROM listed WHERE sr_id IS NULL AND genius_id IS NOT NULL)
    GROUP BY carrier.genius_id
),
bridged AS (
    SELECT l.book, l.event_id, l.kickoff, g.sr_id,
           CASE
               WHEN g.sr_ids > 1 THEN '{SKIPPED_SR_CONFLICT}'
               WHEN EXISTS (SELECT 1 FROM core.events AS own
                            WHERE own.book = l.book AND own.sr_id = g.sr_id AND own.deleted_at IS NULL)
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
    conn: psycopg.Connection, first: date, last: date, *, now: datetime
) -> pl.DataFrame:
    """Every live listing kicking off from ``first`` to ``last`` (UTC dates) after ``now`` that the capture
    can ask, under the SR id it is asked for, in ``frames.CAPTURE_LISTINGS_SCHEMA`` (see the module doc).

    ``via_genius`` marks a listing whose SR id comes from the listings sharing its Genius id; ``skipped``
    names why a Genius-linked listing is left out (its ``sr_id`` is then null). A listing with neither id,
    or whose Genius id no live listing ties to an SR id, is absent: nothing could be asked under it.
    """
    if last < first:
        raise ValueError(f"read_capture_listings: last date {last} is before first date {first}")
    if now.tzinfo is None:
        raise ValueError(f"read_capture_listings: now must be timezone-aware, got naive {now.isoformat()}")
    frame = read_frame(conn, CAPTURE_LISTINGS_SQL, {"first": first, "last": last, "now": now})
    return frame.cast(CAPTURE_LISTINGS_SCHEMA)  # type: ignore[arg-type]
