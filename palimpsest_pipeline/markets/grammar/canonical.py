"""Canonical keys for bets UOF has no market for, built from the description alone.

Key: ``(DESCRIBED, "market=<counted>.<period>.<scope>.<bet>[.<qualifiers>]|<params>", outcome)``. One
market id, outside UOF's ids (below 2,000), the native families (60,000-999,999) and the combination
ids (2,000,001-2,000,002), so it collides with none; the market's meaning is in its specifier, so any book
reading the same description writes the same key. Outcomes: the UOF id of a generic outcome (over 12,
yes 74, home 1...) where there is one, else a stable number derived from the outcome's token.
"""

from __future__ import annotations

import zlib

from palimpsest_pipeline.markets.grammar.description import Description, Refusal
from palimpsest_pipeline.markets.specifiers import join_specifier

DESCRIBED = 2_000_003

#: Generic outcome tokens and the UOF outcome ids that mean them in UOF's own generic markets.
_GENERIC_OUTCOMES = {
    "home": 1, "draw": 2, "away": 3, "none": 7, "1x": 9, "12": 10, "x2": 11,
    "over": 12, "under": 13, "odd": 70, "even": 72, "yes": 74, "no": 76,
}  # fmt: skip

#: Token-derived outcome ids start here, above every generic id and every UOF outcome id.
_DERIVED_BASE = 1_000_000


def outcome_id(token: str) -> int:
    """A token's canonical outcome id: generic ones as UOF's, others crc32-derived (same on every book)."""
    generic = _GENERIC_OUTCOMES.get(token)
    if generic is not None:
        return generic
    return _DERIVED_BASE + zlib.crc32(token.encode()) % 1_000_000_000


def market_code(description: Description) -> str:
    parts = [description.counted, description.period, description.scope, description.bet]
    if description.qualifiers:
        parts.append("+".join(sorted(description.qualifiers)))
    return ".".join(parts)


def canonical_key(description: Description, specifier: str, token: str) -> tuple[int, str, int] | Refusal:
    """The canonical key of one outcome, or why not ("other" means whatever the book did not list)."""
    if token == "other" or "other" in token.split("&"):
        return Refusal(f"{description.text()}: {token!r} depends on the book's list, UOF has no such market")
    pairs = dict(part.split("=", 1) for part in specifier.split("|")) if specifier else {}
    pairs["market"] = market_code(description)
    return (DESCRIBED, join_specifier(pairs), outcome_id(token))
