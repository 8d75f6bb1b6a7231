"""Bet9ja event detail -> one market record per market, keyed by books/bet9ja/keys.py: ``D.O`` maps each
odds key (``S_OU@2.5_O``) to its price, ``D.MK`` is the market catalogue. A market's keys are apart in
``D.O``: each outcome carries its payload position, so rows go in payload order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import partial
from itertools import repeat
from operator import itemgetter, methodcaller
from typing import Any

from palimpsest_pipeline.books.bet9ja.catalogue import sr_id_from_extid
from palimpsest_pipeline.books.bet9ja.keys import KEYER
from palimpsest_pipeline.books.odds_errors import OddsPayloadError
from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.books.odds_values import BadValue, id_problem, price_value, require_mapping
from palimpsest_pipeline.markets.grammar import bet9ja as catalogue_reading
from palimpsest_pipeline.markets.grammar.description import Unreadable
from palimpsest_pipeline.markets.grammar.walk import JSON_OBJECT
from palimpsest_pipeline.markets.keying.engine import key_event
from palimpsest_pipeline.markets.keying.records import Facts, MarketRecord, MarketShape
from palimpsest_pipeline.records import MAX_ID_CHARS, Book

BOOK = Book.BET9JA
#: The keyer reads no fact of the event: its plans are shared by every event.
_FACTS = Facts(None, "", "")
#: A shape and a record built in C (their ``__new__`` is a Python call).
_SHAPE = partial(tuple.__new__, MarketShape)
_RECORD = partial(tuple.__new__, MarketRecord)
_SPORTS = catalogue_reading.SPORTS
_FIRST = itemgetter(0)
#: An in-play value: ``{"v": price}``.
_IN_PLAY = methodcaller("get", "v")
_INFINITY = float("inf")


def parse_odds(payload: Mapping[str, Any], *, sr_id: int, captured_at: datetime) -> EventOdds:
    """Parse one ``GetEvent`` payload (the envelope or its ``D``) of match ``sr_id`` into canonical rows; an
    odds key or value that cannot be read is set aside (``EventOdds.set_aside``) and the rest parsed."""
    require_mapping(BOOK, payload, "payload")
    body = _body(payload)
    _check_match(body, sr_id)
    odds = require_mapping(BOOK, body["O"], "D.O")
    result = EventOdds()
    records, spoiled = _records(odds, _catalogue_of(payload))
    if spoiled:  # a key or value set aside: on a line no one can name
        result.unread_everything()
    key_event(KEYER, _FACTS, records, result, sr_id=sr_id, captured_at=captured_at)
    return result


def _body(payload: Mapping[str, Any]) -> Mapping[str, Any]:
    body = payload
    if "O" not in body and "D" in body:
        if body.get("R", "OK") != "OK":
            raise OddsPayloadError(BOOK, "R", f"error envelope R={body.get('R')!r}")
        body = require_mapping(BOOK, body["D"], "D")
    if "O" not in body:
        raise OddsPayloadError(BOOK, "D", "no 'O' odds dict (is this a GetEvent payload?)")
    return body


def _check_match(body: Mapping[str, Any], sr_id: int) -> None:
    """The payload must be the match asked for: each ``EXTID`` it carries (``D``, in play ``D.A`` and
    ``D.AA``) names the SR id (none readable: not checked)."""
    for where, holder in (("D", body), ("D.A", body.get("A")), ("D.AA", body.get("AA"))):
        extid = holder.get("EXTID") if isinstance(holder, Mapping) else None
        named = sr_id_from_extid(extid)
        if named is not None and named != sr_id:
            raise OddsPayloadError(BOOK, f"{where}.EXTID", f"{str(extid)[:60]!r} is not match {sr_id}")


def _catalogue_of(payload: Mapping[str, Any]) -> Any:
    """The event's market catalogue (``D.MK``: names and outcome labels), or None when it has none."""
    body = payload.get("D") if isinstance(payload.get("D"), Mapping) else payload
    return body.get("MK") if isinstance(body, JSON_OBJECT) else None


def _records(odds: Mapping[str, Any], catalogue: Any) -> tuple[list[MarketRecord], bool]:
    """One record per market, in payload order of its first key (a key set aside stays in it: the grammar
    reads a line whole), a key that names no market a record of its own; and whether a key or value was set
    aside. A market's ``names`` are its catalogue entry's (or the prematch market's, for an in-play key)."""
    keys, prices, faults = _values(odds)
    markets: dict[str, list[int]] = {}  # market ("S_OU") -> its keys' payload positions
    heads = map(_FIRST, map(str.rpartition, keys, repeat("_")))  # "S_OU@2.5" of "S_OU@2.5_O"
    for position, market in enumerate(map(_FIRST, map(str.partition, heads, repeat("@")))):
        positions = markets.get(market)
        if positions is None:
            markets[market] = [position]
        else:
            positions.append(position)
    try:
        entries, lost = catalogue_reading.read_catalogue(catalogue)
    except (KeyError, TypeError, ValueError, AttributeError) as error:  # the table reads, the rest is aside
        lost = Unreadable(f"the market catalogue D.MK could not be read: {error!r}"[:200])
        entries = dict.fromkeys(markets, lost)
    records: list[MarketRecord] = []
    for market, positions in markets.items():
        prefix, _, name = market.partition("_")
        if not (prefix in _SPORTS and name):
            records.extend(
                _record(keys[at].partition("@")[0], (), [at], keys, prices, faults) for at in positions
            )
            continue
        named = entries.get(market) or entries.get("S_" + name)
        if named is None and lost is not None:
            named = Unreadable(f"{market}: no published name, and {lost.reason}")
        names = (None,) if named is None else (None, named.reason) if isinstance(named, Unreadable) else named
        records.append(_record(market, names, positions, keys, prices, faults))
    return records, faults is not None


def _values(odds: Mapping[str, Any]) -> tuple[list[str], Sequence[float | None], list[str | None] | None]:
    """Each odds key as text, its price, and why it or its value is set aside (None when none is): the usual
    payload read in C, any other key by key."""
    keys, values = list(odds), list(odds.values())
    try:
        if values and type(values[0]) is not str:
            values = list(map(_IN_PLAY, values))
        if set(map(type, keys)) == {str} == set(map(type, values)) and max(map(len, keys)) <= MAX_ID_CHARS:
            read = list(map(float, values))  # as ``price_value`` reads text
            total = sum(read)
            if total == total and total != _INFINITY:  # no NaN, no infinity
                if min(read) > 1.0:
                    return keys, read, None
                return keys, [price if price > 1.0 else None for price in read], None
    except (AttributeError, ValueError):
        pass
    texts, prices, faults = [], [], []
    for key, raw in odds.items():
        value = raw if type(raw) is str else raw.get("v") if isinstance(raw, JSON_OBJECT) else raw
        problem = None if type(key) is str and len(key) <= MAX_ID_CHARS else id_problem(key)
        price = fault = None
        if problem is None:
            try:
                price = price_value(value)
            except BadValue as bad:
                fault = str(OddsPayloadError(BOOK, f"D.O[{key!r}]", bad.what))
        else:
            fault = str(OddsPayloadError(BOOK, "D.O key", problem))
        texts.append(key if type(key) is str else str(key))
        prices.append(price)
        faults.append(fault)
    return texts, prices, None if faults.count(None) == len(faults) else faults


def _record(
    ref: str,
    names: tuple[str | None, ...],
    positions: list[int],
    keys: list[str],
    prices: Sequence[float | None],
    faults: list[str | None] | None,
) -> MarketRecord:
    """The record of the keys at ``positions``; a key set aside is counted under its market ("S_OU" of
    "S_OU@2.5_O") or, without a line, itself."""
    count = len(positions)
    pick = itemgetter(*positions)
    refs, read = (pick(keys), pick(prices)) if count > 1 else ((keys[positions[0]],), (prices[positions[0]],))
    shape = _SHAPE((ref, "", names, (), refs, (None,) * count, None, (), ()))
    wrong = None if faults is None else tuple(map(faults.__getitem__, positions))
    if wrong is not None and wrong.count(None) == count:
        wrong = None
    asides: tuple[str, ...] | None = refs  # a key without a line is counted under itself
    if all(map(str.startswith, refs, repeat(ref + "@"))):
        asides = None  # under ``ref``
    elif "@" in "".join(refs):
        asides = tuple(map(_FIRST, map(str.partition, refs, repeat("@"))))
    return _RECORD((shape, "D", ".O", True, read, (True,) * count, wrong, refs, True, positions, asides))
