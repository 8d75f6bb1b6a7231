"""Test helpers writing the raw archive: responses archived at once, and event details stored as rows of
``core.raw_archive`` the way older versions wrote them (the writer packs them now; readers still read rows).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime

import psycopg
import zstandard

from palimpsest_pipeline.warehouse.archive.records import RawResponse
from palimpsest_pipeline.warehouse.archive.writer import ArchiveStats, RawArchiveWriter
from palimpsest_pipeline.warehouse.partitions import ensure_day_partitions, utc_day


def archive_responses(
    conn: psycopg.Connection, *, batch_id: str, responses: Sequence[RawResponse]
) -> ArchiveStats:
    """Write ``responses`` now, in one flush (one transaction)."""
    writer = RawArchiveWriter(conn, batch_id=batch_id, flush_bytes=2**62, site_country="ng")
    for response in responses:
        writer.add(response)
    writer.flush()
    return writer.stats


def _hash(body: bytes) -> bytes:
    return hashlib.blake2b(body, digest_size=16).digest()


class LegacyRows:
    """Writes event details as rows of ``core.raw_archive``, as older versions did: the first body of a
    (book, event) in a UTC day a keyframe (plain zstd), each later one a zstd delta against the previous body
    (a standard frame with the base as raw-content dictionary; empty when unchanged) naming its base by
    capture time and 16-byte BLAKE2b, with no URL when asked at its base's URL."""

    def __init__(self, conn: psycopg.Connection) -> None:
        self._conn = conn
        #: (book, event id) -> (captured_at, body, url, chain position, keyframe time) of its last row
        self._last: dict[tuple[str, str], tuple[datetime, bytes, str, int, datetime]] = {}

    def write(self, batch_id: str, responses: Sequence[RawResponse]) -> None:
        with self._conn.transaction():
            ensure_day_partitions(self._conn, "core.raw_archive", {utc_day(r.captured_at) for r in responses})
            for r in responses:
                assert r.kind == "event" and r.event_id is not None
                self._conn.execute(
                    """
                    INSERT INTO core.raw_archive (captured_at, sr_id, raw_bytes, dict_id, status,
                        kickoff_date, batch_id, book, kind, url, event_id, raw_hash, base_at, base_hash,
                        key_at, chain_pos, body, site_country)
                    VALUES (%s, %s, %s, NULL, %s, %s, %s, %s, 'event', %s, %s, %s, %s, %s, %s, %s, %s, 'ng')
                    """,
                    (r.captured_at, r.sr_id, len(r.body), r.status, r.kickoff_date, batch_id, r.book.value,
                     *self._encode(r)),
                )  # fmt: skip

    def _encode(self, r: RawResponse) -> tuple[object, ...]:
        """url, event_id, raw_hash, base_at, base_hash, key_at, chain_pos, body of ``r``'s row."""
        event = (r.book.value, str(r.event_id))
        last = self._last.get(event)
        body = bytes(r.body)
        if last is None or utc_day(last[0]) != utc_day(r.captured_at):
            self._last[event] = (r.captured_at, body, r.url, 0, r.captured_at)
            stored = zstandard.ZstdCompressor(level=8).compress(body)
            return (r.url, r.event_id, _hash(body), None, None, r.captured_at, 0, stored)
        base_at, base, base_url, position, key_at = last
        self._last[event] = (r.captured_at, body, r.url, position + 1, key_at)
        dictionary = zstandard.ZstdCompressionDict(base, dict_type=zstandard.DICT_TYPE_RAWCONTENT)
        stored = (
            b"" if body == base else zstandard.ZstdCompressor(level=10, dict_data=dictionary).compress(body)
        )
        url = None if r.url == base_url else r.url
        return (url, r.event_id, _hash(body), base_at, _hash(base), key_at, position + 1, stored)
