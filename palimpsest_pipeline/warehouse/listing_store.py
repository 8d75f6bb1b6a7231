"""When each book first listed each event, and the listing tables (lead time, what BetPawa lacks now)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import polars as pl
import psycopg

from palimpsest_pipeline.warehouse.table_io import read_frame, replace_partitions


def read_first_seen(conn: psycopg.Connection, kickoff_dates: Sequence[date]) -> pl.DataFrame:
    """book, event_id, first_seen_at of every event kicking off within a day of ``kickoff_dates`` (a match can
    sit on a neighbouring date on one book)."""
    return read_frame(
        conn,
        "SELECT book, event_id, first_seen_at FROM core.events WHERE kickoff_date BETWEEN %s AND %s",
        (min(kickoff_dates) - timedelta(days=1), max(kickoff_dates) + timedelta(days=1)),
    )


def read_first_scrapes(conn: psycopg.Connection) -> pl.DataFrame:
    """book, first_scrape_at: the earliest listing each book has in the warehouse, i.e. its first scrape."""
    return read_frame(
        conn, "SELECT book, min(first_seen_at) AS first_scrape_at FROM core.events GROUP BY book", ()
    )


def replace_listing_tables(
    conn: psycopg.Connection, kickoff_dates: Sequence[date], lead_time: pl.DataFrame, to_list: pl.DataFrame
) -> None:
    """Replace both tables' ``kickoff_dates`` in one transaction."""
    with conn.transaction():
        replace_partitions(conn, "analytics.listing_lead_time", "kickoff_date", kickoff_dates, lead_time)
        replace_partitions(conn, "analytics.to_list_now", "kickoff_date", kickoff_dates, to_list)
