"""Reads of the scrape bookkeeping (``core.scrape_batches``) that automation decides on."""

from __future__ import annotations

from datetime import datetime

import psycopg

from palimpsest_pipeline.records import Book


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


def last_good_catalogues(conn: psycopg.Connection) -> dict[Book, datetime | None]:
    """Each book's last catalogue scrape that stored something (ok or partial), by when it finished."""
    rows = conn.execute(
        "SELECT book, max(finished_at) FROM core.book_runs WHERE status IN ('ok', 'partial') GROUP BY book"
    ).fetchall()
    found = {Book(book): at for book, at in rows}
    return {book: found.get(book) for book in Book}


def books_failed_in(conn: psycopg.Connection, batch_id: str) -> set[Book]:
    """The books whose catalogue scrape failed in this run (nothing of theirs was stored)."""
    rows = conn.execute(
        "SELECT book FROM core.book_runs WHERE batch_id = %s AND status = 'failed'", (batch_id,)
    ).fetchall()
    return {Book(book) for (book,) in rows}
