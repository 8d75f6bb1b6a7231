"""Keyers of the books whose market, outcome and specifier ids are UOF's (Betika, MSport): the ids are read,
not trusted.

A line's numbers in the names ("over 2.5", "Cruz Azul (0:1)") must be its specifier's
(markets/grammar/label_lines.py), no outcome's name may deny UOF's outcome of its id
(markets/uof_outcome_names.py), and a variant outcome must carry its market's variant; else the market, or
the outcome, is set aside with its reason. Ids from ``FIRST_NATIVE_ID`` are the book's own markets.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from palimpsest_pipeline.markets.free_text import overlong
from palimpsest_pipeline.markets.grammar import uof_labels as platform_grammar
from palimpsest_pipeline.markets.grammar.description import Unreadable
from palimpsest_pipeline.markets.grammar.label_lines import check_names, specifier_fields
from palimpsest_pipeline.markets.keying.engine import FactsRead
from palimpsest_pipeline.markets.keying.records import Key, MarketShape, Plan, Twice, Why
from palimpsest_pipeline.markets.players import RosterPlayer, roster_entry
from palimpsest_pipeline.markets.specifiers import SpecifierError, normalise_specifier
from palimpsest_pipeline.markets.uof import FIRST_NATIVE_ID
from palimpsest_pipeline.markets.uof_ids import market_definition, parameter_problem
from palimpsest_pipeline.markets.uof_outcome_names import ids_denied
from palimpsest_pipeline.markets.vocabulary import SCORE_HANDICAP_MARKETS
from palimpsest_pipeline.records import MAX_ID_CHARS, Book

#: How the outcome ids of players begin (``sr:player:<id>``, ``pre:playerprops:<match>:<id>...``).
_PLAYER_IDS = ("sr:player:", "pre:playerprops:")


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


def _outcome_number(number: str, digits: int) -> int | None:
    """UOF's outcome number ending an id (at most ``digits`` digits), None where it is not one."""
    return int(number) if number.isascii() and number.isdigit() and len(number) <= digits else None


def _keys(
    market_id: int, spec: str, variant: str | None, numbers: list[int | None]
) -> tuple[Key | None, ...]:
    """Each UOF outcome number's key, None where UOF's market (of that variant) has no such outcome."""
    definition = market_definition(market_id, variant)
    return tuple(
        (market_id, spec, number) if number is not None and definition.accepts(number) else None
        for number in numbers
    )


def _names(shape: MarketShape) -> list[str]:
    return [name for name in shape.outcome_names if name is not None]


class BetikaKeyer:
    """Betika: one record per line of a market group (its outcomes sharing a ``special_bet_value``), checked
    whole; a line refused costs each of its outcomes. Markets from ``FIRST_NATIVE_ID`` (none seen) are
    counted unmapped, not guessed."""

    book: Book = Book.BETIKA
    twice: Twice = "aside"

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
        names = _names(shape)
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
            numbers.append(_outcome_number(number, 11))
        return Plan(
            _keys(market_id, spec, variant, numbers),
            str(market_id),
            asides=tuple(asides) if any(asides) else None,
        )


class MSportKeyer:
    """MSport (the facts-center platform): one record per market; shape names (description, name). A specifier
    that does not read costs the market once, names that deny it each outcome. MSport's own markets are read
    by the platform's grammar from their names, and give way to a UOF market keying the same bet."""

    book: Book = Book.MSPORT
    twice: Twice = "aside"

    def plan(self, shape: MarketShape, facts: FactsRead) -> Plan:
        market_id, specifier, refs = shape.ref, shape.specifier, shape.refs
        roster = _roster(shape)
        if market_id >= FIRST_NATIVE_ID:
            return _described(shape, facts, roster)
        unmapped = (None,) * len(refs)
        try:
            spec = normalise_specifier(specifier, score_handicap=market_id in SCORE_HANDICAP_MARKETS)
        except SpecifierError as error:
            why = Why(".specifiers", str(error), True)
            return Plan(unmapped, str(market_id), refused=why, refused_each=False, roster=roster)
        description = shape.names[0]
        texts = [*_names(shape), *((description,) if description is not None else ())]
        home, away = facts.teams_for(texts)
        pairs = zip(refs, shape.outcome_names, strict=True)
        denied = line_conflict(market_id, specifier, texts, pairs, home, away)
        if denied is not None:
            return Plan(unmapped, str(market_id), refused=Why("", denied, False), roster=roster)
        variant = dict(part.partition("=")[::2] for part in specifier.split("|")).get("variant")
        numbers: list[int | None] = []
        asides: list[Why | None] = []
        for ref in refs:
            prefix, _colon, number = ref.rpartition(":") if type(ref) is str else ("", "", "")
            aside = None
            if variant is not None and prefix not in ("", variant, "sr:player"):
                what = f"outcome {ref[:60]!r} is not of the market's variant {variant[:60]!r}"
                aside = Why(".id", what, True)
            asides.append(aside)
            numbers.append(_outcome_number(number, MAX_ID_CHARS))
        return Plan(
            _keys(market_id, spec, variant, numbers),
            str(market_id),
            asides=tuple(asides) if any(asides) else None,
            roster=roster,
        )


def _roster(shape: MarketShape) -> tuple[RosterPlayer, ...]:
    """The players the outcomes carry with their SportRadar ids, for the other books' player names."""
    found = (
        roster_entry(ref, name)
        for ref, name in zip(shape.refs, shape.outcome_names, strict=True)
        if type(ref) is str and name is not None and ref.startswith(_PLAYER_IDS)
    )
    return tuple(player for player in found if player is not None)


def _described(shape: MarketShape, facts: FactsRead, roster: tuple[RosterPlayer, ...]) -> Plan:
    """A market outside UOF: the grammar keys each outcome from the names (MSport writes them as the platform
    does), else it is counted unkeyed; rank 1, so a UOF market keying the same bet wins."""
    market_id = shape.ref
    description, name = shape.names
    view = {
        "id": str(market_id),
        "name": name,
        "desc": description,
        "specifier": shape.specifier,
        "outcomes": [
            {"id": ref, "desc": text} for ref, text in zip(shape.refs, shape.outcome_names, strict=True)
        ],
    }
    sport = facts.sport()
    read: dict[str, Any] = {}
    if sport is not None:
        try:
            read = platform_grammar.read_market(view, sport, *facts.teams())
        except (SpecifierError, KeyError, TypeError, ValueError, AttributeError):
            read = {}
    keys: list[Key | None] = []
    asides: list[Why | None] = []
    for ref in shape.refs:
        key = read.get(str(ref))
        keys.append(key if isinstance(key, tuple) else None)
        asides.append(Why("", key.reason, False) if isinstance(key, Unreadable) else None)
    return Plan(
        tuple(keys),
        str(market_id),
        asides=tuple(asides) if any(asides) else None,
        rank=1,
        roster=roster,
    )


BETIKA = BetikaKeyer()
MSPORT = MSportKeyer()
