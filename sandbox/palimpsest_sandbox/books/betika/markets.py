"""Betika's ``odds`` market groups: the world's prices for Betika, in the captured group and outcome shape.

Keys and value types as ``../shared/fixtures/captured/betika/matches_sr71583282_asian_handicap.json``: a
group's ``sub_type_id`` is UOF's market id (text), its ``odds[]`` every line of the market, each outcome with
``special_bet_value`` UOF's specifier (a 3-way handicap as "hcp=0:1"), ``outcome_id`` UOF's outcome id (a
variant's behind its variant), ``odd_value`` text. A suspended outcome is not listed (the prematch list has
no flag for it).
"""

from __future__ import annotations

from typing import Any

from palimpsest_pipeline.markets.vocabulary import VOCABULARY
from palimpsest_pipeline.records import Book
from palimpsest_sandbox.markets.labels import book_spec, outcome_id, uof_label
from palimpsest_sandbox.markets.pricing import book_prices


def outcome(market: int, spec: str, number: int, price: float) -> dict[str, Any]:
    """One outcome as Betika writes it (``odd_key`` the world's label; ``display`` its upper case)."""
    name = uof_label(market, spec, number)
    specifier = book_spec(market, spec)
    return {
        "display": name.upper(),
        "odd_key": name,
        "odd_def": name,
        "odd_value": f"{price:.2f}",
        "special_bet_value": specifier,
        "outcome_id": outcome_id(market, number),
        "parsed_special_bet_value": dict(part.partition("=")[::2] for part in specifier.split("|")),
    }


def render(match_seed: int, version: int, sport: str, depth: float) -> list[dict[str, Any]]:
    """The market groups of one match version on Betika, in the world's order."""
    groups: dict[int, list[dict[str, Any]]] = {}
    for (market, spec, number), (price, state) in book_prices(
        Book.BETIKA, match_seed, version, sport, depth
    ).items():
        if state == "open" and price is not None:
            groups.setdefault(market, []).append(outcome(market, spec, number, price))
    return [
        {"sub_type_id": str(market), "name": VOCABULARY[market].name.upper(), "odds": odds}
        for market, odds in groups.items()
    ]
