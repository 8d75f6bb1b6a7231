"""What the price leadership tables are computed from: main-market odds history and successful captures of
the matches kicking off on some dates."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import polars as pl
import psycopg

from palimpsest_pipeline.warehouse.table_io import read_frame


def read_match_places(
    conn: psycopg.Connection, kickoff_dates: Sequence[date], *, site_country: str
) -> pl.DataFrame:
    """sr_id, kickoff_date, sport, country, tournament of every match of ``site_country`` with an SR id on
    the dates, whichever books list it (analytics.matches: the wide matched_events holds three books')."""
    return read_frame(
        conn,
        "SELECT sr_id, kickoff_date, sport, country, tournament FROM analytics.matches "
        "WHERE kickoff_date = ANY(%s) AND site_country = %s AND sr_id IS NOT NULL "
        "ORDER BY sr_id, kickoff_date",
        (list(kickoff_dates), site_country),
    )


def read_main_history(
    conn: psycopg.Connection, sr_ids: Sequence[int], markets: Sequence[int], *, site_country: str
) -> pl.DataFrame:
    """Every stored change (core.odds_history) of ``markets`` on the matches ``sr_ids`` read from
    ``site_country``'s sites, every book."""
    return read_frame(
        conn,
        "SELECT sr_id, book, market, specifier, outcome, price, state, captured_at FROM core.odds_history "
        "WHERE sr_id = ANY(%s) AND market = ANY(%s) AND site_country = %s",
        (list(sr_ids), list(markets), site_country),
    )


def read_good_captures(conn: psycopg.Connection, sr_ids: Sequence[int], *, site_country: str) -> pl.DataFrame:
    """sr_id, book, captured_at of every successful capture of the matches ``sr_ids`` on ``site_country``'s
    sites."""
    return read_frame(
        conn,
        "SELECT sr_id, book, captured_at FROM core.odds_captures "
        "WHERE sr_id = ANY(%s) AND status = 'ok' AND site_country = %s",
        (list(sr_ids), site_country),
    )
