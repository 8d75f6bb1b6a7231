"""Betika ``uo/matches`` row -> market records, keyed by the book's keyer (keys.py): ids and specifiers are
UOF's, and each line of a market group (its outcomes sharing a ``special_bet_value``) is one record.
Tradeable: ``market_active`` and ``odd_active`` 1 where given (live), odds > 1.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from palimpsest_pipeline.books.betika.keys import KEYER
from palimpsest_pipeline.books.odds_errors import OddsPayloadError, market_records
from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.books.odds_values import (
    BadValue,
    outcome_problem,
    outcomes_record,
    price_value,
    require_list,
    require_mapping,
)
from palimpsest_pipeline.markets.grammar.walk import JSON_OBJECT
from palimpsest_pipeline.markets.keying.engine import key_event
from palimpsest_pipeline.markets.keying.records import Aside, Facts, MarketRecord, MarketShape
from palimpsest_pipeline.records import MAX_SPECIFIER_CHARS, Book

BOOK = Book.BETIKA


def parse_odds(payload: Mapping[str, Any], *, sr_id: int, captured_at: datetime) -> EventOdds:
    """Parse one ``uo/matches`` answer (``data[]`` rows, or one row) into the rows of match ``sr_id``; a
    group, line or outcome that cannot be read is set aside (``EventOdds.set_aside``) and the rest parsed."""
    row = _row(require_mapping(BOOK, payload, "payload"), sr_id)
    home, away = row.get("home_team"), row.get("away_team")
    facts = Facts(None, home if isinstance(home, str) else "", away if isinstance(away, str) else "")
    groups = require_list(BOOK, row.get("odds"), "row.odds")
    result = EventOdds()
    records = market_records(BOOK, groups, "row.odds", _group, "sub_type_id")
    key_event(KEYER, facts, records, result, sr_id=sr_id, captured_at=captured_at)
    return result


def _row(payload: Mapping[str, Any], sr_id: int) -> Mapping[str, Any]:
    """The row of match ``sr_id``: the answer must carry it (another match's answer is not this one's)."""
    if "data" not in payload:
        rows: list[Any] = [payload]
    else:
        rows = require_list(BOOK, payload.get("data"), "data")
    for index, row in enumerate(rows):
        row = require_mapping(BOOK, row, f"data[{index}]")
        parent = row.get("parent_match_id")
        if str(parent) == str(sr_id) and (type(parent) is int or isinstance(parent, str)):
            return row
    named = [str(r.get("parent_match_id"))[:20] for r in rows[:3] if isinstance(r, JSON_OBJECT)]
    raise OddsPayloadError(BOOK, "data[].parent_match_id", f"no row is match {sr_id} (rows name {named})")


def _whole(value: Any, where: str, what: str) -> int:
    """A positive whole number sent as a number or as digits (prematch strings, live numbers)."""
    if type(value) is int and value > 0:
        return value
    if isinstance(value, str) and 0 < len(value) < 12 and value.isascii() and value.isdigit() and int(value):
        return int(value)
    raise OddsPayloadError(BOOK, where, f"{what} {str(value)[:40]!r} is not a positive integer")


def _flag(value: Any, where: str) -> bool:
    """``market_active``/``odd_active``: absent (prematch: listed means offered), or 1 or 0."""
    if value is None:
        return True
    if type(value) is not int or value not in (0, 1):
        raise OddsPayloadError(BOOK, where, f"{str(value)[:40]!r} is not 0 or 1")
    return value == 1


def _group(group: Any, where: str) -> list[MarketRecord | Aside]:
    """A group's lines as records; an outcome that is not an object is set aside, and leaves every line of
    its group not read whole (it names none)."""
    if not isinstance(group, JSON_OBJECT):
        raise OddsPayloadError(BOOK, where, f"expected an object, got {type(group).__name__}")
    market_id = _whole(group.get("sub_type_id"), f"{where}.sub_type_id", "market id")
    outcomes = require_list(BOOK, group.get("odds"), f"{where}.odds")
    group_open = _flag(group.get("market_active"), f"{where}.market_active")
    found: list[MarketRecord | Aside] = []
    lines: dict[Any, list[tuple[int, Any]]] = {}
    for o_index, outcome in enumerate(outcomes):
        if not isinstance(outcome, JSON_OBJECT):
            what = f"expected an object, got {type(outcome).__name__}"
            found.append(Aside(market_id, str(OddsPayloadError(BOOK, f"{where}.odds[{o_index}]", what))))
            continue
        specifier = outcome.get("special_bet_value")
        lines.setdefault(specifier if isinstance(specifier, str) else None, []).append((o_index, outcome))
    whole = not found
    for specifier, members in lines.items():
        if specifier is None or len(specifier) > MAX_SPECIFIER_CHARS:
            reason = str(OddsPayloadError(BOOK, f"{where}.special_bet_value", "not a specifier"))
            found += [Aside(market_id, reason)] * len(members)
            continue
        each = [_read(outcome, f"{where}.odds[{o_index}]", group_open) for o_index, outcome in members]
        refs, names, prices, actives, faults = zip(*each, strict=True)
        shape = MarketShape(market_id, specifier, (), (), refs, names)
        positions = tuple(o_index for o_index, _outcome in members)
        found.append(
            outcomes_record(shape, where, group_open, prices, actives, faults, ".odds", positions, whole)
        )
    return found


def _read(outcome: Mapping[str, Any], where: str, group_open: bool) -> tuple[Any, ...]:
    """(id, name, price, active, why it is set aside or None) of one outcome: its price and flags read first,
    then its id and name."""
    ref, name = outcome.get("outcome_id"), outcome.get("odd_key")
    ref_read = ref if type(ref) is str or type(ref) is int else None
    name_read = name if type(name) is str else str(name) if isinstance(name, str) else None
    try:
        price = price_value(outcome.get("odd_value"))
        active = (
            group_open
            and _flag(outcome.get("market_active"), f"{where}.market_active")
            and _flag(outcome.get("odd_active"), f"{where}.odd_active")
        )
    except BadValue as bad:
        return ref_read, name_read, None, False, str(OddsPayloadError(BOOK, f"{where}.odd_value", bad.what))
    except OddsPayloadError as error:
        return ref_read, name_read, None, False, str(error)
    problem = outcome_problem(str(ref) if type(ref) is int else ref, name, "outcome_id", "odd_key")
    if problem is None:
        return ref_read, name_read, price, active, None
    return ref_read, name_read, None, False, str(OddsPayloadError(BOOK, f"{where}.{problem[0]}", problem[1]))
