"""Early-payout 1X2s ("1x2 - 1UP", "1X2 (1Up)"): books' own markets, outside UOF's list.

The same bet as UOF's 60200/60100 (a side that leads by one, two or three goals at any time wins), so
priced from the fair probability every book shares for it (shared_props.py), each book with its own margin;
the three-goal one has no UOF twin and is priced under its own name. Football only, as captured.
"""

from __future__ import annotations

from collections.abc import Iterable

from palimpsest_pipeline.records import Book
from palimpsest_sandbox.markets.players import prop_version
from palimpsest_sandbox.markets.shared_props import prop_odds

#: Goals up -> the world's id of the bet (UOF's where it has one).
WORLD_IDS = {1: 60200, 2: 60100, 3: 1601}
_SALT = 0xE9A7


def early_payout(
    book: Book, match_seed: int, version: int, ups: Iterable[int]
) -> dict[int, tuple[float, ...]]:
    """Goals up (of ``ups``) -> (home, draw, away) odds ``book`` shows on this match version."""
    found: dict[int, tuple[float, ...]] = {}
    for up in ups:
        _market_version, draw = prop_version(match_seed, version, _SALT + up)
        market = WORLD_IDS[up]
        spec = "" if up < 3 else "xup=3"
        found[up] = tuple(
            prop_odds(book, match_seed, market, spec, outcome, draw, n) for n, outcome in enumerate((1, 2, 3))
        )
    return found
