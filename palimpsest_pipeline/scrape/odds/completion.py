"""When a captured event is complete: its books' results collected, its permit freed, progress reported."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.odds.model import CaptureProgress, CaptureResult, CaptureTarget

log = logging.getLogger(__name__)

OnProgress = Callable[[CaptureProgress], None]

#: A follower must not be silent for long: progress is also reported after this many seconds.
PROGRESS_INTERVAL_S = 2.0


class ProgressReporter:
    """Calls ``on_progress`` every ``every`` finished events or :data:`PROGRESS_INTERVAL_S` seconds with one
    finished, and once at the end."""

    def __init__(
        self,
        results: Mapping[int, Mapping[Book, CaptureResult]],
        on_progress: OnProgress | None,
        total: int,
        *,
        every: int,
    ) -> None:
        self._results = results
        self._on_progress = on_progress
        self._every = every
        self._total = total
        self._done = 0
        self._started = time.monotonic()
        self._last_report = self._started

    def event_done(self) -> None:
        self._done += 1
        if self._done >= self._total:
            return  # finish() reports the end
        if self._done % self._every == 0 or time.monotonic() - self._last_report >= PROGRESS_INTERVAL_S:
            self._report()

    def finish(self) -> None:
        self._report()

    def _report(self) -> None:
        self._last_report = time.monotonic()
        callback = self._on_progress
        if callback is None:
            return
        by_status: Counter[str] = Counter()
        for by_book in self._results.values():
            for result in by_book.values():
                by_status[result.status] += 1
        progress = CaptureProgress(
            done=self._done,
            total=self._total,
            elapsed_s=time.monotonic() - self._started,
            by_status=dict(by_status),
        )
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
            else:  # _capture_one turns every error into a result: this is a bug; it must not hang the run
                log.error("odds capture of SR id %s crashed", self.target.sr_id, exc_info=error)
        if self.books_left == 0:
            self.pending.release()
            self.progress.event_done()
            self.complete(self.target.sr_id)
