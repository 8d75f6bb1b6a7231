"""BetPawa v4 ``markets`` list: the inverse of markets/mapping_betpawa.py plus BetPawa-typical extras.

Keys and value types follow the captured v4 event (``betpawa/v4_event_sr67691078_prematch.json``): prices
carry ``odds`` (a number), ``suspended`` only when true, and lined rows carry ``handicap`` (quarter units)
and a text ``handicap`` on each price. The row's ``specifier`` comes in the shape BetPawa serves the event
in (:func:`detail_shape`, one per event: in goals, in quarter units with the null keys, or none).
"""

from __future__ import annotations

from typing import Any

from palimpsest_pipeline.markets.mapping_betpawa import BY_CATEGORY, BetPawaMarket
from palimpsest_pipeline.markets.specifiers import format_line
from palimpsest_pipeline.records import Book
from palimpsest_sandbox.books.betpawa import players
from palimpsest_sandbox.markets.moves import unit
from palimpsest_sandbox.markets.players import prop_version
from palimpsest_sandbox.markets.pricing import (
    MARKET_SUSPEND_P,
    MODELLED_FOOTBALL,
    OUTCOME_SUSPEND_P,
    BookPrices,
    book_prices,
    line_code,
)
from palimpsest_sandbox.markets.shared_props import prop_odds

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


#: BetPawa's event-detail shapes and the share of events served in each (docs/sandbox.md): the row's
#: ``specifier`` in goals (v4 captures), in quarter units listing every key with most null (mid-2026
#: responses), or absent (v3 captures: ``formattedHandicap`` instead).
DETAIL_SHAPES: tuple[tuple[str, float], ...] = (("goals", 0.5), ("quarters", 0.3), ("no_specifier", 0.2))
#: The keys a mid-2026 specifier lists, null where the row has no such number.
NULL_KEYS = ("hcp", "total", "player", "score", "number", "group")
#: The specifier key of each line rule: a goal number is ``number`` (a plain count in every shape).
_SPECIFIER_KEY = {"total": "total", "hcp": "hcp", "hcp3": "hcp", "goalnr": "number"}


def detail_shape(match_seed: int) -> str:
    """The shape BetPawa serves this match's event detail in: a pure function of the match."""
    draw = unit(match_seed, 0x5A9E)
    for shape, share in DETAIL_SHAPES:
        if draw < share:
            return shape
        draw -= share
    return DETAIL_SHAPES[-1][0]


def _lined_row(row_id: int, rule: str, spec: str, shape: str) -> dict[str, Any]:
    """A lined row's own fields in ``shape``: ``handicap`` in quarter units always, then the specifier."""
    value = float(spec.partition("=")[2])
    quarters = round(value * 4)
    row: dict[str, Any] = {"id": str(row_id), "handicap": quarters, "prices": []}
    key = _SPECIFIER_KEY[rule]
    if shape == "no_specifier":
        counted = rule in ("hcp3", "goalnr")  # as v3: the 3-way line and the goal number, in goals
        row["formattedHandicap"] = format_line(value) if counted else None
    elif shape == "quarters":
        number = format_line(value) if key == "number" else str(quarters)
        row["specifier"] = {**dict.fromkeys(NULL_KEYS), key: number}
    else:
        row["specifier"] = {key: format_line(value)}
    return row


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


def render(
    match_seed: int, version: int, sport: str, depth: float = 1.0, shape: str | None = None
) -> list[dict[str, Any]]:
    """BetPawa v4 ``markets`` for one match version at an event depth in [0, 1], its lined rows in ``shape``
    (one of DETAIL_SHAPES; by default the match's own, :func:`detail_shape`)."""
    prices = dict(book_prices(Book.BETPAWA, match_seed, version, sport, depth))
    if sport == "football":
        prices.update(_unmodelled(match_seed, version, depth))
    shape = shape or detail_shape(match_seed)
    next_id = 1_525_000_000 + (match_seed % 1_000_000) * 400
    rendered = priced_markets(prices, match_seed, sport, shape, next_id)
    next_id += len(prices)
    if sport == "football":
        rendered.extend(_extras(match_seed, version, next_id, depth))
        rendered.extend(
            players.render(
                match_seed,
                version,
                depth,
                next_id + 100,
                _price,
                lambda row_id, total: _lined_row(row_id, "total", f"total={format_line(total)}", shape),
            )
        )
    return rendered


def priced_markets(
    prices: BookPrices, match_seed: int, sport: str, shape: str, first_price_id: int
) -> list[dict[str, Any]]:
    """BetPawa ``markets`` of canonical ``prices`` (odds kept on suspended prices, 1.0 where none), lined rows
    in ``shape``: the modelled part of an event detail, prematch or in play."""
    index = _BY_SPORT.get(sport, {})
    next_id = first_price_id
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
                row = _lined_row(row_id, definition.line, spec, shape)
            rows[(market, spec)] = row
            markets[market]["row"].append(row)
        type_id, name = outcomes[outcome]
        handicap = None
        if definition.line != "none":
            handicap = _price_handicap(definition.line, float(spec.partition("=")[2]), outcome)
        next_id += 1
        price = _price(next_id, type_id, name, 1.0 if odds is None else odds, handicap, state == "suspended")
        if definition.line == "hcp3":  # as captured: 3-way handicap prices repeat their text line
            price["displayName"] = "{formattedHandicap}"
            if shape == "goals":
                price["specifier"] = {"hcp": handicap}
            markets[market].setdefault("displayNameColumns", ["1", "X", "2"])
        row["prices"].append(price)
    return list(markets.values())


#: Unmodelled families appear from a depth spread over [0, UNMODELLED_DEPTH_SPAN): the last near depth 1.
UNMODELLED_DEPTH_SPAN = 0.95
#: Markets BetPawa's mapping reads that the model does not price (corners, multigoals...): noise prices,
#: on these lines, from a depth of their own.
_UNMODELLED = [
    (market, definition)
    for market, (definition, _outcomes) in _BY_SPORT["football"].items()
    if market not in MODELLED_FOOTBALL
]


def _lines(definition: BetPawaMarket) -> list[str]:
    if definition.line == "none":
        return [""]
    if definition.line == "total":
        low = 7 if "Corners" in definition.name and "1H" not in definition.name else 3
        low = 1 if "Corners" not in definition.name else low
        return [f"total={format_line(low + k + 0.5)}" for k in range(6)]
    return [f"hcp={format_line(k + 0.5)}" for k in range(-3, 3)]


def _unmodelled(match_seed: int, version: int, depth: float) -> BookPrices:
    out: BookPrices = {}
    for market, definition in _UNMODELLED:
        if depth < 1.0 and unit(market, 0xBE) * UNMODELLED_DEPTH_SPAN >= depth:
            continue
        for spec in _lines(definition):
            _market_version, draw = prop_version(match_seed, version, line_code(market, spec))
            market_suspended = unit(draw, 0x505) < MARKET_SUSPEND_P
            for n, (_type, _name, outcome) in enumerate(definition.prices):
                suspended = market_suspended or unit(draw, n, 3) < OUTCOME_SUSPEND_P
                canonical = "|".join(filter(None, (spec, definition.specifier)))
                odds = prop_odds(Book.BETPAWA, match_seed, market, canonical, outcome, draw, n)
                out[(market, spec, outcome)] = (odds, "suspended" if suspended else "open")
    return out


# BetPawa-typical markets the mapping does not read: (type id, name, [(price type id, name)], rows).
_EXTRAS: list[tuple[str, str, list[tuple[str, str]], int]] = [
    ("80000", "Double Chance 1UP - FT", [("80001", "1X"), ("80002", "X2"), ("80003", "12")], 1),
]


def _extras(match_seed: int, version: int, next_id: int, depth: float) -> list[dict[str, Any]]:
    out = []
    for priority, (type_id, name, prices, _rows) in enumerate(_EXTRAS, start=100):
        if depth < 0.5:
            continue
        _market_version, draw = prop_version(match_seed, version, int(type_id))
        rendered = []
        for n, (price_type, price_name) in enumerate(prices):
            next_id += 1
            odds = round(1.05 + unit(draw, n) * 15, 2)
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
