"""The synthetic world: deterministic, realistic shares, and moving with the clock as specified."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from palimpsest_pipeline.records import Book
from palimpsest_pipeline_tests.fixtures_sandbox import SANDBOX_TEST_INSTANT
from palimpsest_sandbox import World

#: The books the world's day stream lists.
FIRST_BOOKS = (Book.BETPAWA, Book.SPORTYBET, Book.BET9JA)

AT = SANDBOX_TEST_INSTANT


def _ids(world: World, book: Book, at: datetime) -> set[int]:
    return {event.uid for event in world.listed_events(book, at)}


def test_same_seed_and_instant_give_the_same_world() -> None:
    first, second = World(seed=3, size=400, days=14), World(seed=3, size=400, days=14)
    for book in FIRST_BOOKS:
        assert first.listed(book, AT) == second.listed(book, AT)
    assert first.listed(Book.BETPAWA, AT) != World(seed=4, size=400, days=14).listed(Book.BETPAWA, AT)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_share_of_events_on_all_three_books_is_realistic(seed: int) -> None:
    world = World(seed=seed, size=1_000, days=14)
    listed = {book: _ids(world, book, AT) for book in FIRST_BOOKS}
    union = set().union(*listed.values())
    on_all = set.intersection(*listed.values())
    assert 0.75 <= len(on_all) / len(union) <= 0.86
    for book in FIRST_BOOKS:  # each book lists about `size`
        assert 850 <= len(listed[book]) <= 1_150, book
        assert listed[book] - on_all, f"{book} lists nothing of its own"


def test_size_scales_to_benchmark_volumes() -> None:
    world = World(seed=1, size=3_000, days=14)
    counts = {book: len(world.listed_events(book, AT)) for book in FIRST_BOOKS}
    assert all(2_600 <= count <= 3_400 for count in counts.values()), counts


def test_events_are_realistic() -> None:
    world = World(seed=5, size=1_000, days=14)
    events = world.listed_events(Book.SPORTYBET, AT)
    sports = [event.sport for event in events]
    assert sports.count("football") > 0.75 * len(events)
    assert sports.count("basketball") > 0 and sports.count("tennis") > 0
    assert all(AT < event.kickoff <= AT + timedelta(days=14) for event in events)
    weekend = sum(event.kickoff.weekday() >= 5 for event in events)
    assert weekend > 0.35 * len(events)  # 2 of 7 days hold well over 2/7 of the matches
    sr_ids = [event.sr_id for event in events]
    assert len(sr_ids) == len(set(sr_ids))
    assert all(10_000_000 <= sr_id <= 99_999_999 for sr_id in sr_ids)
    # A few listings show no SportRadar id (BetPawa without the widget, Bet9ja without EXTID).
    pawa = [e.record(Book.BETPAWA) for e in world.listed_events(Book.BETPAWA, AT)]
    b9 = [e.record(Book.BET9JA) for e in world.listed_events(Book.BET9JA, AT)]
    assert 0 < sum(e.sr_id is None for e in pawa) < 0.05 * len(pawa)
    assert 0 < sum(e.sr_id is None for e in b9) < 0.05 * len(b9)


def test_books_spell_names_differently() -> None:
    world = World(seed=5, size=1_000, days=14)
    events = world.listed_events(Book.SPORTYBET, AT)
    home_differs = sum(len({event.home[book] for book in FIRST_BOOKS}) > 1 for event in events)
    league_differs = sum(
        event.tournament.spellings[Book.BET9JA] != event.tournament.spellings[Book.SPORTYBET]
        for event in events
    )
    assert home_differs > 0.2 * len(events)
    assert league_differs > 0.1 * len(events)
    assert any(name.endswith(" FC") for event in events for name in (event.home[Book.SPORTYBET],))
    assert any("Utd" in event.home[Book.BET9JA] for event in events)


def test_an_event_leaves_the_lists_at_kickoff_and_appears_before_it() -> None:
    world = World(seed=5, size=500, days=14)
    event = world.listed_events(Book.BETPAWA, AT)[0]  # the next to kick off
    just_before = event.kickoff - timedelta(seconds=1)
    assert event.uid in _ids(world, Book.BETPAWA, just_before)
    assert event.uid not in _ids(world, Book.BETPAWA, event.kickoff)
    assert world.find(Book.BETPAWA, event.event_id(Book.BETPAWA), event.kickoff) is None
    assert world.find(Book.BETPAWA, event.event_id(Book.BETPAWA), just_before) is event
    appear = event.listings[Book.BETPAWA].appear_at
    assert event.uid not in _ids(world, Book.BETPAWA, appear - timedelta(minutes=1))


def test_clock_moving_changes_lists_consistently() -> None:
    world = World(seed=5, size=500, days=14)
    later = AT + timedelta(days=2)
    before, after = _ids(world, Book.SPORTYBET, AT), _ids(world, Book.SPORTYBET, later)
    assert before - after and after - before  # matches kicked off, new ones were announced
    fresh = World(seed=5, size=500, days=14)  # a world that never saw AT answers `later` the same
    assert _ids(fresh, Book.SPORTYBET, later) == after


def test_some_events_are_withdrawn_before_kickoff() -> None:
    world = World(seed=5, size=1_000, days=14)
    withdrawn = [
        event
        for event in world.listed_events(Book.BET9JA, AT)
        if event.listings[Book.BET9JA].withdrawn_at is not None
    ]
    assert withdrawn
    event = withdrawn[0]
    gone = event.listings[Book.BET9JA].withdrawn_at
    assert gone is not None and gone < event.kickoff
    assert event.uid not in _ids(world, Book.BET9JA, gone)


def test_ground_truth_records_use_each_books_ids() -> None:
    world = World(seed=5, size=300, days=14)
    event = next(e for e in world.listed_events(Book.SPORTYBET, AT) if len(e.listings) == 3 and e.sr_id)
    sporty, pawa, b9 = (event.record(book) for book in (Book.SPORTYBET, Book.BETPAWA, Book.BET9JA))
    assert sporty.event_id == f"sr:match:{event.sr_id}"
    assert pawa.event_id.isdigit() and b9.event_id.isdigit() and pawa.event_id != b9.event_id
    assert sporty.kickoff == pawa.kickoff == b9.kickoff and sporty.kickoff.tzinfo is UTC
    assert sporty.tournament_id.startswith("sr:tournament:")


def test_genius_sourced_events_link_betpawa_through_the_genius_id_only() -> None:
    world = World(seed=5, size=1_000, days=14)
    events = world.listed_events(Book.SPORTYBET, AT)
    sourced = [e for e in events if e.genius_sourced]
    assert 0 < len(sourced) < 0.15 * len(events)
    for event in sourced:
        sporty = event.record(Book.SPORTYBET)
        assert sporty.sr_id == event.sr_id and sporty.event_id == f"sr:match:{event.sr_id}"
        assert sporty.genius_id == event.genius_id == event.record(Book.BETPAWA).genius_id
    # Some BetPawa listings carry the Genius id but no SR id: linkable only through SportyBet's Genius feed.
    genius_only = [e for e in sourced if e.record(Book.BETPAWA).sr_id is None]
    assert genius_only
    # Bet9ja knows no Genius ids; SportyBet shows one only when its feed is Genius.
    assert all(e.record(Book.BET9JA).genius_id is None for e in events)
    assert all(e.record(Book.SPORTYBET).genius_id is None for e in events if not e.genius_sourced)


def test_books_spell_tournaments_and_countries_their_own_way() -> None:
    world = World(seed=5, size=1_000, days=14)
    names = {book: {t.spellings[book] for t in world.tournaments} for book in FIRST_BOOKS}
    # SportyBet keeps SportRadar's names; the others add sponsors, markers, country prefixes, years.
    assert {t.spellings[Book.SPORTYBET] for t in world.tournaments} == {t.name for t in world.tournaments}
    assert any(name.startswith("England ") for name in names[Book.BET9JA] | names[Book.BETPAWA])
    assert any("(W)" in name for name in names[Book.BET9JA])
    assert any(name.endswith(" 2026") for name in names[Book.BET9JA])
    assert any("Sky Bet" in name or "EA Sports" in name for name in names[Book.BETPAWA] | names[Book.BET9JA])
    korea = next(t for t in world.tournaments if t.country == "Korea Republic")
    assert korea.country_spellings == {
        Book.SPORTYBET: "Korea Republic",
        Book.BETPAWA: "South Korea",
        Book.BET9JA: "Republic of Korea",
        Book.MSPORT: "Korea Republic",  # SportRadar's names, as SportyBet
        Book.BETWAY: "Korea Republic",
        Book.BETIKA: "Korea Republic",
    }
    # A spelling never merges two tournaments of one country on one book.
    for book in FIRST_BOOKS:
        keys = [(t.sport, t.country, t.spellings[book]) for t in world.tournaments]
        assert len(keys) == len(set(keys)), book
