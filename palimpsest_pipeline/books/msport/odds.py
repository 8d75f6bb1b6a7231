"""MSport event detail -> canonical odds rows. MSport runs SportyBet's platform: a market's ``id`` (an
integer) and its outcomes' ``id`` are UOF's, ``specifiers`` UOF's specifier (../shared/PLATFORMS.md).

The ids are read, not trusted: a line the ``specifiers`` give must be the line the names say ("Over 2.5",
"Home (0:1)"; markets/grammar/label_lines.py), each outcome's name must not deny what UOF's outcome of that
id is (books/uof_outcome_names.py), and a variant outcome must carry its market's variant; else the market
(or the outcome) is set aside with its reason. MSport's own markets (ids from 60000: the early-payout 1X2s
5000001/5000002) are read by the market grammar from their names. Tradeable: market ``status`` 0, outcome
``isActive`` 1, odds > 1.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from palimpsest_pipeline.books.odds_errors import OddsPayloadError
from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.books.odds_values import (
    BadValue,
    id_problem,
    note_unreadable_texts,
    price_value,
    require_list,
    require_mapping,
)
from palimpsest_pipeline.books.uof_ids import market_definition
from palimpsest_pipeline.books.uof_outcome_names import Teams, TeamsRead, ids_denied
from palimpsest_pipeline.markets.free_text import overlong
from palimpsest_pipeline.markets.grammar import sportybet as platform_grammar
from palimpsest_pipeline.markets.grammar.description import Unreadable
from palimpsest_pipeline.markets.grammar.label_lines import check_names, specifier_fields
from palimpsest_pipeline.markets.grammar.walk import JSON_OBJECT
from palimpsest_pipeline.markets.players import RosterPlayer, roster_entry
from palimpsest_pipeline.markets.specifiers import SpecifierError, normalise_specifier
from palimpsest_pipeline.markets.uof import FIRST_NATIVE_ID
from palimpsest_pipeline.markets.vocabulary import SCORE_HANDICAP_MARKETS, MarketDef, key_kind
from palimpsest_pipeline.records import MAX_SPECIFIER_CHARS, Book, OddsRow, OddsState

BOOK = Book.MSPORT
SUCCESS = 10000
SR_MATCH_PREFIX = "sr:match:"
SPORTS = {"sr:sport:1": "football", "sr:sport:2": "basketball", "sr:sport:5": "tennis"}
#: What reading one hostile market or outcome can raise; it costs that market or outcome, not the event.
_UNREADABLE = (OddsPayloadError, SpecifierError, BadValue, KeyError, TypeError, ValueError, AttributeError)

Event = tuple[str | None, str, str]
Key = tuple[int, str, int]
#: Plans kept (``_planned``); past it the cache starts again, so a stream of odd markets cannot grow it.
MAX_PLANS = 4096
_PLANS: dict[tuple[Any, ...], _Plan] = {}
_ROW = tuple.__new__


class Stamp(NamedTuple):
    """What every row of one parse carries, and the event's teams as the plans read them."""

    sr_id: int
    captured_at: datetime
    teams: Teams


@dataclass(frozen=True, slots=True)
class _Plan:
    """What a UOF market's ids and names decide, read once per market shape (``_plan``): its normalised
    specifier, per outcome the UOF outcome it keys (None: counted unmapped), and the players it lists.
    ``teams``: for which teams the names' reading holds."""

    teams: TeamsRead
    spec: str
    kind: str
    outcomes: tuple[int | None, ...]
    keys: tuple[Key, ...]
    players: tuple[RosterPlayer, ...]


def parse_odds(payload: Mapping[str, Any], *, sr_id: int, captured_at: datetime) -> EventOdds:
    """Parse one ``match/detail`` answer (the envelope or its ``data``) into canonical rows; a market or
    outcome that cannot be read is set aside (``EventOdds.set_aside``) and the rest parsed."""
    body = _body(require_mapping(BOOK, payload, "payload"))
    _check_match(body, sr_id)
    markets = require_list(BOOK, body.get("markets"), "data.markets")
    event = _event_of(body)
    stamp = Stamp(sr_id, captured_at, Teams.of(event[1], event[2]))
    result = EventOdds()
    result.malformed.extend(note_unreadable_texts(BOOK, body, _EVENT_TEXTS, "data"))
    if result.malformed:  # the teams or sport unknown: what they key is not read, so nothing of it closes
        result.unread_everything()
    keyed: dict[Key, float | None] = {}
    described: list[OddsRow] = []
    for index, market in enumerate(markets):
        where = f"data.markets[{index}]"
        market_id = market.get("id") if isinstance(market, JSON_OBJECT) else None
        rows_before, described_before, aside_before = len(result.rows), len(described), len(result.malformed)
        try:
            _parse_market(result, market, where, event, stamp, keyed, described)
        except _UNREADABLE as error:
            result.set_aside(market_id, _reason(where, error))
        if len(result.malformed) > aside_before:  # an outcome set aside: its market's lines not read whole
            result.unread_beside(result.rows[rows_before:])
            result.unread_beside(described[described_before:])
    for row in described:  # MSport's own markets: a bet a UOF market lists already is not repeated
        key = (row.market, row.specifier, row.outcome)
        if key in keyed:
            continue
        keyed[key] = row.price
        if row.state == "open":
            result.open_outcomes += 1
            result.count_keyed(row.market)
        result.rows.append(row)
    return result


def _body(payload: Mapping[str, Any]) -> Mapping[str, Any]:
    if "bizCode" in payload:
        if payload.get("bizCode") != SUCCESS:
            what = f"error envelope {payload.get('bizCode')!r}: {str(payload.get('message'))[:100]!r}"
            raise OddsPayloadError(BOOK, "bizCode", what)
        return require_mapping(BOOK, payload.get("data"), "data")
    return payload


def _check_match(body: Mapping[str, Any], sr_id: int) -> None:
    """The payload must be the match asked for: its ``eventId`` names the SR id (absent: not checked)."""
    event_id = body.get("eventId")
    if event_id is None:
        return
    if not isinstance(event_id, str) or event_id != f"{SR_MATCH_PREFIX}{sr_id}":
        raise OddsPayloadError(BOOK, "data.eventId", f"{str(event_id)[:60]!r} is not sr:match:{sr_id}")


#: The event's fields read as text (a value of another type is noted: ``note_unreadable_texts``).
_EVENT_TEXTS = ("homeTeam", "awayTeam", "sportId")


def _event_of(body: Mapping[str, Any]) -> Event:
    """(sport, home, away): for reading names; a value of the wrong type reads as unknown."""
    home, away = body.get("homeTeam"), body.get("awayTeam")
    sport = body.get("sportId")
    return (
        SPORTS.get(sport) if isinstance(sport, str) else None,
        home if isinstance(home, str) else "",
        away if isinstance(away, str) else "",
    )


def _reason(where: str, error: Exception) -> str:
    if isinstance(error, OddsPayloadError):
        return str(error)
    what = error.what if isinstance(error, BadValue) else repr(error)
    return f"{BOOK.value}: {where}: unreadable ({what[:200]})"


def _parse_market(
    result: EventOdds,
    market: Any,
    where: str,
    event: Event,
    stamp: Stamp,
    keyed: dict[Key, float | None],
    described: list[OddsRow],
) -> None:
    sr_id, captured_at, _teams = stamp
    if not isinstance(market, JSON_OBJECT):
        raise OddsPayloadError(BOOK, where, f"expected an object, got {type(market).__name__}")
    market_id = market.get("id")
    if type(market_id) is not int or market_id <= 0:
        raise OddsPayloadError(
            BOOK, f"{where}.id", f"market id {str(market_id)[:40]!r} is not a positive integer"
        )
    outcomes = require_list(BOOK, market.get("outcomes"), f"{where}.outcomes")
    specifier = market.get("specifiers") or ""
    if not isinstance(specifier, str) or len(specifier) > MAX_SPECIFIER_CHARS:
        raise OddsPayloadError(BOOK, f"{where}.specifiers", f"not a specifier: {str(specifier)[:60]!r}")
    status = market.get("status")
    if type(status) is not int:
        raise OddsPayloadError(BOOK, f"{where}.status", f"{str(status)[:40]!r} is not a market status")
    market_open = status == 0
    if market_id < FIRST_NATIVE_ID and _planned(
        result, market, outcomes, specifier, market_open, event, stamp, keyed
    ):
        return
    _list_players(result, outcomes)
    if market_id >= FIRST_NATIVE_ID:
        _described(result, market, outcomes, specifier, market_open, event, sr_id, captured_at, described)
        return
    try:
        spec = normalise_specifier(specifier, score_handicap=market_id in SCORE_HANDICAP_MARKETS)
    except SpecifierError as error:
        raise OddsPayloadError(BOOK, f"{where}.specifiers", str(error)) from None
    conflict = _conflict(market_id, market, outcomes, specifier, event)
    if conflict is not None:  # the names deny the ids or the line: no outcome of it is keyed
        for _outcome in outcomes:
            result.set_aside(market_id, f"{BOOK.value}: {where}: {conflict}")
        return
    variant = dict(part.partition("=")[::2] for part in specifier.split("|")).get("variant")
    definition = market_definition(market_id, variant)
    for o_index, outcome in enumerate(outcomes):
        o_where = f"{where}.outcomes[{o_index}]"
        try:
            row = _outcome_row(result, outcome, o_where, market_id, definition, variant, spec, market_open)
        except _UNREADABLE as error:
            result.set_aside(market_id, _reason(o_where, error))
            continue
        if row is None:
            continue
        key = (market_id, spec, row[0])
        if key in keyed:
            result.set_aside(market_id, f"{BOOK.value}: {o_where}: the key {key} is listed twice")
            continue
        price, is_open = row[1], row[2]
        keyed[key] = price
        if is_open:
            result.count_keyed(market_id)
        state: OddsState = "open" if is_open else "suspended"
        result.rows.append(OddsRow(sr_id, BOOK, market_id, spec, row[0], price, state, captured_at))


def _conflict(
    market_id: int, market: Mapping[str, Any], outcomes: list[Any], specifier: str, event: Event
) -> str | None:
    """Why the market's names deny its line or an outcome's id; None when they agree or say nothing."""
    names = [o.get("description") for o in outcomes if isinstance(o, JSON_OBJECT)]
    texts = [n for n in (*names, market.get("description")) if isinstance(n, str)]
    fields = specifier_fields(specifier) if ("total=" in specifier or "hcp=" in specifier) else {}
    if fields:
        found = check_names(fields, texts, home=event[1], away=event[2], where=f"specifier {specifier!r}: ")
        if found is not None:
            return found.reason
    pairs = ((o.get("id"), o.get("description")) for o in outcomes if isinstance(o, JSON_OBJECT))
    return ids_denied(market_id, pairs, event[1], event[2])


def checked_name(name: Any, where: str) -> None:
    """An outcome name checks its id: one that is not text, or past the length a name may have, cannot."""
    if name is None:
        return
    if not isinstance(name, str):
        raise OddsPayloadError(BOOK, f"{where}.description", f"name is {type(name).__name__}, not text")
    problem = overlong(name, "outcome name")
    if problem is not None:
        raise OddsPayloadError(BOOK, f"{where}.description", problem)


def active(value: Any, where: str) -> bool:
    """``isActive``: 1 or 0, nothing else."""
    if type(value) is not int or value not in (0, 1):
        raise OddsPayloadError(BOOK, f"{where}.isActive", f"{str(value)[:40]!r} is not 0 or 1")
    return value == 1


def _outcome_row(
    result: EventOdds,
    outcome: Any,
    where: str,
    market_id: int,
    definition: MarketDef,
    variant: str | None,
    spec: str,
    market_open: bool,
) -> tuple[int, float | None, bool] | None:
    """(UOF outcome id, price, open) of one outcome, counted in ``result``; None when not keyed."""
    if not isinstance(outcome, JSON_OBJECT):
        raise OddsPayloadError(BOOK, where, f"expected an object, got {type(outcome).__name__}")
    text = outcome.get("id")
    if not isinstance(text, str) or not text:
        raise OddsPayloadError(BOOK, f"{where}.id", f"outcome id {str(text)[:40]!r} is not text")
    problem = id_problem(text)
    if problem is not None:
        raise OddsPayloadError(BOOK, f"{where}.id", problem)
    prefix, _colon, number = text.rpartition(":")
    if variant is not None and prefix not in ("", variant, "sr:player"):
        what = f"outcome {text[:60]!r} is not of the market's variant {variant[:60]!r}"
        raise OddsPayloadError(BOOK, f"{where}.id", what)
    checked_name(outcome.get("description"), where)
    try:
        price = price_value(outcome.get("odds"))
    except BadValue as bad:
        raise OddsPayloadError(BOOK, f"{where}.odds", bad.what) from None
    is_open = market_open and active(outcome.get("isActive"), where) and price is not None
    if is_open:
        result.open_outcomes += 1
    outcome_id = int(number) if number.isascii() and number.isdigit() else None
    if outcome_id is None or not definition.accepts(outcome_id):
        if is_open:
            result.count_unmapped(str(market_id))
        return None
    return outcome_id, price, is_open


def _described(
    result: EventOdds,
    market: Mapping[str, Any],
    outcomes: list[Any],
    specifier: str,
    market_open: bool,
    event: Event,
    sr_id: int,
    captured_at: datetime,
    described: list[OddsRow],
) -> None:
    """An MSport market outside UOF: the grammar keys each outcome from the names (MSport writes them as
    SportyBet does: ``name``, ``description``, outcome ``description``), else it is counted unkeyed."""
    market_id = market["id"]
    view = {
        "id": str(market_id),
        "name": market.get("name"),
        "desc": market.get("description"),
        "specifier": specifier,
        "outcomes": [
            {"id": o.get("id"), "desc": o.get("description")} for o in outcomes if isinstance(o, JSON_OBJECT)
        ],
    }
    sport, home, away = event
    keys: dict[str, Any] = {}
    if sport is not None:
        try:
            keys = platform_grammar.read_market(view, sport, home, away)
        except _UNREADABLE:
            keys = {}
    for o_index, outcome in enumerate(outcomes):
        where = f"market {market_id}.outcomes[{o_index}]"
        try:
            if not isinstance(outcome, JSON_OBJECT):
                raise OddsPayloadError(BOOK, where, f"expected an object, got {type(outcome).__name__}")
            price = price_value(outcome.get("odds"))
            is_open = market_open and active(outcome.get("isActive"), where) and price is not None
        except _UNREADABLE as error:
            result.set_aside(market_id, _reason(where, error))
            continue
        key = keys.get(str(outcome.get("id")))
        if isinstance(key, Unreadable):
            result.set_aside(market_id, f"{BOOK.value}: {where}: {key.reason}")
        elif isinstance(key, tuple):
            state: OddsState = "open" if is_open else "suspended"
            described.append(OddsRow(sr_id, BOOK, key[0], key[1], key[2], price, state, captured_at))
        elif is_open:
            result.open_outcomes += 1
            result.count_unmapped(str(market_id))


def _list_players(result: EventOdds, outcomes: list[Any]) -> None:
    """The players the outcomes carry with their SportRadar ids, for the other books' player names."""
    for outcome in outcomes:
        if not isinstance(outcome, JSON_OBJECT):
            continue
        text, name = outcome.get("id"), outcome.get("description")
        if (
            isinstance(text, str)
            and isinstance(name, str)
            and text.startswith(("sr:player:", "pre:playerprops:"))
        ):
            player = roster_entry(text, name)
            if player is not None:
                result.roster.add(player)


def _planned(
    result: EventOdds,
    market: Mapping[str, Any],
    outcomes: list[Any],
    specifier: str,
    market_open: bool,
    event: Event,
    stamp: Stamp,
    keyed: dict[Key, float | None],
) -> bool:
    """Key a UOF market by its shape's plan, reading only its prices and states; False (nothing done) when
    it has no plan or a value the plan does not decide is unusual: the caller then reads it whole. The
    signature holds every field the plan depends on, each of an exact type (1, 1.0 and true are equal
    keys)."""
    description = market.get("description")
    if type(description) is not str:
        if isinstance(description, str):
            return False
        description = None  # not text: the names' check reads it as no name
    signature: list[Any] = [market["id"], specifier, description]
    for outcome in outcomes:
        if type(outcome) is not dict:
            return False
        text, name = outcome.get("id"), outcome.get("description")
        if type(text) is not str or (name is not None and type(name) is not str):
            return False
        signature += (text, name)
    key = tuple(signature)
    plan = _PLANS.get(key)
    if plan is None or not plan.teams.holds(stamp.teams):
        plan = _plan(market, outcomes, specifier, event)
        if plan is None:
            return False
        if len(_PLANS) >= MAX_PLANS:
            _PLANS.clear()
        _PLANS[key] = plan
    prices: list[float | None] = []
    states: list[bool] = []
    for outcome in outcomes:
        try:
            price = price_value(outcome.get("odds"))
        except BadValue:
            return False
        is_open = False
        if market_open:
            flag = outcome.get("isActive")
            if type(flag) is not int or (flag != 0 and flag != 1):
                return False
            is_open = flag == 1 and price is not None
        prices.append(price)
        states.append(is_open)
    for planned_key in plan.keys:
        if planned_key in keyed:  # another market keyed it: read whole, it is set aside with its reason
            return False
    if plan.players:
        result.roster.update(plan.players)
    market_id, spec, rows = market["id"], plan.spec, result.rows
    sr_id, captured_at, _teams = stamp
    keyed_open = unmapped_open = 0
    for number, price, is_open in zip(plan.outcomes, prices, states, strict=True):
        if number is None:
            unmapped_open += is_open
            continue
        keyed[(market_id, spec, number)] = price
        keyed_open += is_open
        state: OddsState = "open" if is_open else "suspended"
        rows.append(_ROW(OddsRow, (sr_id, BOOK, market_id, spec, number, price, state, captured_at)))
    result.count_market(str(market_id), plan.kind, keyed_open, unmapped_open)
    return True


def _plan(market: Mapping[str, Any], outcomes: list[Any], specifier: str, event: Event) -> _Plan | None:
    """The plan of a UOF market whose ids and names read without a fault; None for any other (the caller
    reads it whole, and sets aside what it must)."""
    market_id = market["id"]
    try:
        spec = normalise_specifier(specifier, score_handicap=market_id in SCORE_HANDICAP_MARKETS)
        if _conflict(market_id, market, outcomes, specifier, event) is not None:
            return None
        variant = dict(part.partition("=")[::2] for part in specifier.split("|")).get("variant")
        definition = market_definition(market_id, variant)
        numbers: list[int | None] = []
        for outcome in outcomes:
            text, name = outcome["id"], outcome.get("description")
            prefix, _colon, number = text.rpartition(":")
            if (
                not text
                or id_problem(text) is not None
                or (variant is not None and prefix not in ("", variant, "sr:player"))
                or (name is not None and overlong(name, "outcome name"))
            ):
                return None
            outcome_id = int(number) if number.isascii() and number.isdigit() else None
            numbers.append(outcome_id if outcome_id is not None and definition.accepts(outcome_id) else None)
    except _UNREADABLE:
        return None
    keys = tuple((market_id, spec, number) for number in numbers if number is not None)
    if len(set(keys)) != len(keys):  # a key listed twice in the market: read whole, set aside
        return None
    before = EventOdds()
    _list_players(before, outcomes)
    _sport, home, away = event
    names = (market.get("description"), *(outcome.get("description") for outcome in outcomes))
    return _Plan(
        TeamsRead.of((name for name in names if isinstance(name, str)), home, away),
        spec,
        key_kind(market_id),
        tuple(numbers),
        keys,
        tuple(before.roster),
    )
