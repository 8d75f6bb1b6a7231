"""The single-book suspects, current per (match, book): ``core.market_suspects``.

A successful capture replaces its pair's suspects with the prices' own (``markets.checks``) in the same
transaction, unless a newer capture is stored (a replay changes nothing current).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

import polars as pl
import psycopg

from palimpsest_pipeline.frames import MARKET_SUSPECTS_SCHEMA
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.warehouse.copy import copy_binary
from palimpsest_pipeline.warehouse.quarantine import storable_text
from palimpsest_pipeline.warehouse.table_io import read_frame

#: (sr_id, book): one match on one book.
Pair = tuple[int, Book]
#: (market, specifier, reason, detail) of one suspect market (``markets.checks.verdicts.Suspect``).
SuspectRow = tuple[int, str, str, str]

# A pair's suspects are replaced only by its newest stored capture (core.odds_confirmed, which the odds
# store has just moved forward). Two statements: a row deleted and re-inserted by one statement would still
# collide with itself in the primary key.
_NEWEST = """
CREATE TEMP TABLE newest_pairs ON COMMIT DROP AS
SELECT p.sr_id, p.book, p.captured_at FROM suspect_pairs AS p
WHERE NOT EXISTS (SELECT 1 FROM core.odds_confirmed AS c
                  WHERE c.sr_id = p.sr_id AND c.book = p.book AND c.site_country = %(cc)s
                    AND c.captured_at > p.captured_at)
"""
_CLEAR = """
DELETE FROM core.market_suspects AS s USING newest_pairs AS n
WHERE s.sr_id = n.sr_id AND s.book = n.book AND s.site_country = %(cc)s
"""
_INSERT = """
INSERT INTO core.market_suspects (sr_id, book, market, specifier, reason, detail, captured_at, site_country)
SELECT i.sr_id, i.book, i.market, i.specifier, i.reason, i.detail, n.captured_at, %(cc)s
FROM suspects_in AS i JOIN newest_pairs AS n USING (sr_id, book)
ORDER BY i.sr_id, i.book, i.market, i.specifier
"""


def store_market_suspects(
    conn: psycopg.Connection,
    captured: Mapping[Pair, datetime],
    suspects: Mapping[Pair, Iterable[SuspectRow]],
    *,
    site_country: str,
) -> int:
    """Replace the suspects of every pair of ``site_country``'s sites in ``captured`` (its successful
    capture's time) with its rows in
    ``suspects`` (none: the pair has none now); return the rows written. The caller holds the transaction
    (the odds store's, whose per-pair locks it relies on); a pair with a newer stored capture is left alone.
    A repeated (market, specifier) keeps its first reason."""
    if not captured:
        return 0
    rows: dict[tuple[int, str, int, str], tuple[object, ...]] = {}
    for (sr_id, book), found in suspects.items():
        if (sr_id, book) not in captured:
            raise ValueError(f"store_market_suspects: ({sr_id}, {book}) has suspects but no capture")
        for market, specifier, reason, detail in found:
            key = (sr_id, Book(book).value, market, specifier)
            rows.setdefault(key, (*key, reason, storable_text(detail, 2_000)))
    conn.execute("DROP TABLE IF EXISTS pg_temp.newest_pairs")
    copy_binary(
        conn,
        "suspect_pairs",
        ("sr_id", "book", "captured_at"),
        ("int8", "text", "timestamptz"),
        [(sr_id, Book(book).value, at) for (sr_id, book), at in captured.items()],
        temp=True,
    )
    copy_binary(
        conn,
        "suspects_in",
        ("sr_id", "book", "market", "specifier", "reason", "detail"),
        ("int8", "text", "int4", "text", "text", "text"),
        list(rows.values()),
        temp=True,
    )
    country = {"cc": site_country}
    conn.execute(_NEWEST, country)
    conn.execute(_CLEAR, country)
    written = conn.execute(_INSERT, country).rowcount
    conn.execute("DROP TABLE suspect_pairs, suspects_in, newest_pairs")
    return written


def read_market_suspects(
    conn: psycopg.Connection, sr_ids: Sequence[int], *, site_country: str
) -> pl.DataFrame:
    """The current single-book suspects of ``sr_ids`` on ``site_country``'s sites
    (``MARKET_SUSPECTS_SCHEMA``), for the comparison."""
    frame = read_frame(
        conn,
        "SELECT sr_id, book, market, specifier, reason, detail FROM core.market_suspects "
        "WHERE sr_id = ANY(%s::bigint[]) AND site_country = %s ORDER BY sr_id, book, market, specifier",
        (list(sr_ids), site_country),
    )
    return frame.cast(MARKET_SUSPECTS_SCHEMA)  # type: ignore[arg-type]
