"""Reads of ``analytics.matches`` and ``analytics.match_listings``, by kick-off date as they are written, so
a partition's downstream tables see exactly one version of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import polars as pl
import psycopg

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.warehouse.table_io import read_frame


def read_matches(conn: psycopg.Connection, kickoff_dates: Sequence[date], site_country: str) -> pl.DataFrame:
    """Every column of every match of ``site_country`` kicking off on ``kickoff_dates``."""
    return read_frame(
        conn,
        "SELECT * FROM analytics.matches WHERE kickoff_date = ANY(%s) AND site_country = %s",
        (list(kickoff_dates), site_country),
    )


def read_match_listings(
    conn: psycopg.Connection, kickoff_dates: Sequence[date], site_country: str
) -> pl.DataFrame:
    """Which book lists each match of ``site_country`` kicking off on ``kickoff_dates``: kickoff_date,
    match_key, book, event_id, tournament_id."""
    return read_frame(
        conn,
        "SELECT kickoff_date, match_key, book, event_id, tournament_id FROM analytics.match_listings "
        "WHERE kickoff_date = ANY(%s) AND site_country = %s",
        (list(kickoff_dates), site_country),
    )


def read_matched_listings(
    conn: psycopg.Connection, kickoff_dates: Sequence[date], site_country: str
) -> pl.DataFrame:
    """Which books list each SR id of ``site_country`` kicking off on ``kickoff_dates``: kickoff_date, sr_id,
    kickoff and one boolean ``on_<book>`` column per registered book (``records.Book``), from the long
    tables, so a book beyond Nigeria's first three is compared too. Events without an SR id are left out:
    odds are captured by SR id only."""
    listed = read_frame(
        conn,
        "SELECT m.kickoff_date, m.sr_id, m.kickoff, l.book FROM analytics.matches m "
        "JOIN analytics.match_listings l USING (kickoff_date, site_country, match_key) "
        "WHERE m.kickoff_date = ANY(%s) AND m.site_country = %s AND m.sr_id IS NOT NULL",
        (list(kickoff_dates), site_country),
    )
    keys = ["kickoff_date", "sr_id", "kickoff"]
    return (
        listed.group_by(keys, maintain_order=True)
        .agg(*(pl.col("book").eq(book.value).any().alias(f"on_{book.value}") for book in Book))
        .select(*keys, *(f"on_{book.value}" for book in Book))
    )
