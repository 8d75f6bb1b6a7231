"""One record of a book's prices for an event from parser to store (``books.odds_parse.EventOdds``): what a
parse worker process sends back is the parse itself, rows and account alike, on real captured responses."""

from __future__ import annotations

import asyncio
import pickle
from dataclasses import fields
from datetime import UTC, datetime

import orjson

from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.books.wire import no_envelope
from palimpsest_pipeline.records import Book, OddsRow
from palimpsest_pipeline.scrape.odds.parsing import ParseFailure, PayloadParser, parse_body
from palimpsest_pipeline.scrape.odds.players import resolve_event_players
from palimpsest_pipeline_tests.books.payloads import captured

AT = datetime(2026, 5, 6, 9, tzinfo=UTC)
#: (book, capture, SR id): BetPawa names its goalscorers (player_names, unread lines); SportyBet lists its
#: players with their ids (roster); Bet9ja's keys are text of its own.
BODIES = [
    (Book.BETPAWA, "betpawa", "v3_event_sr68995116_prematch.json", 68995116),
    (Book.SPORTYBET, "sportybet", "event_sr71583282_asian_handicap.json", 71583282),
    (Book.BET9JA, "bet9ja", "GetEvent_sr68995116_prematch.json", 68995116),
]
#: What differs between two parses of one body by design: the CPU each took, whether this one's field paths
#: were sampled, and the book's player texts, which stay in the worker (``named_players`` carries them).
_MEASURED = {"cpu_s", "field_paths", "player_names"}


def _account(odds: EventOdds) -> dict[str, object]:
    return {f.name: getattr(odds, f.name) for f in fields(odds) if f.name not in _MEASURED}


def test_a_parse_sent_back_by_a_worker_process_is_the_parse_made_in_place() -> None:
    bodies = [(book, orjson.dumps(captured(folder, name)), sr_id) for book, folder, name, sr_id in BODIES]
    inline = [parse_body(book, body, sr_id=sr_id, captured_at=AT) for book, body, sr_id in bodies]

    async def in_a_worker() -> list[EventOdds | ParseFailure]:
        parser = PayloadParser(1)
        try:
            return [
                await parser.parse(book, body, no_envelope, sr_id=sr_id, captured_at=AT, where="event")
                for book, body, sr_id in bodies
            ]
        finally:
            parser.close()

    for here, there, (book, _body, sr_id) in zip(inline, asyncio.run(in_a_worker()), bodies, strict=True):
        assert isinstance(here, EventOdds) and isinstance(there, EventOdds), (here, there)
        assert len(there.rows) > 100
        assert all(type(row) is OddsRow for row in there.rows)
        assert {(row.sr_id, row.book, row.captured_at) for row in there.rows} == {(sr_id, book, AT)}
        assert there.rows == here.rows
        assert _account(there) == _account(here)
    betpawa, sportybet, _bet9ja = inline
    assert isinstance(betpawa, EventOdds) and isinstance(sportybet, EventOdds)
    assert betpawa.named_players and sportybet.roster  # the records compared carry players both ways


def test_rows_that_are_not_one_events_cross_a_process_as_they_are() -> None:
    """The columns carry one event, book and capture time; rows of several (a test's, a caller's) travel
    whole rather than take the first row's."""
    later = datetime(2026, 5, 6, 9, 5, tzinfo=UTC)
    rows = [
        OddsRow(1, Book.BETPAWA, 1, "", 1, 2.5, "open", AT),
        OddsRow(2, Book.BETPAWA, 1, "", 1, 1.5, "open", AT),
        OddsRow(1, Book.SPORTYBET, 18, "total=2.5", 12, None, "suspended", later),
    ]
    for sent in (rows, rows[:1], rows[:2], []):
        odds = EventOdds(rows=list(sent), open_outcomes=len(sent), other_notes=[("nul_removed", "at data")])
        back = pickle.loads(pickle.dumps(odds))
        assert back.rows == sent and back.open_outcomes == len(sent)
        assert back.notes == (("nul_removed", "at data"),)


def test_players_re_keyed_on_records_that_crossed_a_process_as_on_records_made_in_place() -> None:
    """BetPawa names its 49 goalscorers, SportyBet lists them with ids (test_players): re-keyed on records
    whose rows still wait as columns, the prices land under the same keys as on records made in place."""
    at_home = {
        book: parse_body(book, orjson.dumps(captured(book.value, name)), sr_id=68995116, captured_at=AT)
        for book, name in (
            (Book.BETPAWA, "v3_event_sr68995116_prematch.json"),
            (Book.SPORTYBET, "event_sr68995116_prematch.json"),
        )
    }
    here = {book: odds for book, odds in at_home.items() if isinstance(odds, EventOdds)}
    assert len(here) == 2 and len(here[Book.BETPAWA].named_players) == 49
    there = {book: pickle.loads(pickle.dumps(odds)) for book, odds in here.items()}
    rekeyed_here = resolve_event_players(here)[Book.BETPAWA]
    rekeyed_there = resolve_event_players(there)[Book.BETPAWA]
    assert rekeyed_there.rows == rekeyed_here.rows
    assert _account(rekeyed_there) == _account(rekeyed_here)
    assert sum(row.market == 40 and row.outcome >= 0 for row in rekeyed_there.rows) >= 49  # under SR ids
    assert len(rekeyed_there) == len(rekeyed_here) == len(here[Book.BETPAWA])


def test_named_players_are_the_rows_keyed_by_a_players_name_key_with_their_texts() -> None:
    """A name key is a goalscorer's negative outcome, or a specifier leg starting ``player=-``; a leg that
    only contains it, or a negative outcome of another market, is not one."""
    keys = [
        (18, "total=2.5", 12),  # 0: no player
        (40, "", -7),  # 1: an anytime goalscorer by name key
        (18, "", -7),  # 2: a negative outcome outside the goalscorer markets
        (2000003, "player=-51", 74),  # 3: the specifier's first leg
        (2000003, "market=x|player=-52", 74),  # 4: a later leg
        (2000003, "market=x|xplayer=-53", 74),  # 5: inside a leg, not starting it
        (2000003, "market=player=-54", 74),  # 6: inside the first leg
        (2000003, "player=5", 74),  # 7: a player by id
    ]
    rows = [
        OddsRow(1, Book.BETPAWA, market, specifier, outcome, 2.0, "open", AT)
        for market, specifier, outcome in keys
    ]
    odds = EventOdds(
        rows=rows, player_names={(40, "", -7): "K. Mbappe", (2000003, "player=-51", 74): "Vini Jr"}
    )
    assert odds.find_named_players() == ((1, "K. Mbappe"), (3, "Vini Jr"), (4, ""))
    assert EventOdds(rows=rows[:1] + rows[5:]).find_named_players() == ()
    assert EventOdds(rows=rows[2:3]).find_named_players() == ()
