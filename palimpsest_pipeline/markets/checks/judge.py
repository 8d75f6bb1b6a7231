"""Lines judged: against their period's references (a fair probability beyond what the book's own 1X2,
correct score and exact goals allow: ``identity`` when they fix it, ``units`` when they bound it), and
against the other lines of their ladder or multigoal ranges (``ladder``)."""

from __future__ import annotations

import math
from itertools import pairwise

from palimpsest_pipeline.markets.checks.bounds import SuspectBounds
from palimpsest_pipeline.markets.checks.plans import ASIAN, DRAW_NO_BET, THREE_WAY, TOTAL, NestedRange, Plan
from palimpsest_pipeline.markets.checks.references import Interval, Reference, covers
from palimpsest_pipeline.markets.checks.tables import DC_1X, DC_X2, TOTALS
from palimpsest_pipeline.markets.checks.verdicts import (
    REASON_IDENTITY,
    REASON_LADDER,
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
        allowed = covers(plan.recipe, ref.margin_at_or_above if role == ASIAN else ref.total_at_or_above)
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


def range_broken(
    ranges: tuple[NestedRange, ...],
    market: int,
    specifier: str,
    prices: Prices,
    bounds: SuspectBounds,
    found: Found,
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


def check_ladders(
    ladders: dict[int, list[tuple[float, str, float]]], bounds: SuspectBounds, found: Found
) -> None:
    """Each ladder's (line, specifier, fair probability of its first outcome), in line order: an over less
    likely as its total rises, a home handicap more likely as its line rises."""
    tolerance = bounds.ladder_tolerance
    for market, lines in ladders.items():
        lines.sort()
        totals = market in TOTALS
        for (low, low_spec, p_low), (high, high_spec, p_high) in pairwise(lines):
            if totals and p_high > p_low + tolerance:
                detail = f"over {high:g} fair {p_high:.3f} more likely than over {low:g} fair {p_low:.3f}"
                found.break_ladder(market, low_spec, high_spec, detail)
            elif not totals and p_low > p_high + tolerance:
                detail = (
                    f"home hcp={low:g} fair {p_low:.3f} more likely than home hcp={high:g} fair {p_high:.3f}"
                )
                found.break_ladder(market, low_spec, high_spec, detail)
