"""In-play suspension against the sandbox over real sockets and a real warehouse, compared with the world's
truth (``live_coverage.suspension_truth`` and ``phase_at``): Monday evening's football polled every 30 s
from 18:10 to 19:20 on Nigeria's five books (the 17:00 kick-offs' second halves, the 17:30 one's first
half's end, half time and second half, the first halves of the 19:00 and 19:15 ones) and from 19:30 to
20:08 on Betika as Ghana's (the first half's end, half time and the second half of its 19:00 match), goals
and each book's spells after them included, and a spell forced on Bet9ja for one match through the control
API showing on that book only."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

import httpx
import psycopg
import pytest

from palimpsest_pipeline.markets.families import market_family
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.transforms.inplay_suspension import AFTER_GOAL
from palimpsest_pipeline_tests.fixtures_sandbox import SANDBOX_TEST_INSTANT
from palimpsest_pipeline_tests.scrape.live_polls import poll_through
from palimpsest_sandbox import SandboxHandle, WorldEvent
from palimpsest_sandbox.live_coverage import ForcedSuspensions, phase_at, suspension_truth

POLL = timedelta(seconds=30)
START = SANDBOX_TEST_INSTANT.replace(hour=18, minute=10)
INSTANTS = [START + POLL * n for n in range(141)]  # 18:10 to 19:20
GHANA_START = START.replace(hour=19, minute=30)
#: The instants each site country is polled at (Ghana's: Betika's goals, half time and second halves).
POLLED = {"ng": INSTANTS, "gh": [GHANA_START + POLL * n for n in range(77)]}  # gh: 19:30 to 20:08
#: The books whose live rows carry each line's market, the score and the half, by the site country polled.
HALF_BOOKS = {
    "ng": (Book.SPORTYBET, Book.BETPAWA, Book.BET9JA, Book.BETWAY),
    "gh": (Book.BETIKA,),
}
#: MSport's rows carry no half: it takes the other books' of its country where they show the match.
READ_BOOKS = {"ng": (*HALF_BOOKS["ng"], Book.MSPORT), "gh": HALF_BOOKS["gh"]}
FORCED_BOOK = Book.BET9JA
FORCED_AT = START.replace(hour=19, minute=5)
FORCED_S = 120

Key = tuple[str, str, str, str, str]  # site country, kick-off date, book, family, phase


def _expected(
    sandbox: SandboxHandle, forced: ForcedSuspensions
) -> tuple[dict[Key, list[int]], dict[Key, set[int]]]:
    """The world's lines observed and suspended, and matches, per row of analytics.inplay_suspension: each
    football match on a read book's live list at each poll whose list showed it 3 minutes before too (the
    earlier score the phase needs), in the world's phase at the poll; MSport's only where a goal places it
    or another book of its country shows the match (the half its row lacks)."""
    counts: dict[Key, list[int]] = defaultdict(lambda: [0, 0])
    matches: dict[Key, set[int]] = defaultdict(set)
    for country, books in READ_BOOKS.items():
        polled = set(POLLED[country])
        for at, book in ((at, book) for at in POLLED[country] for book in books):
            before = at - AFTER_GOAL
            for event in _football_live(sandbox, book, at):
                if before not in polled or event not in _football_live(sandbox, book, before):
                    continue
                phase = phase_at(event, at, int(AFTER_GOAL.total_seconds()))
                assert phase is not None
                named = book in HALF_BOOKS[country] or any(
                    event in _football_live(sandbox, other, at) for other in HALF_BOOKS[country]
                )
                if phase != "after_goal" and not named:
                    continue  # no half on the row nor on another book's: set aside
                day = event.kickoff.date().isoformat()
                for market, (lines, suspended) in suspension_truth(event, book, at, forced).items():
                    key = (country, day, book.value, market_family(market, ""), phase)
                    counts[key][0] += lines
                    counts[key][1] += suspended
                    matches[key].add(event.sr_id)
    return counts, matches


def _football_live(sandbox: SandboxHandle, book: Book, at: datetime) -> list[WorldEvent]:
    return [
        e
        for e in sandbox.world.live_events(book, at)
        if e.sport == "football" and e.visible_sr_id(book) is not None
    ]


@pytest.mark.drill  # polls through kick-offs on two countries: make test-slow
@pytest.mark.slow
def test_inplay_suspension_matches_the_worlds_truth(
    sandbox_clock: SandboxHandle, warehouse_url: str, warehouse_conn: psycopg.Connection
) -> None:
    sandbox = sandbox_clock
    # the 19:00 kick-off in its first half (the earlier matches' boards are closed in stoppage time by then)
    target = next(e for e in _football_live(sandbox, FORCED_BOOK, FORCED_AT) if e.kickoff.hour == 19)
    control = f"http://127.0.0.1:{sandbox.port}/_sandbox/live_suspensions"
    forced = ForcedSuspensions()
    forced.add(target.sr_id, FORCED_BOOK, FORCED_AT, FORCED_S)
    before = [at for at in INSTANTS if at < FORCED_AT]
    after = [at for at in INSTANTS if at >= FORCED_AT]
    spell = {"sr_id": target.sr_id, "book": FORCED_BOOK.value, "seconds": FORCED_S}
    try:
        assert poll_through(sandbox, warehouse_url, before, [], lambda _failing: None) == len(before)
        sandbox.set_clock(FORCED_AT, frozen=True)
        assert httpx.post(control, json=spell).status_code == 200
        assert poll_through(sandbox, warehouse_url, after, [], lambda _failing: None) == len(after)
        ghana = POLLED["gh"]
        stored = poll_through(
            sandbox, warehouse_url, ghana, [], lambda _f: None, country="gh", books=READ_BOOKS["gh"]
        )
        assert stored == len(ghana)
    finally:
        httpx.delete(control)
    counts, matches = _expected(sandbox, forced)
    stored = {
        (country, str(d), book, family, phase): (observed, suspended, n)
        for country, d, book, family, phase, observed, suspended, n in warehouse_conn.execute(
            "SELECT site_country, kickoff_date, book, market_family, phase, lines_observed,"
            " lines_suspended, matches FROM analytics.inplay_suspension"
        ).fetchall()
    }
    expected = {
        key: (observed, suspended, len(matches[key])) for key, (observed, suspended) in counts.items()
    }
    assert stored == expected
    every_phase = {"first_half", "half_time", "second_half", "after_goal"}
    for book in Book:  # every book in all four phases, suspended lines after goals
        assert {key[4] for key in expected if key[2] == book.value} == every_phase, book
        assert any(v[1] > 0 for k, v in counts.items() if k[2] == book.value and k[4] == "after_goal"), book

    # the forced spell shows on Bet9ja only: without it, Bet9ja's figures differ, the other books' do not
    plain, _ = _expected(sandbox, ForcedSuspensions())
    for other in Book:
        if other is not FORCED_BOOK:
            assert {k: v for k, v in plain.items() if k[2] == other.value} == {
                k: v for k, v in counts.items() if k[2] == other.value
            }, other
    assert sum(v[1] for k, v in counts.items() if k[2] == FORCED_BOOK.value) > sum(
        v[1] for k, v in plain.items() if k[2] == FORCED_BOOK.value
    )
