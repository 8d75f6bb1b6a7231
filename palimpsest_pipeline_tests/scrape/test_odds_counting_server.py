"""The capture engine against a scripted server that counts, per book, how many requests it serves at once.

Server-side counts are what the books would see: they prove the limits hold (also while retries run) and,
with one slot per book, that events are dispatched in priority order.
"""

from __future__ import annotations

import asyncio
import gc
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from palimpsest_pipeline.books.settings import BookSettings
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.odds.engine import capture_odds
from palimpsest_pipeline.scrape.odds.model import CaptureOptions, CaptureProgress, CaptureTarget, OddsCapture
from palimpsest_pipeline_tests.books.scripted_server import Hit, Reply, ScriptedServer
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS

NOW = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
PREFIX = {
    Book.BETPAWA: "/bp/",
    Book.SPORTYBET: "/sb/",
    Book.BET9JA: "/b9/",
    Book.MSPORT: "/ms/",
    Book.BETWAY: "/bw/",
}
#: The smallest detail answer each book's parser accepts (no markets).
DETAIL = {
    Book.BETPAWA: Reply.json({"id": "1", "category": {"id": "2"}, "markets": []}),
    Book.SPORTYBET: Reply.json({"bizCode": 10000, "message": "0#0", "data": {"markets": []}}),
    Book.BET9JA: Reply.json({"R": "OK", "D": {"O": {}}}),
    Book.MSPORT: Reply.json({"bizCode": 10000, "message": "0#0", "data": {"markets": []}}),
    Book.BETWAY: Reply.json({"marketsInGroup": [], "outcomes": [], "prices": []}),
}


def book_of(hit: Hit) -> Book:
    return next(book for book, prefix in PREFIX.items() if hit.path.startswith(prefix))


class CountingBooks:
    """Serves every detail request after ``delay_s``, counting concurrent requests per book server-side."""

    def __init__(self, delay_s: float, throttle: Callable[[Book, str, int], bool] | None = None) -> None:
        """``throttle(book, event id, how many times it was asked for)`` True answers 429 (Retry-After 0)."""
        self.delay_s = delay_s
        self.throttle = throttle
        self.in_flight: Counter[Book] = Counter()
        self.peak: Counter[Book] = Counter()
        self.served: Counter[Book] = Counter()
        self.asked: Counter[tuple[Book, str]] = Counter()
        self.order: dict[Book, list[str]] = {book: [] for book in NIGERIA_BOOKS}

    async def __call__(self, hit: Hit) -> Reply:
        book = book_of(hit)
        self.served[book] += 1
        self.in_flight[book] += 1
        self.peak[book] = max(self.peak[book], self.in_flight[book])
        event_id = hit.query.get("eventId") or hit.query.get("EVENTID") or hit.path
        self.order[book].append(event_id)
        self.asked[(book, event_id)] += 1
        try:
            await asyncio.sleep(self.delay_s)
        finally:
            self.in_flight[book] -= 1
        if self.throttle is not None and self.throttle(book, event_id, self.asked[(book, event_id)]):
            return Reply(status=429, body=b"slow down", headers={"retry-after": "0"})
        if book is Book.SPORTYBET:  # its answer names the match asked for, as every real one does
            return Reply.json(
                {"bizCode": 10000, "message": "0#0", "data": {"eventId": event_id, "markets": []}}
            )
        return DETAIL[book]


def settings_for(
    server: ScriptedServer, slots: dict[Book, int], **overrides: Any
) -> dict[Book, BookSettings]:
    values: dict[str, Any] = {"backoff_base_s": 0.0, "backoff_cap_s": 0.0, "max_attempts": 6, **overrides}
    return {
        book: BookSettings(book=book, base_url=server.url(PREFIX[book]), max_in_flight=slots[book], **values)
        for book in NIGERIA_BOOKS
    }


def ids(book: Book, sr_id: int) -> str:
    return {
        Book.BETPAWA: str(sr_id),
        Book.SPORTYBET: f"sr:match:{sr_id}",
        Book.BET9JA: str(900 + sr_id),
        Book.MSPORT: f"sr:match:{sr_id}",
        Book.BETWAY: str(sr_id),
    }[book]


def target(sr_id: int, minutes_ahead: float, books: tuple[Book, ...] = NIGERIA_BOOKS) -> CaptureTarget:
    return CaptureTarget(sr_id, NOW + timedelta(minutes=minutes_ahead), {b: ids(b, sr_id) for b in books})


def run(coroutine: Any, timeout_s: float = 30.0) -> OddsCapture:
    async def bounded() -> OddsCapture:
        return await asyncio.wait_for(coroutine, timeout_s)  # a slot-handling bug must fail, not hang

    return asyncio.run(bounded())


INLINE = CaptureOptions(parse_workers=0)


def test_limits_hold_per_book_and_are_used_in_full() -> None:
    slots = {Book.BETPAWA: 4, Book.SPORTYBET: 3, Book.BET9JA: 2, Book.MSPORT: 3, Book.BETWAY: 4}
    books = CountingBooks(delay_s=0.02)
    # frozen or not as before: the worker froze what its collection imported (definitions.py)
    gc_before = (gc.get_threshold(), gc.get_freeze_count() > 0)

    async def scenario() -> OddsCapture:
        async with ScriptedServer(books) as server:
            targets = [target(sr_id, 60 + sr_id) for sr_id in range(1, 31)]
            return await capture_odds(
                targets, settings_for(server, slots, pause_s=0.005), now=NOW, options=INLINE
            )

    capture = run(scenario())
    assert all(r.status == "ok" for r in capture.all_results())
    for book, limit in slots.items():
        assert books.peak[book] <= limit, f"{book.value} served {books.peak[book]} at once, limit {limit}"
        assert capture.stats[book].peak_in_flight <= limit
    assert books.peak[Book.BET9JA] == slots[Book.BET9JA], "the scarcest book's slots are all used"
    assert (gc.get_threshold(), gc.get_freeze_count() > 0) == gc_before, "GC tuning is undone"


def test_retries_after_throttling_stay_within_the_limits() -> None:
    slots = {Book.BETPAWA: 3, Book.SPORTYBET: 3, Book.BET9JA: 2, Book.MSPORT: 3, Book.BETWAY: 3}

    def throttle(book: Book, event_id: str, asked: int) -> bool:  # SportyBet: twice per even SR id
        return book is Book.SPORTYBET and int(event_id.rpartition(":")[2]) % 2 == 0 and asked <= 2

    books = CountingBooks(delay_s=0.01, throttle=throttle)

    async def scenario() -> OddsCapture:
        async with ScriptedServer(books) as server:
            targets = [target(sr_id, 60) for sr_id in range(1, 25)]
            return await capture_odds(targets, settings_for(server, slots), now=NOW, options=INLINE)

    capture = run(scenario())
    assert all(r.status == "ok" for r in capture.all_results())
    sporty = capture.stats[Book.SPORTYBET]
    assert sporty.requests == 24 and sporty.throttled == 24 and sporty.attempts == 48
    assert {
        r.sr_id: r.attempts for r in (by_book[Book.SPORTYBET] for by_book in capture.results.values())
    } == {n: 3 if n % 2 == 0 else 1 for n in range(1, 25)}
    for book, limit in slots.items():
        assert books.peak[book] <= limit


def test_events_are_dispatched_by_urgency_then_number_of_books() -> None:
    one_slot = dict.fromkeys(NIGERIA_BOOKS, 1)
    books = CountingBooks(delay_s=0.0)
    targets = [
        target(1, 600),  # later
        target(2, 60, (Book.BETPAWA, Book.SPORTYBET)),  # soon, two books
        target(3, 90),  # soon, every book
        target(4, 20),  # imminent
        target(5, 5, (Book.SPORTYBET, Book.BET9JA)),  # imminent, two books
    ]

    async def scenario() -> OddsCapture:
        async with ScriptedServer(books) as server:
            return await capture_odds(targets, settings_for(server, one_slot), now=NOW, options=INLINE)

    capture = run(scenario())
    sporty = sorted(
        (by_book[Book.SPORTYBET] for by_book in capture.results.values()), key=lambda r: r.sent_at or NOW
    )
    assert [r.sr_id for r in sporty] == [4, 5, 3, 2, 1]
    assert books.order[Book.SPORTYBET] == [ids(Book.SPORTYBET, n) for n in (4, 5, 3, 2, 1)]
    by_send_time = sorted(
        (r for r in capture.all_results() if r.sent_at is not None), key=lambda r: r.sent_at or NOW
    )
    first_seen: list[int] = []
    for result in by_send_time:
        if result.sr_id not in first_seen:
            first_seen.append(result.sr_id)
    assert first_seen == [4, 5, 3, 2, 1]


def test_progress_is_reported_every_few_events_and_at_the_end() -> None:
    books = CountingBooks(delay_s=0.0)
    progress: list[CaptureProgress] = []

    async def scenario() -> OddsCapture:
        async with ScriptedServer(books) as server:
            targets = [target(sr_id, 60) for sr_id in range(1, 8)]
            return await capture_odds(
                targets,
                settings_for(server, dict.fromkeys(NIGERIA_BOOKS, 2)),
                now=NOW,
                on_progress=progress.append,
                options=CaptureOptions(parse_workers=0, progress_every=3),
            )

    capture = run(scenario())
    assert all(sum(book in by_book for by_book in capture.results.values()) == 7 for book in NIGERIA_BOOKS)
    assert [p.done for p in progress] == [3, 6, 7]
    assert all(p.total == 7 for p in progress)
    assert progress[-1].by_status == {"ok": 7 * len(NIGERIA_BOOKS)}
