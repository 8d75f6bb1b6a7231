"""MSport event detail -> market records, keyed by the UOF-ids keyer (markets/keying/uof_books.py). MSport
runs SportyBet's platform: a market's ``id`` (an integer) and its outcomes' ``id`` are UOF's, ``specifiers``
UOF's specifier, ``description`` the names (../shared/PLATFORMS.md). MSport's own markets (ids from 60000:
the early-payout 1X2s 5000001/5000002) are read by the market grammar from their names. Tradeable: market
``status`` 0, outcome ``isActive`` 1, odds > 1.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from functools import partial
from operator import itemgetter
from typing import Any

from palimpsest_pipeline.books.odds_errors import OddsPayloadError
from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.books.odds_values import (
    BadValue,
    id_problem,
    note_unreadable_texts,
    price_value,
    require_list,
    require_mapping,
    usual_outcomes,
)
from palimpsest_pipeline.markets.free_text import overlong
from palimpsest_pipeline.markets.grammar.walk import JSON_OBJECT
from palimpsest_pipeline.markets.keying.engine import key_event
from palimpsest_pipeline.markets.keying.records import Aside, Facts, MarketRecord, MarketShape
from palimpsest_pipeline.markets.keying.uof_books import MSPORT
from palimpsest_pipeline.records import MAX_SPECIFIER_CHARS, Book

BOOK = Book.MSPORT
SUCCESS = 10000
SR_MATCH_PREFIX = "sr:match:"
SPORTS = {"sr:sport:1": "football", "sr:sport:2": "basketball", "sr:sport:5": "tennis"}
#: The event's fields read as text (a value of another type is noted: ``note_unreadable_texts``).
_EVENT_TEXTS = ("homeTeam", "awayTeam", "sportId")
#: What reading one hostile market can raise; it costs that market, not the event.
_UNREADABLE = (OddsPayloadError, KeyError, TypeError, ValueError, AttributeError)


def parse_odds(payload: Mapping[str, Any], *, sr_id: int, captured_at: datetime) -> EventOdds:
    """Parse one ``match/detail`` answer (the envelope or its ``data``) into canonical rows; a market or
    outcome that cannot be read is set aside (``EventOdds.set_aside``) and the rest parsed."""
    body = _body(require_mapping(BOOK, payload, "payload"))
    _check_match(body, sr_id)
    markets = require_list(BOOK, body.get("markets"), "data.markets")
    home, away, sport = body.get("homeTeam"), body.get("awayTeam"), body.get("sportId")
    facts = Facts(
        SPORTS.get(sport) if isinstance(sport, str) else None,
        home if isinstance(home, str) else "",
        away if isinstance(away, str) else "",
    )
    result = EventOdds()
    result.malformed.extend(note_unreadable_texts(BOOK, body, _EVENT_TEXTS, "data"))
    if result.malformed:  # the teams or sport unknown: what they key is not read, so nothing of it closes
        result.unread_everything()
    key_event(MSPORT, facts, _records(markets), result, sr_id=sr_id, captured_at=captured_at)
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


def _records(markets: list[Any]) -> Iterator[MarketRecord | Aside]:
    for index, market in enumerate(markets):
        where = f"data.markets[{index}]"
        try:
            yield _market(market, where)
        except _UNREADABLE as error:
            reason = (
                str(error)
                if isinstance(error, OddsPayloadError)
                else f"{BOOK.value}: {where}: unreadable ({repr(error)[:200]})"
            )
            yield Aside(market.get("id") if isinstance(market, JSON_OBJECT) else None, reason[:300])


def _market(market: Any, where: str) -> MarketRecord:
    if not isinstance(market, JSON_OBJECT):
        raise OddsPayloadError(BOOK, where, f"expected an object, got {type(market).__name__}")
    market_id = market.get("id")
    if type(market_id) is not int or market_id <= 0:
        what = f"market id {str(market_id)[:40]!r} is not a positive integer"
        raise OddsPayloadError(BOOK, f"{where}.id", what)
    outcomes = require_list(BOOK, market.get("outcomes"), f"{where}.outcomes")
    specifier = market.get("specifiers") or ""
    if not isinstance(specifier, str) or len(specifier) > MAX_SPECIFIER_CHARS:
        raise OddsPayloadError(BOOK, f"{where}.specifiers", f"not a specifier: {str(specifier)[:60]!r}")
    status = market.get("status")
    if type(status) is not int:
        raise OddsPayloadError(BOOK, f"{where}.status", f"{str(status)[:40]!r} is not a market status")
    market_open = status == 0
    description, name = market.get("description"), market.get("name")
    names = (
        description if type(description) is str else _text(description),
        name if type(name) is str else _text(name),
    )
    read = usual_outcomes(outcomes, _FIELDS)
    if read is not None:  # built in C: the usual market is most of them
        shape = _SHAPE((market_id, specifier, names, (), read[0], read[1], None, (), ()))
        record = (shape, where, ".outcomes", market_open, read[2], read[3], None, None, True, None, None)
        return _RECORD(record)
    refs: list[str | None] = []
    outcome_names: list[str | None] = []
    prices: list[float | None] = []
    actives: list[bool] = []
    faults: list[str | None] = []
    for o_index, outcome in enumerate(outcomes):
        is_object = isinstance(outcome, JSON_OBJECT)
        refs.append(_text(outcome.get("id")) if is_object else None)
        outcome_names.append(_text(outcome.get("description")) if is_object else None)
        price, fault = _read(outcome, where, o_index, market_open)
        prices.append(price)
        actives.append(fault is None and outcome.get("isActive") == 1)
        faults.append(fault)
    shape = MarketShape(market_id, specifier, names, (), tuple(refs), tuple(outcome_names))
    return MarketRecord(
        shape,
        where,
        ".outcomes",
        market_open,
        tuple(prices),
        tuple(actives),
        tuple(faults) if any(faults) else None,
    )


#: An outcome's fields the usual market is read from in C: id, name, price, isActive.
_FIELDS = itemgetter("id", "description", "odds", "isActive")
#: A shape and a record built in C (their ``__new__`` is a Python call).
_SHAPE = partial(tuple.__new__, MarketShape)
_RECORD = partial(tuple.__new__, MarketRecord)


def _text(value: Any) -> str | None:
    """A name as the shape keeps it: text (a str subclass as plain text), any other value as None."""
    return value if type(value) is str else str(value) if isinstance(value, str) else None


def _read(outcome: Any, where: str, o_index: int, market_open: bool) -> tuple[float | None, str | None]:
    """(price, why the outcome is set aside or None): its id, name, price and, in an open market, its
    ``isActive``, read field by field in that order."""
    o_where = f"{where}.outcomes[{o_index}]"
    if not isinstance(outcome, JSON_OBJECT):
        return None, str(OddsPayloadError(BOOK, o_where, f"expected an object, got {type(outcome).__name__}"))
    text, name = outcome.get("id"), outcome.get("description")
    problem = None
    if not isinstance(text, str) or not text:
        problem = ".id", f"outcome id {str(text)[:40]!r} is not text"
    elif (refused := id_problem(text)) is not None:
        problem = ".id", refused
    elif name is not None and not isinstance(name, str):
        problem = ".description", f"name is {type(name).__name__}, not text"
    elif isinstance(name, str) and (long := overlong(name, "outcome name")) is not None:
        problem = ".description", long
    if problem is None:
        try:
            price = price_value(outcome.get("odds"))
        except BadValue as bad:
            problem = ".odds", bad.what
        else:
            flag = outcome.get("isActive")
            if not market_open or (type(flag) is int and flag in (0, 1)):
                return price, None
            problem = ".isActive", f"{str(flag)[:40]!r} is not 0 or 1"
    return None, str(OddsPayloadError(BOOK, f"{o_where}{problem[0]}", problem[1]))
