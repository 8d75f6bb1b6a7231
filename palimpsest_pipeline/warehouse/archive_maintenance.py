"""The archive's dictionaries (trained off the hot path) and retention (whole day partitions).

Retention drops whole UTC days of both the rows (``core.raw_archive``) and the packs (``core.archive_packs``),
then the packs' event labels (``core.archive_events``) of events past the cutoff that no kept pack names.
That never breaks a later day: a delta's base is always in the delta's own day (the first body of a (book,
event) in a day is a keyframe). Dictionaries are deleted only when no row or packed entry references them
(keyframes record theirs; deltas need none).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta

import psycopg
import zstandard

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.warehouse.archive_codec import ChainRow, decode_row
from palimpsest_pipeline.warehouse.archive_records import (
    ARCHIVE_KINDS,
    ARCHIVE_TABLE,
    DEFAULT_RETENTION_DAYS,
    DICTIONARY_BYTES,
    DICTIONARY_GRACE,
    MIN_TRAINING_SAMPLES,
    PACK_TABLE,
    RETENTION_DAYS_VAR,
    ArchiveError,
    ArchiveKind,
    RetentionResult,
)
from palimpsest_pipeline.warehouse.brief_locks import briefly
from palimpsest_pipeline.warehouse.partitions import drop_day_partitions_before


class KeyframeDecompressors:
    """One zstd decompressor per dictionary id (None = plain zstd), loaded from the database on first use."""

    def __init__(self, conn: psycopg.Connection) -> None:
        self._conn = conn
        self._by_id: dict[int | None, zstandard.ZstdDecompressor] = {None: zstandard.ZstdDecompressor()}

    def __call__(self, dict_id: int | None) -> zstandard.ZstdDecompressor:
        found = self._by_id.get(dict_id)
        if found is None:
            found = zstandard.ZstdDecompressor(dict_data=load_dictionary(self._conn, dict_id))
            self._by_id[dict_id] = found
        return found


def load_dictionary(conn: psycopg.Connection, dict_id: int | None) -> zstandard.ZstdCompressionDict:
    row = conn.execute("SELECT dict FROM core.archive_dictionaries WHERE dict_id = %s", (dict_id,)).fetchone()
    if row is None:
        raise ArchiveError(f"archived body needs zstd dictionary {dict_id}, which no longer exists")
    return zstandard.ZstdCompressionDict(bytes(row[0]))


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
    """Train a dictionary on the ``samples`` newest archived keyframes of (book, kind) and store it; return
    its id, or None when fewer than ``MIN_TRAINING_SAMPLES`` are archived (too few to generalise).

    Only keyframes are read (they decode alone, and a dictionary only ever compresses keyframes), rows and
    packed entries alike. Writers started afterwards use it; bodies already written keep the dictionary they
    were written with.
    """
    if kind not in ARCHIVE_KINDS:
        raise ArchiveError(f"train_archive_dictionary: kind must be one of {ARCHIVE_KINDS}, got {kind!r}")
    rows = conn.execute(
        """
        SELECT captured_at, raw_hash, dict_id, body, url FROM core.raw_archive
        WHERE book = %s AND kind = %s AND status = 200 AND base_at IS NULL
        ORDER BY captured_at DESC LIMIT %s
        """,
        (Book(book).value, kind, samples),
    ).fetchall()
    if kind == "event":  # the newest packed keyframes: positions first, then only their slices of the bodies
        rows += conn.execute(
            """
            WITH newest AS (
                SELECT p.tableoid AS part, p.ctid AS pack, e.i,
                       p.start_at + p.at_us[e.i] * interval '1 microsecond' AS captured_at
                FROM core.archive_packs AS p CROSS JOIN LATERAL generate_subscripts(p.event_keys, 1) AS e(i)
                JOIN core.archive_events AS d ON d.event_key = p.event_keys[e.i]
                WHERE d.book = %(book)s AND p.chain_pos[e.i] = 0 AND p.statuses[e.i] IS NULL
                ORDER BY captured_at DESC LIMIT %(samples)s
            )
            SELECT n.captured_at, substring(p.raw_hashes FROM (n.i - 1) * 8 + 1 FOR 8), p.dict_ids[n.i],
                   substring(p.body FROM COALESCE(p.ends[n.i - 1], 0) + 1
                             FOR p.ends[n.i] - COALESCE(p.ends[n.i - 1], 0)),
                   p.urls[n.i]
            FROM newest AS n JOIN core.archive_packs AS p ON p.tableoid = n.part AND p.ctid = n.pack
            """,
            {"book": Book(book).value, "samples": samples},
        ).fetchall()
        rows = sorted(rows, key=lambda row: row[0], reverse=True)[:samples]
    if len(rows) < MIN_TRAINING_SAMPLES:
        return None
    decompressors = KeyframeDecompressors(conn)
    bodies: list[bytes | bytearray | memoryview] = [
        decode_row(
            ChainRow(at, digest, None, None, dict_id, bytes(body), f"{book} {kind} {url!r} at {at}"),
            None,
            decompressors,
        )
        for at, digest, dict_id, body, url in rows
    ]
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
    then the dictionaries nothing references any more (never the newest of a (book, kind)) and the event
    labels of the dropped packs; each step its own short transaction (``conn`` in autocommit mode)."""
    days = retention_days if retention_days is not None else archive_retention_days(env)
    if days < 1:
        raise ArchiveError(f"apply_archive_retention: retention_days must be at least 1, got {days}")
    cutoff = (today or datetime.now(UTC).date()) - timedelta(days=days)
    dropped = drop_day_partitions_before(conn, ARCHIVE_TABLE, cutoff)
    dropped += drop_day_partitions_before(conn, PACK_TABLE, cutoff)
    deleted = briefly(
        conn,
        "deleting unreferenced archive dictionaries",
        lambda: (
            conn.execute(
                """
            DELETE FROM core.archive_dictionaries AS d
            WHERE EXISTS (SELECT 1 FROM core.archive_dictionaries AS newer
                          WHERE newer.book = d.book AND newer.kind = d.kind AND newer.dict_id > d.dict_id
                            AND newer.trained_at < now() - %s)
              AND NOT EXISTS (SELECT 1 FROM core.raw_archive AS a WHERE a.dict_id = d.dict_id)
              AND NOT EXISTS (SELECT 1 FROM core.archive_packs AS p WHERE d.dict_id = ANY(p.dict_ids))
            """,
                (DICTIONARY_GRACE,),
            ).rowcount
        ),
    )
    # The packs' event labels went on growing after their packs were dropped. Only events that kicked off
    # before the cutoff: nothing captures those any more, so no writer is about to name one in a pack it has
    # not committed yet (the array column has no foreign key to stop that).
    labels = briefly(
        conn,
        "deleting the event labels of dropped packs",
        lambda: (
            conn.execute(
                """
            DELETE FROM core.archive_events AS e
            WHERE e.kickoff_date < %s
              AND NOT EXISTS (SELECT 1 FROM core.archive_packs AS p WHERE p.event_keys @> ARRAY[e.event_key])
            """,
                (cutoff,),
            ).rowcount
        ),
    )
    return RetentionResult(
        cutoff=cutoff,
        dropped_partitions=tuple(dropped),
        dropped_dictionaries=deleted,
        dropped_event_labels=labels,
    )


def archive_bytes(conn: psycopg.Connection) -> int:
    """Bytes the archive occupies on disk (every partition of the rows and the packs, their TOAST and indexes,
    and the packs' event dimension)."""
    row = conn.execute(
        """
        SELECT COALESCE(sum(pg_total_relation_size(i.inhrelid)), 0)
               + pg_total_relation_size('core.archive_events')
        FROM pg_inherits AS i
        WHERE i.inhparent IN ('core.raw_archive'::regclass, 'core.archive_packs'::regclass)
        """
    ).fetchone()
    return int(row[0]) if row else 0
