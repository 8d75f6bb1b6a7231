"""SportyBet event detail -> market records, keyed by SportyBet's keyer (books/sportybet/keys.py) in the
keying engine (docs/keying.md). SportyBet speaks UOF: a market's ``id`` (text) and its outcomes' ``id`` are
UOF's, ``specifier`` UOF's specifier, ``desc`` and ``name`` the names (../shared/PLATFORMS.md). Tradeable:
market ``status`` 0 and not ``banned``, outcome ``isActive`` 1, odds > 1.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from operator import itemgetter
from typing import Any

from palimpsest_pipeline.books.errors import PayloadError
from palimpsest_pipeline.books.facts_center import SPORT_KEYS
from palimpsest_pipeline.books.odds_errors import OddsPayloadError
from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.books.odds_values import (
    BadValue,
    check_key,
    id_problem,
    outcomes_record,
    price_value,
    require_list,
    require_mapping,
    usual_outcomes,
    usual_record,
)
from palimpsest_pipeline.books.payload import Node
from palimpsest_pipeline.books.sportybet.catalogue import ids_from_event_id, source_ids
from palimpsest_pipeline.books.sportybet.keys import KEYER, RESTATED
from palimpsest_pipeline.markets.grammar.walk import JSON_OBJECT
from palimpsest_pipeline.markets.keying.engine import key_event
from palimpsest_pipeline.markets.keying.records import Aside, Facts, MarketRecord, MarketShape
from palimpsest_pipeline.records import MAX_ID_CHARS, Book

BOOK = Book.SPORTYBET


def parse_odds(payload: Mapping[str, Any], *, sr_id: int, captured_at: datetime) -> EventOdds:
    """Parse one ``GET event`` payload (the envelope or its ``data``) into canonical rows; a market or
    outcome that cannot be read is set aside (``EventOdds.set_aside``) and the rest parsed."""
    event, markets = _event_and_markets(payload)
    sport, home, away = _event_of(event, sr_id)
    listed: set[tuple[str, str]] = set()
    records = [_market(market, f"data.markets[{index}]", listed) for index, market in enumerate(markets)]
    facts = Facts(sport, home, away, frozenset(listed))
    result = EventOdds()
    key_event(KEYER, facts, records, result, sr_id=sr_id, captured_at=captured_at)
    return result


def _event_and_markets(payload: Any) -> tuple[Mapping[str, Any], list[Any]]:
    """(the event's fields, its markets): those of the envelope's ``data`` (an error envelope refused), or
    of the payload itself; the event's fields are ``data``'s wherever it is an object holding any."""
    body = require_mapping(BOOK, payload, "payload")
    data = body.get("data")
    if "markets" not in body and "data" in body:
        if body.get("bizCode", 10000) != 10000:
            what = f"error envelope {body.get('bizCode')!r}: {body.get('message')!r}"
            raise OddsPayloadError(BOOK, "bizCode", what)
        body = require_mapping(BOOK, data, "data")
    if "markets" not in body:
        raise OddsPayloadError(BOOK, "data", "no 'markets' list (is this an event-detail payload?)")
    markets = require_list(BOOK, body["markets"], "data.markets")
    return (data if isinstance(data, JSON_OBJECT) and data else payload), markets


def _event_of(event: Mapping[str, Any], sr_id: int) -> tuple[str | None, str, str]:
    """(sport, home team, away team) of the match asked for, for reading its own markets' names."""
    _check_match(event, sr_id)
    sport = event.get("sport")
    sport_id = sport.get("id") if isinstance(sport, JSON_OBJECT) else None
    check_key(BOOK, sport_id, "data.sport.id")  # an unreadable sport costs the event, not silently
    home, away = event.get("homeTeamName"), event.get("awayTeamName")
    teams = (home if isinstance(home, str) else "", away if isinstance(away, str) else "")
    return SPORT_KEYS.get(str(sport_id)), *teams


def _check_match(event: Mapping[str, Any], sr_id: int) -> None:
    """The answer must be the match asked for: ``eventId`` and a ``BET_RADAR`` source each name SR id
    ``sr_id`` where they name one. An ``eventId`` holding a Genius id and no SportRadar source name none: such
    an answer is parsed (it is asked for under the SR id its Genius id links it to)."""
    event_id, source = event.get("eventId"), event.get("eventSource")
    plain = source if source is None or type(source) is dict else _as_dicts(source)  # as the catalogue reads
    sources = Node(BOOK, "event", {"eventSource": plain}, "data")
    if type(event_id) is not str:
        what = f"{'missing' if event_id is None else 'not text'}: no match named (asked for sr:match:{sr_id})"
        raise OddsPayloadError(BOOK, "data.eventId", what)
    named, genius = ids_from_event_id(event_id)
    if named != sr_id and (named is not None or genius is None):
        raise OddsPayloadError(BOOK, "data.eventId", f"{event_id[:60]!r} is not sr:match:{sr_id}")
    try:
        radar = source_ids(sources)[0]
    except PayloadError as error:
        raise OddsPayloadError(BOOK, "data.eventSource", f"{error.what} (asked for {sr_id})") from error
    if radar is not None and radar != sr_id:
        raise OddsPayloadError(BOOK, "data.eventSource", f"BET_RADAR source {radar} is not match {sr_id}")


def _as_dicts(value: Any) -> Any:
    """``value`` with every mapping a dict (the payload reader reads dicts only); lists and scalars kept."""
    if isinstance(value, JSON_OBJECT):
        return {key: _as_dicts(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_dicts(item) for item in value]
    return value


def _market(market: Any, where: str, listed: set[tuple[str, str]]) -> MarketRecord | Aside:
    """One market's record, or why it cannot be read; to ``listed`` its (id, specifier) if ``RESTATED``."""
    if type(market) is not dict and not isinstance(market, JSON_OBJECT):
        return _aside(None, where, f"expected an object, got {type(market).__name__}")
    try:
        market_id, outcomes, status, banned, desc, name = _MARKET(market)
    except KeyError:  # a field it lacks reads as None
        market_id, outcomes, status, banned, desc, name = map(market.get, _MARKET_FIELDS)
    specifier = market.get("specifier") or ""
    if type(market_id) is str and market_id in RESTATED and type(specifier) is str:
        listed.add((market_id, specifier))
    if (market_id is None and "id" not in market) or (outcomes is None and "outcomes" not in market):
        return _aside(market_id, where, f"missing {'id' if 'id' not in market else 'outcomes'!r}")
    if type(outcomes) is not list:
        return _aside(market_id, f"{where}.outcomes", "expected a list")
    problem = None if type(market_id) is str and len(market_id) <= MAX_ID_CHARS else id_problem(market_id)
    if problem is not None:
        return _aside(market_id, f"{where}.id", problem)
    if type(specifier) is not str:
        return _aside(market_id, f"{where}.specifier", f"not a specifier: {str(specifier)[:60]!r}")
    market_open = status == 0 and not banned
    names = (desc if type(desc) is str else None, name if type(name) is str else None)
    read = usual_outcomes(outcomes, _FIELDS)
    if read is not None:
        return usual_record(market_id, specifier, names, where, market_open, read)
    each = [_outcome(item, f"{where}.outcomes[{at}]", market_open) for at, item in enumerate(outcomes)]
    refs, outcome_names, unread, prices, actives, faults = zip(*each, strict=True)  # an empty list is usual
    unread_names = tuple((index, kind) for index, kind in enumerate(unread) if kind is not None)
    not_objects = tuple(at for at, item in enumerate(outcomes) if not isinstance(item, JSON_OBJECT))
    shape = MarketShape(market_id, specifier, names, (), refs, outcome_names, None, unread_names, not_objects)
    return outcomes_record(shape, where, market_open, prices, actives, faults)


def _aside(market_id: Any, where: str, what: str) -> Aside:
    return Aside(market_id, str(OddsPayloadError(BOOK, where, what)))


#: A market's fields, read in one call (``_MARKET``).
_MARKET_FIELDS = ("id", "outcomes", "status", "banned", "desc", "name")
_MARKET = itemgetter(*_MARKET_FIELDS)
#: An outcome's fields the usual market is read from in C: id, name, price, isActive.
_FIELDS = itemgetter("id", "desc", "odds", "isActive")


def _outcome(outcome: Any, where: str, market_open: bool) -> tuple[Any, ...]:
    """(id, name, the type of a name that is not text or None, then ``_read``'s three) of one outcome."""
    ref = text = unread = None
    if type(outcome) is dict or isinstance(outcome, JSON_OBJECT):
        ref, text = outcome.get("id"), outcome.get("desc")
        ref = ref if type(ref) is str or type(ref) is int else None
        if text is not None and type(text) is not str:
            unread, text = type(text).__name__, None
    return ref, text, unread, *_read(outcome, where, market_open)


def _read(outcome: Any, where: str, market_open: bool) -> tuple[float | None, bool, str | None]:
    """(price, whether active, why the outcome is set aside or None): its price, in an open market its
    ``isActive`` (in a closed one no outcome is tradeable), and its id, read field by field in that order."""
    try:
        try:
            price = price_value(outcome["odds"])
        except BadValue as bad:
            return None, False, str(OddsPayloadError(BOOK, f"{where}.odds", bad.what))
        active = outcome["isActive"] if market_open else 0
        if type(active) is not int or active not in (0, 1):
            what = f"{str(active)[:40]!r} is not 0 or 1"
            return None, False, str(OddsPayloadError(BOOK, f"{where}.isActive", what))
        problem = id_problem(outcome["id"])
    except (KeyError, TypeError) as exc:
        return None, False, str(OddsPayloadError(BOOK, where, f"malformed outcome ({exc!r})"))
    if problem is not None:
        return None, False, str(OddsPayloadError(BOOK, f"{where}.id", problem))
    return price, active == 1, None
