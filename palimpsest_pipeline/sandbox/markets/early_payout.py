"""MSport's and Betway's early-payout 1X2s ("1x2 - 1UP", "1X2 (1Up)"): their own markets, outside UOF's list.

The same bet as SportyBet's 60200/60100 (a side that leads by one, two or three goals at any time wins), so
priced from the fair probability every book shares for it (shared_props.py), each book with its own margin;
the three-goal one has no SportyBet twin and is priced under its own name. Football only, as captured.
"""

from __future__ import annotations

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.sandbox.markets.players import prop_version
from palimpsest_pipeline.sandbox.markets.shared_props import prop_odds

#: Goals up -> the world's id of the bet (SportyBet's where it has one).
WORLD_IDS = {1: 60200, 2: 60100, 3: 1601}
#: The three-goal bet is listed on deep matches only.
THREE_UP_DEPTH = 0.5
_SALT = 0xE9A7


def listed_ups(book: Book, depth: float) -> tuple[int, ...]:
    """The goals up ``book`` lists an early-payout 1X2 for: one and two; Betway three too on deep matches."""
    return (1, 2, 3) if book is Book.BETWAY and depth >= THREE_UP_DEPTH else (1, 2)


def early_payout(book: Book, match_seed: int, version: int, depth: float) -> dict[int, tuple[float, ...]]:
    """Goals up -> (home, draw, away) odds ``book`` shows on this match version."""
    ups = listed_ups(book, depth)
    found: dict[int, tuple[float, ...]] = {}
    for up in ups:
        _market_version, draw = prop_version(match_seed, version, _SALT + up)
        market = WORLD_IDS[up]
        spec = "" if up < 3 else "xup=3"
        found[up] = tuple(
            prop_odds(book, match_seed, market, spec, outcome, draw, n) for n, outcome in enumerate((1, 2, 3))
        )
    return found
