"""Contract: Betika's parsers against its real captured responses (../shared/fixtures/captured/betika).

Every capture against an independent walk of its JSON, and its refusal for another match, are judged for
every book in conformance/test_captures.py. Here, what is Betika's own: the same bet meets the other books'
keys on the matches captured on several books, and the kick-off is the edition's zone read back to UTC.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from palimpsest_pipeline.books.betika import catalogue as betika_catalogue
from palimpsest_pipeline.books.betika import odds as betika
from palimpsest_pipeline.books.betika.live import parse_live_list
from palimpsest_pipeline.books.payload import Node
from palimpsest_pipeline.books.sports import sport_by_key
from palimpsest_pipeline.records import Book

CAPTURED = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "captured"
AT = datetime(2026, 5, 20, 9, 0, tzinfo=UTC)

pytestmark = pytest.mark.skipif(
    not CAPTURED.is_dir(), reason=f"captured responses not found at {CAPTURED} (../shared is absent)"
)

Key = tuple[int, str, int]


def _load(relative: str) -> Any:
    return json.loads((CAPTURED / relative).read_text(encoding="utf-8"))


def _sr_id(relative: str) -> int:
    return int(relative.split("_sr")[1].split("_")[0])


#: The same match on several books (../shared/fixtures/captured/README.md, "More books").
OTHERS = {
    71583282: {
        "sportybet": "sportybet/event_sr71583282_asian_handicap.json",
        "msport": "msport/match_detail_sr71583282_asian_handicap.json",
        "betway": "betway/markets_sr71583282_asian_handicap.json",
        "betika": "betika/matches_sr71583282_asian_handicap.json",
    },
    71529092: {
        "sportybet": "sportybet/event_sr71529092_tennis.json",
        "betpawa": "betpawa/v3_event_sr71529092_tennis.json",
        "msport": "msport/match_detail_sr71529092_tennis.json",
        "betway": "betway/markets_sr71529092_tennis.json",
        "betika": "betika/matches_sr71529092_tennis.json",
    },
    70505032: {
        "msport": "msport/match_detail_sr70505032_basketball.json",
        "betika": "betika/matches_sr70505032_basketball.json",
    },
}
#: Prices read by hand from the raw files: the same bet under the same key on every book.
HAND_READ = {
    (71583282, (1, "", 1)): {"betika": 1.76, "msport": 1.74, "sportybet": 1.74, "betway": 1.65},
    (71583282, (10, "", 11)): {"betika": 1.97, "msport": 1.93, "sportybet": 1.95, "betway": 2.01},
    (71583282, (18, "total=2.5", 12)): {"betika": 1.87, "msport": 1.87, "sportybet": 1.87, "betway": 1.71},
    (71583282, (14, "hcp=-1", 1711)): {"betika": 3.00, "msport": 2.95, "sportybet": 2.95},
    (71529092, (186, "", 4)): {"betika": 2.30, "msport": 2.30, "sportybet": 2.35},
    (71529092, (186, "", 5)): {"betika": 1.60, "msport": 1.60, "sportybet": 1.62},
    (70505032, (219, "", 4)): {"betika": 1.40, "msport": 1.39},
    (70505032, (225, "total=216.5", 13)): {"betika": 2.17, "msport": 2.14},
}


def open_prices(sr_id: int) -> dict[str, dict[Key, float | None]]:
    from palimpsest_pipeline.books.betpawa import odds as betpawa
    from palimpsest_pipeline.books.betway import odds as betway
    from palimpsest_pipeline.books.msport import odds as msport
    from palimpsest_pipeline.books.sportybet import odds as sportybet

    parsers = {
        "sportybet": sportybet,
        "betpawa": betpawa,
        "msport": msport,
        "betway": betway,
        "betika": betika,
    }
    out = {}
    for book, relative in OTHERS[sr_id].items():
        parsed = parsers[book].parse_odds(_load(relative), sr_id=sr_id, captured_at=AT)
        out[book] = {(r.market, r.specifier, r.outcome): r.price for r in parsed.rows if r.state == "open"}
    return out


@pytest.mark.parametrize(("sr_id", "key"), sorted(HAND_READ))
def test_the_same_bet_meets_under_the_same_key_on_every_book(sr_id: int, key: Key) -> None:
    prices = open_prices(sr_id)
    assert {book: prices[book].get(key) for book in HAND_READ[(sr_id, key)]} == HAND_READ[(sr_id, key)]


@pytest.mark.parametrize("sr_id", sorted(OTHERS))
def test_most_of_betikas_prices_meet_another_books(sr_id: int) -> None:
    """Of Betika's open outcomes, those another book prices under the same key, and of those the ones
    more than x1.5 off every other book's price (a wrong key meets a different bet)."""
    prices = open_prices(sr_id)
    own = prices["betika"]
    met = far = 0
    for key, price in own.items():
        others = [p[key] for book, p in prices.items() if book != "betika" and p.get(key) is not None]
        if others and price is not None:
            met += 1
            far += all(max(price, o) / min(price, o) > 1.5 for o in others)
    assert met / len(own) >= 0.9 and far == 0, (len(own), met, far)


#: Kick-offs by hand: ``start_time`` is East Africa Time (UTC+3) in the captures (PLATFORMS.md).
KICKOFFS = {
    "betika/matches_sr70784812_prematch.json": datetime(2026, 5, 13, 19, 0, tzinfo=UTC),
    "betika/matches_sr71583282_asian_handicap.json": datetime(2026, 5, 22, 2, 0, tzinfo=UTC),
    "betika/matches_sr70505032_basketball.json": datetime(2026, 5, 19, 0, 30, tzinfo=UTC),
}


@pytest.mark.parametrize("relative", sorted(KICKOFFS))
def test_the_kickoff_is_read_in_the_editions_zone(relative: str) -> None:
    row = Node(Book.BETIKA, "test", _load(relative)).get("data").elements()[0]
    kenya = betika_catalogue.event_from_row(row, ZoneInfo("Africa/Nairobi"))
    ghana = betika_catalogue.event_from_row(row, ZoneInfo("Africa/Accra"))
    assert (kenya.kickoff, kenya.sr_id) == (KICKOFFS[relative], _sr_id(relative))
    assert ghana.kickoff - kenya.kickoff == timedelta(hours=3)  # the same wall time, in UTC+0


def test_a_live_row_is_keyed_only_where_its_clock_agrees_with_the_editions_zone() -> None:
    """The live row writes the answer's clock as ``NOW`` 16:36:49 beside ``sys_modified`` 13:36:49 UTC
    (epoch ms): UTC+3. Read for Kenya it is listed at 16:00 EAT; read for Ghana (UTC+0) it is set aside
    with the reason, never listed three hours late."""
    body = _load("betika/matches_sr71463790_live.json")
    football = sport_by_key("football")
    rows, bad, total = parse_live_list(body, football, ZoneInfo("Africa/Nairobi"))
    assert [(r.event.sr_id, r.event.kickoff, r.markets, r.suspended) for r in rows] == [
        (71463790, datetime(2026, 5, 13, 13, 0, tzinfo=UTC), 1, 0)
    ]
    assert bad == [] and total == 85
    rows, bad, _total = parse_live_list(body, football, ZoneInfo("Africa/Accra"))
    assert rows == []
    assert [(b.sr_id, b.event_id) for b in bad] == [(71463790, "14:701:4734371")]
    assert "UTC+3.00, not the edition's zone Africa/Accra" in bad[0].reason
