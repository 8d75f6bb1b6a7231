"""Writing the archive: responses buffered on the caller's path, encoded and COPied in a worker thread, event
details into packs as deltas against their day's chain, other bodies into ``core.raw_archive``. A failed
flush keeps its bodies for the next; after ``MAX_FAILED_FLUSHES`` in a row the writer gives up and every
later flush raises :class:`ArchiveFlushError`, so its run fails."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import psycopg
import zstandard

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.warehouse.archive.bases import Base, LastBodies, find_bases
from palimpsest_pipeline.warehouse.archive.codec import (
    CHAIN_LENGTH,
    compress_exact,
    encode_packed_delta,
    packed_hash,
    raw_hash,
)
from palimpsest_pipeline.warehouse.archive.dictionaries import KeyframeDecompressors, newest_dictionaries
from palimpsest_pipeline.warehouse.archive.packs import EventLabel, Pack, event_keys, write_packs
from palimpsest_pipeline.warehouse.archive.records import (
    ARCHIVE_TABLE,
    PACK_TABLE,
    ArchiveError,
    ArchiveLabels,
    RawResponse,
    validate_response,
)
from palimpsest_pipeline.warehouse.partitions import ensure_day_partitions, utc_day
from palimpsest_pipeline.warehouse.store_inputs import Counts
from palimpsest_pipeline.warehouse.table_io import copy_binary

#: zstd level of keyframes (with the book's dictionary).
KEYFRAME_LEVEL = 8
#: Buffered bytes after which the ``on_response`` hook flushes.
DEFAULT_FLUSH_BYTES = 32 * 1024 * 1024
#: The last raw body per (book, event) a writer keeps as the next delta's base.
WRITER_CACHE_BYTES = 64 * 1024 * 1024
#: Failed flushes in a row after which a writer gives up (not a wait through an outage, bodies piling up).
MAX_FAILED_FLUSHES = 3

log = logging.getLogger(__name__)

#: Columns of a ``core.raw_archive`` row and their types for the binary COPY.
_COLUMNS, _COPY_TYPES = zip(
    *(
        ("captured_at", "timestamptz"), ("sr_id", "int8"), ("raw_bytes", "int4"), ("dict_id", "int4"),
        ("status", "int2"), ("kickoff_date", "date"), ("batch_id", "text"), ("book", "text"),
        ("kind", "text"), ("url", "text"), ("event_id", "text"), ("raw_hash", "bytea"),
        ("key_at", "timestamptz"), ("chain_pos", "int2"), ("body", "bytea"), ("site_country", "text"),
    ),
    strict=True,
)  # fmt: skip


@dataclass(frozen=True)
class ArchiveStats(Counts):
    """Rows and bytes written; ``keyframes``/``deltas`` split the rows (and stored bytes) by encoding."""

    rows: int = 0
    raw_bytes: int = 0
    stored_bytes: int = 0
    keyframes: int = 0
    keyframe_bytes: int = 0
    deltas: int = 0
    delta_bytes: int = 0
    bases_read: int = 0  # bases decoded back from the database (a writer's cache missed)


class ArchiveFlushError(ArchiveError):
    """Bodies could not be written to the raw archive (kept for the next flush until the writer gives up)."""


class RawArchiveWriter:
    """Buffers responses of one batch and writes them compressed, many per binary COPY; ``add`` from the event
    loop while a worker thread runs ``flush``; call :meth:`flush` at the end."""

    def __init__(
        self,
        conn: psycopg.Connection,
        *,
        batch_id: str,
        site_country: str,
        flush_bytes: int = DEFAULT_FLUSH_BYTES,
    ) -> None:
        if not batch_id:
            raise ArchiveError("RawArchiveWriter: batch_id must not be empty")
        self._conn = conn
        self.batch_id = batch_id
        #: The country of the sites whose bodies this writer archives (every row and event label says it).
        self.site_country = site_country
        self._flush_bytes = flush_bytes
        self._dictionaries = newest_dictionaries(conn)
        self._compressors: dict[tuple[Book, str], tuple[int | None, zstandard.ZstdCompressor]] = {}
        self._keyframes = KeyframeDecompressors(conn)
        self._cache: LastBodies[Base] = LastBodies(WRITER_CACHE_BYTES, lambda base: len(base.raw or b""))
        self._buffer: list[RawResponse] = []
        self._buffered_bytes = 0
        self._buffer_lock = threading.Lock()
        self._flush_lock = threading.Lock()
        #: Rows and bytes written so far (flushed rows only).
        self.stats = ArchiveStats()
        self._failed_flushes = 0  # in a row; a flush that writes resets it
        self._last_error: Exception | None = None
        self._lost = 0  # bodies dropped or refused once the writer gave up

    @property
    def gave_up(self) -> bool:
        """True once ``MAX_FAILED_FLUSHES`` flushes failed in a row: bodies were lost, every flush raises."""
        return self._failed_flushes >= MAX_FAILED_FLUSHES

    def add(self, response: RawResponse) -> bool:
        """Buffer one response; True when enough is buffered (``flush_bytes`` more per failed flush) that the
        caller should :meth:`flush`. Raises :class:`ArchiveFlushError` once the writer gave up."""
        validate_response(response)
        with self._buffer_lock:
            if self.gave_up:
                self._lost += 1
                raise self._gave_up_error()
            self._buffer.append(response)
            self._buffered_bytes += len(response.body)
            return self._buffered_bytes >= self._flush_bytes * (1 + self._failed_flushes)

    def flush(self) -> None:
        """Encode and write everything buffered (one transaction). Raises :class:`ArchiveFlushError` when the
        write fails and on every call after the writer gave up."""
        with self._flush_lock:
            with self._buffer_lock:
                if self.gave_up:
                    raise self._gave_up_error()
                pending, self._buffer, self._buffered_bytes = self._buffer, [], 0
            if not pending:
                return
            try:
                self._write(pending)
            except Exception as error:
                raise self._flush_failed(pending, error) from error
            self._failed_flushes = 0

    def _flush_failed(self, pending: list[RawResponse], error: Exception) -> ArchiveFlushError:
        """Put ``pending`` back at the front of the buffer, or drop everything when giving up; returns the
        error to raise."""
        with self._buffer_lock:
            self._failed_flushes += 1
            self._last_error = error
            if self.gave_up:
                self._lost += len(pending) + len(self._buffer)
                self._buffer, self._buffered_bytes = [], 0
                failure = self._gave_up_error()
                log.error("%s", failure)
                return failure
            self._buffer = pending + self._buffer
            self._buffered_bytes += sum(len(r.body) for r in pending)
            failure = ArchiveFlushError(
                f"raw archive of batch {self.batch_id}: a flush failed ({self._failed_flushes} in a row, "
                f"giving up at {MAX_FAILED_FLUSHES}); its {len(pending)} bodies are kept for the next "
                f"flush: {error!r}"
            )
        log.warning("%s", failure)
        return failure

    def _gave_up_error(self) -> ArchiveFlushError:
        return ArchiveFlushError(
            f"raw archive of batch {self.batch_id}: gave up after {self._failed_flushes} failed flushes in "
            f"a row; {self._lost} bodies are not archived (last error: {self._last_error!r})"
        )

    def _write(self, pending: list[RawResponse]) -> None:
        """Encode and write ``pending`` in one transaction."""
        as_rows = [r for r in pending if not _packed(r)]
        as_entries = sorted((r for r in pending if _packed(r)), key=lambda r: r.captured_at)
        with self._conn.transaction():
            for table, part in ((ARCHIVE_TABLE, as_rows), (PACK_TABLE, as_entries)):
                if part:
                    ensure_day_partitions(self._conn, table, {utc_day(r.captured_at) for r in part})
            newest: dict[tuple[str, str], Base] = {}
            rows, stats = self._encode_rows(as_rows)
            packs, packed_stats = self._encode_packs(as_entries, newest)
            if rows:
                copy_binary(self._conn, ARCHIVE_TABLE, _COLUMNS, _COPY_TYPES, rows)
            write_packs(self._conn, self.batch_id, packs)
        for event, base in newest.items():  # only once written: a rolled-back body is nobody's base
            self._cache.put(event, base)
        self.stats += stats + packed_stats

    def on_response(
        self,
        describe: Callable[[Book, str], ArchiveLabels],
        *,
        captured_at: Callable[[], datetime | None] | None = None,
    ) -> Callable[[Book, str, int, bytes, datetime], Awaitable[None]]:
        """An ``on_response`` hook for ``BookClient`` archiving every body, labelled ``describe(book, url)``,
        stamped ``captured_at()`` (else receive time); a full buffer flushes in a worker thread."""

        async def hook(book: Book, url: str, status: int, body: bytes, received_at: datetime) -> None:
            labels = describe(book, url)
            moment = (captured_at() if captured_at is not None else None) or received_at
            response = RawResponse(
                book=book, url=url, status=status, body=body, captured_at=moment, **asdict(labels)
            )
            if self.add(response):
                await asyncio.to_thread(self.flush)

        return hook

    def _delta_base(self, r: RawResponse, base: Base | None) -> Base | None:
        """``base`` when ``r`` can be stored as a delta against it."""
        if (
            base is not None
            and base.raw is not None
            and base.captured_at <= r.captured_at
            and utc_day(base.captured_at) == utc_day(r.captured_at)
            and base.chain_pos + 1 < CHAIN_LENGTH
        ):
            return base
        return None

    def _encode_rows(self, pending: Sequence[RawResponse]) -> tuple[list[tuple[Any, ...]], ArchiveStats]:
        """Keyframe rows of ``core.raw_archive`` for ``pending``."""
        rows: list[tuple[Any, ...]] = []
        stored_bytes = 0
        for r in pending:
            body = bytes(r.body)
            dict_id, compressor = self._compressor(r.book, r.kind)
            stored = compress_exact(compressor, body)
            stored_bytes += len(stored)
            rows.append(
                (
                    r.captured_at, r.sr_id, len(body), dict_id, r.status, r.kickoff_date, self.batch_id,
                    r.book.value, r.kind, r.url, r.event_id, raw_hash(body), r.captured_at, 0, stored,
                    self.site_country,
                )
            )  # fmt: skip
        raw_bytes = sum(len(r.body) for r in pending)
        return rows, ArchiveStats(len(rows), raw_bytes, stored_bytes, len(rows), stored_bytes)

    def _encode_packs(
        self, pending: Sequence[RawResponse], newest: dict[tuple[str, str], Base]
    ) -> tuple[list[Pack], ArchiveStats]:
        """Packs of ``pending`` (event details with an event id, in capture order): one per UTC day, a new
        one when the span of 32-bit microsecond offsets is reached."""
        if not pending:
            return [], ArchiveStats()
        bases, bases_read = find_bases(
            self._conn,
            pending,
            chain_length=CHAIN_LENGTH,
            cache=self._cache,
            keyframes=self._keyframes,
            site_country=self.site_country,
        )
        labels: list[EventLabel] = [
            (r.book.value, r.event_id or "", r.sr_id, r.kickoff_date) for r in pending
        ]
        keys = event_keys(self._conn, labels, self.site_country)
        open_packs: dict[object, Pack] = {}
        packs: list[Pack] = []
        keyframes = keyframe_bytes = delta_bytes = 0
        for r, label in zip(pending, labels, strict=True):
            body = bytes(r.body)
            event = (label[0], label[1])
            base = self._delta_base(r, newest.get(event) or bases.get(event))
            if base is not None:
                assert base.raw is not None
                frame = encode_packed_delta(body, base.raw)
                url, dict_id, base_digest = (None if r.url == base.url else r.url), None, base.digest
                delta_bytes += len(frame)
            else:
                dict_id, compressor = self._compressor(r.book, r.kind)
                frame = compress_exact(compressor, body)
                url, base_digest = r.url, None
                keyframes += 1
                keyframe_bytes += len(frame)
            chain_pos = 0 if base is None else base.chain_pos + 1
            newest[event] = mine = Base(r.captured_at, packed_hash(body), chain_pos, body, r.url)
            day = utc_day(r.captured_at)
            pack = open_packs.get(day)
            if pack is None or not pack.fits(r.captured_at):
                pack = open_packs[day] = Pack(r.captured_at)
                packs.append(pack)
            pack.add(
                key=keys[label],
                captured_at=r.captured_at,
                chain_pos=mine.chain_pos,
                status=r.status,
                frame=frame,
                dict_id=dict_id,
                url=url,
                digest=mine.digest,
                base=base_digest,
            )
        raw_bytes = sum(len(r.body) for r in pending)
        stored = keyframe_bytes + delta_bytes
        deltas = len(pending) - keyframes
        return packs, ArchiveStats(
            len(pending), raw_bytes, stored, keyframes, keyframe_bytes, deltas, delta_bytes, bases_read
        )

    def _compressor(self, book: Book, kind: str) -> tuple[int | None, zstandard.ZstdCompressor]:
        key = (book, kind)
        if key not in self._compressors:
            dict_id, data = self._dictionaries.get(key) or (None, None)  # the newest dictionary, if any
            compressor = zstandard.ZstdCompressor(level=KEYFRAME_LEVEL, dict_data=data)
            self._compressors[key] = (dict_id, compressor)
        return self._compressors[key]


def _packed(r: RawResponse) -> bool:
    """Whether ``r`` is written as a packed entry (else as a row of ``core.raw_archive``)."""
    return r.kind == "event" and r.event_id is not None
