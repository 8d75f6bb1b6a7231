"""The sandbox's price model: fair probabilities for every canonical market it prices.

One model is shared by the three books so the same match gets consistent prices everywhere (each book then
adds its own margin and noise, see pricing.py). Football uses independent Poisson goals per team and per
half from strengths derived from ``match_seed``; ``version`` drifts the strengths a little so prices move.
Basketball and tennis (two_way_model.py) use a normal approximation of the points/games margin and total.
Everything is pure Python (no numpy in the venv) and memoised per (seed, version, sport), since three books
render each version.

Probabilities are *effective*: 1 / fair decimal odds. For lines with a push (integer and quarter lines) that
is win / (1 - push) summed over the two half-stakes, so an Asian line's two sides still add up to ~1.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable
from functools import lru_cache

from palimpsest_pipeline.markets.vocabulary import (
    CS_1H_IDS,
    CS_1H_OTHER,
    CS_2H_IDS,
    CS_2H_OTHER,
    CS_FT_OTHER,
    EXACT_GOALS_3,
    EXACT_GOALS_6,
    correct_score_ft_id,
)
from palimpsest_sandbox.markets.fair import FairBook, line_spec, offered
from palimpsest_sandbox.markets.two_way_model import basketball, tennis

HALF_SHARE = 0.44  # share of goals scored in the first half
_MAX_GOALS_HALF = 8
_MAX_GOALS_FT = 10


def _quarter_steps(low: float, high: float) -> list[float]:
    return [low + 0.25 * i for i in range(round((high - low) / 0.25) + 1)]


FT_TOTAL_LINES = _quarter_steps(0.5, 6.5)
HALF_TOTAL_LINES = [0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5]
TEAM_TOTAL_LINES = [0.5, 1.5, 2.5, 3.5]
FT_AH_LINES = _quarter_steps(-3.0, 3.0)
HALF_AH_LINES = [-1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5]
FT_EURO_LINES = [-3.0, -2.0, -1.0, 1.0, 2.0, 3.0]
HALF_EURO_LINES = [-2.0, -1.0, 1.0, 2.0]
COMBO_TOTAL_LINES = [1.5, 2.5, 3.5, 4.5]


def _poisson(lam: float, cap: int) -> list[float]:
    pmf = [math.exp(-lam)]
    for k in range(1, cap + 1):
        pmf.append(pmf[-1] * lam / k)
    scale = 1.0 / sum(pmf)
    return [p * scale for p in pmf]


def _components(line: float) -> tuple[float, ...]:
    """A quarter line is half the stake on each neighbouring half/whole line."""
    frac = abs(line * 4) % 2
    return (line - 0.25, line + 0.25) if frac == 1 else (line,)


def _lined_pair(dist: dict[int, float], line: float) -> tuple[float, float]:
    """Effective probabilities of (X + line > 0) and (X + line < 0) for an integer-valued X."""
    parts = _components(line)
    weight = 1.0 / len(parts)
    win_a = win_b = push = 0.0
    for part in parts:
        for value, p in dist.items():
            shifted = value + part
            if shifted > 1e-9:
                win_a += weight * p
            elif shifted < -1e-9:
                win_b += weight * p
            else:
                push += weight * p
    stake = 1.0 - push
    if stake <= 1e-12:
        return 0.0, 0.0
    return win_a / stake, win_b / stake


class _Period:
    """Distributions of one period's score (home and away goals independent)."""

    __slots__ = ("btts_total", "cells", "diff", "pa", "ph", "sign_btts", "sign_total", "total")

    def __init__(self, ph: list[float], pa: list[float]) -> None:
        self.ph, self.pa = ph, pa
        self.diff: dict[int, float] = {}
        self.total: dict[int, float] = {}
        self.sign_total: dict[tuple[int, int], float] = {}
        self.sign_btts: dict[tuple[int, bool], float] = {}
        self.btts_total: dict[tuple[bool, int], float] = {}
        self.cells: dict[tuple[int, int], float] = {}
        for h, p_h in enumerate(ph):
            for a, p_a in enumerate(pa):
                p = p_h * p_a
                d, t = h - a, h + a
                sign = (d > 0) - (d < 0)
                both = h > 0 and a > 0
                self.cells[(h, a)] = p
                self.diff[d] = self.diff.get(d, 0.0) + p
                self.total[t] = self.total.get(t, 0.0) + p
                self.sign_total[(sign, t)] = self.sign_total.get((sign, t), 0.0) + p
                self.sign_btts[(sign, both)] = self.sign_btts.get((sign, both), 0.0) + p
                self.btts_total[(both, t)] = self.btts_total.get((both, t), 0.0) + p

    def result(self) -> tuple[float, float, float]:
        home = sum(p for d, p in self.diff.items() if d > 0)
        draw = self.diff.get(0, 0.0)
        return home, draw, 1.0 - home - draw


def _add_period(
    out: FairBook,
    per: _Period,
    ids: dict[str, int],
    totals: Iterable[float],
    ah: Iterable[float],
    euro: Iterable[float],
    team_totals: Iterable[float],
) -> None:
    home, draw, away = per.result()
    out[(ids["1x2"], "", 1)], out[(ids["1x2"], "", 2)], out[(ids["1x2"], "", 3)] = home, draw, away
    out[(ids["dc"], "", 9)] = home + draw
    out[(ids["dc"], "", 10)] = home + away
    out[(ids["dc"], "", 11)] = draw + away
    out[(ids["dnb"], "", 4)] = home / (home + away)
    out[(ids["dnb"], "", 5)] = away / (home + away)
    for line in totals:
        over, under = _lined_pair(per.total, -line)
        if offered(over, under):
            out[(ids["total"], line_spec("total", line), 12)] = over
            out[(ids["total"], line_spec("total", line), 13)] = under
    for line in ah:
        h, a = _lined_pair(per.diff, line)
        if offered(h, a):
            out[(ids["ah"], line_spec("hcp", line), 1714)] = h
            out[(ids["ah"], line_spec("hcp", line), 1715)] = a
    for line in euro:
        h = sum(p for d, p in per.diff.items() if d + line > 0)
        x = per.diff.get(int(-line), 0.0)
        if offered(h, x, 1 - h - x):
            spec = line_spec("hcp", line)
            out[(ids["euro"], spec, 1711)], out[(ids["euro"], spec, 1712)] = h, x
            out[(ids["euro"], spec, 1713)] = 1 - h - x
    btts = (1 - per.ph[0]) * (1 - per.pa[0])
    out[(ids["btts"], "", 74)], out[(ids["btts"], "", 76)] = btts, 1 - btts
    odd = sum(p for t, p in per.total.items() if t % 2)
    out[(ids["oe"], "", 70)], out[(ids["oe"], "", 72)] = odd, 1 - odd
    for team, pmf in (("home_total", per.ph), ("away_total", per.pa)):
        dist = dict(enumerate(pmf))
        for line in team_totals:
            over, under = _lined_pair(dist, -line)
            if offered(over, under):
                out[(ids[team], line_spec("total", line), 12)] = over
                out[(ids[team], line_spec("total", line), 13)] = under


_FT_IDS = {
    "1x2": 1,
    "dc": 10,
    "dnb": 11,
    "total": 18,
    "ah": 16,
    "euro": 14,
    "btts": 29,
    "oe": 26,
    "home_total": 19,
    "away_total": 20,
}
_1H_IDS = {
    "1x2": 60,
    "dc": 63,
    "dnb": 64,
    "total": 68,
    "ah": 66,
    "euro": 65,
    "btts": 75,
    "oe": 74,
    "home_total": 69,
    "away_total": 70,
}
_2H_IDS = {
    "1x2": 83,
    "dc": 85,
    "dnb": 86,
    "total": 90,
    "ah": 88,
    "euro": 87,
    "btts": 95,
    "oe": 94,
    "home_total": 91,
    "away_total": 92,
}


def _half_cs(
    out: FairBook, market_id: int, per: _Period, ids: dict[tuple[int, int], int], other: int
) -> None:
    listed = 0.0
    for score, oid in ids.items():
        out[(market_id, "", oid)] = per.cells.get(score, 0.0)
        listed += per.cells.get(score, 0.0)
    out[(market_id, "", other)] = 1.0 - listed


def _full_time_specials(
    out: FairBook, ft: _Period, h1: _Period, h2: _Period, lam_h: float, lam_a: float
) -> None:
    ph, pa = ft.ph, ft.pa
    listed = 0.0
    for h in range(5):
        for a in range(5):
            p = ft.cells.get((h, a), 0.0)
            out[(45, "", correct_score_ft_id(h, a))] = p
            listed += p
    out[(45, "", CS_FT_OTHER)] = 1.0 - listed
    _half_cs(out, 81, h1, CS_1H_IDS, CS_1H_OTHER)
    _half_cs(out, 98, h2, CS_2H_IDS, CS_2H_OTHER)
    variant6 = f"variant={EXACT_GOALS_6}"
    for n in range(6):
        out[(21, variant6, 68 + n)] = ft.total.get(n, 0.0)
    out[(21, variant6, 74)] = 1.0 - sum(ft.total.get(n, 0.0) for n in range(6))
    variant3 = f"variant={EXACT_GOALS_3}"
    for market_id, pmf in ((23, ph), (24, pa)):
        for n in range(3):
            out[(market_id, variant3, 88 + n)] = pmf[n]
        out[(market_id, variant3, 91)] = 1.0 - pmf[0] - pmf[1] - pmf[2]
    home, draw, away = ft.result()
    for market_id, p in ((31, pa[0]), (32, ph[0]), (33, home_win_to_nil(ft)), (34, away_win_to_nil(ft))):
        out[(market_id, "", 74)], out[(market_id, "", 76)] = p, 1 - p
    out[(12, "", 776)], out[(12, "", 778)] = draw / (draw + away), away / (draw + away)
    out[(13, "", 780)], out[(13, "", 782)] = home / (home + draw), draw / (home + draw)
    none = ph[0] * pa[0]
    out[(30, "", 784)], out[(30, "", 788)] = none, (1 - ph[0]) * pa[0]
    out[(30, "", 790)], out[(30, "", 792)] = ph[0] * (1 - pa[0]), (1 - ph[0]) * (1 - pa[0])
    no_goal = math.exp(-(lam_h + lam_a))
    first_home = lam_h / (lam_h + lam_a) * (1 - no_goal)
    for market_id, spec in ((8, "goalnr=1"), (9, "")):
        out[(market_id, spec, 6)], out[(market_id, spec, 7)] = first_home, no_goal
        out[(market_id, spec, 8)] = 1 - first_home - no_goal
    for (sign, both), p in ft.sign_btts.items():
        out[(35, "", {1: 78, 0: 82, -1: 86}[sign] + (0 if both else 2))] = (
            out.get((35, "", {1: 78, 0: 82, -1: 86}[sign] + (0 if both else 2)), 0.0) + p
        )
    btts_yes = out[(29, "", 74)]
    dc_btts = {"1X": (1, 0), "12": (1, -1), "X2": (0, -1)}
    for index, (sign_a, sign_b) in enumerate(dc_btts.values()):
        yes = ft.sign_btts.get((sign_a, True), 0.0) + ft.sign_btts.get((sign_b, True), 0.0)
        no = ft.sign_btts.get((sign_a, False), 0.0) + ft.sign_btts.get((sign_b, False), 0.0)
        out[(546, "", 1718 + 2 * index)], out[(546, "", 1719 + 2 * index)] = yes, no
    for line in COMBO_TOTAL_LINES:
        spec = line_spec("total", line)
        under_by_sign = {
            s: sum(p for (sg, t), p in ft.sign_total.items() if sg == s and t < line) for s in (1, 0, -1)
        }
        by_sign = {1: home, 0: draw, -1: away}
        for s, base in ((1, 794), (0, 798), (-1, 802)):
            out[(37, spec, base)], out[(37, spec, base + 2)] = under_by_sign[s], by_sign[s] - under_by_sign[s]
        for index, (sign_a, sign_b) in enumerate(dc_btts.values()):
            under = under_by_sign[sign_a] + under_by_sign[sign_b]
            out[(547, spec, 1724 + index)] = under
            out[(547, spec, 1727 + index)] = by_sign[sign_a] + by_sign[sign_b] - under
        yes_under = sum(p for (both, t), p in ft.btts_total.items() if both and t < line)
        no_under = sum(p for (both, t), p in ft.btts_total.items() if not both and t < line)
        out[(36, spec, 90)], out[(36, spec, 92)] = btts_yes - yes_under, yes_under
        out[(36, spec, 94)], out[(36, spec, 96)] = (1 - btts_yes) - no_under, no_under
    _cross_half(out, h1, h2)


def home_win_to_nil(ft: _Period) -> float:
    return sum(p for h, p in enumerate(ft.ph) if h > 0) * ft.pa[0]


def away_win_to_nil(ft: _Period) -> float:
    return sum(p for a, p in enumerate(ft.pa) if a > 0) * ft.ph[0]


def _cross_half(out: FairBook, h1: _Period, h2: _Period) -> None:
    ht_ft_ids = {
        (1, 1): 418,
        (1, 0): 420,
        (1, -1): 422,
        (0, 1): 424,
        (0, 0): 426,
        (0, -1): 428,
        (-1, 1): 430,
        (-1, 0): 432,
        (-1, -1): 434,
    }
    acc = dict.fromkeys(ht_ft_ids.values(), 0.0)
    for d1, p1 in h1.diff.items():
        s1 = (d1 > 0) - (d1 < 0)
        for d2, p2 in h2.diff.items():
            d = d1 + d2
            acc[ht_ft_ids[(s1, (d > 0) - (d < 0))]] += p1 * p2
    for oid, p in acc.items():
        out[(47, "", oid)] = p
    h1_home, _h1_draw, h1_away = h1.result()
    h2_home, _h2_draw, h2_away = h2.result()
    for market_id, p in (
        (48, h1_home * h2_home),
        (49, h1_away * h2_away),
        (50, 1 - (1 - h1_home) * (1 - h2_home)),
        (51, 1 - (1 - h1_away) * (1 - h2_away)),
        (56, (1 - h1.ph[0]) * (1 - h2.ph[0])),
        (57, (1 - h1.pa[0]) * (1 - h2.pa[0])),
    ):
        out[(market_id, "", 74)], out[(market_id, "", 76)] = p, 1 - p
    first = equal = 0.0
    for t1, p1 in h1.total.items():
        for t2, p2 in h2.total.items():
            if t1 > t2:
                first += p1 * p2
            elif t1 == t2:
                equal += p1 * p2
    out[(52, "", 436)], out[(52, "", 440)], out[(52, "", 438)] = first, equal, 1 - first - equal


def _rates(rng: random.Random, drift: float) -> tuple[float, float]:
    """Expected goals of the home and away side over the match."""
    expected_goals = rng.uniform(1.9, 3.3) * (1 + drift)
    home_share = min(0.8, max(0.2, rng.gauss(0.54, 0.1) + drift / 2))
    return expected_goals * home_share, expected_goals * (1 - home_share)


def _football(rng: random.Random, drift: float) -> FairBook:
    lam_h, lam_a = _rates(rng, drift)
    h1 = _Period(_poisson(lam_h * HALF_SHARE, _MAX_GOALS_HALF), _poisson(lam_a * HALF_SHARE, _MAX_GOALS_HALF))
    h2 = _Period(
        _poisson(lam_h * (1 - HALF_SHARE), _MAX_GOALS_HALF),
        _poisson(lam_a * (1 - HALF_SHARE), _MAX_GOALS_HALF),
    )
    ft = _Period(_poisson(lam_h, _MAX_GOALS_FT), _poisson(lam_a, _MAX_GOALS_FT))
    out: FairBook = {}
    _add_period(out, ft, _FT_IDS, FT_TOTAL_LINES, FT_AH_LINES, FT_EURO_LINES, TEAM_TOTAL_LINES)
    _add_period(out, h1, _1H_IDS, HALF_TOTAL_LINES, HALF_AH_LINES, HALF_EURO_LINES, TEAM_TOTAL_LINES[:3])
    _add_period(out, h2, _2H_IDS, HALF_TOTAL_LINES, HALF_AH_LINES, HALF_EURO_LINES, TEAM_TOTAL_LINES[:3])
    _full_time_specials(out, ft, h1, h2, lam_h, lam_a)
    return out


_SPORT_MODELS: dict[str, Callable[[random.Random, float], FairBook]] = {
    "football": _football,
    "basketball": basketball,
    "tennis": tennis,
}


@lru_cache(maxsize=512)  # fair_markets (pricing.py) keeps the grouped copy the renderers use
def fair_book(match_seed: int, version: int, sport: str) -> FairBook:
    """Fair effective probabilities of every canonical outcome the model prices for one match version.

    The returned dict is shared by the cache: callers must not modify it.
    """
    try:
        model = _SPORT_MODELS[sport]
    except KeyError:
        known = ", ".join(sorted(_SPORT_MODELS))
        raise ValueError(f"no price model for sport {sport!r}; known: {known}") from None
    strength_rng, drift = _strengths(match_seed, version)
    return model(strength_rng, drift)


def _strengths(match_seed: int, version: int) -> tuple[random.Random, float]:
    return random.Random(match_seed), random.Random(match_seed * 7919 + version).uniform(-0.04, 0.04)


def goal_rates(match_seed: int, version: int) -> tuple[float, float]:
    """The football model's expected goals of the home and away side for one match version."""
    return _rates(*_strengths(match_seed, version))


def scoreless_chances(match_seed: int) -> tuple[float, float]:
    """The chances the home and the away side score no goal in the match at version 0: the model's markets 32
    and 31 (its "yes"), without pricing every other market."""
    home, away = goal_rates(match_seed, 0)
    return _poisson(home, _MAX_GOALS_FT)[0], _poisson(away, _MAX_GOALS_FT)[0]
