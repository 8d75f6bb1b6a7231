"""What each alert rule sees in the warehouse now: one query per rule, rows as plain dicts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import psycopg

from palimpsest_pipeline.books.editions import EDITIONS
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.warehouse.table_io import Rows, read_rows

#: BetPawa's fresh, unsuspected prices of main markets (``%(markets)s``) below the best competitor price of
#: the same site country by more than ``%(gap)s`` (a share of the best price): the comparison ``c``, BetPawa's
#: price ``bp`` and the match ``m``; a query adds its own conditions after ``AND``.
OUT_OF_LINE_FROM = """
        FROM analytics.outcome_comparison AS c
        JOIN analytics.outcome_prices AS bp
          ON (bp.kickoff_date, bp.site_country, bp.sr_id, bp.market, bp.specifier, bp.outcome, bp.book)
             = (c.kickoff_date, c.site_country, c.sr_id, c.market, c.specifier, c.outcome, 'betpawa')
        JOIN analytics.matches AS m
          ON m.kickoff_date = c.kickoff_date AND m.site_country = c.site_country AND m.sr_id = c.sr_id
        WHERE c.market = ANY(%(markets)s) AND c.best_book <> 'betpawa' AND bp.price IS NOT NULL
          AND NOT coalesce(bp.stale, false) AND NOT coalesce(bp.suspect, false)
          AND bp.price < c.best_price * (1 - %(gap)s)
"""


def live_gaps(conn: psycopg.Connection, now: datetime, seen_seconds: float) -> Rows:
    """Open gaps of matches live on a competitor and not on BetPawa, seen within ``seen_seconds``, in every
    site country (each row names its ``site_country``)."""
    return read_rows(
        conn,
        """
        SELECT site_country, sr_id, sport, country, tournament, home, away, live_on, since, last_seen_at
        FROM analytics.live_coverage
        WHERE 'betpawa' = ANY(missing_on) AND closed_at IS NULL
          AND last_seen_at >= %(now)s - make_interval(secs => %(seen)s)
        """,
        {"now": now, "seen": seen_seconds},
    )


def to_list_soon(conn: psycopg.Connection, now: datetime, within_hours: float) -> Rows:
    """Matches a competitor lists and BetPawa does not, kicking off within ``within_hours``, in every site
    country (each row names its ``site_country``)."""
    return read_rows(
        conn,
        """
        SELECT site_country, sr_id, match_key, sport, country, tournament, home, away, kickoff, listed_by,
               first_listed_at
        FROM analytics.to_list_now
        WHERE kickoff > %(now)s AND kickoff <= %(now)s + make_interval(secs => %(hours)s * 3600)
        """,
        {"now": now, "hours": within_hours},
    )


def prices_out_of_line(
    conn: psycopg.Connection, now: datetime, gap: float, main_markets: Sequence[int]
) -> Rows:
    """BetPawa's fresh, unsuspected prices on main markets of matches still to kick off, below the best
    fresh competitor price of the same site country by more than ``gap`` (a share of the best price), in
    every site country (each row names its ``site_country``)."""
    return read_rows(
        conn,
        f"""
        SELECT c.site_country, c.sr_id, c.market, c.specifier, c.outcome, c.market_name, c.outcome_name,
               bp.price AS price_betpawa, c.best_price, c.best_book, c.betpawa_gap,
               m.sport, m.tournament, m.home, m.away, m.kickoff
        {OUT_OF_LINE_FROM}
          AND c.kickoff_date >= (%(now)s AT TIME ZONE 'UTC')::date
          AND m.kickoff > %(now)s
        """,
        {"now": now, "markets": list(main_markets), "gap": gap},
    )


def stale_feeds(
    conn: psycopg.Connection, now: datetime, stale_minutes: float, books: Sequence[Book] = tuple(Book)
) -> Rows:
    """Book editions (of ``books``, every book by default, on each site country they have an edition in)
    whose newest good odds capture or catalogue scrape is older than ``stale_minutes`` while another book's
    on the same country's sites is not: that country's pipeline is running, that edition's feed is not
    keeping up. Each row names its ``site_country``."""
    editions = sorted((country, book.value) for book, country in EDITIONS if book in books)
    return read_rows(
        conn,
        """
        WITH newest AS (
            SELECT e.site_country, e.book,
                   (SELECT max(captured_at) FROM core.odds_captures o
                     WHERE o.book = e.book AND o.site_country = e.site_country AND o.status = 'ok')
                       AS odds_at,
                   (SELECT max(finished_at) FROM core.book_runs r
                     WHERE r.book = e.book AND r.site_country = e.site_country AND r.status = 'ok')
                       AS catalogue_at
            FROM unnest(%(countries)s::text[], %(books)s::text[]) AS e (site_country, book)
        ), limit_at AS (SELECT %(now)s - make_interval(secs => %(minutes)s * 60) AS at)
        SELECT n.site_country, n.book, n.odds_at, n.catalogue_at,
               CASE WHEN n.odds_at < l.at OR (n.odds_at IS NULL AND o.odds_at IS NOT NULL) THEN 'odds'
                    ELSE 'catalogue' END AS feed
        FROM newest AS n CROSS JOIN limit_at AS l
        CROSS JOIN LATERAL (
            SELECT max(odds_at) AS odds_at, max(catalogue_at) AS catalogue_at
            FROM newest AS other WHERE other.site_country = n.site_country AND other.book <> n.book
        ) AS o
        WHERE (o.odds_at >= l.at AND (n.odds_at IS NULL OR n.odds_at < l.at))
           OR (o.catalogue_at >= l.at AND (n.catalogue_at IS NULL OR n.catalogue_at < l.at))
        """,
        {
            "now": now,
            "minutes": stale_minutes,
            "countries": [country for country, _ in editions],
            "books": [book for _, book in editions],
        },
    )


def retention_switches(conn: psycopg.Connection, now: datetime, recent: timedelta) -> Rows:
    """BetPawa's retention rows of the weekly pair (T-1 against +5) whose live snapshot was taken within
    ``recent`` before ``now``, in every site country (each row names its ``site_country``): what the
    retention rules judge, a switch being news for that long."""
    return read_rows(
        conn,
        """
        SELECT site_country, sr_id, sport, tournament, home, away, kickoff, provider, live_captured_at,
               market_types_prematch, market_types_kept, market_retention, key_markets_offered,
               key_markets_dropped, prices_compared, prices_moved
        FROM analytics.market_retention
        WHERE book = 'betpawa' AND prematch_snapshot = 'T-1' AND live_snapshot = 5
          AND kickoff_date >= ((%(now)s - %(recent)s - interval '1 day') AT TIME ZONE 'UTC')::date
          AND live_captured_at > %(now)s - %(recent)s AND live_captured_at <= %(now)s
        """,
        {"now": now, "recent": recent},
    )


def keys_drift_evidence(
    conn: psycopg.Connection, site_country: str, book: str, hour: datetime
) -> dict[str, Rows]:
    """What moved on ``book``'s ``site_country`` site in the hour from ``hour``: its single-book suspect
    markets (per market and reason, the latest as an example), its set-aside rows (per kind, with the latest
    reason), and its unkeyed markets' open outcomes in the hour's capture batches against the day before's (a
    week's would be read again at every evaluation while the alert holds)."""
    window = {
        "country": site_country,
        "book": book,
        "hour": hour,
        "end": hour + timedelta(hours=1),
        "before": hour - timedelta(hours=24),
    }
    suspects = read_rows(
        conn,
        """
        SELECT market, reason, count(*)::int AS lines, count(DISTINCT sr_id)::int AS matches
        FROM core.market_suspects AS s
        WHERE book = %(book)s AND s.site_country = %(country)s
          AND captured_at >= %(hour)s AND captured_at < %(end)s
        GROUP BY market, reason ORDER BY lines DESC, market, reason LIMIT 10
        """,
        window,
    )
    example = (
        read_rows(
            conn,
            f"""
            SELECT s.sr_id, s.market, s.specifier, s.reason, s.detail, m.home, m.away
            FROM core.market_suspects AS s {_match_join("s")}
            WHERE s.book = %(book)s AND s.site_country = %(country)s
              AND s.captured_at >= %(hour)s AND s.captured_at < %(end)s
              AND s.market = %(market)s AND s.reason = %(reason)s
            ORDER BY s.captured_at DESC, s.sr_id, s.specifier LIMIT 1
            """,
            {**window, "market": suspects[0]["market"], "reason": suspects[0]["reason"]},
        )
        if suspects
        else []
    )
    set_aside = read_rows(
        conn,
        f"""
        WITH kinds AS (
            SELECT kind, count(*)::int AS items, max(id) AS latest
            FROM core.quarantined_rows AS a
            WHERE stage = 'odds' AND book = %(book)s AND a.site_country = %(country)s
              AND kind <> 'nul_removed'
              AND recorded_at >= %(hour)s AND recorded_at < %(end)s
            GROUP BY kind
        )
        SELECT k.kind, k.items, q.reason, q.excerpt, q.sr_id, m.home, m.away
        FROM kinds AS k JOIN core.quarantined_rows AS q ON q.id = k.latest
        {_match_join("q")}
        ORDER BY k.items DESC, k.kind
        """,
        window,
    )
    unmapped = read_rows(
        conn,
        """
        WITH batches AS (
            SELECT batch_id, bool_or(captured_at >= %(hour)s) AS in_hour
            FROM core.odds_captures AS o
            WHERE book = %(book)s AND o.site_country = %(country)s AND status = 'ok'
              AND captured_at >= %(before)s AND captured_at < %(end)s
            GROUP BY batch_id
        ), opened AS (
            SELECT b.in_hour, sum(o.open_outcomes)::bigint AS open_outcomes
            FROM batches AS b JOIN core.odds_captures AS o ON o.batch_id = b.batch_id
            WHERE o.book = %(book)s AND o.site_country = %(country)s AND o.status = 'ok'
            GROUP BY b.in_hour
        ), unkeyed AS (
            SELECT u.market_key,
                   coalesce(sum(u.outcomes) FILTER (WHERE b.in_hour), 0)::bigint AS outcomes,
                   coalesce(sum(u.outcomes) FILTER (WHERE NOT b.in_hour), 0)::bigint AS before_outcomes
            FROM core.unmapped_markets AS u JOIN batches AS b ON b.batch_id = u.batch_id
            WHERE u.book = %(book)s AND u.site_country = %(country)s
            GROUP BY u.market_key
        )
        SELECT u.market_key, u.outcomes, u.before_outcomes,
               coalesce((SELECT open_outcomes FROM opened WHERE in_hour), 0) AS open_outcomes,
               coalesce((SELECT open_outcomes FROM opened WHERE NOT in_hour), 0) AS before_open_outcomes
        FROM unkeyed AS u WHERE u.outcomes > 0
        """,
        window,
    )
    return {"suspects": suspects, "example": example, "set_aside": set_aside, "unmapped": unmapped}


def _match_join(alias: str) -> str:
    """The match's names (its newest matched event) beside the row ``alias`` carrying an ``sr_id``."""
    return f"""
        LEFT JOIN LATERAL (
            SELECT home, away FROM analytics.matched_events AS e WHERE e.sr_id = {alias}.sr_id
            ORDER BY e.kickoff_date DESC LIMIT 1
        ) AS m ON true
    """
