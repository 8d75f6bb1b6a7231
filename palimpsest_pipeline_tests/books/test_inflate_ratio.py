"""A compression bomb costs little memory in any encoding: an answer decoded past a floor to more than
``max_inflate_ratio`` times the bytes read from the wire is refused as ``too_large`` (issue 33).

On real sockets (the scripted server, and the sandbox's own bombs), a gzip, a zstd and a stacked
``gzip, gzip`` bomb are abandoned having decoded at most the floor and two decoding steps, the refusal naming
the sizes and the ratio; a real capture gzipped at -9 or zstd at -19 still decodes. Expected sizes come from
the documented limits (docs/operations.md: a 1 MiB floor, 256 KiB decoding steps, a ratio of 100 by
default), not from the code.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import re
import zlib
from collections.abc import Callable

import pytest
import zstandard

from palimpsest_pipeline.books.betpawa.catalogue import event_detail_request, wire
from palimpsest_pipeline.books.errors import FetchError
from palimpsest_pipeline.books.http import BookClient
from palimpsest_pipeline.books.settings import BookSettings
from palimpsest_pipeline.records import Book
from palimpsest_pipeline_tests.books.payloads import CAPTURED
from palimpsest_pipeline_tests.books.scripted_server import Reply
from palimpsest_pipeline_tests.books.test_body_limits import fetch_recording
from palimpsest_pipeline_tests.books.test_http import run
from palimpsest_pipeline_tests.fixtures_sandbox import FaultSetter
from palimpsest_sandbox import SandboxHandle

KIB, MIB = 1024, 1024 * 1024
FLOOR = MIB  # below this much decoded, no ratio is judged
STEP = 256 * KIB  # each layer decodes at most this much at a time
MOST_DECODED = FLOOR + 2 * STEP
DEFAULT_RATIO = 100
BOMB_INFLATED = 128 * MIB


def _json_spaces(inflated: int) -> list[bytes]:
    """Valid JSON of ``inflated`` bytes, mostly spaces, in 1 MiB pieces (never held whole)."""
    return [b'{"bomb":', *([b" " * MIB] * (inflated // MIB)), b"1}"]


def _gzip(pieces: list[bytes], level: int) -> bytes:
    out = zlib.compressobj(level, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    return b"".join([*(out.compress(piece) for piece in pieces), out.flush()])


def gzip_bomb() -> bytes:
    return _gzip(_json_spaces(BOMB_INFLATED), 9)


def zstd_bomb() -> bytes:
    out = zstandard.ZstdCompressor(level=19).compressobj()
    return b"".join([*(out.compress(piece) for piece in _json_spaces(BOMB_INFLATED)), out.flush()])


def stacked_bomb() -> bytes:
    """Gzipped twice, the outer layer at -9: a few hundred bytes on the wire."""
    return _gzip([_gzip(_json_spaces(BOMB_INFLATED), 9)], 9)


def stacked_bomb_stored_outside() -> bytes:
    """Gzipped twice, the outer layer stored (a proxy wrapping without compressing): the inner bomb's size
    on the wire, so a single network read carries tens of kilobytes of it."""
    return _gzip([_gzip(_json_spaces(BOMB_INFLATED), 9)], 0)


def named(pattern: str, what: str) -> int:
    """The number the refusal names where ``pattern`` (one group) says."""
    found = re.search(pattern, what)
    assert found is not None, what
    return int(found.group(1).replace(",", ""))


def decoded(what: str) -> int:
    return named(r"inflated to ([\d,]+)", what)


def read_and_allowed(what: str) -> tuple[int, int]:
    """The bytes read and the ratio allowed, as the refusal names them."""
    return named(r"([\d,]+) bytes read", what), named(r"over the ([\d,]+) allowed", what)


@pytest.mark.parametrize(
    ("build", "encoding"),
    [
        (gzip_bomb, "gzip"),
        (zstd_bomb, "zstd"),
        (stacked_bomb, "gzip, gzip"),
        (stacked_bomb_stored_outside, "gzip, gzip"),
    ],
    ids=["gzip", "zstd", "gzip-gzip", "gzip-gzip-stored-outside"],
)
def test_a_bomb_is_abandoned_a_step_or_two_past_the_floor(build: Callable[[], bytes], encoding: str) -> None:
    bomb = build()
    hits, archived, error = run(fetch_recording(Reply(body=bomb, headers={"content-encoding": encoding})))
    assert isinstance(error, FetchError) and error.kind == "too_large", error
    assert (hits, archived) == (1, [])  # never retried, never archived
    size = decoded(str(error))
    print(f"{encoding} bomb of {len(bomb):,} bytes: abandoned at {size:,} decoded ({error})")
    assert FLOOR < size <= MOST_DECODED  # no more than the floor and two steps
    read, allowed = read_and_allowed(str(error))
    assert allowed == DEFAULT_RATIO and 0 < read <= len(bomb)
    assert size > DEFAULT_RATIO * read  # refused for its ratio


def _capture(name: str) -> bytes:
    path = CAPTURED / name
    if not path.is_file():
        pytest.skip(f"captured response {name} not available (../shared/fixtures/captured is absent)")
    return path.read_bytes()


#: The real captures that decode past the floor, so their ratio is judged (read in place from ../shared).
LARGE_CAPTURES = [
    "sportybet/event_sr71583282_asian_handicap.json",
    "betway/markets_sr71583282_asian_handicap.json",
]
ENCODERS: dict[str, Callable[[bytes], bytes]] = {
    "gzip": lambda raw: gzip.compress(raw, compresslevel=9),
    "zstd": lambda raw: zstandard.ZstdCompressor(level=19).compress(raw),
}


@pytest.mark.parametrize("encoding", sorted(ENCODERS))
@pytest.mark.parametrize("name", LARGE_CAPTURES)
def test_a_real_capture_compressed_hard_still_decodes(name: str, encoding: str) -> None:
    raw = _capture(name)
    body = ENCODERS[encoding](raw)
    assert len(raw) > FLOOR  # its ratio is judged
    print(f"{name} at {encoding}'s highest level: {len(raw) / len(body):.1f} times")
    hits, archived, fetched = run(fetch_recording(Reply(body=body, headers={"content-encoding": encoding})))
    assert not isinstance(fetched, FetchError), fetched
    assert fetched.value == json.loads(raw) and archived == [raw] and hits == 1


def test_the_ratio_is_the_books_setting() -> None:
    raw = _capture(LARGE_CAPTURES[0])
    body = gzip.compress(raw, compresslevel=9)
    strict = int(len(raw) / len(body)) // 2  # half what this answer really inflates: it must be refused
    reply = Reply(body=body, headers={"content-encoding": "gzip"})
    hits, archived, error = run(fetch_recording(reply, max_inflate_ratio=strict))
    assert isinstance(error, FetchError) and error.kind == "too_large", error
    assert (hits, archived) == (1, [])
    read, allowed = read_and_allowed(str(error))
    assert allowed == strict and decoded(str(error)) > strict * read and read <= len(body)


@pytest.mark.parametrize("fault", ["gzip_bomb", "zstd_bomb", "stacked_encoding_bomb"])
def test_the_sandboxs_bombs_are_refused_a_step_or_two_past_the_floor(
    sandbox: SandboxHandle, sandbox_faults: FaultSetter, fault: str
) -> None:
    event = sandbox.world.listed_events(Book.BETPAWA, sandbox.now(), sport="football")[0]
    settings = BookSettings(book=Book.BETPAWA, base_url=sandbox.base_urls[Book.BETPAWA], max_attempts=2)

    async def fetch() -> FetchError:
        async with BookClient(settings, wire(settings)) as client:
            try:
                await client.fetch(event_detail_request(event.event_id(Book.BETPAWA)), lambda data: data)
            except FetchError as error:
                return error
        raise AssertionError("the bomb was read")

    sandbox_faults(Book.BETPAWA, **{fault: 1.0})
    error = asyncio.run(fetch())
    assert error.kind == "too_large" and error.attempts == 1, error
    assert FLOOR < decoded(str(error)) <= MOST_DECODED, error
    assert read_and_allowed(str(error))[1] == DEFAULT_RATIO, error
    assert sandbox.served(Book.BETPAWA, "events/{id}", fault) == 1
