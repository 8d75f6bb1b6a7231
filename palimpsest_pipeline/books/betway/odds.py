"""Betway ``MarketGroupNamesAndMarketsForEvent`` -> market records, keyed by Betway's keyer (betway/keys.py):
three arrays joined by id (../shared/PLATFORMS.md), one record per market line (a "squashed" market lists its
lines' outcomes under itself). Tradeable: market ``isActive`` and not ``isSuspended``, outcome
``isTradingActive``, price > 1.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping
from datetime import datetime
from itertools import compress, product, repeat
from operator import is_, itemgetter
from typing import Any

from palimpsest_pipeline.books.betway.keys import BETWAY, read_market_id
from palimpsest_pipeline.books.betway.prices import UNUSUAL, Prices, reader
from palimpsest_pipeline.books.odds_errors import UNREADABLE, OddsPayloadError
from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.books.odds_values import (
    RECORD,
    SHAPE,
    BadValue,
    id_problem,
    note_unreadable_texts,
    require_list,
    require_mapping,
    shape_text,
)
from palimpsest_pipeline.markets.free_text import MAX_NAME_LENGTH, overlong
from palimpsest_pipeline.markets.grammar.walk import JSON_OBJECT
from palimpsest_pipeline.markets.keying.engine import key_event
from palimpsest_pipeline.markets.keying.records import Aside, Facts, MarketRecord
from palimpsest_pipeline.markets.uof_outcome_names import sides_named
from palimpsest_pipeline.records import MAX_ID_CHARS, Book

BOOK = Book.BETWAY
SPORTS = {"soccer": "football", "basketball": "basketball", "tennis": "tennis"}
#: The match's fields read as text (a value of another type is noted: ``note_unreadable_texts``).
_EVENT_TEXTS = ("homeTeam", "awayTeam", "sportId")
#: An outcome's fields, read in one call; an outcome lacking one is read field by field, a missing one None.
_OUTCOME_FIELDS = ("originalMarketId", "marketId", "outcomeId", "name", "sbv", "isTradingActive", "handicap")
#: The types read in one pass: an outcome's (marketId, outcomeId, name, isTradingActive, sbv, handicap), a
#: market's (isActive, isSuspended, name, displayName, handicap).
_USUAL = frozenset(product([str], [str], [str], [bool], [str, type(None)], [int, float, type(None)]))
_VIEWED = frozenset(product([bool], [bool], [str], [str], [int, float, type(None)]))
#: A listed market's fields, after its id (``_Answer.markets``).
_MARKET_FIELDS = ("eventId", "subscriptionId", "isActive", "isSuspended", "name", "displayName", "handicap")
_LISTED_FIELDS = ("marketId", *_MARKET_FIELDS)
#: The names of an outcome's lines, endlessly (shared: a ``repeat`` made per market costs a call's arguments).
_SBVS, _HANDICAPS = repeat("sbv"), repeat("handicap")
#: A specifier as ``keys.read_market_id`` reads it: ``key=value~`` pairs.
_SPECIFIER = re.compile(r"(?:_*[A-Za-z][A-Za-z_]*=[^~]*~)*")


def parse_odds(payload: Mapping[str, Any], *, sr_id: int, captured_at: datetime) -> EventOdds:
    """Parse one markets answer into canonical rows; a market or outcome that cannot be read is set aside
    (``EventOdds.set_aside``) and the rest parsed."""
    require_mapping(BOOK, payload, "payload")
    markets = require_list(BOOK, payload.get("marketsInGroup"), "marketsInGroup")
    outcomes = require_list(BOOK, payload.get("outcomes"), "outcomes")
    prices = require_list(BOOK, payload.get("prices"), "prices")
    event = payload.get("sportEvent")
    home, away, sport = _event(event, markets, sr_id)
    result = EventOdds()
    if isinstance(event, JSON_OBJECT):
        note_unreadable_texts(BOOK, result, event, _EVENT_TEXTS, "sportEvent")
    answer = _Answer(sr_id, markets, prices)
    records = answer.records(outcomes)
    facts = Facts(sport, home, away)
    key_event(BETWAY, facts, records, result, sr_id=sr_id, captured_at=captured_at, sides=sides_named)
    return result


def _reason(where: str, error: Exception) -> str:
    if isinstance(error, OddsPayloadError):
        return str(error)
    what = error.what if isinstance(error, BadValue) else str(error)
    return f"{BOOK.value}: {where}: {what[:240]}"


def _event(event: Any, markets: list[Any], sr_id: int) -> tuple[str, str, str | None]:
    """(home, away, sport) of the match; raises when the payload is another match's. Without a readable
    ``sportEvent`` (the basketball and tennis captures have none) the teams are read from the names, and
    each market's own ``eventId`` still says whose it is."""
    if not isinstance(event, JSON_OBJECT):
        home, away = _teams_from_names(markets)
        return home, away, None
    if event.get("eventId") != sr_id:
        raise OddsPayloadError(
            BOOK, "sportEvent.eventId", f"{str(event.get('eventId'))[:40]!r} is not {sr_id}"
        )
    home, away, sport = (value if isinstance(value, str) else "" for value in map(event.get, _EVENT_TEXTS))
    return home, away, SPORTS.get(sport)


def _teams_from_names(markets: list[Any]) -> tuple[str, str]:
    """The teams where the answer does not name them: "[Home Team] Total" shown as "Baskets Bonn Total"."""
    votes: tuple[Counter[str], Counter[str]] = (Counter(), Counter())
    for market in markets:
        if not isinstance(market, JSON_OBJECT):
            continue
        name, shown = market.get("name"), market.get("displayName")
        if not isinstance(name, str) or not isinstance(shown, str) or len(shown) > 200:
            continue
        for side, tag in enumerate(("[Home Team]", "[Away Team]")):
            tail = name[len(tag) :].strip().lower() if name.startswith(tag) else ""
            if tail and shown.lower().endswith(tail):
                team = shown[: len(shown) - len(tail)].rstrip(" -").strip()
                if team:
                    votes[side][team] += 1
    teams = [counts.most_common(1)[0][0] if counts else "" for counts in votes]
    return (teams[0], teams[1]) if teams[0] != teams[1] else ("", "")


class _Answer:
    """One answer: its markets and prices by id, and its outcomes read into one record per market line."""

    def __init__(self, sr_id: int, markets: list[Any], prices: list[Any]) -> None:
        self.sr_id, self.event = sr_id, str(sr_id)
        self.asides: list[Aside] = []
        #: each market listed once, its ``_LISTED_FIELDS``; ``views``: (subscriptionId, open, names, lines) of
        #: those read in one pass: this event's, flags true or false, names text, a number or no handicap
        self.markets: dict[str, tuple[Any, ...]] = {}
        self.views: dict[str, tuple[Any, ...]] = {}
        twice_listed: set[str] = set()
        read = reader(markets, _LISTED_FIELDS)
        for index, market in enumerate(markets):
            try:
                fields = read(market)
            except (KeyError, TypeError, IndexError):  # a field absent, or not an object: None
                fields = tuple(map(getattr(market, "get", lambda _key: None), _LISTED_FIELDS))
            market_id, event_id, subscription, active, suspended, name, shown, handicap = fields
            if not isinstance(market_id, str) or len(market_id) > MAX_ID_CHARS:  # ``id_problem``, for text
                reason = f"{BOOK.value}: marketsInGroup[{index}]: no readable marketId"
                self.asides.append(Aside(market_id, reason))
                continue
            if market_id in self.markets or (twice_listed and market_id in twice_listed):
                # listed twice: neither is trusted, so its outcomes find no market and are set aside
                twice_listed.add(market_id)
                self.markets.pop(market_id, None)
                self.views.pop(market_id, None)
                continue
            self.markets[market_id] = fields
            types = type(active), type(suspended), type(name), type(shown), type(handicap)
            if event_id == sr_id and types in _VIEWED:
                lines = (("handicap", handicap),)
                self.views[market_id] = (subscription, active and not suspended, (name, shown), lines)
        self.prices = Prices(BOOK, prices)
        #: the price of an outcome none prices, endlessly: closed, unless a price names no outcome (then read
        #: whole)
        self.missings = repeat(UNUSUAL if self.prices.unmatched else None)

    def records(self, outcomes: list[Any]) -> Iterator[MarketRecord | Aside]:
        """The asides of the markets and outcomes no market line can hold, then each line's record (or
        asides), in the order its first outcome is listed."""
        groups = self._groups(outcomes)
        yield from self.asides
        moved: list[Aside] = []
        self.asides = moved  # what ``_line`` sets aside, said before its line's record
        for group, listed in groups.items():
            try:
                record = self._line(group, listed[0], listed[1:])
            except UNREADABLE as error:
                reason = _reason(f"market {group[:60]!r}", error)
                moved += [Aside(group, reason)] * (len(listed) - 1)
                record = None
            if moved:
                yield from moved
                moved.clear()
            if record is not None:
                yield record

    def _groups(self, outcomes: list[Any]) -> dict[str, list[Any]]:
        """Per market line (``originalMarketId``, else ``marketId``), its first outcome's ``marketId`` then
        its outcomes' indexes (their fields in ``rows``; ``odd``: the lines with one not the usual one)."""
        try:
            rows = list(map(reader(outcomes, _OUTCOME_FIELDS), outcomes))
        except (KeyError, TypeError, IndexError):  # a field missing, or an outcome not an object: None
            rows = [tuple(map(getattr(o, "get", lambda _key: None), _OUTCOME_FIELDS)) for o in outcomes]
        self.rows = rows
        groups: dict[str, list[Any]] = {}
        self.odd: set[str] = set()
        for index, (original, parent, outcome_id, name, sbv, trading, handicap) in enumerate(rows):
            group = original or parent
            if not isinstance(group, str) or len(group) > MAX_ID_CHARS:
                self.asides.append(Aside(group, f"{BOOK.value}: outcomes[{index}]: no readable marketId"))
                continue
            listed = groups.get(group)
            if listed is None:
                listed = groups[group] = [parent]
            listed.append(index)
            types = type(parent), type(outcome_id), type(name), type(trading), type(sbv), type(handicap)
            if parent != listed[0] or types not in _USUAL or len(name) > MAX_NAME_LENGTH:
                self.odd.add(group)
        self.columns = self._columns(rows) if rows else None
        return groups

    def _columns(self, rows: list[tuple[Any, ...]]) -> tuple[tuple[Any, ...], ...] | None:
        """The outcomes' (numbers, names, lines, prices, flags) read in C, where each id is its line's then
        an outcome number of up to 11 digits, no longer than an id may be; else None."""
        originals, _parents, ids, names, sbvs, tradings, handicaps = zip(*rows)  # noqa: B905 - 7-tuples
        lines = originals if all(originals) else [original or parent for original, parent, *_ in rows]
        try:
            refs = tuple(map(str.removeprefix, ids, lines))
            digits, cut = "".join(refs), len("".join(lines))
        except TypeError:  # an id or a line that is no text
            return None
        if len("".join(ids)) != cut + len(digits) or not (digits.isdigit() and digits.isascii()):
            return None
        if max(map(len, ids)) > MAX_ID_CHARS or "" in refs or max(map(len, refs)) > 11:
            return None
        prices = tuple(map(self.prices.decimals.get, ids, self.missings))
        if UNUSUAL in prices:  # a price not read in one pass
            self.odd.update(compress(lines, map(is_, prices, repeat(UNUSUAL))))
        places = tuple(zip(zip(_SBVS, sbvs), zip(_HANDICAPS, handicaps)))  # noqa: B905 - one per outcome
        return refs, names, places, prices, tradings

    def _line(self, group: str, parent_id: Any, indexes: list[int]) -> MarketRecord:
        """One market line's record: an outcome naming another parent than its line's others is set aside
        (``asides``), and the line's markets (its parent and its own, where listed) must be this event's."""
        event = self.event
        ref = group[len(event) :]
        specifier = ref.lstrip("0123456789")  # "total=0.5~", after the market's number
        digits = ref[: len(ref) - len(specifier)]
        if digits and group.startswith(event) and (not specifier or _SPECIFIER.fullmatch(specifier)):
            number = int(digits)
        else:
            number = read_market_id(group, event).number  # raises naming what is wrong
        read = None
        if self.columns is not None and group not in self.odd:
            first = indexes[0]
            pick = itemgetter(*indexes) if len(indexes) > 1 else itemgetter(slice(first, first + 1))
            read = (*map(pick, self.columns), None)
        whole = True
        if read is None:  # read outcome by outcome
            fields = [self.rows[index] for index in indexes]
            parent_id = Counter(str(field[1]) for field in fields).most_common(1)[0][0]
            kept = [str(field[1]) == parent_id for field in fields]
            for index, keep in zip(indexes, kept, strict=True):
                if not keep:
                    whole = False
                    reason = f"{BOOK.value}: outcomes[{index}]: marketId is not its market's"
                    self.asides.append(Aside(group, reason))
            indexes = [index for index, keep in zip(indexes, kept, strict=True) if keep]
            fields = [field for field, keep in zip(fields, kept, strict=True) if keep]
        parent, own = self.views.get(parent_id), self.views.get(group)
        if parent and own and parent[0] == number == own[0] and group.startswith(parent_id):  # ``_listed``
            market_open, names, lines = parent[1] and own[1], own[2], own[3]
        else:
            market_open, names, lines = self._listed(group, parent_id, number)
        if read is None:
            read = self._unusual(group, indexes, fields)
        refs, outcome_names, outcome_lines, prices, actives, faults = read
        shape = SHAPE((ref, specifier, names, lines, refs, outcome_names, outcome_lines, (), ()))
        where = f"market {group[:60]!r}"
        positions = tuple(indexes)
        # the shape names its market by the id after the event's, so one plan keys every event; what the
        # engine sets aside is counted under the whole id
        asides = (group,) * len(indexes)
        return RECORD(
            (shape, where, " outcomes", market_open, prices, actives, faults, positions, whole, None, asides)
        )

    def _listed(self, group: str, parent_id: str, number: int) -> tuple[bool, Any, Any]:
        """(open, names, lines) of a line's parent and own market (where listed: its names and lines); raises
        naming the first not listed, not this event's or the id's number, or a flag neither true nor false."""
        parent = self.markets.get(parent_id)
        if parent is None or not group.startswith(parent_id):
            raise ValueError(f"parent market {str(parent_id)[:60]!r} is not listed or not its parent")
        own = self.markets.get(group)
        reads = (parent,) if own is None or own is parent else (parent, own)
        for _id, event_id, subscription, *_fields in reads:
            if event_id != self.sr_id:
                raise ValueError(f"market eventId {str(event_id)[:40]!r} is not {self.sr_id}")
            if subscription is not None and subscription != number:
                raise ValueError(f"subscriptionId {str(subscription)[:40]} is not the id's market {number}")
        market_open = True
        for _id, _event_id, _subscription, active, suspended, *_fields in reads:
            for flag, value in (("isActive", active), ("isSuspended", suspended)):
                if value is not None and type(value) is not bool:  # whether the market is open is not guessed
                    raise ValueError(f"{flag} {str(value)[:40]!r} is not true or false")
            market_open = market_open and active is True and suspended is False
        *_flags, name, shown, handicap = reads[-1]
        lines = (("handicap", _number(handicap)),) if own is not None else ()
        return market_open, (shape_text(name), shape_text(shown)), lines

    def _unusual(self, group: str, indexes: list[int], fields: list[tuple[Any, ...]]) -> tuple[Any, ...]:
        """The line's columns read outcome by outcome, with each outcome's reason to be set aside."""
        each = [self._outcome(group, index, field) for index, field in zip(indexes, fields, strict=True)]
        refs, names, lines, prices, actives, faults = zip(*each, strict=True)  # a line has an outcome
        return refs, names, lines, prices, actives, faults if any(faults) else None

    def _outcome(self, group: str, index: int, fields: tuple[Any, ...]) -> tuple[Any, ...]:
        """One outcome's columns (id, name, lines, price, whether active, why it is set aside or None); the
        reason names its first field that does not read: its id, name, flag, then its price."""
        _line, _parent, outcome_id, name, sbv, trading, handicap = fields
        ours = isinstance(outcome_id, str) and outcome_id.startswith(group)
        tail = outcome_id[len(group) :] if ours else ""
        number = tail if tail.isascii() and tail.isdigit() and len(tail) < 12 else None
        read = number, shape_text(name), (("sbv", shape_text(sbv)), ("handicap", _number(handicap)))
        try:
            if not ours:
                raise ValueError(f"outcome id {str(outcome_id)[:60]!r} is not of market {group[:60]!r}")
            if (problem := id_problem(outcome_id)) is not None:
                raise ValueError(problem)
            if number is None:
                raise ValueError(f"outcome id {outcome_id[:60]!r} does not end in an outcome number")
            if name is not None and (not isinstance(name, str) or overlong(name, "outcome name")):
                why = overlong(str(name), "outcome name")
                raise ValueError(why or f"outcome name is {type(name).__name__}")
            if not isinstance(trading, bool):
                raise ValueError(f"isTradingActive is {str(trading)[:40]!r}, not true or false")
            return *read, self.prices.read(outcome_id), trading is True, None
        except UNREADABLE as error:
            return *read, None, False, _reason(f"outcomes[{index}]", error)


def _number(value: Any) -> Any:
    """A ``handicap`` as the shape keeps it: a number or None as it is, any other value as its text (which
    the lines' check names: it is no number)."""
    if value is None or type(value) is int or type(value) is float:
        return value
    return str(value)[:40]
