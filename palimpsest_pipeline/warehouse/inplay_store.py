"""The in-play suspension's reads and writes, inside the live poll's transaction (its country's advisory lock,
one writer): the books' earlier scores, this poll's scores, and the poll's counts added to
``analytics.inplay_suspension``."""

from __future__ import annotations

from datetime import datetime, timedelta

import orjson
import polars as pl
import psycopg

from palimpsest_pipeline.transforms.inplay_suspension import EARLIER


def earlier_scores(
    conn: psycopg.Connection, site_country: str, polled_at: datetime, back: timedelta, slack: timedelta
) -> pl.DataFrame:
    """Each (book, match)'s score at its last poll at or before ``back`` ago, no older than ``slack`` more."""
    rows = conn.execute(
        """
        SELECT DISTINCT ON (book, sr_id) book, sr_id, home_score, away_score
        FROM core.inplay_scores
        WHERE site_country = %s AND polled_at <= %s AND polled_at >= %s
        ORDER BY book, sr_id, polled_at DESC
        """,
        (site_country, polled_at - back, polled_at - back - slack),
    ).fetchall()
    return pl.DataFrame(rows, schema=EARLIER, orient="row")


def record_scores(
    conn: psycopg.Connection, site_country: str, polled_at: datetime, rows: pl.DataFrame, keep: timedelta
) -> None:
    """This poll's scores (rows with one), and the country's scores older than ``keep`` deleted."""
    scored = rows.filter(pl.col("home_score").is_not_null())
    if not scored.is_empty():
        conn.execute(
            """
            INSERT INTO core.inplay_scores (site_country, book, sr_id, polled_at, home_score, away_score)
            SELECT %s, r.book, r.sr_id, %s, r.home, r.away
            FROM unnest(%s::text[], %s::bigint[], %s::integer[], %s::integer[]) AS r (book, sr_id, home, away)
            ON CONFLICT DO NOTHING
            """,
            (
                site_country,
                polled_at,
                scored["book"].to_list(),
                scored["sr_id"].to_list(),
                scored["home_score"].to_list(),
                scored["away_score"].to_list(),
            ),
        )
    conn.execute(
        "DELETE FROM core.inplay_scores WHERE site_country = %s AND polled_at < %s",
        (site_country, polled_at - keep),
    )


def add_suspension(
    conn: psycopg.Connection, site_country: str, polled_at: datetime, counts: pl.DataFrame
) -> None:
    """Add one poll's counts to ``analytics.inplay_suspension``, each match counted once per row."""
    if counts.is_empty():
        return
    conn.execute(
        """
        WITH obs AS (
            SELECT * FROM json_to_recordset(%(rows)s::json)
                AS r (kickoff_date date, book text, market_family text, phase text, sr_id bigint,
                      lines_observed bigint, lines_suspended bigint)
        ), new_matches AS (
            INSERT INTO core.inplay_suspension_matches
                (site_country, kickoff_date, book, market_family, phase, sr_id)
            SELECT %(cc)s, o.kickoff_date, o.book, o.market_family, o.phase, o.sr_id FROM obs o
            WHERE NOT EXISTS (  -- most are counted already: a probe is cheaper than an insert attempt
                SELECT 1 FROM core.inplay_suspension_matches m
                WHERE m.site_country = %(cc)s AND m.kickoff_date = o.kickoff_date AND m.book = o.book
                  AND m.market_family = o.market_family AND m.phase = o.phase AND m.sr_id = o.sr_id
            )
            ON CONFLICT DO NOTHING
            RETURNING kickoff_date, book, market_family, phase
        ), added AS (
            SELECT kickoff_date, book, market_family, phase, count(*)::integer AS matches
            FROM new_matches GROUP BY 1, 2, 3, 4
        ), sums AS (
            SELECT kickoff_date, book, market_family, phase,
                   sum(lines_observed)::bigint AS lines_observed,
                   sum(lines_suspended)::bigint AS lines_suspended
            FROM obs GROUP BY 1, 2, 3, 4
        )
        INSERT INTO analytics.inplay_suspension AS t
            (site_country, kickoff_date, book, market_family, phase, lines_observed, lines_suspended, matches,
             updated_at)
        SELECT %(cc)s, s.kickoff_date, s.book, s.market_family, s.phase, s.lines_observed, s.lines_suspended,
               coalesce(a.matches, 0), %(at)s
        FROM sums s LEFT JOIN added a USING (kickoff_date, book, market_family, phase)
        ON CONFLICT (site_country, kickoff_date, book, market_family, phase) DO UPDATE SET
            lines_observed = t.lines_observed + excluded.lines_observed,
            lines_suspended = t.lines_suspended + excluded.lines_suspended,
            matches = t.matches + excluded.matches,
            updated_at = excluded.updated_at
        """,
        # one JSON text written by Polars: adapting thousands of values one by one costs far more
        {"rows": counts.write_json(), "cc": site_country, "at": polled_at},
    )


def note_set_aside(
    conn: psycopg.Connection, site_country: str, polled_at: datetime, set_aside: pl.DataFrame
) -> None:
    """The rows each book's poll could not place in a phase, per reason, on its ``analytics.live_suspension``
    row of the poll."""
    if set_aside.is_empty():
        return
    per_book: dict[str, dict[str, int]] = {}
    for book, reason, rows in set_aside.iter_rows():
        per_book.setdefault(book, {})[reason] = rows
    conn.execute(
        """
        UPDATE analytics.live_suspension AS s SET inplay_set_aside = r.reasons::jsonb
        FROM unnest(%s::text[], %s::text[]) AS r (book, reasons)
        WHERE s.polled_at = %s AND s.site_country = %s AND s.book = r.book
        """,
        (list(per_book), [orjson.dumps(v).decode() for v in per_book.values()], polled_at, site_country),
    )
