"""Scrape bookkeeping: batches (one run's scrape of one site country), per-book runs and quarantined
payloads, and the reads automation decides on. Every writer is one transaction (a savepoint inside a
caller's)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Literal, Protocol

import psycopg
import zstandard
from psycopg.types.json import Jsonb

from palimpsest_pipeline.records import Book, Event, Tournament
from palimpsest_pipeline.warehouse.store_inputs import StoreInputError, checked_book, require_aware

RunStatus = Literal["ok", "partial", "failed"]
_RUN_STATUSES = ("ok", "partial", "failed")


class _ScrapeStats(Protocol):
    @property
    def requests(self) -> int: ...
    @property
    def errors(self) -> Mapping[str, int]: ...


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
    def stats(self) -> _ScrapeStats: ...
    @property
    def error_messages(self) -> Sequence[str]: ...
    @property
    def quarantined(self) -> Sequence[_Quarantined]: ...


def start_batch(
    conn: psycopg.Connection,
    *,
    started_at: datetime,
    site_country: str,
    batch_id: str | None = None,
    trigger: str = "manual",
    partition_start: date | None = None,
    partition_end: date | None = None,
) -> str:
    """Open a scrape batch (status ``running``) of ``site_country``'s sites and return its id (a new uuid
    when none is given); starting an existing one again (a retried run) keeps the original row."""
    require_aware(started_at, "started_at")
    batch_id = batch_id or str(uuid.uuid4())
    with conn.transaction():
        conn.execute(
            """
            INSERT INTO core.scrape_batches (batch_id, started_at, trigger, partition_start, partition_end,
                                             site_country)
            VALUES (%s, %s, %s, %s, %s, %s)
            ON CONFLICT (batch_id, site_country) DO NOTHING
            """,
            (batch_id, started_at, trigger, partition_start, partition_end, site_country),
        )
    return batch_id


def finish_batch(conn: psycopg.Connection, batch_id: str, *, site_country: str, finished_at: datetime) -> str:
    """Close a batch of ``site_country`` (its finish never moves back); its status follows from the country's
    book runs of the batch: ok if all ok, failed if all failed (or none recorded), partial otherwise. Returns
    the status stored."""
    require_aware(finished_at, "finished_at")
    with conn.transaction():
        row = conn.execute(
            f"""
            UPDATE core.scrape_batches AS b
            SET finished_at = GREATEST(b.started_at, b.finished_at, %(finished)s),
                status = {_DERIVED_BATCH_STATUS}
            WHERE b.batch_id = %(batch)s AND b.site_country = %(country)s
            RETURNING b.status
            """,
            {"finished": finished_at, "batch": batch_id, "country": site_country},
        ).fetchone()
    if row is None:
        raise StoreInputError(
            f"finish_batch: no batch {batch_id!r} of {site_country!r} (start_batch it first)"
        )
    return str(row[0])


_DERIVED_BATCH_STATUS = """
    (SELECT CASE
        WHEN count(*) = 0 OR bool_and(r.status = 'failed') THEN 'failed'
        WHEN bool_and(r.status = 'ok') THEN 'ok'
        ELSE 'partial' END
     FROM core.book_runs AS r WHERE r.batch_id = b.batch_id AND r.site_country = b.site_country)
"""


def record_book_run(
    conn: psycopg.Connection,
    *,
    batch_id: str,
    book: Book | str,
    site_country: str,
    status: RunStatus,
    complete: bool,
    started_at: datetime,
    finished_at: datetime,
    tournaments: int = 0,
    events: int = 0,
    requests: int = 0,
    errors: Mapping[str, int] | None = None,
    error_messages: Sequence[str] = (),
) -> None:
    """Record (or overwrite, for a retried step) how one book's scrape of its ``site_country`` site went
    within a batch."""
    book = checked_book(book, "record_book_run")
    if status not in _RUN_STATUSES:
        raise StoreInputError(
            f"record_book_run({book}): status must be one of {_RUN_STATUSES}, got {status!r}"
        )
    require_aware(started_at, "started_at")
    require_aware(finished_at, "finished_at")
    with conn.transaction():
        conn.execute(
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
                complete,
                tournaments,
                events,
                requests,
                Jsonb(dict(errors or {})),
                Jsonb(list(error_messages)),
                started_at,
                started_at,
                finished_at,
                site_country,
            ),
        )


def record_scrape(
    conn: psycopg.Connection, *, batch_id: str, scrape: ScrapeOutcome, trigger: str = "manual"
) -> str:
    """Record one book's scrape in the batch of its site country, in one transaction: the batch (created if
    new, its start the earliest of its scrapes'), the book run, the quarantined payloads, and the batch's
    status from the book runs recorded so far, which is returned."""
    with conn.transaction():
        conn.execute(
            """
            INSERT INTO core.scrape_batches AS b (batch_id, started_at, trigger, site_country)
            VALUES (%s, %s, %s, %s)
            ON CONFLICT (batch_id, site_country) DO UPDATE
            SET started_at = LEAST(b.started_at, EXCLUDED.started_at)
            """,
            (batch_id, scrape.started_at, trigger, scrape.site_country),
        )
        status = scrape.status if scrape.status in _RUN_STATUSES else "failed"
        record_book_run(
            conn,
            batch_id=batch_id,
            book=scrape.book,
            site_country=scrape.site_country,
            status=status,  # type: ignore[arg-type]
            complete=scrape.complete,
            started_at=scrape.started_at,
            finished_at=scrape.finished_at,
            tournaments=len(scrape.tournaments),
            events=len(scrape.events),
            requests=scrape.stats.requests,
            errors=scrape.stats.errors,
            error_messages=list(scrape.error_messages)[:20],
        )
        # payloads that could not be parsed, kept (zstd-compressed) for later diagnosis
        compress = zstandard.ZstdCompressor(level=10).compress
        received = (scrape.finished_at, scrape.site_country)
        with conn.cursor() as cur:
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
        return finish_batch(conn, batch_id, site_country=scrape.site_country, finished_at=scrape.finished_at)


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
