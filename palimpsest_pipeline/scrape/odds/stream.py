"""Complete events gathered into batches for the capture's caller to store as the capture goes.

A batch counts as stored when the next is asked for, and its prices are dropped, so memory stays bounded;
``wait_for_room`` holds dispatch while ``MAX_HELD_BATCHES`` are unstored.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, MutableMapping
from dataclasses import replace

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.odds.model import CaptureResult

#: Completed-but-unstored events the stream lets accumulate, in batches: one being stored, one filling.
MAX_HELD_BATCHES = 2


class CompleteBatches:
    """The completed events between the dispatch, which adds them, and the caller, which stores them."""

    def __init__(self, results: MutableMapping[int, dict[Book, CaptureResult]], batch_events: int) -> None:
        if batch_events < 1:
            raise ValueError(f"batch_events must be >= 1, got {batch_events}")
        self._results = results
        self._batch_events = batch_events
        self._max_held = batch_events * MAX_HELD_BATCHES
        self._ready: list[int] = []
        self._unstored = 0  # events of the batch handed to the caller and not yet stored
        self._changed = asyncio.Event()  # set when events complete, a batch is stored or the dispatch ends
        self._dispatch_over = False
        self._dispatch_error: BaseException | None = None
        #: Batches (events) the caller stored, and the one it holds (1-based, 0: none).
        self.stored_batches = 0
        self.stored_events = 0
        self.holding = 0

    @property
    def held(self) -> int:
        """Completed events whose prices are still in memory (not yet stored)."""
        return len(self._ready) + self._unstored

    async def wait_for_room(self) -> None:
        """Return once fewer than the bound of completed events wait for the store (called by the dispatch
        before an event is sent)."""
        while self.held >= self._max_held:
            self._changed.clear()
            await self._changed.wait()

    def event_complete(self, sr_id: int) -> None:
        """An event has a result on every book that lists it (called by the dispatch)."""
        self._ready.append(sr_id)
        if len(self._ready) >= self._batch_events:
            self._changed.set()

    def dispatch_over(self, error: BaseException | None = None) -> None:
        """No event will complete any more (``error``: the dispatch failed with it): what is ready is the
        last batch."""
        self._dispatch_over = True
        self._dispatch_error = error
        self._changed.set()

    async def batches(self) -> AsyncIterator[list[CaptureResult]]:
        """Every batch of complete events (every book's result of each, ``not_listed`` included), in order;
        the one yielded counts as stored once the caller asks for the next, and is emptied then."""
        while True:
            while len(self._ready) < self._batch_events and not self._dispatch_over:
                self._changed.clear()
                await self._changed.wait()
            if self._dispatch_error is not None:
                raise self._dispatch_error
            if not self._ready:
                return
            sr_ids, self._ready = self._ready[: self._batch_events], self._ready[self._batch_events :]
            self._unstored = len(sr_ids)
            self.holding = self.stored_batches + 1
            batch = [result for sr_id in sr_ids for result in self._results[sr_id].values()]
            yield batch
            batch.clear()  # the caller's name for it too: its prices go now, not when the next batch comes
            self._stored(sr_ids)

    def _stored(self, sr_ids: list[int]) -> None:
        for sr_id in sr_ids:
            by_book = self._results[sr_id]
            self._results[sr_id] = {book: replace(r, odds=None) for book, r in by_book.items()}
        self._unstored = 0
        self.holding = 0
        self.stored_batches += 1
        self.stored_events += len(sr_ids)
        self._changed.set()

    def failure_note(self) -> str | None:
        """What a store failure while the caller held a batch leaves stored (None when it held none)."""
        if not self.holding:
            return None
        return (
            f"odds capture stopped: storing batch {self.holding} ({self._unstored} events) failed; the "
            f"{self.stored_batches} batch(es) before it ({self.stored_events} events) are stored, and no "
            "further event is requested"
        )
