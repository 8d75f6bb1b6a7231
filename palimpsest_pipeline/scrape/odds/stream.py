"""Streaming a capture out as it goes: completed events handed to a store in batches, their prices dropped.

An event is complete when every book listing it has a result; batches of ``batch_events`` go to
``on_batch`` in a worker thread, one at a time, so memory stays bounded and a killed run keeps what it
stored. ``wait_for_room`` holds new dispatches while ``MAX_HELD_BATCHES`` batches are unstored. The first
batch that fails to store sets :attr:`BatchStream.failed`: the engine stops the capture and raises it.
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
    ) -> None:
        if batch_events < 1:
            raise ValueError(f"batch_events must be >= 1, got {batch_events}")
        self._results = results
        self._on_batch = on_batch
        self._batch_events = batch_events
        self._max_held = batch_events * MAX_HELD_BATCHES
        self._ready: list[int] = []
        self._unstored = 0  # events handed over whose batch is not stored yet
        self._stored = asyncio.Event()  # set whenever a batch finishes storing (or the stream fails)
        self._failure: Exception | None = None
        #: Set once a batch failed to store: the capture must stop (see the module's docstring).
        self.failed = asyncio.Event()
        self._last: asyncio.Task[None] | None = None
        self._handed_over = 0
        self.batches = 0
        self.events = 0

    @property
    def held(self) -> int:
        """Completed events whose prices are still in memory (not yet stored)."""
        return len(self._ready) + self._unstored

    def raise_if_failed(self) -> None:
        """Raise the store failure, if a batch failed to store."""
        if self._failure is not None:
            raise self._failure

    async def wait_for_room(self) -> None:
        """Return once fewer than the bound of completed events wait for the store (called before an event is
        dispatched, on the event loop); raise the store failure instead once a batch failed."""
        while self.held >= self._max_held and self._failure is None:
            self._stored.clear()
            await self._stored.wait()
        self.raise_if_failed()

    def event_complete(self, sr_id: int) -> None:
        """An event has a result on every book that lists it (called on the event loop); ignored once a batch
        failed, as nothing more will be stored."""
        if self._failure is not None:
            return
        self._ready.append(sr_id)
        if len(self._ready) >= self._batch_events:
            self._hand_over()

    async def finish(self) -> None:
        """Hand over what is left and wait for every batch; raises the store failure, if any."""
        if self._ready and self._failure is None:
            self._hand_over()
        if self._last is not None:
            await self._last
        self.raise_if_failed()

    def cancel(self) -> None:
        if self._last is not None:
            self._last.cancel()

    def _hand_over(self) -> None:
        sr_ids, self._ready = self._ready, []
        self._unstored += len(sr_ids)
        self._handed_over += 1
        self._last = asyncio.create_task(self._store(sr_ids, self._handed_over, self._last))

    async def _store(self, sr_ids: list[int], number: int, previous: asyncio.Task[None] | None) -> None:
        if previous is not None:
            await previous  # one batch at a time, in order
        if self._failure is not None:
            return  # an earlier batch failed: this one is not stored
        batch = [result for sr_id in sr_ids for result in self._results[sr_id].values()]
        try:
            await asyncio.to_thread(self._on_batch, batch)
        except Exception as error:
            self._fail(error, number, len(sr_ids))
            return
        for sr_id in sr_ids:
            by_book = self._results[sr_id]
            self._results[sr_id] = {book: replace(r, odds=None) for book, r in by_book.items()}
        self._unstored -= len(sr_ids)
        self._stored.set()
        self.batches += 1
        self.events += len(sr_ids)

    def _fail(self, error: Exception, number: int, events: int) -> None:
        """Record the first store failure, with a note saying which batch and what stays stored."""
        error.add_note(
            f"odds capture stopped: storing batch {number} ({events} events) failed; the {self.batches} "
            f"batch(es) before it ({self.events} events) are stored, and no further event is requested"
        )
        self._failure = error
        self._ready = []  # their prices will never be stored: do not hold them
        self.failed.set()
        self._stored.set()
