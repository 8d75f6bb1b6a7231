"""Ladders: a bet type's lines in order (an over less likely as its total rises, a home handicap more
likely as its line rises) and multigoal ranges no less likely than the narrower ranges inside them."""

from __future__ import annotations

from itertools import pairwise

from palimpsest_pipeline.markets.checks.bounds import SuspectBounds
from palimpsest_pipeline.markets.checks.plans import NestedRange
from palimpsest_pipeline.markets.checks.tables import TOTALS
from palimpsest_pipeline.markets.checks.verdicts import REASON_LADDER, Found, Prices


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
