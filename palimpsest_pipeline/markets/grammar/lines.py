"""BetPawa's line of one row, read from every place that carries it and given only when the places agree
(docs/markets-grammar.md, "Lines": a specifier takes its unit, goals or quarters, from the places of known
unit).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from palimpsest_pipeline.markets.grammar.description import Refusal
from palimpsest_pipeline.markets.grammar.walk import JSON_OBJECT
from palimpsest_pipeline.markets.specifiers import SpecifierError, ascii_number

#: What a row's line is: an over/under's ``total``; an Asian handicap's home line (``hcp``: each price's
#: text is its own side's line); a 3-way handicap's home line (``hcp3``: "Home -1" / "Away +1"); a plain
#: count (``count``: the goal number of "{handicap} Goal", the count a player is bet to reach).
LineKind = Literal["total", "hcp", "hcp3", "count"]

#: Specifier keys that carry each kind's number; a count's keys are plain counts in every shape seen.
_SPECIFIER_KEYS: dict[str, tuple[str, ...]] = {
    "total": ("total",),
    "hcp": ("hcp",),
    "hcp3": ("hcp",),
    "count": ("number", "goalnr"),
}
#: Price names that say the side of an Asian handicap price.
_SIDES = {"1": 1, "home": 1, "2": -1, "away": -1}


@dataclass(frozen=True, slots=True)
class LineConflict(Refusal):
    """A line that cannot be read with certainty (places disagree, one is unreadable, its unit or side
    cannot be told): the row is set aside with this reason, never keyed by a fallback."""


@dataclass(frozen=True, slots=True)
class _Place:
    """One place's reading: ``value`` in goals (home line for handicaps), or only its size when the
    price's side is unknown (``signed`` False)."""

    where: str
    raw: Any
    value: float
    signed: bool = True


def row_line(
    row: Mapping[str, Any], kind: LineKind, sides: Sequence[int] | None = None
) -> float | LineConflict | None:
    """The row's line in goals (an over/under's total, a handicap's HOME line, a count), None when no place
    carries one, a :class:`LineConflict` when it cannot be read with certainty. ``sides``: each price's side
    (+1 home, -1 away, 0 unknown) for an Asian handicap; by default read from the price names."""
    try:
        known, unknown = _places(row, kind, sides)
    except _Unreadable as bad:
        return LineConflict(f"{bad.where}: unreadable line ({bad.raw!r})")
    line = _agreed(known)
    if isinstance(line, LineConflict):
        return line
    resolved: list[_Place] = []
    for place in unknown:
        reading = _resolve_unit(place, line, known, _null_keys(row))
        if isinstance(reading, LineConflict):
            return reading
        resolved.append(reading)
    every = known + resolved
    if not every:
        return None
    agreed = _agreed(every)
    if isinstance(agreed, LineConflict):
        return agreed
    signed = next((p.value for p in every if p.signed), None)
    if signed is None:
        if kind == "hcp" and every[0].value != 0:
            return LineConflict(f"{_describe(every)}: no place says which side the line is on")
        return abs(every[0].value) if kind == "hcp" else every[0].value
    return signed


class _Unreadable(ValueError):
    def __init__(self, where: str, raw: Any) -> None:
        super().__init__(where)
        self.where, self.raw = where, raw


def _number(where: str, raw: Any) -> float:
    """A number from a JSON number or ASCII text; anything else (NaN, a list, "two") is unreadable."""
    if isinstance(raw, bool):
        raise _Unreadable(where, raw)
    if isinstance(raw, int | float):
        value = float(raw)
    elif isinstance(raw, str):
        try:
            value = ascii_number(raw.strip())
        except SpecifierError:
            raise _Unreadable(where, raw) from None
    else:
        raise _Unreadable(where, raw)
    if not math.isfinite(value):
        raise _Unreadable(where, raw)
    return value


def _text(where: str, raw: Any) -> tuple[int, float]:
    """A price's line text: "Home -1" -> (1, -1.0), "Away +1" -> (-1, 1.0), "-0.5" -> (0, -0.5)."""
    if not isinstance(raw, str):
        raise _Unreadable(where, raw)
    word, _, number = raw.strip().rpartition(" ")
    side = _SIDES.get(word.lower()) if word else 0
    if side is None:
        raise _Unreadable(where, raw)
    return side, _number(where, number)


def _price_place(where: str, raw: Any, kind: LineKind, name_side: int) -> _Place:
    """A price's own line (its ``handicap`` text or ``specifier`` value) as the row's line."""
    if kind == "total" or kind == "count":
        return _Place(where, raw, _number(where, raw))
    side, number = _text(where, raw)
    if kind == "hcp3":
        if side == 0:  # a 3-way line without its side: the home line only if it says so
            raise _Unreadable(where, raw)
        return _Place(where, raw, number * side)
    side = side or name_side
    return _Place(where, raw, number * side if side else abs(number), signed=bool(side) or number == 0)


def _places(
    row: Mapping[str, Any], kind: LineKind, sides: Sequence[int] | None
) -> tuple[list[_Place], list[_Place]]:
    """(places of known unit, places of unknown unit) that carry a value for this row."""
    known: list[_Place] = []
    unknown: list[_Place] = []
    keys = _SPECIFIER_KEYS[kind]
    prices = row.get("prices")
    for index, price in enumerate(prices if isinstance(prices, list) else []):
        if not isinstance(price, JSON_OBJECT):
            continue
        name_side = sides[index] if sides is not None and index < len(sides) else _name_side(price)
        text = price.get("handicap")
        if text is not None and text != "":
            known.append(_price_place(f"prices[{index}].handicap", text, kind, name_side))
        specifier = price.get("specifier")
        if isinstance(specifier, JSON_OBJECT):
            for key in keys:
                if specifier.get(key) is not None:
                    where = f"prices[{index}].specifier.{key}"
                    place = _price_place(where, specifier[key], kind, name_side)
                    (known if kind == "count" else unknown).append(place)
    quarters = row.get("handicap")
    if quarters is not None:
        known.append(_Place("row.handicap", quarters, _number("row.handicap", quarters) / 4))
    formatted = row.get("formattedHandicap")
    if formatted is not None:
        known.append(_Place("formattedHandicap", formatted, _number("formattedHandicap", formatted)))
    specifier = row.get("specifier")
    if isinstance(specifier, JSON_OBJECT):
        for key in keys:
            value = specifier.get(key)
            if value is None:
                continue
            where = f"row.specifier.{key}"
            place = _Place(where, value, _number(where, value))
            (known if kind == "count" else unknown).append(place)  # a count is a count in every shape
    return known, unknown


def _name_side(price: Mapping[str, Any]) -> int:
    name = price.get("name")
    return _SIDES.get(name.strip().lower(), 0) if isinstance(name, str) else 0


def _same(a: _Place, b: _Place) -> bool:
    if a.signed and b.signed:
        return abs(a.value - b.value) < 1e-9
    return abs(abs(a.value) - abs(b.value)) < 1e-9


def _agreed(places: list[_Place]) -> _Place | LineConflict | None:
    """The first place when every place agrees with every other, else a conflict naming them all."""
    for index, place in enumerate(places):
        if any(not _same(place, other) for other in places[index + 1 :]):
            return LineConflict(f"places disagree: {_describe(places)}")
    return places[0] if places else None


def _describe(places: list[_Place]) -> str:
    return ", ".join(f"{p.where}={p.raw!r}" for p in places)


def _null_keys(row: Mapping[str, Any]) -> bool:
    """The mid-2026 shape's hint: a specifier listing keys with null values (a hint, never a proof)."""
    specifier = row.get("specifier")
    return isinstance(specifier, JSON_OBJECT) and any(value is None for value in specifier.values())


def _resolve_unit(
    place: _Place, line: _Place | LineConflict | None, known: list[_Place], null_keys: bool
) -> _Place | LineConflict:
    """A specifier's value in goals: the unit (goals or quarters) in which it meets the known places; with
    none to meet, goals when it has a fraction or no null keys hint at quarters, else refused."""
    as_quarters = _Place(place.where, place.raw, place.value / 4, place.signed)
    if isinstance(line, _Place):
        if _same(line, place):
            return place
        if _same(line, as_quarters):
            return as_quarters
        return LineConflict(
            f"places disagree: {_describe([*known, place])} (the specifier read as goals or as quarters)"
        )
    if place.value != int(place.value) or not null_keys:
        return place
    return LineConflict(
        f"{place.where}={place.raw!r} alone carries the line, and its unit (goals or quarters) "
        f"cannot be checked: no price text, row.handicap or formattedHandicap"
    )
