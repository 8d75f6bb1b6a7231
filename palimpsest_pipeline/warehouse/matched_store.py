"""Reads of ``analytics.matched_events``, the cross-book match table the coverage and odds tables build on.

The table is written by the ``matched_events`` asset (``frames.replace_partitions``, whole kick-off dates at
a time); these reads are by kick-off date too, so a partition's downstream tables see exactly one version of
it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import polars as pl
import psycopg

from palimpsest_pipeline.warehouse.table_io import read_frame


def read_matched_events(conn: psycopg.Connection, kickoff_dates: Sequence[date]) -> pl.DataFrame:
    """Every column of every matched-event row kicking off on ``kickoff_dates`` (events without an SR id
    included: coverage counts them as single-book listings)."""
    return read_frame(
        conn,
        "SELECT * FROM analytics.matched_events WHERE kickoff_date = ANY(%s)",
        (list(kickoff_dates),),
    )


def read_matched_listings(conn: psycopg.Connection, kickoff_dates: Sequence[date]) -> pl.DataFrame:
    """Which books list each SR id kicking off on ``kickoff_dates``: kickoff_date, sr_id, kickoff and one
    boolean ``on_<book>`` column per book. Events without an SR id are left out: odds are captured by SR id
    only."""
    return read_frame(
        conn,
        "SELECT kickoff_date, sr_id, kickoff, on_betpawa, on_sportybet, on_bet9ja "
        "FROM analytics.matched_events WHERE kickoff_date = ANY(%s) AND sr_id IS NOT NULL",
        (list(kickoff_dates),),
    )
