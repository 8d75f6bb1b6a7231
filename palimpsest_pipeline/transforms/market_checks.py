"""Markets that check themselves on one book alone: what a bet type implies about its own prices.

A market of one book's event (open prices only) is suspect for ``overround`` (complete, its implied sum
outside the band for its outcomes), ``ladder`` (its line breaks its bet type's monotony on fair
probabilities, or a multigoal range is less likely than one inside it), ``identity`` (the same bet as another
of the book's markets, priced apart: Asian -0.5 home and the home win, over 0.5 and "not 0:0") or ``units``
(outside the bounds the book's own 1X2, correct score or exact goals put on it, as a line read in the wrong
unit is). Lines of two bet types out of bounds mean the payload's lines are misread: every lined market of
the event is then suspect (``units``), bounded by a reference or not.

Rules, tolerances and why: docs/odds-comparison.md. Pure and cheap (per event in the parse worker).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise, repeat
from operator import mul, truediv
from typing import NamedTuple

from palimpsest_pipeline.markets.uof import uof_markets
from palimpsest_pipeline.markets.vocabulary import (
    ASIAN,
    CORRECT_SCORE_FT,
    CS_1H_IDS,
    CS_2H_IDS,
    OVER_UNDER,
    SCORE_HANDICAP_MARKETS,
    VOCABULARY,
)
from palimpsest_pipeline.records import OddsRow

REASON_OVERROUND = "overround"
REASON_LADDER = "ladder"
REASON_IDENTITY = "identity"
REASON_UNITS = "units"
#: When one market fails several checks, the reason kept: the market's own prices first (its overround
#: proves it alone), then a line outside the bounds of the book's reference markets, then the same bet
#: priced apart, then a broken ladder (which cannot tell which of its two lines is wrong).
REASON_PRIORITY = (REASON_OVERROUND, REASON_UNITS, REASON_IDENTITY, REASON_LADDER)


class Suspect(NamedTuple):
    """One market of one book that its own prices show cannot be true."""

    market: int
    specifier: str
    reason: str
    detail: str


class MarketChecks(NamedTuple):
    """The suspect markets of one event on one book, and the keyed open outcomes they hold."""

    suspects: tuple[Suspect, ...]
    suspect_outcomes: int


@dataclass(frozen=True)
class SuspectBounds:
    """What a true market looks like: an overround (implied sum - 1) between ``min_margin`` and the ceiling
    for its number of outcomes (``max_margin_by_outcomes``: (at most n outcomes, ceiling), in order);
    implied probabilities within ``disagree_factor`` of another book's, or within ``disagree_min_gap`` of it
    (the cross-book check: long shots differ by large factors and tiny probabilities). For the single-book
    checks, a fair probability fails a bound only when beyond it both by more than ``tolerance_above`` (above
    its upper bound) or ``tolerance_below`` (under its lower bound) and by more than ``tolerance_logit`` in
    log-odds; a ladder's next line may be ``ladder_tolerance`` the wrong way, a multigoal range
    ``range_tolerance`` (relative) less likely than a narrower one inside it. ``check_ranges`` turns the
    multigoal check on (the default: the sandbox prices its ranges from its model's score, and no real
    capture breaks one)."""

    min_margin: float = -0.02
    max_margin_by_outcomes: tuple[tuple[int, float], ...] = ((3, 0.30), (12, 1.0), (1_000_000, 1.5))
    disagree_factor: float = 1.5
    disagree_min_gap: float = 0.05
    tolerance_above: float = 0.09
    tolerance_below: float = 0.10
    tolerance_logit: float = 0.6
    ladder_tolerance: float = 0.04
    range_tolerance: float = 0.05
    check_ranges: bool = True

    def ceiling(self, outcomes: int) -> float:
        for most, limit in self.max_margin_by_outcomes:
            if outcomes <= most:
                return limit
        return self.max_margin_by_outcomes[-1][1]


# ------------------------------------------------------------------------------------------ the vocabulary

#: Complete markets (exhaustive, exclusive outcomes): their outcome sets, for the overround check.
_COMPLETE: dict[int, frozenset[int]] = {
    mid: frozenset(d.outcomes) for mid, d in VOCABULARY.items() if d.complete and d.outcomes
}
#: Two-way lines: over/under on ``total`` (over less likely as it rises), home/away on ``hcp``.
_TOTALS = frozenset(
    mid
    for mid, d in VOCABULARY.items()
    if d.complete and d.outcomes == OVER_UNDER and d.specifier_keys == ("total",)
)
_HANDICAPS = frozenset(
    mid
    for mid, d in VOCABULARY.items()
    if d.complete and d.outcomes == ASIAN and d.specifier_keys == ("hcp",)
)
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


_RANGES = _ranges()


@dataclass(frozen=True)
class _Scope:
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


def _full_time_scores() -> dict[int, tuple[int, int]]:
    scores: dict[int, tuple[int, int]] = {}
    for outcome, name in CORRECT_SCORE_FT.items():
        home, colon, away = name.partition(":")
        if colon:
            scores[outcome] = (int(home), int(away))
    return scores


_SCOPES = (
    _Scope(1, 10, 11, 16, 14, 18, 45, _full_time_scores(), (21, "variant=sr:exact_goals:6+", {
        68 + n: n for n in range(7)
    })),
    _Scope(60, 63, 64, 66, 65, 68, 81, {outcome: score for score, outcome in CS_1H_IDS.items()}),
    _Scope(83, 85, 86, 88, 87, 90, 98, {outcome: score for score, outcome in CS_2H_IDS.items()}),
)  # fmt: skip

#: Every market some check reads; the rest of a payload is never indexed.
_CONCERNED = frozenset(
    {*_COMPLETE, *_RANGES}
    | {m for s in _SCOPES for m in (s.x12, s.double_chance, s.draw_no_bet, s.correct_score)}
)


# --------------------------------------------------------------------------------------------- the checks


def check_markets(rows: Iterable[OddsRow], bounds: SuspectBounds | None = None) -> MarketChecks:
    """The suspect markets among one book's rows of one event (``OddsRow`` of a parse; only open prices are
    read), one per (market, specifier) with the reason of highest ``REASON_PRIORITY``, and the open
    outcomes in them. What a line's structure decides is planned once per shape (:func:`_plan`); the prices
    are read once per line."""
    chosen = bounds or _DEFAULT_BOUNDS
    rows = rows if isinstance(rows, Sequence) else list(rows)  # read again once a line failed
    # One pass groups the open prices of the markets a check reads by market and line (an outcome priced
    # twice on a line: its last price); what the checks need is then read per line, not per row.
    groups: dict[tuple[int, str], dict[int, float]] = {}
    read, infinity = _READ, math.inf
    for _sr_id, _book, market, specifier, outcome, price, state, _at in rows:
        if market not in read or state != "open" or price is None or not 1.0 < price < infinity:
            continue
        key = (market, specifier)
        prices = groups.get(key)
        if prices is None:
            groups[key] = {outcome: price}
        else:
            prices[outcome] = price
    if not groups:
        return MarketChecks((), 0)
    found = _Found()
    add = found.add
    references = tuple(_reference(groups, scope, chosen) for scope in _SCOPES)
    concerned, plans, ranged = _CONCERNED, _PLANS, LINE_RANGES
    fair_of = _fair_probabilities
    ladders: dict[int, list[tuple[float, str, float]]] = {}
    out_of_bounds: list[tuple[int, str, str]] = []
    ranges_open = chosen.check_ranges
    lowest = 1.0 + chosen.min_margin
    #: outcomes -> the highest implied sum a complete market of that many outcomes may have
    highest: dict[int, float] = {}
    for key, prices in groups.items():
        market, specifier = key
        if market in ranged and (beyond := _beyond_range(market, specifier)) is not None:
            out_of_bounds.append((market, specifier, beyond))
        if market not in concerned:
            continue
        shape = (market, specifier, tuple(prices))
        plan = plans.get(shape)
        if plan is None:
            plan = _plan(shape)
        complete, fair_order, in_order, ladder, scope, role, _, _, _, ranges = plan
        if complete:
            implied = sum(map(truediv, repeat(1.0), prices.values()))
            count = len(prices)
            most = highest.get(count)
            if most is None:
                most = highest[count] = 1.0 + chosen.ceiling(count)
            if not lowest <= implied <= most:
                add(
                    market,
                    specifier,
                    REASON_OVERROUND,
                    f"implied sum {implied:.3f} over {count} outcomes, outside "
                    f"[{lowest:.2f}, {most:.2f}]; {_prices(prices)}",
                )
        if ranges and ranges_open:
            # the first broken range ends the multigoal check for the event
            ranges_open = not _range_broken(ranges, market, specifier, prices, chosen, found)
        if fair_order is None:
            fair = None
        else:
            fair = fair_of(tuple(prices.values()) if in_order else tuple([prices[o] for o in fair_order]))
            if ladder is not None:
                ladders.setdefault(market, []).append((ladder, specifier, fair[0]))
        if role and (reference := references[scope]) is not None:
            _judge(plan, reference, market, specifier, prices, fair, chosen, found)
    # The lines' units are judged together only once a line failed (the rest of the event is then read).
    lined: dict[tuple[int, str], int] = {}
    if found.kept or out_of_bounds:
        lined = _lined_rows(rows)
        if found.kept:
            spread: dict[int, list[str]] = {}
            for market, specifier in groups:
                if market in _SPREADS and market in concerned:
                    spread.setdefault(market, []).append(specifier)
            _spread_units(spread, found)
        for market, specifier, beyond in out_of_bounds:
            add(market, specifier, REASON_UNITS, beyond)
        _spread_to_event(lined, found, len({market for market, _, _ in out_of_bounds}))
    _check_ladders(ladders, chosen, found)
    if not found.kept:
        return MarketChecks((), 0)
    suspects = tuple(sorted(found.kept.values()))
    return MarketChecks(
        suspects,
        sum(
            len(groups[key]) if key[0] in concerned else lined.get(key, 0)
            for key in ((s.market, s.specifier) for s in suspects)
        ),
    )


_DEFAULT_BOUNDS = SuspectBounds()


def _lined_rows(rows: Sequence[OddsRow]) -> dict[tuple[int, str], int]:
    """The open prices of each line of every market carrying one (:func:`_lined`), counted as rows (an
    outcome priced twice counts twice)."""
    lined: dict[tuple[int, str], int] = {}
    lined_specifier, infinity = _lined, math.inf
    for _sr_id, _book, market, specifier, _outcome, price, state, _at in rows:
        if state != "open" or price is None or not 1.0 < price < infinity or not lined_specifier(specifier):
            continue
        key = (market, specifier)
        lined[key] = lined.get(key, 0) + 1
    return lined


_RANK = {reason: rank for rank, reason in enumerate(REASON_PRIORITY)}


class _Found:
    """The suspects found so far, one per market, the reason of highest priority kept."""

    def __init__(self) -> None:
        self.kept: dict[tuple[int, str], Suspect] = {}

    def add(self, market: int, specifier: str, reason: str, detail: str) -> None:
        held = self.kept.get((market, specifier))
        if held is None or _RANK[reason] < _RANK[held.reason]:
            self.kept[(market, specifier)] = Suspect(market, specifier, reason, detail)

    def break_ladder(self, market: int, one: str, other: str, detail: str) -> None:
        """Two lines of a ladder out of order: both are suspect, unless one already is for another reason
        (which explains the break and leaves the other line innocent)."""
        if (market, one) in self.kept or (market, other) in self.kept:
            return
        self.add(market, one, REASON_LADDER, detail)
        self.add(market, other, REASON_LADDER, detail)


#: Lines of one bet type that fail their bounds and make every line of it suspect (``_spread_units``).
UNITS_SPREAD_FROM = 2


def _spread_units(markets: dict[int, list[str]], found: _Found) -> None:
    """A unit is read for a whole bet type at once: once ``UNITS_SPREAD_FROM`` of its lines fail the bounds
    of the book's own references, its other lines (far lines the references cannot bound: a -2 line stored
    as -8) are suspect too."""
    for market, specifiers in markets.items():
        failed = sorted(
            specifier
            for specifier in specifiers
            if (held := found.kept.get((market, specifier))) is not None
            and held.reason in (REASON_UNITS, REASON_IDENTITY)
        )
        if len(failed) < UNITS_SPREAD_FROM:
            continue
        detail = f"its bet type's lines {', '.join(failed[:4])} fail the book's own bounds: a unit misread"
        for specifier in specifiers:
            found.add(market, specifier, REASON_UNITS, detail)


#: A specifier that carries a line (a total or a handicap, alone or in a combination's legs).
_LINE_KEYS = re.compile(r"(?:^|[|;/])(?:total|hcp)=")


@lru_cache(maxsize=65_536)
def _lined(specifier: str) -> bool:
    """Whether ``specifier`` carries a line (:data:`_LINE_KEYS`), remembered: books repeat their lines."""
    return _LINE_KEYS.search(specifier) is not None


#: Bet types whose lines fail the book's own bounds before every lined market of the event is suspect.
UNITS_EVENT_FROM = 2

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
_READ = _CONCERNED | frozenset(LINE_RANGES)


@lru_cache(maxsize=65_536)
def _beyond_range(market: int, specifier: str) -> str | None:
    """Why a line of a ``LINE_RANGES`` market lies outside it (a ``units`` detail), None when it does not."""
    key, low, high = LINE_RANGES[market]
    line = _line(specifier, key)
    if line is not None and not low <= line <= high:
        return f"{key} {line:g} outside [{low:g}, {high:g}]"
    return None


def _spread_to_event(lined: dict[tuple[int, str], int], found: _Found, out_of_range: int) -> None:
    """A payload's lines are read in one unit: once lines of ``UNITS_EVENT_FROM`` bet types fail the bounds
    of the book's own references, or a line lies outside any market of its bet type, every lined market of
    the event is suspect, the many no reference bounds (team totals, corners, halves, combinations) too."""
    failed = sorted(
        {
            key[0]
            for key, held in found.kept.items()
            if held.reason in (REASON_UNITS, REASON_IDENTITY) and key in lined
        }
    )
    if len(failed) < UNITS_EVENT_FROM and not out_of_range:
        return
    detail = (
        f"lines of {len(failed)} bet types (markets {', '.join(map(str, failed[:4]))}) fail the book's own "
        "bounds or any market's range: the payload's lines are misread"
    )
    for key in lined:
        if key not in found.kept:  # a market's own failure says more than the event's
            found.add(*key, REASON_UNITS, detail)


def fair_probabilities(prices: Sequence[float]) -> list[float]:
    """Margin-free probabilities of a complete market's prices by the power method (the comparison's: Newton
    on ``sum(p_i ** k) = 1`` from the left of the root, docs/odds-comparison.md), normalised to sum to 1."""
    return list(_fair_probabilities(tuple(prices)))


@lru_cache(maxsize=65_536)
def _fair_probabilities(prices: tuple[float, ...]) -> tuple[float, ...]:
    """:func:`fair_probabilities`, remembered by the prices: books repeat the same price pairs across lines
    and events. Two- and three-way markets (most lines) take the same steps written out per outcome."""
    if len(prices) == 2:
        return _fair_two(*prices)
    if len(prices) == 3:
        return _fair_three(*prices)
    exp = math.exp
    logs = [-log for log in map(math.log, prices)]
    k = 1.0 if sum(map(truediv, repeat(1.0), prices)) >= 1.0 else 0.0
    for _ in range(100):
        powered = list(map(exp, map(k.__mul__, logs)))
        total = sum(powered)
        slope = sum(map(mul, powered, logs))
        step = (total - 1.0) / slope if slope else 0.0
        k -= step
        if abs(step) < 1e-12:
            break
    powered = list(map(exp, map(k.__mul__, logs)))
    total = sum(powered)
    return tuple(p / total for p in powered)


def _fair_two(first: float, second: float) -> tuple[float, float]:
    """:func:`_fair_probabilities` of two prices: the same operations in the same order."""
    exp = math.exp
    a, b = -math.log(first), -math.log(second)
    k = 1.0 if 1.0 / first + 1.0 / second >= 1.0 else 0.0
    for _ in range(100):
        p_a, p_b = exp(k * a), exp(k * b)
        slope = p_a * a + p_b * b
        step = (p_a + p_b - 1.0) / slope if slope else 0.0
        k -= step
        if abs(step) < 1e-12:
            break
    p_a, p_b = exp(k * a), exp(k * b)
    total = p_a + p_b
    return (p_a / total, p_b / total)


def _fair_three(first: float, second: float, third: float) -> tuple[float, float, float]:
    """:func:`_fair_probabilities` of three prices: the same operations in the same order."""
    exp = math.exp
    a, b, c = -math.log(first), -math.log(second), -math.log(third)
    k = 1.0 if 1.0 / first + 1.0 / second + 1.0 / third >= 1.0 else 0.0
    for _ in range(100):
        p_a, p_b, p_c = exp(k * a), exp(k * b), exp(k * c)
        slope = p_a * a + p_b * b + p_c * c
        step = (p_a + p_b + p_c - 1.0) / slope if slope else 0.0
        k -= step
        if abs(step) < 1e-12:
            break
    p_a, p_b, p_c = exp(k * a), exp(k * b), exp(k * c)
    total = p_a + p_b + p_c
    return (p_a / total, p_b / total, p_c / total)


@lru_cache(maxsize=65_536)
def _line(specifier: str, key: str) -> float | None:
    """The number of a one-key specifier (``total=2.5``), None for anything else."""
    name, equals, value = specifier.partition("=")
    if name != key or not equals or "|" in value:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _prices(prices: dict[int, float]) -> str:
    return " ".join(f"{outcome}@{price:g}" for outcome, price in sorted(prices.items()))


def _fair_of(prices: dict[int, float], outcomes: Sequence[int]) -> dict[int, float] | None:
    """Fair probabilities of a complete market priced on exactly ``outcomes``; None when it is not."""
    if len(prices) != len(outcomes):
        return None
    try:
        ordered = tuple([prices[o] for o in outcomes])
    except KeyError:
        return None
    return dict(zip(outcomes, _fair_probabilities(ordered), strict=True))


# ------------------------------------------------------------------------------ a line's plan, by its shape

#: A line's role in its scope (``_Plan.role``): the reference-bounded markets ``_judge`` reads.
_ASIAN, _TOTAL, _THREE_WAY, _DRAW_NO_BET, _DOUBLE_CHANCE = 1, 2, 3, 4, 5
#: The outcomes whose fair probabilities a market's checks read, in their order (the first is the ladder's).
_FAIR_ORDERS: dict[int, tuple[int, ...]] = {
    **{market: (OVER, UNDER) for market in _TOTALS},
    **{market: (AH_HOME, AH_AWAY) for market in _HANDICAPS},
    **{market: (EH_HOME, EH_DRAW, EH_AWAY) for market in SCORE_HANDICAP_MARKETS},
    **{scope.draw_no_bet: (DNB_HOME, DNB_AWAY) for scope in _SCOPES},
}
_SPREADS = _TOTALS | _HANDICAPS | SCORE_HANDICAP_MARKETS
#: market -> (index of its scope in ``_SCOPES``, its role there)
_ROLES = {
    market: (index, role)
    for index, scope in enumerate(_SCOPES)
    for market, role in (
        (scope.asian, _ASIAN),
        (scope.total, _TOTAL),
        (scope.three_way, _THREE_WAY),
        (scope.draw_no_bet, _DRAW_NO_BET),
        (scope.double_chance, _DOUBLE_CHANCE),
    )
}


class _Plan(NamedTuple):
    """What the checks read from a line's structure alone (its market, specifier and priced outcomes in
    their order), so that each event's prices only are read: ``complete`` (its outcomes are its market's
    complete set: the overround applies), ``fair_order`` (priced on exactly these: their fair probabilities
    are read; ``in_order``: in the order priced), ``ladder`` (its line on its market's ladder),
    ``scope``/``role``/``line``/``off_step``/``recipe`` (what ``_judge`` bounds by the scope's references) and
    ``ranges`` (the multigoal ranges inside wider ones: outcome, wider, their goal spans)."""

    complete: bool
    fair_order: tuple[int, ...] | None
    in_order: bool
    ladder: float | None
    scope: int
    role: int
    line: float | None
    off_step: str | None
    recipe: _Recipe
    ranges: tuple[tuple[int, int, int, int, int, int], ...]


#: (market, specifier, priced outcomes in order) -> its plan; bounded (a hostile stream of shapes clears it).
_PLANS: dict[tuple[int, str, tuple[int, ...]], _Plan] = {}


def _plan(shape: tuple[int, str, tuple[int, ...]]) -> _Plan:
    """The plan of a line of a ``_CONCERNED`` market, remembered in ``_PLANS``."""
    market, specifier, outcomes = shape
    expected = _COMPLETE.get(market)
    order = _FAIR_ORDERS.get(market)
    if order is not None and (len(outcomes) != len(order) or not set(order).issubset(outcomes)):
        order = None
    line_key = "total" if market in _TOTALS else "hcp"
    ladder = _line(specifier, line_key) if market in _SPREADS and order is not None else None
    scope, role = _ROLES.get(market, (0, 0))
    line = off_step = None
    if role in (_ASIAN, _TOTAL, _THREE_WAY):
        line = _line(specifier, "total" if role == _TOTAL else "hcp")
        step = 1 if role == _THREE_WAY else 4  # whole goals, or whole, half and quarter goals
        if line is not None and abs(line * step - round(line * step)) > 1e-9:
            off_step = f"line {line:g} is not a line of whole goals" + (
                "" if step == 1 else ", half or quarter goals"
            )
    elif role == _DOUBLE_CHANCE and (len(outcomes) != 3 or DC_1X not in outcomes):
        role = 0
    spans = _RANGES.get(market, {})
    priced = [(spans[o], o) for o in outcomes if o in spans]
    ranges = tuple(
        (outcome, wide, low, high, wide_low, wide_high)
        for (low, high), outcome in priced
        for (wide_low, wide_high), wide in priced
        if wide != outcome and wide_low <= low and high <= wide_high
    )
    plan = _Plan(
        complete=expected is not None and len(outcomes) == len(expected) and expected.issuperset(outcomes),
        fair_order=order,
        in_order=order == outcomes,
        ladder=ladder,
        scope=scope,
        role=role,
        line=line,
        off_step=off_step,
        recipe=None if line is None else _cover_recipe(line if role == _ASIAN else -line),
        ranges=ranges,
    )
    if len(_PLANS) >= 65_536:
        _PLANS.clear()
    _PLANS[shape] = plan
    return plan


def _range_broken(
    ranges: tuple[tuple[int, int, int, int, int, int], ...],
    market: int,
    specifier: str,
    prices: dict[int, float],
    bounds: SuspectBounds,
    found: _Found,
) -> bool:
    """A multigoal range at least as likely as every narrower range inside it (implied probabilities: the
    outcomes overlap, so no margin can be removed; both carry the market's margin); whether one is not."""
    factor = 1.0 + bounds.range_tolerance
    for outcome, wide, low, high, wide_low, wide_high in ranges:
        if 1.0 / prices[outcome] > 1.0 / prices[wide] * factor:
            found.add(
                market,
                specifier,
                REASON_LADDER,
                f"range {low}-{high} ({outcome}@{prices[outcome]:g}) priced more likely than the "
                f"wider {wide_low}-{wide_high} ({wide}@{prices[wide]:g})",
            )
            return True
    return False


def _check_ladders(
    ladders: dict[int, list[tuple[float, str, float]]], bounds: SuspectBounds, found: _Found
) -> None:
    """Each ladder's (line, specifier, fair probability of its first outcome), in line order: an over less
    likely as its total rises, a home handicap more likely as its line rises."""
    tolerance = bounds.ladder_tolerance
    for market, lines in ladders.items():
        lines.sort()
        totals = market in _TOTALS
        for (low, low_spec, p_low), (high, high_spec, p_high) in pairwise(lines):
            if totals and p_high > p_low + tolerance:
                detail = f"over {high:g} fair {p_high:.3f} more likely than over {low:g} fair {p_low:.3f}"
                found.break_ladder(market, low_spec, high_spec, detail)
            elif not totals and p_low > p_high + tolerance:
                detail = (
                    f"home hcp={low:g} fair {p_low:.3f} more likely than home hcp={high:g} fair {p_high:.3f}"
                )
                found.break_ladder(market, low_spec, high_spec, detail)


# ------------------------------------------------------------------------------ bounds from the references


class _Interval(NamedTuple):
    low: float
    high: float

    @property
    def exact(self) -> bool:
        return self.high - self.low < 1e-9


@dataclass
class _Reference:
    """What a period's 1X2, correct score and exact goals say about its goal margin and goal total."""

    home: float
    draw: float
    away: float
    #: margin (home - away) -> lower bound of its probability (the listed correct scores with that margin)
    margin_at_least: dict[int, float]
    #: total goals t -> P(total == t), exact for t <= ``exact_total``
    total_is: dict[int, float]
    exact_total: int
    #: what the references are, for a detail
    names: str
    #: ``margin_from`` and ``total_from`` as read so far for the event (its lines share their steps)
    margins: dict[int, _Interval] = field(default_factory=dict, repr=False)
    totals: dict[int, _Interval | None] = field(default_factory=dict, repr=False)

    def margin_at_or_above(self, j: int) -> _Interval:
        """:meth:`margin_from`, remembered."""
        held = self.margins.get(j)
        if held is None:
            held = self.margins[j] = self.margin_from(j)
        return held

    def total_at_or_above(self, n: int) -> _Interval | None:
        """:meth:`total_from`, remembered."""
        if n in self.totals:
            return self.totals[n]
        held = self.totals[n] = self.total_from(n)
        return held

    def margin_from(self, j: int) -> _Interval:
        """P(margin >= j)."""
        if j == 1:
            return _Interval(self.home, self.home)
        if j == 0:
            return _Interval(self.home + self.draw, self.home + self.draw)
        if j > 1:
            inside = sum(self.margin_at_least.get(i, 0.0) for i in range(1, j))
            beyond = sum(p for i, p in self.margin_at_least.items() if i >= j)
            return _Interval(min(beyond, self.home), max(0.0, self.home - inside))
        n = 1 - j  # P(margin >= j) = 1 - P(margin <= -n)
        inside = sum(self.margin_at_least.get(-i, 0.0) for i in range(1, n))
        beyond = sum(p for i, p in self.margin_at_least.items() if i <= -n)
        return _Interval(1.0 - max(0.0, self.away - inside), 1.0 - min(beyond, self.away))

    def total_from(self, n: int) -> _Interval | None:
        """P(total >= n); None when nothing bounds it."""
        if n <= 0:
            return _Interval(1.0, 1.0)
        if not self.total_is:
            return _Interval(1.0 - self.draw, 1.0) if n == 1 else None
        below = sum(self.total_is.get(t, 0.0) for t in range(min(n, self.exact_total + 1)))
        if n - 1 <= self.exact_total:
            return _Interval(1.0 - below, 1.0 - below)
        return _Interval(0.0, 1.0 - below)


def _conditional(above: _Interval, below: _Interval) -> _Interval:
    """Bounds of a/(a+b) (a push-free share) for a in ``above``, b in ``below``."""
    high = above.high / (above.high + below.low) if above.high + below.low > 0 else 1.0
    low = above.low / (above.low + below.high) if above.low + below.high > 0 else 0.0
    return _Interval(low, high)


#: How a line's bounds are read (:func:`_cover_recipe`): ``(False, n)`` P(X >= n) for a half line,
#: ``(True, n)`` the push-free share beyond n for a whole line, two of them for a quarter line, or None.
_Recipe = tuple[tuple[bool, int], ...] | None


def _cover_recipe(line: float) -> _Recipe:
    """What bounds the fair probability of a two-way line bet on a count X with integer steps: X > -line for
    a handicap (X the margin), or X > line for a total (pass the total's negation). Half lines are
    P(X >= n); whole lines push (a/(a+b)); quarter lines lie between their neighbours; others: None."""
    if abs(line * 4 - round(line * 4)) > 1e-9:  # not a line of whole, half or quarter units: no bound
        return None
    doubled = line * 2
    if abs(doubled - round(doubled)) > 1e-9:  # a quarter line: between its two neighbours
        lower, upper = _cover_recipe(line - 0.25), _cover_recipe(line + 0.25)
        return None if lower is None or upper is None else lower + upper
    if abs(line - round(line)) > 1e-9:  # a half line: X >= -line + 0.5
        return ((False, round(-line + 0.5)),)
    return ((True, round(-line)),)


def _covers(recipe: _Recipe, at_least: Callable[[int], _Interval | None]) -> _Interval | None:
    """The bounds :func:`_cover_recipe` reads, given ``at_least(n)``: P(X >= n), None when unbounded."""
    if recipe is None:
        return None
    found: list[_Interval] = []
    for whole, n in recipe:
        if not whole:
            bound = at_least(n)
        else:
            above, from_push = at_least(n + 1), at_least(n)
            if above is None or from_push is None:
                return None
            bound = _conditional(above, _Interval(1.0 - from_push.high, 1.0 - from_push.low))
        if bound is None:
            return None
        found.append(bound)
    if len(found) == 1:
        return found[0]
    return _Interval(min([bound.low for bound in found]), max([bound.high for bound in found]))


def _score_plan(scope: _Scope) -> tuple[tuple[int, ...], tuple[tuple[int, int, int], ...], int]:
    """A complete correct score's outcomes in order, (position, margin, total goals) of each listed score
    in that order, and the highest total whose every score is listed."""
    order = tuple(sorted(_COMPLETE.get(scope.correct_score, ())))
    listed = {scope.scores[o] for o in order if o in scope.scores}
    exact_total = -1
    while listed and all((h, exact_total + 1 - h) in listed for h in range(exact_total + 2)):
        exact_total += 1
    scores = tuple(
        (position, home - away, home + away)
        for position, (home, away) in ((p, scope.scores[o]) for p, o in enumerate(order) if o in scope.scores)
    )
    return order, scores, exact_total


#: correct-score market -> its :func:`_score_plan`
_SCORE_PLANS = {scope.correct_score: _score_plan(scope) for scope in _SCOPES}


def _reference(
    index: dict[tuple[int, str], dict[int, float]], scope: _Scope, bounds: SuspectBounds
) -> _Reference | None:
    x12 = _fair_of(index.get((scope.x12, ""), {}), (HOME, DRAW, AWAY))
    if x12 is None:
        return None
    names = ["1X2"]
    margin_at_least: dict[int, float] = {}
    total_is: dict[int, float] = {}
    exact_total = -1
    score_prices = index.get((scope.correct_score, ""), {})
    complete_scores = _COMPLETE.get(scope.correct_score)
    if score_prices and score_prices.keys() == complete_scores:
        order, listed_scores, exact_total = _SCORE_PLANS[scope.correct_score]
        fair = _fair_probabilities(tuple([score_prices[o] for o in order]))
        for position, margin, total in listed_scores:
            if margin:
                margin_at_least[margin] = margin_at_least.get(margin, 0.0) + fair[position]
            total_is[total] = total_is.get(total, 0.0) + fair[position]
        names.append("correct score")
    elif score_prices:
        # An incomplete correct score has no fair probabilities, but each listed score is at least its implied
        # probability over the largest implied sum a true market of its size may have: a margin's lower bound.
        most = 1.0 + bounds.ceiling(len(_COMPLETE.get(scope.correct_score, ())))
        for outcome, price in score_prices.items():
            home, away = scope.scores.get(outcome, (0, 0))
            if home != away:
                margin_at_least[home - away] = margin_at_least.get(home - away, 0.0) + 1.0 / price / most
        names.append("correct score (in part)")
    if scope.exact_goals is not None:
        market, specifier, goals = scope.exact_goals
        exact = _fair_of(index.get((market, specifier), {}), tuple(goals))
        if exact is not None:
            top = max(goals.values())
            total_is = {goals[o]: p for o, p in exact.items() if goals[o] < top}
            exact_total = top - 1
            names.append("exact goals")
    return _Reference(
        x12[HOME], x12[DRAW], x12[AWAY], margin_at_least, total_is, exact_total, " and ".join(names)
    )


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1.0 - 1e-6)
    return math.log(p / (1.0 - p))


def _outside(fair: float, allowed: _Interval, bounds: SuspectBounds) -> bool:
    """Whether ``fair`` is beyond ``allowed`` by more than both tolerances on one side."""
    if fair > allowed.high:
        return (
            fair - allowed.high > bounds.tolerance_above
            and _logit(fair) - _logit(allowed.high) > bounds.tolerance_logit
        )
    if fair < allowed.low:
        return (
            allowed.low - fair > bounds.tolerance_below
            and _logit(allowed.low) - _logit(fair) > bounds.tolerance_logit
        )
    return False


def _judge(
    plan: _Plan,
    ref: _Reference,
    market: int,
    specifier: str,
    prices: dict[int, float],
    fair: tuple[float, ...] | None,
    bounds: SuspectBounds,
    found: _Found,
) -> None:
    """Judge a line of its scope's lined or derived markets (``plan.role``) against the references; a
    reason is written for a suspect only."""
    if plan.off_step is not None:
        found.add(market, specifier, REASON_UNITS, plan.off_step)
        return
    role, line = plan.role, plan.line
    if role in (_ASIAN, _TOTAL):
        if line is None or fair is None:
            return
        if role == _ASIAN:
            allowed = _covers(plan.recipe, ref.margin_at_or_above)
        else:
            allowed = _covers(plan.recipe, ref.total_at_or_above)
        if allowed is not None and _outside(fair[0], allowed, bounds):
            what = f"home hcp={line:g}" if role == _ASIAN else f"over {line:g}"
            _suspect(market, specifier, prices, what, fair[0], allowed, ref, found)
    elif role == _THREE_WAY:
        if line is None or fair is None or line != round(line):
            return
        k = round(line)
        home, at_or_above = ref.margin_at_or_above(1 - k), ref.margin_at_or_above(-k)
        if _outside(fair[0], home, bounds):
            _suspect(market, specifier, prices, f"hcp={line:g} home", fair[0], home, ref, found)
        away = _Interval(1.0 - at_or_above.high, 1.0 - at_or_above.low)
        if _outside(fair[2], away, bounds):
            _suspect(market, specifier, prices, f"hcp={line:g} away", fair[2], away, ref, found)
    elif role == _DRAW_NO_BET:
        if fair is not None:
            share = ref.home / (ref.home + ref.away)
            if _outside(fair[0], fixed := _Interval(share, share), bounds):
                _suspect(market, specifier, prices, "draw no bet home", fair[0], fixed, ref, found)
    else:  # double chance, priced on three outcomes with 1X among them
        implied = {o: 1.0 / p for o, p in prices.items()}
        scale = 2.0 / sum(implied.values())  # each result is in two of the three outcomes
        for outcome, truth in ((DC_1X, ref.home + ref.draw), (DC_X2, ref.draw + ref.away)):
            if outcome in implied and _outside(
                implied[outcome] * scale, fixed := _Interval(truth, truth), bounds
            ):
                label = "double chance 1X" if outcome == DC_1X else "double chance X2"
                _suspect(market, specifier, prices, label, implied[outcome] * scale, fixed, ref, found)


def _suspect(
    market: int,
    specifier: str,
    prices: dict[int, float],
    what: str,
    probability: float,
    allowed: _Interval,
    ref: _Reference,
    found: _Found,
) -> None:
    """A line whose fair probability is beyond what the references allow: ``identity`` when they fix it,
    ``units`` when they bound it."""
    reason = REASON_IDENTITY if allowed.exact else REASON_UNITS
    shown = f"{allowed.low:.3f}" if allowed.exact else f"[{allowed.low:.3f}, {allowed.high:.3f}]"
    found.add(
        market,
        specifier,
        reason,
        f"{what} fair {probability:.3f}, where the book's {ref.names} give {shown}; {_prices(prices)}",
    )
