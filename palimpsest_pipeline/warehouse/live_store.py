"""The live watcher's tables: open gap episodes read, one poll's changes and suspension counts written, one
transaction under its country's advisory lock (overlapping watchers never interleave); and what the report's
live panel shows of them (empty frames when the live watcher never ran)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

import polars as pl
import psycopg

from palimpsest_pipeline.records import Book, Gap, GapChanges, LiveEvent, Suspension
from palimpsest_pipeline.transforms.live_starts import kickoff_dates
from palimpsest_pipeline.warehouse.table_io import read_frame, write_partition_changes

#: The advisory lock key of a live poll's write (any constant no other lock in the project uses).
_POLL_LOCK = 0x11FE31


@contextmanager
def poll_turn(conn: psycopg.Connection, site_country: str) -> Iterator[datetime | None]:
    """A transaction holding ``site_country``'s live writer lock; yields the country's newest poll already
    stored (None: none)."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (_POLL_LOCK, site_country))
        row = conn.execute(
            "SELECT max(polled_at) FROM analytics.live_suspension WHERE site_country = %s", (site_country,)
        ).fetchone()
        yield None if row is None else row[0]


def open_gaps(conn: psycopg.Connection, site_country: str) -> list[Gap]:
    """``site_country``'s open gap episodes, oldest first."""
    rows = conn.execute(
        "SELECT sr_id, side, sport, country, tournament, home, away, live_on, missing_on, since,"
        " last_seen_at, gap_id FROM analytics.live_coverage WHERE closed_at IS NULL AND site_country = %s"
        " ORDER BY gap_id",
        (site_country,),
    ).fetchall()
    return [replace(Gap(*row), live_on=tuple(row[7]), missing_on=tuple(row[8])) for row in rows]


def last_counts(conn: psycopg.Connection, site_country: str) -> dict[Book, int]:
    """Each book's live list size on ``site_country``'s site at its latest usable poll (the implausibility
    rule's memory)."""
    rows = conn.execute(
        "SELECT DISTINCT ON (book) book, live_events FROM analytics.live_suspension"
        " WHERE status = 'ok' AND site_country = %s ORDER BY book, polled_at DESC",
        (site_country,),
    ).fetchall()
    return {Book(book): count for book, count in rows}


def record_poll(
    conn: psycopg.Connection,
    site_country: str,
    polled_at: datetime,
    changes: GapChanges,
    books: Sequence[Suspension],
) -> None:
    """Write one poll of ``site_country``'s live lists: its episodes and counts (inside :func:`poll_turn`)."""
    with conn.cursor() as cursor:
        cursor.executemany(
            "UPDATE analytics.live_coverage SET closed_at = %s WHERE gap_id = %s AND closed_at IS NULL",
            [(polled_at, gap.gap_id) for gap in changes.closed],
        )
        cursor.executemany(
            """
            UPDATE analytics.live_coverage
               SET sport = %s, country = %s, tournament = %s, home = %s, away = %s,
                   live_on = %s, missing_on = %s, last_seen_at = %s
            WHERE gap_id = %s
            """,
            [
                (g.sport, g.country, g.tournament, g.home, g.away, list(g.live_on), list(g.missing_on),
                 g.last_seen_at, g.gap_id)
                for g in changes.continued
            ],
        )  # fmt: skip
        cursor.executemany(
            """
            INSERT INTO analytics.live_coverage
                (site_country, sr_id, side, sport, country, tournament, home, away, live_on, missing_on,
                 since, last_seen_at)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
            """,
            [
                (site_country, g.sr_id, g.side, g.sport, g.country, g.tournament, g.home, g.away,
                 list(g.live_on), list(g.missing_on), g.since, g.last_seen_at)
                for g in changes.opened
            ],
        )  # fmt: skip
        cursor.executemany(
            """
            INSERT INTO analytics.live_suspension
                (polled_at, site_country, book, status, live_events, markets, suspended, suspended_share,
                 error, bad_rows)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
            ON CONFLICT (polled_at, site_country, book) DO NOTHING
            """,
            [
                (polled_at, site_country, s.book.value, s.status, s.live_events, s.markets, s.suspended,
                 s.suspended_share, s.error, s.bad_rows)
                for s in books
            ],
        )  # fmt: skip


def record_sightings(
    conn: psycopg.Connection,
    site_country: str,
    polled_at: datetime,
    linked: Mapping[Book, Mapping[int, LiveEvent]],
) -> None:
    """Each match a usable answer shows live, as the book's first live sighting of it unless one is stored
    (inside :func:`poll_turn`)."""
    rows = [
        (book.value, sr_id, live.minute, live.event.kickoff)
        for book, linked_rows in linked.items()
        for sr_id, live in linked_rows.items()
    ]
    if not rows:
        return
    books, sr_ids, minutes, kickoffs = (list(column) for column in zip(*rows, strict=True))
    conn.execute(  # one statement for the whole poll: a row per match live on the lists
        """
        INSERT INTO core.live_sightings (site_country, book, sr_id, first_live_at, match_minute, live_kickoff)
        SELECT %s, r.book, r.sr_id, %s, r.minute, r.kickoff
        FROM unnest(%s::text[], %s::bigint[], %s::integer[], %s::timestamptz[])
             AS r (book, sr_id, minute, kickoff)
        ON CONFLICT (site_country, book, sr_id) DO NOTHING
        """,
        (site_country, polled_at, books, sr_ids, minutes, kickoffs),
    )


def open_gap_counts(conn: psycopg.Connection, site_country: str) -> dict[str, int]:
    """``site_country``'s open gap episodes by side."""
    rows = conn.execute(
        "SELECT side, count(*) FROM analytics.live_coverage WHERE closed_at IS NULL AND site_country = %s"
        " GROUP BY side",
        (site_country,),
    ).fetchall()
    return {side: count for side, count in rows}


def live_start_inputs(
    conn: psycopg.Connection, site_country: str, window: tuple[datetime, datetime], watch: timedelta
) -> LiveStartInputs:
    """What judging ``site_country``'s live starts of the matches kicking off in ``window`` (after, up to]
    reads: their prematch rows (every book), kick-off moves and first live sightings, and the live polls from
    ``watch`` before the window to its end."""
    after, up_to = window
    params = {"country": site_country, "dates": kickoff_dates(window), "after": after, "up_to": up_to}
    in_window = (
        "site_country = %(country)s AND kickoff_date = ANY(%(dates)s) AND kickoff > %(after)s"
        " AND kickoff <= %(up_to)s AND sr_id IS NOT NULL"
    )
    events = read_frame(
        conn,
        f"""
        SELECT book, event_id, sr_id, kickoff, sport, country, tournament_name, home, away, last_seen_at,
               deleted_at
        FROM core.events WHERE {in_window}
        """,
        params,
    )
    moves = read_frame(
        conn,
        f"""
        SELECT c.book, c.event_id, c.kickoff, c.previous_kickoff
        FROM analytics.catalogue_changes c
        JOIN (SELECT site_country, book, event_id FROM core.events WHERE {in_window}) e
          USING (site_country, book, event_id)
        WHERE c.site_country = %(country)s AND c.change = 'moved'
        """,
        params,
    )
    sightings = read_frame(
        conn,
        f"""
        SELECT s.book, s.sr_id, s.first_live_at, s.match_minute, s.live_kickoff
        FROM core.live_sightings s
        WHERE s.site_country = %(country)s
          AND (s.book, s.sr_id) IN (SELECT book, sr_id FROM core.events WHERE {in_window})
        """,
        params,
    )
    polls = read_frame(
        conn,
        """
        SELECT book, polled_at, status = 'ok' AS ok FROM analytics.live_suspension
        WHERE site_country = %(country)s AND polled_at >= %(from)s AND polled_at <= %(up_to)s
        """,
        {**params, "from": after - watch},
    )
    return LiveStartInputs(
        _typed(events, EVENTS), _typed(moves, MOVES), _typed(sightings, SIGHTINGS), _typed(polls, POLLS)
    )


def write_live_starts(
    conn: psycopg.Connection, site_country: str, window: tuple[datetime, datetime], frame: pl.DataFrame
) -> None:
    """Make ``site_country``'s rows of ``analytics.live_starts`` kicking off in ``window`` (after, up to)
    equal ``frame`` (its transform's columns), writing only what changed; the final rows before it stay."""
    frame = frame.with_columns(pl.lit(site_country).alias("site_country"))
    where = {"kickoff_date": kickoff_dates(window), "site_country": site_country}
    write_partition_changes(conn, "analytics.live_starts", where, frame, within=("kickoff", *window))


@dataclass(frozen=True)
class LiveStartInputs:
    """The frames :func:`palimpsest_pipeline.transforms.live_starts.live_starts` judges."""

    events: pl.DataFrame
    moves: pl.DataFrame
    sightings: pl.DataFrame
    polls: pl.DataFrame


_TS = pl.Datetime("us", "UTC")
EVENTS = pl.Schema({
    "book": pl.String(), "event_id": pl.String(), "sr_id": pl.Int64(), "kickoff": _TS, "sport": pl.String(),
    "country": pl.String(), "tournament_name": pl.String(), "home": pl.String(), "away": pl.String(),
    "last_seen_at": _TS, "deleted_at": _TS,
})  # fmt: skip
MOVES = pl.Schema(
    {
        "book": pl.String(),
        "event_id": pl.String(),
        "kickoff": _TS,
        "previous_kickoff": _TS,
    }
)
SIGHTINGS = pl.Schema({
    "book": pl.String(), "sr_id": pl.Int64(), "first_live_at": _TS, "match_minute": pl.Int32(),
    "live_kickoff": _TS,
})  # fmt: skip
POLLS = pl.Schema({"book": pl.String(), "polled_at": _TS, "ok": pl.Boolean()})


def _typed(frame: pl.DataFrame, schema: pl.Schema) -> pl.DataFrame:
    """``frame`` with ``schema``'s types (an empty read has none of them)."""
    if frame.is_empty():
        return pl.DataFrame(schema=schema)
    return frame.select(pl.col(name).cast(dtype) for name, dtype in schema.items())


#: Rows each gap table shows at most (the oldest gaps first).
PANEL_ROWS = 300
#: Open gaps seen this long before the latest poll still show (a poll without BetPawa's answer judges none).
SEEN_SECONDS = 300


@dataclass(frozen=True)
class LivePanelData:
    """The latest poll's instant, the gaps open then on each side, and each book's suspended share; over
    the day before it, BetPawa's late starts where a competitor was on time and each book's retention into
    live."""

    latest_poll: datetime | None
    betpawa_missing: pl.DataFrame
    competitor_missing: pl.DataFrame
    suspension: pl.DataFrame
    betpawa_late: pl.DataFrame = field(default_factory=pl.DataFrame)
    retention: pl.DataFrame = field(default_factory=pl.DataFrame)


def read_live_panel(conn: psycopg.Connection, site_country: str) -> LivePanelData:
    """The live panel of ``site_country``'s sites."""
    row = conn.execute(
        "SELECT max(polled_at) FROM analytics.live_suspension WHERE site_country = %s", (site_country,)
    ).fetchone()
    latest = None if row is None else row[0]
    return LivePanelData(
        latest_poll=latest,
        betpawa_missing=_gaps(conn, site_country, "betpawa_missing", latest),
        competitor_missing=_gaps(conn, site_country, "competitor_missing", latest),
        suspension=_suspension(conn, site_country, latest),
        betpawa_late=_betpawa_late(conn, site_country, latest),
        retention=_retention(conn, site_country, latest),
    )


def _betpawa_late(conn: psycopg.Connection, site_country: str, latest: datetime | None) -> pl.DataFrame:
    """BetPawa's late starts where a competitor was on time, of the day's kick-offs before ``latest``."""
    return read_frame(
        conn,
        """
        SELECT kickoff, sport, coalesce(country, '') AS country, tournament, home || ' v ' || away AS match,
               round(minutes_to_live::numeric, 1)::float8 AS minutes_to_live, coalesce(reason, '') AS reason,
               array_to_string(on_time_on, ', ') AS on_time_on, sr_id
        FROM analytics.betpawa_late_starts
        WHERE site_country = %(country)s AND kickoff > %(latest)s::timestamptz - interval '1 day'
          AND kickoff <= %(latest)s::timestamptz
        ORDER BY kickoff DESC, sr_id
        LIMIT %(rows)s
        """,
        {"country": site_country, "latest": latest, "rows": PANEL_ROWS},
    )


def _retention(conn: psycopg.Connection, site_country: str, latest: datetime | None) -> pl.DataFrame:
    """Per book, what it kept in play (T-1 against +5) of the day's kick-offs before ``latest``."""
    return read_frame(
        conn,
        """
        SELECT book, count(*) AS matches,
               round((100 * sum(market_types_kept)::float8
                      / nullif(sum(market_types_prematch), 0))::numeric, 1)::float8 AS market_types_kept_pct,
               round((100 * sum(selections_kept)::float8 / nullif(sum(selections_prematch), 0))::numeric, 1)
                   ::float8 AS selections_kept_pct,
               sum(cardinality(key_markets_dropped)) AS key_markets_dropped,
               sum(prices_moved) AS prices_moved
        FROM analytics.market_retention
        WHERE site_country = %(country)s AND prematch_snapshot = 'T-1' AND live_snapshot = 5
          AND kickoff > %(latest)s::timestamptz - interval '1 day' AND kickoff <= %(latest)s::timestamptz
        GROUP BY book
        ORDER BY book
        """,
        {"country": site_country, "latest": latest},
    )


def _gaps(conn: psycopg.Connection, site_country: str, side: str, latest: datetime | None) -> pl.DataFrame:
    return read_frame(
        conn,
        """
        SELECT since, sport, coalesce(country, '') AS country, tournament, home || ' v ' || away AS match,
               array_to_string(live_on, ', ') AS live_on, array_to_string(missing_on, ', ') AS missing_on,
               round(extract(epoch FROM last_seen_at - since)::numeric / 60, 1)::float8 AS minutes_open, sr_id
        FROM analytics.live_coverage
        WHERE closed_at IS NULL AND side = %(side)s AND site_country = %(country)s
          AND last_seen_at >= %(latest)s::timestamptz - make_interval(secs => %(seen)s)
        ORDER BY since, sr_id
        LIMIT %(rows)s
        """,
        {"side": side, "country": site_country, "latest": latest, "seen": SEEN_SECONDS, "rows": PANEL_ROWS},
    )


def _suspension(conn: psycopg.Connection, site_country: str, latest: datetime | None) -> pl.DataFrame:
    """Per book: the latest poll's figures and the share over the hour before it (usable polls only)."""
    return read_frame(
        conn,
        """
        SELECT book,
               max(live_events) FILTER (WHERE polled_at = %(latest)s) AS live_events,
               max(markets) FILTER (WHERE polled_at = %(latest)s) AS markets,
               round((100 * max(suspended_share) FILTER (WHERE polled_at = %(latest)s))::numeric, 1)::float8
                   AS suspended_pct,
               round((100 * sum(suspended)::float8 / nullif(sum(markets), 0))::numeric, 1)::float8
                   AS suspended_pct_hour,
               count(*) AS polls_hour
        FROM analytics.live_suspension
        WHERE status = 'ok' AND site_country = %(country)s
          AND polled_at > %(latest)s::timestamptz - interval '1 hour' AND polled_at <= %(latest)s::timestamptz
        GROUP BY book
        ORDER BY book
        """,
        {"latest": latest, "country": site_country},
    )
