"""The keys' health per book: the payload fields each book has shown, and ``analytics.key_health``,
recomputed whole per (site country, book, hour) from ``core.odds_captures`` (a capture stored twice, or two
writers of one hour, give the same row); read back as the keys_drift alert judges it and the report shows it:
a book edition's latest hour with enough open outcomes, against its ``BASELINE_DAYS`` before. Beside it,
``analytics.key_health_families``: per event, book and family, the open keyed outcomes a competitor prices
under the same key, kept summed per hour by their writer (``analytics.key_health_family_hours``), a book's
latest hour judged against its days before."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

import polars as pl
import psycopg

from palimpsest_pipeline.warehouse.locks import lock_units
from palimpsest_pipeline.warehouse.table_io import Rows, copy_binary, read_rows

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


#: The columns of an ``analytics.key_health_families`` row as written, and their types for the binary COPY.
_FAMILY_COLUMNS = ("site_country", "sr_id", "book", "family", "hour", "keyed_outcomes", "competitor_priced")
_FAMILY_TYPES = ("text", "int8", "text", "text", "timestamptz", "int4", "int4")
#: A (book, hour, family)'s counts: what ``analytics.key_health_family_hours`` sums.
_HOUR_KEY = ("book", "hour", "family")

# The replaced rows' counts go out of their hours and the new rows' come in, one change per hour row, in key
# order (two writers of different events take their common rows in one order: neither waits on the other
# while holding a row it wants). A subtraction never creates a row, nor takes one below zero: neither happens
# while the sums are exact, only to an hour the retention is deleting under a writer, about to go anyway.
_MOVE_HOURS = """
WITH gone AS (
    DELETE FROM analytics.key_health_families AS k USING unnest(%(sr_ids)s::bigint[], %(books)s::text[])
        AS p (sr_id, book)
    WHERE k.site_country = %(country)s AND k.sr_id = p.sr_id AND k.book = p.book
    RETURNING k.book, k.hour, k.family, k.keyed_outcomes, k.competitor_priced
), moved AS (
    SELECT book, hour, family, sum(keyed_outcomes)::int AS keyed, sum(competitor_priced)::int AS priced
    FROM (
        SELECT book, hour, family, -keyed_outcomes AS keyed_outcomes, -competitor_priced AS competitor_priced
        FROM gone
        UNION ALL
        SELECT * FROM unnest(%(new_books)s::text[], %(new_hours)s::timestamptz[], %(new_families)s::text[],
                             %(new_keyed)s::int[], %(new_priced)s::int[])
    ) AS change
    GROUP BY book, hour, family
    HAVING sum(keyed_outcomes) <> 0 OR sum(competitor_priced) <> 0
), applied AS (
    INSERT INTO analytics.key_health_family_hours AS h
        (site_country, book, hour, family, keyed_outcomes, competitor_priced)
    SELECT %(country)s, m.book, m.hour, m.family, m.keyed, m.priced
    FROM moved AS m
    WHERE (m.keyed > 0 AND m.priced >= 0 AND m.priced <= m.keyed)
       OR EXISTS (SELECT 1 FROM analytics.key_health_family_hours AS e WHERE e.site_country = %(country)s
                  AND e.book = m.book AND e.hour = m.hour AND e.family = m.family)
    ORDER BY m.book, m.hour, m.family
    ON CONFLICT (site_country, book, hour, family) DO UPDATE SET
        keyed_outcomes = greatest(h.keyed_outcomes + EXCLUDED.keyed_outcomes, 0),
        competitor_priced = least(greatest(h.competitor_priced + EXCLUDED.competitor_priced, 0),
                                  greatest(h.keyed_outcomes + EXCLUDED.keyed_outcomes, 0))
    RETURNING h.book, h.hour, h.family, h.keyed_outcomes
)
SELECT book, hour, family FROM applied WHERE keyed_outcomes = 0
"""


def write_family_sharing(conn: psycopg.Connection, families: pl.DataFrame, *, site_country: str) -> int:
    """Replace ``site_country``'s rows of each (event, book) of ``families``
    (``transforms.key_sharing.FAMILY_SHARING_SCHEMA``) with its rows there, and move their counts between
    the hours of ``analytics.key_health_family_hours``, under the events' locks in one transaction; a book of
    the event without rows in ``families`` keeps its own. Returns the rows written."""
    pairs = families.select("sr_id", "book").unique().sort("sr_id", "book")
    if pairs.is_empty():
        return 0
    written = families.sort("sr_id", "book", "family").select(
        pl.lit(site_country).alias("site_country"), *_FAMILY_COLUMNS[1:]
    )
    hours = written.group_by(_HOUR_KEY).agg(pl.col("keyed_outcomes").sum(), pl.col("competitor_priced").sum())
    with conn.transaction():
        lock_units(conn, (f"key_health_families:{site_country}:{sr_id}" for sr_id in pairs["sr_id"]))
        emptied = conn.execute(
            _MOVE_HOURS,
            {
                "country": site_country,
                "sr_ids": pairs["sr_id"].to_list(),
                "books": pairs["book"].to_list(),
                "new_books": hours["book"].to_list(),
                "new_hours": hours["hour"].to_list(),
                "new_families": hours["family"].to_list(),
                "new_keyed": hours["keyed_outcomes"].to_list(),
                "new_priced": hours["competitor_priced"].to_list(),
            },
        ).fetchall()
        if emptied:
            conn.execute(
                "DELETE FROM analytics.key_health_family_hours AS h USING unnest(%s::text[], "
                "%s::timestamptz[], %s::text[]) AS z (book, hour, family) WHERE h.site_country = %s "
                "AND h.book = z.book AND h.hour = z.hour AND h.family = z.family AND h.keyed_outcomes = 0",
                (*(list(column) for column in zip(*emptied, strict=True)), site_country),
            )
        copy_binary(
            conn, "analytics.key_health_families", _FAMILY_COLUMNS, _FAMILY_TYPES, written.iter_rows()
        )
    return written.height


def judged_families(
    conn: psycopg.Connection,
    site_country: str | None = None,
    *,
    latest: datetime | None = None,
    earliest: datetime | None = None,
) -> Rows:
    """Per site country (``site_country`` alone when given) and book, its latest hour in
    ``analytics.key_health_family_hours`` (between ``earliest`` and ``latest`` when given): each family's
    keyed outcomes, those a competitor prices and the share, beside the same sums over the ``BASELINE_DAYS``
    before (null when those hold none of the family); largest families first."""
    return read_rows(
        conn,
        """
        WITH RECURSIVE books AS (  -- each (site country, book) by one index probe, not a scan of its hours
            (SELECT site_country, book FROM analytics.key_health_family_hours
             WHERE %(country)s::text IS NULL OR site_country = %(country)s::text
             ORDER BY site_country, book LIMIT 1)
            UNION ALL
            SELECT n.site_country, n.book FROM books AS b CROSS JOIN LATERAL (
                SELECT site_country, book FROM analytics.key_health_family_hours AS h
                WHERE (h.site_country, h.book) > (b.site_country, b.book)
                  AND (%(country)s::text IS NULL OR h.site_country = %(country)s::text)
                ORDER BY site_country, book LIMIT 1
            ) AS n
        ), latest AS (
            SELECT b.site_country, b.book, l.hour FROM books AS b CROSS JOIN LATERAL (
                SELECT max(h.hour) AS hour FROM analytics.key_health_family_hours AS h
                WHERE h.site_country = b.site_country AND h.book = b.book
                  AND (%(latest)s::timestamptz IS NULL OR h.hour <= %(latest)s::timestamptz)
            ) AS l
            WHERE l.hour IS NOT NULL
              AND (%(earliest)s::timestamptz IS NULL OR l.hour >= %(earliest)s::timestamptz)
        ), sums AS (  -- each book's hours by a range of the key
            SELECT l.site_country, l.book, l.hour, s.* FROM latest AS l CROSS JOIN LATERAL (
                SELECT f.family,
                       sum(f.keyed_outcomes) FILTER (WHERE f.hour = l.hour) AS keyed_outcomes,
                       sum(f.competitor_priced) FILTER (WHERE f.hour = l.hour) AS competitor_priced,
                       sum(f.keyed_outcomes) FILTER (WHERE f.hour < l.hour) AS baseline_keyed_outcomes,
                       sum(f.competitor_priced) FILTER (WHERE f.hour < l.hour) AS baseline_competitor_priced
                FROM analytics.key_health_family_hours AS f
                WHERE f.site_country = l.site_country AND f.book = l.book
                  AND f.hour >= l.hour - make_interval(days => %(days)s) AND f.hour <= l.hour
                GROUP BY f.family
            ) AS s
        )
        SELECT site_country, book, hour, family, keyed_outcomes, competitor_priced,
               competitor_priced::float8 / keyed_outcomes AS competitor_share,
               baseline_keyed_outcomes, baseline_competitor_priced,
               baseline_competitor_priced::float8 / baseline_keyed_outcomes AS baseline_share
        FROM sums
        WHERE keyed_outcomes IS NOT NULL
        ORDER BY site_country, book, keyed_outcomes DESC, family
        """,
        {
            "country": site_country,
            "latest": latest,
            "earliest": earliest,
            "days": BASELINE_DAYS,
        },
    )
