"""The UOF catalogue (``uof_grammar.json``) read by the same grammar as the books: description shape -> UOF
market, per sport. A template or outcome the grammar cannot read is not indexed: nothing lands on it by guess.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from palimpsest_pipeline.markets.grammar.description import Description, Refusal
from palimpsest_pipeline.markets.grammar.outcomes import read_outcome_name
from palimpsest_pipeline.markets.grammar.phrases import read_market_name

#: The project's sports by SportRadar sport number.
SPORT_NUMBERS = {"football": 1, "basketball": 2, "tennis": 5}


@dataclass(frozen=True, slots=True)
class UofEntry:
    """One UOF market as the grammar reads it: outcome token -> UOF outcome id (per variant if any)."""

    market_id: int
    name: str
    description: Description
    specifiers: frozenset[str]
    outcomes: dict[str, int]
    variants: dict[str, dict[str, int]]


def _tokens(names: dict[str, str], bet: str) -> dict[str, int] | None:
    """token -> outcome id, or None when an outcome does not read or two read alike (not indexable)."""
    tokens: dict[str, int] = {}
    for outcome_id, name in names.items():
        token = read_outcome_name(name, bet)
        if isinstance(token, Refusal) or token in tokens or not outcome_id.isdigit():
            return None
        tokens[token] = int(outcome_id)
    return tokens


def _entry(row: list[object]) -> UofEntry | None:
    market_id, name, specifiers, outcomes, _sports, variants = row
    assert isinstance(market_id, int) and isinstance(name, str)
    assert isinstance(specifiers, list) and isinstance(variants, dict)
    description = read_market_name(name)
    if isinstance(description, Refusal):
        return None
    read_variants = {
        variant: tokens for variant, names in variants.items() if (tokens := _tokens(names, description.bet))
    }
    fixed = _tokens(outcomes, description.bet) if isinstance(outcomes, dict) else None
    if fixed is None and not read_variants:
        return None
    return UofEntry(market_id, name, description, frozenset(specifiers), fixed or {}, read_variants)


def _rows() -> list[list[Any]]:
    text = (
        files("palimpsest_pipeline.markets.grammar").joinpath("uof_grammar.json").read_text(encoding="utf-8")
    )
    return json.loads(text)["markets"]


@cache
def uof_index(sport: str) -> dict[tuple[object, ...], tuple[UofEntry, ...]]:
    """Description shape -> the UOF markets of ``sport`` (and of every sport) that read to it."""
    number = SPORT_NUMBERS[sport]
    index: dict[tuple[object, ...], list[UofEntry]] = {}
    for row in _rows():
        sports = row[4]
        if sports != ["all"] and number not in sports:
            continue
        entry = _entry(row)
        if entry is not None:
            index.setdefault(entry.description.shape, []).append(entry)
    return {shape: tuple(entries) for shape, entries in index.items()}


@cache
def uof_entry(market_id: int) -> UofEntry | None:
    """The grammar's reading of one UOF market, whatever its sport (None when it does not read)."""
    for row in _rows():
        if row[0] == market_id:
            return _entry(row)
    return None
