"""Independent walks of each book's event-detail answers: the open outcomes a reader of the raw JSON finds,
with their prices and, where the book writes UOF's ids, the canonical key those ids name.

Written from the captures and ../shared/PLATFORMS.md, never from the parsers' code: a price is open when its
market and outcome are not flagged closed and it is above 1. A key is None where the book writes no UOF id
(BetPawa's and Bet9ja's own market types, ids UOF's catalogue in ../shared/uof does not describe).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

Key = tuple[int, str, int]
#: UOF's 3-way handicaps: ``hcp=a:b`` is the home line a - b in the canonical key.
THREE_WAY = {14, 65, 87}
UOF_CATALOGUE = Path(__file__).resolve().parents[2] / ".." / "shared" / "uof"


@dataclass(frozen=True)
class Walked:
    """Each open outcome the walk found: its UOF key (None: the book writes no UOF id for it) and price."""

    open: list[tuple[Key | None, float]]

    def keyed(self) -> dict[Key, float]:
        return {key: price for key, price in self.open if key is not None}


@cache
def uof_markets() -> frozenset[int]:
    """The market ids UOF's catalogue describes."""
    text = (UOF_CATALOGUE / "invariant_market_descriptions_en.xml").read_text(encoding="utf-8")
    return frozenset(int(found) for found in re.findall(r'<market id="(\d+)"', text))


def _number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def canonical(market: int, pairs: list[tuple[str, str]]) -> str:
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


def _pairs(specifier: str) -> list[tuple[str, str]]:
    return [(part.split("=", 1)[0], part.split("=", 1)[1]) for part in specifier.split("|") if "=" in part]


def _uof_key(market: int, specifier: str, outcome: str) -> Key | None:
    tail = str(outcome).split(":")[-1]
    if market not in uof_markets() or not tail.isdigit():
        return None
    return market, canonical(market, _pairs(specifier)), int(tail)


def walk_sportybet(body: dict[str, Any]) -> Walked:
    """``data.markets[]``: ``id``, ``specifier``, ``status`` 0 open; ``outcomes[]``: ``id``, ``odds``,
    ``isActive`` 1 open."""
    found: list[tuple[Key | None, float]] = []
    for market in body["data"]["markets"]:
        for outcome in market["outcomes"]:
            price = _number(outcome["odds"])
            if market["status"] != 0 or outcome["isActive"] != 1 or price <= 1:
                continue
            found.append((_uof_key(int(market["id"]), market.get("specifier", ""), outcome["id"]), price))
    return Walked(found)


def walk_msport(body: dict[str, Any]) -> Walked:
    """SportyBet's platform in MSport's words: ``specifiers``, numeric market ids."""
    found: list[tuple[Key | None, float]] = []
    for market in body["data"]["markets"]:
        for outcome in market["outcomes"]:
            price = _number(outcome["odds"])
            if market["status"] != 0 or outcome["isActive"] != 1 or price <= 1:
                continue
            found.append((_uof_key(market["id"], market["specifiers"], outcome["id"]), price))
    return Walked(found)


def walk_betpawa(body: dict[str, Any]) -> Walked:
    """``markets[].row[].prices[]``: ``odds`` (v4) or ``price`` (v3), ``suspended`` when closed; BetPawa's
    own type ids, no UOF key."""
    found: list[tuple[Key | None, float]] = []
    for market in body["markets"]:
        for row in market["row"]:
            for price in row["prices"]:
                value = _number(price.get("odds", price.get("price")))
                if not price.get("suspended") and value > 1:
                    found.append((None, value))
    return Walked(found)


def walk_bet9ja(body: dict[str, Any]) -> Walked:
    """``D.O``: outcome key -> price (text prematch, ``{"v": x}`` in play); Bet9ja's own keys."""
    found: list[tuple[Key | None, float]] = []
    for value in body["D"]["O"].values():
        price = _number(value["v"] if isinstance(value, dict) else value)
        if price > 1:
            found.append((None, price))
    return Walked(found)


def walk_betway(body: dict[str, Any]) -> Walked:
    """``outcomes`` priced in ``prices``, shown where every market listing them is active and not suspended;
    the UOF key is written in the market id after the event id (``<event><market><k=v~...>``)."""
    markets = {m["marketId"]: m for m in body["marketsInGroup"]}
    prices = {p["outcomeId"]: p["priceDecimal"] for p in body["prices"]}
    found: list[tuple[Key | None, float]] = []
    for outcome in body["outcomes"]:
        line = outcome.get("originalMarketId") or outcome["marketId"]
        listed = [markets[outcome["marketId"]], *([markets[line]] if line in markets else [])]
        price = _number(prices.get(outcome["outcomeId"], 0))
        shown = all(m["isActive"] and not m["isSuspended"] for m in listed)
        if not (shown and outcome["isTradingActive"] and price > 1):
            continue
        rest = line[len(str(listed[0]["eventId"])) :]
        number = ""
        while rest and rest[0].isdigit():
            number, rest = number + rest[0], rest[1:]
        specifier = "|".join(part for part in rest.split("~") if part)
        found.append((_uof_key(int(number), specifier, outcome["outcomeId"][len(line) :]), price))
    return Walked(found)


def walk_betika(body: dict[str, Any]) -> Walked:
    """The one row of ``data``: ``odds[]`` groups by ``sub_type_id``, each outcome's ``odd_value``;
    ``market_active``/``odd_active`` 0 (live only) closed."""
    (row,) = body["data"]
    found: list[tuple[Key | None, float]] = []
    for group in row["odds"]:
        market = int(group["sub_type_id"])
        for outcome in group["odds"]:
            price = _number(outcome["odd_value"])
            flags = (
                group.get("market_active", 1),
                outcome.get("market_active", 1),
                outcome.get("odd_active", 1),
            )
            if flags != (1, 1, 1) or price <= 1:
                continue
            found.append((_uof_key(market, outcome["special_bet_value"], outcome["outcome_id"]), price))
    return Walked(found)
