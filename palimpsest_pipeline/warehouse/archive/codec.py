"""How one archived body is encoded and decoded: a keyframe (zstd with the book's trained dictionary) or a
delta (zstd with the previous body of the same (book, event) as a raw-content dictionary), and chains. Every
body records a BLAKE2b of its raw bytes, checked after decoding, and a delta names its base."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

import zstandard

from palimpsest_pipeline.warehouse.archive.records import ArchiveCorruptError

#: A keyframe at least every this many bodies of a (book, event): reading one body decodes at most this many.
CHAIN_LENGTH = 96
#: Packed entries: an 8-byte raw hash, and 4 bytes of it naming a delta's base.
PACKED_HASH_BYTES = 8
BASE_PREFIX_BYTES = 4
#: Level of packed delta frames: the smallest frames before the CPU cost jumps (docs/archive.md).
PACKED_DELTA_LEVEL = 12

ChainKey = tuple[datetime | int, bytes]


def raw_hash(body: bytes) -> bytes:
    """The checksum recorded per row of ``core.raw_archive``: BLAKE2b truncated to 16 bytes."""
    return hashlib.blake2b(body, digest_size=16).digest()


def packed_hash(body: bytes) -> bytes:
    """A packed entry's checksum: BLAKE2b with an 8-byte digest."""
    return hashlib.blake2b(body, digest_size=PACKED_HASH_BYTES).digest()


def compress_exact(compressor: zstandard.ZstdCompressor, data: bytes) -> bytes:
    """``compressor.compress(data)`` in a bytes object of its own size (python-zstandard's output keeps an
    allocation of the worst-case bound, about the input's size)."""
    return bytes(memoryview(compressor.compress(data)))


def _raw_dictionary(base: bytes) -> zstandard.ZstdCompressionDict:
    return zstandard.ZstdCompressionDict(base, dict_type=zstandard.DICT_TYPE_RAWCONTENT)


def decode_delta(stored: bytes, base: bytes) -> bytes:
    """A delta of a ``core.raw_archive`` row: a standard zstd frame against ``base``; empty when equal."""
    if not stored:
        return base
    return zstandard.ZstdDecompressor(dict_data=_raw_dictionary(base)).decompress(stored)


def encode_packed_delta(body: bytes, base: bytes) -> bytes:
    """A packed entry's delta: ``body`` compressed against ``base`` in a bare frame (no magic number,
    checksum, content size or dictionary id); empty when they are equal."""
    if body == base:
        return b""
    params = zstandard.ZstdCompressionParameters.from_level(
        PACKED_DELTA_LEVEL,
        write_checksum=False,
        write_content_size=False,
        write_dict_id=False,
        format=zstandard.FORMAT_ZSTD1_MAGICLESS,
    )
    compressor = zstandard.ZstdCompressor(compression_params=params, dict_data=_raw_dictionary(base))
    return compress_exact(compressor, body)


def decode_packed_delta(stored: bytes, base: bytes) -> bytes:
    if not stored:
        return base
    decompressor = zstandard.ZstdDecompressor(
        dict_data=_raw_dictionary(base), format=zstandard.FORMAT_ZSTD1_MAGICLESS
    )
    # no content size: streamed, into one buffer of about the body's size (a delta changes it little)
    return decompressor.decompressobj(write_size=len(base) + 65536).decompress(stored)


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
    #: Packed entries only: the position in the chain (``base_hash`` is then the base's hash prefix).
    chain_pos: int | None = None

    @property
    def packed(self) -> bool:
        return self.chain_pos is not None

    @property
    def is_delta(self) -> bool:
        return self.base_at is not None or bool(self.chain_pos)

    @property
    def key(self) -> ChainKey:
        """How the row's deltas name it: (captured_at, raw hash) on rows, (chain position, hash prefix) on
        packed entries."""
        digest = self.raw_hash or b""
        if self.chain_pos is not None:
            return (self.chain_pos, digest[:BASE_PREFIX_BYTES])
        return (self.captured_at, digest)

    @property
    def base_key(self) -> ChainKey | None:
        """The key of the row this one is a delta against (None on a keyframe)."""
        if self.chain_pos is not None:
            return (self.chain_pos - 1, self.base_hash or b"") if self.chain_pos > 0 else None
        if self.base_at is None or self.base_hash is None:
            return None
        return (self.base_at, self.base_hash)


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
            raw = decode_packed_delta(row.body, base) if row.packed else decode_delta(row.body, base)
        else:
            raw = keyframe_decompressor(row.dict_id).decompress(row.body)
    except zstandard.ZstdError as err:
        raise ArchiveCorruptError(f"{row.where}: cannot be decompressed ({err})") from err
    digest = row.raw_hash  # BLAKE2b: 16 bytes on rows, 8 on packed entries
    if verify and digest is not None and hashlib.blake2b(raw, digest_size=len(digest)).digest() != digest:
        raise ArchiveCorruptError(
            f"{row.where}: decodes to {len(raw)} bytes whose checksum differs from the one recorded"
        )
    return raw


def chain_url(target: ChainKey, rows: Mapping[ChainKey, ChainRow], *, where: str) -> str:
    """The URL of the row identified by ``target``: its own, else the nearest one up its chain (a delta
    asked at its base's URL stores none; a keyframe always stores its own)."""
    key: ChainKey | None = target
    for _ in range(len(rows) + 1):
        row = None if key is None else rows.get(key)
        if row is None:
            break
        if row.url is not None:
            return row.url
        key = row.base_key
    raise ArchiveCorruptError(f"{where}: no row of its chain records the URL it was asked at")


def resolve_chain(
    target: ChainKey,
    rows: Mapping[ChainKey, ChainRow],
    keyframe_decompressor: Callable[[int | None], zstandard.ZstdDecompressor],
    *,
    where: str,
) -> bytes:
    """The raw bytes of the row identified by ``target``, decoding its chain from ``rows`` back to a
    keyframe."""
    chain: list[ChainRow] = []
    key: ChainKey | None = target
    while key is not None:
        row = rows.get(key)
        if row is None:
            raise ArchiveCorruptError(
                f"{where}: its chain needs {_describe_key(key)}, which is not in the archive"
            )
        chain.append(row)
        if len(chain) > len(rows):
            raise ArchiveCorruptError(f"{where}: its chain loops")
        key = row.base_key
    # Only the target's checksum is checked; when it fails, every row is, so the error names the first wrong.
    try:
        return _decode_chain(chain, keyframe_decompressor, verify_every=False)
    except ArchiveCorruptError:
        return _decode_chain(chain, keyframe_decompressor, verify_every=True)


def _describe_key(key: ChainKey) -> str:
    at, digest = key
    if isinstance(at, datetime):
        return f"the body captured at {at.isoformat()} (checksum {digest.hex()})"
    return f"the body at chain position {at} whose checksum starts {digest.hex()}"


def _decode_chain(
    chain: list[ChainRow],
    keyframe_decompressor: Callable[[int | None], zstandard.ZstdDecompressor],
    *,
    verify_every: bool,
) -> bytes:
    """Decode ``chain`` (target first, keyframe last) from its far end."""
    body: bytes | None = None
    for i, row in enumerate(reversed(chain)):
        body = decode_row(row, body, keyframe_decompressor, verify=verify_every or i == len(chain) - 1)
    assert body is not None
    return body
