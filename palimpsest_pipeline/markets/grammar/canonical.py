"""Canonical keys for bets UOF has no market for, built from the description alone:
``(DESCRIBED, "market=<counted>.<period>.<scope>.<bet>[.<qualifiers>]|<params>", outcome)``, one market id
outside every other, so any book reading the same description writes the same key. Outcomes: UOF's id of a
generic outcome (over 12, yes 74, home 1...), else a stable number derived from the outcome's token.
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
