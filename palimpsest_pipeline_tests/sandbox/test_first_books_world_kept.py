"""Serving MSport and Betway leaves the first three books' world as it was: their matches, listings, names,
ids, depths, price versions, live coverage and prices hash to the digest the sandbox gave before the new
books existed (computed with this code on main at 04a1602, before MSport and Betway were served). The start
cases (start_cases.py: reschedules, delayed matches) came later, drawn from keys of their own: with each
match's case taken away the world hashes the same, so they change nothing but their own matches."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from palimpsest_pipeline.records import Book
from palimpsest_sandbox import World, WorldEvent
from palimpsest_sandbox.live_coverage import drop_intervals, live_start
from palimpsest_sandbox.markets.pricing import book_prices

FIRST_BOOKS = (Book.BETPAWA, Book.SPORTYBET, Book.BET9JA)
#: The digest below, from the sandbox without MSport and Betway (main at 04a1602).
DIGEST_BEFORE_NEW_BOOKS = "a80be9cc3dabf0f2e9ee8afd6d8823d4572a87c56e7786eeff9a18498e47d554"
AT = datetime(2026, 5, 4, 12, tzinfo=UTC)


def _without_case(event: WorldEvent) -> WorldEvent:
    """The match as it would be without its start case: its first kick-off, played on time."""
    kickoff = event.kickoff if event.rescheduled is None else event.rescheduled.listed_before
    return replace(event, kickoff=kickoff, rescheduled=None, play_delay=timedelta(0))


def _digest(world: World) -> str:
    h = hashlib.sha256()
    h.update(repr(round(world._base_per_day, 9)).encode())
    for day in range(7):
        for e in map(_without_case, world._day(date(2026, 5, 4) + timedelta(days=day))):
            listed = [
                (b.value, e.listings[b].appear_at.isoformat(), str(e.listings[b].withdrawn_at))
                for b in FIRST_BOOKS
                if b in e.listings
            ]
            shown = [
                (
                    e.home[b],
                    e.away[b],
                    e.event_id(b),
                    e.tournament.spellings[b],
                    e.tournament.country_spellings[b],
                    e.tournament.tournament_id(b),
                    e.tournament.country_id(b),
                    round(e.depth(b), 9),
                    e.price_version(b, AT),
                    str(live_start(e, b)),
                    drop_intervals(e, b),
                )
                for b in FIRST_BOOKS
            ]
            row = (
                e.uid,
                e.sr_id,
                e.kickoff.isoformat(),
                e.sport,
                e.tournament.key,
                e.prominence,
                e.genius_id,
            )
            h.update(repr((*row, listed, shown)).encode())
    for e in world._day(date(2026, 5, 6))[:20]:
        for b in FIRST_BOOKS:
            h.update(repr(sorted(book_prices(b, e.match_seed, 3, e.sport, e.depth(b)).items())).encode())
    return h.hexdigest()


def test_the_first_books_world_is_what_it_was_before_msport_and_betway() -> None:
    world = World(seed=7, size=300, days=14)
    assert _digest(world) == DIGEST_BEFORE_NEW_BOOKS
    week = [e for d in range(7) for e in world._day(date(2026, 5, 4) + timedelta(days=d))]
    for book in (Book.MSPORT, Book.BETWAY):  # and the new books list most of those matches
        assert 0.6 < sum(book in e.listings for e in week) / len(week) < 0.9
    moved = sum(e.rescheduled is not None for e in week) / len(week)
    delayed = sum(e.play_delay > timedelta(0) for e in week) / len(week)
    assert 0.005 < moved < 0.04 and 0.01 < delayed < 0.06, (moved, delayed)  # modest shares of each case
