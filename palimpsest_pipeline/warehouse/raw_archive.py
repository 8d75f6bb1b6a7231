"""The raw-response archive: every body a book sent, zstd-compressed in Postgres, kept for a few days.

Why: a parser bug or a new market mapping must be fixable for past days without asking the books again
(they only serve the present). Why Postgres and not files: runs may leave the host, and nothing may depend
on a local disk. Why bounded: bodies are 0.1-2 MB each, thousands per cycle; after
``PALIMPSEST_ARCHIVE_RETENTION_DAYS`` (default 14) whole day partitions are dropped.

Compression (measured on sandbox event details, 20 payloads per book, dictionary trained on 40 others):

=========  ==========  ========  ========  =============  =============
book       raw (avg)   zstd -3   zstd -10  dict + zstd -8  dict + zstd -10
=========  ==========  ========  ========  =============  =============
betpawa      78.6 kB    8.1 kB    6.6 kB       4.9 kB         4.8 kB
sportybet   231.7 kB   17.6 kB   14.8 kB      12.9 kB        12.4 kB
bet9ja       85.2 kB   11.1 kB    9.7 kB       4.0 kB         3.7 kB
=========  ==========  ========  ========  =============  =============

A per-(book, kind) dictionary at level 8 stores ~35 percent less than plain level 10 for half its CPU
(0.5-1.4 ms per payload), so that is the default. Dictionaries are trained off the hot path from archived
bodies (:func:`train_archive_dictionary`, run by maintenance) and stored in ``core.archive_dictionaries``;
a writer uses the newest one per (book, kind) when it starts, and each row records the dictionary it needs.
Until a book has a dictionary its bodies are stored with plain zstd.

Writing never compresses on the caller's path: :meth:`RawArchiveWriter.add` only buffers the bytes (cheap
enough for the capture engine's ``on_response`` hook on the event loop); :meth:`RawArchiveWriter.flush`
compresses and writes them with one binary COPY, and the async hook runs it in a worker thread.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from contextvars import ContextVar, Token
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal, get_args

import psycopg
import zstandard
from psycopg import sql

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.warehouse.copy import copy_binary
from palimpsest_pipeline.warehouse.partitions import (
    drop_day_partitions_before,
    ensure_day_partitions,
    utc_day,
)

ArchiveKind = Literal["catalogue", "list", "event"]
ARCHIVE_KINDS: tuple[str, ...] = get_args(ArchiveKind)
ARCHIVE_TABLE = "core.raw_archive"
RETENTION_DAYS_VAR = "PALIMPSEST_ARCHIVE_RETENTION_DAYS"
DEFAULT_RETENTION_DAYS = 14
DEFAULT_LEVEL = 8
#: zstd's own default dictionary size; larger ones gained nothing on the sandbox's bodies.
DICTIONARY_BYTES = 112_640
MIN_TRAINING_SAMPLES = 20
DEFAULT_FLUSH_BYTES = 32 * 1024 * 1024
#: A replaced dictionary is deleted only once unreferenced AND its successor is this old, so a writer that
#: loaded it before the successor existed has long finished.
DICTIONARY_GRACE = timedelta(days=1)

_COLUMNS = (
    "captured_at",
    "sr_id",
    "raw_bytes",
    "dict_id",
    "status",
    "kickoff_date",
    "batch_id",
    "book",
    "kind",
    "url",
    "event_id",
    "body",
)
_COPY_TYPES = (
    "timestamptz",
    "int8",
    "int4",
    "int4",
    "int2",
    "date",
    "text",
    "text",
    "text",
    "text",
    "text",
    "bytea",
)


class ArchiveError(ValueError):
    """A response handed to the archive, or a setting, is unusable; the message names it."""


@dataclass(frozen=True, slots=True)
class RawResponse:
    """One response as received. ``kickoff_date`` is set for event details (the reader selects by it)."""

    book: Book
    kind: ArchiveKind
    url: str
    status: int
    body: bytes
    captured_at: datetime
    sr_id: int | None = None
    event_id: str | None = None
    kickoff_date: date | None = None


@dataclass(frozen=True, slots=True)
class ArchivedBody:
    """One archived response read back, its body decompressed."""

    batch_id: str
    book: Book
    kind: ArchiveKind
    url: str
    status: int
    captured_at: datetime
    sr_id: int | None
    event_id: str | None
    kickoff_date: date | None
    body: bytes


@dataclass(frozen=True, slots=True)
class ArchiveLabels:
    """What a request is about, set by the caller for the ``on_response`` hook (which only sees the URL)."""

    kind: ArchiveKind
    sr_id: int | None = None
    event_id: str | None = None
    kickoff_date: date | None = None


@dataclass(frozen=True)
class ArchiveStats:
    rows: int = 0
    raw_bytes: int = 0
    stored_bytes: int = 0


@dataclass(frozen=True)
class RetentionResult:
    cutoff: date
    dropped_partitions: tuple[str, ...]
    dropped_dictionaries: int


_LABELS: ContextVar[ArchiveLabels | None] = ContextVar("palimpsest_archive_labels", default=None)


def label_requests(labels: ArchiveLabels) -> Token[ArchiveLabels | None]:
    """Label the current task's next responses for the archive hook (call inside the request's own task)."""
    return _LABELS.set(labels)


# ------------------------------------------------------------------------------------------------ writing


class RawArchiveWriter:
    """Buffers responses of one batch and writes them compressed, many per binary COPY.

    Thread-safe: ``add`` may be called from the event loop while a worker thread runs ``flush``. Use as a
    context manager (flushes on a clean exit) or call :meth:`flush` at the end; unflushed bodies are lost.
    """

    def __init__(
        self,
        conn: psycopg.Connection,
        *,
        batch_id: str,
        level: int = DEFAULT_LEVEL,
        use_dictionaries: bool = True,
        flush_bytes: int = DEFAULT_FLUSH_BYTES,
    ) -> None:
        if not batch_id:
            raise ArchiveError("RawArchiveWriter: batch_id must not be empty")
        if not 1 <= level <= 22:
            raise ArchiveError(f"RawArchiveWriter: zstd level must be 1-22, got {level}")
        self._conn = conn
        self.batch_id = batch_id
        self._level = level
        self._flush_bytes = flush_bytes
        self._dictionaries = newest_dictionaries(conn) if use_dictionaries else {}
        self._compressors: dict[tuple[Book, str], tuple[int | None, zstandard.ZstdCompressor]] = {}
        self._buffer: list[RawResponse] = []
        self._buffered_bytes = 0
        self._buffer_lock = threading.Lock()
        self._flush_lock = threading.Lock()
        self._stats = ArchiveStats()

    @property
    def stats(self) -> ArchiveStats:
        """Rows and bytes written so far (flushed rows only)."""
        return self._stats

    def add(self, response: RawResponse) -> bool:
        """Buffer one response; True when enough is buffered that the caller should :meth:`flush`."""
        _validate(response)
        with self._buffer_lock:
            self._buffer.append(response)
            self._buffered_bytes += len(response.body)
            return self._buffered_bytes >= self._flush_bytes

    def flush(self) -> int:
        """Compress and write everything buffered (one transaction); return the rows written."""
        with self._flush_lock:
            with self._buffer_lock:
                pending, self._buffer, self._buffered_bytes = self._buffer, [], 0
            if not pending:
                return 0
            rows = [self._row(response) for response in pending]
            with self._conn.transaction():
                ensure_day_partitions(self._conn, ARCHIVE_TABLE, {utc_day(r.captured_at) for r in pending})
                copy_binary(self._conn, ARCHIVE_TABLE, _COLUMNS, _COPY_TYPES, rows)
            stored = sum(len(row[-1]) for row in rows)
            self._stats = ArchiveStats(
                rows=self._stats.rows + len(rows),
                raw_bytes=self._stats.raw_bytes + sum(len(r.body) for r in pending),
                stored_bytes=self._stats.stored_bytes + stored,
            )
            return len(rows)

    def on_response(
        self,
        default_kind: ArchiveKind = "event",
        *,
        describe: Callable[[Book, str], ArchiveLabels | None] | None = None,
        captured_at: Callable[[], datetime | None] | None = None,
    ) -> Callable[[Book, str, int, bytes, datetime], Awaitable[None]]:
        """An ``on_response`` hook for ``BookClient``: archives every body it is handed.

        Labels (kind, sr_id, event id, kick-off date) come from :func:`label_requests` in the calling task,
        else from ``describe(book, url)``, else ``default_kind`` with no ids. Label event details: only
        labelled ones are found by :func:`iter_event_bodies` (unlabelled ones only by batch). A body is
        stamped with ``captured_at()`` when that gives an instant (odds captures stamp the request's send
        time, so a replay of the archive reproduces the same capture times), else with its receive time.
        When the buffer is full the hook flushes in a worker thread, so the event loop never compresses.
        """
        if default_kind not in ARCHIVE_KINDS:
            raise ArchiveError(f"on_response: kind must be one of {ARCHIVE_KINDS}, got {default_kind!r}")

        async def hook(book: Book, url: str, status: int, body: bytes, received_at: datetime) -> None:
            labels = _LABELS.get() or (describe and describe(book, url)) or ArchiveLabels(default_kind)
            moment = (captured_at() if captured_at is not None else None) or received_at
            response = RawResponse(
                book=book,
                kind=labels.kind,
                url=url,
                status=status,
                body=body,
                captured_at=moment,
                sr_id=labels.sr_id,
                event_id=labels.event_id,
                kickoff_date=labels.kickoff_date,
            )
            if self.add(response):
                await asyncio.to_thread(self.flush)

        return hook

    def __enter__(self) -> RawArchiveWriter:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self.flush()

    def _row(self, r: RawResponse) -> tuple[Any, ...]:
        dict_id, compressor = self._compressor(r.book, r.kind)
        body = compressor.compress(r.body)
        return (
            r.captured_at,
            r.sr_id,
            len(r.body),
            dict_id,
            r.status,
            r.kickoff_date,
            self.batch_id,
            r.book.value,
            r.kind,
            r.url,
            r.event_id,
            body,
        )

    def _compressor(self, book: Book, kind: str) -> tuple[int | None, zstandard.ZstdCompressor]:
        key = (book, kind)
        found = self._compressors.get(key)
        if found is None:
            dictionary = self._dictionaries.get(key)
            if dictionary is None:
                found = (None, zstandard.ZstdCompressor(level=self._level))
            else:
                dict_id, data = dictionary
                found = (dict_id, zstandard.ZstdCompressor(level=self._level, dict_data=data))
            self._compressors[key] = found
        return found


def archive_responses(
    conn: psycopg.Connection, *, batch_id: str, responses: Sequence[RawResponse], level: int = DEFAULT_LEVEL
) -> ArchiveStats:
    """Write ``responses`` now (one transaction); for callers that already hold them all."""
    writer = RawArchiveWriter(conn, batch_id=batch_id, level=level, flush_bytes=2**62)
    for response in responses:
        writer.add(response)
    writer.flush()
    return writer.stats


def _validate(r: RawResponse) -> None:
    where = f"archive {r.kind!r} response {r.url!r}"
    if not isinstance(r.book, Book):
        raise ArchiveError(f"{where}: book {r.book!r} is not a Book")
    if r.kind not in ARCHIVE_KINDS:
        raise ArchiveError(f"{where}: kind must be one of {ARCHIVE_KINDS}")
    if not 100 <= r.status <= 599:
        raise ArchiveError(f"{where}: HTTP status {r.status} is not one")
    if not isinstance(r.body, bytes | bytearray | memoryview):
        raise ArchiveError(f"{where}: body must be bytes, got {type(r.body).__name__}")
    if r.captured_at.tzinfo is None or r.captured_at.utcoffset() is None:
        raise ArchiveError(
            f"{where}: captured_at must be timezone-aware UTC, got {r.captured_at.isoformat()}"
        )
    if r.sr_id is not None and r.sr_id <= 0:
        raise ArchiveError(f"{where}: sr_id must be positive, got {r.sr_id}")


# ------------------------------------------------------------------------------------------------ reading


def iter_event_bodies(
    conn: psycopg.Connection,
    start: date,
    end: date,
    *,
    books: Sequence[Book] | None = None,
    by_event: bool = False,
) -> Iterator[ArchivedBody]:
    """Archived event-detail bodies of events kicking off from ``start`` to ``end`` (inclusive, UTC), in
    capture order (captured_at, book, sr_id): the order a re-derivation must replay them in. ``by_event``:
    event by event (sr_id), each event's bodies in capture order, so each event can be rebuilt alone."""
    if end < start:
        raise ArchiveError(f"iter_event_bodies: end {end} is before start {start}")
    condition: sql.Composable = sql.SQL("kind = 'event' AND kickoff_date BETWEEN %(start)s AND %(end)s")
    params: dict[str, Any] = {"start": start, "end": end}
    if books is not None:
        condition = condition + sql.SQL(" AND book = ANY(%(books)s)")
        params["books"] = [Book(b).value for b in books]
    return _iter_archived(conn, condition, params, by_event=by_event)


def iter_batch_bodies(
    conn: psycopg.Connection,
    batch_ids: Sequence[str],
    *,
    kinds: Sequence[ArchiveKind] = ("catalogue", "list"),
) -> Iterator[ArchivedBody]:
    """Archived bodies of the given batches (by default their catalogue and list pages), in capture order."""
    unknown = [k for k in kinds if k not in ARCHIVE_KINDS]
    if unknown:
        raise ArchiveError(f"iter_batch_bodies: unknown kinds {unknown} (expected {ARCHIVE_KINDS})")
    condition = sql.SQL("batch_id = ANY(%(batches)s) AND kind = ANY(%(kinds)s)")
    return _iter_archived(conn, condition, {"batches": list(batch_ids), "kinds": list(kinds)})


def _iter_archived(
    conn: psycopg.Connection, condition: sql.Composable, params: Mapping[str, Any], *, by_event: bool = False
) -> Iterator[ArchivedBody]:
    """Stream matching rows through a server-side cursor (bodies are big: never all in memory at once)."""
    order = (
        "sr_id NULLS FIRST, captured_at, book, url"
        if by_event
        else "captured_at, book, sr_id NULLS FIRST, url"
    )
    query = sql.SQL(
        """
        SELECT batch_id, book, kind, url, status, captured_at, sr_id, event_id, kickoff_date, dict_id, body
        FROM core.raw_archive WHERE {}
        ORDER BY {}
        """
    ).format(condition, sql.SQL(order))
    decompressors: dict[int | None, zstandard.ZstdDecompressor] = {None: zstandard.ZstdDecompressor()}
    with conn.transaction(), conn.cursor(name="palimpsest_archive_reader") as cur:
        cur.itersize = 64
        cur.execute(query, params)
        for row in cur:
            batch_id, book, kind, url, status, captured_at, sr_id, event_id, kickoff_date, dict_id, body = row
            decompressor = decompressors.get(dict_id)
            if decompressor is None:
                decompressor = zstandard.ZstdDecompressor(dict_data=_load_dictionary(conn, dict_id))
                decompressors[dict_id] = decompressor
            yield ArchivedBody(
                batch_id=batch_id,
                book=Book(book),
                kind=kind,
                url=url,
                status=int(status),
                captured_at=captured_at,
                sr_id=sr_id,
                event_id=event_id,
                kickoff_date=kickoff_date,
                body=decompressor.decompress(bytes(body)),
            )


# ------------------------------------------------------------------------------------------- dictionaries


def newest_dictionaries(
    conn: psycopg.Connection,
) -> dict[tuple[Book, str], tuple[int, zstandard.ZstdCompressionDict]]:
    """The newest dictionary of every (book, kind) that has one."""
    rows = conn.execute(
        """
        SELECT DISTINCT ON (book, kind) book, kind, dict_id, dict
        FROM core.archive_dictionaries ORDER BY book, kind, dict_id DESC
        """
    ).fetchall()
    return {
        (Book(book), kind): (dict_id, zstandard.ZstdCompressionDict(bytes(data)))
        for book, kind, dict_id, data in rows
    }


def train_archive_dictionary(
    conn: psycopg.Connection,
    book: Book,
    kind: ArchiveKind = "event",
    *,
    samples: int = 300,
    size: int = DICTIONARY_BYTES,
) -> int | None:
    """Train a dictionary on the ``samples`` newest archived bodies of (book, kind) and store it; return its
    id, or None when fewer than ``MIN_TRAINING_SAMPLES`` bodies are archived (too few to generalise).

    Writers started afterwards use it; bodies already written keep the dictionary they were written with.
    """
    if kind not in ARCHIVE_KINDS:
        raise ArchiveError(f"train_archive_dictionary: kind must be one of {ARCHIVE_KINDS}, got {kind!r}")
    rows = conn.execute(
        """
        SELECT dict_id, body FROM core.raw_archive
        WHERE book = %s AND kind = %s AND status = 200
        ORDER BY captured_at DESC LIMIT %s
        """,
        (Book(book).value, kind, samples),
    ).fetchall()
    if len(rows) < MIN_TRAINING_SAMPLES:
        return None
    decompressors: dict[int | None, zstandard.ZstdDecompressor] = {None: zstandard.ZstdDecompressor()}
    bodies: list[bytes | bytearray | memoryview] = []
    for dict_id, body in rows:
        if dict_id not in decompressors:
            decompressors[dict_id] = zstandard.ZstdDecompressor(dict_data=_load_dictionary(conn, dict_id))
        bodies.append(decompressors[dict_id].decompress(bytes(body)))
    try:
        trained = zstandard.train_dictionary(size, bodies)
    except zstandard.ZstdError as err:
        raise ArchiveError(
            f"could not train a {book} {kind} dictionary on {len(bodies)} bodies: {err}"
        ) from err
    data = trained.as_bytes()
    row = conn.execute(
        """
        INSERT INTO core.archive_dictionaries (book, kind, samples, dict, dict_bytes)
        VALUES (%s, %s, %s, %s, %s) RETURNING dict_id
        """,
        (Book(book).value, kind, len(bodies), data, len(data)),
    ).fetchone()
    assert row is not None
    return int(row[0])


def _load_dictionary(conn: psycopg.Connection, dict_id: int | None) -> zstandard.ZstdCompressionDict:
    row = conn.execute("SELECT dict FROM core.archive_dictionaries WHERE dict_id = %s", (dict_id,)).fetchone()
    if row is None:
        raise ArchiveError(f"archived body needs zstd dictionary {dict_id}, which no longer exists")
    return zstandard.ZstdCompressionDict(bytes(row[0]))


# ---------------------------------------------------------------------------------------------- retention


def archive_retention_days(env: Mapping[str, str] = os.environ) -> int:
    """``PALIMPSEST_ARCHIVE_RETENTION_DAYS`` (a positive whole number of days), default 14."""
    text = env.get(RETENTION_DAYS_VAR, "").strip()
    if not text:
        return DEFAULT_RETENTION_DAYS
    try:
        days = int(text)
    except ValueError:
        raise ArchiveError(f"{RETENTION_DAYS_VAR}={text!r} is not a whole number of days") from None
    if days < 1:
        raise ArchiveError(f"{RETENTION_DAYS_VAR}={days} must be at least 1")
    return days


def apply_archive_retention(
    conn: psycopg.Connection,
    *,
    today: date | None = None,
    retention_days: int | None = None,
    env: Mapping[str, str] = os.environ,
) -> RetentionResult:
    """Drop the archive's day partitions older than the retention (days before ``today - retention_days``),
    then the dictionaries nothing references any more (never the newest of a (book, kind))."""
    days = retention_days if retention_days is not None else archive_retention_days(env)
    if days < 1:
        raise ArchiveError(f"apply_archive_retention: retention_days must be at least 1, got {days}")
    cutoff = (today or datetime.now(UTC).date()) - timedelta(days=days)
    dropped = drop_day_partitions_before(conn, ARCHIVE_TABLE, cutoff)
    with conn.transaction():
        deleted = conn.execute(
            """
            DELETE FROM core.archive_dictionaries AS d
            WHERE EXISTS (SELECT 1 FROM core.archive_dictionaries AS newer
                          WHERE newer.book = d.book AND newer.kind = d.kind AND newer.dict_id > d.dict_id
                            AND newer.trained_at < now() - %s)
              AND NOT EXISTS (SELECT 1 FROM core.raw_archive AS a WHERE a.dict_id = d.dict_id)
            """,
            (DICTIONARY_GRACE,),
        ).rowcount
    return RetentionResult(cutoff=cutoff, dropped_partitions=tuple(dropped), dropped_dictionaries=deleted)


def archive_bytes(conn: psycopg.Connection) -> int:
    """Bytes the archive occupies on disk (every partition, its TOAST and indexes)."""
    row = conn.execute(
        """
        SELECT COALESCE(sum(pg_total_relation_size(i.inhrelid)), 0)
        FROM pg_inherits AS i WHERE i.inhparent = 'core.raw_archive'::regclass
        """
    ).fetchone()
    return int(row[0]) if row else 0
