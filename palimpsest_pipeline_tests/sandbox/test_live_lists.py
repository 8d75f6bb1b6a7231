"""The world's live coverage and the sandbox's live lists: books go live late or never (BetPawa least, minor
competitions less), some matches drop off mid-match, and a gap made through the control API hides a match
from that book's live list only, for the seconds asked."""

from __future__ import annotations

from datetime import date, timedelta

import httpx

from palimpsest_pipeline.records import Book
from palimpsest_pipeline_tests.fixtures_sandbox import SANDBOX_TEST_INSTANT
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_sandbox import SandboxHandle, World, WorldEvent
from palimpsest_sandbox.live_coverage import covers_live, drop_intervals, live_start


def _week() -> list[WorldEvent]:
    world = World(seed=3, size=1_000, days=14)
    return [e for d in range(7) for e in world._day(date(2026, 5, 4) + timedelta(days=d))]


def test_betpawa_covers_fewest_matches_live_and_minor_competitions_less() -> None:
    events = _week()
    share = {}
    for book in NIGERIA_BOOKS:
        listed = [e for e in events if book in e.listings and e.listings[book].withdrawn_at is None]
        share[book] = sum(covers_live(e, book) for e in listed) / len(listed)
    assert share[Book.BETPAWA] < share[Book.BET9JA] < share[Book.SPORTYBET]
    top = [e for e in events if Book.BETPAWA in e.listings and e.tournament.weight >= 0.8]
    minor = [e for e in events if Book.BETPAWA in e.listings and e.tournament.weight <= 0.4]
    assert sum(covers_live(e, Book.BETPAWA) for e in top) / len(top) > 0.8
    assert sum(covers_live(e, Book.BETPAWA) for e in minor) / len(minor) < 0.6


def test_live_on_follows_the_gap_intervals_and_some_matches_drop_mid_match() -> None:
    events = _week()
    dropped = 0
    for event in events[:400]:
        for book in NIGERIA_BOOKS:
            start = live_start(event, book)
            if start is None:
                assert event.live_gap_intervals(book) == ((event.played_from, event.in_play_until),)
                continue
            assert 5 <= (start - event.played_from).total_seconds() <= 420  # from the real kick-off
            assert not event.live_on(book, start - timedelta(seconds=1)) and event.live_on(book, start) == (
                not any(b <= start < e for b, e in drop_intervals(event, book))
            )
            for begin, end in drop_intervals(event, book):
                dropped += 1
                assert event.played_from < begin < end <= event.in_play_until
                assert not event.live_on(book, begin) and not event.live_on(book, end - timedelta(seconds=1))
                assert event.live_on(book, begin - timedelta(seconds=1))
            assert not event.live_on(book, event.in_play_until)
    assert dropped > 10


def test_a_gap_made_through_the_control_api_hides_the_match_for_the_seconds_asked(
    sandbox_clock: SandboxHandle,
) -> None:
    at = SANDBOX_TEST_INSTANT.replace(hour=18, minute=30)
    sandbox_clock.set_clock(at, frozen=True)
    control = f"http://127.0.0.1:{sandbox_clock.port}/_sandbox/live_gaps"
    sporty = sandbox_clock.base_urls[Book.SPORTYBET] + "liveOrPrematchEvents"

    def sporty_live() -> set[str]:
        data = httpx.get(sporty, params={"sportId": "sr:sport:1"}).json()["data"]
        return {event["eventId"] for tournament in data for event in tournament["events"]}

    try:
        assert "sr:match:27400007" in sporty_live()
        made = httpx.post(control, json={"sr_id": 27400007, "book": "sportybet", "seconds": 60})
        assert made.json() == {
            "sr_id": 27400007,
            "book": "sportybet",
            "start": "2026-05-04T18:30:00+00:00",
            "end": "2026-05-04T18:31:00+00:00",
        }
        assert "sr:match:27400007" not in sporty_live()
        sandbox_clock.set_clock(at + timedelta(seconds=60), frozen=True)
        assert "sr:match:27400007" in sporty_live()
        assert httpx.post(control, json={"sr_id": 1, "book": "nobody", "seconds": 5}).status_code == 400
    finally:
        httpx.delete(control)
