"""Bounds from the references: what a period's 1X2, correct score and exact goals say about the
probabilities of its goal margins and goal totals, and so of a line bet on either."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from palimpsest_pipeline.markets.checks.bounds import SuspectBounds
from palimpsest_pipeline.markets.checks.fair import fair_by_prices, fair_of
from palimpsest_pipeline.markets.checks.tables import AWAY, COMPLETE, DRAW, HOME, SCOPES, Scope
from palimpsest_pipeline.markets.checks.verdicts import LineKey, Prices


class Interval(NamedTuple):
    """Bounds of a probability."""

    low: float
    high: float

    @property
    def exact(self) -> bool:
        return self.high - self.low < 1e-9

    def complement(self) -> Interval:
        """The bounds of the probability of the opposite event."""
        return Interval(1.0 - self.high, 1.0 - self.low)


@dataclass
class Reference:
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
    margins: dict[int, Interval] = field(default_factory=dict, repr=False)
    totals: dict[int, Interval | None] = field(default_factory=dict, repr=False)

    def margin_at_or_above(self, j: int) -> Interval:
        """:meth:`margin_from`, remembered."""
        held = self.margins.get(j)
        if held is None:
            held = self.margins[j] = self.margin_from(j)
        return held

    def total_at_or_above(self, n: int) -> Interval | None:
        """:meth:`total_from`, remembered."""
        if n not in self.totals:
            self.totals[n] = self.total_from(n)
        return self.totals[n]

    def margin_from(self, j: int) -> Interval:
        """P(margin >= j)."""
        if j == 1:
            return Interval(self.home, self.home)
        if j == 0:
            return Interval(self.home + self.draw, self.home + self.draw)
        if j > 1:
            inside = sum(self.margin_at_least.get(i, 0.0) for i in range(1, j))
            beyond = sum(p for i, p in self.margin_at_least.items() if i >= j)
            return Interval(min(beyond, self.home), max(0.0, self.home - inside))
        n = 1 - j  # P(margin >= j) = 1 - P(margin <= -n)
        inside = sum(self.margin_at_least.get(-i, 0.0) for i in range(1, n))
        beyond = sum(p for i, p in self.margin_at_least.items() if i <= -n)
        return Interval(min(beyond, self.away), max(0.0, self.away - inside)).complement()

    def total_from(self, n: int) -> Interval | None:
        """P(total >= n); None when nothing bounds it."""
        if n <= 0:
            return Interval(1.0, 1.0)
        if not self.total_is:
            return Interval(1.0 - self.draw, 1.0) if n == 1 else None
        below = sum(self.total_is.get(t, 0.0) for t in range(min(n, self.exact_total + 1)))
        if n - 1 <= self.exact_total:
            return Interval(1.0 - below, 1.0 - below)
        return Interval(0.0, 1.0 - below)


def _conditional(above: Interval, below: Interval) -> Interval:
    """Bounds of a/(a+b) (a push-free share) for a in ``above``, b in ``below``."""
    high = above.high / (above.high + below.low) if above.high + below.low > 0 else 1.0
    low = above.low / (above.low + below.high) if above.low + below.high > 0 else 0.0
    return Interval(low, high)


#: How a line's bounds are read (:func:`cover_recipe`): ``(False, n)`` P(X >= n) for a half line,
#: ``(True, n)`` the push-free share beyond n for a whole line, two of them for a quarter line, or None.
Recipe = tuple[tuple[bool, int], ...] | None


def cover_recipe(line: float) -> Recipe:
    """What bounds the fair probability of a two-way line bet on a count X with integer steps: X > -line for
    a handicap (X the margin), or X > line for a total (pass the total's negation). Half lines are
    P(X >= n); whole lines push (a/(a+b)); quarter lines lie between their neighbours; others: None."""
    if abs(line * 4 - round(line * 4)) > 1e-9:  # not a line of whole, half or quarter units: no bound
        return None
    doubled = line * 2
    if abs(doubled - round(doubled)) > 1e-9:  # a quarter line: between its two neighbours
        lower, upper = cover_recipe(line - 0.25), cover_recipe(line + 0.25)
        return None if lower is None or upper is None else lower + upper
    if abs(line - round(line)) > 1e-9:  # a half line: X >= -line + 0.5
        return ((False, round(-line + 0.5)),)
    return ((True, round(-line)),)


def covers(recipe: Recipe, at_least: Callable[[int], Interval | None]) -> Interval | None:
    """The bounds :func:`cover_recipe` reads, given ``at_least(n)``: P(X >= n), None when unbounded."""
    if recipe is None:
        return None
    found: list[Interval] = []
    for whole, n in recipe:
        if not whole:
            bound = at_least(n)
        else:
            above, from_push = at_least(n + 1), at_least(n)
            if above is None or from_push is None:
                return None
            bound = _conditional(above, from_push.complement())
        if bound is None:
            return None
        found.append(bound)
    if len(found) == 1:
        return found[0]
    return Interval(min([bound.low for bound in found]), max([bound.high for bound in found]))


def _score_plan(scope: Scope) -> tuple[tuple[int, ...], tuple[tuple[int, int, int], ...], int]:
    """A complete correct score's outcomes in order, (position, margin, total goals) of each listed score
    in that order, and the highest total whose every score is listed."""
    order = tuple(sorted(COMPLETE.get(scope.correct_score, ())))
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
_SCORE_PLANS = {scope.correct_score: _score_plan(scope) for scope in SCOPES}


def reference(index: dict[LineKey, Prices], scope: Scope, bounds: SuspectBounds) -> Reference | None:
    """What the book's references of ``scope`` among ``index`` (its open prices by line) say; None without
    a complete 1X2."""
    x12 = fair_of(index.get((scope.x12, ""), {}), (HOME, DRAW, AWAY))
    if x12 is None:
        return None
    names = ["1X2"]
    margin_at_least: dict[int, float] = {}
    total_is: dict[int, float] = {}
    exact_total = -1
    score_prices = index.get((scope.correct_score, ""), {})
    complete_scores = COMPLETE.get(scope.correct_score)
    if score_prices and score_prices.keys() == complete_scores:
        order, listed_scores, exact_total = _SCORE_PLANS[scope.correct_score]
        fair = fair_by_prices(tuple([score_prices[o] for o in order]))
        for position, margin, total in listed_scores:
            if margin:
                margin_at_least[margin] = margin_at_least.get(margin, 0.0) + fair[position]
            total_is[total] = total_is.get(total, 0.0) + fair[position]
        names.append("correct score")
    elif score_prices:
        # An incomplete correct score has no fair probabilities, but each listed score is at least its implied
        # probability over the largest implied sum a true market of its size may have: a margin's lower bound.
        most = 1.0 + bounds.ceiling(len(COMPLETE.get(scope.correct_score, ())))
        for outcome, price in score_prices.items():
            home, away = scope.scores.get(outcome, (0, 0))
            if home != away:
                margin_at_least[home - away] = margin_at_least.get(home - away, 0.0) + 1.0 / price / most
        names.append("correct score (in part)")
    if scope.exact_goals is not None:
        market, specifier, goals = scope.exact_goals
        exact = fair_of(index.get((market, specifier), {}), tuple(goals))
        if exact is not None:
            top = max(goals.values())
            total_is = {goals[o]: p for o, p in exact.items() if goals[o] < top}
            exact_total = top - 1
            names.append("exact goals")
    return Reference(
        x12[HOME], x12[DRAW], x12[AWAY], margin_at_least, total_is, exact_total, " and ".join(names)
    )
