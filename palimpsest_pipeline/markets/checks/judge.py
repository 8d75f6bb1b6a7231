"""A line judged against its period's references: its fair probability beyond what the book's own 1X2,
correct score and exact goals allow makes it suspect (``identity`` when they fix it, ``units`` when they
bound it)."""

from __future__ import annotations

import math

from palimpsest_pipeline.markets.checks.bounds import SuspectBounds
from palimpsest_pipeline.markets.checks.plans import ASIAN, DRAW_NO_BET, THREE_WAY, TOTAL, Plan
from palimpsest_pipeline.markets.checks.references import Interval, Reference, covers
from palimpsest_pipeline.markets.checks.tables import DC_1X, DC_X2
from palimpsest_pipeline.markets.checks.verdicts import (
    REASON_IDENTITY,
    REASON_UNITS,
    Found,
    Prices,
    Reason,
    prices_text,
)


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1.0 - 1e-6)
    return math.log(p / (1.0 - p))


def _outside(fair: float, allowed: Interval, bounds: SuspectBounds) -> bool:
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


def judge(
    plan: Plan,
    ref: Reference,
    market: int,
    specifier: str,
    prices: Prices,
    fair: tuple[float, ...] | None,
    bounds: SuspectBounds,
    found: Found,
) -> None:
    """Judge a line of its scope's lined or derived markets (``plan.role``) against the references; a
    reason is written for a suspect only."""
    if plan.off_step is not None:
        found.add(market, specifier, REASON_UNITS, plan.off_step)
        return
    role, line = plan.role, plan.line
    if role in (ASIAN, TOTAL):
        if line is None or fair is None:
            return
        if role == ASIAN:
            allowed = covers(plan.recipe, ref.margin_at_or_above)
        else:
            allowed = covers(plan.recipe, ref.total_at_or_above)
        if allowed is not None and _outside(fair[0], allowed, bounds):
            what = f"home hcp={line:g}" if role == ASIAN else f"over {line:g}"
            _suspect(market, specifier, prices, what, fair[0], allowed, ref, found)
    elif role == THREE_WAY:
        if line is None or fair is None or line != round(line):
            return
        k = round(line)
        home, at_or_above = ref.margin_at_or_above(1 - k), ref.margin_at_or_above(-k)
        if _outside(fair[0], home, bounds):
            _suspect(market, specifier, prices, f"hcp={line:g} home", fair[0], home, ref, found)
        away = at_or_above.complement()
        if _outside(fair[2], away, bounds):
            _suspect(market, specifier, prices, f"hcp={line:g} away", fair[2], away, ref, found)
    elif role == DRAW_NO_BET:
        if fair is not None:
            share = ref.home / (ref.home + ref.away)
            if _outside(fair[0], fixed := Interval(share, share), bounds):
                _suspect(market, specifier, prices, "draw no bet home", fair[0], fixed, ref, found)
    else:  # double chance, priced on three outcomes with 1X among them
        implied = {o: 1.0 / p for o, p in prices.items()}
        scale = 2.0 / sum(implied.values())  # each result is in two of the three outcomes
        for outcome, truth in ((DC_1X, ref.home + ref.draw), (DC_X2, ref.draw + ref.away)):
            if outcome in implied and _outside(
                implied[outcome] * scale, fixed := Interval(truth, truth), bounds
            ):
                label = "double chance 1X" if outcome == DC_1X else "double chance X2"
                _suspect(market, specifier, prices, label, implied[outcome] * scale, fixed, ref, found)


def _suspect(
    market: int,
    specifier: str,
    prices: Prices,
    what: str,
    probability: float,
    allowed: Interval,
    ref: Reference,
    found: Found,
) -> None:
    """A line whose fair probability is beyond what the references allow: ``identity`` when they fix it,
    ``units`` when they bound it."""
    reason: Reason = REASON_IDENTITY if allowed.exact else REASON_UNITS
    shown = f"{allowed.low:.3f}" if allowed.exact else f"[{allowed.low:.3f}, {allowed.high:.3f}]"
    found.add(
        market,
        specifier,
        reason,
        f"{what} fair {probability:.3f}, where the book's {ref.names} give {shown}; {prices_text(prices)}",
    )
