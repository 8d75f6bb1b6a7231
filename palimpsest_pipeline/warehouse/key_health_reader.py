"""Each book's key health as the keys_drift alert judges it and the traders' report shows it.

The hour judged is a book edition's latest hour with enough open outcomes; its baseline is the edition's
``BASELINE_DAYS`` before it, each share weighted by its own denominator.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row

#: Open outcomes an hour (and a baseline) must hold before its shares are judged: below it one market more
#: or less moves a share by points.
MIN_OPEN_OUTCOMES = 200
#: The baseline: the book's own hours of this many days before the hour judged.
BASELINE_DAYS = 7

Rows = list[dict[str, Any]]


def judged_hours(
    conn: psycopg.Connection,
    *,
    latest: datetime | None = None,
    earliest: datetime | None = None,
    min_open: int = MIN_OPEN_OUTCOMES,
    site_country: str | None = None,
) -> Rows:
    """Per site country (``site_country`` alone when given) and book, the latest hour with at least
    ``min_open`` open outcomes (starting between ``earliest`` and ``latest`` when given), its counts, shares
    and new fields, and its baseline: ``baseline_*_share`` is null when the days before hold fewer than
    ``min_open`` open outcomes (no baseline yet)."""
    with conn.cursor(row_factory=dict_row) as cursor:
        return cursor.execute(
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
                "min_open": min_open,
                "latest": latest,
                "earliest": earliest,
                "days": BASELINE_DAYS,
                "country": site_country,
            },
        ).fetchall()


def key_health_series(
    conn: psycopg.Connection,
    site_country: str,
    *,
    days: int = BASELINE_DAYS,
    min_open: int = MIN_OPEN_OUTCOMES,
) -> Rows:
    """Every book's judgeable hours (at least ``min_open`` open outcomes) on ``site_country``'s sites, of the
    ``days`` days up to the newest hour the country's rows hold, oldest first."""
    with conn.cursor(row_factory=dict_row) as cursor:
        return cursor.execute(
            """
            SELECT book, hour, captures, open_outcomes, keyed_share, set_aside_share, suspect_share,
                   cardinality(new_fields) AS new_fields
            FROM analytics.key_health
            WHERE site_country = %(country)s AND open_outcomes >= %(min_open)s
              AND hour > (SELECT max(hour) FROM analytics.key_health WHERE site_country = %(country)s)
                         - make_interval(days => %(days)s)
            ORDER BY book, hour
            """,
            {"country": site_country, "min_open": min_open, "days": days},
        ).fetchall()
