"""The raw-response archive: every body a book sent, compressed in Postgres, kept for a few days.

Why: a parser bug or a new market mapping must be fixable for past days without asking the books again
(they only serve the present). Why Postgres and not files: runs may leave the host, and nothing may depend
on a local disk. Why bounded: bodies are 0.1-2 MB each, thousands per cycle; after
``PALIMPSEST_ARCHIVE_RETENTION_DAYS`` (default 14) whole day partitions are dropped.

Encoding (``archive_codec.py``). An event detail is stored as a **delta**: zstd with the previous body of
the same (book, event) as a raw-content dictionary, so an unchanged body costs its row and nothing else and
a few moved prices cost a few hundred bytes (``bench_archive.py`` measures it against the alternatives).
Every other body, and the first body of a (book, event) in a UTC day, and every ``CHAIN_LENGTH``-th, is a
**keyframe**: zstd level 8 with a per-(book, kind) trained dictionary, as before deltas. The rules:

- a delta's base is always in the delta's own UTC day, so dropping a day never breaks a later one;
- a chain has at most ``CHAIN_LENGTH`` rows, so reading one body decodes at most that many;
- each row records the BLAKE2b of its raw bytes, and a delta the identity of its base (capture time and
  hash), so concurrent writers cannot mismatch a delta and its base, and a reader checks every body it
  returns (:class:`ArchiveCorruptError` names a row that does not decode to what was received);
- the writer keeps only a bounded cache of last bodies; bases it lacks come back from the database.

Layout. Event details are packed: each flush writes its event details of one UTC day as one row of
``core.archive_packs``, an entry costing its frame and about 22 bytes (``archive_packs``); catalogue and list
pages, and event details written before packs, are rows of ``core.raw_archive``. Readers read both.

Compaction. Once a UTC day is over, the daily maintenance re-encodes its packed frames with zstd's strongest
parser (``archive_compaction``: a sixth smaller, too slow for the capture); readers see the same bytes.

Modules: ``archive_records`` (records, settings, errors), ``archive_codec`` (keyframes, deltas, chains),
``archive_packs`` (the packed layout), ``archive_bases`` (where a writer finds its bases), ``archive_writer``
(:class:`RawArchiveWriter`), ``archive_reader`` (:func:`iter_event_bodies`, :func:`iter_batch_bodies`),
``archive_maintenance`` (dictionaries, retention), ``archive_compaction`` (closed days re-encoded). This
module re-exports the first six.

Writing never compresses on the caller's path: :meth:`RawArchiveWriter.add` only buffers the bytes (cheap
enough for the capture engine's ``on_response`` hook on the event loop); :meth:`RawArchiveWriter.flush`
encodes and writes them with one binary COPY, and the async hook runs it in a worker thread.
"""

from __future__ import annotations

from palimpsest_pipeline.warehouse.archive_codec import CHAIN_LENGTH, DELTA_LEVEL
from palimpsest_pipeline.warehouse.archive_maintenance import (
    apply_archive_retention,
    archive_bytes,
    archive_retention_days,
    newest_dictionaries,
    train_archive_dictionary,
)
from palimpsest_pipeline.warehouse.archive_reader import iter_batch_bodies, iter_event_bodies
from palimpsest_pipeline.warehouse.archive_records import (
    ARCHIVE_KINDS,
    ARCHIVE_TABLE,
    DEFAULT_FLUSH_BYTES,
    DEFAULT_LEVEL,
    DEFAULT_RETENTION_DAYS,
    DICTIONARY_BYTES,
    DICTIONARY_GRACE,
    MIN_TRAINING_SAMPLES,
    RETENTION_DAYS_VAR,
    ArchiveCorruptError,
    ArchivedBody,
    ArchiveError,
    ArchiveKind,
    ArchiveLabels,
    ArchiveStats,
    RawResponse,
    RetentionResult,
    label_requests,
)
from palimpsest_pipeline.warehouse.archive_writer import RawArchiveWriter, archive_responses

__all__ = [
    "ARCHIVE_KINDS",
    "ARCHIVE_TABLE",
    "CHAIN_LENGTH",
    "DEFAULT_FLUSH_BYTES",
    "DEFAULT_LEVEL",
    "DEFAULT_RETENTION_DAYS",
    "DELTA_LEVEL",
    "DICTIONARY_BYTES",
    "DICTIONARY_GRACE",
    "MIN_TRAINING_SAMPLES",
    "RETENTION_DAYS_VAR",
    "ArchiveCorruptError",
    "ArchiveError",
    "ArchiveKind",
    "ArchiveLabels",
    "ArchiveStats",
    "ArchivedBody",
    "RawArchiveWriter",
    "RawResponse",
    "RetentionResult",
    "apply_archive_retention",
    "archive_bytes",
    "archive_responses",
    "archive_retention_days",
    "iter_batch_bodies",
    "iter_event_bodies",
    "label_requests",
    "newest_dictionaries",
    "train_archive_dictionary",
]
