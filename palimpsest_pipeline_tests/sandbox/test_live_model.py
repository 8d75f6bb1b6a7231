"""In-play world, timeline and prices as pure functions (no sockets): deterministic, monotonic, model-true."""

from __future__ import annotations

import statistics
from datetime import timedelta

import pytest

from palimpsest_pipeline.records import Book
from palimpsest_pipeline_tests.fixtures_sandbox import SANDBOX_TEST_INSTANT
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_sandbox import World, WorldEvent
from palimpsest_sandbox.live_coverage import state_at
from palimpsest_sandbox.live_prices import (
    board_closed,
    book_live_prices,
    live_probabilities,
    strengths,
)
from palimpsest_sandbox.live_timeline import (
    HALF_S,
    MatchState,
    Strengths,
    in_play_duration,
    match_state,
    phases_of,
)
from palimpsest_sandbox.markets.model import fair_book

AT = SANDBOX_TEST_INSTANT
WORLD = World(seed=7, size=300, days=14)


def _matches(sport: str, count: int) -> list[WorldEvent]:
    events = [e for e in WORLD.listed_events(Book.SPORTYBET, AT, sport=sport)][:count]
    assert len(events) == count, f"the test world has too few {sport} matches"
    return events


@pytest.mark.parametrize(("sport", "count"), [("football", 12), ("basketball", 4), ("tennis", 4)])
def test_a_match_runs_from_kickoff_to_full_time_and_scores_never_go_down(sport: str, count: int) -> None:
    for event in _matches(sport, count):
        duration = in_play_duration(sport, event.match_seed)
        assert (
            state_at(event, event.played_from - timedelta(seconds=1)) is None
        )  # a delayed match's real start
        assert state_at(event, event.played_from + duration) is None
        previous = (0, 0)
        previous_periods: tuple[tuple[int, int], ...] = ()
        for second in range(0, int(duration.total_seconds()), 60):
            state = state_at(event, event.played_from + timedelta(seconds=second))
            assert state is not None
            assert state.score[0] >= previous[0] and state.score[1] >= previous[1], (event.uid, second)
            assert len(state.period_scores) == abs(state.phase.period)
            for before, now in zip(previous_periods, state.period_scores, strict=False):
                assert now[0] >= before[0] and now[1] >= before[1]
            if sport != "tennis":
                assert state.score == tuple(map(sum, zip(*state.period_scores, strict=True)))
            previous, previous_periods = state.score, state.period_scores
        if (
            sport == "tennis"
        ):  # best of three, seen in the last set: 1:0 after two sets' worth, 1:1 in a third
            assert len(previous_periods) in (2, 3)
            assert sum(previous) == len(previous_periods) - 1 and max(previous) == 1


def test_football_phases_and_clock() -> None:
    for event in _matches("football", 20):
        h1, ht, h2 = phases_of("football", event.match_seed)
        assert (h1.code, ht.code, h2.code) == ("H1", "HT", "H2")
        assert 109 * 60 <= h2.end_s <= 115 * 60
        assert ht.end_s - ht.start_s == 15 * 60
        strength = strengths("football", event.match_seed)
        first = match_state("football", event.match_seed, 0, strength)
        break_ = match_state("football", event.match_seed, ht.start_s, strength)
        restart = match_state("football", event.match_seed, h2.start_s, strength)
        assert first is not None and break_ is not None and restart is not None
        assert (first.minute, first.phase.code, first.period_scores) == (1, "H1", ((0, 0),))
        assert (break_.minute, break_.is_break, break_.game_s) == (45, True, HALF_S)
        assert (restart.minute, restart.phase.code, len(restart.period_scores)) == (46, "H2", 2)
        assert restart.score == break_.score  # stoppage-time goals of the first half still count


def test_states_depend_on_seed_and_instant_only() -> None:
    twin = World(seed=7, size=300, days=14)
    other = World(seed=8, size=300, days=14)
    instants = [AT + timedelta(hours=h) for h in range(0, 72, 3)]
    for at in instants:
        for book in (Book.SPORTYBET, Book.BET9JA):
            ours, theirs = WORLD.in_play_events(book, at), twin.in_play_events(book, at)
            assert [e.uid for e in ours] == [e.uid for e in theirs]
            assert [state_at(e, at) for e in ours] == [state_at(e, at) for e in theirs]
    ours_live = [state_at(e, at) for at in instants for e in WORLD.in_play_events(Book.SPORTYBET, at)]
    other_live = [state_at(e, at) for at in instants for e in other.in_play_events(Book.SPORTYBET, at)]
    assert ours_live and ours_live != other_live


def test_goals_follow_the_price_models_expectation() -> None:
    """Over many matches, full-time goals average what the prematch model expects (its strengths)."""
    seeds = range(1_000, 1_400)
    expected = statistics.fmean(strengths("football", s).home + strengths("football", s).away for s in seeds)
    finals = []
    for seed in seeds:
        last = in_play_duration("football", seed).total_seconds() - 1
        state = match_state("football", seed, last, strengths("football", seed))
        assert state is not None
        finals.append(sum(state.score))
    assert 2.0 < expected < 3.5
    assert abs(statistics.fmean(finals) - expected) < 0.3


def test_live_prices_at_kickoff_agree_with_the_prematch_model() -> None:
    for event in _matches("football", 10):
        state = match_state("football", event.match_seed, 0, strengths("football", event.match_seed))
        assert state is not None
        live = live_probabilities(state, strengths("football", event.match_seed))
        fair = fair_book(event.match_seed, 0, "football")
        for outcome in (1, 2, 3):
            assert abs(live[(1, "", outcome)] - fair[(1, "", outcome)]) < 0.03
        assert abs(sum(live[(1, "", o)] for o in (1, 2, 3)) - 1) < 1e-9


def _state(scores: tuple[tuple[int, int], ...], game_s: int, remaining: float) -> MatchState:
    phase = phases_of("football", 42)[0 if len(scores) == 1 else 2]
    return MatchState("football", phase, game_s, game_s, scores, remaining)


def test_live_prices_follow_the_score_and_the_clock() -> None:
    strength = Strengths(1.5, 1.2)
    level = live_probabilities(_state(((0, 0),), 1_200, 0.8), strength)
    ahead = live_probabilities(_state(((1, 0),), 1_200, 0.8), strength)
    later = live_probabilities(_state(((1, 0), (0, 0)), 4_800, 0.1), strength)
    assert level[(1, "", 1)] < ahead[(1, "", 1)] < later[(1, "", 1)]
    assert (18, "total=1.5", 12) in ahead and (18, "total=0.5", 12) in level  # lines follow the score
    assert (8, "goalnr=2", 6) in ahead
    decided = book_live_prices(
        Book.BET9JA, live_probabilities(_state(((3, 0), (2, 0)), 5_300, 0.0), strength)
    )
    assert decided[(1, "", 1)] is None and decided[(1, "", 3)] is None  # all but decided: closed


@pytest.mark.parametrize("book", [Book.SPORTYBET, Book.BET9JA])
def test_book_live_prices_carry_a_margin_and_close_the_board_in_stoppage_time(book: Book) -> None:
    probabilities = live_probabilities(_state(((0, 0),), 600, 0.9), Strengths(1.4, 1.1))
    prices = book_live_prices(book, probabilities)
    one_x_two = [prices[(1, "", o)] for o in (1, 2, 3)]
    assert all(p is not None and p > 1 for p in one_x_two)
    overround = sum(1 / p for p in one_x_two if p is not None)
    assert 1.02 < overround < 1.15
    stoppage = _state(((0, 0), (0, 0)), 2 * HALF_S + 30, 0.0)
    assert board_closed(stoppage) and not board_closed(_state(((0, 0),), 600, 0.9))
    assert set(book_live_prices(book, probabilities, closed=True).values()) == {None}


def test_only_matches_a_book_listed_until_kickoff_go_live_there() -> None:
    days = [AT + timedelta(hours=h) for h in range(0, 96, 2)]
    seen = 0
    for at in days:
        for book in NIGERIA_BOOKS:
            live = WORLD.in_play_events(book, at)
            listed = {e.uid for e in WORLD.listed_events(book, at)}
            assert not listed & {e.uid for e in live}  # in play means gone from the prematch lists
            for event in live:
                seen += 1
                listing = event.listings[book]
                assert listing.withdrawn_at is None or listing.withdrawn_at >= event.kickoff
                assert event.kickoff <= at < event.in_play_until
                assert WORLD.find_in_play(book, event.event_id(book), at) is event
                assert WORLD.find(book, event.event_id(book), at) is None
    assert seen > 50
    withdrawn = [
        e
        for at in days
        for e in WORLD.listed_events(Book.SPORTYBET, at)
        if e.listings[Book.SPORTYBET].withdrawn_at is not None
    ]
    assert withdrawn and not any(e.in_play(Book.SPORTYBET, e.kickoff) for e in withdrawn)
