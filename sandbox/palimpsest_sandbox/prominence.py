"""How big a match is, and so how deep each book lists it.

Real books list a few hundred outcomes on a minor match and thousands on a top one: the captures in
../shared run from 367 (an Australian state league) to 2,908 open outcomes (Liga MX with player props),
and up to 4,808 were seen. Depth follows the competition (top
divisions of the big five countries deepest, youth/women's/reserve leagues shallowest) and the match (a
stable hash of the match: a few big matches in each competition, most ordinary).

``tournament_weight`` is fixed per competition, ``match_prominence`` per match (0..1), and
``book_depth`` the depth the market renderers take (0..1): the same feed depth on every book with a
little per-book jitter, since each book adds or drops a few families. How many outcomes a depth gives is
each book's renderer's business.
"""

from __future__ import annotations

from palimpsest_pipeline.records import Book
from palimpsest_sandbox.kit import kit
from palimpsest_sandbox.markets.moves import unit

#: Countries (in names.FOOTBALL_COUNTRIES order) whose top division books list deepest.
BIG_COUNTRIES = 5
#: Lower divisions, cups and youth competitions by name: (name fragment, weight).
_MINOR_LEAGUES = (("U19", 0.15), ("U21", 0.2), ("Women", 0.2), ("Reserve", 0.12), ("Cup", 0.55))
#: Basketball and tennis matches are listed shallower than football (captures: 43-399 outcomes).
_OTHER_SPORT_WEIGHT = 0.55
#: depth = prominence ** DEPTH_EXPONENT: a minor match keeps its balanced main lines and a few families.
DEPTH_EXPONENT = 0.75


def tournament_weight(sport: str, country_index: int, league_index: int, name: str) -> float:
    """How much books make of a competition, 0..1 (top-division football of a big country: 1)."""
    for fragment, weight in _MINOR_LEAGUES:
        if fragment in name:
            return weight
    if sport != "football":
        return _OTHER_SPORT_WEIGHT if league_index == 0 else _OTHER_SPORT_WEIGHT * 0.7
    if league_index == 0:
        return 1.0 if country_index < BIG_COUNTRIES else 0.8 if country_index < 15 else 0.65
    if league_index == 1:
        return 0.62 if country_index < BIG_COUNTRIES else 0.5
    return 0.4


def match_prominence(seed: int, uid: int, weight: float) -> float:
    """The match's prominence: its competition's weight times how big this fixture is.

    Most fixtures are ordinary (factor ~0.5-0.8); about one in eight of a competition's is a big match
    (a derby, the top of the table) listed at full depth.
    """
    draw = unit(seed, uid, 0xB16)
    factor = 1.0 if draw > 0.85 else 0.4 + 0.45 * draw / 0.85
    return round(weight * factor, 4)


def book_depth(prominence: float, book: Book, match_seed: int) -> float:
    """The depth ``book`` lists a match of ``prominence`` at: the feed's depth above the book's floor (a book
    listing much the same families on every match has a high one), +- 0.05 per book."""
    pricing = kit(book).pricing
    jitter = (unit(match_seed, pricing.depth_salt, 0xD3) - 0.5) * 0.1
    floor = pricing.depth_floor
    return min(1.0, max(0.0, floor + (1 - floor) * prominence**DEPTH_EXPONENT + jitter))
