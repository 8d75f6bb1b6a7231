"""SportyBet event detail -> canonical odds rows (SportyBet speaks UOF: see markets/mapping_sportybet.py).

Markets outside UOF (SportyBet's own families) are read by the market grammar (markets/grammar/sportybet.py)
into UOF or canonical keys; what it cannot read keeps its book-native key.

A total or handicap line is read from the ``specifier`` and from the names that carry it ("Over 2.5",
"Home (-1.5)"): a market whose names say another line is set aside with both (grammar/label_lines.py).

Market, specifier and outcome ids ARE UOF ids, so UOF outcomes are keyed by construction (variant and player
markets keep their ``variant=``). SportyBet's own families (ids from 60000) keep book-native keys, counted
in ``native_outcomes``. When SportyBet lists one bet twice (a UOF market and its own equivalent), the UOF
market wins and the equivalent is counted nowhere, so one key never holds two prices.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import partial
from operator import itemgetter, methodcaller
from typing import Any, NamedTuple

from palimpsest_pipeline.books.odds_errors import OddsPayloadError
from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.books.odds_values import (
    MAX_ID_CHARS,
    BadValue,
    check_key,
    id_problem,
    price_value,
    require_list,
    require_mapping,
)
from palimpsest_pipeline.markets.grammar import sportybet as grammar
from palimpsest_pipeline.markets.grammar.description import Unreadable
from palimpsest_pipeline.markets.grammar.label_lines import (
    check_names,
    reads_teams,
    side_words,
    specifier_fields,
)
from palimpsest_pipeline.markets.grammar.lines import LineConflict
from palimpsest_pipeline.markets.grammar.walk import JSON_OBJECT, mapping_at
from palimpsest_pipeline.markets.mapping_sportybet import EQUIVALENTS
from palimpsest_pipeline.markets.players import RosterPlayer, roster_entry
from palimpsest_pipeline.markets.specifiers import SpecifierError, normalise_specifier
from palimpsest_pipeline.markets.uof import FIRST_NATIVE_ID
from palimpsest_pipeline.markets.vocabulary import (
    SCORE_HANDICAP_MARKETS,
    SPORTYBET_EXTENSIONS,
    VOCABULARY,
    MarketDef,
    key_kind,
)
from palimpsest_pipeline.records import Book, OddsRow

BOOK = Book.SPORTYBET

# SportyBet market id (text) -> (canonical market, definition, outcome translation or None for UOF ids).
_Rule = tuple[int, MarketDef, dict[str, int] | None]
_RULES: dict[str, _Rule] = {str(mid): (mid, definition, None) for mid, definition in VOCABULARY.items()}
for _sid, (_cmarket, _outcomes) in EQUIVALENTS.items():
    _RULES[_sid] = (_cmarket, VOCABULARY[_cmarket], _outcomes)

#: SportyBet ids (text) of the UOF markets that some equivalent translates to.
_EQUIVALENT_TARGETS = frozenset(str(cmarket) for cmarket, _outcomes in EQUIVALENTS.values())

_OUTCOME_CACHE: dict[str, int | None] = {}


def _outcome_id(text: str) -> int | None:
    """UOF outcome id as an int: "12" -> 12, "sr:exact_goals:6+:68" -> 68, "sr:player:123" -> 123."""
    cached = _OUTCOME_CACHE.get(text)
    if cached is not None or text in _OUTCOME_CACHE:
        return cached
    value = _outcome_number(text)
    if len(_OUTCOME_CACHE) > 200_000:
        _OUTCOME_CACHE.clear()
    _OUTCOME_CACHE[text] = value
    return value


def _outcome_number(text: str) -> int | None:
    tail = text.rpartition(":")[2]
    return int(tail) if tail.isascii() and tail.isdigit() else None


#: The definition a market without a vocabulary entry is keyed under: any outcome number.
_OPEN = MarketDef(0, "SportyBet market outside the vocabulary", "any")


def _native_market(market_id: Any, rule: _Rule | None) -> bool:
    """SportyBet's own families: ids from 60000 up (the adopted ones in the vocabulary included)."""
    if rule is not None:
        return rule[0] in SPORTYBET_EXTENSIONS
    return (
        isinstance(market_id, str)
        and market_id.isascii()
        and market_id.isdigit()
        and int(market_id) >= FIRST_NATIVE_ID
    )


def _native_key(spec: str, outcome_text: str) -> tuple[str, int]:
    """(specifier, outcome) of a native outcome: a plain number as is; a compound id keeps its prefix in the
    specifier (its trailing number alone is not unique); a non-number is all prefix, outcome 0."""
    if outcome_text.isascii() and outcome_text.isdigit():
        return spec, int(outcome_text)
    prefix, colon, number = outcome_text.rpartition(":")
    if not (colon and number.isascii() and number.isdigit()):
        prefix, number = outcome_text, "0"
    return normalise_specifier(f"{spec}|outcome={prefix}" if spec else f"outcome={prefix}"), int(number)


def _markets_of(payload: Mapping[str, Any]) -> list[Any]:
    body = payload
    if "markets" not in body and "data" in body:
        if body.get("bizCode", 10000) != 10000:
            raise OddsPayloadError(
                BOOK, "bizCode", f"error envelope {body.get('bizCode')!r}: {body.get('message')!r}"
            )
        body = require_mapping(BOOK, body["data"], "data")
    if "markets" not in body:
        raise OddsPayloadError(BOOK, "data", "no 'markets' list (is this an event-detail payload?)")
    return require_list(BOOK, body["markets"], "data.markets")


def _listed_targets(markets: list[Any]) -> frozenset[tuple[str, str]]:
    """(market id, raw specifier) of the listed UOF markets that an equivalent would duplicate."""
    return frozenset(
        (market["id"], market.get("specifier") or "")
        for market in markets
        if isinstance(market, JSON_OBJECT)
        and isinstance(market.get("id"), str)
        and market["id"] in _EQUIVALENT_TARGETS
    )


#: What reading one hostile market or outcome can raise; it costs that market or outcome, not the event.
_UNREADABLE = (OddsPayloadError, SpecifierError, KeyError, TypeError, ValueError, AttributeError)


def parse_odds(payload: Mapping[str, Any], *, sr_id: int, captured_at: datetime) -> EventOdds:
    """Parse one ``GET event`` payload (the envelope or its ``data``) into canonical rows.

    A market or outcome that cannot be read is set aside (``EventOdds.set_aside``) and the rest parsed."""
    require_mapping(BOOK, payload, "payload")
    result = EventOdds()
    markets = _markets_of(payload)
    listed_targets = _listed_targets(markets)
    event = _event_of(payload)
    deferred: list[OddsRow] = []
    listed: dict[int, RosterPlayer] = {}  # the players listed, by identity (see :func:`_list_players`)
    for index, market in enumerate(markets):
        rows_before, deferred_before, aside_before = len(result.rows), len(deferred), len(result.malformed)
        try:
            _parse_market(result, market, index, listed_targets, sr_id, captured_at, event, deferred, listed)
        except _UNREADABLE as error:
            market_id = market.get("id") if isinstance(market, JSON_OBJECT) else None
            result.set_aside(market_id, _reason(_market_where(index), error))
        if len(result.malformed) > aside_before:  # an outcome set aside: its market's lines not read whole
            result.unread_beside(result.rows[rows_before:])
            result.unread_beside(deferred[deferred_before:])
    result.roster.update(listed.values())
    _add_described(result, deferred)
    return result


def _event_of(payload: Mapping[str, Any]) -> tuple[str | None, str, str]:
    """(sport, home team, away team) of the event, for reading its own markets' names."""
    body = mapping_at(payload, "data") or payload
    sport = mapping_at(body, "sport")
    check_key(BOOK, sport.get("id"), "data.sport.id")  # an unreadable sport costs the event, not silently
    names = {"sr:sport:1": "football", "sr:sport:2": "basketball", "sr:sport:5": "tennis"}
    home, away = body.get("homeTeamName"), body.get("awayTeamName")
    return (
        names.get(str(sport.get("id"))),
        home if isinstance(home, str) else "",
        away if isinstance(away, str) else "",
    )


def _add_described(result: EventOdds, deferred: list[OddsRow]) -> None:
    """Rows the grammar keyed from SportyBet's own markets, added after the UOF markets: one that restates a
    listed UOF market's key is the same bet priced twice, dropped and counted nowhere (the UOF one wins)."""
    if not deferred:
        return
    rows = result.rows
    # the keys already emitted that a deferred row could restate: looked up in C, not a set of every row's
    emitted = set(map(_KEY_OF, deferred)).intersection(map(_KEY_OF, rows))
    keyed: dict[int, int] = {}
    for row in deferred:
        key = _KEY_OF(row)
        if key in emitted:
            continue
        emitted.add(key)
        if row.state == "open":
            keyed[row.market] = keyed.get(row.market, 0) + 1
        rows.append(row)
    for market, count in keyed.items():
        result.open_outcomes += count
        result.count_keyed_as(key_kind(market), count)


#: A row's key: (market, specifier, outcome).
_KEY_OF = itemgetter(2, 3, 4)


def _grammar_keys(market: Mapping[str, Any], event: tuple[str | None, str, str]) -> dict[str, Any]:
    sport, home, away = event
    if sport is None:
        return {}
    try:
        return grammar.read_market(market, sport, home, away)
    except _UNREADABLE:
        return {}


def _reason(where: str, error: Exception) -> str:
    return (
        str(error)
        if isinstance(error, OddsPayloadError)
        else f"{BOOK.value}: {where}: unreadable ({error!r})"
    )


class _MarketPlan(NamedTuple):
    """What one market's keying needs that follows from its id alone, worked out once per id and not per
    event (:func:`_market_plan`), with what its specifiers and player outcome ids were read as."""

    rule: _Rule | None
    #: the canonical market id (text) an equivalent duplicates where the event lists it with its specifier
    equivalent_of: str | None
    native: bool
    #: whether the grammar reads the market (SportyBet's own families and the equivalents)
    read_by_grammar: bool
    market_key: int
    kind: str
    #: the canonical outcome of each outcome id but a player's, None for a non-text market id
    keys: dict[str, Any] | None
    #: raw specifier (text or absent) -> (normalised specifier, why it cannot be read or None)
    specs: dict[str | None, tuple[str, str | None]]
    #: the canonical outcome of a player's outcome id by the number ending it (:func:`_player_outcome`), None
    #: where the key depends on more of the id
    tails: dict[str, Any] | None


def _market_plan(market_id: Any) -> _MarketPlan:
    """The plan of a (checked) market id: remembered (bounded) for a text id, else worked out afresh."""
    rule = _RULES.get(market_id)
    equivalent_of = str(rule[0]) if rule is not None and rule[2] is not None else None
    native = _native_market(market_id, rule)
    read_by_grammar = native or equivalent_of is not None
    if rule is None and isinstance(market_id, str) and market_id.isascii() and market_id.isdigit():
        rule = (int(market_id), _OPEN, None)  # a UOF id our catalogue lacks, or a native family
    market_key = rule[0] if rule is not None else 0  # used only once an outcome is keyed, which needs a rule
    text_id = type(market_id) is str
    plan = _MarketPlan(
        rule,
        equivalent_of,
        native,
        read_by_grammar,
        market_key,
        key_kind(market_key),
        {} if text_id else None,
        {},
        {} if rule is not None and rule[2] is None and not native else None,
    )
    if text_id:
        if len(_PLANS) > 5_000:
            _PLANS.clear()
        _PLANS[market_id] = plan
    return plan


#: :func:`_market_plan`'s plans by market id.
_PLANS: dict[str, _MarketPlan] = {}


def _specifier_of(plan: _MarketPlan, specifier: Any) -> tuple[str, str | None]:
    """(the normalised specifier, why it cannot be read or None) under the market's rule; remembered in the
    plan (bounded) for a text or absent specifier. Any other error than a refusal is raised as it is."""
    rule, spec, refusal = plan.rule, "", None
    if rule is not None:
        try:
            spec = normalise_specifier(specifier or "", score_handicap=rule[0] in SCORE_HANDICAP_MARKETS)
        except SpecifierError as exc:
            refusal = str(exc)
    if specifier is None or type(specifier) is str:
        if len(plan.specs) > 2_000:
            plan.specs.clear()
        plan.specs[specifier] = (spec, refusal)
    return spec, refusal


def _player_outcome(plan: _MarketPlan, outcome_text: str) -> Any:
    """The canonical outcome of a player's outcome id (``sr:player:<id>``, ``pre:playerprops:...:<n>``): under
    a UOF rule it follows from the number ending the id (:func:`_outcome_number`), remembered by that number;
    else worked out from the whole id. Never remembered by the id itself: a player's id is the event's own."""
    tails = plan.tails
    if tails is None:
        return _canonical_outcome(plan.rule, plan.native, outcome_text)
    tail = outcome_text.rpartition(":")[2]
    canonical = tails.get(tail, _UNSEEN)
    if canonical is _UNSEEN:
        canonical = _canonical_outcome(plan.rule, plan.native, outcome_text)
        if len(tails) > 20_000:
            tails.clear()
        tails[tail] = canonical
    return canonical


def _market_where(index: int) -> str:
    """Where a market is, formatted only for one that cannot be read."""
    return f"data.markets[{index}]"


def _parse_market(
    result: EventOdds,
    market: Any,
    index: int,
    listed_targets: Any,
    sr_id: int,
    captured_at: datetime,
    event: tuple[str | None, str, str],
    deferred: list[OddsRow],
    listed: dict[int, RosterPlayer],
) -> None:
    """Add one market's rows to ``result``; an unreadable outcome is set aside, the others kept. A market
    outside UOF that the grammar keys goes to ``deferred`` (see :func:`_add_described`), the players it lists
    to ``listed`` (:func:`_list_players`)."""
    if type(market) is not dict and not isinstance(market, JSON_OBJECT):
        raise OddsPayloadError(BOOK, _market_where(index), f"expected an object, got {type(market).__name__}")
    try:
        market_id = market["id"]
        outcomes = market["outcomes"]
    except KeyError as missing:
        raise OddsPayloadError(BOOK, _market_where(index), f"missing {missing.args[0]!r}") from None
    if type(outcomes) is not list:
        raise OddsPayloadError(BOOK, f"{_market_where(index)}.outcomes", "expected a list")
    problem = id_problem(market_id)
    if problem is not None:
        raise OddsPayloadError(BOOK, f"{_market_where(index)}.id", problem)
    plan = _PLANS.get(market_id) if type(market_id) is str else None
    if plan is None:
        plan = _market_plan(market_id)
    specifier = market.get("specifier")
    if plan.equivalent_of is not None and (plan.equivalent_of, specifier or "") in listed_targets:
        return  # an equivalent of a UOF market the event also lists (the UOF one wins)
    described = _grammar_keys(market, event) if plan.read_by_grammar else {}
    spec_read = plan.specs.get(specifier) if specifier is None or type(specifier) is str else None
    spec, refusal = spec_read if spec_read is not None else _specifier_of(plan, specifier)
    if refusal is not None:
        raise OddsPayloadError(BOOK, f"{_market_where(index)}.specifier", refusal)
    rule, native, keys = plan.rule, plan.native, plan.keys
    market_open = market.get("status") == 0 and not market.get("banned", False)
    _list_players(listed, outcomes)
    conflict = _named_line_conflict(market, outcomes, event)
    if conflict is not None:  # the names say another line than the specifier: no outcome is keyed
        reason = f"{BOOK.value}: {_market_where(index)}: {conflict.reason}"
        for _outcome in outcomes:
            result.set_aside(market_id, reason)
        return
    # the grammar keys this market's other outcomes: an unreadable one under the family's key would be keyed
    # one way when its name reads and another when not (where the grammar keys none, the family's key is it)
    grammar_reads = any(isinstance(key, tuple) for key in described.values()) if described else False
    market_key = plan.market_key
    append, defer = result.rows.append, deferred.append
    new_row, book, max_id = _new_row, BOOK, MAX_ID_CHARS
    unseen, read_apart, absent, nan, infinity = _UNSEEN, _READ_APART, _MISSING, _NAN, _INFINITY
    opened = keyed = 0
    try:
        for o_index, outcome in enumerate(outcomes):
            # the usual outcome, read here in one go: an object with a text id, a text price and isActive 0/1
            if type(outcome) is dict:
                oid, odds, active = outcome.get("id"), outcome.get("odds"), outcome.get("isActive", absent)
                if (
                    type(oid) is str
                    and len(oid) <= max_id
                    and type(odds) is str
                    and type(active) is int
                    and 0 <= active <= 1
                ):
                    try:
                        price: float | None = float(odds)
                    except ValueError:
                        price = nan  # not a number: read below, which says why
                    if price == price and price != infinity:
                        if price <= 1.0:  # type: ignore[operator]
                            price = None
                        state = "open" if market_open and active == 1 and price is not None else "suspended"
                        if described:
                            grammar_key = described.get(oid)
                            if type(grammar_key) is tuple:
                                row = new_row((sr_id, book, *grammar_key, price, state, captured_at))
                                result.name_player(row, str(outcome.get("desc") or ""))
                                defer(row)
                                continue
                            if isinstance(grammar_key, Unreadable) and native and grammar_reads:
                                grammar_key = read_apart  # set aside below, with its reason
                        else:
                            grammar_key = None
                        if grammar_key is not read_apart:
                            canonical = keys.get(oid, unseen) if keys is not None else read_apart
                            if canonical is unseen:
                                if oid.startswith(_PLAYER_IDS):  # a player's id is the event's own
                                    canonical = _player_outcome(plan, oid)
                                else:
                                    canonical = _canonical_outcome(rule, native, oid)
                                    if len(keys) > 20_000:  # type: ignore[arg-type]
                                        keys.clear()  # type: ignore[union-attr]
                                    keys[oid] = canonical  # type: ignore[index]
                            if canonical is not read_apart:
                                if state == "open":
                                    opened += 1
                                    if canonical is None:
                                        result.count_unmapped(str(market_id))
                                        continue
                                    keyed += 1
                                elif canonical is None:
                                    continue
                                values = (sr_id, book, market_key, spec, canonical, price, state, captured_at)
                                append(new_row(values))
                                continue
            context = (
                market_id,
                rule,
                native,
                market_open,
                spec,
                sr_id,
                captured_at,
                described,
                grammar_reads,
            )
            _read_outcome(result, outcome, _market_where(index), o_index, context, deferred)
    finally:
        result.open_outcomes += opened
        if keyed:
            result.count_keyed_as(plan.kind, keyed)


def _read_outcome(
    result: EventOdds,
    outcome: Any,
    where: str,
    o_index: int,
    context: tuple[Any, ...],
    deferred: list[OddsRow],
) -> None:
    """One outcome that is not the usual shape (or whose key is not one lookup), read field by field: set
    aside with its reason when it cannot be read. ``context``: the market's id, rule, whether native and open,
    specifier, the event's SR id and capture time, the grammar's keys and whether it keys any."""
    market_id, rule, native, market_open, spec, sr_id, captured_at, described, grammar_reads = context
    grammar_key = (
        described.get(str(outcome.get("id"))) if described and isinstance(outcome, JSON_OBJECT) else None
    )
    if isinstance(grammar_key, Unreadable) and native and grammar_reads:
        # its family key would be this outcome keyed one way when its name reads and another when not
        result.set_aside(market_id, f"{BOOK.value}: {_outcome_where(where, o_index)}: {grammar_key.reason}")
        return
    if isinstance(grammar_key, tuple):
        try:
            described_row = _described_row(outcome, grammar_key, market_open, sr_id, captured_at)
            result.name_player(described_row, str(outcome.get("desc") or ""))
            deferred.append(described_row)
            return
        except (*_UNREADABLE, BadValue):
            pass  # read as any other outcome below, which sets it aside with its reason
    try:
        row = _outcome_row(
            result, outcome, where, o_index, market_id, rule, native, market_open, spec, sr_id, captured_at
        )
    except _UNREADABLE as error:
        result.set_aside(market_id, _reason(_outcome_where(where, o_index), error))
        return
    if row is not None:
        result.rows.append(row)


#: Markers of the outcome loop: a field absent, an outcome id not looked up yet, one keyed apart.
_MISSING: Any = object()
_UNSEEN: Any = object()
_READ_APART: Any = object()
_NAN = float("nan")
_INFINITY = float("inf")
#: Builds a row from its 8 values in C (``OddsRow(...)`` runs a Python ``__new__``).
_new_row = partial(tuple.__new__, OddsRow)


def _canonical_outcome(rule: _Rule | None, native: bool, outcome_text: str) -> Any:
    """The canonical outcome of a text outcome id under ``rule`` (None: not keyed), as :func:`_outcome_row`
    keys it; ``_READ_APART`` for a native compound id, whose specifier depends on the market's."""
    if native and rule is not None and rule[2] is None:
        return int(outcome_text) if outcome_text.isascii() and outcome_text.isdigit() else _READ_APART
    if rule is None:
        return None
    translation = rule[2]
    canonical = translation.get(outcome_text) if translation is not None else _outcome_number(outcome_text)
    return canonical if canonical is not None and rule[1].accepts(canonical) else None


#: How the ids of outcomes that are players begin (``sr:player:<id>``, ``pre:playerprops:<match>:<id>...``).
_PLAYER_IDS = ("sr:player:", "pre:playerprops:")


def _list_players(listed: dict[int, RosterPlayer], outcomes: list[Any]) -> None:
    """Add the players a market's outcomes carry with their SportRadar ids to those the event lists (by
    identity: the same player object comes back in every market naming it, and the roster, a set, hashes each
    only once). Only a market whose first or last outcome is a player is read ("No Goal" leads the
    goalscorers). Each outcome is read once (:data:`_PLAYERS`), then looked up in later captures."""
    if not outcomes:
        return
    first, last = outcomes[0], outcomes[-1]
    if type(first) is dict and type(last) is dict:  # the usual: ids read without a conversion
        first_id, last_id = first.get("id"), last.get("id")
        if not (
            (type(first_id) is str and first_id.startswith(_PLAYER_IDS))
            or (type(last_id) is str and last_id.startswith(_PLAYER_IDS))
        ):
            return
    elif not (
        (isinstance(first, JSON_OBJECT) and str(first.get("id")).startswith(_PLAYER_IDS))
        or (isinstance(last, JSON_OBJECT) and str(last.get("id")).startswith(_PLAYER_IDS))
    ):
        return
    remembered = _PLAYERS.get
    for outcome in outcomes:
        try:
            player = remembered((outcome["desc"], outcome["id"]), _MISSING)
        except KeyError:
            player = _read_player(outcome)
        except TypeError:  # not an object, or a name or id that is not text: no player to list
            continue
        if player is _MISSING:
            player = _read_player(outcome)
        if player is not None and id(player) not in listed:
            listed[id(player)] = player


def _read_player(outcome: Mapping[str, Any]) -> RosterPlayer | None:
    """The roster player an outcome lists (None: none), remembered by its name and id."""
    outcome_id, desc = outcome.get("id"), outcome.get("desc")
    if not isinstance(outcome_id, str) or not isinstance(desc, str):
        return None
    player = roster_entry(outcome_id, desc)
    if len(_PLAYERS) > 100_000:
        _PLAYERS.clear()
    _PLAYERS[(desc, outcome_id)] = player
    return player


#: (outcome name, outcome id) -> the roster player it lists (None: no player); the same outcomes come back
#: every capture of the event.
_PLAYERS: dict[tuple[str, str], RosterPlayer | None] = {}


def _named_line_conflict(
    market: Mapping[str, Any], outcomes: list[Any], event: tuple[str | None, str, str]
) -> LineConflict | None:
    """Where the specifier gives a total or handicap, the line the market's and outcomes' names say must be
    the same (markets/grammar/label_lines.py); else the conflict naming both. Remembered per names and
    specifier (the same lines repeat on every event), with the teams only where a name's side reads them."""
    specifier = market.get("specifier")
    if not isinstance(specifier, str) or ("total=" not in specifier and "hcp=" not in specifier):
        return None
    try:  # every outcome an object (the usual): their names read in C
        names = (*map(_NAME_OF, outcomes), market.get("desc"))
    except AttributeError:  # an outcome that is not an object has no name
        names = (*(o.get("desc") for o in outcomes if isinstance(o, JSON_OBJECT)), market.get("desc"))
    home, away = event[1], event[2]
    try:
        words, found = _CONFLICTS[(specifier, names)]
    except KeyError:
        texts = [name for name in names if isinstance(name, str)]
        words = frozenset().union(*map(side_words, texts))
        found = _check_lines(specifier, texts, "", "")
        _remember(_CONFLICTS, (specifier, names), (words, found))
    except TypeError:  # a name that cannot be a key (a list where text belongs): checked afresh
        return _check_lines(specifier, [name for name in names if isinstance(name, str)], home, away)
    if not words or not reads_teams(words, home, away):  # no side named: the teams cannot matter
        return found
    key = (specifier, names, home, away)
    if key not in _TEAM_CONFLICTS:
        texts = [name for name in names if isinstance(name, str)]
        _remember(_TEAM_CONFLICTS, key, _check_lines(specifier, texts, home, away))
    return _TEAM_CONFLICTS[key]


#: An outcome's (or market's) name, read in C (:func:`_named_line_conflict`).
_NAME_OF = methodcaller("get", "desc")


def _check_lines(specifier: str, texts: list[str], home: str, away: str) -> LineConflict | None:
    fields = specifier_fields(specifier)
    where = f"specifier {specifier!r}: "
    return check_names(fields, texts, home=home, away=away, where=where) if fields else None


def _remember(cache: dict[Any, Any], key: Any, value: Any) -> None:
    """Store ``value`` in a bounded cache (cleared whole when full)."""
    if len(cache) > 100_000:
        cache.clear()
    cache[key] = value


#: :func:`_named_line_conflict`'s checks by (specifier, names): the side words the names give and the
#: check without teams; by (specifier, names, home, away) where those words read the teams.
_CONFLICTS: dict[tuple[Any, ...], tuple[frozenset[str], LineConflict | None]] = {}
_TEAM_CONFLICTS: dict[tuple[Any, ...], LineConflict | None] = {}


def _described_row(
    outcome: Mapping[str, Any],
    key: tuple[int, str, int],
    market_open: bool,
    sr_id: int,
    captured_at: datetime,
) -> OddsRow:
    """One outcome of a SportyBet-own market under the grammar's key (counted when added: _add_described)."""
    if id_problem(outcome["id"]) is not None:
        raise ValueError("outcome id refused")
    price = price_value(outcome["odds"])
    is_open = market_open and _active(outcome["isActive"], "") and price is not None
    return OddsRow(
        sr_id, BOOK, key[0], key[1], key[2], price, "open" if is_open else "suspended", captured_at
    )


def _active(value: Any, where: str) -> bool:
    """``isActive``: 1 or 0, nothing else (whether an outcome can be taken is never guessed)."""
    if type(value) is not int or value not in (0, 1):
        raise OddsPayloadError(BOOK, f"{where}.isActive", f"{str(value)[:40]!r} is not 0 or 1")
    return value == 1


def _outcome_where(market_where: str, index: int) -> str:
    """Where an outcome is, formatted only for one that cannot be read (see ``common.BadValue``)."""
    return f"{market_where}.outcomes[{index}]"


def _outcome_row(
    result: EventOdds,
    outcome: Any,
    market_where: str,
    index: int,
    market_id: Any,
    rule: Any,
    native: bool,
    market_open: bool,
    spec: str,
    sr_id: int,
    captured_at: datetime,
) -> OddsRow | None:
    """One outcome's row (None: not keyed), counted in ``result``'s account."""
    try:
        try:
            price = price_value(outcome["odds"])
        except BadValue as bad:
            raise OddsPayloadError(BOOK, f"{_outcome_where(market_where, index)}.odds", bad.what) from None
        active = _active(outcome["isActive"], _outcome_where(market_where, index))
        outcome_text = outcome["id"]
    except (KeyError, TypeError) as exc:
        where = _outcome_where(market_where, index)
        raise OddsPayloadError(BOOK, where, f"malformed outcome ({exc!r})") from None
    problem = id_problem(outcome_text)
    if problem is not None:
        raise OddsPayloadError(BOOK, f"{_outcome_where(market_where, index)}.id", problem)
    is_open = market_open and active and price is not None
    canonical: int | None = None
    outcome_spec = spec
    if native and rule is not None and rule[2] is None:
        outcome_spec, canonical = _native_key(spec, str(outcome_text))
    elif rule is not None:
        translation = rule[2]
        canonical = translation.get(outcome_text) if translation is not None else _outcome_id(outcome_text)
        if canonical is not None and not rule[1].accepts(canonical):
            canonical = None
    if is_open:
        result.open_outcomes += 1
    if canonical is None:
        if is_open:
            result.count_unmapped(str(market_id))
        return None
    canonical_market = rule[0]
    if is_open:
        result.count_keyed(canonical_market)
    return OddsRow(
        sr_id,
        BOOK,
        canonical_market,
        outcome_spec,
        canonical,
        price,
        "open" if is_open else "suspended",
        captured_at,
    )
