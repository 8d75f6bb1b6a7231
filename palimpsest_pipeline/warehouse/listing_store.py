"""When each book first listed each event (what listing lead time is computed from)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import polars as pl
import psycopg

from palimpsest_pipeline.warehouse.table_io import read_frame


def read_first_seen(
    conn: psycopg.Connection, kickoff_dates: Sequence[date], *, site_country: str
) -> pl.DataFrame:
    """book, event_id, first_seen_at and first_scrape_at of every event of ``site_country``'s sites kicking
    off within a day of ``kickoff_dates`` (a match can sit on a neighbouring date on one book).

    ``first_scrape_at``: the book's first scrape covering the event's date (a listing first seen then may
    have been listed long before)."""
    return read_frame(
        conn,
        """
        SELECT book, event_id, first_seen_at,
               min(first_seen_at) OVER (PARTITION BY book, kickoff_date) AS first_scrape_at
        FROM core.events WHERE kickoff_date BETWEEN %s AND %s AND site_country = %s
        """,
        (min(kickoff_dates) - timedelta(days=1), max(kickoff_dates) + timedelta(days=1), site_country),
    )
