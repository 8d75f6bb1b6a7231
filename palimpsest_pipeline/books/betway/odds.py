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
from operator import itemgetter
from typing import Any

from palimpsest_pipeline.books.betway.keys import BETWAY, read_market_id
from palimpsest_pipeline.books.betway.prices import UNUSUAL, Prices
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
_READ_OUTCOME = itemgetter(*_OUTCOME_FIELDS)
#: A listed market's fields read (``_Answer._listed``).
_MARKET_FIELDS = ("eventId", "subscriptionId", "isActive", "isSuspended", "name", "displayName", "handicap")
_READ_MARKET = itemgetter(*_MARKET_FIELDS)
#: A market id after the event's, as ``keys.read_market_id`` reads it: its number, then ``key=value~`` pairs.
_MARKET_ID = re.compile(r"([0-9]+)(?:_*[A-Za-z][A-Za-z_]*=[^~]*~)*")


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
        self.markets: dict[str, Mapping[str, Any]] = {}
        twice_listed: set[str] = set()
        for index, market in enumerate(markets):
            market_id = market.get("marketId") if isinstance(market, JSON_OBJECT) else None
            if not isinstance(market_id, str) or id_problem(market_id) is not None:
                reason = f"{BOOK.value}: marketsInGroup[{index}]: no readable marketId"
                self.asides.append(Aside(market_id, reason))
            elif market_id in self.markets or market_id in twice_listed:
                # listed twice: neither is trusted, so its outcomes find no market and are set aside
                twice_listed.add(market_id)
                self.markets.pop(market_id, None)
            else:
                self.markets[market_id] = market
        self.prices = Prices(BOOK, prices)
        #: the price of an outcome none prices: closed, unless a price names no outcome (then read whole)
        self.missing = UNUSUAL if self.prices.unmatched else None

    def records(self, outcomes: list[Any]) -> Iterator[MarketRecord | Aside]:
        """The asides of the markets and outcomes no market line can hold, then each line's record (or
        asides), in the order its first outcome is listed."""
        groups = self._groups(outcomes)
        yield from self.asides
        moved: list[Aside] = []
        self.asides = moved  # what ``_line`` sets aside, said before its line's record
        for group, (indexes, fields) in groups.items():
            try:
                record = self._line(group, indexes, fields)
            except UNREADABLE as error:
                reason = _reason(f"market {group[:60]!r}", error)
                moved += [Aside(group, reason)] * len(indexes)
                record = None
            if moved:
                yield from moved
                moved.clear()
            if record is not None:
                yield record

    def _groups(self, outcomes: list[Any]) -> dict[str, tuple[list[int], list[tuple[Any, ...]]]]:
        """Outcomes by the market line they are of (``originalMarketId``, else ``marketId``): their indexes
        and their ``_OUTCOME_FIELDS``."""
        groups: dict[str, tuple[list[int], list[tuple[Any, ...]]]] = {}
        read = _READ_OUTCOME
        for index, outcome in enumerate(outcomes):
            try:
                fields = read(outcome)
            except KeyError:  # an object lacking a field: None
                fields = tuple(map(outcome.get, _OUTCOME_FIELDS))
            except (TypeError, IndexError):  # not an object
                fields = (None,) * len(_OUTCOME_FIELDS)
            group = fields[0] or fields[1]
            if not isinstance(group, str) or len(group) > MAX_ID_CHARS:
                reason = f"{BOOK.value}: outcomes[{index}]: no readable marketId"
                self.asides.append(Aside(group, reason))
                continue
            listed = groups.get(group)
            if listed is None:
                listed = groups[group] = ([], [])
            listed[0].append(index)
            listed[1].append(fields)
        return groups

    def _line(self, group: str, indexes: list[int], fields: list[tuple[Any, ...]]) -> MarketRecord:
        """One market line's record: an outcome naming another parent than its line's others is set aside
        (``asides``), and the line's markets (its parent and its own, where listed) must be this event's."""
        event = self.event
        found = _MARKET_ID.fullmatch(group, len(event)) if group.startswith(event) else None
        number = int(found[1]) if found is not None else read_market_id(group, event).number
        parent_id = fields[0][1]
        read = self._usual(group, parent_id, fields) if type(parent_id) is str else None
        whole = True
        if read is None:
            parent_id = Counter(str(field[1]) for field in fields).most_common(1)[0][0]
            kept = [str(field[1]) == parent_id for field in fields]
            for index, keep in zip(indexes, kept, strict=True):
                if not keep:
                    whole = False
                    reason = f"{BOOK.value}: outcomes[{index}]: marketId is not its market's"
                    self.asides.append(Aside(group, reason))
            indexes = [index for index, keep in zip(indexes, kept, strict=True) if keep]
            fields = [field for field, keep in zip(fields, kept, strict=True) if keep]
        market_open, names, lines = self._listed(group, parent_id, number)
        if read is None:
            read = self._unusual(group, indexes, fields)
        refs, outcome_names, outcome_lines, prices, actives, faults = read
        ref = group[len(event) :]
        specifier = ref.lstrip("0123456789")  # "total=0.5~", after the market's number
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
        """(open, names, lines) of a line's markets, its parent and its own where listed (the names and
        lines its own, else its parent's); raises naming the first that is not listed, not this event's,
        not of the id's market number, or whose flag is neither true nor false (nor absent)."""
        parent = self.markets.get(parent_id)
        if parent is None or not group.startswith(parent_id):
            raise ValueError(f"parent market {str(parent_id)[:60]!r} is not listed or not its parent")
        own = self.markets.get(group)
        listed = (parent,) if own is None or own is parent else (parent, own)
        reads = tuple(map(_market_fields, listed))
        for event_id, subscription, _active, _suspended, _name, _shown, _handicap in reads:
            if event_id != self.sr_id:
                raise ValueError(f"market eventId {str(event_id)[:40]!r} is not {self.sr_id}")
            if subscription is not None and subscription != number:
                raise ValueError(f"subscriptionId {str(subscription)[:40]} is not the id's market {number}")
        market_open = True
        for _event_id, _subscription, active, suspended, _name, _shown, _handicap in reads:
            if type(active) is not bool or type(suspended) is not bool:
                _check_flags(active, suspended)
            market_open = market_open and active is True and suspended is False
        _event_id, _subscription, _active, _suspended, name, shown, handicap = reads[-1]
        lines = (("handicap", _number(handicap)),) if own is not None else ()
        return market_open, (shape_text(name), shape_text(shown)), lines

    def _usual(self, group: str, parent_id: str, fields: list[tuple[Any, ...]]) -> tuple[Any, ...] | None:
        """The line's columns, read in one pass when every outcome is the usual one; None for any other line,
        which is read outcome by outcome."""
        width = len(group)
        refs, prices, lines = [], [], []
        get, missing = self.prices.decimals.get, self.missing
        for _line, parent, outcome_id, name, sbv, trading, handicap in fields:
            if (
                parent != parent_id
                or type(outcome_id) is not str
                or not 0 < len(outcome_id) - width < 12
                or len(outcome_id) > MAX_ID_CHARS
                or not outcome_id.startswith(group)
                or type(name) is not str
                or len(name) > MAX_NAME_LENGTH
                or type(trading) is not bool
                or (sbv is not None and type(sbv) is not str)
                or (handicap is not None and type(handicap) is not int and type(handicap) is not float)
            ):
                return None
            number = outcome_id[width:]
            decimal = get(outcome_id, missing)
            if decimal is UNUSUAL or not number.isdigit() or not number.isascii():
                return None
            refs.append(number)
            prices.append(decimal)
            lines.append((("sbv", sbv), ("handicap", handicap)))
        _lines, _parents, _ids, names, _sbvs, tradings, _handicaps = zip(*fields, strict=True)
        return tuple(refs), names, tuple(lines), tuple(prices), tradings, None

    def _unusual(self, group: str, indexes: list[int], fields: list[tuple[Any, ...]]) -> tuple[Any, ...]:
        """The line's columns read outcome by outcome, with each outcome's reason to be set aside."""
        each = [self._outcome(group, index, field) for index, field in zip(indexes, fields, strict=True)]
        refs, names, lines, prices, actives, faults = zip(*each, strict=True)  # a line has an outcome
        return refs, names, lines, prices, actives, faults if any(faults) else None

    def _outcome(self, group: str, index: int, fields: tuple[Any, ...]) -> tuple[Any, ...]:
        """One outcome's columns (id, name, lines, price, whether active, why it is set aside or None)."""
        _line, _parent, outcome_id, name, sbv, trading, handicap = fields
        number = _suffix(outcome_id, group)
        read = number, shape_text(name), (("sbv", shape_text(sbv)), ("handicap", _number(handicap)))
        try:
            return *read, self._read(group, outcome_id, number, name, trading), trading is True, None
        except UNREADABLE as error:
            return *read, None, False, _reason(f"outcomes[{index}]", error)

    def _read(self, group: str, outcome_id: Any, number: str | None, name: Any, trading: Any) -> float | None:
        """An outcome's price (None: closed or not priced); raises naming its first field that does not
        read: its id, name, flag, then its price (checked against its fraction)."""
        if not isinstance(outcome_id, str) or not outcome_id.startswith(group):
            raise ValueError(f"outcome id {str(outcome_id)[:60]!r} is not of market {group[:60]!r}")
        problem = id_problem(outcome_id)
        if problem is not None:
            raise ValueError(problem)
        if number is None:
            raise ValueError(f"outcome id {outcome_id[:60]!r} does not end in an outcome number")
        if name is not None and (not isinstance(name, str) or overlong(name, "outcome name")):
            raise ValueError(overlong(str(name), "outcome name") or f"outcome name is {type(name).__name__}")
        if not isinstance(trading, bool):
            raise ValueError(f"isTradingActive is {str(trading)[:40]!r}, not true or false")
        return self.prices.read(outcome_id)


def _market_fields(market: Mapping[str, Any]) -> tuple[Any, ...]:
    try:
        return _READ_MARKET(market)
    except KeyError:  # a field absent: None
        return tuple(map(market.get, _MARKET_FIELDS))


def _check_flags(active: Any, suspended: Any) -> None:
    """Raise naming a flag that is neither true nor false (nor absent): whether the market is open is not
    guessed."""
    for flag, value in (("isActive", active), ("isSuspended", suspended)):
        if value is not None and type(value) is not bool:
            raise ValueError(f"{flag} {str(value)[:40]!r} is not true or false")


def _suffix(outcome_id: Any, group: str) -> str | None:
    """The UOF outcome number ending an outcome id, in digits (None when it does not read: the outcome says
    why)."""
    if not isinstance(outcome_id, str) or not outcome_id.startswith(group):
        return None
    tail = str(outcome_id[len(group) :])
    return tail if tail.isascii() and tail.isdigit() and len(tail) < 12 else None


def _number(value: Any) -> Any:
    """A ``handicap`` as the shape keeps it: a number or None as it is, any other value as its text (which
    the lines' check names: it is no number)."""
    if value is None or type(value) is int or type(value) is float:
        return value
    return str(value)[:40]
