"""Betika ``uo/matches`` row -> canonical odds rows (../shared/PLATFORMS.md, "Betika").

A row's ``odds[]`` are market groups: ``sub_type_id`` is UOF's market id (captured: 1 1X2, 18 total, 14 the
3-way handicap ...), each outcome's ``outcome_id`` UOF's outcome id (``sr:exact_goals:6+:69`` for a variant)
and ``special_bet_value`` UOF's specifier; one group holds every line of its market. The ids are read, not
trusted: each line's numbers in the names (``odd_key`` "over 2.5", "Cruz Azul (0:1)") must be its
specifier's, each ``odd_key`` must not deny UOF's outcome of that id, the specifier must name UOF's
parameters of that market, and a variant outcome must carry its line's variant; else the line or outcome is
set aside with its reason. Tradeable: ``market_active`` and ``odd_active`` 1 where given (live), odds > 1.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from palimpsest_pipeline.books.odds_errors import OddsPayloadError
from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.books.odds_values import (
    BadValue,
    id_problem,
    price_value,
    require_list,
    require_mapping,
)
from palimpsest_pipeline.books.uof_ids import market_definition, parameter_problem
from palimpsest_pipeline.books.uof_outcome_names import ids_denied
from palimpsest_pipeline.markets.free_text import overlong
from palimpsest_pipeline.markets.grammar.label_lines import check_names, specifier_fields
from palimpsest_pipeline.markets.grammar.walk import JSON_OBJECT
from palimpsest_pipeline.markets.specifiers import SpecifierError, normalise_specifier
from palimpsest_pipeline.markets.uof import FIRST_NATIVE_ID
from palimpsest_pipeline.markets.vocabulary import SCORE_HANDICAP_MARKETS
from palimpsest_pipeline.records import MAX_SPECIFIER_CHARS, Book, OddsRow, OddsState

BOOK = Book.BETIKA
#: What reading one hostile market or outcome can raise; it costs that market or outcome, not the event.
_UNREADABLE = (OddsPayloadError, SpecifierError, BadValue, KeyError, TypeError, ValueError, AttributeError)

Key = tuple[int, str, int]


def parse_odds(payload: Mapping[str, Any], *, sr_id: int, captured_at: datetime) -> EventOdds:
    """Parse one ``uo/matches`` answer (``data[]`` rows, or one row) into the rows of match ``sr_id``; a
    group, line or outcome that cannot be read is set aside (``EventOdds.set_aside``) and the rest parsed."""
    row = _row(require_mapping(BOOK, payload, "payload"), sr_id)
    home, away = row.get("home_team"), row.get("away_team")
    teams = (home if isinstance(home, str) else "", away if isinstance(away, str) else "")
    groups = require_list(BOOK, row.get("odds"), "row.odds")
    result = EventOdds()
    keyed: set[Key] = set()
    for index, group in enumerate(groups):
        where = f"row.odds[{index}]"
        market_id = group.get("sub_type_id") if isinstance(group, JSON_OBJECT) else None
        try:
            _parse_group(result, group, where, teams, sr_id, captured_at, keyed)
        except _UNREADABLE as error:
            result.set_aside(market_id, _reason(where, error))
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


def _reason(where: str, error: Exception) -> str:
    if isinstance(error, OddsPayloadError):
        return str(error)
    what = error.what if isinstance(error, BadValue) else repr(error)
    return f"{BOOK.value}: {where}: unreadable ({what[:200]})"


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


def _parse_group(
    result: EventOdds,
    group: Any,
    where: str,
    teams: tuple[str, str],
    sr_id: int,
    captured_at: datetime,
    keyed: set[Key],
) -> None:
    if not isinstance(group, JSON_OBJECT):
        raise OddsPayloadError(BOOK, where, f"expected an object, got {type(group).__name__}")
    market_id = _whole(group.get("sub_type_id"), f"{where}.sub_type_id", "market id")
    outcomes = require_list(BOOK, group.get("odds"), f"{where}.odds")
    group_open = _flag(group.get("market_active"), f"{where}.market_active")
    if market_id >= FIRST_NATIVE_ID:  # no Betika market outside UOF was ever seen: counted, not guessed
        for o_index, outcome in enumerate(outcomes):
            if _is_open(outcome, f"{where}.odds[{o_index}]", group_open):
                result.open_outcomes += 1
                result.count_unmapped(str(market_id))
        return
    lines: dict[str, list[tuple[int, Any]]] = {}
    group_rows, shapeless = len(result.rows), False
    for o_index, outcome in enumerate(outcomes):
        if not isinstance(outcome, JSON_OBJECT):
            what = f"expected an object, got {type(outcome).__name__}"
            result.set_aside(market_id, str(OddsPayloadError(BOOK, f"{where}.odds[{o_index}]", what)))
            shapeless = True
            continue
        specifier = outcome.get("special_bet_value")
        lines.setdefault(specifier if isinstance(specifier, str) else "\x00", []).append((o_index, outcome))
    for specifier, members in lines.items():
        rows_before, aside_before = len(result.rows), len(result.malformed)
        try:
            _parse_line(
                result, market_id, specifier, members, where, group_open, teams, sr_id, captured_at, keyed
            )
        except _UNREADABLE as error:
            for _member in members:
                result.set_aside(market_id, _reason(where, error))
        if len(result.malformed) > aside_before:  # an outcome set aside: its line is not read whole
            result.unread_beside(result.rows[rows_before:])
    if shapeless:  # an outcome naming no line: none of the group's lines is read whole
        result.unread_beside(result.rows[group_rows:])


def _is_open(outcome: Any, where: str, group_open: bool) -> bool:
    if not isinstance(outcome, JSON_OBJECT):
        raise OddsPayloadError(BOOK, where, f"expected an object, got {type(outcome).__name__}")
    try:
        price = price_value(outcome.get("odd_value"))
    except BadValue as bad:
        raise OddsPayloadError(BOOK, f"{where}.odd_value", bad.what) from None
    return (
        group_open
        and _flag(outcome.get("market_active"), f"{where}.market_active")
        and _flag(outcome.get("odd_active"), f"{where}.odd_active")
        and price is not None
    )


def _parse_line(
    result: EventOdds,
    market_id: int,
    specifier: str,
    members: list[tuple[int, Any]],
    where: str,
    group_open: bool,
    teams: tuple[str, str],
    sr_id: int,
    captured_at: datetime,
    keyed: set[Key],
) -> None:
    """One line of a group (its outcomes sharing a ``special_bet_value``): checked whole, then keyed."""
    if specifier == "\x00" or len(specifier) > MAX_SPECIFIER_CHARS:
        raise OddsPayloadError(BOOK, f"{where}.special_bet_value", "not a specifier")
    try:
        spec = normalise_specifier(specifier, score_handicap=market_id in SCORE_HANDICAP_MARKETS)
    except SpecifierError as error:
        raise OddsPayloadError(BOOK, f"{where}.special_bet_value", str(error)) from None
    pairs = dict(part.partition("=")[::2] for part in specifier.split("|")) if specifier else {}
    problem = parameter_problem(market_id, frozenset(pairs))
    if problem is not None:
        raise OddsPayloadError(BOOK, f"{where}.special_bet_value", problem)
    conflict = _conflict(market_id, [outcome for _i, outcome in members], specifier, teams)
    if conflict is not None:  # the names deny the ids or the line: no outcome of it is keyed
        for _member in members:
            result.set_aside(market_id, f"{BOOK.value}: {where} {specifier!r}: {conflict}")
        return
    variant = pairs.get("variant")
    definition = market_definition(market_id, variant)
    for o_index, outcome in members:
        o_where = f"{where}.odds[{o_index}]"
        try:
            is_open = _is_open(outcome, o_where, group_open)
            outcome_id = _outcome_id(outcome, o_where, variant)
            price = price_value(outcome["odd_value"])
        except _UNREADABLE as error:
            result.set_aside(market_id, _reason(o_where, error))
            continue
        if is_open:
            result.open_outcomes += 1
        if outcome_id is None or not definition.accepts(outcome_id):
            if is_open:
                result.count_unmapped(str(market_id))
            continue
        key = (market_id, spec, outcome_id)
        if key in keyed:
            result.set_aside(market_id, f"{BOOK.value}: {o_where}: the key {key} is listed twice")
            continue
        keyed.add(key)
        if is_open:
            result.count_keyed(market_id)
        state: OddsState = "open" if is_open else "suspended"
        result.rows.append(OddsRow(sr_id, BOOK, market_id, spec, outcome_id, price, state, captured_at))


def _outcome_id(outcome: Mapping[str, Any], where: str, variant: str | None) -> int | None:
    """UOF's outcome id (the number after a variant's prefix); None when it is not a number."""
    text = outcome.get("outcome_id")
    if type(text) is int:
        text = str(text)
    if not isinstance(text, str) or not text:
        raise OddsPayloadError(BOOK, f"{where}.outcome_id", f"outcome id {str(text)[:40]!r} is not text")
    problem = id_problem(text)
    if problem is not None:
        raise OddsPayloadError(BOOK, f"{where}.outcome_id", problem)
    prefix, _colon, number = text.rpartition(":")
    if (variant is not None or prefix) and prefix not in ("", variant):
        what = f"outcome {text[:60]!r} is not of the line's variant {str(variant)[:60]!r}"
        raise OddsPayloadError(BOOK, f"{where}.outcome_id", what)
    name = outcome.get("odd_key")
    if name is not None and not isinstance(name, str):
        raise OddsPayloadError(BOOK, f"{where}.odd_key", f"name is {type(name).__name__}, not text")
    if isinstance(name, str) and overlong(name, "outcome name") is not None:
        raise OddsPayloadError(BOOK, f"{where}.odd_key", str(overlong(name, "outcome name")))
    return int(number) if number.isascii() and number.isdigit() and len(number) < 12 else None


def _conflict(market_id: int, outcomes: list[Any], specifier: str, teams: tuple[str, str]) -> str | None:
    """Why the line's names deny its specifier or an outcome's id; None when they agree or say nothing."""
    home, away = teams
    names = [o.get("odd_key") for o in outcomes if isinstance(o, JSON_OBJECT)]
    texts = [n for n in names if isinstance(n, str) and overlong(n, "outcome name") is None]
    fields = specifier_fields(specifier) if ("total=" in specifier or "hcp=" in specifier) else {}
    if fields:
        found = check_names(fields, texts, home=home, away=away, where=f"specifier {specifier!r}: ")
        if found is not None:
            return found.reason
    pairs = ((o.get("outcome_id"), o.get("odd_key")) for o in outcomes if isinstance(o, JSON_OBJECT))
    return ids_denied(market_id, pairs, home, away)
