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
from palimpsest_pipeline.books.odds_errors import OddsPayloadError
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
from palimpsest_pipeline.markets.keying.records import Aside, Facts, MarketRecord, MarketShape
from palimpsest_pipeline.records import MAX_SPECIFIER_CHARS, Book

BOOK = Book.MSPORT


def parse_odds(payload: Mapping[str, Any], *, sr_id: int, captured_at: datetime) -> EventOdds:
    """Parse one ``match/detail`` answer (the envelope or its ``data``) into canonical rows; a market or
    outcome that cannot be read is set aside (``EventOdds.set_aside``) and the rest parsed."""
    body = require_mapping(BOOK, payload, "payload")
    if "bizCode" in body:  # the envelope: its ``data``, or the error it stands for
        if body.get("bizCode") != SUCCESS:
            what = f"error envelope {body.get('bizCode')!r}: {str(body.get('message'))[:100]!r}"
            raise OddsPayloadError(BOOK, "bizCode", what)
        body = require_mapping(BOOK, body.get("data"), "data")
    event_id = body.get("eventId")  # the match asked for, where it names one
    if event_id is not None and (not isinstance(event_id, str) or event_id != f"{SR_MATCH_PREFIX}{sr_id}"):
        raise OddsPayloadError(BOOK, "data.eventId", f"{str(event_id)[:60]!r} is not sr:match:{sr_id}")
    markets = require_list(BOOK, body.get("markets"), "data.markets")
    home, away, sport = body.get("homeTeam"), body.get("awayTeam"), body.get("sportId")
    facts = Facts(
        SPORT_KEYS.get(sport) if isinstance(sport, str) else None,
        home if isinstance(home, str) else "",
        away if isinstance(away, str) else "",
    )
    result = EventOdds()
    note_unreadable_texts(BOOK, result, body, ("homeTeam", "awayTeam", "sportId"), "data")
    key_event(KEYER, facts, _records(markets), result, sr_id=sr_id, captured_at=captured_at)
    return result


def _records(markets: list[Any]) -> list[MarketRecord | Aside]:
    """Each market's record, or why it cannot be read: the usual one in one pass, others by _market."""
    records: list[MarketRecord | Aside] = []
    for index, market in enumerate(markets):
        where = f"data.markets[{index}]"
        try:
            ref, outcomes, specifier, status, desc, name = _MARKET(market)
        except (KeyError, TypeError):  # a field missing, or not an object
            ref = status = None
        if (
            (type(ref) is type(status) is int and type(outcomes) is list and ref > 0)
            and (type(specifier) is type(desc) is type(name) is str)
            and len(specifier) <= MAX_SPECIFIER_CHARS
            and (read := usual_outcomes(outcomes, _FIELDS)) is not None
        ):
            records.append(usual_record(ref, specifier, (desc, name), where, status == 0, read))
        else:
            records.append(_market(market, where))
    return records


def _market(market: Any, where: str) -> MarketRecord | Aside:
    """A market read field by field, outcome by outcome: its record, or why it cannot be read."""
    if not isinstance(market, JSON_OBJECT):
        return Aside(None, _reason(where, f"expected an object, got {type(market).__name__}"))
    market_id = market.get("id")
    if type(market_id) is not int or market_id <= 0:
        what = f"market id {str(market_id)[:40]!r} is not a positive integer"
        return Aside(market_id, _reason(f"{where}.id", what))
    outcomes = market.get("outcomes")
    if not isinstance(outcomes, list):
        what = f"expected a list, got {type(outcomes).__name__}"
        return Aside(market_id, _reason(f"{where}.outcomes", what))
    specifier = market.get("specifiers") or ""
    if not isinstance(specifier, str) or len(specifier) > MAX_SPECIFIER_CHARS:
        return Aside(market_id, _reason(f"{where}.specifiers", f"not a specifier: {str(specifier)[:60]!r}"))
    status = market.get("status")
    if type(status) is not int:
        return Aside(market_id, _reason(f"{where}.status", f"{str(status)[:40]!r} is not a market status"))
    names = (shape_text(market.get("description")), shape_text(market.get("name")))
    each = [_read(outcome, f"{where}.outcomes[{at}]", status == 0) for at, outcome in enumerate(outcomes)]
    refs, outcome_names, prices, actives, faults = zip(*each, strict=True) if each else ((),) * 5
    shape = MarketShape(market_id, specifier, names, (), refs, outcome_names)
    return outcomes_record(shape, where, status == 0, prices, actives, faults)


def _reason(where: str, what: str) -> str:
    return str(OddsPayloadError(BOOK, where, what))


#: A market's fields, read in one call.
_MARKET = itemgetter("id", "outcomes", "specifiers", "status", "description", "name")
#: An outcome's fields the usual market is read from in C: id, name, price, isActive.
_FIELDS = itemgetter("id", "description", "odds", "isActive")


def _read(outcome: Any, where: str, market_open: bool) -> tuple[Any, ...]:
    """(id, name, price, whether active, why it is set aside or None) of the outcome at ``where``: its id,
    name, price and, in an open market, its ``isActive``, read field by field in that order."""
    if not isinstance(outcome, JSON_OBJECT):
        return None, None, None, False, _reason(where, f"expected an object, got {type(outcome).__name__}")
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
    return shape_text(ref), shape_text(name), None, False, _reason(f"{where}{problem[0]}", problem[1])
