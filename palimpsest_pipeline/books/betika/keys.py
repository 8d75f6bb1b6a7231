"""Betika's keyer: its ids are UOF's (markets/keying/uof_books.py's rules), read one line of a market group at
a time."""

from __future__ import annotations

from palimpsest_pipeline.markets.free_text import overlong
from palimpsest_pipeline.markets.keying.plans import FactsRead
from palimpsest_pipeline.markets.keying.records import MarketShape, Plan, Why
from palimpsest_pipeline.markets.keying.uof_books import (
    line_conflict,
    outcome_number,
    outcome_texts,
    uof_keys,
)
from palimpsest_pipeline.markets.specifiers import SpecifierError, normalise_specifier
from palimpsest_pipeline.markets.uof import FIRST_NATIVE_ID
from palimpsest_pipeline.markets.uof_ids import parameter_problem
from palimpsest_pipeline.markets.vocabulary import SCORE_HANDICAP_MARKETS
from palimpsest_pipeline.records import Book


class BetikaKeyer:
    """Betika: one record per line of a market group, checked whole; a line refused costs each of its
    outcomes. Markets from ``FIRST_NATIVE_ID`` are counted unmapped, not guessed."""

    book: Book = Book.BETIKA

    def plan(self, shape: MarketShape, facts: FactsRead) -> Plan:
        market_id, specifier, refs = shape.ref, shape.specifier, shape.refs
        unmapped = (None,) * len(refs)
        if market_id >= FIRST_NATIVE_ID:
            return Plan(unmapped, str(market_id))
        try:
            spec = normalise_specifier(specifier, score_handicap=market_id in SCORE_HANDICAP_MARKETS)
        except SpecifierError as error:
            return Plan(unmapped, str(market_id), refused=Why(".special_bet_value", str(error), True))
        pairs = dict(part.partition("=")[::2] for part in specifier.split("|")) if specifier else {}
        problem = parameter_problem(market_id, frozenset(pairs))
        if problem is not None:
            return Plan(unmapped, str(market_id), refused=Why(".special_bet_value", problem, True))
        names = outcome_texts(shape)
        home, away = facts.teams_for(names)
        texts = [name for name in names if overlong(name, "outcome name") is None]
        named = zip(refs, shape.outcome_names, strict=True)
        denied = line_conflict(market_id, specifier, texts, named, home, away)
        if denied is not None:  # the names deny the ids or the line: no outcome of it is keyed
            return Plan(unmapped, str(market_id), refused=Why(f" {specifier!r}", denied, False))
        variant = pairs.get("variant")
        numbers: list[int | None] = []
        asides: list[Why | None] = []
        for ref in refs:
            text = str(ref) if type(ref) is int else ref
            prefix, _colon, number = text.rpartition(":") if type(text) is str else ("", "", "")
            aside = None
            if (variant is not None or prefix) and prefix not in ("", variant):
                what = f"outcome {text[:60]!r} is not of the line's variant {str(variant)[:60]!r}"
                aside = Why(".outcome_id", what, True)
            asides.append(aside)
            numbers.append(outcome_number(number, 11))
        return Plan(
            uof_keys(market_id, spec, variant, numbers),
            str(market_id),
            asides=tuple(asides) if any(asides) else None,
        )


KEYER = BetikaKeyer()
