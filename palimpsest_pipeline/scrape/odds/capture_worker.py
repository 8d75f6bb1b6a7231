"""A site country's capture worker: takes the capture queue's requests (``warehouse/capture_requests.py``),
highest priority first, and captures each in chunks of events on every book (``capture_and_store``), the
caller comparing each chunk again; between two chunks a waiting request of higher priority goes first, so an
imminent capture waits at most one chunk. At its end it gives back what it has not captured."""

from __future__ import annotations

import asyncio
import math
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from palimpsest_pipeline.books.settings import BookSettings, settings_country
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.odds.model import CaptureTarget
from palimpsest_pipeline.scrape.odds.refresh import CaptureRefresh, capture_and_store, plan_capture
from palimpsest_pipeline.warehouse.capture_requests import (
    CaptureRequest,
    RequestKey,
    finish,
    give_back,
    listen,
    record_captured,
    take_next,
    wait_for_notice,
)
from palimpsest_pipeline.warehouse.connections import Connect

Ending = Literal["done", "given_back", "failed", "lost"]


@dataclass(frozen=True)
class WorkerOptions:
    """How the worker cuts and paces its work."""

    #: Events captured (and compared) between two looks for a request of higher priority.
    chunk_events: int = 25
    #: Complete events stored per transaction within a chunk (``capture_and_store``).
    batch_events: int = 25
    #: The longest an idle worker waits for the queue's notification before it looks again anyway.
    idle_look_s: float = 5.0
    #: Stop once the queue is empty instead of waiting for more until the end (tests, a drain).
    until_idle: bool = False

    def __post_init__(self) -> None:
        if self.chunk_events < 1 or self.batch_events < 1 or self.idle_look_s <= 0:
            raise ValueError(f"worker options out of range: {self}")


@dataclass(frozen=True)
class Chunk:
    """A chunk of a request's events captured and stored as batch ``batch_id``."""

    request: CaptureRequest
    sr_ids: tuple[int, ...]
    batch_id: str
    refresh: CaptureRefresh


@dataclass(frozen=True)
class Served:
    """A request this worker ended, gave back or lost, with what it captured of it."""

    request: CaptureRequest
    ending: Ending
    captured: tuple[int, ...]
    chunks: int
    #: Each book's capture statuses summed over the chunks (ok, failed, not_listed, ...).
    statuses: Mapping[str, Mapping[str, int]]

    @property
    def first_take(self) -> bool:
        """Whether this worker started it (its start delay is this worker's to report)."""
        return self.request.takes == 1


@dataclass
class WorkerSummary:
    """What one worker's run did."""

    served: list[Served] = field(default_factory=list)
    chunks: int = 0

    def by_tier(self) -> dict[str, dict[str, int]]:
        """Requests served per tier and ending."""
        counts: dict[str, Counter[str]] = {}
        for served in self.served:
            counts.setdefault(served.request.key.tier, Counter())[served.ending] += 1
        return {tier: dict(sorted(c.items())) for tier, c in sorted(counts.items())}

    def start_delays(self) -> dict[str, dict[str, float | int]]:
        """Per tier, of the requests this worker started: how many, and the max, 95th percentile (nearest
        rank) and mean of their start delays in seconds (from falling due to their capture starting)."""
        delays: dict[str, list[float]] = {}
        for served in self.served:
            if served.first_take:
                delays.setdefault(served.request.key.tier, []).append(
                    served.request.start_delay.total_seconds()
                )
        return {tier: delay_figures(values) for tier, values in sorted(delays.items())}

    @property
    def events_captured(self) -> int:
        return sum(len(served.captured) for served in self.served)


def delay_figures(values: Sequence[float]) -> dict[str, float | int]:
    """Count, max, p95 (nearest rank) and mean of ``values`` (seconds), rounded to milliseconds."""
    ordered = sorted(values)
    if not ordered:
        return {"count": 0}
    p95 = ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]
    return {
        "count": len(ordered),
        "max_s": round(ordered[-1], 3),
        "p95_s": round(p95, 3),
        "mean_s": round(sum(ordered) / len(ordered), 3),
    }


class CaptureWorker:
    """Serves ``settings``' country's queue as ``worker_id`` until ``until`` (on ``monotonic``'s clock).
    ``after_chunk`` (the comparison) runs after each chunk is stored, ``on_served`` after each request."""

    def __init__(
        self,
        connect: Connect,
        settings: Mapping[Book, BookSettings],
        *,
        worker_id: str,
        now: Callable[[], datetime],
        until: float,
        options: WorkerOptions,
        after_chunk: Callable[[Chunk], None] = lambda chunk: None,
        on_served: Callable[[Served], None] = lambda served: None,
        log: Callable[[str], None] = lambda line: None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._connect = connect
        self._settings = settings
        self._country = settings_country(settings)
        self._worker = worker_id
        self._now = now
        self._until = until
        self._options = options
        self._after_chunk = after_chunk
        self._on_served = on_served
        self._log = log
        self._monotonic = monotonic
        self.summary = WorkerSummary()

    async def run(self) -> WorkerSummary:
        """Take and capture requests until the end (or, ``until_idle``, until the queue is empty)."""
        with self._connect(autocommit=True) as listener:
            listen(listener, self._country)
            while not self._ended():
                request = self._take()
                if request is not None:
                    await self._serve(request)
                    continue
                if self._options.until_idle:
                    break
                wait = min(self._options.idle_look_s, self._until - self._monotonic())
                await asyncio.to_thread(wait_for_notice, listener, wait)
        return self.summary

    def _ended(self) -> bool:
        return self._monotonic() >= self._until

    def _take(self, above_priority: int | None = None) -> CaptureRequest | None:
        with self._connect(autocommit=True) as conn:
            return take_next(
                conn, self._country, self._worker, now=self._now(), above_priority=above_priority
            )

    async def _serve(self, request: CaptureRequest) -> None:
        """Capture what is left of ``request`` chunk by chunk, letting higher priorities go between chunks;
        end it, or give it back when the worker's time is up."""
        label = request.key.label()
        remaining = request.remaining
        targets: list[CaptureTarget] = []
        if remaining:
            plan = plan_capture(
                self._connect,
                request.kickoff_dates,
                site_country=self._country,
                now=self._now(),
                sr_ids=remaining,
            )
            targets = plan.targets
        size = self._options.chunk_events
        chunks = [targets[i : i + size] for i in range(0, len(targets), size)]
        self._log(
            f"{label}: capturing {len(targets)} of its {len(request.sr_ids)} events (take {request.takes}, "
            f"{request.start_delay.total_seconds():.1f} s after it fell due), {len(chunks)} chunk(s)"
        )
        captured: list[int] = []
        statuses: dict[str, Counter[str]] = {}
        for index, chunk in enumerate(chunks):
            if index:
                await self._let_higher_priorities_go(request)
                if self._ended():
                    ending: Ending = "given_back" if self._give_back(request.key) else "lost"
                    self._served(request, ending, captured, index, statuses)
                    return
            ids = tuple(target.sr_id for target in chunk)
            self.summary.chunks += 1
            batch_id = f"{self._worker}/{self.summary.chunks}"
            try:
                refresh = await capture_and_store(
                    self._connect, chunk, self._settings, now=self._now(), batch_id=batch_id,
                    batch_events=self._options.batch_events,
                )  # fmt: skip
                self._after_chunk(Chunk(request, ids, batch_id, refresh))
            except Exception as error:
                with self._connect(autocommit=True) as conn:
                    reason = f"chunk {batch_id}: {type(error).__name__}: {error}"[:2000]
                    finish(conn, request.key, self._worker, now=self._now(), outcome="failed", reason=reason)
                self._served(request, "failed", captured, index, statuses)
                raise
            for book, counts in refresh.capture.status_counts().items():
                statuses.setdefault(book.value, Counter()).update(counts)
            with self._connect(autocommit=True) as conn:
                still_mine = record_captured(conn, request.key, self._worker, ids)
            if not still_mine:
                self._log(
                    f"{label}: no longer this worker's (released as dead?), left after chunk {index + 1}"
                )
                self._served(request, "lost", captured, index + 1, statuses)
                return
            captured.extend(ids)
        left_out = len(remaining) - len(targets)
        why = f"{left_out} event(s) no longer ahead or listed" if left_out else None
        with self._connect(autocommit=True) as conn:
            mine = finish(conn, request.key, self._worker, now=self._now(), outcome="done", reason=why)
        self._served(request, "done" if mine else "lost", captured, len(chunks), statuses)

    async def _let_higher_priorities_go(self, request: CaptureRequest) -> None:
        while (higher := self._take(above_priority=request.priority)) is not None:
            self._log(f"{higher.key.label()} goes before the rest of {request.key.label()}")
            await self._serve(higher)

    def _give_back(self, key: RequestKey) -> bool:
        with self._connect(autocommit=True) as conn:
            return give_back(conn, key, self._worker)

    def _served(
        self,
        request: CaptureRequest,
        ending: Ending,
        captured: Sequence[int],
        chunks: int,
        statuses: Mapping[str, Counter[str]],
    ) -> None:
        served = Served(
            request, ending, tuple(captured), chunks, {book: dict(c) for book, c in sorted(statuses.items())}
        )
        self.summary.served.append(served)
        self._log(f"{request.key.label()}: {ending}, {len(captured)} event(s) captured in {chunks} chunk(s)")
        self._on_served(served)
