"""Politeness and accounting for a book's HTTP traffic: the per-book limiter, back-off, request statistics."""

from __future__ import annotations

import asyncio
import math
import random
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

_MAX_LATENCY_SAMPLES = 100_000


class Limiter:
    """At most ``max_in_flight`` requests at once, each slot held ``pause_s`` longer after its request (freed
    later by the loop, so a caller holding slots on several books is not slowed by the slowest pause)."""

    def __init__(self, max_in_flight: int, pause_s: float = 0.0, *, name: str = "") -> None:
        if max_in_flight < 1:
            raise ValueError(f"max_in_flight must be >= 1, got {max_in_flight}")
        self.name = name
        self.max_in_flight = max_in_flight
        self.pause_s = pause_s
        self._semaphore = asyncio.Semaphore(max_in_flight)
        self.in_flight = 0
        self.peak_in_flight = 0

    async def acquire(self) -> None:
        await self._semaphore.acquire()
        self.in_flight += 1
        self.peak_in_flight = max(self.peak_in_flight, self.in_flight)

    def release(self) -> None:
        if self.pause_s > 0:
            asyncio.get_running_loop().call_later(self.pause_s, self._free)
        else:
            self._free()

    def _free(self) -> None:
        self.in_flight -= 1
        self._semaphore.release()

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        await self.acquire()
        try:
            yield
        finally:
            self.release()


def backoff_delay(attempt: int, base_s: float, cap_s: float, rng: random.Random) -> float:
    """Full-jitter exponential backoff: uniform in [0, min(cap, base * 2**(attempt - 1))]."""
    ceiling = min(cap_s, base_s * (2 ** max(0, attempt - 1)))
    return rng.uniform(0.0, ceiling)


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """Seconds a ``Retry-After`` asks for (delta-seconds or an HTTP date); None if absent or unreadable."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def percentile(samples: list[float], fraction: float) -> float | None:
    """Nearest-rank percentile of ``samples`` (None when empty)."""
    if not samples:
        return None
    ordered = sorted(samples)
    index = max(0, min(len(ordered) - 1, math.ceil(fraction * len(ordered)) - 1))
    return ordered[index]


@dataclass
class _Counts:
    """A client's traffic: ``requests`` are logical requests, ``attempts`` include retries."""

    requests: int = 0
    attempts: int = 0
    succeeded: int = 0
    failed: int = 0
    not_found: int = 0
    throttled: int = 0
    #: response bodies, every attempt included
    bytes_received: int = 0


@dataclass
class RequestStats(_Counts):
    """What one client did: its counts, failed attempts by kind, and each attempt's latency."""

    errors_by_kind: Counter[str] = field(default_factory=Counter)
    latencies_s: list[float] = field(default_factory=list)

    def record_latency(self, seconds: float) -> None:
        if len(self.latencies_s) < _MAX_LATENCY_SAMPLES:
            self.latencies_s.append(seconds)

    def summary(self) -> StatsSummary:
        """What the scrape-metrics table stores of it."""
        p50, p95, p99 = (percentile(self.latencies_s, fraction) for fraction in (0.50, 0.95, 0.99))
        return StatsSummary(
            **{counted.name: getattr(self, counted.name) for counted in fields(_Counts)},
            errors=dict(sorted(self.errors_by_kind.items())),
            latency_p50_ms=None if p50 is None else round(p50 * 1000, 1),
            latency_p95_ms=None if p95 is None else round(p95 * 1000, 1),
            latency_p99_ms=None if p99 is None else round(p99 * 1000, 1),
        )


@dataclass
class StatsSummary(_Counts):
    """A client's counts, its failed attempts by kind (``status_503``, ``timeout``, ``not_json``...) and
    its latency percentiles."""

    errors: dict[str, int] = field(default_factory=dict)
    latency_p50_ms: float | None = None
    latency_p95_ms: float | None = None
    latency_p99_ms: float | None = None
