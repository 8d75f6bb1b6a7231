"""SportyBet's keying rules (docs/keying.md). Its ids are UOF's: a market in the vocabulary is keyed by
construction, an equivalent (markets/sportybet/equivalents.py) by its table, and its own families (ids from
60000) keep book-native keys, read by the grammar from their names and giving way to a UOF key. A total or
handicap the names carry must be the specifier's, else the market is set aside with both.
"""

from __future__ import annotations

from typing import Any

from palimpsest_pipeline.books.facts_center import PLAYER_IDS, listed_players
from palimpsest_pipeline.books.odds_errors import UNREADABLE
from palimpsest_pipeline.books.odds_parse import is_name_keyed
from palimpsest_pipeline.markets.grammar import uof_labels as grammar
from palimpsest_pipeline.markets.grammar.description import Unreadable
from palimpsest_pipeline.markets.grammar.label_lines import check_names, specifier_fields
from palimpsest_pipeline.markets.keying.plans import FactsRead
from palimpsest_pipeline.markets.keying.records import Key, MarketShape, Plan, Twice, Why
from palimpsest_pipeline.markets.players import RosterPlayer
from palimpsest_pipeline.markets.specifiers import SpecifierError, normalise_specifier
from palimpsest_pipeline.markets.sportybet.equivalents import EQUIVALENTS
from palimpsest_pipeline.markets.uof import FIRST_NATIVE_ID
from palimpsest_pipeline.markets.vocabulary import (
    NATIVE_MARKETS,
    SCORE_HANDICAP_MARKETS,
    VOCABULARY,
    MarketDef,
)
from palimpsest_pipeline.records import Book

#: A market's rule: (canonical market, its definition, outcome translation or None for UOF outcome ids).
_Rule = tuple[int, MarketDef, dict[str, int] | None]
_RULES: dict[str, _Rule] = {str(mid): (mid, definition, None) for mid, definition in VOCABULARY.items()}
for _sid, (_cmarket, _outcomes) in EQUIVALENTS.items():
    _RULES[_sid] = (_cmarket, VOCABULARY[_cmarket], _outcomes)
#: The markets an equivalent gives way to where the event lists them with its specifier.
RESTATED = frozenset(str(market) for market, _outcomes in EQUIVALENTS.values())
#: The definition a market outside the vocabulary is keyed under: any outcome number.
_OPEN = MarketDef(0, "SportyBet market outside the vocabulary", "any")
#: A value of each type but text an outcome name can be written as (the grammar names the type).
_NOT_TEXT: dict[str, Any] = {"int": 0, "float": 0.0, "bool": False, "list": [], "dict": {}}


class SportyBetKeyer:
    """SportyBet: one record per market; shape names (desc, name). A key given twice by UOF markets is kept
    twice (the store's screen sets both aside)."""

    book: Book = Book.SPORTYBET
    twice: Twice = "keep"

    def plan(self, shape: MarketShape, facts: FactsRead) -> Plan:
        ref, raw = shape.ref, shape.specifier
        label, unmapped = str(ref), (None,) * len(shape.refs)
        rule = _RULES.get(ref) if type(ref) is str else None
        equivalent_of = str(rule[0]) if rule is not None and rule[2] is not None else None
        if equivalent_of is not None and facts.lists(equivalent_of, raw):
            return Plan(unmapped, label, restated=True)
        digits = type(ref) is str and ref.isascii() and ref.isdigit()
        native = rule[0] in NATIVE_MARKETS if rule is not None else digits and int(ref) >= FIRST_NATIVE_ID
        if rule is None and digits:
            rule = (int(ref), _OPEN, None)  # a UOF id the vocabulary lacks, or a native family
        spec = ""
        if rule is not None:
            try:
                spec = normalise_specifier(raw, score_handicap=rule[0] in SCORE_HANDICAP_MARKETS)
            except SpecifierError as error:
                why = Why(".specifier", str(error), True)
                return Plan(unmapped, label, refused=why, refused_each=False)
        if "total=" in raw or "hcp=" in raw:
            conflict = _line_conflict(shape, facts)
            if conflict is not None:  # the names say another line than the specifier: no outcome is keyed
                return Plan(unmapped, label, refused=Why("", conflict, False), roster=_roster(shape))
        described = _described(shape, facts) if native or equivalent_of is not None else {}
        return _outcome_keys(shape, rule, native, spec, described)


def _outcome_keys(
    shape: MarketShape, rule: _Rule | None, native: bool, spec: str, described: dict[str, Any]
) -> Plan:
    """Each outcome's key: the grammar's where it reads one (rank 1, so a UOF market keying the same bet
    wins), else the rule's. In a family the grammar reads, an outcome whose name does not read is set aside:
    its family key would be the outcome keyed one way when its name reads and another when not."""
    if not described and rule is not None:  # the usual market: each outcome by its market's rule
        try:
            by_rule = tuple([_rule_key(rule, native, spec, ref) for ref in shape.refs])
            return Plan(by_rule, str(shape.ref), roster=_roster(shape))
        except UNREADABLE:
            pass  # an outcome id the rule cannot read: read one by one below, which sets it aside
    grammar_reads = any(type(key) is tuple for key in described.values())
    each: list[tuple[Key | None, Why | None, int, str | None]] = []
    for index, (ref, name) in enumerate(zip(shape.refs, shape.outcome_names, strict=True)):
        found = described.get(str(ref)) if described and index not in shape.not_objects else None
        key: Key | None = None
        aside = text = None
        if type(found) is tuple:
            key, text = found, (name or "") if is_name_keyed(*found) else None
        elif isinstance(found, Unreadable) and native and grammar_reads:
            aside = Why("", found.reason, False, first=True)
        elif rule is not None:
            try:
                key = _rule_key(rule, native, spec, ref)
            except UNREADABLE as error:
                aside = Why("", f"unreadable ({error!r})", False)
        each.append((key, aside, 1 if type(found) is tuple else 0, text))
    keys, asides, ranks, names = zip(*each, strict=True) if each else ((), (), (), ())
    return Plan(
        keys,
        str(shape.ref),
        asides=asides if any(asides) else None,
        roster=_roster(shape),
        ranks=ranks if any(ranks) else None,
        player_names=names if any(text is not None for text in names) else None,
    )


def _rule_key(rule: _Rule, native: bool, spec: str, ref: Any) -> Key | None:
    """An outcome's key under its market's rule (None: not keyed): a native family's book-native key, an
    equivalent's translation, else UOF's outcome number ending the id, if the market's definition has it."""
    market, definition, translation = rule
    if native and translation is None:
        return (market, *_native_key(spec, str(ref)))
    outcome = translation.get(ref) if translation is not None else _outcome_number(ref)
    return (market, spec, outcome) if outcome is not None and definition.accepts(outcome) else None


def _outcome_number(ref: str) -> int | None:
    """UOF outcome id as an int: "12" -> 12, "sr:exact_goals:6+:68" -> 68, "sr:player:123" -> 123."""
    tail = ref.rpartition(":")[2]
    return int(tail) if tail.isascii() and tail.isdigit() else None


def _native_key(spec: str, outcome_text: str) -> tuple[str, int]:
    """(specifier, outcome) of a native outcome: a plain number as is; a compound id keeps its prefix in the
    specifier (its trailing number alone is not unique); a non-number is all prefix, outcome 0."""
    if outcome_text.isascii() and outcome_text.isdigit():
        return spec, int(outcome_text)
    prefix, colon, number = outcome_text.rpartition(":")
    if not (colon and number.isascii() and number.isdigit()):
        prefix, number = outcome_text, "0"
    return normalise_specifier(f"{spec}|outcome={prefix}" if spec else f"outcome={prefix}"), int(number)


def _line_conflict(shape: MarketShape, facts: FactsRead) -> str | None:
    """Why the names (outcomes' and the market's desc) deny the specifier's total or handicap, or None."""
    desc = shape.names[0]
    texts = [name for name in (*shape.outcome_names, desc) if name is not None]
    fields = specifier_fields(shape.specifier)
    if not fields:
        return None
    home, away = facts.teams_for(texts)
    found = check_names(fields, texts, home=home, away=away, where=f"specifier {shape.specifier!r}: ")
    return None if found is None else found.reason


def _roster(shape: MarketShape) -> tuple[RosterPlayer, ...]:
    """The players a market lists with their SportRadar ids, read where its first or last outcome is a
    player ("No Goal" leads the goalscorers)."""
    refs = shape.refs
    if not refs or not any(type(ref) is str and ref.startswith(PLAYER_IDS) for ref in (refs[0], refs[-1])):
        return ()
    return listed_players(shape)


def _described(shape: MarketShape, facts: FactsRead) -> dict[str, Any]:
    """The grammar's key (or why none) of each outcome id, read from the names; none where the sport is not
    known or the market cannot be read."""
    sport = facts.sport()
    if sport is None:
        return {}
    desc, name = shape.names
    unread = dict(shape.unread_names)
    outcomes = [
        None
        if index in shape.not_objects
        else {"id": ref, "desc": _NOT_TEXT.get(unread[index], 0) if index in unread else text}
        for index, (ref, text) in enumerate(zip(shape.refs, shape.outcome_names, strict=True))
    ]
    view = {"name": name, "desc": desc, "specifier": shape.specifier, "outcomes": outcomes}
    try:
        if grammar.reads_teams(view):
            home, away = facts.teams()
        else:  # the teams matter only where the market's name, padded as the grammar reads it, holds one
            home, away = facts.teams_for([f" {text} " for text in (name, desc) if text is not None])
        return grammar.read_market(view, sport, home, away)
    except UNREADABLE:
        return {}


KEYER = SportyBetKeyer()
