"""Margin-free probabilities of a complete market's prices by the power method (the comparison's)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import lru_cache
from itertools import repeat
from operator import mul, truediv

#: 1.0, endlessly: the numerators of implied probabilities (``map(truediv, ONES, prices)``), shared, as
#: making a ``repeat`` per market costs more than the sum it feeds.
ONES = repeat(1.0)


@lru_cache(maxsize=65_536)
def fair_by_prices(prices: tuple[float, ...]) -> tuple[float, ...]:
    """Margin-free probabilities of a complete market's prices (Newton on ``sum(p_i ** k) = 1`` from the left
    of the root, docs/odds-comparison.md), normalised to sum to 1; remembered, as books repeat price pairs.
    Two- and three-way markets (most lines) take the same steps written out per outcome."""
    if len(prices) == 2:
        return _fair_two(*prices)
    if len(prices) == 3:
        return _fair_three(*prices)
    exp = math.exp
    logs = [-log for log in map(math.log, prices)]
    k = 1.0 if sum(map(truediv, ONES, prices)) >= 1.0 else 0.0
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
    """:func:`fair_by_prices` of two prices: the same operations in the same order."""
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
    """:func:`fair_by_prices` of three prices: the same operations in the same order."""
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


def fair_of(prices: Mapping[int, float], outcomes: Sequence[int]) -> dict[int, float] | None:
    """Fair probabilities of a complete market priced on exactly ``outcomes``; None when it is not."""
    if len(prices) != len(outcomes):
        return None
    try:
        ordered = tuple([prices[o] for o in outcomes])
    except KeyError:
        return None
    return dict(zip(outcomes, fair_by_prices(ordered), strict=True))
