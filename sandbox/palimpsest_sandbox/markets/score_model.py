"""Fair probabilities of goal bets the model's own markets do not list, from the model's own goal rates: goal
ranges (multigoals of the match, a team or a half), which half a team scores more in, and any combination of
goal bets ("1X + 4-5 goals", "1X at half time and 2 at full time", "no goal in the first half and one in the
second"), taken jointly over the match's score, never as a product of independent legs.

The match is the model's (model.py: independent Poisson goals per team and half, the match's own strengths at
version 0, as the other shared props); its scores are enumerated once per match as cells with their
probabilities: a period's (home, away) goals for bets on one period, the match's goals by half (first-half
home, first-half away, second-half home, second-half away) where a bet spans periods. A bet is the set of
cells it wins on; an "all of" is the sets' intersection, an "any of" their union, so ranges nest exactly and a
combination is never priced beyond its legs.
"""

from __future__ import annotations

import itertools
import math
from array import array
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import cast

from palimpsest_pipeline.markets.combinations import ALL_OF, ANY_OF, NO, YES, Leg
from palimpsest_sandbox.markets.model import HALF_SHARE, goal_rates

#: UOF's multigoals ranges (548 the match; 549/550 a team, 552/553 a half), as ../shared/uof lists them:
#: outcome -> (fewest, most) goals; ``None`` as most is open ("7+").
MULTIGOALS_TOTAL: dict[int, tuple[int, int | None]] = {
    **{1730 + i: span for i, span in enumerate((a, b) for a in range(1, 6) for b in range(a + 1, 7))},
    1745: (7, None),
    1804: (0, 0),
}
MULTIGOALS_SHORT: dict[int, tuple[int, int | None]] = {
    1746: (1, 2),
    1747: (1, 3),
    1748: (2, 3),
    1749: (4, None),
    1805: (0, 0),
}
#: Cells less likely than this are left out (their mass is far below any price's rounding).
_MIN_CELL = 1e-9
_MAX_GOALS_HALF = 10
_MAX_GOALS = 2 * _MAX_GOALS_HALF

Cell = tuple[int, ...]  # a period's (home, away) goals, or the match's by half (first home, first away, ...)
Score = tuple[int, int]
_Wins = Callable[[Score], bool]
#: Where a bet is decided: a period's score ("full", "first", "second") or the match's by half ("halves").
FULL, FIRST, SECOND, HALVES = "full", "first", "second", "halves"


def _pmf(rate: float, most: int) -> list[float]:
    return [math.exp(-rate) * rate**k / math.factorial(k) for k in range(most + 1)]


_SCOPE_SIDES = {FULL: 2, FIRST: 2, SECOND: 2, HALVES: 4}


def _most(scope: str) -> int:
    return _MAX_GOALS if scope == FULL else _MAX_GOALS_HALF


@lru_cache(maxsize=4)
def _grid(scope: str) -> tuple[Cell, ...]:
    """Every score a bet decided in ``scope`` is read on, the same for every match: its cells are numbered
    by their place here, so which cells a bet wins on is worked out once, not once per match."""
    return tuple(itertools.product(range(_most(scope) + 1), repeat=_SCOPE_SIDES[scope]))


@lru_cache(maxsize=128)  # up to ~120 kB a match's halves (a few kB a period): its bets are priced together
def _probabilities(match_seed: int, scope: str) -> array[float]:
    """The probability of each cell of ``_grid(scope)`` for the match (independent Poisson goals per team and
    half, its rates at version 0); 0 for a cell less likely than ``_MIN_CELL``. Each product is taken in the
    order of the sides, so every cell's probability is the same float whichever cells a bet reads."""
    home, away = goal_rates(match_seed, 0)
    first = (home * HALF_SHARE, away * HALF_SHARE)
    second = (home * (1 - HALF_SHARE), away * (1 - HALF_SHARE))
    rates = {FULL: (home, away), FIRST: first, SECOND: second, HALVES: (*first, *second)}[scope]
    pmfs = [_pmf(rate, _most(scope)) for rate in rates]
    if len(pmfs) == 2:
        products = [a * b for a in pmfs[0] for b in pmfs[1]]
    else:
        pairs = [a * b for a in pmfs[0] for b in pmfs[1]]
        products = [(ab * c) * d for ab in pairs for c in pmfs[2] for d in pmfs[3]]
    # The products only fall as sides multiply in (each factor is at most 1): a cell whose product is at
    # least _MIN_CELL never fell below it on the way.
    return array("d", [p if p >= _MIN_CELL else 0.0 for p in products])


def _first(cell: Cell) -> Score:
    return cell[0], cell[1]


def _second(cell: Cell) -> Score:
    return cell[2], cell[3]


def _full(cell: Cell) -> Score:
    return cell[0] + cell[2], cell[1] + cell[3]


#: Goal markets by the period they count: market ids of 1x2, double chance, total, home total, away total,
#: both teams to score and multigoals, per period.
_PERIODS: tuple[tuple[str, dict[str, int]], ...] = (
    (FULL, {"1x2": 1, "dc": 10, "total": 18, "home": 19, "away": 20, "btts": 29, "range": 548}),
    (FIRST, {"1x2": 60, "dc": 63, "total": 68, "home": 69, "away": 70, "btts": 75, "range": 552}),
    (SECOND, {"1x2": 83, "dc": 85, "total": 90, "home": 91, "away": 92, "btts": 95, "range": 553}),
)
_PROJECT: dict[str, Callable[[Cell], Score]] = {FULL: _full, FIRST: _first, SECOND: _second}
_RESULT = {1: 1, 2: 0, 3: -1}  # 1x2 outcome -> sign of the margin
_DOUBLE = {9: (1, 0), 10: (1, -1), 11: (0, -1)}  # double chance outcome -> the signs it wins on
_OVER, _UNDER = 12, 13
#: UOF 47 (half time/full time): outcome -> (half-time sign, full-time sign).
_HT_FT = {
    418: (1, 1), 420: (1, 0), 422: (1, -1), 424: (0, 1), 426: (0, 0),
    428: (0, -1), 430: (-1, 1), 432: (-1, 0), 434: (-1, -1),
}  # fmt: skip
#: UOF 53/54 (the half a team scores more in): outcome -> -1 first, 0 equal, 1 second half.
_MORE_IN = {436: -1, 440: 0, 438: 1}
_TEAM_RANGE = {549: 0, 550: 1}
_TEAM_MORE_IN = {53: 0, 54: 1}


def _sign(score: Score) -> int:
    return (score[0] > score[1]) - (score[0] < score[1])


def _total_line(spec: str) -> float | None:
    key, _, value = spec.partition("=")
    if key != "total" or "|" in spec:
        return None
    try:
        line = float(value)
    except ValueError:
        return None
    return line if (line * 2) % 2 == 1 else None  # a half line: no push


def _in_range(goals: int, span: tuple[int, int | None]) -> bool:
    return span[0] <= goals and (span[1] is None or goals <= span[1])


def _period_wins(ids: dict[str, int], market: int, spec: str, outcome: int) -> _Wins | None:
    """The scores of one period on which a bet on that period wins."""
    if market == ids["1x2"] and not spec and outcome in _RESULT:
        sign = _RESULT[outcome]
        return lambda score: _sign(score) == sign
    if market == ids["dc"] and not spec and outcome in _DOUBLE:
        signs = _DOUBLE[outcome]
        return lambda score: _sign(score) in signs
    if market == ids["btts"] and not spec and outcome in (YES, NO):
        both = outcome == YES
        return lambda score: (min(score) > 0) == both
    counted: dict[int, Callable[[Score], int]] = {
        ids["total"]: sum,
        ids["home"]: lambda s: s[0],
        ids["away"]: lambda s: s[1],
    }
    line = _total_line(spec)
    if market in counted and line is not None and outcome in (_OVER, _UNDER):
        goals, over = counted[market], outcome == _OVER
        return lambda score: (goals(score) > line) == over
    if market == ids["range"] and not spec:
        span = (MULTIGOALS_TOTAL if market == 548 else MULTIGOALS_SHORT).get(outcome)
        if span is not None:
            return lambda score: _in_range(sum(score), span)
        return None
    if market in _TEAM_RANGE and ids["range"] == 548 and not spec and outcome in MULTIGOALS_SHORT:
        side, team_span = _TEAM_RANGE[market], MULTIGOALS_SHORT[outcome]
        return lambda score: _in_range(score[side], team_span)
    return None


@lru_cache(maxsize=8_192)
def _wins(leg: Leg) -> tuple[str, Callable[[Cell], bool]] | None:
    """Where a goal bet is decided and the cells it wins on; None for a bet that is not one on the match's
    goals by half."""
    market, spec, outcome = leg
    for scope, ids in _PERIODS:
        wins = _period_wins(ids, market, spec, outcome)
        if wins is not None:
            return scope, cast(Callable[[Cell], bool], wins)  # a period's cell is its (home, away) score
    if market == 47 and not spec and outcome in _HT_FT:
        half, full = _HT_FT[outcome]
        return HALVES, lambda cell: _sign(_first(cell)) == half and _sign(_full(cell)) == full
    if market in _TEAM_MORE_IN and not spec and outcome in _MORE_IN:
        side, later = _TEAM_MORE_IN[market], _MORE_IN[outcome]
        return HALVES, lambda cell: (cell[side + 2] > cell[side]) - (cell[side + 2] < cell[side]) == later
    return None


def _on(scope: str, leg: Leg) -> Callable[[Cell], bool]:
    """The leg's test on cells of ``scope`` (its own, or the match's by half)."""
    read = _wins(leg)
    assert read is not None
    own, wins = read
    if own == scope:
        return wins
    project = _PROJECT[own]
    return lambda cell: wins(project(cell))


@lru_cache(maxsize=4_096)  # the same for every match: a few hundred goal bets exist
def _winning_cells(scope: str, leg: Leg) -> frozenset[int]:
    wins = _on(scope, leg)
    return frozenset(i for i, cell in enumerate(_grid(scope)) if wins(cell))


def _mass(match_seed: int, scope: str, winning: frozenset[int]) -> float:
    """The exactly rounded sum (fsum: whatever the order) of the winning cells' probabilities."""
    return math.fsum(map(_probabilities(match_seed, scope).__getitem__, winning))


@lru_cache(maxsize=65_536)
def leg_probability(match_seed: int, leg: Leg) -> float | None:
    """The fair probability of one goal bet (a canonical key); None where it is not a goal bet by half."""
    read = _wins(leg)
    if read is None:
        return None
    return _mass(match_seed, read[0], _winning_cells(read[0], leg))


@lru_cache(maxsize=65_536)
def _joint(match_seed: int, kind: int, legs: tuple[Leg, ...]) -> float | None:
    scopes = set()
    for leg in legs:
        read = _wins(leg)
        if read is None:
            return None
        scopes.add(read[0])
    if scopes == {FIRST, SECOND}:  # the halves' goals are independent: combine each half's, then multiply
        first = _combined(match_seed, FIRST, kind, [leg for leg in legs if _scope(leg) == FIRST])
        second = _combined(match_seed, SECOND, kind, [leg for leg in legs if _scope(leg) == SECOND])
        return first * second if kind == ALL_OF else 1.0 - (1.0 - first) * (1.0 - second)
    return _combined(match_seed, scopes.pop() if len(scopes) == 1 else HALVES, kind, list(legs))


def _scope(leg: Leg) -> str:
    read = _wins(leg)
    assert read is not None
    return read[0]


def _combined(match_seed: int, scope: str, kind: int, legs: list[Leg]) -> float:
    """P(all / any of the legs) read on the cells of ``scope``."""
    return _mass(match_seed, scope, _combined_cells(scope, kind, tuple(legs)))


@lru_cache(maxsize=8_192)  # the same for every match: the combinations books list are a few thousand
def _combined_cells(scope: str, kind: int, legs: tuple[Leg, ...]) -> frozenset[int]:
    sets = [_winning_cells(scope, leg) for leg in legs]
    return frozenset.intersection(*sets) if kind == ALL_OF else frozenset.union(*sets)


def joint_probability(match_seed: int, kind: int, legs: Sequence[Leg], outcome: int) -> float | None:
    """The fair probability that all (``ALL_OF``) or any (``ANY_OF``) of the legs win (``outcome`` YES), or
    not (NO), over the match's score; None unless every leg is a goal bet :func:`leg_probability` prices."""
    if kind not in (ALL_OF, ANY_OF) or outcome not in (YES, NO) or not legs:
        return None
    yes = _joint(match_seed, kind, tuple(sorted(set(legs))))
    if yes is None:
        return None
    return yes if outcome == YES else 1.0 - yes
