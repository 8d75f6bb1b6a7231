"""Price models of the two-way sports (basketball, tennis): winner, total and handicap from a normal
approximation of the points/games margin and total. Used by ``model.fair_book``."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable

from palimpsest_sandbox.markets.fair import FairBook, line_spec, offered


def _normal_cdf(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def _two_way_sport(
    out: FairBook,
    ids: tuple[int, int, int],
    mean_margin: float,
    margin_sd: float,
    mean_total: float,
    total_sd: float,
    lines: Callable[[float], Iterable[float]],
) -> None:
    """Winner / total / handicap from a normal margin and total (continuity-corrected, half lines only)."""
    winner, total, handicap = ids
    home = _normal_cdf(mean_margin / margin_sd)
    out[(winner, "", 4)], out[(winner, "", 5)] = home, 1 - home
    centre_total = math.floor(mean_total) + 0.5
    for offset in lines(total_sd):
        line = centre_total + offset
        over = 1 - _normal_cdf((line - mean_total) / total_sd)
        if offered(over, 1 - over):
            out[(total, line_spec("total", line), 12)], out[(total, line_spec("total", line), 13)] = (
                over,
                1 - over,
            )
    centre_hcp = -(math.floor(mean_margin) + 0.5)
    for offset in lines(margin_sd):
        line = centre_hcp + offset
        cover = _normal_cdf((mean_margin + line) / margin_sd)
        if offered(cover, 1 - cover):
            out[(handicap, line_spec("hcp", line), 1714)], out[(handicap, line_spec("hcp", line), 1715)] = (
                cover,
                1 - cover,
            )


def basketball(rng: random.Random, drift: float) -> FairBook:
    out: FairBook = {}
    margin = rng.gauss(3.0, 7.0) + 2 * drift
    total = rng.uniform(150, 185) * (1 + drift / 10)

    def lines(sd: float) -> Iterable[float]:  # books list alternative lines 1-2 points apart
        step = max(1.0, round(sd / 8))
        return [step * k for k in range(-14, 15)]

    _two_way_sport(out, (219, 225, 223), margin, 12.0, total, 14.0, lines)
    return out


def tennis(rng: random.Random, drift: float) -> FairBook:
    out: FairBook = {}
    margin = rng.gauss(0.0, 3.0) + drift
    total = rng.uniform(20.0, 24.5)

    def lines(_sd: float) -> Iterable[float]:
        return [float(k) for k in range(-7, 8)]

    _two_way_sport(out, (186, 189, 187), margin, 4.5, total, 3.5, lines)
    return out
