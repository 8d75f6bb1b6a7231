"""The capture engine's hooks into the HTTP layer's public seams: slot hand-off, send instants, raw bodies.

``HandoffLimiter`` lets a request's first attempt use the slot the coordinator took for it (retries queue
as usual); ``TimedTransport`` logs when the request headers start going out (the price's capture time) over
small connection pools; ``capture_hook`` keeps each attempt's raw body for a parse worker. Per-request state
lives in a ``ContextVar``: every hook runs inside the task that called ``fetch``.
"""

from __future__ import annotations

import functools
import inspect
import ssl
from collections.abc import AsyncIterator, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from palimpsest_pipeline.books.limits import Limiter
from palimpsest_pipeline.books.wire import OnResponse
from palimpsest_pipeline.records import Book


@dataclass
class AttemptLog:
    """What one logical request's attempts did on the wire (the last attempt wins)."""

    sent_at: datetime | None = None
    attempts_sent: int = 0
    body: bytes | None = None
    status: int | None = None
    received_at: datetime | None = None


@dataclass
class Handoff:
    """One slot the coordinator took on ``limiter`` for the current task; ``used`` once an attempt took it."""

    limiter: Limiter
    used: bool = False


_ATTEMPTS: ContextVar[AttemptLog | None] = ContextVar("palimpsest_capture_attempts", default=None)
_HANDOFF: ContextVar[Handoff | None] = ContextVar("palimpsest_capture_handoff", default=None)


def current_attempt() -> AttemptLog | None:
    """The attempt log of the request the current task is making (e.g. for an ``on_response`` hook that
    archives bodies with their capture time), or None outside a capture."""
    return _ATTEMPTS.get()


def track_attempts() -> AttemptLog:
    """Start logging the current task's request attempts (call inside the request's own task)."""
    log = AttemptLog()
    _ATTEMPTS.set(log)
    return log


def hand_over(limiter: Limiter) -> Handoff:
    """Give the current task a slot already taken on ``limiter``; always pair with :func:`settle_handoff`."""
    handoff = Handoff(limiter)
    _HANDOFF.set(handoff)
    return handoff


def settle_handoff(handoff: Handoff) -> None:
    """Release the handed-over slot if no attempt consumed it (the request failed before being sent)."""
    if not handoff.used:
        handoff.used = True
        handoff.limiter.release()


class HandoffLimiter(Limiter):
    """A ``Limiter`` whose next acquisition in a task may be a slot the coordinator already holds for it.

    In-flight counts stay exact: the coordinator's acquisition counted the slot, the attempt that consumes it
    does not count it again, and the attempt's normal release (pause included) frees it.
    """

    async def acquire(self) -> None:
        handoff = _HANDOFF.get()
        if handoff is not None and handoff.limiter is self and not handoff.used:
            handoff.used = True
            return
        await super().acquire()


_SEND_STARTED_SUFFIX = ".send_request_headers.started"


async def _trace(event: str, info: dict[str, Any]) -> None:
    if event.endswith(_SEND_STARTED_SUFFIX):
        log = _ATTEMPTS.get()
        if log is not None:
            log.sent_at = datetime.now(UTC)


#: Connections per httpcore pool: httpcore's pool does bookkeeping quadratic in its size every time a request
#: enters or leaves it, so a book's connections are split over small pools (docs/capture-engine.md).
CONNECTIONS_PER_POOL = 8


@functools.cache
def _shared_tls() -> ssl.SSLContext:
    """One TLS context for every book's pools in this process: building one loads the CA bundle, a CPU
    cost paid once instead of once per book and capture (a context is safe to share between connections)."""
    return httpx.create_ssl_context()


class TimedTransport(httpx.AsyncBaseTransport):
    """The book's HTTP transport: small connection pools, and each attempt's send instant logged.

    The send instant is taken when httpcore starts writing the request (``trace`` extension), so TCP/TLS
    connection set-up is not counted as price age; if that event never comes, the moment the request
    entered the transport stands. ``max_connections`` is split over pools of at most
    :data:`CONNECTIONS_PER_POOL`; each request goes to the pool with the fewest requests under way, so no
    request waits for a connection while another pool has one free.
    """

    def __init__(self, max_connections: int) -> None:
        if max_connections < 1:
            raise ValueError(f"need >= 1 connection, got {max_connections}")
        sizes = _split(max_connections, CONNECTIONS_PER_POOL)
        tls = _shared_tls()
        # BookClient passes its pool limits only to httpx's default transport: replacing it, we set them.
        self._pools = [
            httpx.AsyncHTTPTransport(
                verify=tls, limits=httpx.Limits(max_connections=n, max_keepalive_connections=n)
            )
            for n in sizes
        ]
        self._capacity = sizes
        self._active = [0] * len(sizes)

    def _pick(self) -> int:
        return min(range(len(self._pools)), key=lambda i: (self._active[i] / self._capacity[i], i))

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        log = _ATTEMPTS.get()
        if log is not None:
            log.attempts_sent += 1
            log.sent_at = datetime.now(UTC)  # refined by the trace callback once the headers go out
            request.extensions = {**request.extensions, "trace": _trace}
        index = self._pick()
        self._active[index] += 1
        try:
            response = await self._pools[index].handle_async_request(request)
        except BaseException:
            self._active[index] -= 1
            raise
        response.stream = _ReleasingStream(response.stream, lambda: self._release(index))
        return response

    def _release(self, index: int) -> None:
        self._active[index] -= 1

    async def aclose(self) -> None:
        for pool in self._pools:
            await pool.aclose()


def _split(total: int, per_pool: int) -> list[int]:
    """``total`` connections over the fewest pools of at most ``per_pool``, as even as possible."""
    pools = -(-total // per_pool)
    base, extra = divmod(total, pools)
    return [base + 1 if i < extra else base for i in range(pools)]


class _ReleasingStream(httpx.AsyncByteStream):
    """A response body stream that tells its pool's router when the response is done with (once)."""

    def __init__(self, inner: Any, on_close: Callable[[], None]) -> None:
        self._inner = inner
        self._on_close: Callable[[], None] | None = on_close

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._inner:
            yield chunk

    async def aclose(self) -> None:
        try:
            await self._inner.aclose()
        finally:
            if self._on_close is not None:
                self._on_close()
                self._on_close = None


@dataclass
class ByteCounter:
    """Bytes received per book (every attempt's body, failed ones included)."""

    by_book: dict[Book, int] = field(default_factory=dict)


def capture_hook(counter: ByteCounter, forward: OnResponse | None) -> OnResponse:
    """An ``on_response`` hook keeping the attempt's body in the task's log, then calling ``forward``."""

    async def hook(book: Book, url: str, status: int, body: bytes, received_at: datetime) -> None:
        counter.by_book[book] = counter.by_book.get(book, 0) + len(body)
        log = _ATTEMPTS.get()
        if log is not None:
            log.body = body
            log.status = status
            log.received_at = received_at
        if forward is not None:
            outcome = forward(book, url, status, body, received_at)
            if inspect.isawaitable(outcome):
                await outcome

    return hook
