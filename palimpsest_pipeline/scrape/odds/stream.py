"""Streaming a capture out as it goes: every few hundred completed events are handed to a store, then dropped.

Holding a whole cycle's prices until the end costs memory that grows with the cycle (hundreds to thousands of
outcomes per event and book) and loses everything when the process dies: a demo killed 75 s in had stored
nothing. Here an event is "complete" when every book that lists it has a result; completed events are
handed to ``on_batch`` in batches of ``batch_events``, in a worker thread (the store blocks on the database,
the event loop must keep capturing), one batch at a time and in completion order. After a batch is handed
over, its results keep their status, times and counts (the cycle's statistics need them) but drop their
prices.

**Backpressure.** Capturing can outrun storing (a batch of deep events takes seconds to write), and without a
bound the completed events waiting for the store pile up until the cycle ends: with a store slower than the
capture, 25 of 40 events waited at once in the test that pins this (bound: 11). ``wait_for_room`` holds
the dispatch of new events while ``max_held_batches`` batches' worth of completed events are not yet stored,
so what the capture holds is a few batches plus the events in flight, whatever the cycle's size.

A batch that fails to store stops the streaming: later batches are not handed over (they stay in memory)
and the error is raised by :meth:`BatchStream.finish`, so the run fails with every earlier batch stored. From
then on there is no backpressure (nothing will be stored to make room), as before streaming.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import replace

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.odds.model import CaptureResult

#: Completed-but-unstored events the stream lets accumulate, in batches: one being stored, one filling.
MAX_HELD_BATCHES = 2

#: Receives one batch of complete events' results (every book's, ``not_listed`` included); runs in a thread.
OnBatch = Callable[[Sequence[CaptureResult]], None]


class BatchStream:
    """Hands completed events to ``on_batch`` in batches, one at a time; slims what it handed over."""

    def __init__(
        self,
        results: MutableMapping[int, dict[Book, CaptureResult]],
        on_batch: OnBatch,
        batch_events: int,
        max_held_batches: int = MAX_HELD_BATCHES,
    ) -> None:
        if batch_events < 1:
            raise ValueError(f"batch_events must be >= 1, got {batch_events}")
        if max_held_batches < 1:
            raise ValueError(f"max_held_batches must be >= 1, got {max_held_batches}")
        self._results = results
        self._on_batch = on_batch
        self._batch_events = batch_events
        self._max_held = batch_events * max_held_batches
        self._ready: list[int] = []
        self._unstored = 0  # events handed over whose batch is not stored yet
        self._stored = asyncio.Event()  # set whenever a batch finishes storing (or the stream stops)
        self._stopped = False
        self._last: asyncio.Task[None] | None = None
        self.batches = 0
        self.events = 0

    @property
    def held(self) -> int:
        """Completed events whose prices are still in memory (not yet stored)."""
        return len(self._ready) + self._unstored

    async def wait_for_room(self) -> None:
        """Return once fewer than the bound of completed events wait for the store (called before an event is
        dispatched, on the event loop). Returns at once after a store failure: nothing will make room."""
        while self.held >= self._max_held and not self._stopped:
            self._stored.clear()
            await self._stored.wait()

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
        self._unstored += len(sr_ids)
        self._last = asyncio.create_task(self._store(sr_ids, self._last))

    async def _store(self, sr_ids: list[int], previous: asyncio.Task[None] | None) -> None:
        try:
            if previous is not None:
                await previous  # one batch at a time, in order; a failed one stops the rest
            batch = [result for sr_id in sr_ids for result in self._results[sr_id].values()]
            await asyncio.to_thread(self._on_batch, batch)
        except BaseException:
            self._stopped = True
            self._stored.set()
            raise
        for sr_id in sr_ids:
            by_book = self._results[sr_id]
            self._results[sr_id] = {book: replace(r, odds=None) for book, r in by_book.items()}
        self._unstored -= len(sr_ids)
        self._stored.set()
        self.batches += 1
        self.events += len(sr_ids)
