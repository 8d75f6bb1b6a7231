"""How the pipeline and a book agree on a request (its wire conventions, one request, one answer), apart
from the client's retry machinery (``books/http.py``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, Literal, TypeVar

from palimpsest_pipeline.records import Book

T = TypeVar("T")

#: ``on_response(book, url, status, body, received_at)``; may be a plain function or a coroutine function.
OnResponse = Callable[[Book, str, int, bytes, datetime], Awaitable[None] | None]


class EnvelopeError(Exception):
    """Raised by a book's ``unwrap`` when its envelope reports an error; ``mode``: ``"retry"`` (transient),
    ``"retry_then_not_found"`` (ambiguous: retried ``envelope_attempts`` times, then not found) or ``"fatal"``
    (the request itself rejected)."""

    def __init__(self, what: str, *, mode: Literal["retry", "retry_then_not_found", "fatal"]) -> None:
        super().__init__(what)
        self.what = what
        self.mode = mode


def no_envelope(payload: Any, where: str) -> Any:
    """The default ``unwrap``: a book whose answers carry no envelope."""
    return payload


class BodyNotJson(Exception):
    """Raised by a ``decode`` hook (see :meth:`BookClient.fetch`) when the body is not JSON."""


#: ``decode(body) -> data``: decode the body and strip its envelope somewhere else (the odds engine's parse
#: workers, so a payload is decoded once), raising what decoding here would.
Decode = Callable[[bytes], Awaitable[Any]]


@dataclass(frozen=True)
class Wire:
    """How one book speaks HTTP (redirects never followed): fixed headers and params, and its envelope."""

    headers: Mapping[str, str]
    common_params: Mapping[str, str] = field(default_factory=dict)
    #: Name of a query parameter set to the current epoch milliseconds on every attempt (SportyBet ``_t``).
    timestamp_param: str | None = None
    #: ``unwrap(payload, where) -> data`` strips the envelope; raises EnvelopeError, NotFoundError or
    #: PayloadError.
    unwrap: Callable[[Any, str], Any] = no_envelope


@dataclass(frozen=True)
class BookRequest:
    """One GET against a book: ``endpoint`` is a short stable label for stats and errors."""

    endpoint: str
    path: str
    params: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Fetched(Generic[T]):
    """A parsed answer and how it was obtained."""

    value: T
    url: str
    status: int
    attempts: int
    received_at: datetime
