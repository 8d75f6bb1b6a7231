"""Bet9ja event detail -> one market record per market, keyed by books/bet9ja/keys.py: ``D.O`` maps each
odds key (``S_OU@2.5_O``) to its price, ``D.MK`` is the market catalogue. A market's keys are apart in
``D.O``: each outcome carries its payload position, so rows go in payload order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from itertools import chain, compress, count, repeat
from operator import itemgetter, methodcaller, ne
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
#: Shapes and records built in C (their ``__new__`` is a Python call).
_NEW = tuple.__new__
#: A market's sport prefix ("S_"), which names no market by itself.
_SPORTS = tuple(f"{prefix}_" for prefix in catalogue_reading.SPORTS)
_FIRST = itemgetter(0)
#: An in-play value: ``{"v": price}``.
_IN_PLAY = methodcaller("get", "v")
_INFINITY = float("inf")
#: The separators a key is cut at, endlessly (shared: a ``repeat`` made per market costs a call's arguments).
_UNDERSCORES, _ATS = repeat("_"), repeat("@")


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
    heads = list(map(_FIRST, map(str.rpartition, keys, _UNDERSCORES)))  # "S_OU@2.5" of "S_OU@2.5_O"
    starts = list(compress(count(), map(ne, heads, [None, *heads])))  # where each line's keys start
    lines = map(str.partition, map(heads.__getitem__, starts), _ATS)  # ("S_OU", "@", "2.5")
    spans: dict[str, list[int]] = {}  # market -> (start, end) of each run of its keys, in payload order
    unlined = set()  # markets with a key on no line
    for start, end, (market, at, _) in zip(starts, [*starts[1:], len(keys)], lines, strict=False):
        if not at:
            unlined.add(market)
        known = spans.get(market)
        if known is None:
            spans[market] = [start, end]
        elif known[-1] == start:
            known[-1] = end
        else:
            known += (start, end)
    try:
        entries, lost = catalogue_reading.read_catalogue(catalogue)
    except (KeyError, TypeError, ValueError, AttributeError) as error:  # the table reads, the rest is aside
        lost = Unreadable(f"the market catalogue D.MK could not be read: {error!r}"[:200])
        entries = dict.fromkeys(spans, lost)
    records: list[MarketRecord] = []
    for market, known in spans.items():
        first, end = known[0], known[-1]
        positions: Sequence[int] = range(first, end)
        refs, read = keys[first:end], prices[first:end]
        if len(known) > 2:  # its keys apart in the payload
            positions = list(chain.from_iterable(map(range, known[::2], known[1::2])))
            refs, read = tuple(map(keys.__getitem__, positions)), tuple(map(prices.__getitem__, positions))
        wrong = None if faults is None else tuple(map(faults.__getitem__, positions))
        if not market.startswith(_SPORTS) or market in _SPORTS:  # no market: each key a record, under itself
            for place, ref, price in zip(positions, refs, read, strict=True):
                shape = _NEW(MarketShape, (ref.partition("@")[0], "", (), (), (ref,), (None,), None, (), ()))
                fault = None if faults is None or faults[place] is None else (faults[place],)
                alone = (shape, "D", ".O", True, (price,), (True,), fault, (ref,), True, (place,), None)
                records.append(_NEW(MarketRecord, alone))
            continue
        named = entries.get(market) or entries.get("S_" + market.partition("_")[2])
        if named is None and lost is not None:
            named = Unreadable(f"{market}: no published name, and {lost.reason}")
        names = (None,) if named is None else (None, named.reason) if isinstance(named, Unreadable) else named
        asides = refs if market in unlined else None  # a key without a line is counted under itself
        if asides and "@" in "".join(refs):  # the others under their market
            asides = tuple(map(_FIRST, map(str.partition, refs, _ATS)))
        size = len(refs)
        if wrong is not None and wrong.count(None) == size:
            wrong = None
        shape = _NEW(MarketShape, (market, "", names, (), refs, (None,) * size, None, (), ()))
        record = (shape, "D", ".O", True, read, (True,) * size, wrong, refs, True, positions, asides)
        records.append(_NEW(MarketRecord, record))
    return records, faults is not None


def _values(odds: Mapping[str, Any]) -> tuple[tuple[str, ...], tuple[float | None, ...], list[Any] | None]:
    """Each odds key as text, its price, and why it or its value is set aside (None when none is): the usual
    payload read in C, any other key by key."""
    keys, values = tuple(odds), list(odds.values())
    try:
        if values and type(values[0]) is not str:
            values = list(map(_IN_PLAY, values))
        # text only (joining any other key or value raises TypeError), no key past the cap
        if "".join(keys) + "".join(values) and max(map(len, keys)) <= MAX_ID_CHARS:
            read = tuple(map(float, values))  # as ``price_value`` reads text
            total = sum(read)
            if total == total and total != _INFINITY:  # no NaN, no infinity
                return keys, read if min(read) > 1.0 else tuple([p if p > 1.0 else None for p in read]), None
    except (AttributeError, TypeError, ValueError):
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
    return tuple(texts), tuple(prices), None if faults.count(None) == len(faults) else faults
