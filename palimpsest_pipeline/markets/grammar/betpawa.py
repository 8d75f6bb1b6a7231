"""BetPawa markets read by the grammar: ``marketType`` name (else display name), each row's line, price names.
A name that names no bet ("HT Shots") reads it from the price names (``outcomes.implied_bet``).

Lines (an over/under's total, a handicap's HOME line, "{handicap} Goal"'s goal number) are read by
lines.py from every place a row carries them, in the unit each place has; a row whose places disagree is a
:class:`~palimpsest_pipeline.markets.grammar.lines.LineConflict`, which the parser sets aside.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from palimpsest_pipeline.markets.grammar.description import UNVALUED, Description, Refusal, unreadable_name
from palimpsest_pipeline.markets.grammar.lines import LineConflict, LineKind, row_line
from palimpsest_pipeline.markets.grammar.outcomes import implied_bet
from palimpsest_pipeline.markets.grammar.phrases import read_market_name
from palimpsest_pipeline.markets.grammar.resolve import Key, resolve
from palimpsest_pipeline.markets.grammar.walk import JSON_OBJECT, list_at, mapping_at
from palimpsest_pipeline.markets.specifiers import format_line

#: (row index, price index) -> key or why not
PriceKeys = dict[tuple[int, int], Key | Refusal]


@dataclass(frozen=True, slots=True)
class MarketReading:
    """What the grammar made of one market: its description (or why none) and each price's key."""

    name: str
    description: Description | Refusal
    keys: PriceKeys


def _description(market_type: Mapping[str, Any], labels: list[str]) -> Description | Refusal:
    """The market's description from its type's name (else display name); a name that names no bet ("HT
    Shots") takes the bet its price names say (``implied_bet``: "Over"/"Under" is an over/under)."""
    first: Description | Refusal = Refusal("marketType has no name")
    unnamed_bet = implied_bet(labels)
    for field in ("name", "displayName"):
        text = market_type.get(field)
        if isinstance(text, str) and text.strip():
            reading = read_market_name(text, unnamed_bet=unnamed_bet)
            if isinstance(reading, Description):
                return reading
            if isinstance(first, Refusal) and first.reason == "marketType has no name":
                first = reading
    return first


def _row_values(description: Description, row: Mapping[str, Any]) -> dict[str, str] | Refusal:
    """The row's parameter values the description needs (line, goal number), read by lines.py from every
    place that carries them; why one is missing, or a :class:`LineConflict` where the places disagree."""
    bets = description.bet.split("&")
    values: dict[str, str] = {}
    wanted: list[tuple[str, LineKind]] = []
    if "total" in bets or description.bet in ("bothhalvesover", "bothhalvesunder"):
        wanted.append(("total", "total"))
    if "ah" in bets or "eh" in bets:
        wanted.append(("hcp", "hcp" if "ah" in bets else "hcp3"))
    wanted.extend((name, "count") for name, value in description.params if value == UNVALUED)
    for name, kind in wanted:
        line = row_line(row, kind)
        if isinstance(line, Refusal):
            return line
        if line is None:
            return Refusal(f"row gives no {name}")
        if kind == "count" and line != int(line):
            return LineConflict(f"row gives {name} {line!r}, not a whole count")
        values[name] = format_line(line)
    return values


def read_market(market: Mapping[str, Any], sport: str) -> MarketReading:
    """Keys for every price of one BetPawa market, by (row index, price index).

    Rows on the same line are one market (exact goals spread over rows); rows on other lines are others.
    An over/under named without any line ("Total Corners": 0-8, 9-11, 12+) is read as ranges. A reading is
    remembered by everything it reads (names, lines, price names): the same market on the next event or
    capture costs one lookup."""
    try:
        signature = (sport, _signature(market))
        reading = _READINGS.get(signature)
    except TypeError:  # a value that cannot be a key (a list where a name belongs): read it afresh
        return _read_market(market, sport)
    if reading is None:
        if len(_READINGS) >= _MAX_READINGS:
            _READINGS.clear()
        reading = _READINGS[signature] = _read_market(market, sport)
    return reading


#: Why a row of an over/under has no line: then the market is read as ranges ("Total Corners": 0-8, 9-11).
_NO_TOTAL = Refusal("row gives no total")
#: Remembered readings, by (sport, signature); cleared whole when full (books reuse a few thousand markets).
_READINGS: dict[tuple[str, tuple[Any, ...]], MarketReading] = {}
_MAX_READINGS = 20_000
_ROW_FIELDS = ("handicap", "formattedHandicap")


def _signature(market: Mapping[str, Any]) -> tuple[Any, ...]:
    """Everything :func:`_read_market` reads of a market, as a hashable value (not the prices' odds)."""
    market_type = mapping_at(market, "marketType")
    rows: list[tuple[Any, ...] | None] = []
    for row in list_at(market, "row"):
        if not isinstance(row, JSON_OBJECT):
            rows.append(None)
            continue
        prices = tuple(
            (p.get("name"), p.get("handicap"), _items(p.get("specifier")))
            if isinstance(p, JSON_OBJECT)
            else None
            for p in list_at(row, "prices")
        )
        rows.append((_items(row.get("specifier")), *(_typed(row.get(f)) for f in _ROW_FIELDS), prices))
    return (_typed(market_type.get("name")), _typed(market_type.get("displayName")), tuple(rows))


def _items(specifier: Any) -> tuple[Any, ...] | None:
    """A specifier as a hashable value, its values typed ("2" and 2 read differently)."""
    if not isinstance(specifier, JSON_OBJECT):
        return None
    return tuple(sorted((key, _typed(value)) for key, value in specifier.items()))


def _typed(value: Any) -> tuple[type, Any]:
    """A value with its type: 1, 1.0 and True are equal keys, but not equal readings."""
    return type(value), value


def _price_names(rows: list[Any]) -> list[str]:
    """The market's distinct readable price names, in the order its rows list them (an unreadable one says
    nothing of the market: it costs its own price, ``description.unreadable_name``)."""
    names = (
        str(price.get("name") or "")
        for row in rows
        if isinstance(row, JSON_OBJECT)
        for price in list_at(row, "prices")
        if isinstance(price, JSON_OBJECT) and unreadable_name(price.get("name"), "price name") is None
    )
    return list(dict.fromkeys(names))


def _read_market(market: Mapping[str, Any], sport: str) -> MarketReading:
    market_type = mapping_at(market, "marketType")
    name = str(market_type.get("name") or market_type.get("displayName") or "")
    rows = list_at(market, "row")
    description = _description(market_type, _price_names(rows))
    keys: PriceKeys = {}
    groups: dict[Description, list[tuple[str, str]]] = {}
    for r_index, row in enumerate(rows):
        if not isinstance(row, JSON_OBJECT):
            continue
        prices = list_at(row, "prices")
        refs = [(r_index, p_index) for p_index in range(len(prices))]
        if isinstance(description, Refusal):
            keys.update(dict.fromkeys(refs, description))
            continue
        row_description = description
        values = _row_values(row_description, row)
        if values == _NO_TOTAL and description.bet == "total":
            row_description = Description(description.counted, description.period, description.scope, "range",
                                          description.qualifiers, description.params)  # fmt: skip
            values = _row_values(row_description, row)
        if isinstance(values, Refusal):
            keys.update(dict.fromkeys(refs, values))
            continue
        group = groups.setdefault(row_description.with_params(**values), [])
        for r, p in refs:
            if not isinstance(prices[p], Mapping):
                keys[(r, p)] = Refusal("price is not an object")
            elif (unreadable := unreadable_name(prices[p].get("name"), "price name")) is not None:
                keys[(r, p)] = unreadable
            else:
                group.append((f"{r}:{p}", str(prices[p].get("name") or "")))
    for line_description, named in groups.items():
        for ref, key in resolve(line_description, named, sport).keys.items():
            r_text, _, p_text = ref.partition(":")
            keys[(int(r_text), int(p_text))] = key
    return MarketReading(name, description, keys)
