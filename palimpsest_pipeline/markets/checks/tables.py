"""The markets the single-book checks read, from the vocabulary: complete outcome sets and what each
family's layout implies its prices sum to, two-way ladders, multigoal ranges, each period's reference
markets, and the lines no real market of a bet type offers."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import product
from typing import NamedTuple

from palimpsest_pipeline.markets.grammar.catalogue import SPORT_NUMBERS, UofEntry, uof_index
from palimpsest_pipeline.markets.uof import uof_markets
from palimpsest_pipeline.markets.vocabulary import (
    ASIAN,
    CS_1H_IDS,
    CS_2H_IDS,
    OVER_UNDER,
    SCORE_HANDICAP_MARKETS,
    VOCABULARY,
    correct_score_ft_id,
)

#: Complete markets (exhaustive, exclusive outcomes): their outcome sets, for the overround check.
COMPLETE: dict[int, frozenset[int]] = {
    mid: frozenset(d.outcomes) for mid, d in VOCABULARY.items() if d.complete and d.outcomes
}


class Layout(NamedTuple):
    """What a market's outcome set implies about its prices: ``outcomes`` (all of them), ``winners`` (how
    many of them win whatever happens: a true market's implied probabilities sum to that many times one
    plus its margin) and ``family`` (its name, for a suspect's detail)."""

    outcomes: frozenset[int]
    winners: int
    family: str


#: A double chance outcome is two of the three results: each result wins two of a double chance's outcomes.
_DOUBLE_CHANCE, _DOUBLE_CHANCE_WINNERS = "dc", 2


@cache
def _uof_entries() -> dict[int, UofEntry]:
    """Every UOF market the grammar reads, by id, whatever its sport."""
    return {
        entry.market_id: entry
        for sport in SPORT_NUMBERS
        for entries in uof_index(sport).values()
        for entry in entries
        if entry.outcomes
    }


@cache
def _leg_sets() -> dict[str, tuple[frozenset[str], int]]:
    """Bet -> (its outcome tokens, the winners per result), for the bets whose outcome set the vocabulary
    knows: a complete market's (one winner), double chance's (two); none for a bet read with two sets."""
    entries = _uof_entries()
    found: dict[str, set[tuple[frozenset[str], int]]] = {}
    for market, winners in ((m, 1) for m in COMPLETE):
        entry = entries.get(market)
        if entry is not None and "&" not in entry.description.bet:
            found.setdefault(entry.description.bet, set()).add((frozenset(entry.outcomes), winners))
    for entry in entries.values():
        if entry.description.bet == _DOUBLE_CHANCE:
            found.setdefault(_DOUBLE_CHANCE, set()).add((frozenset(entry.outcomes), _DOUBLE_CHANCE_WINNERS))
    return {bet: next(iter(sets)) for bet, sets in found.items() if len(sets) == 1}


def _winners(bet: str, tokens: frozenset[str]) -> int | None:
    """How many of ``tokens`` (a market of ``bet``, a combination's legs joined by ``&``) win whatever
    happens: the product of its legs' winners, when its tokens are every combination of its legs' known
    outcome sets; None when they are not (a market listing only some, or a leg the vocabulary cannot say)."""
    legs, known = bet.split("&"), _leg_sets()
    winners = 1
    for leg in legs:
        held = known.get(leg)
        if held is None:
            return None
        winners *= held[1]
    expected = {"&".join(parts) for parts in product(*(sorted(known[leg][0]) for leg in legs))}
    return winners if expected == tokens else None


@cache
def market_layout(market: int) -> Layout | None:
    """The layout of a UOF or combination market: a complete market's (one winner), else what its legs'
    outcome sets imply (double chance and its combinations: two); None when its definition cannot say."""
    definition = VOCABULARY.get(market)
    name = definition.name if definition is not None else f"market {market}"
    if market in COMPLETE:
        return Layout(COMPLETE[market], 1, name)
    entry = _uof_entries().get(market)
    if entry is None:
        return None
    winners = _winners(entry.description.bet, frozenset(entry.outcomes))
    return None if winners is None else Layout(frozenset(entry.outcomes.values()), winners, name)


def _two_way_lines(outcomes: Mapping[int, str], key: str) -> frozenset[int]:
    """The complete markets priced on ``outcomes`` whose line is their one specifier ``key``."""
    return frozenset(
        mid
        for mid, d in VOCABULARY.items()
        if d.complete and d.outcomes == outcomes and d.specifier_keys == (key,)
    )


#: Two-way lines: over/under on ``total`` (over less likely as it rises), home/away on ``hcp``.
TOTALS = _two_way_lines(OVER_UNDER, "total")
HANDICAPS = _two_way_lines(ASIAN, "hcp")
#: Bet types whose lines share one unit: a unit misread on some of them is misread on all.
SPREADS = TOTALS | HANDICAPS | SCORE_HANDICAP_MARKETS
OVER, UNDER, AH_HOME, AH_AWAY = 12, 13, 1714, 1715
EH_HOME, EH_DRAW, EH_AWAY = 1711, 1712, 1713
HOME, DRAW, AWAY = 1, 2, 3
DC_1X, DC_12, DC_X2 = 9, 10, 11
DNB_HOME, DNB_AWAY = 4, 5


def _ranges() -> dict[int, dict[int, tuple[int, int]]]:
    """Multigoal markets: outcome -> (lowest, highest) goals, from the UOF names ("1-3", "4+")."""
    found: dict[int, dict[int, tuple[int, int]]] = {}
    for uof in uof_markets():
        if uof.outcomes is None or "multigoals" not in uof.name.lower():
            continue
        spans: dict[int, tuple[int, int]] = {}
        for outcome, name in uof.outcomes.items():
            low, dash, high = name.partition("-")
            if dash and low.isdigit() and high.isdigit():
                spans[outcome] = (int(low), int(high))
            elif name.endswith("+") and name[:-1].isdigit():
                spans[outcome] = (int(name[:-1]), 1_000)
        if len(spans) > 1:
            found[uof.market_id] = spans
    return found


#: Multigoal market -> outcome -> (lowest, highest) goals.
RANGES = _ranges()


@dataclass(frozen=True)
class Scope:
    """The reference markets of one period (full time, a half) and the lines checked against them."""

    x12: int
    double_chance: int
    draw_no_bet: int
    asian: int
    three_way: int
    total: int
    correct_score: int
    #: correct-score outcome -> (home goals, away goals); "other" is absent
    scores: dict[int, tuple[int, int]]
    #: exact goals: (market, specifier, outcome -> goals, the last outcome meaning "or more")
    exact_goals: tuple[int, str, dict[int, int]] | None = None


_FULL_TIME_SCORES = {correct_score_ft_id(home, away): (home, away) for home in range(5) for away in range(5)}
SCOPES = (
    Scope(1, 10, 11, 16, 14, 18, 45, _FULL_TIME_SCORES, (21, "variant=sr:exact_goals:6+", {
        68 + n: n for n in range(7)
    })),
    Scope(60, 63, 64, 66, 65, 68, 81, {outcome: score for score, outcome in CS_1H_IDS.items()}),
    Scope(83, 85, 86, 88, 87, 90, 98, {outcome: score for score, outcome in CS_2H_IDS.items()}),
)  # fmt: skip

#: Every market some check reads; the rest of a payload is never indexed. Of the markets whose layout the
#: catalogue alone gives, those with more than one winner (double chance and its combinations); its other
#: complete markets (corners, bookings...) are left out, as reading them would cost the checks a quarter more.
CONCERNED = frozenset(
    {*COMPLETE, *RANGES}
    | {m for m in _uof_entries() if market_layout(m) is not None and market_layout(m).winners > 1}  # type: ignore[union-attr]
    | {m for s in SCOPES for m in (s.x12, s.double_chance, s.draw_no_bet, s.correct_score)}
)

#: Lines no real market of its bet type is offered at: market -> (specifier key, lowest, highest), for the
#: markets of one sport only (UOF's generic ones, total 18, serve football goals and basketball points
#: alike). They bound sports without a correct score to check against: a total read four times its value
#: falls far outside.
LINE_RANGES: dict[int, tuple[str, float, float]] = {
    187: ("hcp", -18.0, 18.0),  # tennis game handicap: at most 6-0 in each of five sets
    189: ("total", 10.0, 70.0),  # tennis total games
    223: ("hcp", -60.0, 60.0),  # basketball handicap incl. overtime
    224: ("hcp", -60.0, 60.0),
    225: ("total", 60.0, 330.0),  # basketball total points incl. overtime
    226: ("total", 60.0, 330.0),
    232: ("total", 30.0, 170.0),  # basketball 2nd half total
    237: ("hcp", -60.0, 60.0),
    238: ("total", 60.0, 330.0),
}

#: The markets whose lines a check reads on the way (the rest are read only once a line failed).
READ = CONCERNED | frozenset(LINE_RANGES)


@lru_cache(maxsize=65_536)
def line_of(specifier: str, key: str) -> float | None:
    """The number of a one-key specifier (``total=2.5``), None for anything else."""
    name, equals, value = specifier.partition("=")
    if name != key or not equals or "|" in value:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None
