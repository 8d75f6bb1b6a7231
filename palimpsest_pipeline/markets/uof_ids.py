"""What a UOF market id says: the parameter names UOF's catalogue gives it (a specifier naming others is not
that market: ``xup=1`` on a 1X2), and the outcomes it keys."""

from __future__ import annotations

from functools import cache

from palimpsest_pipeline.markets.uof import uof_markets
from palimpsest_pipeline.markets.vocabulary import VOCABULARY, MarketDef

#: A UOF id our catalogue lacks still keys by its id, any outcome number (as SportyBet's).
_OPEN = MarketDef(0, "UOF market outside the catalogue", "any")


@cache
def _parameters() -> dict[int, frozenset[str]]:
    return {market.market_id: frozenset(market.specifiers) for market in uof_markets()}


def is_catalogued(market: int) -> bool:
    """Whether UOF's published catalogue describes ``market``."""
    return market in _parameters()


def parameter_problem(market: int, names: frozenset[str]) -> str | None:
    """Why a specifier naming ``names`` cannot be UOF market ``market``'s; None when it can (or UOF's
    catalogue does not describe the market)."""
    expected = _parameters().get(market)
    if expected is None or names == expected:
        return None
    given = ", ".join(sorted(names)) or "none"
    return f"specifier names {given}; UOF market {market} takes {', '.join(sorted(expected)) or 'none'}"


def market_definition(market_id: int, variant: str | None) -> MarketDef:
    """The vocabulary's definition of a UOF market; a variant other than the one it describes (exact goals
    "5+" where it lists "6+") is an open outcome set, keyed by UOF's own outcome ids."""
    definition = VOCABULARY.get(market_id, _OPEN)
    return _OPEN if definition.variant is not None and variant != definition.variant else definition
