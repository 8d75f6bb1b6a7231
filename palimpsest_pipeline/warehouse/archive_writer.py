"""Writing the archive: responses buffered on the caller's path, encoded and COPied in a worker thread.

An event detail is stored as a delta against the previous body of the same (book, event) when that body is
in the same UTC day and its chain is shorter than ``CHAIN_LENGTH``; otherwise as a keyframe (the book's
dictionary, as before deltas). The base is always the newest row of that (book, event) the flush's
transaction sees (one query per flush), so it exists for as long as the delta (same day partition, same or
earlier transaction). Its raw bytes come from a bounded cache of the last body per (book, event) this
writer stored, else are decoded back from the database (one query per flush for every miss). Each Dagster
capture is a new process, so the database is where a run finds the previous run's bodies: writing a
keyframe on every miss would make every first body of a run a keyframe (``bench_archive.py`` measures both).
A delta asked at its base's URL stores no URL (``0020_slim_archive_rows.sql``): at real depth a delta is a few
hundred bytes, and the URL was a fifth of its row.
"""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time
from typing import Any

import psycopg
import zstandard

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.warehouse.archive_codec import (
    CHAIN_LENGTH,
    DELTA_LEVEL,
    chain_url,
    compress_exact,
    encode_delta,
    raw_hash,
    resolve_chain,
)
from palimpsest_pipeline.warehouse.archive_maintenance import KeyframeDecompressors, newest_dictionaries
from palimpsest_pipeline.warehouse.archive_reader import load_chains
from palimpsest_pipeline.warehouse.archive_records import (
    ARCHIVE_KINDS,
    ARCHIVE_TABLE,
    DEFAULT_FLUSH_BYTES,
    DEFAULT_LEVEL,
    ArchiveError,
    ArchiveKind,
    ArchiveLabels,
    ArchiveStats,
    RawResponse,
    current_labels,
    validate_response,
)
from palimpsest_pipeline.warehouse.copy import copy_binary
from palimpsest_pipeline.warehouse.partitions import ensure_day_partitions, utc_day

#: The last raw body per (book, event) a writer keeps as the next delta's base.
WRITER_CACHE_BYTES = 64 * 1024 * 1024

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
    "raw_hash",
    "base_at",
    "base_hash",
    "key_at",
    "chain_pos",
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
    "timestamptz",
    "bytea",
    "timestamptz",
    "int2",
    "bytea",
)


@dataclass(frozen=True, slots=True)
class _Base:
    """A stored body a delta can be written against: its identity, place in its chain, and raw bytes."""

    captured_at: datetime
    digest: bytes
    chain_pos: int
    key_at: datetime
    raw: bytes | None = None
    url: str | None = None  # the URL it was asked at (resolved along its chain), with ``raw``


class RawArchiveWriter:
    """Buffers responses of one batch and writes them compressed, many per binary COPY.

    Thread-safe: ``add`` may be called from the event loop while a worker thread runs ``flush``. Use as a
    context manager (flushes on a clean exit) or call :meth:`flush` at the end; unflushed bodies are lost.
    ``deltas=False`` stores every body as a keyframe (as before deltas); ``base_from_database=False`` writes
    a keyframe whenever the writer's own cache lacks the base (measured, not the default).
    """

    def __init__(
        self,
        conn: psycopg.Connection,
        *,
        batch_id: str,
        level: int = DEFAULT_LEVEL,
        use_dictionaries: bool = True,
        flush_bytes: int = DEFAULT_FLUSH_BYTES,
        deltas: bool = True,
        delta_level: int = DELTA_LEVEL,
        chain_length: int = CHAIN_LENGTH,
        base_from_database: bool = True,
        cache_bytes: int = WRITER_CACHE_BYTES,
    ) -> None:
        if not batch_id:
            raise ArchiveError("RawArchiveWriter: batch_id must not be empty")
        for name, value in (("level", level), ("delta_level", delta_level)):
            if not 1 <= value <= 22:
                raise ArchiveError(f"RawArchiveWriter: zstd {name} must be 1-22, got {value}")
        if chain_length < 1:
            raise ArchiveError(f"RawArchiveWriter: chain_length must be at least 1, got {chain_length}")
        self._conn = conn
        self.batch_id = batch_id
        self._level = level
        self._delta_level = delta_level
        self._deltas = deltas
        self._chain_length = chain_length
        self._base_from_database = base_from_database
        self._flush_bytes = flush_bytes
        self._dictionaries = newest_dictionaries(conn) if use_dictionaries else {}
        self._compressors: dict[tuple[Book, str], tuple[int | None, zstandard.ZstdCompressor]] = {}
        self._keyframes = KeyframeDecompressors(conn)
        self._cache: OrderedDict[tuple[str, str], _Base] = OrderedDict()
        self._cache_budget = cache_bytes
        self._cache_bytes = 0
        self._buffer: list[RawResponse] = []
        self._buffered_bytes = 0
        self._buffer_lock = threading.Lock()
        self._flush_lock = threading.Lock()
        self._stats = ArchiveStats()
        self._bases_read = 0

    @property
    def stats(self) -> ArchiveStats:
        """Rows and bytes written so far (flushed rows only)."""
        return self._stats

    def add(self, response: RawResponse) -> bool:
        """Buffer one response; True when enough is buffered that the caller should :meth:`flush`."""
        validate_response(response)
        with self._buffer_lock:
            self._buffer.append(response)
            self._buffered_bytes += len(response.body)
            return self._buffered_bytes >= self._flush_bytes

    def flush(self) -> int:
        """Encode and write everything buffered (one transaction); return the rows written."""
        with self._flush_lock:
            with self._buffer_lock:
                pending, self._buffer, self._buffered_bytes = self._buffer, [], 0
            if not pending:
                return 0
            with self._conn.transaction():
                ensure_day_partitions(self._conn, ARCHIVE_TABLE, {utc_day(r.captured_at) for r in pending})
                bases = self._stored_bases(pending)
                rows, newest, stats = self._encode(pending, bases)
                copy_binary(self._conn, ARCHIVE_TABLE, _COLUMNS, _COPY_TYPES, rows)
            for event, base in newest.items():  # only once written: a rolled-back body is nobody's base
                self._remember(event, base)
            old = self._stats
            self._stats = ArchiveStats(
                *(getattr(old, name) + getattr(stats, name) for name in old.__dataclass_fields__)
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
        labelled ones are found by :func:`iter_event_bodies` (unlabelled ones only by batch) and only those
        with an event id are stored as deltas. A body is stamped with ``captured_at()`` when that gives an
        instant (odds captures stamp the request's send time, so a replay of the archive reproduces the same
        capture times), else with its receive time. When the buffer is full the hook flushes in a worker
        thread, so the event loop never compresses.
        """
        if default_kind not in ARCHIVE_KINDS:
            raise ArchiveError(f"on_response: kind must be one of {ARCHIVE_KINDS}, got {default_kind!r}")

        async def hook(book: Book, url: str, status: int, body: bytes, received_at: datetime) -> None:
            labels = current_labels() or (describe and describe(book, url)) or ArchiveLabels(default_kind)
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

    # ------------------------------------------------------------------------------------------ encoding

    def _stored_bases(self, pending: Sequence[RawResponse]) -> dict[tuple[str, str], _Base]:
        """For each (book, event) of ``pending``: the newest stored row of the same UTC day no later than its
        first body here, with its raw bytes (cache, else decoded from the database)."""
        if not self._deltas:
            return {}
        first: dict[tuple[str, str], datetime] = {}
        for r in pending:
            if r.kind == "event" and r.event_id is not None:
                event = (r.book.value, r.event_id)
                first[event] = min(first.get(event, r.captured_at), r.captured_at)
        if not first:
            return {}
        events = list(first)
        ats = [first[e] for e in events]
        starts = [datetime.combine(utc_day(at), time(), tzinfo=UTC) for at in ats]
        rows = self._conn.execute(
            """
            SELECT k.i, a.captured_at, a.raw_hash, a.chain_pos, a.key_at
            FROM unnest(%s::text[], %s::text[], %s::timestamptz[], %s::timestamptz[])
                 WITH ORDINALITY AS k(book, event_id, day_start, at, i)
            CROSS JOIN LATERAL (
                SELECT captured_at, raw_hash, chain_pos, key_at FROM core.raw_archive AS a
                WHERE a.kind = 'event' AND a.book = k.book AND a.event_id = k.event_id
                  AND a.captured_at >= k.day_start AND a.captured_at <= k.at AND a.raw_hash IS NOT NULL
                ORDER BY a.captured_at DESC LIMIT 1
            ) AS a
            """,
            ([e[0] for e in events], [e[1] for e in events], starts, ats),
        ).fetchall()
        bases: dict[tuple[str, str], _Base] = {}
        missing: list[tuple[tuple[str, str], _Base]] = []
        for i, at, digest, chain_pos, key_at in rows:
            event = events[i - 1]
            base = _Base(at, bytes(digest), int(chain_pos), key_at)
            if base.chain_pos + 1 >= self._chain_length:
                continue  # the next body is a keyframe anyway: no need for the base's bytes
            cached = self._cache.get(event)
            if cached is not None and (cached.captured_at, cached.digest) == (at, base.digest):
                bases[event] = cached
            elif self._base_from_database:
                missing.append((event, base))
        chains = load_chains(self._conn, [(e[0], e[1], b.key_at, b.captured_at) for e, b in missing])
        for (event, base), chain in zip(missing, chains, strict=True):
            where = f"{event[0]} event {event[1]!r}: the base captured at {base.captured_at.isoformat()}"
            key = (base.captured_at, base.digest)
            raw = resolve_chain(key, chain, self._keyframes, where=where)
            bases[event] = replace(base, raw=raw, url=chain_url(key, chain, where=where))
        self._bases_read = len(missing)
        return bases

    def _encode(
        self, pending: Sequence[RawResponse], bases: dict[tuple[str, str], _Base]
    ) -> tuple[list[tuple[Any, ...]], dict[tuple[str, str], _Base], ArchiveStats]:
        rows: list[tuple[Any, ...]] = []
        newest: dict[tuple[str, str], _Base] = {}
        keyframes = keyframe_bytes = deltas = delta_bytes = 0
        for r in pending:
            body = bytes(r.body)
            digest = raw_hash(body)
            event = (r.book.value, r.event_id) if r.kind == "event" and r.event_id is not None else None
            base = None if event is None else newest.get(event) or bases.get(event)
            if (
                base is not None
                and base.raw is not None
                and base.captured_at <= r.captured_at
                and utc_day(base.captured_at) == utc_day(r.captured_at)
                and base.chain_pos + 1 < self._chain_length
            ):
                stored = encode_delta(body, base.raw, level=self._delta_level)
                mine = _Base(r.captured_at, digest, base.chain_pos + 1, base.key_at, body, r.url)
                reference: tuple[datetime | None, bytes | None] = (base.captured_at, base.digest)
                url = None if r.url == base.url else r.url  # the readers take it from the chain
                dict_id = None
                deltas += 1
                delta_bytes += len(stored)
            else:
                dict_id, compressor = self._compressor(r.book, r.kind)
                stored = compress_exact(compressor, body)
                mine = _Base(r.captured_at, digest, 0, r.captured_at, body, r.url)
                reference = (None, None)
                url = r.url
                keyframes += 1
                keyframe_bytes += len(stored)
            if event is not None and self._deltas:
                newest[event] = mine
            rows.append(
                (
                    r.captured_at,
                    r.sr_id,
                    len(body),
                    dict_id,
                    r.status,
                    r.kickoff_date,
                    self.batch_id,
                    r.book.value,
                    r.kind,
                    url,
                    r.event_id,
                    digest,
                    reference[0],
                    reference[1],
                    mine.key_at,
                    mine.chain_pos,
                    stored,
                )
            )
        stats = ArchiveStats(
            rows=len(rows),
            raw_bytes=sum(len(r.body) for r in pending),
            stored_bytes=keyframe_bytes + delta_bytes,
            keyframes=keyframes,
            keyframe_bytes=keyframe_bytes,
            deltas=deltas,
            delta_bytes=delta_bytes,
            bases_read=self._bases_read,
        )
        self._bases_read = 0
        return rows, newest, stats

    def _remember(self, event: tuple[str, str], base: _Base) -> None:
        old = self._cache.pop(event, None)
        if old is not None and old.raw is not None:
            self._cache_bytes -= len(old.raw)
        if base.raw is None or len(base.raw) > self._cache_budget:
            return
        self._cache[event] = base
        self._cache_bytes += len(base.raw)
        while self._cache_bytes > self._cache_budget:
            _, evicted = self._cache.popitem(last=False)
            self._cache_bytes -= len(evicted.raw or b"")

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
