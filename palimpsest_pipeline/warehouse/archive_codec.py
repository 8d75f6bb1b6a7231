"""How one archived body is encoded: a keyframe (zstd, the book's trained dictionary) or a delta (zstd with
the previous body of the same (book, event) as a raw-content dictionary), and how a chain is decoded.

A delta row names its base by (book, event_id, base_at, base_hash): the base's capture time and the
BLAKE2b-128 of the base's raw bytes. Any row with that identity decodes to the same bytes, so two writers
archiving the same event concurrently can never make a row point at something else than what it was
compressed against. Every row also records the hash of its own raw bytes, checked after decoding.
An unchanged body (same hash as its base) is stored as an empty delta: it costs its row, nothing else.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

import zstandard

from palimpsest_pipeline.warehouse.archive_records import ArchiveCorruptError

#: Level of delta frames (measured by bench_archive.py: higher levels gain a few percent for twice the CPU).
DELTA_LEVEL = 8
#: A keyframe at least every this many bodies of a (book, event): reading one body decodes at most this many.
CHAIN_LENGTH = 32
HASH_BYTES = 16


def raw_hash(body: bytes) -> bytes:
    """The checksum recorded per row: BLAKE2b (standard library, ~1 GB/s) truncated to 16 bytes."""
    return hashlib.blake2b(body, digest_size=HASH_BYTES).digest()


def _raw_dictionary(base: bytes) -> zstandard.ZstdCompressionDict:
    return zstandard.ZstdCompressionDict(base, dict_type=zstandard.DICT_TYPE_RAWCONTENT)


def encode_delta(body: bytes, base: bytes, *, level: int = DELTA_LEVEL) -> bytes:
    """``body`` compressed against ``base``; empty when they are equal."""
    if body == base:
        return b""
    return zstandard.ZstdCompressor(level=level, dict_data=_raw_dictionary(base)).compress(body)


def decode_delta(stored: bytes, base: bytes) -> bytes:
    if not stored:
        return base
    return zstandard.ZstdDecompressor(dict_data=_raw_dictionary(base)).decompress(stored)


@dataclass(frozen=True, slots=True)
class ChainRow:
    """What decoding needs of one archived row (plus a description naming it for errors)."""

    captured_at: datetime
    raw_hash: bytes | None
    base_at: datetime | None
    base_hash: bytes | None
    dict_id: int | None
    body: bytes
    where: str

    @property
    def is_delta(self) -> bool:
        return self.base_at is not None


def decode_row(
    row: ChainRow,
    base: bytes | None,
    keyframe_decompressor: Callable[[int | None], zstandard.ZstdDecompressor],
) -> bytes:
    """One row's raw bytes (``base`` given for deltas), checked against the hash the row recorded."""
    try:
        if row.is_delta:
            if base is None:
                raise ArchiveCorruptError(f"{row.where}: delta decoded without its base")
            raw = decode_delta(row.body, base)
        else:
            raw = keyframe_decompressor(row.dict_id).decompress(row.body)
    except zstandard.ZstdError as err:
        raise ArchiveCorruptError(f"{row.where}: cannot be decompressed ({err})") from err
    if row.raw_hash is not None and raw_hash(raw) != row.raw_hash:
        raise ArchiveCorruptError(
            f"{row.where}: decodes to {len(raw)} bytes whose checksum differs from the one recorded"
        )
    return raw


def resolve_chain(
    target: tuple[datetime, bytes],
    rows: Mapping[tuple[datetime, bytes], ChainRow],
    keyframe_decompressor: Callable[[int | None], zstandard.ZstdDecompressor],
    *,
    known: Callable[[tuple[datetime, bytes]], bytes | None] = lambda _key: None,
    where: str,
) -> bytes:
    """The raw bytes of the row identified by ``target`` (captured_at, raw hash), decoding its chain back to a
    keyframe (or to a body ``known`` already has) from ``rows`` (candidates keyed the same way)."""
    chain: list[ChainRow] = []
    key: tuple[datetime, bytes] | None = target
    start: bytes | None = None
    while key is not None:
        cached = known(key)
        if cached is not None:
            start = cached
            break
        row = rows.get(key)
        if row is None:
            raise ArchiveCorruptError(
                f"{where}: its chain needs the body captured at {key[0].isoformat()} "
                f"(checksum {key[1].hex()}), which is not in the archive"
            )
        chain.append(row)
        if len(chain) > len(rows):
            raise ArchiveCorruptError(f"{where}: its chain loops")
        key = (row.base_at, row.base_hash) if row.base_at is not None and row.base_hash is not None else None
    body = start
    for row in reversed(chain):
        body = decode_row(row, body, keyframe_decompressor)
    assert body is not None
    return body
