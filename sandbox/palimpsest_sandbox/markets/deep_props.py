"""Fair probabilities of the deep football markets the team model does not price: bookings and sendings off
per side, the first booking of the first half, a goal in added time and first-half shots.

Pure functions of the match (and the model's fair book where goals are involved), so every book that lists
one of these bets quotes the same fair probability and adds its own margin: books meeting on a key agree.
Bookings per side are Poisson at a rate drawn per match and side; a sending off is a Poisson event at a
tenth of a booking's rate; added time is ``ADDED_TIME_SHARE`` of the match's goal expectation; first-half
shots are Poisson around a per-match mean.
"""

from __future__ import annotations

import math
from functools import lru_cache

from palimpsest_sandbox.markets.model import fair_book
from palimpsest_sandbox.markets.moves import unit

#: Share of a match's goals scored in added time (about five of ninety-five minutes).
ADDED_TIME_SHARE = 0.055
#: Share of a match's bookings shown in the first half.
FIRST_HALF_BOOKINGS = 0.4
SENDING_OFF_PER_BOOKING = 0.06
#: Bookings exact lists as UOF writes them (143/144): "0-1", "2", "3", "4+".
EXACT_BOOKINGS = ("0-1", "2", "3", "4+")


def _poisson(rate: float, k: int) -> float:
    return math.exp(-rate) * rate**k / math.factorial(k)


def booking_rate(match_seed: int, side: int) -> float:
    """Expected bookings of a side (1 home, 2 away) in the match."""
    return 1.4 + 1.4 * unit(match_seed, side, 0xB00C)


def exact_bookings(match_seed: int, side: int) -> tuple[float, ...]:
    """P("0-1"), P("2"), P("3"), P("4+") bookings for a side."""
    rate = booking_rate(match_seed, side)
    cells = [_poisson(rate, 0) + _poisson(rate, 1), _poisson(rate, 2), _poisson(rate, 3)]
    return (*cells, 1 - sum(cells))


def sending_off(match_seed: int, side: int) -> float:
    """P(the side has a player sent off)."""
    return 1 - math.exp(-SENDING_OFF_PER_BOOKING * booking_rate(match_seed, side))


def first_half_first_booking(match_seed: int) -> tuple[float, float, float]:
    """P(home, none, away) shown the first booking of the first half."""
    home, away = (FIRST_HALF_BOOKINGS * booking_rate(match_seed, side) for side in (1, 2))
    none = math.exp(-(home + away))
    return home / (home + away) * (1 - none), none, away / (home + away) * (1 - none)


@lru_cache(maxsize=4_096)
def added_time_goal(match_seed: int) -> float:
    """P(a goal in added time): the model's goal expectation (from its 0:0) times the added-time share."""
    expected_goals = -math.log(fair_book(match_seed, 0, "football")[(30, "", 784)])
    return 1 - math.exp(-ADDED_TIME_SHARE * expected_goals)


def first_half_shots_over(match_seed: int, line: float) -> float:
    """P(more than ``line`` shots in the first half)."""
    mean = 8.0 + 5.0 * unit(match_seed, 0x5407)
    return 1 - sum(_poisson(mean, k) for k in range(math.floor(line) + 1))
