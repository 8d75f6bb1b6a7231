"""Reads of the scrape bookkeeping (``core.scrape_batches``) that automation decides on."""

from __future__ import annotations

from datetime import datetime

import psycopg


def catalogue_scraped_since(conn: psycopg.Connection, since: datetime) -> bool:
    """Whether a catalogue scrape finished (ok or partial: some book answered) at or after ``since``.

    One probe of a small table: cheap enough for a sensor that ticks every 30 seconds.
    """
    row = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM core.scrape_batches WHERE status IN ('ok', 'partial') "
        "AND finished_at >= %s)",
        (since,),
    ).fetchone()
    return bool(row and row[0])
