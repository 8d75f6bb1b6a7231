"""The capture engine's pure rules: priority, slot order, skew, target discovery, breaker, pool split."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.books.settings import BookSettings, default_settings
from palimpsest_pipeline.records import Book, Event
from palimpsest_pipeline.scrape.odds.event_request import BookBreaker
from palimpsest_pipeline.scrape.odds.model import (
    CaptureResult,
    CaptureTarget,
    OddsCapture,
    acquisition_order,
    dispatch_order,
    urgency,
    validate,
)
from palimpsest_pipeline.scrape.odds.parsing import PayloadParser
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_pipeline_tests.scrape.every_book import targets_from_events

NOW = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
ALL = {
    Book.BETPAWA: "p1", Book.SPORTYBET: "sr:match:1", Book.BET9JA: "9", Book.MSPORT: "sr:match:1",
    Book.BETWAY: "1",
}  # fmt: skip


def target(sr_id: int, minutes_ahead: float, books: tuple[Book, ...] = NIGERIA_BOOKS) -> CaptureTarget:
    return CaptureTarget(sr_id, NOW + timedelta(minutes=minutes_ahead), {book: ALL[book] for book in books})


def test_urgency_tiers_have_exact_boundaries() -> None:
    assert urgency(NOW - timedelta(minutes=5), NOW) == 0  # already kicked off: still the most urgent
    assert urgency(NOW + timedelta(minutes=29, seconds=59), NOW) == 0
    assert urgency(NOW + timedelta(minutes=30), NOW) == 1
    assert urgency(NOW + timedelta(minutes=119), NOW) == 1
    assert urgency(NOW + timedelta(minutes=120), NOW) == 2


def test_dispatch_order_is_urgency_then_books_then_kickoff() -> None:
    targets = [
        target(1, 600),
        target(2, 60, (Book.BETPAWA, Book.BET9JA)),
        target(3, 90),
        target(4, 25, (Book.SPORTYBET,)),
        target(5, 10),
        target(6, 60),
    ]
    assert [t.sr_id for t in dispatch_order(targets, NOW, NIGERIA_BOOKS)] == [5, 4, 6, 3, 2, 1]


def test_dispatch_order_counts_only_the_books_being_captured() -> None:
    two = target(1, 300, (Book.BETPAWA, Book.SPORTYBET))
    three = target(2, 301)
    assert [t.sr_id for t in dispatch_order([three, two], NOW, [Book.BETPAWA, Book.SPORTYBET])] == [1, 2]


def test_scarcest_book_is_acquired_first_in_one_global_order() -> None:
    settings = {book: default_settings(book) for book in NIGERIA_BOOKS}
    # requests/s at 100 ms: Bet9ja 15 / 0.125 = 120, Betway and MSport 20 / 0.1 = 200 (name breaks the tie),
    # BetPawa and SportyBet 50 / 0.1 = 500
    assert acquisition_order(NIGERIA_BOOKS, settings) == [
        Book.BET9JA, Book.BETWAY, Book.MSPORT, Book.BETPAWA, Book.SPORTYBET,
    ]  # fmt: skip
    assert acquisition_order([Book.SPORTYBET, Book.BETPAWA], settings) == [Book.BETPAWA, Book.SPORTYBET]
    settings[Book.SPORTYBET] = BookSettings(book=Book.SPORTYBET, base_url="http://x/", max_in_flight=5)
    assert acquisition_order(NIGERIA_BOOKS, settings)[0] is Book.SPORTYBET


def test_skew_is_the_spread_of_send_times_of_ok_captures() -> None:
    sent = datetime(2026, 5, 4, 12, 0, 0, tzinfo=UTC)
    odds = EventOdds()
    results = {
        7: {
            Book.BETPAWA: CaptureResult(7, Book.BETPAWA, "ok", "p", sent_at=sent, odds=odds),
            Book.SPORTYBET: CaptureResult(
                7, Book.SPORTYBET, "ok", "s", sent_at=sent + timedelta(milliseconds=12), odds=odds
            ),
            # a failed capture has no prices to compare: it does not widen the skew
            Book.BET9JA: CaptureResult(7, Book.BET9JA, "failed", "9", sent_at=sent + timedelta(seconds=3)),
        },
        8: {Book.BETPAWA: CaptureResult(8, Book.BETPAWA, "ok", "p", sent_at=sent, odds=odds)},
    }
    assert OddsCapture(sent, sent, results, {}).skews_ms() == {7: pytest.approx(12.0)}


def event(book: Book, event_id: str, sr_id: int | None, kickoff: datetime) -> Event:
    return Event(book, event_id, sr_id, "A", "B", kickoff, "t", "T", None, "football")


def test_targets_group_books_by_sr_id_and_skip_events_without_one() -> None:
    later = NOW + timedelta(hours=2)
    targets = targets_from_events(
        [
            event(Book.BETPAWA, "p1", 11, later),
            event(Book.SPORTYBET, "sr:match:11", 11, later - timedelta(minutes=5)),
            event(Book.BET9JA, "901", None, later),
            event(Book.BET9JA, "902", 12, later),
            event(Book.BET9JA, "903", 12, later),  # listed twice: the first id is kept
        ]
    )
    by_id = {t.sr_id: t for t in targets}
    assert set(by_id) == {11, 12}
    assert dict(by_id[11].listings) == {Book.BETPAWA: "p1", Book.SPORTYBET: "sr:match:11"}
    assert by_id[11].kickoff == later - timedelta(minutes=5)
    assert dict(by_id[12].listings) == {Book.BET9JA: "902"}


def test_bad_arguments_are_named() -> None:
    with pytest.raises(ValueError, match="naive"):
        CaptureTarget(1, datetime(2026, 5, 4, 12, 0), {})
    with pytest.raises(ValueError, match="empty bet9ja event id"):
        CaptureTarget(1, NOW, {Book.BET9JA: " "})
    with pytest.raises(ValueError, match="SR id 3 is targeted twice"):
        validate([target(3, 10), target(3, 20)], {}, NOW)
    with pytest.raises(ValueError, match="settings under betpawa are for bet9ja"):
        validate([], {Book.BETPAWA: default_settings(Book.BET9JA)}, NOW)
    with pytest.raises(ValueError, match="parse_workers"):
        PayloadParser(-1)


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_breaker_opens_after_consecutive_failures_then_probes_once() -> None:
    clock = FakeClock()
    breaker = BookBreaker(3, 10.0, clock=clock)
    breaker.failure("a")
    breaker.success()  # a success resets the run of failures
    breaker.failure("b")
    breaker.failure("c")
    assert breaker.allows()
    breaker.failure("HTTP 503")
    assert not breaker.allows()
    assert "3 requests in a row" in breaker.why_skipped() and "HTTP 503" in breaker.why_skipped()
    clock.now = 10.0
    assert breaker.allows()  # the probe
    assert not breaker.allows()  # only one probe at a time
    breaker.failure("still down")
    assert not breaker.allows()
    clock.now = 20.0
    assert breaker.allows()
    breaker.success()
    assert breaker.allows() and breaker.allows()  # closed again: no more probing


def test_disabled_breaker_never_opens() -> None:
    breaker = BookBreaker(0, 1.0)
    for _ in range(100):
        breaker.failure("x")
    assert breaker.allows()


def test_targets_from_stored_events_keep_upcoming_sr_ids_and_each_books_id() -> None:
    from datetime import UTC, datetime, timedelta

    from palimpsest_pipeline.frames import events_frame
    from palimpsest_pipeline.records import Event
    from palimpsest_pipeline.scrape.odds.model import targets_from_frame

    now = datetime(2026, 5, 4, 12, tzinfo=UTC)

    def event(book: Book, event_id: str, sr_id: int | None, minutes: int) -> Event:
        kickoff = now + timedelta(minutes=minutes)
        return Event(book, event_id, sr_id, "H", "A", kickoff, "t", "T", "C", "football")

    frame = events_frame(
        [
            event(Book.BETPAWA, "p1", 11, 60),
            event(Book.SPORTYBET, "sr:match:11", 11, 55),  # books disagree: the earliest kick-off wins
            event(Book.BET9JA, "b2", 22, 90),
            event(Book.BETPAWA, "p3", 33, -5),  # already kicked off
            event(Book.SPORTYBET, "sr:match:111111100000001", None, 30),  # no SportRadar id
        ]
    )
    targets = targets_from_frame(frame, now=now)
    assert [(t.sr_id, t.kickoff, dict(t.listings)) for t in targets] == [
        (11, now + timedelta(minutes=55), {Book.BETPAWA: "p1", Book.SPORTYBET: "sr:match:11"}),
        (22, now + timedelta(minutes=90), {Book.BET9JA: "b2"}),
    ]
    assert [t.sr_id for t in targets_from_frame(frame, now=now, sr_ids=[22, 33])] == [22]
    # Within an hour: SR id 11 (its earliest listing kicks off in 55 minutes, BetPawa's in 60), not 22.
    assert [t.sr_id for t in targets_from_frame(frame, now=now, within=timedelta(minutes=60))] == [11]
    assert [t.sr_id for t in targets_from_frame(frame, now=now, within=timedelta(minutes=55))] == [11]
    assert [t.sr_id for t in targets_from_frame(frame, now=now, within=timedelta(minutes=54))] == []
