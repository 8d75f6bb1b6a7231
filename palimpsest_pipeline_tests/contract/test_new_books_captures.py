"""Contract: MSport's and Betway's parsers against their real captured responses, read in place.

An independent walk of each raw JSON (written here, not the parsers' code) lists the open outcomes, their
prices and the UOF key their ids name. Every price the parser stores under a UOF market is one the walk
found under that key; every walked price of a UOF market is stored under its key; the keyed share of open
outcomes is at least 0.95 per file, on the files the parsers were tuned on and, apart, on the held-out ones.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from palimpsest_pipeline.books.betway import odds as betway
from palimpsest_pipeline.books.msport import odds as msport
from palimpsest_pipeline.books.odds_parse import EventOdds

CAPTURED = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "captured"
AT = datetime(2026, 5, 20, 9, 0, tzinfo=UTC)

pytestmark = pytest.mark.skipif(
    not CAPTURED.is_dir(), reason=f"captured responses not found at {CAPTURED} (../shared is absent)"
)

#: Tuned on (the parsers' rules were written looking at these) and held out (judged only).
TUNED = [
    "msport/match_detail_sr68995116_prematch.json",
    "msport/match_detail_sr71583282_asian_handicap.json",
    "msport/match_detail_sr70505032_basketball.json",
    "betway/markets_sr71583282_asian_handicap.json",
    "betway/markets_sr71427986_basketball.json",
]
HELD_OUT = [
    "msport/match_detail_sr71549302_next_goal.json",
    "msport/match_detail_sr71529092_tennis.json",
    "betway/markets_sr70926700_live_next_goal.json",
    "betway/markets_sr71529092_tennis.json",
]
#: UOF's 3-way handicaps: ``hcp=a:b`` is the home line a - b in the canonical key.
THREE_WAY = {14, 65, 87}
#: Ids UOF's catalogue (../shared/uof) does not describe, in these files: MSport's early-payout 1X2s,
#: Betway's "1X2 (NUp)". Their outcomes count in the share, and are keyed (if at all) from their names.
NOT_UOF = {5000001, 5000002, 1601}

Key = tuple[int, str, int]


@dataclass
class Walked:
    """What the walk found: each open outcome's UOF key (None: not a UOF id) and price."""

    open: list[tuple[Key | None, float]]

    def uof(self) -> dict[Key, float]:
        return {key: price for key, price in self.open if key is not None}


def _load(relative: str) -> Any:
    return json.loads((CAPTURED / relative).read_text(encoding="utf-8"))


def _sr_id(relative: str) -> int:
    return int(relative.split("_sr")[1].split("_")[0])


def _spec(market: int, pairs: list[tuple[str, str]]) -> str:
    """A specifier as the canonical key writes it: keys sorted, numbers in their shortest form."""
    out = []
    for key, value in sorted(pairs):
        if key == "hcp" and market in THREE_WAY and ":" in value:
            home, away = value.split(":")
            value = f"{float(home) - float(away):g}"
        elif value.replace(".", "", 1).lstrip("-").isdigit():
            value = f"{float(value):g}"
        out.append(f"{key}={value}")
    return "|".join(out)


def walk_msport(body: dict[str, Any]) -> Walked:
    found: list[tuple[Key | None, float]] = []
    for market in body["data"]["markets"]:
        pairs = (
            [tuple(p.split("=", 1)) for p in market["specifiers"].split("|")] if market["specifiers"] else []
        )
        for outcome in market["outcomes"]:
            price = float(outcome["odds"])
            if market["status"] != 0 or outcome["isActive"] != 1 or price <= 1:
                continue
            tail = outcome["id"].split(":")[-1]
            uof = market["id"] not in NOT_UOF
            found.append(((market["id"], _spec(market["id"], pairs), int(tail)) if uof else None, price))
    return Walked(found)


def walk_betway(body: dict[str, Any]) -> Walked:
    markets = {m["marketId"]: m for m in body["marketsInGroup"]}
    prices = {p["outcomeId"]: p["priceDecimal"] for p in body["prices"]}
    found: list[tuple[Key | None, float]] = []
    for outcome in body["outcomes"]:
        line = outcome.get("originalMarketId") or outcome["marketId"]
        listed = [markets[outcome["marketId"]], *([markets[line]] if line in markets else [])]
        price = prices.get(outcome["outcomeId"], 0)
        shown = all(m["isActive"] and not m["isSuspended"] for m in listed)
        if not (shown and outcome["isTradingActive"] and price > 1):
            continue
        rest = line[len(str(listed[0]["eventId"])) :]
        number = ""
        while rest and rest[0].isdigit():
            number, rest = number + rest[0], rest[1:]
        pairs = [tuple(p.split("=", 1)) for p in rest.split("~") if p]
        market = int(number)
        key = (market, _spec(market, pairs), int(outcome["outcomeId"][len(line) :]))
        found.append((key if market not in NOT_UOF else None, price))
    return Walked(found)


def _parse(relative: str) -> tuple[EventOdds, Walked]:
    body = _load(relative)
    if relative.startswith("msport/"):
        return msport.parse_odds(body, sr_id=_sr_id(relative), captured_at=AT), walk_msport(body)
    return betway.parse_odds(body, sr_id=_sr_id(relative), captured_at=AT), walk_betway(body)


def keyed_share(parsed: EventOdds, walked: Walked) -> float:
    """Walked open outcomes stored under their own UOF key at their price, or (non-UOF ids) keyed from
    their names at their price, over every walked open outcome."""
    stored = {(r.market, r.specifier, r.outcome): r.price for r in parsed.rows if r.state == "open"}
    named = sorted(price for key, price in stored.items() if key[0] >= 2_000_000)
    met = sum(1 for key, price in walked.open if key is not None and stored.get(key) == price)
    for key, price in walked.open:
        if key is None and price in named:
            named.remove(price)
            met += 1
    return met / len(walked.open)


@pytest.mark.parametrize("relative", TUNED + HELD_OUT)
def test_every_walked_price_is_stored_under_its_key_and_nothing_else(relative: str) -> None:
    parsed, walked = _parse(relative)
    stored = {(r.market, r.specifier, r.outcome): r.price for r in parsed.rows if r.state == "open"}
    uof_stored = {key: price for key, price in stored.items() if key[0] < 2_000_000}
    assert uof_stored == walked.uof()
    assert parsed.malformed == []
    assert parsed.open_outcomes == len(walked.open)


@pytest.mark.parametrize("relative", TUNED)
def test_keyed_share_on_the_tuned_files(relative: str) -> None:
    parsed, walked = _parse(relative)
    assert keyed_share(parsed, walked) >= 0.95


@pytest.mark.parametrize("relative", HELD_OUT)
def test_keyed_share_on_the_held_out_files(relative: str) -> None:
    parsed, walked = _parse(relative)
    assert walked.open, "a held-out file with no open outcome judges nothing"
    assert keyed_share(parsed, walked) >= 0.95


def test_the_match_is_the_one_asked_for() -> None:
    from palimpsest_pipeline.books.odds_errors import OddsPayloadError

    with pytest.raises(OddsPayloadError, match="sr:match:1"):
        msport.parse_odds(_load(TUNED[0]), sr_id=1, captured_at=AT)
    with pytest.raises(OddsPayloadError, match="is not 1"):
        betway.parse_odds(_load(TUNED[3]), sr_id=1, captured_at=AT)


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
