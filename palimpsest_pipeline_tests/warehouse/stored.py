"""Reads of what the pipeline stored, and a batch to store under, that only the tests and benchmarks need."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import psycopg
import zstandard
from psycopg.rows import dict_row


def start_batch(conn: psycopg.Connection, *, started_at: datetime, batch_id: str, site_country: str) -> str:
    """Open a scrape batch (status ``running``) for the stores to write under; return its id."""
    with conn.transaction():
        conn.execute(
            "INSERT INTO core.scrape_batches (batch_id, started_at, trigger, site_country) "
            "VALUES (%s, %s, 'manual', %s)",
            (batch_id, started_at, site_country),
        )
    return batch_id


def day_partitions(conn: psycopg.Connection, parent: str) -> dict[date, str]:
    """The day partitions (``<table>_pYYYYMMDD``) attached to ``parent``, by day."""
    table = parent.split(".")[1]
    rows = conn.execute(
        "SELECT c.relname FROM pg_inherits AS i JOIN pg_class AS c ON c.oid = i.inhrelid"
        " WHERE i.inhparent = to_regclass(%s)",
        (parent,),
    ).fetchall()
    named = ((name, re.fullmatch(rf"{re.escape(table)}_p(\d{{8}})", name)) for (name,) in rows)
    return {datetime.strptime(day[1], "%Y%m%d").date(): name for name, day in named if day}


def read_quarantined_body(conn: psycopg.Connection, quarantine_id: int) -> bytes:
    """The original (decompressed) payload of a quarantine row."""
    row = conn.execute("SELECT body FROM core.quarantine WHERE id = %s", (quarantine_id,)).fetchone()
    if row is None:
        raise KeyError(f"no quarantine row {quarantine_id}")
    return zstandard.ZstdDecompressor().decompress(bytes(row[0]))


def read_scrape_metrics(conn: psycopg.Connection, run_id: str) -> list[dict[str, Any]]:
    """The metrics rows of one run, as dicts ordered by kind, book and site country."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            "SELECT * FROM core.scrape_metrics WHERE run_id = %s ORDER BY kind, book, site_country", (run_id,)
        ).fetchall()


def read_run_failures(conn: psycopg.Connection, *, job_name: str | None = None) -> list[dict[str, Any]]:
    """Recorded run failures, newest first, optionally of one job."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            "SELECT * FROM core.run_failures WHERE %(job)s::text IS NULL OR job_name = %(job)s "
            "ORDER BY failed_at DESC, run_id",
            {"job": job_name},
        ).fetchall()


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
