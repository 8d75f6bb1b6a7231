"""The sensor's read: upcoming events whose earliest kick-off is in a span of leads (``cadence.due_leads``),
so the sensor reads only the tiers that may be due, not the whole horizon."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import psycopg

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
    in ``(now, until]``.

    Genius-linked listings need no row: the listing carrying the SR id makes the match due. The redundant
    ``kickoff_date`` bounds let the query use the (kickoff_date, book) index.
    """
    params = {"first": now.date(), "last": until.date(), "now": now, "until": until, "cc": site_country}
    return [(int(sr_id), kickoff) for sr_id, kickoff in conn.execute(UPCOMING_SQL, params)]


def read_earliest_kickoffs(
    conn: psycopg.Connection, sr_ids: Sequence[int], *, site_country: str
) -> dict[int, datetime]:
    """Earliest kick-off of each of ``sr_ids`` among the live listings of every book of ``site_country``'s
    sites; an SR id no book lists there is absent (whether it kicked off or not: the caller decides what is
    still capturable)."""
    rows = conn.execute(
        "SELECT sr_id, min(kickoff) FROM core.events "
        "WHERE deleted_at IS NULL AND sr_id = ANY(%s) AND site_country = %s GROUP BY sr_id",
        (list(sr_ids), site_country),
    ).fetchall()
    return {int(sr_id): kickoff for sr_id, kickoff in rows}


#: Events kicking off in ``(since, until]`` whose SR id has no earlier live kick-off in ``(now, since]`` (so
#: each SR id comes back at its earliest upcoming kick-off, as over the whole horizon). The ``kickoff_date``
#: bounds let it use the (kickoff_date, book) index; the anti-join the (sr_id) index.
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
    sites after ``now`` lies in ``(since, until]`` (``since >= now``); ``since == now`` is
    ``read_upcoming(now, until)``."""
    if since < now:
        raise ValueError(f"read_upcoming_between: since {since} is before now {now}")
    if since == now:
        return read_upcoming(conn, now, until, site_country=site_country)
    params = {
        "first": since.date(),
        "last": until.date(),
        "now": now,
        "since": since,
        "until": until,
        "cc": site_country,
    }
    return [(int(sr_id), kickoff) for sr_id, kickoff in conn.execute(UPCOMING_BETWEEN_SQL, params)]
