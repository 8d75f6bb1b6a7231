"""Suspension after goals in the sandbox world: each goal shows in the score at the instant the world says,
each book holds its goal markets (or all) suspended for its own spell from then, the phase at an instant is
``after_goal`` for the chosen seconds after one, and a spell forced through the control API suspends one
book's markets of one match only, for the seconds asked."""

from __future__ import annotations

from datetime import date, timedelta

import httpx

from palimpsest_pipeline.records import Book
from palimpsest_pipeline_tests.fixtures_sandbox import SANDBOX_TEST_INSTANT
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_sandbox import SandboxHandle, World, WorldEvent
from palimpsest_sandbox.kit import kit
from palimpsest_sandbox.live_coverage import goal_spells, live_lines, phase_at, state_at, suspension_truth
from palimpsest_sandbox.live_prices import strengths
from palimpsest_sandbox.live_timeline import goal_instants

AFTER_GOAL_S = 180


def _football() -> list[WorldEvent]:
    world = World(seed=3, size=1_000, days=14)
    return [e for e in world._day(date(2026, 5, 4)) if e.sport == "football"][:120]


def test_each_goal_shows_in_the_score_at_its_instant() -> None:
    goals = 0
    for event in _football():
        for second in goal_instants(event.sport, event.match_seed, strengths(event.sport, event.match_seed)):
            before = state_at(event, event.played_from + timedelta(seconds=second - 1))
            after = state_at(event, event.played_from + timedelta(seconds=second))
            assert before is not None and after is not None
            assert sum(after.score) == sum(before.score) + 1
            goals += 1
        end = state_at(event, event.in_play_until - timedelta(seconds=1))
        total = len(goal_instants(event.sport, event.match_seed, strengths(event.sport, event.match_seed)))
        assert end is not None and sum(end.score) == total
    assert goals > 100


def test_each_book_suspends_its_goal_markets_for_its_spell_after_each_goal() -> None:
    spells = 0
    for event in _football():
        for book in NIGERIA_BOOKS:
            habits = kit(book).live
            low, high = habits.goal_suspension_s
            for start, end in goal_spells(event, book):
                assert low <= (end - start).total_seconds() <= high
                for at in (start, end - timedelta(seconds=1)):
                    for line in live_lines(event, book, at):
                        if not habits.goal_markets or line.market in habits.goal_markets:
                            assert line.suspended, (book, event.sr_id, line.market, at)
                assert phase_at(event, start, AFTER_GOAL_S) == "after_goal"
                assert phase_at(event, start - timedelta(seconds=1), AFTER_GOAL_S) != "after_goal" or any(
                    other < start <= other + timedelta(seconds=AFTER_GOAL_S)
                    for other, _ in goal_spells(event, book)
                )
                spells += 1
    assert spells > 300


def test_a_book_with_chosen_goal_markets_keeps_its_others_open_through_the_spell() -> None:
    book = Book.MSPORT
    chosen = kit(book).live.goal_markets
    assert chosen
    open_others = 0
    for event in _football():
        for start, _end in goal_spells(event, book):
            open_others += sum(
                not line.suspended for line in live_lines(event, book, start) if line.market not in chosen
            )
    assert open_others > 50


def test_a_spell_forced_through_the_control_api_suspends_one_book_for_the_seconds_asked(
    sandbox_clock: SandboxHandle,
) -> None:
    at = SANDBOX_TEST_INSTANT.replace(hour=18, minute=30)
    sandbox_clock.set_clock(at, frozen=True)
    control = f"http://127.0.0.1:{sandbox_clock.port}/_sandbox/live_suspensions"
    sporty = sandbox_clock.base_urls[Book.SPORTYBET] + "liveOrPrematchEvents"

    def sporty_markets() -> list[tuple[str, bool]]:
        data = httpx.get(sporty, params={"sportId": "sr:sport:1"}).json()["data"]
        row = next(e for t in data for e in t["events"] if e["eventId"] == "sr:match:27400007")
        return [(m["id"], m["status"] != 0) for m in row["markets"]]

    event = next(e for e in sandbox_clock.state.world.live_events(Book.SPORTYBET, at) if e.sr_id == 27400007)
    try:
        before = sporty_markets()
        assert not all(suspended for _, suspended in before)
        made = httpx.post(control, json={"sr_id": 27400007, "book": "sportybet", "seconds": 60})
        assert made.json() == {
            "sr_id": 27400007,
            "book": "sportybet",
            "start": "2026-05-04T18:30:00+00:00",
            "end": "2026-05-04T18:31:00+00:00",
            "markets": [],
        }
        assert all(suspended for _, suspended in sporty_markets())
        # the other books' boards of the same match are the world's own
        truth = suspension_truth(event, Book.BETPAWA, at)
        forced = suspension_truth(event, Book.BETPAWA, at, sandbox_clock.state.live_suspensions)
        assert forced == truth
        sandbox_clock.set_clock(at + timedelta(seconds=60), frozen=True)
        after = suspension_truth(event, Book.SPORTYBET, at + timedelta(seconds=60))
        assert sum(1 for _, s in sporty_markets() if s) == sum(s for _, s in after.values())
        assert httpx.post(control, json={"sr_id": 1, "book": "nobody", "seconds": 5}).status_code == 400
    finally:
        httpx.delete(control)
