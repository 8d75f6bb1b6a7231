"""The capture engine's hooks into the HTTP layer: slot hand-off, send instants, raw bodies. Per-request
state lives in a ``ContextVar``: every hook runs inside the task that called ``fetch``.
"""

from __future__ import annotations

import inspect
from collections import Counter
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aiohttp
import httpx

from palimpsest_pipeline.books.limits import Limiter
from palimpsest_pipeline.books.transport import AiohttpTransport
from palimpsest_pipeline.books.wire import OnResponse
from palimpsest_pipeline.records import Book


@dataclass
class AttemptLog:
    """What one logical request's attempts did on the wire (the last attempt wins)."""

    sent_at: datetime | None = None
    attempts_sent: int = 0
    received_at: datetime | None = None


@dataclass
class Handoff:
    """One slot the coordinator took on ``limiter`` for the current task; ``used`` once an attempt took it."""

    limiter: Limiter
    used: bool = False

    def settle(self) -> None:
        """Release the slot if no attempt consumed it (the request failed before being sent)."""
        if not self.used:
            self.used = True
            self.limiter.release()


_ATTEMPTS: ContextVar[AttemptLog | None] = ContextVar("palimpsest_capture_attempts", default=None)
_HANDOFF: ContextVar[Handoff | None] = ContextVar("palimpsest_capture_handoff", default=None)


def attempt_sent_at() -> datetime | None:
    """When the request the current task is making was sent (for an ``on_response`` hook that archives
    bodies with their capture time), or None outside a capture."""
    log = _ATTEMPTS.get()
    return None if log is None else log.sent_at


def start_request(limiter: Limiter) -> tuple[AttemptLog, Handoff]:
    """Log the current task's request attempts and give it a slot already taken on ``limiter`` (call inside
    the request's own task; always ``settle`` the handoff)."""
    attempts, handoff = AttemptLog(), Handoff(limiter)
    _ATTEMPTS.set(attempts)
    _HANDOFF.set(handoff)
    return attempts, handoff


class HandoffLimiter(Limiter):
    """A ``Limiter`` whose next acquisition in a task may be a slot the coordinator already holds for it
    (counted once: the attempt's normal release frees it); retries queue as usual."""

    async def acquire(self) -> None:
        handoff = _HANDOFF.get()
        if handoff is not None and handoff.limiter is self and not handoff.used:
            handoff.used = True
            return
        await super().acquire()


async def _headers_sent(_session: Any, _context: Any, _params: Any) -> None:
    """aiohttp's hook on a request's headers going out, which dates the attempt (it runs in the request's
    task, so the attempt log is the task's)."""
    log = _ATTEMPTS.get()
    if log is not None:
        log.sent_at = datetime.now(UTC)


class TimedTransport(AiohttpTransport):
    """The capture's HTTP transport, logging each attempt's send instant (the prices' capture time): when its
    headers went out, so connection set-up is no price age; else when it entered the transport."""

    def __init__(self, max_connections: int) -> None:
        trace = aiohttp.TraceConfig()
        trace.on_request_headers_sent.append(_headers_sent)
        super().__init__(max_connections, trace_configs=(trace,))

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        log = _ATTEMPTS.get()
        if log is not None:
            log.attempts_sent += 1
            log.sent_at = datetime.now(UTC)  # refined once the headers go out
        return await super().handle_async_request(request)


def capture_hook(received: Counter[Book], forward: OnResponse | None) -> OnResponse:
    """An ``on_response`` hook counting the bytes ``received`` per book (failed attempts' too), noting the
    attempt's receive time in the task's log, then calling ``forward``."""

    async def hook(book: Book, url: str, status: int, body: bytes, received_at: datetime) -> None:
        received[book] += len(body)
        log = _ATTEMPTS.get()
        if log is not None:
            log.received_at = received_at
        if forward is not None:
            outcome = forward(book, url, status, body, received_at)
            if inspect.isawaitable(outcome):
                await outcome

    return hook
