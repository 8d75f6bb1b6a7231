"""Each book's in-play event detail through the capture engine's live requests against the sandbox over real
sockets: what the pipeline reads open is exactly the world's live lines at that instant
(``live_coverage.live_lines`` less the suspended lines and closed outcomes), for every book; a match over
answers as gone (Betika's empty answer proves nothing: failed)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.odds.engine import capture_odds
from palimpsest_pipeline.scrape.odds.model import CaptureOptions, CaptureTarget
from palimpsest_pipeline_tests.fixtures_sandbox import fast_book_settings
from palimpsest_sandbox import SandboxHandle, WorldEvent
from palimpsest_sandbox.live_coverage import live_lines

LIVE = CaptureOptions(live=True, parse_workers=0)


def _live_at(sandbox: SandboxHandle, book: Book, minutes: int) -> WorldEvent:
    """A football match with its SR id on ``book`` that the book shows live ``minutes`` after kick-off."""
    return next(
        e
        for e in sandbox.world.listed_events(book, sandbox.now(), sport="football")
        if e.visible_sr_id(book) and e.live_on(book, e.kickoff + timedelta(minutes=minutes))
    )


@pytest.mark.parametrize("book", list(Book), ids=lambda book: book.value)
def test_the_live_detail_read_open_is_the_worlds_live_board(sandbox_clock: SandboxHandle, book: Book) -> None:
    sandbox = sandbox_clock
    event = _live_at(sandbox, book, 20)
    at = sandbox.set_clock(event.kickoff + timedelta(minutes=20), frozen=True)
    target = CaptureTarget(event.sr_id, event.kickoff, {book: event.event_id(book)})
    country = {"site_country": "gh"} if book is Book.BETIKA else {}  # Betika has no Nigerian edition
    settings = fast_book_settings(sandbox, (book,), **country)
    result = asyncio.run(capture_odds([target], settings, now=at, options=LIVE)).results[event.sr_id][book]
    assert result.status == "ok", result.reason
    read = {(r.market, r.specifier, r.outcome): r.price for r in result.rows() if r.state == "open"}
    truth = {
        (line.market, line.specifier, outcome): odds
        for line in live_lines(event, book, at)
        if not line.suspended
        for outcome, odds in line.prices
        if odds is not None
    }
    assert read == truth
    sandbox.set_clock(event.in_play_until + timedelta(minutes=1), frozen=True)
    over = asyncio.run(capture_odds([target], settings, now=at, options=LIVE)).results[event.sr_id][book]
    # Betika answers an empty list for a match it does not show (a guess): no proof of absence, so a failure
    assert over.status == ("failed" if book is Book.BETIKA else "gone"), (over.status, over.reason)
