"""The parse pool's byte budget: the capture dispatches no new event while bodies above the budget wait."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.books.wire import no_envelope
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.odds.parsing import PayloadParser

CAPTURED = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "captured"
BODY = CAPTURED / "betpawa" / "v4_event_sr67691078_prematch.json"
AT = datetime(2026, 5, 6, 9, tzinfo=UTC)


def test_room_comes_only_once_the_waiting_bodies_are_parsed() -> None:
    if not BODY.exists():
        pytest.skip(f"captured responses not available ({BODY} is absent: ../shared is not mounted)")
    body = BODY.read_bytes()

    async def scenario() -> None:
        parser = PayloadParser(1, backlog_bytes=len(body) // 2)
        try:
            await parser.warm_up()
            await parser.wait_for_room()  # nothing waiting: room at once
            parse = asyncio.create_task(
                parser.parse(Book.BETPAWA, body, no_envelope, sr_id=67691078, captured_at=AT, where="event")
            )
            await asyncio.sleep(0)  # the parse has handed its body over
            assert parser.backlog == len(body)
            room = asyncio.create_task(parser.wait_for_room())
            order: list[str] = []
            parse.add_done_callback(lambda _: order.append("parsed"))
            room.add_done_callback(lambda _: order.append("room"))
            await asyncio.gather(parse, room)
            assert order == ["parsed", "room"]  # the dispatch was held until the body was parsed
            assert parser.backlog == 0 and parser.peak_backlog == len(body)
            parsed = parse.result()
            assert isinstance(parsed, EventOdds) and len(parsed) > 100
        finally:
            parser.close()

    asyncio.run(scenario())
