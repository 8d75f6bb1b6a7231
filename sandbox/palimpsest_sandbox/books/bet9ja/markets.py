"""Bet9ja ``D.O`` odds dict and ``D.MK`` market catalogue: the inverse of markets/bet9ja/table.py for the
modelled markets, then on football the Bet9ja-typical families beyond the model (families.py). Odds are
decimal strings in Bet9ja's trimmed style ("2.4", "13"); a suspended outcome shows "1", as on the real site.
"""

from __future__ import annotations

from typing import Any

from palimpsest_pipeline.markets.bet9ja.table import BY_PREFIX, Bet9jaMarket
from palimpsest_pipeline.markets.specifiers import format_line
from palimpsest_pipeline.records import Book
from palimpsest_sandbox.books.bet9ja.display import format_odds, mk_entry
from palimpsest_sandbox.books.bet9ja.families import add_families
from palimpsest_sandbox.books.bet9ja.payloads import SPORT_NAMES
from palimpsest_sandbox.markets.pricing import book_prices

_PREFIX_BY_SPORT = {sport: prefix for prefix, (sport, _table) in BY_PREFIX.items()}
#: sport -> (canonical market, outcome) -> candidate (Bet9ja market, outcome key), in table order.
_INVERSE: dict[str, dict[tuple[int, int], list[tuple[Bet9jaMarket, str]]]] = {}
for _sport, _table in BY_PREFIX.values():
    _inv: dict[tuple[int, int], list[tuple[Bet9jaMarket, str]]] = {}
    for _market in _table:
        for _okey, _cmarket, _coutcome in _market.outcomes:
            _inv.setdefault((_cmarket, _coutcome), []).append((_market, _okey))
    _INVERSE[_sport] = _inv


def _pick(
    candidates: list[tuple[Bet9jaMarket, str]], spec: str, line: float | None
) -> tuple[Bet9jaMarket, str]:
    """The Bet9ja market that carries this canonical line (OU for half lines, OUA for the others...)."""
    is_half = line is not None and (line * 2) % 2 == 1
    for market, okey in candidates:
        if market.line == "none":
            if market.specifier == spec:
                return market, okey
        elif market.lines == "any" or (market.lines == "half") == is_half:
            return market, okey
    raise ValueError(f"no Bet9ja market carries canonical specifier {spec!r}")


def render(match_seed: int, version: int, sport: str, depth: float = 1.0) -> dict[str, Any]:
    """Bet9ja ``{"O": {...}, "MK": [...]}`` for one match version at an event depth in [0, 1]."""
    prefix = _PREFIX_BY_SPORT.get(sport) or SPORT_NAMES[sport][:1]
    inverse = _INVERSE.get(sport, {})
    odds: dict[str, str] = {}
    used: dict[str, Bet9jaMarket] = {}
    modelled = book_prices(Book.BET9JA, match_seed, version, sport, depth)
    for (market, spec, outcome), (price, _state) in modelled.items():
        value = spec.partition("=")[2]
        line = float(value) if spec and market_has_line(spec) else None
        b9_market, okey = _pick(inverse[(market, outcome)], spec, line)
        at = f"@{format_line(line)}" if line is not None and b9_market.line != "none" else ""
        odds[f"{prefix}_{b9_market.key}{at}_{okey}"] = "1" if price is None else format_odds(price)
        used.setdefault(b9_market.key, b9_market)
    catalogue = [mk_entry(prefix, market, order) for order, market in enumerate(used.values(), start=1)]
    if sport == "football":
        add_families(prefix, match_seed, version, modelled, odds, catalogue, depth)
    return {"O": odds, "MK": catalogue}


def market_has_line(spec: str) -> bool:
    return spec.startswith(("total=", "hcp="))
