"""Streaming a capture out as it goes: every few hundred completed events are handed to a store, then dropped.

Holding a whole cycle's prices until the end costs memory that grows with the cycle (hundreds to thousands of
outcomes per event and book) and loses everything when the process dies: a demo killed 75 s in had stored
nothing. Here an event is "complete" when every book that lists it has a result; completed events are
handed to ``on_batch`` in batches of ``batch_events``, in a worker thread (the store blocks on the database,
the event loop must keep capturing), one batch at a time and in completion order. After a batch is handed
over, its results keep their status, times and counts (the cycle's statistics need them) but drop their
prices.

A batch that fails to store stops the streaming: later batches are not handed over (they stay in memory)
and the error is raised by :meth:`BatchStream.finish`, so the run fails with every earlier batch stored.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import replace

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.odds.model import CaptureResult

#: Receives one batch of complete events' results (every book's, ``not_listed`` included); runs in a thread.
OnBatch = Callable[[Sequence[CaptureResult]], None]


class BatchStream:
    """Hands completed events to ``on_batch`` in batches, one at a time; slims what it handed over."""

    def __init__(
        self,
        results: MutableMapping[int, dict[Book, CaptureResult]],
        on_batch: OnBatch,
        batch_events: int,
    ) -> None:
        if batch_events < 1:
            raise ValueError(f"batch_events must be >= 1, got {batch_events}")
        self._results = results
        self._on_batch = on_batch
        self._batch_events = batch_events
        self._ready: list[int] = []
        self._last: asyncio.Task[None] | None = None
        self.batches = 0
        self.events = 0

    def event_complete(self, sr_id: int) -> None:
        """An event has a result on every book that lists it (called on the event loop)."""
        self._ready.append(sr_id)
        if len(self._ready) >= self._batch_events:
            self._hand_over()

    async def finish(self) -> None:
        """Hand over what is left and wait for every batch; raises the first store failure."""
        if self._ready:
            self._hand_over()
        if self._last is not None:
            await self._last

    def cancel(self) -> None:
        if self._last is not None:
            self._last.cancel()

    def _hand_over(self) -> None:
        sr_ids, self._ready = self._ready, []
        self._last = asyncio.create_task(self._store(sr_ids, self._last))

    async def _store(self, sr_ids: list[int], previous: asyncio.Task[None] | None) -> None:
        if previous is not None:
            await previous  # one batch at a time, in order; a failed one stops the rest
        batch = [result for sr_id in sr_ids for result in self._results[sr_id].values()]
        await asyncio.to_thread(self._on_batch, batch)
        for sr_id in sr_ids:
            by_book = self._results[sr_id]
            self._results[sr_id] = {book: replace(r, odds=None) for book, r in by_book.items()}
        self.batches += 1
        self.events += len(sr_ids)
