"""In-play prices: a handful of main markets, from the match state and the price model's strengths.

The prematch price model (``sandbox.markets.model.fair_book``) gives each match its strengths (expected
goals, points margin and total, match-win chance); here the part of the match still to play is priced on
top of the current score, so live odds move with the clock and jump with the score, and agree with the
prematch prices at kick-off. Only the main markets a live page leads with are priced (1X2, double chance,
draw no bet, totals, both teams to score, odd/even, next goal, team totals; winner and total elsewhere).

Probabilities come out in canonical keys (``markets.vocabulary``); :func:`book_live_prices` adds a book's
in-play margin, rounds to its odds ladder and closes outcomes that are all but decided (None), the way
real books pull lopsided live lines. In football stoppage time every line is closed (:func:`board_closed`),
as in the live captures.
"""

from __future__ import annotations

import math
from functools import lru_cache
from statistics import NormalDist

from palimpsest_pipeline.markets.specifiers import format_line
from palimpsest_pipeline.markets.vocabulary import CanonicalKey
from palimpsest_pipeline.records import Book
from palimpsest_sandbox.kit import kit
from palimpsest_sandbox.live_timeline import HALF_S, MatchState, Strengths
from palimpsest_sandbox.markets.model import fair_book
from palimpsest_sandbox.markets.pricing import round_odds

LiveProbabilities = dict[CanonicalKey, float]
LivePrices = dict[CanonicalKey, float | None]  # None: the outcome is closed

#: Outcomes under this chance, or priced under MIN_OPEN_ODDS, are closed (books pull all-but-decided lines).
MIN_OPEN_P = 0.03
MIN_OPEN_ODDS = 1.03
#: Constants of the prematch model's normal approximations (model.py): points margin and total spreads.
BASKETBALL_MARGIN_SD, BASKETBALL_TOTAL_SD = 12.0, 14.0
TENNIS_LEAD_SCALE = 3.0
_STANDARD = NormalDist()
_DEFAULT_GOALS = (1.45, 1.15)
_MAX_GOALS_LEFT = 12


def _probit(p: float) -> float:
    return _STANDARD.inv_cdf(min(0.999, max(0.001, p)))


@lru_cache(maxsize=16_384)
def strengths(sport: str, match_seed: int) -> Strengths:
    """The match's strengths, read back from the prematch model's fair prices (version 0)."""
    fair = fair_book(match_seed, 0, sport)
    if sport == "football":
        # Poisson: P(team scores at least once) = 1 - exp(-lambda), so the 0.5 team totals give lambda.
        home_over, away_over = fair.get((19, "total=0.5", 12)), fair.get((20, "total=0.5", 12))
        if home_over is None or away_over is None:
            return Strengths(*_DEFAULT_GOALS)
        return Strengths(-math.log(max(1e-6, 1 - home_over)), -math.log(max(1e-6, 1 - away_over)))
    if sport == "basketball":
        margin = BASKETBALL_MARGIN_SD * _probit(fair.get((219, "", 4), 0.5))
        overs = [(float(spec[6:]), p) for (m, spec, o), p in fair.items() if m == 225 and o == 12]
        line, over = min(overs, key=lambda item: abs(item[1] - 0.5)) if overs else (165.5, 0.5)
        total = line + BASKETBALL_TOTAL_SD * _probit(over)
        return Strengths((total + margin) / 2, (total - margin) / 2)
    return Strengths(fair.get((186, "", 4), 0.5), 0.0)


def _poisson(lam: float) -> list[float]:
    pmf = [math.exp(-lam)]
    for k in range(1, _MAX_GOALS_LEFT + 1):
        pmf.append(pmf[-1] * lam / k)
    scale = 1.0 / sum(pmf)
    return [p * scale for p in pmf]


def _football(state: MatchState, strength: Strengths) -> LiveProbabilities:
    home, away = state.score
    left_h, left_a = strength.home * state.remaining_share, strength.away * state.remaining_share
    more_h, more_a = _poisson(left_h), _poisson(left_a)
    win = draw = lose = btts = odd = 0.0
    total_left: dict[int, float] = {}
    for h, p_h in enumerate(more_h):
        for a, p_a in enumerate(more_a):
            p = p_h * p_a
            final_h, final_a = home + h, away + a
            win += p * (final_h > final_a)
            draw += p * (final_h == final_a)
            lose += p * (final_h < final_a)
            btts += p * (final_h > 0 and final_a > 0)
            odd += p * ((final_h + final_a) % 2 == 1)
            total_left[h + a] = total_left.get(h + a, 0.0) + p
    out: LiveProbabilities = {(1, "", 1): win, (1, "", 2): draw, (1, "", 3): lose}
    out.update({(10, "", 9): win + draw, (10, "", 10): win + lose, (10, "", 11): draw + lose})
    if win + lose > 0:
        out.update({(11, "", 4): win / (win + lose), (11, "", 5): lose / (win + lose)})
    for extra in (0, 1, 2):
        spec = f"total={format_line(home + away + extra + 0.5)}"
        over = sum(p for goals, p in total_left.items() if goals > extra)
        out[(18, spec, 12)], out[(18, spec, 13)] = over, 1 - over
    out[(29, "", 74)], out[(29, "", 76)] = btts, 1 - btts
    out[(26, "", 70)], out[(26, "", 72)] = odd, 1 - odd
    none = math.exp(-(left_h + left_a))
    scoring = left_h + left_a
    goal_nr = f"goalnr={home + away + 1}"
    out[(8, goal_nr, 6)] = (1 - none) * left_h / scoring if scoring else 0.0
    out[(8, goal_nr, 7)] = none
    out[(8, goal_nr, 8)] = (1 - none) * left_a / scoring if scoring else 0.0
    for market, goals, left in ((19, home, left_h), (20, away, left_a)):
        spec = f"total={format_line(goals + 0.5)}"
        out[(market, spec, 12)] = 1 - math.exp(-left)
        out[(market, spec, 13)] = math.exp(-left)
    return out


def _basketball(state: MatchState, strength: Strengths) -> LiveProbabilities:
    home, away = state.score
    share = state.remaining_share
    margin_left = (strength.home - strength.away) * share
    spread = BASKETBALL_MARGIN_SD * math.sqrt(share)
    lead = home - away
    if spread > 1e-9:
        win = _STANDARD.cdf((lead + margin_left) / spread)
    else:
        win = 1.0 if lead > 0 else 0.0 if lead < 0 else 0.5  # level at the buzzer: overtime
    out: LiveProbabilities = {(219, "", 4): win, (219, "", 5): 1 - win}
    expected_total = home + away + (strength.home + strength.away) * share
    line = math.floor(expected_total) + 0.5
    total_spread = max(1e-9, BASKETBALL_TOTAL_SD * math.sqrt(share))
    over = 1 - _STANDARD.cdf((line - expected_total) / total_spread)
    out[(225, f"total={format_line(line)}", 12)] = over
    out[(225, f"total={format_line(line)}", 13)] = 1 - over
    return out


def _tennis(state: MatchState, strength: Strengths) -> LiveProbabilities:
    """Plausible, not a tennis model: the prematch edge fades as the match goes, the lead counts more."""
    sets_h, sets_a = state.score
    games_h, games_a = state.period_scores[-1]
    lead = 5 * (sets_h - sets_a) + (games_h - games_a)
    share = max(0.02, state.remaining_share)
    win = _STANDARD.cdf(_probit(strength.home) * math.sqrt(share) + lead / (TENNIS_LEAD_SCALE * 4 * share))
    return {(186, "", 4): win, (186, "", 5): 1 - win}


def live_probabilities(state: MatchState, strength: Strengths) -> LiveProbabilities:
    """Fair probabilities of the live main markets at this instant."""
    if state.sport == "football":
        return _football(state, strength)
    if state.sport == "basketball":
        return _basketball(state, strength)
    return _tennis(state, strength)


def board_closed(state: MatchState) -> bool:
    """Football stoppage time: books close every line (the live capture, at 91', shows all of them closed)."""
    return state.sport == "football" and state.phase.code == "H2" and state.game_s >= 2 * HALF_S


def live_odds(book: Book, probability: float) -> float:
    """Decimal odds with ``book``'s live margin taken from the winnings (``1 + (1/p - 1)(1 - m)``): unlike
    dividing by ``1 + m`` this keeps a 92% favourite above evens, as live boards show it."""
    return round_odds(book, 1 + (1 / probability - 1) * (1 - kit(book).live.margin))


def implied_probability(book: Book, odds: float) -> float:
    """The inverse of :func:`live_odds` (a book may print it next to each price)."""
    return 1 / (1 + (odds - 1) / (1 - kit(book).live.margin))


def book_live_prices(book: Book, probabilities: LiveProbabilities, *, closed: bool = False) -> LivePrices:
    """``book``'s displayed odds; an outcome is closed (None) under a 3% chance, under odds 1.03, or when
    ``closed`` says the whole board is."""
    prices: LivePrices = {}
    for key, p in probabilities.items():
        odds = live_odds(book, p) if not closed and p >= MIN_OPEN_P else None
        prices[key] = odds if odds is not None and odds >= MIN_OPEN_ODDS else None
    return prices
