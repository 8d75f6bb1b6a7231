"""The keys' health per book: the payload fields each book has shown, and ``analytics.key_health``,
recomputed whole per (site country, book, hour) from ``core.odds_captures`` (a capture stored twice, or two
writers of one hour, give the same row); read back as the keys_drift alert judges it and the report shows it:
a book edition's latest hour with enough open outcomes, against its ``BASELINE_DAYS`` before."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

import psycopg

from palimpsest_pipeline.warehouse.locks import lock_units
from palimpsest_pipeline.warehouse.table_io import Rows, read_rows

#: (sr_id, book, captured_at): one capture, as ``core.odds_captures`` keys it.
CaptureKey = tuple[int, str, datetime]


def record_payload_fields(
    conn: psycopg.Connection, seen: Sequence[tuple[CaptureKey, Sequence[str]]], site_country: str
) -> dict[CaptureKey, list[str]]:
    """Record the field paths each looked-at capture of ``site_country``'s sites showed (``seen``, in capture
    order, under the books' locks); return, per capture, the paths never seen before on its book's site,
    sorted (a book's first batch is its baseline: nothing new)."""
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


def refresh_key_health(conn: psycopg.Connection, touched: Iterable[tuple[str, str, datetime]]) -> None:
    """Recompute ``analytics.key_health`` for the UTC hour of each (site country, book, capture time) given,
    under the hours' locks in the caller's transaction; an hour left with no capture loses its row."""
    hours = sorted({(country, book, capture_hour(at)) for country, book, at in touched})
    if not hours:
        return
    lock_units(conn, (f"key_health:{country}:{book}:{hour.isoformat()}" for country, book, hour in hours))
    countries, books, starts = (list(column) for column in zip(*hours, strict=True))
    conn.execute(_REFRESH, {"countries": countries, "books": books, "hours": starts})


#: Open outcomes an hour (and a baseline) must hold before its shares are judged.
MIN_OPEN_OUTCOMES = 200
#: The baseline: the book's own hours of this many days before the hour judged.
BASELINE_DAYS = 7


def judged_hours(
    conn: psycopg.Connection,
    *,
    latest: datetime | None = None,
    earliest: datetime | None = None,
    site_country: str | None = None,
) -> Rows:
    """Per site country (``site_country`` alone when given) and book, the latest hour with enough open
    outcomes (between ``earliest`` and ``latest`` when given), its counts, shares and new fields, and its
    baseline (``baseline_*_share`` null while the days before hold too few)."""
    return read_rows(
        conn,
        """
        WITH judged AS (
            SELECT DISTINCT ON (site_country, book) site_country, book, hour, captures, open_outcomes,
                   keyed_outcomes, set_aside_outcomes, suspect_outcomes, keyed_share, set_aside_share,
                   suspect_share, new_fields
            FROM analytics.key_health
            WHERE open_outcomes >= %(min_open)s
              AND (%(latest)s::timestamptz IS NULL OR hour <= %(latest)s::timestamptz)
              AND (%(earliest)s::timestamptz IS NULL OR hour >= %(earliest)s::timestamptz)
              AND (%(country)s::text IS NULL OR site_country = %(country)s::text)
            ORDER BY site_country, book, hour DESC
        )
        SELECT j.*, b.hours AS baseline_hours, b.open_outcomes AS baseline_open_outcomes,
               CASE WHEN b.open_outcomes >= %(min_open)s
                    THEN b.keyed_outcomes::float8 / b.open_outcomes END AS baseline_keyed_share,
               CASE WHEN b.open_outcomes >= %(min_open)s
                    THEN b.set_aside_outcomes::float8 / b.open_outcomes END AS baseline_set_aside_share,
               CASE WHEN b.open_outcomes >= %(min_open)s AND b.keyed_outcomes > 0
                    THEN b.suspect_outcomes::float8 / b.keyed_outcomes END AS baseline_suspect_share
        FROM judged AS j
        CROSS JOIN LATERAL (
            SELECT count(*)::int AS hours, coalesce(sum(h.open_outcomes), 0)::bigint AS open_outcomes,
                   coalesce(sum(h.keyed_outcomes), 0)::bigint AS keyed_outcomes,
                   coalesce(sum(h.set_aside_outcomes), 0)::bigint AS set_aside_outcomes,
                   coalesce(sum(h.suspect_outcomes), 0)::bigint AS suspect_outcomes
            FROM analytics.key_health AS h
            WHERE h.site_country = j.site_country AND h.book = j.book AND h.hour < j.hour
              AND h.hour >= j.hour - make_interval(days => %(days)s)
        ) AS b
        ORDER BY j.site_country, j.book
        """,
        {
            "min_open": MIN_OPEN_OUTCOMES,
            "latest": latest,
            "earliest": earliest,
            "days": BASELINE_DAYS,
            "country": site_country,
        },
    )


def key_health_series(conn: psycopg.Connection, site_country: str) -> Rows:
    """Every book's judgeable hours on ``site_country``'s sites, of the ``BASELINE_DAYS`` up to the newest
    hour the country's rows hold, oldest first."""
    return read_rows(
        conn,
        """
        SELECT book, hour, captures, open_outcomes, keyed_share, set_aside_share, suspect_share,
               cardinality(new_fields) AS new_fields
        FROM analytics.key_health
        WHERE site_country = %(country)s AND open_outcomes >= %(min_open)s
          AND hour > (SELECT max(hour) FROM analytics.key_health WHERE site_country = %(country)s)
                     - make_interval(days => %(days)s)
        ORDER BY book, hour
        """,
        {"country": site_country, "min_open": MIN_OPEN_OUTCOMES, "days": BASELINE_DAYS},
    )
