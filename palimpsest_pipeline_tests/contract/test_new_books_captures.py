"""Contract: MSport's and Betway's parsers against their real captured responses, read in place.

Every capture against an independent walk of its JSON, and its refusal for another match, are judged for
every book in conformance/test_captures.py. Here, what is theirs: the same bet meets the other books' keys
on the matches captured on several books.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from palimpsest_pipeline.books.betway import odds as betway
from palimpsest_pipeline.books.msport import odds as msport

CAPTURED = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "captured"
AT = datetime(2026, 5, 20, 9, 0, tzinfo=UTC)

pytestmark = pytest.mark.skipif(
    not CAPTURED.is_dir(), reason=f"captured responses not found at {CAPTURED} (../shared is absent)"
)

Key = tuple[int, str, int]


def _load(relative: str) -> Any:
    return json.loads((CAPTURED / relative).read_text(encoding="utf-8"))


#: The same match on several books (../shared/fixtures/captured/README.md, "More books").
OTHERS = {
    68995116: {
        "sportybet": "sportybet/event_sr68995116_prematch.json",
        "betpawa": "betpawa/v3_event_sr68995116_prematch.json",
        "bet9ja": "bet9ja/GetEvent_sr68995116_prematch.json",
        "msport": "msport/match_detail_sr68995116_prematch.json",
    },
    71583282: {
        "sportybet": "sportybet/event_sr71583282_asian_handicap.json",
        "msport": "msport/match_detail_sr71583282_asian_handicap.json",
        "betway": "betway/markets_sr71583282_asian_handicap.json",
    },
}
#: Prices read by hand from the raw files: the same bet under the same key on every book.
HAND_READ = {
    (68995116, (1, "", 1)): {"msport": 2.45, "sportybet": 2.40, "betpawa": 2.41, "bet9ja": 2.42},
    (71583282, (1, "", 1)): {"msport": 1.74, "sportybet": 1.74, "betway": 1.65},
    (71583282, (16, "hcp=-0.5", 1714)): {"msport": 1.72, "sportybet": 1.72, "betway": 1.65},
    (71583282, (18, "total=2.5", 12)): {"msport": 1.87, "sportybet": 1.87, "betway": 1.71},
    (71583282, (10, "", 11)): {"msport": 1.93, "sportybet": 1.95, "betway": 2.01},
}


def open_prices(sr_id: int) -> dict[str, dict[Key, float | None]]:
    from palimpsest_pipeline.books.bet9ja import odds as bet9ja
    from palimpsest_pipeline.books.betpawa import odds as betpawa
    from palimpsest_pipeline.books.sportybet import odds as sportybet

    parsers = {
        "sportybet": sportybet,
        "betpawa": betpawa,
        "bet9ja": bet9ja,
        "msport": msport,
        "betway": betway,
    }
    out = {}
    for book, relative in OTHERS[sr_id].items():
        parsed = parsers[book].parse_odds(_load(relative), sr_id=sr_id, captured_at=AT)
        out[book] = {(r.market, r.specifier, r.outcome): r.price for r in parsed.rows if r.state == "open"}
    return out


def meeting(prices: dict[str, dict[Key, float | None]], book: str) -> tuple[int, int, int]:
    """(open outcomes of ``book``, those another book prices under the same key, of those the ones whose
    prices differ by more than x1.5 from another book's)."""
    own = prices[book]
    met = disagree = 0
    for key, price in own.items():
        others = [p[key] for other, p in prices.items() if other != book and p.get(key) is not None]
        if others and price is not None:
            met += 1
            disagree += any(max(price, o) / min(price, o) > 1.5 for o in others)
    return len(own), met, disagree


@pytest.mark.parametrize(("sr_id", "key"), sorted(HAND_READ))
def test_the_same_bet_meets_under_the_same_key_on_every_book(sr_id: int, key: Key) -> None:
    prices = open_prices(sr_id)
    assert {book: prices[book].get(key) for book in HAND_READ[(sr_id, key)]} == HAND_READ[(sr_id, key)]


@pytest.mark.parametrize(
    ("sr_id", "book"), [(68995116, "msport"), (71583282, "msport"), (71583282, "betway")]
)
def test_most_of_the_new_books_prices_meet_another_books(sr_id: int, book: str) -> None:
    total, met, disagree = meeting(open_prices(sr_id), book)
    assert met / total >= 0.75 and disagree / met <= 0.08, (total, met, disagree)
