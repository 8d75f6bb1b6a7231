"""Reading the stored odds: the current prices of a site country, and what the odds tables take on disk."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import polars as pl
import psycopg

from palimpsest_pipeline.frames import ODDS_SCHEMA
from palimpsest_pipeline.warehouse.table_io import read_frame


def read_current_odds(
    conn: psycopg.Connection,
    *,
    site_country: str,
    sr_ids: Sequence[int] | None = None,
    kickoff_dates: Sequence[date] | None = None,
) -> pl.DataFrame:
    """Open and suspended current odds (closed ones excluded) read from ``site_country``'s sites, as a frame
    in ``frames.ODDS_SCHEMA``, the input ``transforms.odds_compare`` expects; narrowed to ``sr_ids`` and/or to
    events some book lists there (live in ``core.events``) kicking off on ``kickoff_dates``."""
    frame = read_frame(
        conn,
        """
        SELECT o.sr_id, o.book, o.market, o.specifier, o.outcome, o.price, o.state, o.captured_at
        FROM core.odds_current AS o
        WHERE o.state <> 'closed' AND o.site_country = %(cc)s
          AND (%(ids)s::bigint[] IS NULL OR o.sr_id = ANY(%(ids)s::bigint[]))
          AND (%(dates)s::date[] IS NULL OR o.sr_id IN (
                SELECT e.sr_id FROM core.events AS e
                WHERE e.deleted_at IS NULL AND e.site_country = %(cc)s
                  AND e.kickoff_date = ANY(%(dates)s::date[])))
        ORDER BY o.sr_id, o.book, o.market, o.specifier, o.outcome
        """,
        {
            "cc": site_country,
            "ids": None if sr_ids is None else list(sr_ids),
            "dates": None if kickoff_dates is None else list(kickoff_dates),
        },
    )
    return frame.cast(ODDS_SCHEMA)  # type: ignore[arg-type]


def odds_storage_bytes(conn: psycopg.Connection) -> dict[str, int]:
    """On-disk bytes (heap, TOAST, indexes) of the odds history (all partitions, and the market-key
    dimension it refers to) and the current state (prices and confirmations)."""
    row = conn.execute(
        """
        SELECT (SELECT COALESCE(sum(pg_total_relation_size(i.inhrelid)), 0)
                FROM pg_inherits AS i WHERE i.inhparent = 'core.odds_changes'::regclass)
               + pg_total_relation_size('core.market_keys'),
               pg_total_relation_size('core.odds_current_prices')
               + pg_total_relation_size('core.odds_confirmed')
        """
    ).fetchone()
    assert row is not None
    return {"history": int(row[0]), "current": int(row[1])}
