"""Small helpers shared by the odds parsers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from operator import itemgetter
from typing import Any

from palimpsest_pipeline.books.odds_errors import OddsPayloadError
from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.books.payload import describe
from palimpsest_pipeline.markets.free_text import MAX_NAME_LENGTH, overlong
from palimpsest_pipeline.markets.grammar.description import Unreadable
from palimpsest_pipeline.markets.keying.records import MarketRecord, MarketShape, Plan, Why
from palimpsest_pipeline.markets.players import RosterPlayer
from palimpsest_pipeline.records import MAX_ID_CHARS, Book


def require_mapping(book: Book, value: Any, where: str) -> Mapping[str, Any]:
    if type(value) is not dict and not isinstance(value, Mapping):  # a dict (JSON's) spares the ABC's check
        raise OddsPayloadError(book, where, f"expected an object, got {type(value).__name__}")
    return value


def shape_text(value: Any) -> str | None:
    """Text as a market shape keeps it (a str subclass as plain text), any other value as None."""
    return value if type(value) is str else str(value) if isinstance(value, str) else None


def require_list(book: Book, value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise OddsPayloadError(book, where, f"expected a list, got {type(value).__name__}")
    return value


class BadValue(ValueError):
    """A value a parser cannot read, raised before the caller says where: the hot loops never format a
    location for an outcome read well. ``what`` is the reason, worded as ``OddsPayloadError``'s."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


def note_unreadable_texts(
    book: Book, result: EventOdds, node: Mapping[str, Any], names: tuple[str, ...], where: str
) -> None:
    """Note in ``result`` each field of ``names`` that ``node`` holds but not as text (an event's teams or
    sport): the parser reads such a field as unknown, so what depends on it goes unkeyed; the reason says
    why, and the event's stored prices are left open (``EventOdds.unread_everything``)."""
    reasons = [
        str(OddsPayloadError(book, f"{where}.{name}", f"{str(value)[:40]!r} is not text"))
        for name in names
        if (value := node.get(name)) is not None and type(value) is not str
    ]
    result.malformed.extend(reasons)
    if reasons:
        result.unread_everything()


def id_problem(value: Any) -> str | None:
    """Why a market or outcome id is refused, or None: past ``MAX_ID_CHARS`` (an error page or a
    concatenation, which would be stored as an unmapped market), or neither text nor a whole number."""
    kind = type(value)  # the usual ids first: this runs per market and outcome
    if kind is str:
        return None if len(value) <= MAX_ID_CHARS else _too_long(value)
    if kind is int or value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        return f"id is {type(value).__name__}, not text"
    return _too_long(value) if isinstance(value, str) and len(value) > MAX_ID_CHARS else None


def outcome_problem(ref: Any, name: Any, ref_at: str, name_at: str) -> tuple[str, str] | None:
    """(where, why) an outcome's id (non-empty text) or name (text, or none) is refused, or None; ``ref_at``
    and ``name_at`` name the two fields."""
    if not isinstance(ref, str) or not ref:
        return ref_at, f"outcome id {str(ref)[:40]!r} is not text"
    refused = id_problem(ref)
    if refused is not None:
        return ref_at, refused
    if name is not None and not isinstance(name, str):
        return name_at, f"name is {type(name).__name__}, not text"
    if isinstance(name, str) and (long := overlong(name, "outcome name")) is not None:
        return name_at, long
    return None


def _too_long(value: str) -> str:
    return f"id is {len(value)} characters (limit {MAX_ID_CHARS}): {value[:40]!r}..."


def check_key(book: Book, value: Any, where: str) -> None:
    """Raise ``OddsPayloadError`` at ``where`` for an id :func:`id_problem` refuses."""
    problem = id_problem(value)
    if problem is not None:
        raise OddsPayloadError(book, where, problem)


_INFINITY = float("inf")


def price_value(value: Any) -> float | None:
    """A decimal price from a string or number; None when it is not a price (<= 1, as books mark closed).
    Raises :class:`BadValue` for anything else (the caller names where)."""
    kind = type(value)  # what books send, str or float, is read without the checks below
    if kind is not str and kind is not float and (isinstance(value, bool) or value is None):
        raise BadValue(f"price is {value!r}, not a number")
    try:
        price = float(value)
    except (TypeError, ValueError, OverflowError):  # OverflowError: a whole number past a float's range
        shown = repr(value) if kind is str else describe(value)
        raise BadValue(f"price {shown} is not a number") from None
    if price != price or price == _INFINITY:
        raise BadValue(f"price is {price}, not a number")
    return price if price > 1.0 else None


def without_nuls(value: Any, path: str = "$") -> tuple[Any, list[str]]:
    """``value`` with every NUL removed from its strings and keys, and the JSON paths they were at: Postgres
    text cannot hold one, and left in it would turn "60100" into an unknown market; ``value`` itself without
    any."""
    found: list[str] = []
    cleaned = _strip(value, path, found)
    return (cleaned, found) if found else (value, found)


def _strip(value: Any, path: str, found: list[str]) -> Any:
    if isinstance(value, str):
        if "\x00" in value:
            found.append(path)
            return value.replace("\x00", "")
        return value
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            clean_key = key
            if isinstance(key, str) and "\x00" in key:
                clean_key = key.replace("\x00", "")
                found.append(f"{path}.{clean_key} (key)")
            out[clean_key] = _strip(item, f"{path}.{clean_key}", found)
        return out
    if isinstance(value, list):
        return [_strip(item, f"{path}[{i}]", found) for i, item in enumerate(value)]
    return value


def usual_outcomes(outcomes: list[Any], fields: itemgetter[Any]) -> tuple[tuple[Any, ...], ...] | None:
    """(ids, names, prices, actives) of a market whose every outcome is the usual one, read in one pass in C
    where it can be: ``fields`` reads (id, name, price, flag) of an outcome: a text id and name within their
    caps, a price in text (None where not > 1), a flag 0 or 1. None for any other market, which the book
    reads outcome by outcome (with its reasons)."""
    refs, names, prices, actives = [], [], [], []
    try:
        for outcome in outcomes:
            ref, name, odds, flag = fields(outcome)
            if (
                type(ref) is not str
                or type(name) is not str
                or type(odds) is not str
                or type(flag) is not int
                or not 0 < len(ref) <= MAX_ID_CHARS
                or len(name) > MAX_NAME_LENGTH
                or (flag != 0 and flag != 1)
            ):
                return None
            price = float(odds)
            if not price < _INFINITY:  # not a number, or infinite
                return None
            refs.append(ref)
            names.append(name)
            prices.append(price if price > 1.0 else None)
            actives.append(flag == 1)
    except (KeyError, TypeError, ValueError):  # an outcome lacking a field, not an object, a price no number
        return None
    return tuple(refs), tuple(names), tuple(prices), tuple(actives)


#: A shape and a record built in C (their ``__new__`` is a Python call), from a tuple of every field.
SHAPE = partial(tuple.__new__, MarketShape)
RECORD = partial(tuple.__new__, MarketRecord)


def usual_record(
    ref: Any, specifier: str, names: tuple[str | None, str | None], where: str, open_: bool, read: Any
) -> MarketRecord:
    """The record of a market whose ``outcomes`` are all the usual one (``usual_outcomes``' ``read``), built
    in C: the usual market is most of them."""
    shape = SHAPE((ref, specifier, names, (), read[0], read[1], None, (), ()))
    return RECORD((shape, where, ".outcomes", open_, read[2], read[3], None, None, True, None, None))


def outcomes_record(
    shape: MarketShape,
    where: str,
    open_: bool,
    prices: tuple[float | None, ...],
    actives: tuple[bool, ...],
    faults: tuple[str | None, ...],
    outcomes_at: str = ".outcomes",
    positions: tuple[int, ...] | None = None,
    whole: bool = True,
) -> MarketRecord:
    """The record of a market read outcome by outcome from its list at ``outcomes_at`` (``positions``: each
    outcome's index in it, where not 0, 1, 2...; not ``whole``: a part of it was set aside), built in C."""
    faulted = faults if any(faults) else None
    return RECORD((shape, where, outcomes_at, open_, prices, actives, faulted, positions, whole, None, None))


def described_plan(
    refs: Sequence[Any], read: Mapping[str, Any], label: str, roster: tuple[RosterPlayer, ...] = ()
) -> Plan:
    """Each outcome keyed as the grammar read it (``read``: by outcome id as text), one whose name it could
    not read set aside with why, else counted unkeyed; rank 1, so a UOF market keying the same bet wins."""
    found = [read.get(str(ref)) for ref in refs]
    keys = tuple(key if isinstance(key, tuple) else None for key in found)
    asides = tuple(Why("", key.reason, False) if isinstance(key, Unreadable) else None for key in found)
    return Plan(keys, label, asides=asides if any(asides) else None, rank=1, roster=roster)
