"""Player markets of deep events: the match's roster and the per-player props books list on big matches.

Real depth comes mostly from players (about half the outcomes of the deepest capture); minor matches list
none.

One roster per match (:func:`roster`) is the truth every book's player markets are drawn from: each player's
SportRadar id, side and names as the books write them (goalscorers "Mbappe Lottin, Kylian": ``listed_name``,
props "Kylian Mbappe Lottin (PSG) 2+": ``short_name``; BetPawa in full, "Kylian Sanmi Mbappe Lottin":
``full_name``), and a goal rate whose sum over a side is the model's expected goals for that side, so every
book that prices a player's bet prices the same fair probability: goals (``anytime_probability``,
``first_probability``, ``nth_probability``, ``goals_at_least``), assists and score-or-assist, shots and shots
on target (Poisson at rates that grow with the player's goal rate), a booking (the side's bookings spread
over its players) and a goalkeeper's saves. A book's other player families are plausible noise, drawn per
market version so they move like every other market.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from palimpsest_sandbox.markets.deep_props import booking_rate
from palimpsest_sandbox.markets.model import scoreless_chances
from palimpsest_sandbox.markets.moves import market_version, mix, unit
from palimpsest_sandbox.names import place_name, player_name

MAX_PLAYERS = 56


@lru_cache(maxsize=2_048)
def squad(match_seed: int) -> tuple[tuple[int, str], ...]:
    """Both squads' players: (SportRadar player number, "Surname, First") in a stable order."""
    out: list[tuple[int, str]] = []
    seen: set[str] = set()
    index = 0
    while len(out) < MAX_PLAYERS:
        number = (match_seed * 97 + index * 7_919) % 3_000_000 + 100_000
        name = player_name(match_seed % 1_000, number)
        index += 1
        if name not in seen:  # two players of one name cannot be told apart by a name key
            seen.add(name)
            out.append((number, name))
    return tuple(out)


#: Shares of the roster with a second given name, and with a second surname (both written only in full).
MIDDLE_NAME_SHARE = 0.35
SECOND_SURNAME_SHARE = 0.25


@dataclass(frozen=True, slots=True)
class SquadPlayer:
    """One player of a match's roster: the truth the books' player markets are drawn from."""

    sr_id: int
    first: str
    surname: str
    side: int  # 1 home, 2 away
    rate: float  # expected goals in the match
    middle: str = ""
    second_surname: str = ""

    def listed_name(self) -> str:
        """A goalscorer outcome's name: "Mbappe Lottin, Kylian"."""
        return f"{' '.join(filter(None, (self.surname, self.second_surname)))}, {self.first}"

    def short_name(self) -> str:
        """A player prop's name: "Kylian Mbappe Lottin"."""
        return " ".join(filter(None, (self.first, self.surname, self.second_surname)))

    def full_name(self) -> str:
        """BetPawa's player markets name players in full: "Kylian Sanmi Mbappe Lottin"."""
        return " ".join(filter(None, (self.first, self.middle, self.surname, self.second_surname)))


@lru_cache(maxsize=2_048)
def roster(match_seed: int) -> tuple[SquadPlayer, ...]:
    """The match's players in :func:`squad`'s order (sides alternate, home first); the goal rates of a side
    add up to the model's expected goals for it (from its chance of scoring none)."""
    side_goals = {side: -math.log(p) for side, p in enumerate(scoreless_chances(match_seed), start=1)}
    drafted = []
    for index, (number, listed) in enumerate(squad(match_seed)):
        surname, _, first = listed.partition(", ")
        middle = ""
        if unit(match_seed, number, 0x3D) < MIDDLE_NAME_SHARE:
            middle = player_name(match_seed % 1_000, number + 1).partition(", ")[2]
        second = place_name(match_seed % 1_000, "surname2", number) if unit(match_seed, number, 0x5E) < (
            SECOND_SURNAME_SHARE
        ) else ""  # fmt: skip
        weight = 0.05 + unit(match_seed, number, 0x60) ** 3  # a few strikers score most goals
        middle = middle if middle != first else ""
        drafted.append((number, first, surname, 1 + index % 2, weight, middle, second))
    totals = {side: sum(d[4] for d in drafted if d[3] == side) for side in (1, 2)}
    return tuple(
        SquadPlayer(number, first, surname, side, side_goals[side] * weight / totals[side], middle, second)
        for number, first, surname, side, weight, middle, second in drafted
    )


def anytime_probability(player: SquadPlayer) -> float:
    """The fair chance the player scores at any time (Poisson goals at the player's rate)."""
    return 1 - math.exp(-player.rate)


@lru_cache(maxsize=2_048)
def _goals(match_seed: int) -> float:
    return sum(p.rate for p in roster(match_seed))


def first_probability(match_seed: int, player: SquadPlayer) -> float:
    """The fair chance the player scores the match's first goal (and, by symmetry, its last)."""
    total = _goals(match_seed)
    return player.rate / total * (1 - math.exp(-total))


def no_goal_probability(match_seed: int) -> float:
    """The fair chance of no goal: the model's 0:0."""
    return math.exp(-_goals(match_seed))


@lru_cache(maxsize=65_536)  # a match's players, asked again by each book and price version
def nth_probability(match_seed: int, player: SquadPlayer, goal: int) -> float:
    """The fair chance the player scores the match's ``goal``-th goal: the player's share of the goals times
    the chance the match has that many."""
    total = _goals(match_seed)
    fewer = sum(math.exp(-total) * total**k / math.factorial(k) for k in range(goal))
    return player.rate / total * (1 - fewer)


@lru_cache(maxsize=65_536)  # a match's players, asked again by each book and price version
def _at_least(mean: float, count: int) -> float:
    """P(a Poisson count of ``mean`` is at least ``count``)."""
    return 1 - sum(math.exp(-mean) * mean**k / math.factorial(k) for k in range(count))


#: A player's assists per goal the side scores (a side's goals are assisted about three times in four).
ASSISTS_PER_GOAL = 0.75
#: A player's shots and shots on target per expected goal, plus a floor every outfield player has.
SHOTS_PER_GOAL, SHOTS_FLOOR = 8.0, 0.3
ON_TARGET_PER_GOAL, ON_TARGET_FLOOR = 3.2, 0.08
#: Saves a side's goalkeeper makes per goal the other side is expected to score, plus a floor.
SAVES_PER_GOAL, SAVES_FLOOR = 1.9, 0.9


@lru_cache(maxsize=65_536)  # a match's players, asked again by each book and price version
def assist_rate(match_seed: int, player: SquadPlayer) -> float:
    """Expected assists of the player: the side's assisted goals spread by a draw of the player's own."""
    side = [p for p in roster(match_seed) if p.side == player.side]
    weights = {p.sr_id: 0.1 + unit(match_seed, p.sr_id, 0xA5) ** 2 for p in side}
    goals = sum(p.rate for p in side)
    return ASSISTS_PER_GOAL * goals * weights[player.sr_id] / sum(weights.values())


def goals_at_least(player: SquadPlayer, count: int) -> float:
    return _at_least(player.rate, count)


def assists_at_least(match_seed: int, player: SquadPlayer, count: int) -> float:
    return _at_least(assist_rate(match_seed, player), count)


def score_or_assist_probability(match_seed: int, player: SquadPlayer) -> float:
    """The fair chance the player scores or assists (goals and assists as independent Poisson counts)."""
    return 1 - math.exp(-(player.rate + assist_rate(match_seed, player)))


def shots_at_least(player: SquadPlayer, count: int) -> float:
    return _at_least(SHOTS_FLOOR + SHOTS_PER_GOAL * player.rate, count)


def shots_on_target_at_least(player: SquadPlayer, count: int) -> float:
    return _at_least(ON_TARGET_FLOOR + ON_TARGET_PER_GOAL * player.rate, count)


def carded_probability(match_seed: int, player: SquadPlayer) -> float:
    """The fair chance the player is booked: the side's expected bookings (deep_props) spread over its
    players by a draw of each player's own."""
    side = [p for p in roster(match_seed) if p.side == player.side]
    weights = {p.sr_id: 0.2 + unit(match_seed, p.sr_id, 0xCA) for p in side}
    expected = booking_rate(match_seed, player.side) * weights[player.sr_id] / sum(weights.values())
    return 1 - math.exp(-expected)


#: Every book prices at least this many of the roster's players (``players_for`` at depth 0).
LEAST_LISTED = 22


def goalkeeper(match_seed: int, side: int) -> SquadPlayer:
    """The side's goalkeeper: its least likely scorer among the players every book lists."""
    return min((p for p in roster(match_seed)[:LEAST_LISTED] if p.side == side), key=lambda p: p.rate)


def saves_probability(match_seed: int, player: SquadPlayer, count: int) -> float:
    """P(the player makes at least ``count`` saves): the goalkeeper's (:func:`saves_at_least`), nearly none
    for an outfield player."""
    if goalkeeper(match_seed, player.side) != player:
        return _at_least(0.002, count)
    return saves_at_least(match_seed, player, count)


def saves_at_least(match_seed: int, keeper: SquadPlayer, count: int) -> float:
    """P(the keeper makes at least ``count`` saves): more, the more the other side is expected to score."""
    against = sum(p.rate for p in roster(match_seed) if p.side != keeper.side)
    return _at_least(SAVES_FLOOR + SAVES_PER_GOAL * against, count)


def roster_for(match_seed: int, depth: float) -> tuple[SquadPlayer, ...]:
    """The players a book prices at ``depth``: :func:`players_for`'s, with their names and rates."""
    return roster(match_seed)[: len(players_for(match_seed, depth))]


def players_for(match_seed: int, depth: float) -> tuple[tuple[int, str], ...]:
    """How many players a book prices grows with the event's depth (22 on a shallow event, 56 at most)."""
    return squad(match_seed)[: round(LEAST_LISTED + (MAX_PLAYERS - LEAST_LISTED) * min(1.0, depth))]


def prop_version(match_seed: int, version: int, code: int) -> tuple[int, int]:
    """(market version, draw) of one player market: it re-prices on its own slot like model markets."""
    line_version = market_version(version, match_seed, code)
    return line_version, mix(match_seed, code, line_version)


def threshold_odds(uniform: float, threshold: int) -> float:
    return round(min(500.0, (1.2 + 6.0 * uniform) * (2.6 ** (threshold - 1))), 2)
