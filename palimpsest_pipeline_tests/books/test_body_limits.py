"""Answers over a book's size limits, on real sockets: aborted while streaming, never retried, never held
whole, and never handed to the archive."""

from __future__ import annotations

import gzip
import struct
import tracemalloc
import zlib
from typing import Any

import orjson

from palimpsest_pipeline.books.errors import FetchError
from palimpsest_pipeline.books.http import BookClient
from palimpsest_pipeline_tests.books.scripted_server import Reply, ScriptedServer, scripted
from palimpsest_pipeline_tests.books.test_http import PATH, PLAIN, REQUEST, fast_settings, identity, run

MB = 1024 * 1024
#: A gzip member's header: deflate, no name, no time, maximum compression, unknown system.
GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"


def gzip_bomb(inflated: int) -> bytes:
    """Valid JSON of ``inflated`` bytes (a whole number of MB of spaces) gzipped: a megabyte of spaces is
    deflated once after a full flush, so that every copy of it decodes alone, and repeated (deflating the
    whole would take seconds of CPU)."""
    spaces = b" " * MB
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)  # raw deflate in a member of our own
    head = deflate.compress(b'{"bomb":') + deflate.flush(zlib.Z_FULL_FLUSH)
    block = deflate.compress(spaces) + deflate.flush(zlib.Z_FULL_FLUSH)
    tail = deflate.compress(b"1}") + deflate.flush()
    copies = inflated // MB
    crc = zlib.crc32(b'{"bomb":')
    for _ in range(copies):
        crc = zlib.crc32(spaces, crc)
    trailer = struct.pack("<II", zlib.crc32(b"1}", crc), (copies * MB + 10) % 2**32)
    return GZIP_HEADER + head + block * copies + tail + trailer


async def fetch_recording(reply: Reply, **overrides: Any) -> tuple[int, list[bytes], Any]:
    """Fetch REQUEST once: the server's hits, the bodies handed to the archive hook, and the result."""
    archived: list[bytes] = []

    def hook(book: Any, url: str, status: int, body: bytes, at: Any) -> None:
        archived.append(body)

    async with (
        ScriptedServer(scripted({PATH: [reply]})) as server,
        BookClient(fast_settings(server, **overrides), PLAIN, on_response=hook) as client,
    ):
        try:
            result: Any = await client.fetch(REQUEST, identity)
        except FetchError as error:
            result = error
    return len(server.hits), archived, result


def test_a_body_over_the_decoded_limit_is_too_large_not_retried_not_archived() -> None:
    body = orjson.dumps({"padding": "x" * (3 * MB)})
    hits, archived, error = run(fetch_recording(Reply(body=body), max_body_bytes=MB, max_wire_bytes=8 * MB))
    assert isinstance(error, FetchError) and error.kind == "too_large", error
    assert hits == 1 and archived == []
    assert error.body is not None and 0 < len(error.body) <= 64 * 1024 and body.startswith(error.body)


def test_a_body_over_the_wire_limit_is_refused_by_its_length() -> None:
    body = orjson.dumps({"padding": "x" * (2 * MB)})
    hits, archived, error = run(fetch_recording(Reply(body=body), max_wire_bytes=MB))
    assert isinstance(error, FetchError) and error.kind == "too_large" and "over" in str(error)
    assert (hits, archived) == (1, [])


def test_a_gzip_bomb_is_aborted_after_inflating_little_more_than_the_limit() -> None:
    inflated = 512 * MB
    bomb = gzip_bomb(inflated)
    assert len(bomb) < MB  # what travels is small
    reply = Reply(body=bomb, headers={"content-encoding": "gzip", "content-type": "application/json"})
    tracemalloc.start()
    try:
        hits, archived, error = run(fetch_recording(reply))  # default limits: 32 MB decoded
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(error, FetchError) and error.kind == "too_large", error
    assert (hits, archived) == (1, [])
    print(
        f"gzip bomb of {len(bomb):,} bytes inflating to {inflated:,}: peak traced memory {peak / MB:.1f} MB"
    )
    # a memory bound, not a timing: inflated a step at a time and abandoned once it inflates 100-fold
    assert peak < 48 * MB
    assert "compression bomb" in str(error)


def test_a_deflate_body_reads_as_before() -> None:
    payload = {"markets": [{"id": n, "odds": "1.85"} for n in range(2_000)]}
    reply = Reply(body=zlib.compress(orjson.dumps(payload)), headers={"content-encoding": "deflate"})
    _, _, fetched = run(fetch_recording(reply))
    assert fetched.value == payload


def test_a_gzip_body_under_the_limits_reads_as_before() -> None:
    payload = {"events": list(range(10_000))}
    reply = Reply(
        body=gzip.compress(orjson.dumps(payload)),
        headers={"content-encoding": "gzip", "content-type": "application/json"},
    )
    hits, archived, fetched = run(fetch_recording(reply))
    assert fetched.value == payload and hits == 1 and archived == [orjson.dumps(payload)]
