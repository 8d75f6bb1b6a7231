"""The world's start cases: a rescheduled match shows its old kick-off until the move and the new one after it
on every book listing it, and is played from the new one; a delayed match keeps its listed kick-off while the
match clock starts minutes later; and a case forced through the control API changes that book's live list
or prematch list only, as ``start_truth`` says."""

from __future__ import annotations

from datetime import date, timedelta

import httpx

from palimpsest_pipeline.records import Book
from palimpsest_pipeline_tests.fixtures_sandbox import SANDBOX_TEST_INSTANT
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_sandbox import SandboxHandle, World, WorldEvent
from palimpsest_sandbox.live_coverage import live_start, start_truth, state_at

MINUTE = timedelta(minutes=1)


def _week() -> list[WorldEvent]:
    world = World(seed=3, size=1_000, days=14)
    return [e for d in range(7) for e in world._day(date(2026, 5, 4) + timedelta(days=d))]


def test_a_rescheduled_match_shows_the_new_kickoff_from_the_move_on_and_is_played_then() -> None:
    world = World(seed=3, size=1_000, days=14)
    moved = [e for e in _week() if e.rescheduled is not None]
    assert len(moved) > 3
    seen_both = 0
    for event in moved:
        move = event.rescheduled
        assert move is not None
        by = event.kickoff - move.listed_before
        assert timedelta(minutes=30) <= by <= timedelta(hours=3) and by.seconds % 900 == 0
        assert event.kickoff.date() == move.listed_before.date()
        assert timedelta(hours=1) <= move.listed_before - move.moved_at <= timedelta(hours=8)
        for book in NIGERIA_BOOKS:
            before = {r.event_id: r.kickoff for r in world.listed(book, move.moved_at - MINUTE)}
            after = {r.event_id: r.kickoff for r in world.listed(book, move.moved_at)}
            event_id = event.event_id(book)
            if event_id in before:
                assert before[event_id] == move.listed_before, (event.uid, book)
            if event_id in after:
                assert after[event_id] == event.kickoff, (event.uid, book)
                seen_both += event_id in before
            assert not event.in_play(book, move.listed_before + MINUTE)  # not played at the old time
        assert state_at(event, event.kickoff - timedelta(seconds=1)) is None
        assert state_at(event, event.kickoff) is not None
    assert seen_both > 3


def test_a_delayed_match_keeps_its_listed_kickoff_and_its_clock_starts_minutes_later() -> None:
    delayed = [e for e in _week() if e.play_delay > timedelta(0)]
    assert len(delayed) > 10
    for event in delayed:
        assert timedelta(minutes=6) <= event.play_delay <= timedelta(minutes=15)
        assert state_at(event, event.played_from - timedelta(seconds=1)) is None
        first = state_at(event, event.played_from + timedelta(seconds=30))
        assert first is not None and first.minute == 1
        for book in NIGERIA_BOOKS:
            assert event.record(book).kickoff == event.kickoff  # the books list the listed time
            start = live_start(event, book)
            assert start is None or start >= event.played_from
            truth = start_truth(event, book)
            if truth is not None and truth.status == "late":
                state = state_at(event, truth.live_at) if truth.live_at else None
                assert state is not None
                assert truth.reason == ("match_delayed" if state.minute <= 5 else "coverage_late")


def test_cases_forced_through_the_control_api_change_one_books_lists_only(
    sandbox_clock: SandboxHandle,
) -> None:
    at = SANDBOX_TEST_INSTANT.replace(hour=18, minute=30)
    world = sandbox_clock.world
    playing = [
        e
        for e in world.live_events(Book.SPORTYBET, at)
        if e.live_on(Book.BETPAWA, at) and e.play_delay == timedelta(0) and e.played_from < at - 12 * MINUTE
    ]
    late, never = playing[0], playing[1]
    upcoming = [
        e
        for e in world.listed_events(Book.SPORTYBET, at)
        if at + 90 * MINUTE < e.kickoff and e.rescheduled is None
    ]
    removed = upcoming[0]
    control = f"http://127.0.0.1:{sandbox_clock.port}/_sandbox/live_starts"
    base = sandbox_clock.base_urls[Book.SPORTYBET]

    def sporty_live() -> set[str]:
        data = httpx.get(base + "liveOrPrematchEvents", params={"sportId": "sr:sport:1"}).json()["data"]
        return {event["eventId"] for tournament in data for event in tournament["events"]}

    def sporty_detail(event: WorldEvent) -> int:
        answer = httpx.get(base + "event", params={"eventId": event.event_id(Book.SPORTYBET), "productId": 3})
        return int(answer.json()["bizCode"])

    forced = sandbox_clock.state.live_starts
    try:
        sandbox_clock.set_clock(at, frozen=True)
        assert {f"sr:match:{late.sr_id}", f"sr:match:{never.sr_id}"} <= sporty_live()
        assert sporty_detail(removed) == 10000
        made = httpx.post(
            control, json={"sr_id": late.sr_id, "book": "sportybet", "case": "late", "minutes": 12}
        )
        assert made.json() == {"sr_id": late.sr_id, "book": "sportybet", "case": "late", "minutes": 12.0}
        httpx.post(control, json={"sr_id": never.sr_id, "book": "sportybet", "case": "never_live"})
        httpx.post(control, json={"sr_id": removed.sr_id, "book": "sportybet", "case": "removed"})
        assert len(httpx.get(control).json()) == 3
        live_at = late.played_from + 12 * MINUTE
        sandbox_clock.set_clock(live_at - timedelta(seconds=1), frozen=True)
        shown = sporty_live()
        assert f"sr:match:{late.sr_id}" not in shown and f"sr:match:{never.sr_id}" not in shown
        sandbox_clock.set_clock(live_at, frozen=True)
        assert f"sr:match:{late.sr_id}" in sporty_live()
        assert late.live_on(Book.BETPAWA, live_at) or not late.live_on(
            Book.BETPAWA, at
        )  # other books: world's
        late_truth = start_truth(late, Book.SPORTYBET, forced)
        assert late_truth is not None
        assert (late_truth.status, late_truth.live_at, late_truth.reason) == (
            "late",
            live_at,
            "coverage_late",
        )
        never_truth = start_truth(never, Book.SPORTYBET, forced)
        assert never_truth is not None and never_truth.status == "never_live"
        sandbox_clock.set_clock(removed.kickoff - 61 * MINUTE, frozen=True)
        assert sporty_detail(removed) == 10000
        sandbox_clock.set_clock(removed.kickoff - 60 * MINUTE, frozen=True)
        assert sporty_detail(removed) != 10000  # withdrawn from the prematch list
        removed_truth = start_truth(removed, Book.SPORTYBET, forced)
        assert removed_truth is not None and removed_truth.status == "removed"
        assert start_truth(removed, Book.BETPAWA, forced) == start_truth(removed, Book.BETPAWA)
        bad = httpx.post(control, json={"sr_id": 1, "book": "sportybet", "case": "sometimes"})
        assert bad.status_code == 400
    finally:
        httpx.delete(control)
    assert not forced
