"""The tolerances of the market checks, single-book and cross-book: what a true market looks like."""

from __future__ import annotations

from dataclasses import dataclass


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
    multigoal check on."""

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

    def band(self, winners: int, outcomes: int, whole: bool) -> tuple[float, float]:
        """The implied sum a true market of ``outcomes`` outcomes, ``winners`` of which win whatever
        happens, may have: ``winners`` times one plus its margin, the ceiling that of one partition of its
        results (``outcomes / winners`` outcomes); no floor when only some of its outcomes are priced."""
        parts = -(-outcomes // winners)
        return (winners * (1.0 + self.min_margin) if whole else 0.0, winners * (1.0 + self.ceiling(parts)))

    def ceiling(self, outcomes: int) -> float:
        """The highest overround a complete market of ``outcomes`` outcomes may have."""
        for most, limit in self.max_margin_by_outcomes:
            if outcomes <= most:
                return limit
        return self.max_margin_by_outcomes[-1][1]
