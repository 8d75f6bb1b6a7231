"""Answers that are well formed but not true, as real books send them: faults that rewrite a good answer.

List answers (the upcoming lists) can come back empty in the book's own shape, shrunk to half, with one row
broken (an empty team name), with an event moved to the next day, or announcing more events than any real
list holds (``implausible_count``: the book's own count, or where it has none the cursor or the length that
drives its paging). Event details can come back oversized
(valid JSON padded far past any real detail) or as a bomb (a small body that inflates to hundreds of
megabytes: gzip, zstd, or gzip twice, ``content-encoding: gzip, gzip``). Each fault applies only where it
makes sense; elsewhere the real answer is served.
"""

from __future__ import annotations

import functools
import gzip
import zlib

import orjson
import zstandard

from palimpsest_pipeline.records import Book
from palimpsest_sandbox.books import KITS
from palimpsest_sandbox.kit import AnswerKind, kit

LIST_FAULTS = ("empty_answer", "shrunken_catalogue", "bad_list_row", "moved_event")
BODY_FAULTS = ("oversized_body", "gzip_bomb", "zstd_bomb", "stacked_encoding_bomb")
#: Faults that take the name off one wrapper of events, where the book's list has one.
WRAPPER_FAULTS = ("bad_wrapper",)
#: Faults that make a list announce more than any real one holds, where the book's answer says how long its
#: list is: a count, a cursor, or a number of wrappers each listed one request apiece.
COUNT_FAULTS = ("implausible_count",)
#: Faults that are not drawn per request but hold for every list request of the named sports
#: (FaultConfig.quiet_sports): the list handlers answer them empty and count them under this name.
SPORT_FAULTS = ("quiet_sports",)


def _endpoints(answers: AnswerKind) -> frozenset[str]:
    """The endpoints whose routes give such answers, on any book."""
    return frozenset(r.name for k in KITS.values() for r in k.serving.routes if answers in r.answers)


#: An endpoint answering both a list and one event (one book's) is in both.
LIST_ENDPOINTS = _endpoints("list")
DETAIL_ENDPOINTS = _endpoints("detail")
WRAPPER_ENDPOINTS = _endpoints("wrapper")
COUNT_ENDPOINTS = _endpoints("count")
#: Past the pipeline's default decoded-body limit, and some 20 times the largest real event detail.
OVERSIZED_BYTES = 48 * 1024 * 1024
#: What the gzip bomb inflates to (it travels as well under a megabyte).
BOMB_INFLATED_BYTES = 512 * 1024 * 1024


def applies(fault: str, endpoint: str) -> bool:
    return (
        (fault in (*LIST_FAULTS, *SPORT_FAULTS) and endpoint in LIST_ENDPOINTS)
        or (fault in BODY_FAULTS and endpoint in DETAIL_ENDPOINTS)
        or (fault in WRAPPER_FAULTS and endpoint in WRAPPER_ENDPOINTS)
        or (fault in COUNT_FAULTS and endpoint in COUNT_ENDPOINTS)
    )


def rewrite(
    book: Book, fault: str, body: bytes, announced_count: int = 10_000_000
) -> tuple[bytes, dict[str, str]]:
    """What ``fault`` makes of ``body`` (a good list or detail answer), and the headers it adds;
    ``announced_count`` is the count ``implausible_count`` announces."""
    if fault == "gzip_bomb":
        return _gzip_bomb(), {"content-encoding": "gzip"}
    if fault == "zstd_bomb":
        return _zstd_bomb(), {"content-encoding": "zstd"}
    if fault == "stacked_encoding_bomb":
        return _stacked_bomb(), {"content-encoding": "gzip, gzip"}
    if fault == "oversized_body":
        return body[:-1] + b',"padding":"' + b"x" * OVERSIZED_BYTES + b'"}', {}
    payload = orjson.loads(body)
    faults = kit(book).faults
    if fault == "bad_wrapper":
        faults.unname_wrapper(payload)
        return orjson.dumps(payload), {}
    if fault == "implausible_count":
        faults.announce(payload, announced_count)
        return orjson.dumps(payload), {}
    rows = faults.rows(payload)
    if fault == "empty_answer":
        return faults.empty(), {}
    if rows is not None and rows:
        if fault == "shrunken_catalogue":
            rows[:] = rows[::2]
        elif fault == "bad_list_row":
            faults.break_names(rows[0])
        elif fault == "moved_event":
            faults.move_a_day(rows[0])
    return orjson.dumps(payload), {}


@functools.cache
def _gzip_bomb() -> bytes:
    """Valid JSON that inflates to ``BOMB_INFLATED_BYTES`` (mostly spaces), compressed chunk by chunk (never
    held whole: the sandbox runs inside the process whose memory chaos measures) once per process."""
    out = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    return b"".join([*(out.compress(chunk) for chunk in _bomb_chunks()), out.flush()])


def _bomb_chunks() -> list[bytes]:
    chunk = b" " * (1024 * 1024)
    return [b'{"bomb":', *([chunk] * (BOMB_INFLATED_BYTES // len(chunk))), b"1}"]


@functools.cache
def _zstd_bomb() -> bytes:
    """The same JSON as the gzip bomb in zstd (some 16 KB on the wire), compressed chunk by chunk."""
    compressor = zstandard.ZstdCompressor(level=19).compressobj()
    parts = [compressor.compress(chunk) for chunk in _bomb_chunks()]
    return b"".join([*parts, compressor.flush()])


@functools.cache
def _stacked_bomb() -> bytes:
    """The same JSON gzipped twice (a couple of kilobytes on the wire), compressed chunk by chunk."""
    inner = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    once = b"".join([*(inner.compress(chunk) for chunk in _bomb_chunks()), inner.flush()])
    return gzip.compress(once, compresslevel=9)
