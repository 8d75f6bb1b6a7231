"""BetPawa markets read by the grammar: ``marketType`` name (else display name), price names, and each row's
line read by lines.py from every place a row carries it (a row whose places disagree is a ``LineConflict``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from palimpsest_pipeline.markets.grammar.description import (
    UNVALUED,
    Description,
    Key,
    Refusal,
    unreadable_name,
)
from palimpsest_pipeline.markets.grammar.lines import LineConflict, LineKind, row_line
from palimpsest_pipeline.markets.grammar.outcomes import implied_bet
from palimpsest_pipeline.markets.grammar.phrases import read_market_name
from palimpsest_pipeline.markets.grammar.player_bets import names_count
from palimpsest_pipeline.markets.grammar.resolve import resolve
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


def type_description(market_type: Mapping[str, Any], unnamed_bet: str) -> Description | Refusal:
    """The market's description from its type's name (else display name); a name that names no bet ("HT
    Shots") takes ``unnamed_bet``, the bet its price names say."""
    first: Description | Refusal = Refusal("marketType has no name")
    for field in ("name", "displayName"):
        text = market_type.get(field)
        if isinstance(text, str) and text.strip():
            reading = read_market_name(text, unnamed_bet=unnamed_bet)
            if isinstance(reading, Description):
                return reading
            if isinstance(first, Refusal) and first.reason == "marketType has no name":
                first = reading
    return first


def _wanted(description: Description) -> list[tuple[str, LineKind]]:
    """The row parameters a description needs (line, goal number), with the kind of line each is."""
    bets = description.bet.split("&")
    wanted: list[tuple[str, LineKind]] = []
    if "total" in bets or description.bet in ("bothhalvesover", "bothhalvesunder"):
        wanted.append(("total", "total"))
    if "ah" in bets or "eh" in bets:
        wanted.append(("hcp", "hcp" if "ah" in bets else "hcp3"))
    wanted.extend((name, "count") for name, value in description.params if value == UNVALUED)
    return wanted


def _row_values(wanted: list[tuple[str, LineKind]], row: Mapping[str, Any]) -> dict[str, str] | Refusal:
    """The row's values of the ``wanted`` parameters, read by lines.py from every place that carries them;
    why one is missing, or a :class:`LineConflict` where the places disagree."""
    values: dict[str, str] = {}
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
    """Keys for every price of one BetPawa market, by (row index, price index). Rows on one line are one
    market, on other lines others; an over/under without any line ("Total Corners": 0-8, 9-11) is ranges."""
    market_type = mapping_at(market, "marketType")
    name = str(market_type.get("name") or market_type.get("displayName") or "")
    # each object row's prices: a readable name, or why a price has none (its name, or not an object)
    read_rows: list[tuple[int, Mapping[str, Any], list[str | Refusal]]] = []
    labels: dict[str, None] = {}  # the distinct readable names, in order: an unreadable one says nothing
    for r_index, row in enumerate(list_at(market, "row")):
        if not isinstance(row, JSON_OBJECT):
            continue
        names: list[str | Refusal] = []
        prices = row.get("prices")
        for price in prices if isinstance(prices, list) else ():
            if not isinstance(price, JSON_OBJECT):
                names.append(_NOT_AN_OBJECT)
                continue
            unreadable = unreadable_name(price.get("name"), "price name")
            if unreadable is not None:
                names.append(unreadable)
                continue
            text = str(price.get("name") or "")
            labels[text] = None
            names.append(text)
        read_rows.append((r_index, row, names))
    description = type_description(market_type, implied_bet(list(labels)))
    if isinstance(description, Description) and _counts_in_rows(description, labels):
        description = description.with_params(atleast=UNVALUED)
    keys: PriceKeys = {}
    if isinstance(description, Refusal):
        for r_index, _row, names in read_rows:
            keys.update(dict.fromkeys(((r_index, p_index) for p_index in range(len(names))), description))
        return MarketReading(name, description, keys)
    wanted = _wanted(description)
    ranges: tuple[Description, list[tuple[str, LineKind]]] | None = None
    # (read as ranges, the row's values) -> (the line's description, its prices' places and names)
    groups: dict[tuple[Any, ...], tuple[Description, list[tuple[int, int, str]]]] = {}
    for r_index, row, names in read_rows:
        values = _row_values(wanted, row)
        as_ranges = values == _NO_TOTAL and description.bet == "total"
        row_description = description
        if as_ranges:
            if ranges is None:
                read = replace(description, bet="range")
                ranges = read, _wanted(read)
            row_description = ranges[0]
            values = _row_values(ranges[1], row)
        if isinstance(values, Refusal):
            keys.update(dict.fromkeys(((r_index, p_index) for p_index in range(len(names))), values))
            continue
        line = (as_ranges, *values.items())
        group = groups.get(line)
        if group is None:
            group = groups[line] = (row_description.with_params(**values), [])
        for p_index, label in enumerate(names):
            if isinstance(label, Refusal):
                keys[(r_index, p_index)] = label
            else:
                group[1].append((r_index, p_index, label))
    for line_description, priced in groups.values():  # a line's prices read together (exact goals' rows)
        by_ref = resolve(line_description, [(f"{r}:{p}", label) for r, p, label in priced], sport).keys
        keys.update(((r, p), by_ref[f"{r}:{p}"]) for r, p, _label in priced)
    return MarketReading(name, description, keys)


def _counts_in_rows(description: Description, labels: Mapping[str, None]) -> bool:
    """Whether a player's statistic lists the players alone ("Player shots": "Cyle Larin"), each row giving
    the count they are bet to reach (its ``number``: at least 1)."""
    return (
        description.scope == "player"
        and description.bet == "total"
        and not description.params
        and bool(labels)
        and not any(names_count(label) for label in labels)
    )


#: Why a row of an over/under has no line: then the market is read as ranges ("Total Corners": 0-8, 9-11).
_NO_TOTAL = Refusal("row gives no total")
_NOT_AN_OBJECT = Refusal("price is not an object")
