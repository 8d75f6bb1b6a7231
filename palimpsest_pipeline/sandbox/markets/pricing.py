"""From the shared fair model to one book's displayed prices, in canonical keys.

Each book shows a subset of the canonical markets (those its mapping table can express, on the lines it
typically offers), adds its own margin (BetPawa ~6%, SportyBet ~5.5%, Bet9ja ~7% on main markets, more on
exotics) and a little per-outcome noise, rounds to its own odds ladder and suspends a few outcomes.
The result is exactly what the book's parser must read back from the rendered payload (round trip).
"""

from __future__ import annotations

import random
from functools import lru_cache

from palimpsest_pipeline.markets import mapping_bet9ja, mapping_betpawa
from palimpsest_pipeline.markets.vocabulary import VOCABULARY, CanonicalKey
from palimpsest_pipeline.records import Book, OddsState
from palimpsest_pipeline.sandbox.markets.model import fair_book

BookPrices = dict[CanonicalKey, tuple[float | None, OddsState]]

MAIN_MARGIN: dict[Book, float] = {Book.BETPAWA: 0.06, Book.SPORTYBET: 0.055, Book.BET9JA: 0.07}
EXOTIC_EXTRA_MARGIN = 0.06
NOISE = 0.01  # +- relative noise per outcome
MARKET_SUSPEND_P = 0.015
OUTCOME_SUSPEND_P = 0.006
MAX_ODDS = 500.0
_BOOK_SALT = {Book.BETPAWA: 11, Book.SPORTYBET: 23, Book.BET9JA: 37}

_SPORTYBET_MARKETS = frozenset(VOCABULARY)
_BETPAWA_MARKETS = {
    sport: frozenset(m.market for m in table) for sport, table in mapping_betpawa.BY_CATEGORY.values()
}
_BET9JA_MARKETS = {
    sport: frozenset(o[1] for m in table for o in m.outcomes)
    for sport, table in mapping_bet9ja.BY_PREFIX.values()
}
#: (market, outcome) pairs each book's table can express (Bet9ja's exact goals has no "0", for instance).
_EXPRESSIBLE: dict[tuple[Book, str], frozenset[tuple[int, int]]] = {
    **{
        (Book.BETPAWA, sport): frozenset((m.market, p[2]) for m in table for p in m.prices)
        for sport, table in mapping_betpawa.BY_CATEGORY.values()
    },
    **{
        (Book.BET9JA, sport): frozenset((o[1], o[2]) for m in table for o in m.outcomes)
        for sport, table in mapping_bet9ja.BY_PREFIX.values()
    },
}


def _line_of(spec: str) -> float | None:
    key, _, value = spec.partition("=")
    if key in ("total", "hcp") and "|" not in spec:
        return float(value)
    return None


def offers(book: Book, sport: str, market: int, spec: str) -> bool:
    """Whether ``book`` shows this canonical market line (its market list and its typical lines)."""
    if book is Book.SPORTYBET:
        known = _SPORTYBET_MARKETS
    elif book is Book.BETPAWA:
        known = _BETPAWA_MARKETS.get(sport, frozenset())
    else:
        known = _BET9JA_MARKETS.get(sport, frozenset())
    if market not in known:
        return False
    line = _line_of(spec)
    if line is None:
        return True
    quarter = (line * 4) % 2 == 1
    whole = line == int(line)
    if market in (14, 65, 87):  # 3-way handicaps are whole goals everywhere
        return True
    if book is Book.BET9JA:
        if market == 18:
            return True  # half lines in OU, whole and quarter lines in OUA
        if market in (16, 66, 88):
            return not whole and not quarter and abs(line) <= 1.5
        return not whole and not quarter
    if book is Book.SPORTYBET:
        return not quarter and (market in (18, 68, 90, 16, 66, 88, 187, 189, 223, 225) or not whole)
    return not quarter and not whole  # BetPawa: half lines only


def round_odds(book: Book, odds: float) -> float:
    """Each book's odds ladder: SportyBet/BetPawa two decimals; Bet9ja coarser as odds grow."""
    odds = min(MAX_ODDS, max(1.01, odds))
    if book is not Book.BET9JA or odds < 3:
        return max(1.01, round(odds, 2))
    step = 0.05 if odds < 6 else 0.25 if odds < 15 else 0.5 if odds < 30 else 1.0
    return round(round(odds / step) * step, 2)


@lru_cache(maxsize=8192)
def book_prices(book: Book, match_seed: int, version: int, sport: str) -> BookPrices:
    """The canonical prices ``book`` displays for one match version (shared cache: do not modify)."""
    fair = fair_book(match_seed, version, sport)
    rng = random.Random((match_seed * 1_000_003 + version) * 101 + _BOOK_SALT[book])
    main_margin = MAIN_MARGIN[book]
    out: BookPrices = {}
    suspended_market: tuple[int, str] | None = None
    current: tuple[int, str] | None = None
    offered = True
    for key, probability in fair.items():
        market, spec, _outcome = key
        if (market, spec) != current:
            current = (market, spec)
            offered = offers(book, sport, market, spec)
            suspended_market = current if rng.random() < MARKET_SUSPEND_P else None
        if not offered:
            continue
        expressible = _EXPRESSIBLE.get((book, sport))
        if expressible is not None and (market, _outcome) not in expressible:
            continue
        definition = VOCABULARY[market]
        margin = main_margin if definition.main else main_margin + EXOTIC_EXTRA_MARGIN
        noise = 1 + rng.uniform(-NOISE, NOISE)
        odds = round_odds(book, noise / (max(probability, 1e-4) * (1 + margin)))
        suspended = suspended_market == current or rng.random() < OUTCOME_SUSPEND_P
        if suspended:
            out[key] = (None if book is Book.BET9JA else odds, "suspended")
        else:
            out[key] = (odds, "open")
    return out
