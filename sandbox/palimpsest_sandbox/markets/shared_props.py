"""Prices of the markets the model does not price (corners, minute markets, combinations...), agreeing
across books as real books' prices do. Goal bets (ranges, combinations of goal bets) come from the match's
score (score_model.py); the rest from a fair probability drawn per match and outcome.

Every book quotes the same fair probability for a canonical outcome, drawn from the match and the outcome
alone, then adds its own margin and a little noise. Outcomes of a complete market share its probability
mass, so a book's implied sum is one plus its margin.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

from palimpsest_pipeline.markets.combinations import ALL_OF, YES, Leg
from palimpsest_pipeline.markets.vocabulary import OVER_UNDER, VOCABULARY
from palimpsest_pipeline.records import Book
from palimpsest_sandbox.kit import kit
from palimpsest_sandbox.markets import score_model
from palimpsest_sandbox.markets.pricing import EXOTIC_EXTRA_MARGIN, round_odds
from palimpsest_sandbox.names import unit

#: +- relative noise per outcome and market version: books differ a little, never by a factor.
PROP_NOISE = 0.03
_SALT = 0x5EED
OVER, UNDER = sorted(OVER_UNDER)
#: Fair probabilities stay inside these bounds, as the model's lines do.
MIN_P, MAX_P = 0.03, 0.97
#: Goal bets priced from the match's score keep their long shots (a clamp is monotone: ranges stay nested).
MIN_GOAL_P, MAX_GOAL_P = 0.004, 0.99


#: SportyBet's "1X2 from 1 to N minute" (900069, ``minute=N``) is UOF's N-minute 1x2 from 1 to N where UOF has
#: one: every book that offers the bet quotes the fair probability of that UOF outcome.
MINUTE_1X2_AS = {"5": 108, "10": 105, "15": 102}


#: UOF's double chance & both teams to score where a half is in it (outcomes 1718-1723: 1X, 12, X2, each with
#: yes then no): its double chance and both-teams-to-score legs, whose joint chance over the match's score
#: prices each outcome (each result wins two of the three double chances: the prices sum to two).
DC_BTTS_LEGS = {540: (10, 75), 541: (10, 95), 542: (63, 75), 545: (85, 95)}


def priced_as(market: int, spec: str) -> tuple[int, str]:
    """The canonical (market, specifier) whose fair probability prices this outcome in the world."""
    if (
        market == 900069
        and (minutes := spec.partition("=")[2]) in MINUTE_1X2_AS
        and spec.startswith("minute=")
    ):
        return MINUTE_1X2_AS[minutes], f"from=1|to={minutes}"
    return market, spec


@lru_cache(maxsize=16_384)  # a few thousand specifiers exist; every match asks again
def line_part(spec: str) -> tuple[float | None, str]:
    """(the line's number, the rest) of a canonical specifier: ``"quarternr=1|total=36.5"`` ->
    ``(36.5, "quarternr=1")``; a book's line written alone (``"2.5"``) is its number."""
    line: float | None = None
    rest = []
    for pair in filter(None, spec.split("|")):
        key, _, value = pair.partition("=")
        if not value:
            line = float(key)
        elif key in ("total", "hcp"):
            line = float(value)
        else:
            rest.append(pair)
    return line, "|".join(sorted(rest))


def stable_outcome(label: str) -> int:
    """An outcome number for a label no canonical key names (a book's own combination)."""
    return int(unit(label, _SALT) * 1_000_000)


@lru_cache(maxsize=131_072)  # ~40 MB at most; a match's props, asked again by each book and price version
def fair_probability(match_seed: int, market: int, spec: str, outcome: int) -> float:
    """The fair probability every book prices this outcome at (see module docstring). Over and under of a
    line are complementary and fall as the line rises past the match's own mean for the market."""
    goals = score_model.leg_probability(match_seed, (market, spec, outcome))
    if goals is None and market in DC_BTTS_LEGS and not spec and 1718 <= outcome <= 1723:
        double_chance, both_score = DC_BTTS_LEGS[market]
        index, no = divmod(outcome - 1718, 2)
        legs = ((double_chance, "", 9 + index), (both_score, "", 76 if no else 74))
        goals = score_model.joint_probability(match_seed, ALL_OF, legs, YES)
    if goals is not None:
        return min(MAX_GOAL_P, max(MIN_GOAL_P, goals))
    line, rest = line_part(spec)
    if line is not None and outcome in (OVER, UNDER):
        mean = 0.5 + 11 * unit(match_seed, market, rest, "mean", _SALT)
        over = min(MAX_P, max(MIN_P, 1 / (1 + math.exp((line - mean) / 1.5))))
        return over if outcome == OVER else 1 - over
    shares = _complete_market_shares(match_seed, market, line, rest)
    if outcome in shares:
        return shares[outcome]
    return 0.06 + 0.5 * unit(match_seed, market, line, rest, outcome, _SALT)


@lru_cache(maxsize=65_536)
def _complete_market_shares(match_seed: int, market: int, line: float | None, rest: str) -> dict[int, float]:
    """Each outcome's share of a complete market's probability; empty for any other market."""
    definition = VOCABULARY.get(market)
    if definition is None or not definition.complete or not definition.outcomes:
        return {}
    weights = {o: 0.3 + unit(match_seed, market, line, rest, o, _SALT) for o in definition.outcomes}
    total = sum(weights.values())
    return {o: w / total for o, w in weights.items()}


def combination_probability(match_seed: int, kind: int, legs: Sequence[Leg], outcome: int) -> float:
    """The fair probability of "all of" / "any of" the legs, or of its negation: over the match's score where
    every leg is a goal bet (score_model.py), else taking the legs as independent."""
    joint = score_model.joint_probability(match_seed, kind, legs, outcome)
    if joint is not None:
        return min(MAX_GOAL_P, max(MIN_GOAL_P, joint))
    chances = [fair_probability(match_seed, *leg) for leg in legs]
    yes = math.prod(chances) if kind == ALL_OF else 1 - math.prod(1 - p for p in chances)
    return min(MAX_P, max(MIN_P, yes if outcome == YES else 1 - yes))


def prop_odds(book: Book, match_seed: int, market: int, spec: str, outcome: int, draw: int, n: int) -> float:
    """``book``'s odds for one outcome: the shared fair probability, its exotic margin, noise from ``draw``
    (the market version's draw) and the outcome's place ``n``."""
    return odds_at(book, fair_probability(match_seed, market, spec, outcome), draw, n)


@lru_cache(maxsize=131_072)  # a market that did not re-price asks again with the same draw
def odds_at(book: Book, probability: float, draw: int, n: int) -> float:
    """``book``'s odds for a fair ``probability``: its exotic margin and a little noise."""
    noise = 1 + (2 * unit(draw, n, _SALT) - 1) * PROP_NOISE
    margin = kit(book).pricing.margin + EXOTIC_EXTRA_MARGIN
    return round_odds(book, noise / (probability * (1 + margin)))
