"""The keys' health per book: the payload fields each book has shown, and ``analytics.key_health`` per site
country, book and hour.

``analytics.key_health`` is recomputed whole per (site country, book, hour) from ``core.odds_captures``
alone, so storing a capture twice, or two writers of one hour, give the same row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

import psycopg

from palimpsest_pipeline.warehouse.locks import lock_units

#: (sr_id, book, captured_at): one capture, as ``core.odds_captures`` keys it.
CaptureKey = tuple[int, str, datetime]


def record_payload_fields(
    conn: psycopg.Connection, seen: Sequence[tuple[CaptureKey, Sequence[str]]], site_country: str
) -> dict[CaptureKey, list[str]]:
    """Record the field paths each looked-at capture of ``site_country``'s sites showed (``seen``, in capture
    order); return, per capture, the paths never seen before on its book's site (in ``core.payload_fields``),
    sorted.

    A book's first batch is its baseline (nothing new). The books' paths are locked so writers agree.
    """
    books = sorted({key[1] for key, _ in seen})
    if not books:
        return {}
    lock_units(conn, (f"payload_fields:{site_country}:{book}" for book in books))
    known: dict[str, set[str]] = {book: set() for book in books}
    for book, path in conn.execute(
        "SELECT book, path FROM core.payload_fields WHERE book = ANY(%s) AND site_country = %s",
        (books, site_country),
    ).fetchall():
        known[book].add(path)
    baseline = {book for book in books if not known[book]}
    new: dict[CaptureKey, list[str]] = {}
    rows: list[tuple[str, str, datetime, int, str]] = []
    for key, paths in seen:
        sr_id, book, captured_at = key
        fresh = sorted(set(paths) - known[book])
        known[book].update(fresh)
        rows.extend((book, path, captured_at, sr_id, site_country) for path in fresh)
        new[key] = [] if book in baseline else fresh
    if rows:
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO core.payload_fields (book, path, first_seen_at, first_sr_id, site_country) "
                "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (book, site_country, path) DO NOTHING",
                rows,
            )
    return new


def capture_hour(moment: datetime) -> datetime:
    """The start of the UTC hour ``moment`` falls in (``analytics.key_health.hour``)."""
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


#: The recompute of the touched hours.
_REFRESH = """
WITH touched AS (
    SELECT DISTINCT t.site_country, t.book, t.hour
    FROM unnest(%(countries)s::text[], %(books)s::text[], %(hours)s::timestamptz[])
        AS t (site_country, book, hour)
), per_hour AS (
    SELECT t.site_country, t.book, t.hour, count(c.*) AS captures,
           coalesce(sum(c.open_outcomes), 0) AS open_outcomes,
           coalesce(sum(c.mapped_outcomes), 0) AS keyed_outcomes,
           coalesce(sum(c.set_aside_outcomes), 0) AS set_aside_outcomes,
           coalesce(sum(c.suspect_outcomes), 0) AS suspect_outcomes,
           coalesce((SELECT array_agg(DISTINCT f ORDER BY f)
                     FROM core.odds_captures AS n, unnest(n.new_fields) AS f
                     WHERE n.book = t.book AND n.site_country = t.site_country AND n.status = 'ok'
                       AND n.captured_at >= t.hour AND n.captured_at < t.hour + interval '1 hour'),
                    '{}') AS new_fields
    FROM touched AS t
    LEFT JOIN core.odds_captures AS c
      ON c.book = t.book AND c.site_country = t.site_country AND c.status = 'ok'
     AND c.captured_at >= t.hour AND c.captured_at < t.hour + interval '1 hour'
    GROUP BY t.site_country, t.book, t.hour
), cleared AS (
    DELETE FROM analytics.key_health AS k
    USING per_hour AS p
    WHERE k.site_country = p.site_country AND k.book = p.book AND k.hour = p.hour AND p.captures = 0
)
INSERT INTO analytics.key_health AS k (site_country, book, hour, captures, open_outcomes, keyed_outcomes,
    set_aside_outcomes, suspect_outcomes, keyed_share, set_aside_share, suspect_share, new_fields,
    computed_at)
SELECT site_country, book, hour, captures, open_outcomes, keyed_outcomes, set_aside_outcomes,
       suspect_outcomes,
       keyed_outcomes::double precision / nullif(open_outcomes, 0),
       set_aside_outcomes::double precision / nullif(open_outcomes, 0),
       suspect_outcomes::double precision / nullif(keyed_outcomes, 0),
       new_fields, now()
FROM per_hour
WHERE captures > 0
ORDER BY site_country, book, hour
ON CONFLICT (site_country, book, hour) DO UPDATE SET
    captures = EXCLUDED.captures, open_outcomes = EXCLUDED.open_outcomes,
    keyed_outcomes = EXCLUDED.keyed_outcomes, set_aside_outcomes = EXCLUDED.set_aside_outcomes,
    suspect_outcomes = EXCLUDED.suspect_outcomes, keyed_share = EXCLUDED.keyed_share,
    set_aside_share = EXCLUDED.set_aside_share, suspect_share = EXCLUDED.suspect_share,
    new_fields = EXCLUDED.new_fields, computed_at = EXCLUDED.computed_at
"""


def refresh_key_health(conn: psycopg.Connection, touched: Iterable[tuple[str, str, datetime]]) -> int:
    """Recompute ``analytics.key_health`` whole for each (site country, book, capture time) given, by the UTC
    hour it falls in, from the hour's successful captures of that book on that country's site; an hour left
    with none loses its row. Returns the hours written. The caller holds a transaction (the hours are
    locked: one writer per hour)."""
    hours = sorted({(country, book, capture_hour(at)) for country, book, at in touched})
    if not hours:
        return 0
    lock_units(conn, (f"key_health:{country}:{book}:{hour.isoformat()}" for country, book, hour in hours))
    cursor = conn.execute(
        _REFRESH,
        {
            "countries": [country for country, _, _ in hours],
            "books": [book for _, book, _ in hours],
            "hours": [hour for _, _, hour in hours],
        },
    )
    return cursor.rowcount
