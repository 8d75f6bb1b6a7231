"""BetPawa v4 ``markets`` list: the inverse of markets/mapping_betpawa.py plus BetPawa-typical extras.

Keys and value types follow the captured v4 event (``betpawa/v4_event_sr67691078_prematch.json``): prices
carry ``odds`` (a number), ``suspended`` only when true, and lined rows carry ``handicap`` (quarter units),
``specifier`` and a text ``handicap`` on each price.
"""

from __future__ import annotations

import random
from typing import Any

from palimpsest_pipeline.markets.mapping_betpawa import BY_CATEGORY, BetPawaMarket
from palimpsest_pipeline.markets.specifiers import format_line
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.sandbox.markets.pricing import book_prices

_BY_SPORT: dict[str, dict[int, tuple[BetPawaMarket, dict[int, tuple[str, str]]]]] = {}
for _sport, _table in BY_CATEGORY.values():
    _index: dict[int, tuple[BetPawaMarket, dict[int, tuple[str, str]]]] = {}
    for _market in _table:
        if _market.market not in _index:  # first type wins (v4 correct score before the v3 one)
            _index[_market.market] = (
                _market,
                {oid: (type_id, name) for type_id, name, oid in _market.prices},
            )
    _BY_SPORT[_sport] = _index


def _signed(value: float) -> str:
    return "0" if value == 0 else ("+" if value > 0 else "-") + format_line(abs(value))


def _price_handicap(rule: str, line: float, outcome: int) -> str | None:
    if rule == "total":
        return format_line(line)
    if rule == "hcp":
        return _signed(line if outcome == 1714 else -line)
    if rule == "hcp3":
        if outcome == 1713 or (outcome == 1712 and line > 0):
            return f"Away {_signed(-line)}"
        return f"Home {_signed(line)}"
    return None


def _market_type(definition: BetPawaMarket, priority: int) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": definition.type_id,
        "name": definition.name,
        "displayName": definition.name.replace(" - ", " | "),
        "explainer": f"{definition.name}: regular playing time only.",
        "priority": priority,
        "tabs": ["all", "popular"] if priority < 10 else ["all"],
    }
    if definition.handicap_type is not None:
        body["handicapType"] = definition.handicap_type
    return body


def _price(
    price_id: int, type_id: str, name: str, odds: float, handicap: str | None, suspended: bool
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": str(price_id),
        "name": name,
        "typeId": type_id,
        "odds": odds,
        "displayName": name,
        "additionalInfo": {"anyUp": "NO_UP"},
        "probability": {"win": round(1 / (odds * 1.06), 6), "refund": 0.0},
    }
    if handicap is not None:
        body["handicap"] = handicap
    if suspended:
        body["suspended"] = True
    return body


def render(match_seed: int, version: int, sport: str) -> list[dict[str, Any]]:
    """BetPawa v4 ``markets`` for one match version."""
    index = _BY_SPORT.get(sport, {})
    prices = book_prices(Book.BETPAWA, match_seed, version, sport)
    next_id = 1_525_000_000 + (match_seed % 1_000_000) * 400
    row_id = 397_000_000 + (match_seed % 1_000_000) * 100
    markets: dict[int, dict[str, Any]] = {}
    rows: dict[tuple[int, str], dict[str, Any]] = {}
    for (market, spec, outcome), (odds, state) in prices.items():
        definition, outcomes = index[market]
        row = rows.get((market, spec))
        if row is None:
            if market not in markets:
                markets[market] = {
                    "marketType": _market_type(definition, len(markets) + 1),
                    "row": [],
                    "additionalInfo": {"cashoutable": True},
                }
            row_id += 1
            row = {"id": str(row_id), "prices": []}
            if definition.line != "none":
                key, _, value = spec.partition("=")
                row["handicap"] = round(float(value) * 4)
                row["specifier"] = {key: value}
            rows[(market, spec)] = row
            markets[market]["row"].append(row)
        type_id, name = outcomes[outcome]
        handicap = None
        if definition.line != "none":
            handicap = _price_handicap(definition.line, float(spec.partition("=")[2]), outcome)
        next_id += 1
        assert odds is not None  # BetPawa keeps the odds of suspended prices
        price = _price(next_id, type_id, name, odds, handicap, state == "suspended")
        if definition.line == "hcp3":  # as captured: 3-way handicap prices repeat their text line
            price["displayName"] = "{formattedHandicap}"
            price["specifier"] = {"hcp": handicap}
            markets[market].setdefault("displayNameColumns", ["1", "X", "2"])
        row["prices"].append(price)
    rendered = list(markets.values())
    if sport == "football":
        rendered.extend(_extras(match_seed, version, next_id))
    return rendered


# BetPawa-typical markets the mapping does not cover: (type id, name, [(price type id, name)], rows).
_EXTRAS: list[tuple[str, str, list[tuple[str, str]], int]] = [
    ("28000810", "1X2 1UP - FT", [("28000811", "1"), ("28000812", "X"), ("28000813", "2")], 1),
    ("28000850", "1X2 2UP - FT", [("28000851", "1"), ("28000852", "X"), ("28000853", "2")], 1),
    ("80000", "Double Chance 1UP - FT", [("80001", "1X"), ("80002", "X2"), ("80003", "12")], 1),
    ("28000035", "Multiscores - FT", [(str(28000036 + i), f"group {i}") for i in range(11)], 1),
    ("28000209", "Winning Margin - FT", [(str(28000210 + i), f"margin {i}") for i in range(7)], 1),
    ("28000228", "HT/FT Correct Score - FT", [(str(28000229 + i), f"ht/ft {i}") for i in range(46)], 1),
    ("28000047", "Multigoals - FT", [(str(28000048 + i), f"range {i}") for i in range(16)], 1),
    ("28000077", "Multigoals - FT - Home Team", [(str(28000078 + i), f"range {i}") for i in range(5)], 1),
    ("28000083", "Multigoals - FT - Away Team", [(str(28000084 + i), f"range {i}") for i in range(5)], 1),
]


def _extras(match_seed: int, version: int, next_id: int) -> list[dict[str, Any]]:
    rng = random.Random(match_seed * 17 + version)
    out = []
    for priority, (type_id, name, prices, _rows) in enumerate(_EXTRAS, start=100):
        rendered = []
        for price_type, price_name in prices:
            next_id += 1
            odds = round(1.05 + rng.random() * 15, 2)
            rendered.append(_price(next_id, price_type, price_name, odds, None, False))
        out.append(
            {
                "marketType": {
                    "id": type_id,
                    "name": name,
                    "displayName": name,
                    "explainer": name,
                    "priority": priority,
                    "tabs": ["all"],
                },
                "row": [{"id": str(next_id), "prices": rendered}],
                "additionalInfo": {"cashoutable": True},
            }
        )
    return out
