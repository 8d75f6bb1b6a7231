"""The match minute of SportyBet's, MSport's, Betway's and Betika's live rows: read from the real captures
(hand-read figures), set aside where a clock is unreadable or its two copies disagree (the row still counts),
and, on the sandbox's live lists over real sockets, equal to the world's match minute."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from palimpsest_pipeline.books.betika.live import parse_live_list as parse_betika
from palimpsest_pipeline.books.betway.live import live_minute as betway_minute
from palimpsest_pipeline.books.msport.live import live_minute as msport_minute
from palimpsest_pipeline.books.payload import Node
from palimpsest_pipeline.books.sports import sport_by_key
from palimpsest_pipeline.books.sportybet.live import live_minute as sportybet_minute
from palimpsest_pipeline.records import Book, LiveEvent
from palimpsest_pipeline.scrape.live import ask_book, live_clients
from palimpsest_pipeline_tests.books.payloads import captured
from palimpsest_pipeline_tests.fixtures_sandbox import fast_book_settings
from palimpsest_sandbox import SandboxHandle
from palimpsest_sandbox.live_coverage import state_at

NAIROBI = ZoneInfo("Africa/Nairobi")
BOOKS = (Book.SPORTYBET, Book.MSPORT, Book.BETWAY, Book.BETIKA)


def _node(book: Book, value: Any) -> Node:
    return Node(book, "live", value)


def test_the_captured_live_clocks_give_the_match_minute() -> None:
    # hand-read: SportyBet "90:00" (held in stoppage) is the 91st minute; MSport 90'00" plus 5'51" of
    # stoppage is 95'51" as its totalPlayedTime says, the 96th; Betway's 90 in the "2nd half"; Betika's
    # match_time "35:51", the 36th
    sporty = captured("sportybet", "event_sr67645534_live.json")["data"]
    assert sportybet_minute(_node(Book.SPORTYBET, sporty)) == 91
    msport = captured("msport", "match_detail_sr67645534_live.json")["data"]
    assert msport_minute(_node(Book.MSPORT, msport)) == 96
    betway = captured("betway", "event_state_sr67645534_live.json")["sportEvent"]
    assert betway_minute(_node(Book.BETWAY, betway)) == 90
    rows, bad, _ = parse_betika(
        captured("betika", "matches_sr71463790_live.json"), sport_by_key("football"), NAIROBI
    )
    assert bad == [] and [(r.event.sr_id, r.minute) for r in rows] == [(71463790, 36)]


def test_a_clock_unreadable_or_disagreeing_with_itself_is_set_aside_and_the_row_counts() -> None:
    msport = captured("msport", "match_detail_sr67645534_live.json")["data"]
    assert msport_minute(_node(Book.MSPORT, msport | {"totalPlayedTime": "94'51\""})) is None  # disagree
    assert msport_minute(_node(Book.MSPORT, msport | {"stoppagePlayedTime": "5 min"})) is None
    assert msport_minute(_node(Book.MSPORT, msport | {"totalPlayedTime": None})) is None
    quiet = msport | {"playedTime": "12'30\"", "stoppagePlayedTime": None, "totalPlayedTime": "12'30\""}
    assert msport_minute(_node(Book.MSPORT, quiet)) == 13
    betway = captured("betway", "event_state_sr67645534_live.json")["sportEvent"]
    clock = betway["gameStateTimeScore"]
    first_half = {"gameStateTimeScore": clock | {"state": "1st half"}}  # 90 in the first half: disagree
    assert betway_minute(_node(Book.BETWAY, betway | first_half)) is None
    assert betway_minute(_node(Book.BETWAY, betway | {"gameStateTimeScore": clock | {"time": "90"}})) is None
    sporty = captured("sportybet", "event_sr67645534_live.json")["data"]
    for bad in ("90", "90:75", 5400, None, "x" * 2_000):
        assert sportybet_minute(_node(Book.SPORTYBET, sporty | {"playedSeconds": bad})) is None
    page = captured("betika", "matches_sr71463790_live.json")
    page = page | {"data": [page["data"][0] | {"match_time": "35m"}]}
    rows, bad_rows, _ = parse_betika(page, sport_by_key("football"), NAIROBI)
    assert bad_rows == [] and [(r.event.sr_id, r.minute) for r in rows] == [(71463790, None)]


def _live_rows(sandbox: SandboxHandle) -> dict[Book, list[LiveEvent]]:
    async def read() -> dict[Book, list[LiveEvent]]:
        settings = fast_book_settings(sandbox, BOOKS[:3]) | fast_book_settings(
            sandbox,
            (Book.BETIKA,),
            site_country="ke",  # Betika has no Nigerian edition: Kenya's reads the world
        )
        async with live_clients(settings) as clients:
            answers = await asyncio.gather(
                *(ask_book(client, ["football", "basketball"]) for client in clients.values())
            )
        return {answer.book: answer.events or [] for answer in answers}

    return asyncio.run(read())


def test_the_sandbox_live_rows_carry_the_worlds_match_minute(sandbox_clock: SandboxHandle) -> None:
    checked = dict.fromkeys(BOOKS, 0)
    instants = [datetime(2026, 5, 4, 18, 3, 20, tzinfo=UTC)] + [
        datetime(2026, 5, 4, hour, minute, tzinfo=UTC) for hour in (17, 18, 19, 20) for minute in (10, 40)
    ]
    for at in instants:
        sandbox_clock.set_clock(at, frozen=True)
        by_sr = {e.sr_id: e for book in BOOKS for e in sandbox_clock.world.live_events(book, at)}
        for book, rows in _live_rows(sandbox_clock).items():
            assert {r.event.sr_id for r in rows} == {
                e.sr_id for e in sandbox_clock.world.live_events(book, at)
            }
            for row in rows:
                event = by_sr[row.event.sr_id or 0]
                state = state_at(event, at)
                assert state is not None
                regular = state.phase.code in ("H1", "H2") and state.game_s < abs(state.phase.period) * 2_700
                if event.sport == "football" and regular:
                    assert row.minute == state.minute, (book, event.sr_id, row.minute, state.minute)
                    checked[book] += 1
                elif book is Book.BETWAY:
                    assert row.minute is None  # Betway's clock is read for football's halves only
                else:
                    assert row.minute is not None
    assert all(checked.values()), checked
    early = [
        e
        for e in sandbox_clock.world.live_events(Book.SPORTYBET, datetime(2026, 5, 4, 18, 3, 20, tzinfo=UTC))
        if e.played_from > datetime(2026, 5, 4, 18, 3, 20, tzinfo=UTC) - timedelta(minutes=5)
    ]
    assert early  # some rows are read in the first five minutes, where a late start's reason is decided
