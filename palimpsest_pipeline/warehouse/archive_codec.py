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

#: Level of delta frames. Measured on consecutive sandbox bodies at real depth (81 kB): level 8 335 B per
#: delta in 0.52 ms, 10 321 B in 0.68 ms, 11 335 B in 5.5 ms; 10 is the smallest before the CPU jumps.
DELTA_LEVEL = 10
#: A keyframe at least every this many bodies of a (book, event): reading one body decodes at most this many.
#: 96 covers an event's day of captures at the sensor's cadence (at most 44 + 18 + 30 = 92), so an event has
#: one keyframe a day: bench_storage's archive went from 987 to 816 B per payload (32 before).
CHAIN_LENGTH = 96
HASH_BYTES = 16


def raw_hash(body: bytes) -> bytes:
    """The checksum recorded per row: BLAKE2b (standard library, ~1 GB/s) truncated to 16 bytes."""
    return hashlib.blake2b(body, digest_size=HASH_BYTES).digest()


def compress_exact(compressor: zstandard.ZstdCompressor, data: bytes) -> bytes:
    """``compressor.compress(data)`` in a bytes object of its own size. python-zstandard's ``compress``
    returns bytes that keep the allocation of the worst-case bound (about the input's size) however small the
    output (measured with tracemalloc: 461,837 bytes held for a 79-byte frame of a 460 kB input), so every
    compressed body a writer holds until its COPY cost as much memory as the raw one. The copy is small."""
    return bytes(memoryview(compressor.compress(data)))


def _raw_dictionary(base: bytes) -> zstandard.ZstdCompressionDict:
    return zstandard.ZstdCompressionDict(base, dict_type=zstandard.DICT_TYPE_RAWCONTENT)


def encode_delta(body: bytes, base: bytes, *, level: int = DELTA_LEVEL) -> bytes:
    """``body`` compressed against ``base``; empty when they are equal."""
    if body == base:
        return b""
    return compress_exact(zstandard.ZstdCompressor(level=level, dict_data=_raw_dictionary(base)), body)


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
    #: The URL the row records; None on a delta asked at its base's URL (see :func:`chain_url`).
    url: str | None = None

    @property
    def is_delta(self) -> bool:
        return self.base_at is not None


def decode_row(
    row: ChainRow,
    base: bytes | None,
    keyframe_decompressor: Callable[[int | None], zstandard.ZstdDecompressor],
    *,
    verify: bool = True,
) -> bytes:
    """One row's raw bytes (``base`` given for deltas), checked against the hash the row recorded (unless
    ``verify`` is false: the caller checks a later row of the same chain instead)."""
    try:
        if row.is_delta:
            if base is None:
                raise ArchiveCorruptError(f"{row.where}: delta decoded without its base")
            raw = decode_delta(row.body, base)
        else:
            raw = keyframe_decompressor(row.dict_id).decompress(row.body)
    except zstandard.ZstdError as err:
        raise ArchiveCorruptError(f"{row.where}: cannot be decompressed ({err})") from err
    if verify and row.raw_hash is not None and raw_hash(raw) != row.raw_hash:
        raise ArchiveCorruptError(
            f"{row.where}: decodes to {len(raw)} bytes whose checksum differs from the one recorded"
        )
    return raw


def chain_url(
    target: tuple[datetime, bytes],
    rows: Mapping[tuple[datetime, bytes], ChainRow],
    *,
    known: Callable[[tuple[datetime, bytes]], str | None] = lambda _key: None,
    where: str,
) -> str:
    """The URL of the row identified by ``target``: its own, else the nearest one up its chain (a delta
    asked at its base's URL stores none; a keyframe always stores its own). ``known``: URLs already known."""
    key: tuple[datetime, bytes] | None = target
    for _ in range(len(rows) + 1):
        if key is None:
            break
        url = known(key)
        if url is not None:
            return url
        row = rows.get(key)
        if row is None:
            break
        if row.url is not None:
            return row.url
        key = (row.base_at, row.base_hash) if row.base_at is not None and row.base_hash is not None else None
    raise ArchiveCorruptError(f"{where}: no row of its chain records the URL it was asked at")


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
    # Only the target's checksum is checked: a wrong intermediate body cannot decode the target to the bytes
    # its checksum names. A BLAKE2b per intermediate row was most of the cost of finding a base (a chain is up
    # to CHAIN_LENGTH rows). When the target fails, the chain is decoded again checking every row, so the
    # error names the first row that is wrong, as before.
    try:
        return _decode_chain(chain, start, keyframe_decompressor, verify_every=False)
    except ArchiveCorruptError:
        return _decode_chain(chain, start, keyframe_decompressor, verify_every=True)


def _decode_chain(
    chain: list[ChainRow],
    start: bytes | None,
    keyframe_decompressor: Callable[[int | None], zstandard.ZstdDecompressor],
    *,
    verify_every: bool,
) -> bytes:
    """Decode ``chain`` (target first, keyframe or first row after ``start`` last) from its far end."""
    body = start
    for i, row in enumerate(reversed(chain)):
        body = decode_row(row, body, keyframe_decompressor, verify=verify_every or i == len(chain) - 1)
    assert body is not None
    return body
