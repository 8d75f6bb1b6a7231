"""Player markets of deep events: the squads' players and the per-player props books list on big matches.

Real depth comes mostly from players: the deepest SportyBet capture (Cruz Azul v Pumas, 2,908 open outcomes)
carries ~1,500 outcomes in player props (goals, shots, shots on goal, assists per player; fouls, shots on
target, headers... as SportyBet's own 800xxx families), and BetPawa lists an Anytime Goalscorer market of
~50 players. Minor matches list none. Player prices are plausible noise (the model prices teams, not
players), drawn per market version so they move like every other market.
"""

from __future__ import annotations

from functools import lru_cache

from palimpsest_pipeline.sandbox.markets.moves import market_version, mix
from palimpsest_pipeline.sandbox.names import player_name

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


def players_for(match_seed: int, depth: float) -> tuple[tuple[int, str], ...]:
    """How many players a book prices grows with the event's depth (22 on a shallow event, 56 at most)."""
    return squad(match_seed)[: round(22 + (MAX_PLAYERS - 22) * min(1.0, depth))]


def prop_version(match_seed: int, version: int, code: int) -> tuple[int, int]:
    """(market version, draw) of one player market: it re-prices on its own slot like model markets."""
    line_version = market_version(version, match_seed, code)
    return line_version, mix(match_seed, code, line_version)


def scorer_odds(uniform: float) -> float:
    return round(2.0 + 40.0 * uniform**2, 2)


def threshold_odds(uniform: float, threshold: int) -> float:
    return round(min(500.0, (1.2 + 6.0 * uniform) * (2.6 ** (threshold - 1))), 2)
