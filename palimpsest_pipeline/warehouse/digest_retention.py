"""What the weekly digest's retention section reads (analytics.market_retention and
analytics.betpawa_retention_vs_best) for one site country and ISO week: retention per book and pair of
snapshots, per competition and per provider, the key markets dropped, and BetPawa against the best competitor.
Retentions are pooled (types kept over types offered, summed over the matches), to one decimal, in SQL.
"""

from __future__ import annotations

import polars as pl
import psycopg

from palimpsest_pipeline.warehouse.digest_reader import DigestWeek
from palimpsest_pipeline.warehouse.table_io import read_frame

#: The pair the weekly figures use: BetPawa's own monitor's (its last prematch capture against +5).
WEEKLY_PAIR = ("T-1", 5)


def _pooled(kept: str, offered: str) -> str:
    return f"round((100.0 * sum({kept}) / nullif(sum({offered}), 0))::numeric, 1)::float8"


#: Per group: its matches, pooled market type, line and selection retention, the matches under half, the
#: matches with a key market dropped, prices compared and moved 30 % or more.
_FIGURES = f"""
    count(*)::bigint AS matches,
    {_pooled("market_types_kept", "market_types_prematch")} AS market_pct,
    {_pooled("lines_kept", "lines_prematch")} AS line_pct,
    {_pooled("selections_kept", "selections_prematch")} AS selection_pct,
    count(*) FILTER (WHERE market_retention < 0.5)::bigint AS under_half,
    count(*) FILTER (WHERE cardinality(key_markets_dropped) > 0)::bigint AS key_dropped_matches,
    sum(prices_compared)::bigint AS prices_compared,
    sum(prices_moved)::bigint AS prices_moved
"""

_WEEK = """
    FROM analytics.market_retention
    WHERE site_country = %(cc)s AND kickoff_date BETWEEN %(first)s AND %(last)s
"""

_WEEKLY_PAIR = " AND prematch_snapshot = %(prematch)s AND live_snapshot = %(live)s"


def _params(week: DigestWeek) -> dict[str, object]:
    return {**week.params(), "prematch": WEEKLY_PAIR[0], "live": WEEKLY_PAIR[1]}


def by_book(conn: psycopg.Connection, week: DigestWeek) -> pl.DataFrame:
    """Per book, the weekly pair's figures over the week's matches."""
    return read_frame(
        conn,
        f"SELECT book, {_FIGURES} {_WEEK} {_WEEKLY_PAIR} GROUP BY book ORDER BY book = 'betpawa' DESC, book",
        _params(week),
    )


def by_pair(conn: psycopg.Connection, week: DigestWeek) -> pl.DataFrame:
    """Per book and pair of snapshots (T-60, T-15, T-1 against +0, +2, +5), pooled retention."""
    return read_frame(
        conn,
        f"""
        SELECT book, prematch_snapshot AS prematch, live_snapshot AS live, count(*)::bigint AS matches,
               {_pooled("market_types_kept", "market_types_prematch")} AS market_pct,
               {_pooled("lines_kept", "lines_prematch")} AS line_pct,
               {_pooled("selections_kept", "selections_prematch")} AS selection_pct
        {_WEEK}
        GROUP BY book, prematch_snapshot, live_snapshot
        ORDER BY book = 'betpawa' DESC, book, array_position(ARRAY['T-60', 'T-15', 'T-1'], prematch_snapshot),
                 live_snapshot
        """,
        week.params(),
    )


def by_competition(conn: psycopg.Connection, week: DigestWeek) -> pl.DataFrame:
    """Per sport, competition, provider and book, the weekly pair's figures."""
    return read_frame(
        conn,
        f"""
        SELECT sport, tournament, provider, book, {_FIGURES} {_WEEK} {_WEEKLY_PAIR}
        GROUP BY sport, tournament, provider, book
        ORDER BY sport, tournament, provider, book = 'betpawa' DESC, book
        """,
        _params(week),
    )


def by_provider(conn: psycopg.Connection, week: DigestWeek) -> pl.DataFrame:
    """Per data provider (sportradar, genius_sports) and book, the weekly pair's figures."""
    return read_frame(
        conn,
        f"""
        SELECT provider, book, {_FIGURES} {_WEEK} {_WEEKLY_PAIR}
        GROUP BY provider, book ORDER BY provider, book = 'betpawa' DESC, book
        """,
        _params(week),
    )


def key_markets(conn: psycopg.Connection, week: DigestWeek) -> pl.DataFrame:
    """Per book and key market, the weekly pair's matches offering it at T-1 and those dropping it at +5."""
    return read_frame(
        conn,
        f"""
        SELECT book, market, count(*)::bigint AS offered,
               count(*) FILTER (WHERE market = ANY(key_markets_dropped))::bigint AS dropped
        FROM analytics.market_retention, unnest(key_markets_offered) AS market
        WHERE site_country = %(cc)s AND kickoff_date BETWEEN %(first)s AND %(last)s {_WEEKLY_PAIR}
        GROUP BY book, market
        ORDER BY book = 'betpawa' DESC, book, market
        """,
        _params(week),
    )


def betpawa_against_best(conn: psycopg.Connection, week: DigestWeek) -> pl.DataFrame:
    """Per sport and competition, BetPawa's market retention against the best competitor's on the same
    matches (weekly pair): the matches compared, the two means, the mean gap in points, the matches where
    BetPawa kept less, its key markets dropped, and the competitors that were best; the widest gap first."""
    return read_frame(
        conn,
        """
        WITH compared AS (
            SELECT * FROM analytics.betpawa_retention_vs_best
            WHERE site_country = %(cc)s AND kickoff_date BETWEEN %(first)s AND %(last)s
              AND prematch_snapshot = %(prematch)s AND live_snapshot = %(live)s
              AND betpawa_retention IS NOT NULL
        ), best AS (
            SELECT sport, tournament, string_agg(DISTINCT book, ', ' ORDER BY book) AS best_books
            FROM compared, unnest(best_books) AS book GROUP BY sport, tournament
        )
        SELECT c.sport, c.tournament, count(*)::bigint AS matches,
               round((100 * avg(c.betpawa_retention))::numeric, 1)::float8 AS betpawa_pct,
               round((100 * avg(c.best_retention))::numeric, 1)::float8 AS best_pct,
               round((100 * avg(c.retention_gap))::numeric, 1)::float8 AS gap_points,
               count(*) FILTER (WHERE c.retention_gap < 0)::bigint AS kept_less,
               coalesce(sum(cardinality(c.betpawa_key_markets_dropped)), 0)::bigint AS key_markets_dropped,
               b.best_books
        FROM compared AS c LEFT JOIN best AS b USING (sport, tournament)
        GROUP BY c.sport, c.tournament, b.best_books
        ORDER BY avg(c.retention_gap), c.sport, c.tournament
        """,
        _params(week),
    )
