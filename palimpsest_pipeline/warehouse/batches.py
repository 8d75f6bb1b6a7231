"""Scrape bookkeeping: batches (one run's scrape of one site country), per-book runs and quarantined
payloads, written in one transaction (a savepoint inside a caller's), and the reads automation decides on."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Protocol

import psycopg
import zstandard
from psycopg.types.json import Jsonb

from palimpsest_pipeline.books.limits import StatsSummary
from palimpsest_pipeline.records import Book, Event, Tournament
from palimpsest_pipeline.warehouse.store_inputs import checked_book, require_aware


class _Quarantined(Protocol):
    @property
    def book(self) -> Book: ...
    @property
    def url(self) -> str: ...
    @property
    def reason(self) -> str: ...
    @property
    def body(self) -> bytes: ...


class ScrapeOutcome(Protocol):
    """What ``record_scrape`` needs of a scrape (``scrape.catalogue.CatalogueScrape`` has it)."""

    @property
    def book(self) -> Book: ...
    @property
    def site_country(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def complete(self) -> bool: ...
    @property
    def tournaments(self) -> Sequence[Tournament]: ...
    @property
    def events(self) -> Sequence[Event]: ...
    @property
    def started_at(self) -> datetime: ...
    @property
    def finished_at(self) -> datetime: ...
    @property
    def stats(self) -> StatsSummary: ...
    @property
    def error_messages(self) -> Sequence[str]: ...
    @property
    def quarantined(self) -> Sequence[_Quarantined]: ...


def record_scrape(
    conn: psycopg.Connection, *, batch_id: str, scrape: ScrapeOutcome, trigger: str = "manual"
) -> None:
    """Record one book's scrape in the batch of its site country, in one transaction: the batch (created if
    new, its start the earliest of its scrapes'), the book run (a retried step overwrites it), the quarantined
    payloads, and the batch's status from its book runs so far (ok if all ok, failed if all failed, partial
    otherwise; its finish never moves back)."""
    book = checked_book(scrape.book, "record_scrape")
    require_aware(scrape.started_at, "started_at")
    require_aware(scrape.finished_at, "finished_at")
    status = scrape.status if scrape.status in ("ok", "partial", "failed") else "failed"
    received = (scrape.finished_at, scrape.site_country)
    compress = zstandard.ZstdCompressor(level=10).compress  # unparsable payloads, kept for diagnosis
    with conn.transaction(), conn.cursor() as cur:
        cur.execute(
            """
            INSERT INTO core.scrape_batches AS b (batch_id, started_at, trigger, site_country)
            VALUES (%s, %s, %s, %s)
            ON CONFLICT (batch_id, site_country) DO UPDATE
            SET started_at = LEAST(b.started_at, EXCLUDED.started_at)
            """,
            (batch_id, scrape.started_at, trigger, scrape.site_country),
        )
        cur.execute(
            """
            INSERT INTO core.book_runs (batch_id, book, status, complete, tournaments, events, requests,
                                        errors, error_messages, started_at, finished_at, site_country)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, GREATEST(%s, %s), %s)
            ON CONFLICT (batch_id, site_country, book) DO UPDATE SET
                status = EXCLUDED.status, complete = EXCLUDED.complete, tournaments = EXCLUDED.tournaments,
                events = EXCLUDED.events, requests = EXCLUDED.requests, errors = EXCLUDED.errors,
                error_messages = EXCLUDED.error_messages, started_at = EXCLUDED.started_at,
                finished_at = EXCLUDED.finished_at
            """,
            (
                batch_id,
                book.value,
                status,
                scrape.complete,
                len(scrape.tournaments),
                len(scrape.events),
                scrape.stats.requests,
                Jsonb(dict(scrape.stats.errors)),
                Jsonb(list(scrape.error_messages)[:20]),
                scrape.started_at,
                scrape.started_at,
                scrape.finished_at,
                scrape.site_country,
            ),
        )
        cur.executemany(
            """
            INSERT INTO core.quarantine (batch_id, book, url, reason, body, body_bytes, received_at,
                                         site_country)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s)
            """,
            [
                (batch_id, q.book.value, q.url, q.reason, compress(q.body), len(q.body), *received)
                for q in scrape.quarantined
            ],
        )
        cur.execute(
            """
            UPDATE core.scrape_batches AS b
            SET finished_at = GREATEST(b.started_at, b.finished_at, %(finished)s),
                status = (SELECT CASE
                              WHEN count(*) = 0 OR bool_and(r.status = 'failed') THEN 'failed'
                              WHEN bool_and(r.status = 'ok') THEN 'ok'
                              ELSE 'partial' END
                          FROM core.book_runs AS r
                          WHERE r.batch_id = b.batch_id AND r.site_country = b.site_country)
            WHERE b.batch_id = %(batch)s AND b.site_country = %(country)s
            """,
            {"finished": scrape.finished_at, "batch": batch_id, "country": scrape.site_country},
        )


def catalogue_scraped_since(conn: psycopg.Connection, since: datetime, *, site_country: str) -> bool:
    """Whether a catalogue scrape of ``site_country``'s sites finished (ok or partial: some book answered)
    at or after ``since`` (one probe of a small table, cheap enough for a sensor)."""
    row = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM core.scrape_batches WHERE status IN ('ok', 'partial') "
        "AND finished_at >= %s AND site_country = %s)",
        (since, site_country),
    ).fetchone()
    return bool(row and row[0])


def last_good_catalogues(
    conn: psycopg.Connection, books: Iterable[Book], *, site_country: str
) -> dict[Book, datetime | None]:
    """Each of ``books``' last catalogue scrape of its ``site_country`` site that stored something (ok or
    partial), by when it finished."""
    rows = conn.execute(
        "SELECT book, max(finished_at) FROM core.book_runs WHERE status IN ('ok', 'partial') "
        "AND site_country = %s GROUP BY book",
        (site_country,),
    ).fetchall()
    found = {Book(book): at for book, at in rows}
    return {book: found.get(book) for book in books}


def books_failed_in(conn: psycopg.Connection, batch_id: str, *, site_country: str) -> set[Book]:
    """The books whose catalogue scrape of their ``site_country`` site failed in this run (nothing of theirs
    was stored)."""
    rows = conn.execute(
        "SELECT book FROM core.book_runs WHERE batch_id = %s AND site_country = %s AND status = 'failed'",
        (batch_id, site_country),
    ).fetchall()
    return {Book(book) for (book,) in rows}
