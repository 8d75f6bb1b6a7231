"""Closing prices of one site country's kick-off dates: read from the warehouse, computed for the matches that
have kicked off, and written by difference (only the rows that changed), a slice of matches at a time, with
the day sums of the competitions whose rows changed, in one transaction holding the partition's locks from
before its first read: rebuilds of one partition run one after the other."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import polars as pl
import psycopg

from palimpsest_pipeline.markets.definitions import market_definitions_frame
from palimpsest_pipeline.markets.families import market_family
from palimpsest_pipeline.transforms.closing_prices import closing_prices, matches_short_of_inputs
from palimpsest_pipeline.warehouse.closing_price_days import replace_closing_price_days
from palimpsest_pipeline.warehouse.table_io import (
    RowsWritten,
    lock_partition,
    read_frame,
    write_partition_changes,
)

TABLE = "analytics.closing_prices"
#: Matches read, computed and written together: bounds the odds history held at once.
SLICE_MATCHES = 200


@dataclass
class ClosingSummary:
    """What a rebuild judged and wrote."""

    matches_judged: int = 0
    rows: int = 0
    set_aside: int = 0
    written: RowsWritten = field(default_factory=RowsWritten)
    #: matches kept as stored because their inputs (odds history, capture log) are gone, or in part
    kept: dict[int, str] = field(default_factory=dict)

    @property
    def matches_kept_without_history(self) -> int:
        return sum(short == "without_history" for short in self.kept.values())

    @property
    def matches_kept_with_partial_history(self) -> int:
        return sum(short == "partial_history" for short in self.kept.values())


def closing_markets() -> pl.DataFrame:
    """The complete markets' outcomes of the vocabulary with their family: the bets a margin can be removed
    from."""
    defs = market_definitions_frame().filter("complete")
    families = {m: market_family(m, "") for m in defs["market"].unique().to_list()}
    return defs.select(
        "market",
        "outcome",
        "complete",
        market_family=pl.col("market").replace_strict(families, return_dtype=pl.String),
    )


def rebuild_closing_prices(
    conn: psycopg.Connection,
    dates: Sequence[date],
    now: datetime,
    *,
    window: timedelta,
    site_country: str,
    settled_after: timedelta | None = None,
) -> ClosingSummary:
    """Make ``site_country``'s closing prices of ``dates`` those of its matches (with an SR id) kicked off by
    ``now``; a match of these dates not kicked off keeps no row. Only the rows that differ are written. With
    ``settled_after``, a match with rows that kicked off longer ago is settled and left as stored: nothing
    before its kick-off changes any more, so a run reads only the matches kicked off since. A match whose
    inputs no longer give its stored rows (retention dropped its odds history or capture log, or part of
    them) keeps them, named in ``kept``."""
    markets = closing_markets()
    complete = sorted(markets["market"].unique().to_list())
    summary = ClosingSummary()
    touched: set[tuple[date, str]] = set()
    with conn.transaction():
        # the write's locks before anything stored is read: the settled matches, the rows kept and the day
        # sums touched are those the previous writer of the partition committed, and none writes in between
        lock_partition(conn, TABLE, {"kickoff_date": list(dates), "site_country": site_country})
        matches = _matches(conn, dates, site_country)
        if settled_after is not None:
            stored = conn.execute(
                f"SELECT DISTINCT sr_id FROM {TABLE} WHERE kickoff_date = ANY(%s) AND site_country = %s",
                (list(dates), site_country),
            ).fetchall()
            settled = pl.col("sr_id").is_in([row[0] for row in stored]) & (
                pl.col("kickoff") < now - settled_after
            )
            matches = matches.filter(~settled)
        for start in range(0, matches.height, SLICE_MATCHES):
            scope = matches.slice(start, SLICE_MATCHES)
            started = scope.filter(pl.col("kickoff") <= now)
            sr_ids = started["sr_id"].to_list()
            frame = closing_prices(
                _history(conn, sr_ids, complete, site_country),
                read_frame(
                    conn,
                    "SELECT sr_id, book, captured_at, status FROM core.odds_captures "
                    "WHERE sr_id = ANY(%s) AND site_country = %s AND status = 'ok'",
                    (sr_ids, site_country),
                ),
                started,
                _book_kickoffs(conn, sr_ids, site_country),
                markets,
                now=now,
                window=window,
                site_country=site_country,
            )
            short = matches_short_of_inputs(frame, _stored(conn, dates, sr_ids, site_country))
            kept = short["sr_id"].to_list()
            frame = frame.filter(~pl.col("sr_id").is_in(kept))
            summary.kept.update(zip(kept, short["short"].to_list(), strict=True))
            judged = [sr_id for sr_id in scope["sr_id"].to_list() if sr_id not in summary.kept]
            where = {"kickoff_date": list(dates), "site_country": [site_country], "sr_id": judged}
            before = _competitions(conn, dates, judged, site_country)
            written = write_partition_changes(conn, TABLE, where, frame)
            if written.deleted or written.updated or written.inserted:
                touched |= before | set(frame.select("kickoff_date", "competition").unique().iter_rows())
            summary.matches_judged += started.height
            summary.rows += frame.height
            summary.set_aside += int(frame["set_aside"].is_not_null().sum())
            summary.written = RowsWritten(
                summary.written.deleted + written.deleted,
                summary.written.updated + written.updated,
                summary.written.inserted + written.inserted,
            )
        replace_closing_price_days(conn, site_country, touched)
    return summary


def _matches(conn: psycopg.Connection, dates: Sequence[date], site_country: str) -> pl.DataFrame:
    """``site_country``'s matches of ``dates`` with an SR id, one row per SR id (its earliest kick-off)."""
    return read_frame(
        conn,
        "SELECT DISTINCT ON (sr_id) sr_id, kickoff_date, kickoff, sport, "
        "coalesce(canonical_tournament, tournament, '') AS competition FROM analytics.matches "
        "WHERE kickoff_date = ANY(%s) AND site_country = %s AND sr_id IS NOT NULL ORDER BY sr_id, kickoff",
        (list(dates), site_country),
    )


def _competitions(
    conn: psycopg.Connection, dates: Sequence[date], sr_ids: list[int], site_country: str
) -> set[tuple[date, str]]:
    """The (kick-off date, competition) pairs of the stored rows of ``sr_ids``: the day sums a write of their
    rows changes, together with those of the rows written."""
    rows = conn.execute(
        f"SELECT DISTINCT kickoff_date, competition FROM {TABLE} "
        "WHERE kickoff_date = ANY(%s) AND site_country = %s AND sr_id = ANY(%s)",
        (list(dates), site_country, sr_ids),
    ).fetchall()
    return {(row[0], row[1]) for row in rows}


def _stored(
    conn: psycopg.Connection, dates: Sequence[date], sr_ids: list[int], site_country: str
) -> pl.DataFrame:
    """The stored rows of ``sr_ids`` on ``dates``, as ``matches_short_of_inputs`` compares them."""
    return read_frame(
        conn,
        f"SELECT sr_id, book, market, specifier, outcome, kickoff, closing_at, opening_at FROM {TABLE} "
        "WHERE kickoff_date = ANY(%s) AND site_country = %s AND sr_id = ANY(%s)",
        (list(dates), site_country, sr_ids),
    )


def _history(
    conn: psycopg.Connection, sr_ids: list[int], markets: list[int], site_country: str
) -> pl.DataFrame:
    """The complete markets' price changes of ``sr_ids`` on every book (core.odds_history)."""
    return read_frame(
        conn,
        "SELECT sr_id, book, market, specifier, outcome, price, state, captured_at FROM core.odds_history "
        "WHERE sr_id = ANY(%s) AND market = ANY(%s) AND site_country = %s",
        (sr_ids, markets, site_country),
    )


def _book_kickoffs(conn: psycopg.Connection, sr_ids: list[int], site_country: str) -> pl.DataFrame:
    """Each book's own kick-off of ``sr_ids`` (its listed event, else the one it listed last: books withdraw a
    match from their prematch lists once it kicks off)."""
    return read_frame(
        conn,
        "SELECT DISTINCT ON (sr_id, book) sr_id, book, kickoff FROM core.events "
        "WHERE sr_id = ANY(%s) AND site_country = %s "
        "ORDER BY sr_id, book, deleted_at IS NOT NULL, last_seen_at DESC",
        (sr_ids, site_country),
    )
