"""Event-centric odds capture: a slot taken on every listing book (one global order, so no deadlock), then
the requests go out together, so the skew between books is network jitter only.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from contextlib import AsyncExitStack
from dataclasses import replace
from datetime import UTC, datetime
from types import TracebackType
from typing import Protocol

from palimpsest_pipeline.books.http import BookClient
from palimpsest_pipeline.books.kits import KITS
from palimpsest_pipeline.books.settings import BookSettings
from palimpsest_pipeline.books.wire import OnResponse
from palimpsest_pipeline.markets.players import RosterPlayer
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.odds.event_request import BookBreaker, ParseTally, request_event
from palimpsest_pipeline.scrape.odds.gc_tuning import gc_tuned_for_capture
from palimpsest_pipeline.scrape.odds.http_hooks import HandoffLimiter, TimedTransport, capture_hook
from palimpsest_pipeline.scrape.odds.model import (
    BREAKER_SKIPPED,
    BookCaptureStats,
    CaptureOptions,
    CaptureResult,
    CaptureTarget,
    OddsCapture,
    acquisition_order,
    dispatch_order,
    validate,
)
from palimpsest_pipeline.scrape.odds.parsing import PayloadParser, default_parse_workers
from palimpsest_pipeline.scrape.odds.players import resolve_results
from palimpsest_pipeline.scrape.odds.stream import CompleteBatches, EventCapture, OnProgress, ProgressReporter

log = logging.getLogger(__name__)


class BatchWriter(Protocol):
    """Where a capture's batches of complete events are written (``warehouse.capture_stream``)."""

    def write(self, results: Sequence[CaptureResult]) -> None: ...


async def capture_odds(
    targets: Sequence[CaptureTarget],
    settings: Mapping[Book, BookSettings],
    *,
    now: datetime,
    store: BatchWriter | None = None,
    on_response: OnResponse | None = None,
    on_progress: OnProgress | None = None,
    options: CaptureOptions | None = None,
    known_rosters: Mapping[int, frozenset[RosterPlayer]] | None = None,
) -> OddsCapture:
    """Capture every target on every book in ``settings`` that lists it, each event's books together; ``now``
    ranks urgency; ``known_rosters``: per SR id, players earlier captures listed. Book problems come back as
    statuses; invalid arguments raise ValueError. Without ``store`` the results keep their prices; with it,
    each batch of complete events is written to ``store`` in a worker thread as it goes, the dispatch never
    more than ``stream.MAX_HELD_BATCHES`` ahead, and the result keeps no prices. A batch that fails to store
    stops the capture at once, raised with a note saying which batches are stored."""
    validate(targets, settings, now)
    ordered = dispatch_order(targets, now, settings)
    chosen = options or CaptureOptions()
    if chosen.parse_workers is None:
        requests = sum(book in settings for target in ordered for book in target.listings)
        chosen = replace(chosen, parse_workers=default_parse_workers(requests))
    async with _Engine(settings, on_response, on_progress, chosen, known_rosters or {}) as engine:
        if store is None:
            await engine.run(ordered)
            return engine.capture()
        stream = engine.stream = CompleteBatches(engine.results, chosen.batch_events)
        dispatch = asyncio.create_task(engine.run(ordered))
        dispatch.add_done_callback(
            lambda done: stream.dispatch_over(None if done.cancelled() else done.exception())
        )
        try:
            async for batch in stream.batches():
                await asyncio.to_thread(store.write, batch)
        except BaseException as error:
            note = stream.failure_note()
            if note is not None:
                error.add_note(note)
            raise
        finally:
            if not dispatch.done():  # the store failed: stop asking the books
                dispatch.cancel()
            await asyncio.wait([dispatch])  # its clean-up (slots given back) runs before the clients close
    return engine.capture()


class _Engine:
    """One capture's clients, parser, breakers and accumulated results."""

    def __init__(
        self,
        settings: Mapping[Book, BookSettings],
        on_response: OnResponse | None,
        on_progress: OnProgress | None,
        options: CaptureOptions,
        known_rosters: Mapping[int, frozenset[RosterPlayer]],
    ) -> None:
        self.known_rosters = known_rosters
        self.options = options
        self.on_progress = on_progress
        self.bytes: Counter[Book] = Counter()
        hook = capture_hook(self.bytes, on_response)
        asked = dict(settings)
        if options.live:  # the books' live APIs (another base URL where a book's has its own)
            asked = {book: KITS[book].live_adapter().live_settings(s) for book, s in settings.items()}
        self.clients: dict[Book, BookClient] = {
            book: BookClient(
                book_settings,
                KITS[book].adapter().wire(settings[book]),
                on_response=hook,
                limiter=HandoffLimiter(book_settings.max_in_flight, book_settings.pause_s, name=book.value),
                transport=TimedTransport(book_settings.max_in_flight),
            )
            for book, book_settings in asked.items()
        }
        self.settings = asked
        self.breakers = {
            book: BookBreaker(options.breaker_threshold, options.breaker_cooldown_s) for book in self.settings
        }
        self.parser = PayloadParser()  # the capture's own, chosen for its size, on entering
        self.results: dict[int, dict[Book, CaptureResult]] = {}
        self.tally = ParseTally()
        self._stack = AsyncExitStack()
        self.started_at = datetime.now(UTC)
        #: Set by ``capture_odds`` given a store: where complete events go to be stored.
        self.stream: CompleteBatches | None = None

    async def __aenter__(self) -> _Engine:
        self._stack.enter_context(gc_tuned_for_capture())
        for client in self.clients.values():
            await self._stack.enter_async_context(client)
        self.parser = PayloadParser(self.options.parse_workers or 0)
        self._stack.callback(self.parser.close)
        await self.parser.warm_up()
        self.started_at = datetime.now(UTC)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self._stack.aclose()

    def event_complete(self, sr_id: int) -> None:
        """Every book of the event has answered: its players are keyed by SportRadar id (players.py), then
        the event goes to the store."""
        by_book = self.results.get(sr_id)
        if by_book:
            resolved = resolve_results(by_book, self.known_rosters.get(sr_id, frozenset()))
            for book, result in resolved.items():
                self.tally.rows[book] -= len(by_book[book].odds or ()) - len(result.odds or ())
                by_book[book] = result
        if self.stream is not None:
            self.stream.event_complete(sr_id)

    async def run(self, ordered: Sequence[CaptureTarget]) -> None:
        """Capture ``ordered`` targets on every configured book, dispatching strictly in order."""
        tasks: set[asyncio.Task[CaptureResult]] = set()
        progress = ProgressReporter(
            self.results, self.on_progress, len(ordered), every=self.options.progress_every
        )
        try:
            await self._dispatch(ordered, tasks, progress)
            while tasks:
                await asyncio.wait(list(tasks))
        finally:  # cancelled (a run terminated, a batch failed to store): stop the requests under way
            for task in tasks:
                task.cancel()
        progress.report()

    async def _dispatch(
        self,
        ordered: Sequence[CaptureTarget],
        tasks: set[asyncio.Task[CaptureResult]],
        progress: ProgressReporter,
    ) -> None:
        books = list(self.settings)
        pending = asyncio.Semaphore(self.options.max_pending_events)
        for target in ordered:
            for book in books:
                if book not in target.listings:
                    self.record(CaptureResult(target.sr_id, book, "not_listed"))
            joining = self._joining(
                target, acquisition_order([b for b in books if b in target.listings], self.settings)
            )
            if not joining:
                progress.event_done()
                self.event_complete(target.sr_id)
                continue
            await pending.acquire()
            try:
                if self.stream is not None:
                    await self.stream.wait_for_room()  # bounded memory: never run far ahead of the store
                await self.parser.wait_for_room()  # ... nor of the parse workers
                await self._take_slots(joining)
            except BaseException:
                pending.release()
                raise
            # One task per book, created here so they all start in the next loop iteration: the requests
            # leave together, and one loop iteration sooner than through an intermediate task.
            event = EventCapture(self.record, self.event_complete, target, len(joining), pending, progress)
            for book in joining:
                request = request_event(
                    self.clients[book],
                    self.parser,
                    self.breakers[book],
                    target,
                    book,
                    self.tally,
                    live=self.options.live,
                )
                task = asyncio.create_task(request)
                tasks.add(task)
                task.add_done_callback(tasks.discard)
                task.add_done_callback(event.book_done)

    def _joining(self, target: CaptureTarget, listed: Sequence[Book]) -> list[Book]:
        """The listing books whose breaker lets them join; the others are recorded as skipped."""
        joining = []
        for book in listed:
            breaker = self.breakers[book]
            if breaker.allows():
                joining.append(book)
                continue
            skipped = CaptureResult(
                target.sr_id,
                book,
                "failed",
                target.listings[book],
                reason=breaker.why_skipped(),
                error_kind="skipped",
            )
            self.record(skipped)
        return joining

    async def _take_slots(self, books: Sequence[Book]) -> None:
        """One slot on each book, in ``books``' (global, scarcest-first) order; all or none."""
        taken: list[Book] = []
        try:
            for book in books:
                await self.clients[book].limiter.acquire()
                taken.append(book)
        except BaseException:
            for book in taken:
                self.clients[book].limiter.release()
            raise

    def record(self, result: CaptureResult) -> None:
        if self.options.stamp_at is not None and result.sent_at is not None:  # what was sent
            result = result.stamped(self.options.stamp_at)
        self.results.setdefault(result.sr_id, {})[result.book] = result

    def capture(self) -> OddsCapture:
        return OddsCapture(
            started_at=self.started_at,
            finished_at=datetime.now(UTC),
            results=self.results,
            stats={book: self._book_stats(book) for book in self.settings},
            unmapped=dict(
                sorted(self.tally.unmapped.items(), key=lambda item: (item[0][0].value, item[0][1]))
            ),
        )

    def _book_stats(self, book: Book) -> BookCaptureStats:
        """One book's statistics, from its client and the results so far."""
        client = self.clients[book]
        stats = client.stats.summary()
        mine = [by_book[book] for by_book in self.results.values() if book in by_book]
        statuses = Counter(result.status for result in mine)
        errors = Counter(stats.errors)
        for kind, count in self.tally.failures.get(book, Counter()).items():
            errors[f"parse_{kind}"] += count
        errors[BREAKER_SKIPPED] += sum(1 for result in mine if result.error_kind == "skipped")
        return BookCaptureStats(
            book=book,
            requests=stats.requests,
            attempts=stats.attempts,
            ok=statuses["ok"],
            gone=statuses["gone"],
            failed=statuses["failed"],
            not_listed=statuses["not_listed"],
            throttled=stats.throttled,
            errors={kind: count for kind, count in sorted(errors.items()) if count},
            latency_p50_ms=stats.latency_p50_ms,
            latency_p95_ms=stats.latency_p95_ms,
            latency_p99_ms=stats.latency_p99_ms,
            bytes_received=self.bytes[book],
            rows=self.tally.rows[book],
            parse_cpu_s=round(self.tally.cpu_s[book], 3),
            peak_in_flight=client.limiter.peak_in_flight,
            max_in_flight=client.limiter.max_in_flight,
        )
