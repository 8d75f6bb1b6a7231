"""A line's plan: what the checks read from its structure alone (market, specifier, priced outcomes in
order), decided once per shape and remembered, so that each event's prices only are read."""

from __future__ import annotations

import math
from typing import Final, NamedTuple

from palimpsest_pipeline.markets.checks.bounds import SuspectBounds
from palimpsest_pipeline.markets.checks.references import Recipe, cover_recipe
from palimpsest_pipeline.markets.checks.tables import (
    AH_AWAY,
    AH_HOME,
    DC_1X,
    DNB_AWAY,
    DNB_HOME,
    EH_AWAY,
    EH_DRAW,
    EH_HOME,
    HANDICAPS,
    OVER,
    RANGES,
    SCOPES,
    SPREADS,
    TOTALS,
    UNDER,
    Layout,
    line_of,
    market_layout,
)
from palimpsest_pipeline.markets.vocabulary import SCORE_HANDICAP_MARKETS

#: A line's role in its scope (``Plan.role``): the reference-bounded markets the judge reads; 0 for none.
ASIAN: Final = 1
TOTAL: Final = 2
THREE_WAY: Final = 3
DRAW_NO_BET: Final = 4
DOUBLE_CHANCE: Final = 5
#: The outcomes whose fair probabilities a market's checks read, in their order (the first is the ladder's).
_FAIR_ORDERS: dict[int, tuple[int, ...]] = {
    **{market: (OVER, UNDER) for market in TOTALS},
    **{market: (AH_HOME, AH_AWAY) for market in HANDICAPS},
    **{market: (EH_HOME, EH_DRAW, EH_AWAY) for market in SCORE_HANDICAP_MARKETS},
    **{scope.draw_no_bet: (DNB_HOME, DNB_AWAY) for scope in SCOPES},
}
#: market -> (index of its scope in ``SCOPES``, its role there)
_ROLES = {
    market: (index, role)
    for index, scope in enumerate(SCOPES)
    for market, role in (
        (scope.asian, ASIAN),
        (scope.total, TOTAL),
        (scope.three_way, THREE_WAY),
        (scope.draw_no_bet, DRAW_NO_BET),
        (scope.double_chance, DOUBLE_CHANCE),
    )
}

#: (market, specifier, priced outcomes in order): a line's structure
Shape = tuple[int, str, tuple[int, ...]]
#: A multigoal range inside a wider one: (outcome, wider outcome, low, high, wider low, wider high)
NestedRange = tuple[int, int, int, int, int, int]


class Plan(NamedTuple):
    """What the checks read from a line's structure alone: ``layout`` (its market's outcome set, how many
    of them win, its family; None when the line prices an outcome outside it or its definition cannot
    say), ``kind`` ((winners, outcomes, whether every outcome is priced, which sets a floor too)) and
    ``low``/``high`` (the band of implied sums it is judged by, under the bounds of the plans it is kept
    in: ``plans_for``), ``fair_order`` (priced on exactly these: their fair probabilities
    are read; ``in_order``: in the order priced), ``ladder`` (its line on its market's ladder),
    ``scope``/``role``/``line``/``off_step``/``recipe`` (what the judge bounds by the scope's references) and
    ``ranges`` (the multigoal ranges inside wider ones)."""

    layout: Layout | None
    kind: tuple[int, int, bool] | None
    low: float
    high: float
    fair_order: tuple[int, ...] | None
    in_order: bool
    ladder: float | None
    scope: int
    role: int
    line: float | None
    off_step: str | None
    recipe: Recipe
    ranges: tuple[NestedRange, ...]


#: Shape -> its plan under the default bounds; bounded (a hostile stream of shapes clears it).
PLANS: dict[Shape, Plan] = {}
#: The plans under any other bounds, per bounds (a few at most: settings and tests).
_PLANS_BY_BOUNDS: dict[SuspectBounds, dict[Shape, Plan]] = {}
DEFAULT_BOUNDS = SuspectBounds()


def plans_for(bounds: SuspectBounds) -> dict[Shape, Plan]:
    """The plans kept for lines judged under ``bounds``: a plan holds its band under them."""
    if bounds is DEFAULT_BOUNDS or bounds == DEFAULT_BOUNDS:
        return PLANS
    if bounds not in _PLANS_BY_BOUNDS and len(_PLANS_BY_BOUNDS) >= 8:
        _PLANS_BY_BOUNDS.clear()
    return _PLANS_BY_BOUNDS.setdefault(bounds, {})


def plan(shape: Shape, bounds: SuspectBounds, plans: dict[Shape, Plan]) -> Plan:
    """The plan of a line of a ``CONCERNED`` market under ``bounds``, remembered in ``plans``
    (``plans_for(bounds)``)."""
    market, specifier, outcomes = shape
    layout = market_layout(market)
    if layout is not None and not layout.outcomes.issuperset(outcomes):
        layout = None
    order = _FAIR_ORDERS.get(market)
    if order is not None and (len(outcomes) != len(order) or not set(order).issubset(outcomes)):
        order = None
    line_key = "total" if market in TOTALS else "hcp"
    ladder = line_of(specifier, line_key) if market in SPREADS and order is not None else None
    scope, role = _ROLES.get(market, (0, 0))
    line = off_step = None
    if role in (ASIAN, TOTAL, THREE_WAY):
        line = line_of(specifier, "total" if role == TOTAL else "hcp")
        step = 1 if role == THREE_WAY else 4  # whole goals, or whole, half and quarter goals
        if line is not None and abs(line * step - round(line * step)) > 1e-9:
            off_step = f"line {line:g} is not a line of whole goals" + (
                "" if step == 1 else ", half or quarter goals"
            )
    elif role == DOUBLE_CHANCE and (len(outcomes) != 3 or DC_1X not in outcomes):
        role = 0
    spans = RANGES.get(market, {})
    priced = [(spans[o], o) for o in outcomes if o in spans]
    ranges = tuple(
        (outcome, wide, low, high, wide_low, wide_high)
        for (low, high), outcome in priced
        for (wide_low, wide_high), wide in priced
        if wide != outcome and wide_low <= low and high <= wide_high
    )
    kind = (
        None
        if layout is None
        else (layout.winners, len(layout.outcomes), len(outcomes) == len(layout.outcomes))
    )
    low, high = (0.0, math.inf) if kind is None else bounds.band(*kind)
    made = Plan(
        layout=layout,
        kind=kind,
        low=low,
        high=high,
        fair_order=order,
        in_order=order == outcomes,
        ladder=ladder,
        scope=scope,
        role=role,
        line=line,
        off_step=off_step,
        recipe=None if line is None else cover_recipe(line if role == ASIAN else -line),
        ranges=ranges,
    )
    if len(plans) >= 65_536:
        plans.clear()
    plans[shape] = made
    return made
