"""The live snapshots' tables: which (match, book, snapshot) a country's watch still has to take, each taken
snapshot written with its outcomes in one transaction under the country's live writer lock (an ok snapshot
never rewritten, a failed one replaced by a later attempt); and what the market retention reads of them and
of the prematch captures."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

import polars as pl
import psycopg

from palimpsest_pipeline.records import Book, OddsRow
from palimpsest_pipeline.warehouse.table_io import read_frame, write_partition_changes

#: The advisory lock key of a country's live snapshot writes (any constant no other lock in the project uses).
_SNAPSHOT_LOCK = 0x11FE32


@dataclass(frozen=True)
class TakenSnapshot:
    """One (match, book, snapshot) as taken: ``status`` ok with its outcomes, else failed, gone or missed with
    the reason."""

    sr_id: int
    book: Book
    snapshot: int
    event_id: str
    due_at: datetime
    status: str
    reason: str | None = None
    captured_at: datetime | None = None
    rows: tuple[OddsRow, ...] = ()
    set_aside: int = 0


#: Each book's listing of some SR ids (``%(ids)s``) on a site country's sites (``%(cc)s``): its own row with
#: the SR id (provider sportradar), else, for a listing without one, the row whose Genius id another listing
#: ties to exactly one of those SR ids (provider genius_sports; as the capture asks it, capture_listings.py);
#: of several rows the one still listed, else the one seen last.
LISTINGS_SQL = """
WITH carriers AS (
    SELECT genius_id, min(sr_id) AS sr_id, count(DISTINCT sr_id) AS sr_ids
    FROM core.events
    WHERE site_country = %(cc)s AND sr_id IS NOT NULL AND genius_id IN (
        SELECT genius_id FROM core.events
        WHERE site_country = %(cc)s AND sr_id = ANY(%(ids)s) AND genius_id IS NOT NULL)
    GROUP BY genius_id
),
listed AS (
    SELECT e.*, e.sr_id AS match_id, 'sportradar' AS provider
    FROM core.events e
    WHERE e.site_country = %(cc)s AND e.sr_id = ANY(%(ids)s)
    UNION ALL
    SELECT e.*, c.sr_id, 'genius_sports'
    FROM core.events e
    JOIN carriers c ON c.genius_id = e.genius_id AND c.sr_ids = 1
    WHERE e.site_country = %(cc)s AND e.sr_id IS NULL AND c.sr_id = ANY(%(ids)s)
      AND NOT EXISTS (SELECT 1 FROM core.events own
                      WHERE own.site_country = e.site_country AND own.book = e.book AND own.sr_id = c.sr_id)
)
SELECT DISTINCT ON (match_id, book) match_id AS sr_id, book, event_id, kickoff, sport, country,
       tournament_name AS tournament, home, away, provider
FROM listed
ORDER BY match_id, book, provider DESC, deleted_at IS NULL DESC, last_seen_at DESC, event_id
"""


def book_listings(conn: psycopg.Connection, site_country: str, sr_ids: Sequence[int]) -> pl.DataFrame:
    """Each book's listing of ``sr_ids`` on ``site_country``'s sites (``LISTINGS_SQL``)."""
    return read_frame(conn, LISTINGS_SQL, {"cc": site_country, "ids": list(sr_ids)})


def snapshot_candidates(
    conn: psycopg.Connection,
    site_country: str,
    now: datetime,
    since: timedelta,
    within: timedelta,
    watch_gap: timedelta,
) -> pl.DataFrame:
    """``site_country``'s books' first live sightings from ``since`` before ``now``, at most ``within`` after
    the book's kick-off, with the book's listing (``book_listings``), the snapshots already taken for good
    (``done``: ok, gone or missed) and whether the sighting is the match's start on the book (``watched``:
    seen live by kick-off, or a usable poll of the book missed it within ``watch_gap`` before)."""
    sightings = read_frame(
        conn,
        """
        SELECT s.sr_id, s.book, s.first_live_at,
               coalesce((SELECT array_agg(n.snapshot ORDER BY n.snapshot) FROM core.live_snapshots n
                         WHERE n.site_country = s.site_country AND n.sr_id = s.sr_id AND n.book = s.book
                           AND n.status <> 'failed'), '{}') AS done,
               EXISTS (SELECT 1 FROM analytics.live_suspension p
                       WHERE p.site_country = s.site_country AND p.book = s.book AND p.status = 'ok'
                         AND p.polled_at < s.first_live_at
                         AND p.polled_at >= s.first_live_at - %(gap)s) AS polled_before
        FROM core.live_sightings s
        WHERE s.site_country = %(cc)s AND s.first_live_at >= %(since)s
        """,
        {"cc": site_country, "since": now - since, "gap": watch_gap},
    )
    if sightings.is_empty():
        return pl.DataFrame(schema=CANDIDATES)
    listings = book_listings(conn, site_country, sightings["sr_id"].unique().to_list())
    if listings.is_empty():
        return pl.DataFrame(schema=CANDIDATES)
    return (
        sightings.join(listings.select("sr_id", "book", "event_id", "kickoff"), on=["sr_id", "book"])
        .filter(pl.col("first_live_at") <= pl.col("kickoff") + within)
        .with_columns(watched=pl.col("polled_before") | (pl.col("first_live_at") <= pl.col("kickoff")))
        .select(CANDIDATES.names())
        .sort("sr_id", "book")
    )


_TS = pl.Datetime("us", "UTC")
#: ``snapshot_candidates``' columns.
CANDIDATES = pl.Schema({
    "sr_id": pl.Int64(), "book": pl.String(), "event_id": pl.String(), "kickoff": _TS, "first_live_at": _TS,
    "done": pl.List(pl.Int16()), "watched": pl.Boolean(),
})  # fmt: skip


def write_snapshots(conn: psycopg.Connection, site_country: str, taken: Sequence[TakenSnapshot]) -> list[int]:
    """Write ``taken`` (one transaction under ``site_country``'s snapshot lock): a failed snapshot stored
    before is replaced, any other kept as it is (idempotent); returns the SR ids of the rows written."""
    written: set[int] = set()
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (_SNAPSHOT_LOCK, site_country))
        for snap in taken:
            key = (site_country, snap.sr_id, snap.book.value, snap.snapshot)
            conn.execute(
                "DELETE FROM core.live_snapshots WHERE site_country = %s AND sr_id = %s AND book = %s"
                " AND snapshot = %s AND status = 'failed'",
                key,
            )
            opened = sum(row.state == "open" for row in snap.rows)
            inserted = conn.execute(
                """
                INSERT INTO core.live_snapshots
                    (site_country, sr_id, book, snapshot, event_id, due_at, status, reason, captured_at,
                     open_outcomes, suspended_outcomes, set_aside_outcomes)
                VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
                ON CONFLICT DO NOTHING
                """,
                (
                    *key, snap.event_id, snap.due_at, snap.status, snap.reason, snap.captured_at,
                    opened if snap.status == "ok" else None,
                    len(snap.rows) - opened if snap.status == "ok" else None,
                    snap.set_aside if snap.status == "ok" else None,
                ),
            ).rowcount  # fmt: skip
            if not inserted:
                continue
            written.add(snap.sr_id)
            conn.cursor().executemany(
                """
                INSERT INTO core.live_snapshot_prices
                    (site_country, sr_id, book, snapshot, market, specifier, outcome, price, state)
                VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)
                """,
                [(*key, r.market, r.specifier, r.outcome, r.price, r.state) for r in snap.rows],
            )
    return sorted(written)


@dataclass(frozen=True)
class RetentionInputs:
    """What :func:`palimpsest_pipeline.transforms.market_retention.market_retention` compares, for some
    matches of one site country."""

    matches: pl.DataFrame
    captures: pl.DataFrame
    live: pl.DataFrame
    live_prices: pl.DataFrame


def retention_inputs(
    conn: psycopg.Connection, site_country: str, sr_ids: Sequence[int], earliest: timedelta
) -> RetentionInputs:
    """The books' listings of ``sr_ids`` (``book_listings``), their successful prematch captures from
    ``earliest`` before the first kick-off to the last, and their ok live snapshots."""
    params: dict[str, Any] = {"cc": site_country, "ids": list(sr_ids)}
    matches = book_listings(conn, site_country, sr_ids)
    if matches.is_empty():
        captures = pl.DataFrame()
    else:
        first, last = cast(datetime, matches["kickoff"].min()), cast(datetime, matches["kickoff"].max())
        bounds = {"from": first - earliest, "to": last}
        captures = read_frame(
            conn,
            "SELECT sr_id, book, captured_at FROM core.odds_captures WHERE site_country = %(cc)s"
            " AND sr_id = ANY(%(ids)s) AND status = 'ok' AND captured_at BETWEEN %(from)s AND %(to)s",
            {**params, **bounds},
        )
    live = read_frame(
        conn,
        "SELECT sr_id, book, snapshot AS live_snapshot, captured_at FROM core.live_snapshots"
        " WHERE site_country = %(cc)s AND sr_id = ANY(%(ids)s) AND status = 'ok'",
        params,
    )
    live_prices = read_frame(
        conn,
        "SELECT sr_id, book, snapshot AS live_snapshot, market, specifier, outcome, price, state"
        " FROM core.live_snapshot_prices WHERE site_country = %(cc)s AND sr_id = ANY(%(ids)s)",
        params,
    )
    return RetentionInputs(matches.drop("event_id"), captures, live, live_prices)


def prematch_prices(conn: psycopg.Connection, site_country: str, chosen: pl.DataFrame) -> pl.DataFrame:
    """The outcomes open as of each chosen prematch capture (``chosen``: sr_id, book, prematch_snapshot,
    captured_at): each outcome's latest history row at or before it, kept when open."""
    return read_frame(
        conn,
        """
        SELECT w.sr_id, w.book, w.prematch_snapshot, h.market, h.specifier, h.outcome, h.price
        FROM unnest(%(ids)s::bigint[], %(books)s::text[], %(snaps)s::text[], %(ats)s::timestamptz[])
             AS w(sr_id, book, prematch_snapshot, at)
        CROSS JOIN LATERAL (
            SELECT DISTINCT ON (market, specifier, outcome) market, specifier, outcome, price, state
            FROM core.odds_history h
            WHERE h.site_country = %(cc)s AND h.sr_id = w.sr_id AND h.book = w.book AND h.captured_at <= w.at
            ORDER BY market, specifier, outcome, captured_at DESC
        ) h
        WHERE h.state = 'open'
        """,
        {
            "cc": site_country,
            "ids": chosen["sr_id"].to_list(),
            "books": chosen["book"].to_list(),
            "snaps": chosen["prematch_snapshot"].to_list(),
            "ats": chosen["captured_at"].to_list(),
        },
    )


def write_market_retention(
    conn: psycopg.Connection, site_country: str, sr_ids: Iterable[int], frame: pl.DataFrame
) -> None:
    """Make ``site_country``'s rows of ``analytics.market_retention`` of ``sr_ids`` equal ``frame`` (the
    transform's columns), writing only what changed."""
    frame = frame.with_columns(pl.lit(site_country).alias("site_country"))
    write_partition_changes(
        conn, "analytics.market_retention", {"site_country": site_country, "sr_id": sorted(sr_ids)}, frame
    )
