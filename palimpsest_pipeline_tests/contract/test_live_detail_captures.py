"""Contract: each book's in-play event detail, as the live snapshots ask for it and read it, against the real
captured live responses (../shared/fixtures/captured, README): the request is the captured one, and the
prices read open are those the raw answer shows bettable, counted or read by hand from the file."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from palimpsest_pipeline.books.kits import KITS
from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.live_snapshots import keep_one_per_outcome

CAPTURED = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "captured"

pytestmark = pytest.mark.skipif(
    not CAPTURED.is_dir(), reason=f"captured responses not found at {CAPTURED} (../shared is absent)"
)
AT = datetime(2026, 5, 13, 16, 36, tzinfo=UTC)


def _captured(name: str) -> Any:
    return json.loads((CAPTURED / name).read_text())


def _parsed(book: Book, name: str, sr_id: int) -> EventOdds:
    return KITS[book].parse_odds(_captured(name), sr_id=sr_id, captured_at=AT)


def _open(odds: EventOdds) -> dict[tuple[int, str, int], float | None]:
    return {(r.market, r.specifier, r.outcome): r.price for r in odds.rows if r.state == "open"}


def test_the_live_requests_are_the_captured_ones() -> None:
    """SportyBet and MSport: the prematch endpoint with ``productId=1``; Bet9ja ``GetLiveEvent`` by the
    GetEvent id; BetPawa, Betway and Betika: the prematch request, on the live API where the book has one."""
    sporty = KITS[Book.SPORTYBET].live_adapter().detail_request("sr:match:67645534")
    assert (sporty.path, dict(sporty.params or {})) == (
        "event",
        {"eventId": "sr:match:67645534", "productId": "1"},
    )
    msport = KITS[Book.MSPORT].live_adapter().detail_request("sr:match:67645534")
    assert (msport.path, dict(msport.params or {})["productId"]) == ("match/detail", "1")
    bet9ja = KITS[Book.BET9JA].live_adapter().detail_request("769895636")
    assert (bet9ja.path, dict(bet9ja.params or {})) == ("GetLiveEvent", {"EVENTID": "769895636"})
    for book in (Book.BETPAWA, Book.BETWAY, Book.BETIKA):
        event_id = "14:701:4734371" if book is Book.BETIKA else "34397693"
        prematch = KITS[book].adapter().event_detail_request(event_id)
        assert KITS[book].live_adapter().detail_request(event_id) == prematch


def test_betpawa_in_play_prices_read_as_the_file_shows_them() -> None:
    """The 2026-04 in-play answer (minute 33): 1X2 1.48 / 3.13 / 10.6, over/under 0.5 at 1.19 / 3.88 (the
    line from each price's ``handicap``: the rows carry no specifier); nothing suspended is read open."""
    name = "betpawa/v3_event_sr62384158_live_2026-04.json"
    raw = _captured(name)
    prices = [p for m in raw["markets"] for r in m["row"] for p in r["prices"]]
    bettable = sorted(p["price"] for p in prices if not p["suspended"] and p["price"] > 1)
    read = _open(_parsed(Book.BETPAWA, name, 62384158))
    assert [read[(1, "", o)] for o in (1, 2, 3)] == [1.48, 3.13, 10.6]
    assert (read[(18, "total=0.5", 12)], read[(18, "total=0.5", 13)]) == (1.19, 3.88)
    assert len(read) <= len(bettable)
    assert all(price in bettable for price in read.values())


def test_betway_in_play_reads_every_tradeable_outcome_of_an_open_market() -> None:
    name = "betway/markets_sr70926700_live_next_goal.json"
    raw = _captured(name)
    open_markets = {m["marketId"] for m in raw["marketsInGroup"] if m["isActive"] and not m["isSuspended"]}
    tradeable = [o for o in raw["outcomes"] if o["marketId"] in open_markets and o["isTradingActive"]]
    assert len(_open(_parsed(Book.BETWAY, name, 70926700))) == len(tradeable) == 164


def test_betika_in_play_reads_the_1x2_of_the_live_row() -> None:
    read = _open(_parsed(Book.BETIKA, "betika/matches_sr71463790_live.json", 71463790))
    assert read == {(1, "", 1): 4.3, (1, "", 2): 2.2, (1, "", 3): 2.4}


def test_closed_boards_keep_nothing_open() -> None:
    """At 91' every Bet9ja line shows 1 and SportyBet lists no market: nothing is kept in play; Bet9ja's
    placeholder 1 is no price in the snapshot."""
    bet9ja = _parsed(Book.BET9JA, "bet9ja/GetLiveEvent_sr67645534_live.json", 67645534)
    raw = _captured("bet9ja/GetLiveEvent_sr67645534_live.json")["D"]["O"]
    assert raw and all(value["v"] == 1 for value in raw.values())
    kept, set_aside = keep_one_per_outcome(bet9ja.rows)
    assert not _open(bet9ja) and kept and set_aside == 0
    assert all(row.state == "suspended" and row.price is None for row in kept)
    assert not _parsed(Book.SPORTYBET, "sportybet/event_sr67645534_live.json", 67645534).rows
