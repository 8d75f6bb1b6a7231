"""The archive's zstd dictionaries, one per (book, kind), trained off the capture's path on recent
keyframes, and the decompressors that read keyframes with them."""

from __future__ import annotations

from datetime import timedelta

import psycopg
import zstandard

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.warehouse.archive.codec import ChainRow, decode_row
from palimpsest_pipeline.warehouse.archive.records import ArchiveError, ArchiveKind

MIN_TRAINING_SAMPLES = 20
#: A replaced dictionary is deleted only once unreferenced AND its successor is this old, so a writer that
#: loaded it before the successor existed has long finished.
DICTIONARY_GRACE = timedelta(days=1)


class KeyframeDecompressors:
    """One zstd decompressor per dictionary id (None = plain zstd), loaded from the database on first use."""

    def __init__(self, conn: psycopg.Connection) -> None:
        self._conn = conn
        self._by_id: dict[int | None, zstandard.ZstdDecompressor] = {None: zstandard.ZstdDecompressor()}

    def __call__(self, dict_id: int | None) -> zstandard.ZstdDecompressor:
        found = self._by_id.get(dict_id)
        if found is None:
            sql = "SELECT dict FROM core.archive_dictionaries WHERE dict_id = %s"
            row = self._conn.execute(sql, (dict_id,)).fetchone()
            if row is None:
                raise ArchiveError(f"archived body needs zstd dictionary {dict_id}, which no longer exists")
            found = zstandard.ZstdDecompressor(dict_data=zstandard.ZstdCompressionDict(bytes(row[0])))
            self._by_id[dict_id] = found
        return found


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
) -> int | None:
    """Train a dictionary (of zstd's default size) on the ``samples`` newest archived keyframes of (book,
    kind) and store it; return its id, or None when fewer than ``MIN_TRAINING_SAMPLES`` are archived."""
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
        trained = zstandard.train_dictionary(112_640, bodies)
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
