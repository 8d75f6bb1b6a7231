"""MSport event detail -> market records, keyed by the book's keyer (keys.py). Tradeable: market ``status``
0, outcome ``isActive`` 1, odds > 1.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from operator import itemgetter
from typing import Any

from palimpsest_pipeline.books.facts_center import SPORT_KEYS, SR_MATCH_PREFIX, SUCCESS
from palimpsest_pipeline.books.msport.keys import KEYER
from palimpsest_pipeline.books.odds_errors import OddsPayloadError, market_records
from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.books.odds_values import (
    BadValue,
    note_unreadable_texts,
    outcome_problem,
    outcomes_record,
    price_value,
    require_list,
    require_mapping,
    shape_text,
    usual_outcomes,
    usual_record,
)
from palimpsest_pipeline.markets.grammar.walk import JSON_OBJECT
from palimpsest_pipeline.markets.keying.engine import key_event
from palimpsest_pipeline.markets.keying.records import Facts, MarketRecord, MarketShape
from palimpsest_pipeline.records import MAX_SPECIFIER_CHARS, Book

BOOK = Book.MSPORT
#: The event's fields read as text (a value of another type is noted: ``note_unreadable_texts``).
_EVENT_TEXTS = ("homeTeam", "awayTeam", "sportId")


def parse_odds(payload: Mapping[str, Any], *, sr_id: int, captured_at: datetime) -> EventOdds:
    """Parse one ``match/detail`` answer (the envelope or its ``data``) into canonical rows; a market or
    outcome that cannot be read is set aside (``EventOdds.set_aside``) and the rest parsed."""
    body = _body(require_mapping(BOOK, payload, "payload"))
    _check_match(body, sr_id)
    markets = require_list(BOOK, body.get("markets"), "data.markets")
    home, away, sport = body.get("homeTeam"), body.get("awayTeam"), body.get("sportId")
    facts = Facts(
        SPORT_KEYS.get(sport) if isinstance(sport, str) else None,
        home if isinstance(home, str) else "",
        away if isinstance(away, str) else "",
    )
    result = EventOdds()
    note_unreadable_texts(BOOK, result, body, _EVENT_TEXTS, "data")
    records = market_records(BOOK, markets, "data.markets", _market, "id")
    key_event(KEYER, facts, records, result, sr_id=sr_id, captured_at=captured_at)
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


def _market(market: Any, where: str) -> tuple[MarketRecord]:
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
        description if type(description) is str else shape_text(description),
        name if type(name) is str else shape_text(name),
    )
    read = usual_outcomes(outcomes, _FIELDS)
    if read is not None:
        return (usual_record(market_id, specifier, names, where, market_open, read),)
    each = [
        _read(outcome, f"{where}.outcomes[{o_index}]", market_open)
        for o_index, outcome in enumerate(outcomes)
    ]
    refs, outcome_names, prices, actives, faults = zip(*each, strict=True)  # an empty list is usual
    shape = MarketShape(market_id, specifier, names, (), refs, outcome_names)
    return (outcomes_record(shape, where, market_open, prices, actives, faults),)


#: An outcome's fields the usual market is read from in C: id, name, price, isActive.
_FIELDS = itemgetter("id", "description", "odds", "isActive")


def _read(outcome: Any, where: str, market_open: bool) -> tuple[Any, ...]:
    """(id, name, price, whether active, why it is set aside or None) of the outcome at ``where``: its id,
    name, price and, in an open market, its ``isActive``, read field by field in that order."""
    if not isinstance(outcome, JSON_OBJECT):
        what = f"expected an object, got {type(outcome).__name__}"
        return None, None, None, False, str(OddsPayloadError(BOOK, where, what))
    ref, name = outcome.get("id"), outcome.get("description")
    problem = outcome_problem(ref, name, ".id", ".description")
    if problem is None:
        try:
            price = price_value(outcome.get("odds"))
        except BadValue as bad:
            problem = ".odds", bad.what
        else:
            flag = outcome.get("isActive")
            if not market_open or (type(flag) is int and flag in (0, 1)):
                return shape_text(ref), shape_text(name), price, flag == 1, None
            problem = ".isActive", f"{str(flag)[:40]!r} is not 0 or 1"
    fault = str(OddsPayloadError(BOOK, f"{where}{problem[0]}", problem[1]))
    return shape_text(ref), shape_text(name), None, False, fault
