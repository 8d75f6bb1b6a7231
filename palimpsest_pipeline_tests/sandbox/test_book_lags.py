"""Who moves first in the sandbox: every book replays the feed's moves its own lag behind, the same way."""

from __future__ import annotations

from datetime import timedelta

from palimpsest_pipeline.records import Book
from palimpsest_pipeline_tests.fixtures_sandbox import SANDBOX_TEST_INSTANT
from palimpsest_sandbox.markets import book_prices
from palimpsest_sandbox.markets.book_lags import book_lag
from palimpsest_sandbox.world import World
from palimpsest_sandbox.world_event import WorldEvent

STEP = timedelta(seconds=10)
MAIN_KEYS = [(1, "", 1), (1, "", 2), (1, "", 3), (18, "total=2.5", 12), (18, "total=2.5", 13)]


def test_sportybet_leads_bet9ja_follows_in_minutes_and_betpawa_later_or_far_behind() -> None:
    seeds = range(2_000)
    assert {book_lag(Book.SPORTYBET, s) for s in seeds} == {timedelta(0)}
    bet9ja = [book_lag(Book.BET9JA, s) for s in seeds]
    assert min(bet9ja) >= timedelta(minutes=2) and max(bet9ja) <= timedelta(minutes=5)
    betpawa = [book_lag(Book.BETPAWA, s) for s in seeds]
    slow = [lag for lag in betpawa if lag > timedelta(minutes=30)]
    assert all(timedelta(minutes=7) <= lag <= timedelta(minutes=12) for lag in betpawa if lag not in slow)
    assert all(timedelta(minutes=45) <= lag <= timedelta(minutes=55) for lag in slow)
    assert 0.15 < len(slow) / len(betpawa) < 0.25


def _changes(event: WorldEvent, book: Book, key: tuple[int, str, int]) -> list[tuple[timedelta, int]]:
    """(instant after the first, direction) of each change of ``key``'s open price on ``book``, sampled
    every STEP over the hour before kick-off."""
    start = event.kickoff - timedelta(hours=1)
    previous: float | None = None
    changes = []
    for k in range(int(timedelta(hours=1) / STEP)):
        at = start + k * STEP
        quoted = book_prices(book, event.match_seed, event.price_version(book, at), event.sport)
        price, state = quoted.get(key, (None, "closed"))
        if state == "open" and price is not None:
            if previous is not None and price != previous:
                changes.append((at - start, 1 if price > previous else -1))
            previous = price
    return changes


def test_each_book_replays_the_leaders_moves_its_lag_later_in_the_same_direction() -> None:
    """Sampled every 10 s: every move a follower shows, SportyBet showed its lag earlier (within a sample),
    the same way (a follower may show fewer: its coarser rounding can swallow a small move)."""
    world = World(seed=5, size=150, days=2)
    events = [
        e
        for e in world.listed_events(Book.SPORTYBET, SANDBOX_TEST_INSTANT, sport="football")
        if len(e.listings) == 3
    ][:2]
    compared = 0
    for event in events:
        for key in MAIN_KEYS:
            leader = set(_changes(event, Book.SPORTYBET, key))
            for follower in (Book.BET9JA, Book.BETPAWA):
                shift = book_lag(follower, event.match_seed)
                for moved, direction in _changes(event, follower, key):
                    if moved - shift > STEP:  # the leader's move fell inside the sampled hour
                        assert any(abs(moved - shift - at) < STEP and d == direction for at, d in leader), (
                            event.uid,
                            key,
                            follower,
                            moved,
                        )
                        compared += 1
    assert compared >= 10
