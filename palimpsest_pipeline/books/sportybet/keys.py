"""SportyBet's keying rules (docs/keying.md). Its ids are UOF's: a market in the vocabulary is keyed by
construction, an equivalent (markets/sportybet/equivalents.py) by its table, and its own families (ids from
60000) keep book-native keys, read by the grammar from their names and giving way to a UOF key. A total or
handicap the names carry must be the specifier's, else the market is set aside with both.
"""

from __future__ import annotations

from itertools import starmap
from typing import Any

from palimpsest_pipeline.books.facts_center import PLAYER_IDS, listed_players
from palimpsest_pipeline.books.odds_errors import UNREADABLE
from palimpsest_pipeline.books.odds_parse import is_name_keyed
from palimpsest_pipeline.markets.grammar import uof_labels as grammar
from palimpsest_pipeline.markets.grammar.description import Unreadable
from palimpsest_pipeline.markets.grammar.label_lines import check_names, specifier_fields
from palimpsest_pipeline.markets.keying.plans import FactsRead
from palimpsest_pipeline.markets.keying.records import Key, MarketShape, Plan, Why
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

#: A market's rule: (canonical market, its definition, outcome translation or None, whether native).
_Rule = tuple[int, MarketDef, dict[str, int] | None, bool]
_RULES: dict[str, _Rule] = {
    str(mid): (mid, definition, None, mid in NATIVE_MARKETS) for mid, definition in VOCABULARY.items()
}
for _sid, (_cmarket, _outcomes) in EQUIVALENTS.items():
    _RULES[_sid] = (_cmarket, VOCABULARY[_cmarket], _outcomes, _cmarket in NATIVE_MARKETS)
#: The markets an equivalent gives way to where the event lists them with its specifier.
RESTATED = frozenset(str(market) for market, _outcomes in EQUIVALENTS.values())
#: The definition a market outside the vocabulary is keyed under: any outcome number.
_OPEN = MarketDef(0, "SportyBet market outside the vocabulary", "any")
#: A value of each type but text an outcome name can be written as (the grammar names the type).
_NOT_TEXT: dict[str, Any] = {"int": 0, "float": 0.0, "bool": False, "list": [], "dict": {}}


class SportyBetKeyer:
    """SportyBet: one record per market; shape names (desc, name)."""

    book: Book = Book.SPORTYBET

    def plan(self, shape: MarketShape, facts: FactsRead) -> Plan:
        """A market restating a UOF market the event lists too (``EQUIVALENTS``) is keyed at rank 1: it gives
        way to that market, its prices met against it (``keying.event.Keying.meet``)."""
        ref = shape.ref
        rule = _RULES.get(ref) if type(ref) is str else None
        plan = self._plan(shape, facts, rule)
        if rule is not None and rule[2] is not None and facts.lists(str(rule[0]), shape.specifier):
            return plan._replace(rank=1, ranks=None)
        return plan

    def _plan(self, shape: MarketShape, facts: FactsRead, rule: _Rule | None) -> Plan:
        ref, raw = shape.ref, shape.specifier
        label, unmapped = str(ref), (None,) * len(shape.refs)
        if rule is None and type(ref) is str and ref.isascii() and ref.isdigit():
            rule = (int(ref), _OPEN, None, int(ref) >= FIRST_NATIVE_ID)  # a UOF id the vocabulary lacks
        spec, handicap = "", rule is not None and rule[0] in SCORE_HANDICAP_MARKETS
        try:  # the keyword only where it holds: the cheaper call
            if rule is not None:
                spec = normalise_specifier(raw, score_handicap=True) if handicap else normalise_specifier(raw)
        except SpecifierError as error:
            return Plan(unmapped, label, refused=Why(".specifier", str(error), True), refused_each=False)
        if "total=" in raw or "hcp=" in raw:
            conflict = _line_conflict(shape, facts)
            if conflict is not None:  # the names say another line than the specifier: no outcome is keyed
                return Plan(unmapped, label, refused=Why("", conflict, False), roster=_roster(shape))
        described = _described(shape, facts) if rule is not None and (rule[3] or rule[2] is not None) else {}
        grammar_reads = bool(described) and any(type(key) is tuple for key in described.values())
        if rule is not None and not grammar_reads:  # the usual market: each outcome by its market's rule
            try:  # the plan's fields in order, built in C (its ``__new__`` is a Python call)
                keys, roster = _rule_keys(rule, spec, shape.refs), _roster(shape)
                return tuple.__new__(Plan, (keys, label, None, None, True, 0, roster, None, None))
            except UNREADABLE:
                pass  # an outcome id the rule cannot read: read one by one, which sets it aside
        return _outcome_keys(shape, rule, spec, described, grammar_reads)


def _outcome_keys(
    shape: MarketShape, rule: _Rule | None, spec: str, described: dict[str, Any], grammar_reads: bool
) -> Plan:
    """Each outcome's key: the grammar's where it reads one (rank 1, so a UOF market keying the same bet
    wins), else the rule's. In a family the grammar reads, an outcome whose name does not read is set aside:
    its family key would be the outcome keyed one way when its name reads and another when not
    (``grammar_reads``: whether it reads any)."""
    refs = shape.refs
    found: list[Any] = [*map(described.get, map(str, refs))] if described else [None] * len(refs)
    for index in shape.not_objects:
        found[index] = None
    if not grammar_reads or {*map(type, found)} != {tuple}:
        each = [
            (key, None, 1, (name or "") if is_name_keyed(*key) else None)
            if type(key) is tuple
            else (*_unread(key, ref, rule, spec, grammar_reads), 0, None)
            for ref, name, key in zip(refs, shape.outcome_names, found, strict=True)
        ]
        keys, each_aside, each_rank, each_name = zip(*each, strict=True) if each else ((), (), (), ())
        asides, ranks = each_aside if any(each_aside) else None, each_rank if any(each_rank) else None
        names = each_name if each_name.count(None) < len(each_name) else None
    else:  # the grammar keys every outcome: read in C
        named = [*starmap(is_name_keyed, found)]
        keys, asides, ranks, names = tuple(found), None, (1,) * len(refs), None
        if any(named):  # a key naming its player by name keeps its outcome's text
            texts = zip(shape.outcome_names, named, strict=True)
            names = tuple([(text or "") if is_named else None for text, is_named in texts])
    fields = (keys, str(shape.ref), asides, None, True, 0, _roster(shape), ranks, names)
    return tuple.__new__(Plan, fields)


def _unread(read: Any, ref: Any, rule: _Rule | None, spec: str, reads: bool) -> tuple[Key | None, Why | None]:
    """(key, why set aside) of an outcome the grammar does not key (``read``), ``reads``: if it keys any."""
    if isinstance(read, Unreadable) and rule is not None and rule[3] and reads:
        return None, Why("", read.reason, False, first=True)
    try:
        return (_rule_keys(rule, spec, (ref,))[0] if rule is not None else None), None
    except UNREADABLE as error:
        return None, Why("", f"unreadable ({error!r})", False)


def _rule_keys(rule: _Rule, spec: str, refs: tuple[Any, ...]) -> tuple[Key | None, ...]:
    """Each outcome's key under its market's rule (None: not keyed): a native family's book-native key, an
    equivalent's translation, else UOF's outcome number ending the id, if the market's definition has it."""
    market, definition, translation, native = rule
    keys: list[Key | None] = []
    for ref in refs:
        if translation is not None:
            number = translation.get(ref)
        elif native:
            keys.append((market, *_native_key(spec, str(ref))))
            continue
        else:  # "12" -> 12, "sr:exact_goals:6+:68" -> 68, "sr:player:123" -> 123
            tail = ref.rpartition(":")[2]
            number = int(tail) if tail.isascii() and tail.isdigit() else None
        key = (market, spec, number) if number is not None else None
        keys.append(key if definition.outcomes is None or number in definition.outcomes else None)
    return tuple(keys)


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
    refs = shape.refs  # an id that is not text (str() of it) is no player's
    if not refs or not (str(refs[0]).startswith(PLAYER_IDS) or str(refs[-1]).startswith(PLAYER_IDS)):
        return ()
    return listed_players(shape)


def _described(shape: MarketShape, facts: FactsRead) -> dict[str, Any]:
    """The grammar's key (or why none) of each outcome id, read from the names; none where the sport is not
    known or the market cannot be read."""
    sport = facts.sport()
    if sport is None:
        return {}
    desc, name = shape.names
    pairs = zip(shape.refs, shape.outcome_names, strict=True)
    outcomes: list[Any] = [{"id": ref, "desc": text} for ref, text in pairs]
    for index, kind in shape.unread_names:  # a name not text: a value of its type, as the payload had
        outcomes[index]["desc"] = _NOT_TEXT.get(kind, 0)
    for index in shape.not_objects:
        outcomes[index] = None
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
