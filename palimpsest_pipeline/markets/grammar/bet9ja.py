"""Bet9ja odds read by the grammar: each market's published name (``D.MK[].DS``) and outcome labels (``SGNK``
-> ``SGN``), and the ``@line`` of its odds keys (``<SPORT>_<MARKET>[@<line>]_<OUTCOME>``), an over/under's
line or a handicap's home line, which a line in the name or labels must agree with (else a LineConflict).
The keys of one market on one line are resolved together (a list's "other" needs the whole list).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from itertools import chain
from typing import Any

from palimpsest_pipeline.markets.free_text import overlong
from palimpsest_pipeline.markets.grammar.description import Description, Key, Refusal, Unreadable
from palimpsest_pipeline.markets.grammar.label_lines import check_names
from palimpsest_pipeline.markets.grammar.lines import LineConflict
from palimpsest_pipeline.markets.grammar.outcomes import implied_bet
from palimpsest_pipeline.markets.grammar.phrases import read_market_name
from palimpsest_pipeline.markets.grammar.resolve import resolve
from palimpsest_pipeline.markets.grammar.walk import JSON_OBJECT
from palimpsest_pipeline.markets.specifiers import SpecifierError, normalise_number
from palimpsest_pipeline.records import MAX_ID_CHARS

SPORTS = {"S": "football", "B": "basketball", "T": "tennis", "LIVES": "football"}


#: A market's published name and its outcome labels ({outcome key: label}), from the event's catalogue.
Named = tuple[str, dict[str, str]]


def _entry(where: str, entry: Mapping[str, Any]) -> Named | Unreadable:
    """One catalogue entry's name and labels. One label that cannot be read makes the whole entry
    unreadable: a list's outcomes are resolved together, and without one of them the others may read as
    another market."""
    name = entry.get("DS") or ""
    if not isinstance(name, str):
        return Unreadable(f"{where}.DS is {type(name).__name__}, not text")
    if reason := overlong(name, "market name"):
        return Unreadable(f"{where}.DS: {reason}")
    keys, labels = entry.get("SGNK"), entry.get("SGN")
    if not isinstance(keys, list) or not isinstance(labels, list):
        return name, {}
    for field, values in (("SGNK", keys), ("SGN", labels)):
        for position, value in enumerate(values):
            if not isinstance(value, str | int) or isinstance(value, bool):
                return Unreadable(f"{where}.{field}[{position}] is {type(value).__name__}, not text")
            if reason := overlong(str(value), "outcome name"):
                return Unreadable(f"{where}.{field}[{position}]: {reason}")
    return name, {str(k): str(v) for k, v in zip(keys, labels, strict=False)}


def _line_values(description: Description, line: str) -> dict[str, str] | Refusal:
    bets = description.bet.split("&")
    wants = "total" if "total" in bets or description.bet.startswith("bothhalves") else None
    wants = "hcp" if "ah" in bets or "eh" in bets else wants
    if wants is None:
        return Refusal(f"@{line}: the name says no line") if line else {}
    if not line:
        return Refusal(f"{description.text()}: no @line")
    try:
        return {wants: normalise_number(line)}
    except SpecifierError as error:
        return Refusal(str(error))


def _named_line_conflict(market: str, line: str, named: Named | None) -> LineConflict | None:
    """The @line against the line the market's name or outcome labels carry ("GG/NG & Over/Under 3.5"):
    a conflict naming both where they differ (grammar/label_lines.py), which the parser sets aside."""
    if not line or named is None:
        return None
    try:
        value = float(normalise_number(line))
    except SpecifierError:
        return None  # not a number (a score "1:0"): the readers below refuse or read it
    return check_names(
        {"total": value, "hcp": value}, [named[0], *named[1].values()], where=f"{market} @{line}: "
    )


def read_odds(payload: Mapping[str, Any]) -> dict[str, Key | Refusal]:
    """The grammar's key (or why none) of every odds key of a GetEvent payload."""
    body = payload.get("D") if isinstance(payload.get("D"), Mapping) else payload
    if not isinstance(body, JSON_OBJECT) or not isinstance(body.get("O"), JSON_OBJECT):
        return {}
    odds = body["O"]
    names, lost = read_catalogue(body.get("MK"))
    groups: dict[tuple[str, str], tuple[list[str], list[str]]] = {}
    keys: dict[str, Key | Refusal] = {}
    for key in odds:
        parts = _key_parts(str(key))
        if not parts:
            keys[key] = Refusal(f"{key!r}: not <SPORT>_<MARKET>[@line]_<OUTCOME>")
            continue
        group, outcome_key = parts
        members = groups.setdefault(group, ([], []))
        members[0].append(str(key))
        members[1].append(outcome_key)
    for (market, line), (member_keys, outcome_keys) in groups.items():
        prefix, _, market_key = market.partition("_")
        named = names.get(market) or names.get("S_" + market_key)
        if named is None and lost is not None:
            named = Unreadable(f"{market}: no published name, and {lost.reason}")
        if isinstance(named, Unreadable):
            keys.update(dict.fromkeys(member_keys, named))
            continue
        read = read_line(market, line, named, tuple(outcome_keys), SPORTS[prefix])
        keys.update(zip(member_keys, read, strict=True))
    return keys


def _key_parts(key: str) -> tuple[tuple[str, str], str] | tuple[()]:
    """An odds key's ((market "S_OU", line), outcome key), or () when not
    ``<SPORT>_<MARKET>[@line]_<OUTCOME>``."""
    prefix, _, rest = key.partition("_")
    head, _, outcome_key = rest.rpartition("_")
    market_key, _, line = head.partition("@")
    if prefix not in SPORTS or not market_key:
        return ()
    return (f"{prefix}_{market_key}", line), outcome_key


def read_catalogue(catalogue: Any) -> tuple[dict[str, _Shape | Unreadable], Unreadable | None]:
    """The event's market catalogue (``D.MK``): each market key's name and labels as a :data:`_Shape` (or why
    its entry cannot be read), and why the catalogue lost an entry whose id cannot be read. A readable entry
    is remembered by its name, outcome keys and labels with their types (``1`` is not ``"1"``)."""
    names: dict[str, _Shape | Unreadable] = {}
    lost: Unreadable | None = None
    shapes = _SHAPES
    for index, entry in enumerate(catalogue if isinstance(catalogue, list) else []):
        market = entry.get("ID") if isinstance(entry, JSON_OBJECT) else None
        if not isinstance(market, str) or len(market) > MAX_ID_CHARS:
            what = f"D.MK[{index}].ID" if isinstance(entry, JSON_OBJECT) else f"D.MK[{index}]"
            shown = f"{len(market)} characters" if isinstance(market, str) else type(market).__name__
            lost = lost or Unreadable(f"{what} is {shown}, not a market id")
            continue
        name, outcome_keys, labels = entry.get("DS"), entry.get("SGNK"), entry.get("SGN")
        signature: tuple[Any, ...] | None = None
        if type(name) is str and type(outcome_keys) is list and type(labels) is list:
            signature = (
                name,
                tuple(outcome_keys),
                tuple(labels),
                tuple(map(type, outcome_keys)),
                tuple(map(type, labels)),
            )
            try:
                shape = shapes.get(signature)
            except TypeError:  # a label that is an object or a list: read (and refused) below
                shape, signature = None, None
            if shape is not None:
                names[market] = shape
                continue
        named = _entry(f"D.MK[{index}] ({market})", entry)
        if isinstance(named, Unreadable):  # its reason names where it is: never remembered
            names[market] = named
            continue
        shape = (named[0], *chain.from_iterable(named[1].items()))
        if signature is not None:
            if len(shapes) >= _MAX_SHAPES:
                shapes.clear()
            shapes[signature] = shape
        names[market] = shape
    return names, lost


_SHAPES: dict[tuple[Any, ...], _Shape] = {}
_MAX_SHAPES = 16_384


#: A market's name and its labels as one hashable value: (name, outcome key, label, outcome key, label...).
_Shape = tuple[str, ...]


def read_line(
    market: str, line: str, shape: _Shape | None, outcome_keys: tuple[str, ...], sport: str
) -> tuple[Key | Refusal, ...]:
    """The keys (or why none) of one market's outcomes on one line, in ``outcome_keys``' order (the keying
    engine remembers the parser's reading per market line)."""
    named = None if shape is None else (shape[0], dict(zip(shape[1::2], shape[2::2], strict=True)))
    conflict = _named_line_conflict(market, line, named)
    if conflict is not None:
        return (conflict,) * len(outcome_keys)
    if named is None:
        return (Refusal(f"{market}: no published name"),) * len(outcome_keys)
    description = read_market_name(named[0], unnamed_bet=_implied_bet(tuple(named[1].values())))
    if isinstance(description, Refusal):
        return (description,) * len(outcome_keys)
    values = _line_values(description, line)
    if isinstance(values, Refusal):
        return (values,) * len(outcome_keys)
    labelled = [(str(index), named[1].get(o, "")) for index, o in enumerate(outcome_keys)]
    resolution = resolve(description.with_params(**values), labelled, sport)
    return tuple(resolution.keys[str(index)] for index in range(len(outcome_keys)))


@lru_cache(maxsize=4096)
def _implied_bet(labels: tuple[str, ...]) -> str:
    """The bet the market's outcome labels say, for a name that names none ("HT Shots": "Over", "Under");
    remembered, as every event lists the same markets."""
    return implied_bet(list(labels))
