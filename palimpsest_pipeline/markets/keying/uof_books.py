"""Rules shared by the keyers of books whose market, outcome and specifier ids are UOF's: the ids are read,
not trusted.

A line's numbers in the names ("over 2.5", "Cruz Azul (0:1)") must be its specifier's
(markets/grammar/label_lines.py), no outcome's name may deny UOF's outcome of its id
(markets/uof_outcome_names.py), and a variant outcome must carry its market's variant; else the market, or
the outcome, is set aside with its reason. Ids from ``FIRST_NATIVE_ID`` are the book's own markets.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from palimpsest_pipeline.markets.grammar.label_lines import check_names, specifier_fields
from palimpsest_pipeline.markets.keying.records import Key, MarketShape
from palimpsest_pipeline.markets.uof_ids import market_definition
from palimpsest_pipeline.markets.uof_outcome_names import ids_denied


def line_conflict(
    market_id: int, specifier: str, texts: list[str], pairs: Iterable[tuple[Any, Any]], home: str, away: str
) -> str | None:
    """Why the names (``texts``) deny the specifier's line, or an (id, name) of ``pairs`` its UOF outcome;
    None when they agree or say nothing."""
    fields = specifier_fields(specifier) if ("total=" in specifier or "hcp=" in specifier) else {}
    if fields:
        found = check_names(fields, texts, home=home, away=away, where=f"specifier {specifier!r}: ")
        if found is not None:
            return found.reason
    return ids_denied(market_id, pairs, home, away)


def outcome_number(number: str, digits: int) -> int | None:
    """UOF's outcome number ending an id (at most ``digits`` digits), None where it is not one."""
    return int(number) if number.isascii() and number.isdigit() and len(number) <= digits else None


def uof_keys(
    market_id: int, spec: str, variant: str | None, numbers: list[int | None]
) -> tuple[Key | None, ...]:
    """Each UOF outcome number's key, None where UOF's market (of that variant) has no such outcome."""
    definition = market_definition(market_id, variant)
    return tuple(
        (market_id, spec, number) if number is not None and definition.accepts(number) else None
        for number in numbers
    )


def outcome_texts(shape: MarketShape) -> list[str]:
    """The outcome names written as text."""
    return [name for name in shape.outcome_names if name is not None]
