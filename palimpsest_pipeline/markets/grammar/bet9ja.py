"""Bet9ja odds read by the grammar: each market's published name (``D.MK[].DS``) and outcome labels (``SGNK``
-> ``SGN``), and the ``@line`` of its odds keys (``<SPORT>_<MARKET>[@<line>]_<OUTCOME>``), an over/under's
line or a handicap's home line, which a line in the name or labels must agree with (else a LineConflict).
The keys of one market on one line are resolved together (a list's "other" needs the whole list).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from itertools import chain
from typing import Any

from palimpsest_pipeline.markets.free_text import MAX_NAME_LENGTH, overlong
from palimpsest_pipeline.markets.grammar.description import Description, Key, Refusal, Unreadable
from palimpsest_pipeline.markets.grammar.label_lines import check_names
from palimpsest_pipeline.markets.grammar.lines import LineConflict
from palimpsest_pipeline.markets.grammar.outcomes import implied_bet
from palimpsest_pipeline.markets.grammar.phrases import read_market_name
from palimpsest_pipeline.markets.grammar.resolve import resolve
from palimpsest_pipeline.markets.grammar.walk import JSON_OBJECT
from palimpsest_pipeline.markets.specifiers import SpecifierError, normalise_number
from palimpsest_pipeline.records import MAX_ID_CHARS

SPORTS = {
    "S": "football",
    "B": "basketball",
    "T": "tennis",
    "LIVES": "football",
    "LIVEB": "basketball",
    "LIVET": "tennis",
}
#: A digit: a name without one names no line (grammar/label_lines.py reads a line from digits only).
_DIGIT = re.compile(r"\d")


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


def _line_values(description: Description, line: str) -> Description | Refusal:
    """The description with the @line as the parameter its bet takes (a total, a handicap), or why not."""
    bets = description.bet.split("&")
    wants = "total" if "total" in bets or description.bet.startswith("bothhalves") else None
    wants = "hcp" if "ah" in bets or "eh" in bets else wants
    if wants is None:
        return Refusal(f"@{line}: the name says no line") if line else description.with_params()
    if not line:
        return Refusal(f"{description.text()}: no @line")
    try:
        return description.with_params(**{wants: normalise_number(line)})
    except SpecifierError as error:
        return Refusal(str(error))


def _named_line_conflict(market: str, line: str, names: list[str]) -> LineConflict | None:
    """The @line against the line the market's name or outcome labels (``names``) carry ("GG/NG & Over/Under
    3.5"): a conflict naming both where they differ (grammar/label_lines.py), which the parser sets aside."""
    if not line:
        return None
    try:
        value = float(normalise_number(line))
    except SpecifierError:
        return None  # not a number (a score "1:0"): the readers below refuse or read it
    return check_names({"total": value, "hcp": value}, names, where=f"{market} @{line}: ")


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
        read = read_lines(market, named, {line: tuple(outcome_keys)}, SPORTS[prefix])[0]
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
    its entry cannot be read), and why the catalogue lost an entry whose id cannot be read."""
    names: dict[str, _Shape | Unreadable] = {}
    lost: Unreadable | None = None
    for index, entry in enumerate(catalogue if isinstance(catalogue, list) else []):
        market = entry.get("ID") if isinstance(entry, JSON_OBJECT) else None
        if not isinstance(market, str) or len(market) > MAX_ID_CHARS:
            what = f"D.MK[{index}].ID" if isinstance(entry, JSON_OBJECT) else f"D.MK[{index}]"
            shown = f"{len(market)} characters" if isinstance(market, str) else type(market).__name__
            lost = lost or Unreadable(f"{what} is {shown}, not a market id")
            continue
        name, outcome_keys, labels = entry.get("DS"), entry.get("SGNK"), entry.get("SGN")
        if type(name) is str and type(outcome_keys) is list and type(labels) is list:
            texts = [name, *outcome_keys, *labels]
            shape = [name] * (2 * len(labels) + 1)
            try:  # the usual entry, in C: text only (joining anything else raises), none long
                if len("".join(texts)) <= MAX_NAME_LENGTH or max(map(len, texts)) <= MAX_NAME_LENGTH:
                    shape[1::2], shape[2::2] = outcome_keys, labels  # lengths that differ: ValueError
                    names[market] = tuple(shape)
                    continue
            except (TypeError, ValueError):
                pass
        named = _entry(f"D.MK[{index}] ({market})", entry)
        names[market] = named if isinstance(named, Unreadable) else (named[0], *chain(*named[1].items()))
    return names, lost


#: A market's name and its labels as one hashable value: (name, outcome key, label, outcome key, label...);
#: of a key listed twice its readers take the last label.
_Shape = tuple[str, ...]


def read_lines(
    market: str, shape: _Shape | None, lines: Mapping[str, tuple[str, ...]], sport: str
) -> list[tuple[Key | Refusal, ...]]:
    """The keys (or why none) of one market's outcomes on each line of ``lines`` (line -> outcome keys), in
    their order; the name is read once for every line (the keying engine remembers the parser's reading)."""
    if shape is None:
        return [(Refusal(f"{market}: no published name"),) * len(keys) for keys in lines.values()]
    labels = dict(zip(shape[1::2], shape[2::2], strict=True))
    description = read_market_name(shape[0], unnamed_bet=_implied_bet(tuple(labels.values())))
    names = [name for name in (shape[0], *labels.values()) if _DIGIT.search(name)]  # none: no line named
    readings: list[tuple[Key | Refusal, ...]] = []
    for line, outcome_keys in lines.items():
        read = (_named_line_conflict(market, line, names) if names else None) or description
        if isinstance(read, Description):
            read = _line_values(read, line)
        if isinstance(read, Refusal):
            readings.append((read,) * len(outcome_keys))
            continue
        labelled = [(str(index), labels.get(o, "")) for index, o in enumerate(outcome_keys)]
        resolution = resolve(read, labelled, sport)
        readings.append(tuple(resolution.keys[str(index)] for index in range(len(outcome_keys))))
    return readings


@lru_cache(maxsize=4096)
def _implied_bet(labels: tuple[str, ...]) -> str:
    """The bet the market's outcome labels say, for a name that names none ("HT Shots": "Over", "Under");
    remembered, as every event lists the same markets."""
    return implied_bet(list(labels))
