"""When a captured event is complete (its books' results collected, its permit freed, progress reported), and
complete events gathered into batches for the capture's caller to store as it goes: a batch counts as stored
when the next is asked for, its prices dropped, so memory stays bounded."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable, Mapping, MutableMapping
from dataclasses import KW_ONLY, dataclass, field, replace

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.odds.model import CaptureProgress, CaptureResult, CaptureTarget

log = logging.getLogger(__name__)

OnProgress = Callable[[CaptureProgress], None]

#: A follower must not be silent for long: progress is also reported after this many seconds.
PROGRESS_INTERVAL_S = 2.0


@dataclass(eq=False, repr=False)
class ProgressReporter:
    """Calls ``on_progress`` every ``every`` finished events or ``PROGRESS_INTERVAL_S``, and at the end."""

    results: Mapping[int, Mapping[Book, CaptureResult]]
    on_progress: OnProgress | None
    total: int
    _: KW_ONLY
    every: int
    _done: int = field(default=0, init=False)
    _last_report: float = field(default_factory=time.monotonic, init=False)

    def event_done(self) -> None:
        self._done += 1
        if self._done >= self.total:
            return  # the capture reports the end
        if self._done % self.every == 0 or time.monotonic() - self._last_report >= PROGRESS_INTERVAL_S:
            self.report()

    def report(self) -> None:
        self._last_report = time.monotonic()
        callback = self.on_progress
        if callback is None:
            return
        by_status: Counter[str] = Counter()
        for by_book in self.results.values():
            for result in by_book.values():
                by_status[result.status] += 1
        progress = CaptureProgress(done=self._done, total=self.total, by_status=dict(by_status))
        try:
            callback(progress)
        except Exception:  # a logging hiccup must not stop the capture
            log.exception("odds capture progress callback failed")


@dataclass(slots=True, eq=False)
class EventCapture:
    """Collects one event's per-book results; when its last book is done, frees the event's pending permit."""

    record: Callable[[CaptureResult], None]
    complete: Callable[[int], None]
    target: CaptureTarget
    books_left: int
    pending: asyncio.Semaphore
    progress: ProgressReporter

    def book_done(self, task: asyncio.Task[CaptureResult]) -> None:
        self.books_left -= 1
        if not task.cancelled():
            error = task.exception()
            if error is None:
                self.record(task.result())
            else:  # request_event turns every error into a result: this is a bug; it must not hang the run
                log.error("odds capture of SR id %s crashed", self.target.sr_id, exc_info=error)
        if self.books_left == 0:
            self.pending.release()
            self.progress.event_done()
            self.complete(self.target.sr_id)


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

    async def wait_for_room(self) -> None:
        """Return once fewer than the bound of completed events wait for the store (called by the dispatch
        before an event is sent)."""
        while len(self._ready) + self._unstored >= self._max_held:  # completed events not yet stored
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
