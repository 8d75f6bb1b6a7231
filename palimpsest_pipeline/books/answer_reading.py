"""What one answer of a book means (status, body, JSON, envelope, the parsed value), classified as a ``Retry``
of some ``kind`` (a later attempt may fix it), a ``NotFoundError``, or a ``FetchError`` no retry fixes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NoReturn, TypeVar

import httpx
import orjson

from palimpsest_pipeline.books.errors import (
    REFUSED_VALUE_ERRORS,
    FetchError,
    NotFoundError,
    PayloadError,
    refusal,
)
from palimpsest_pipeline.books.limits import retry_after_seconds
from palimpsest_pipeline.books.wire import BodyNotJson, BookRequest, Decode, EnvelopeError, Wire
from palimpsest_pipeline.records import Book

T = TypeVar("T")

_RETRYABLE_STATUSES = frozenset({403, 408, 429, 500, 502, 503, 504, 520, 521, 522, 524})
_THROTTLE_STATUSES = frozenset({403, 429})


@dataclass(eq=False, kw_only=True)
class Retry(Exception):
    """One failed attempt that a later attempt may fix: ``kind`` for the statistics, ``what`` for people."""

    kind: str
    what: str
    status: int | None = None
    body: bytes | None = None
    retry_after_s: float | None = None
    throttled: bool = False
    #: Retried only ``envelope_attempts`` times, then read as not found.
    ambiguous: bool = False


def refuse_status(book: Book, response: httpx.Response, url: str, body: bytes, now: datetime) -> NoReturn:
    """Raise what an answer other than 200 means: not found, a retry, or a refusal (a redirect included)."""
    status = response.status_code
    if status == 404:
        raise NotFoundError(book, url, "HTTP 404")
    if status in _RETRYABLE_STATUSES:
        raise Retry(
            kind=f"status_{status}",
            what=f"HTTP {status}",
            status=status,
            body=body,
            retry_after_s=retry_after_seconds(response.headers.get("retry-after"), now),
            throttled=status in _THROTTLE_STATUSES,
        )
    if 300 <= status < 400:
        where_to = response.headers.get("location", "?")
        raise _refused(
            book, url, f"HTTP {status} redirect to {where_to} (not followed)", "redirect", status, body
        )
    raise _refused(book, url, f"HTTP {status}: {excerpt(body)}", f"status_{status}", status, body)


async def read_answer(
    book: Book,
    wire: Wire,
    request: BookRequest,
    url: str,
    status: int,
    body: bytes,
    parse: Callable[[Any], T],
    decode: Decode | None,
) -> T:
    """Body -> JSON -> envelope -> parsed value (``decode``: done elsewhere, see :data:`Decode`)."""
    if not body.strip():
        raise Retry(kind="empty_body", what=f"HTTP {status} with an empty body", status=status, body=body)
    try:
        if decode is not None:
            data = await decode(body)
        else:
            data = wire.unwrap(orjson.loads(body), request.endpoint)
    except (orjson.JSONDecodeError, BodyNotJson) as error:
        if body.lstrip()[:1] == b"<":
            what = f"HTML instead of JSON (block page?): {excerpt(body)}"
            raise Retry(kind="block_page", what=what, status=status, body=body, throttled=True) from None
        raise Retry(kind="not_json", what=f"invalid JSON ({error})", status=status, body=body) from None
    except (PayloadError, *REFUSED_VALUE_ERRORS) as error:
        raise _malformed("envelope", error, status, body) from None
    except EnvelopeError as error:
        if error.mode == "fatal":
            raise _refused(book, url, f"rejected: {error.what}", "rejected", status, body) from None
        raise Retry(
            kind="envelope",
            what=f"error envelope: {error.what}",
            status=status,
            body=body,
            throttled=error.mode == "retry",
            ambiguous=error.mode == "retry_then_not_found",
        ) from None
    try:
        return parse(data)
    except (PayloadError, *REFUSED_VALUE_ERRORS) as error:
        raise _malformed("payload", error, status, body) from None


def excerpt(body: bytes, limit: int = 120) -> str:
    """The start of a body, on one line, for a message."""
    text = body[:limit].decode("utf-8", errors="replace").replace("\n", " ")
    return text + ("…" if len(body) > limit else "")


def _malformed(part: str, error: Exception, status: int, body: bytes) -> Retry:
    reason = error.what if isinstance(error, PayloadError) else refusal(error)
    return Retry(kind="malformed", what=f"malformed {part}: {reason}", status=status, body=body)


def _refused(book: Book, url: str, what: str, kind: str, status: int, body: bytes) -> FetchError:
    return FetchError(book, url, what, kind=kind, attempts=1, status=status, body=body)
