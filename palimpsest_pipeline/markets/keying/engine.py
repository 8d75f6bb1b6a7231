"""The one keying engine: a book's market records -> its event's canonical rows and account (docs/keying.md).
The keyer plans each record's shape; the engine applies the plan to the prices and states. Plans live in one
bounded cache by (keyer, shape), each with the event facts it read (:class:`FactsRead`), so it keys again only
events on which those read the same: no hand-kept key rules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import suppress
from datetime import datetime
from typing import Any, NamedTuple, Protocol

from palimpsest_pipeline.markets.keying.records import (
    Aside,
    Facts,
    Key,
    MarketRecord,
    MarketShape,
    Plan,
    Twice,
    Why,
)
from palimpsest_pipeline.markets.players import RosterPlayer
from palimpsest_pipeline.records import Book, OddsRow

#: Plans kept; past it the cache starts again, so a stream of odd markets cannot grow it.
MAX_PLANS = 32_768
_STATES = ("suspended", "open")
#: What a keyer's reading of a hostile shape can raise.
_UNREADABLE = (KeyError, TypeError, ValueError, AttributeError)


class Account(Protocol):
    """What the engine fills (``books.odds_parse.EventOdds``)."""

    rows: list[OddsRow]
    open_outcomes: int
    unmapped: dict[str, int]
    malformed: list[str]
    roster: set[RosterPlayer]
    player_names: dict[Key, str]

    def set_aside(self, market_key: Any, reason: str) -> None: ...
    def unread_beside(self, rows: Iterable[OddsRow]) -> None: ...
    def unread_everything(self) -> None: ...
    def count_keyed_by_market(self, keyed: dict[int, int]) -> None: ...


class Keyer(Protocol):
    """A book's keying rules. ``plan`` reads only the shape and the facts it asks ``facts`` for."""

    book: Book
    twice: Twice

    def plan(self, shape: MarketShape, facts: FactsRead) -> Plan: ...


class _Event(NamedTuple):
    """The event's facts, with what checking a remembered reading needs, worked out once per event."""

    sport: str | None
    home: str
    away: str
    low_home: str
    low_away: str
    both_named: bool
    listed: frozenset[tuple[Any, str]]

    @classmethod
    def of(cls, facts: Facts) -> _Event:
        home, away = facts.home, facts.away
        both_named = bool(home.strip() and away.strip())
        return cls(facts.sport, home, away, home.lower(), away.lower(), both_named, facts.listed)


def _sport(event: _Event, _arg: Any) -> Any:
    return event.sport


def _teams(event: _Event, _arg: Any) -> Any:
    return event.home, event.away


def _lists(event: _Event, market: tuple[Any, str]) -> Any:
    return market in event.listed


def _teams_in(event: _Event, names: tuple[str, bool]) -> Any:
    """How names read the teams: teams no (ASCII) name holds read alike, save for whether both are named;
    else these teams only (the checks read a team only where its name is inside one)."""
    lowered, ascii_only = names
    if ascii_only and event.low_home not in lowered and event.low_away not in lowered:
        return event.both_named
    return event.home, event.away


#: A fact read: (how it is read from an event, its argument, what it read).
_Read = tuple[Callable[[_Event, Any], Any], Any, Any]


class FactsRead:
    """The event's facts as a keyer reads them: each read is remembered, and the plan keys again only an
    event on which every one reads the same. ``sides``: the texts standing for their team (outcome names
    written as one), which a check of the teams in names does not read."""

    __slots__ = ("_event", "_sides", "reads")

    def __init__(self, event: _Event, sides: tuple[str, ...] = ()) -> None:
        self._event, self._sides = event, sides
        self.reads: dict[tuple[Any, Any], Any] = {}

    def _read(self, how: Callable[[_Event, Any], Any], arg: Any) -> Any:
        value = how(self._event, arg)
        self.reads[(how, arg)] = value
        return value

    def sport(self) -> str | None:
        sport: str | None = self._read(_sport, None)
        return sport

    def teams(self) -> tuple[str, str]:
        """(home, away), read whole: the plan holds for these teams only."""
        teams: tuple[str, str] = self._read(_teams, None)
        return teams

    def teams_for(self, names: Iterable[str]) -> tuple[str, str]:
        """(home, away) for checks that read a team only where a name holds it: the plan holds for any
        teams none of ``names`` holds (and as many named), or for these only where one does."""
        texts = [text for text in names if text not in self._sides]
        self._read(_teams_in, ("\n".join(text.lower() for text in texts), all(map(str.isascii, texts))))
        return self._event.home, self._event.away

    def lists(self, ref: Any, specifier: str) -> bool:
        """Whether the event lists the market ``ref`` with ``specifier`` (``Facts.listed``)."""
        listed: bool = self._read(_lists, (ref, specifier))
        return listed


class _Kept(NamedTuple):
    """A plan as the engine keeps it: with the facts it read, and what applying it needs."""

    plan: Plan
    reads: tuple[_Read, ...]
    #: its keys, when every outcome is keyed or unmapped and no key is listed twice (None otherwise)
    keyset: frozenset[Key] | None
    #: the market every key is under (None: several, or none)
    market: int | None


#: Plans by keyer, then by shape (or ``_sided`` shape): one cache, bounded as a whole (``MAX_PLANS``).
_PLANS: dict[Keyer, dict[Any, _Kept]] = {}


def _sided(shape: MarketShape, home: str, away: str) -> Any:
    """The cache key with outcome names written as a team replaced by their side (1 home, 2 away), so other
    teams find it; the shape itself where none is, or where a market name is written as a team."""
    names = shape.outcome_names
    if (home not in names and away not in names) or home in shape.names or away in shape.names:
        return shape
    sides = tuple(1 if name == home else 2 if name == away else 0 for name in names)
    unnamed = tuple(None if side else name for side, name in zip(sides, names, strict=True))
    return shape._replace(outcome_names=unnamed), sides


def _kept(plans: dict[Any, _Kept], keyer: Keyer, shape: MarketShape, event: _Event, as_key: Any) -> _Kept:
    """The plan of ``shape`` made for this event, remembered under ``as_key``; a ``_sided`` plan that may
    say the teams' names (asides, ranks, players, names) holds for these teams only."""
    sided = as_key is not shape
    facts = FactsRead(event, (event.home, event.away) if sided else ())
    try:
        plan = keyer.plan(shape, facts)
    except _UNREADABLE as error:  # a hostile shape the keyer cannot read costs its market, not the event
        why = Why("", f"unreadable ({repr(error)[:200]})", False)
        plan = Plan((None,) * len(shape.refs), str(shape.ref), refused=why, refused_each=False)
    keys = [key for key in plan.keys if key is not None]
    keyset = frozenset(keys)
    plain = (
        plan.asides is None
        and plan.refused is None
        and plan.rank == 0
        and plan.ranks is None
        and plan.player_names is None
        and len(keyset) == len(keys)
    )
    markets = {key[0] for key in keys}
    if sided and not (plain and not plan.roster and not plan.restated):
        facts.teams()
    reads = tuple((how, arg, value) for (how, arg), value in facts.reads.items())
    kept = _Kept(plan, reads, keyset if plain else None, markets.pop() if len(markets) == 1 else None)
    if sum(map(len, _PLANS.values())) >= MAX_PLANS:
        for kept_plans in _PLANS.values():
            kept_plans.clear()
    with suppress(TypeError):  # a value that cannot be a key (a list where text belongs): not remembered
        plans[as_key] = kept
    return kept


def _reason(book: Book, where: str, why: Why) -> str:
    if why.payload:  # OddsPayloadError's words
        return f"{book.value} odds payload at {where}{why.place}: {why.what}"
    return f"{book.value}: {where}{why.place}: {why.what}"


def _outcome_where(record: MarketRecord, index: int) -> str:
    positions = record.positions
    place = index if positions is None else positions[index]
    return f"{record.where}{record.outcomes_at}[{place if type(place) is int else repr(place)}]"


class _Keying:
    """One event being keyed: the keys taken, the rows of higher ranks waiting, the counts."""

    def __init__(self, keyer: Keyer, account: Account, sr_id: int, captured_at: datetime) -> None:
        self.keyer, self.account = keyer, account
        self.book, self.sr_id, self.captured_at = keyer.book, sr_id, captured_at
        self.taken: set[Key] = set()
        #: (rank, payload position or arrival, key, row, whether open, player name or None)
        self.waiting: list[tuple[int, int, Key, OddsRow, bool, str | None]] = []
        self.keyed: dict[int, int] = {}
        self.opened = 0

    def unmapped(self, label: str, count: int) -> None:
        if count:
            unmapped = self.account.unmapped
            unmapped[label] = unmapped.get(label, 0) + count

    def plain(self, record: MarketRecord, kept: _Kept, keyset: frozenset[Key]) -> None:
        """A plan that keys or leaves unmapped every outcome, none of whose keys is taken."""
        account, plan = self.account, kept.plan
        rows = account.rows
        before = len(rows)
        append, new_row, states = rows.append, tuple.__new__, _STATES
        sr_id, book, captured_at, market_open = self.sr_id, self.book, self.captured_at, record.open
        opened = keyed_open = 0
        for key, price, active in zip(plan.keys, record.prices, record.actives, strict=True):
            is_open = market_open and active and price is not None
            opened += is_open
            if key is not None:
                keyed_open += is_open
                market, specifier, outcome = key
                append(
                    new_row(
                        OddsRow,
                        (sr_id, book, market, specifier, outcome, price, states[is_open], captured_at),
                    )
                )
        self.taken |= keyset
        self.opened += opened
        self.unmapped(plan.label, opened - keyed_open)
        if keyed_open:
            if kept.market is None:
                self.count_rows(rows[before:])
            else:
                self.keyed[kept.market] = self.keyed.get(kept.market, 0) + keyed_open
        if not record.whole:
            account.unread_beside(rows[before:])

    def count_rows(self, rows: Iterable[OddsRow]) -> None:
        keyed = self.keyed
        for row in rows:
            if row.state == "open":
                keyed[row.market] = keyed.get(row.market, 0) + 1

    def read(self, record: MarketRecord, plan: Plan) -> None:
        """Any other plan, outcome by outcome: what is set aside costs its outcome and leaves the market's
        rows not read whole."""
        account, book, ref = self.account, self.book, record.shape.ref
        order, refs = record.order, record.aside_refs
        if plan.refused is not None:
            reason = _reason(book, record.where, plan.refused)
            for each in range(len(plan.keys) if plan.refused_each else 1):
                account.set_aside(ref if refs is None else refs[each], reason)
            if plan.refused.everything:
                account.unread_everything()
            return
        faults, asides, ranks, taken = record.faults, plan.asides, plan.ranks, self.taken
        rows, twice, names, rank = account.rows, self.keyer.twice, plan.player_names, plan.rank
        is_market_open = record.open
        produced: list[OddsRow] = []
        spoiled = not record.whole
        unmapped_open = 0
        for index, (key, price, active) in enumerate(
            zip(plan.keys, record.prices, record.actives, strict=True)
        ):
            fault = None if faults is None else faults[index]
            why = None if asides is None else asides[index]
            if why is not None and (fault is None or why.first):
                fault = _reason(book, _outcome_where(record, index), why)
                if why.everything:
                    account.unread_everything()
            if fault is not None:  # its own field first, then the plan's reason
                account.set_aside(ref if refs is None else refs[index], fault)
                spoiled = True
                continue
            is_open = is_market_open and active and price is not None
            if key is None:
                self.opened += is_open
                unmapped_open += is_open
                continue
            row = tuple.__new__(OddsRow, (self.sr_id, book, *key, price, _STATES[is_open], self.captured_at))
            text = None if names is None else names[index]
            if ranks is not None:
                rank = ranks[index]
            if order is not None:  # in by rank and payload position, once every record is read
                self.waiting.append((rank, order[index], key, row, is_open, text))
                produced.append(row)
                continue
            if text is not None:
                account.player_names[key] = text
            if rank:
                self.waiting.append((rank, len(self.waiting), key, row, is_open, None))
                produced.append(row)
                continue
            if key in taken and twice != "keep":
                if twice == "drop":
                    continue
                self.opened += is_open
                if twice == "unmapped":
                    unmapped_open += is_open
                    continue
                where = _outcome_where(record, index)
                account.set_aside(ref, f"{book.value}: {where}: the key {key} is listed twice")
                spoiled = True
                continue
            taken.add(key)
            self.opened += is_open
            rows.append(row)
            produced.append(row)
            if is_open:
                self.keyed[key[0]] = self.keyed.get(key[0], 0) + 1
        self.unmapped(plan.label, unmapped_open)
        if spoiled:
            account.unread_beside(produced)

    def finish(self) -> None:
        """The waiting rows, by rank then payload position: a key taken already is the same bet priced twice,
        counted nowhere."""
        taken, rows, names = self.taken, self.account.rows, self.account.player_names
        self.waiting.sort()  # (rank, position) tell every two apart
        for _rank, _position, key, row, is_open, text in self.waiting:
            if key in taken:
                continue
            taken.add(key)
            rows.append(row)
            if text is not None:
                names[key] = text
            if is_open:
                self.opened += 1
                self.keyed[row.market] = self.keyed.get(row.market, 0) + 1
        self.account.open_outcomes += self.opened
        self.account.count_keyed_by_market(self.keyed)


def key_event(
    keyer: Keyer,
    facts: Facts,
    items: Iterable[MarketRecord | Aside],
    account: Account,
    *,
    sr_id: int,
    captured_at: datetime,
    sides: Callable[[str, str], bool] | None = None,
) -> None:
    """Key an event's records (and count its asides) into ``account``, in payload order; rows of a higher
    rank after every rank 0 row. ``sides``: where the keyer reads an outcome named exactly as a team as that
    side, whether it does for these teams (``uof_outcome_names.sides_named``)."""
    event = _Event.of(facts)
    sided = sides is not None and sides(event.home, event.away)
    keying = _Keying(keyer, account, sr_id, captured_at)
    plain, read, taken, roster = keying.plain, keying.read, keying.taken, account.roster
    plans = _PLANS.setdefault(keyer, {})
    for item in items:
        if type(item) is Aside:
            account.set_aside(item.ref, item.reason)
            continue
        record: MarketRecord = item  # type: ignore[assignment]
        shape = record.shape
        key = _sided(shape, event.home, event.away) if sided else shape
        try:
            kept = plans.get(key)
        except TypeError:  # a shape that cannot be a key: planned afresh
            kept = None
        if kept is not None:  # remembered: it keys this event where every fact it read reads the same
            for how, arg, value in kept.reads:
                if how(event, arg) != value:
                    kept = _kept(plans, keyer, shape, event, key)
                    break
        else:
            kept = _kept(plans, keyer, shape, event, key)
        if kept.plan.restated:
            continue
        if kept.plan.roster:
            roster.update(kept.plan.roster)
        keyset = kept.keyset
        if keyset is not None and record.faults is None and record.order is None and keyset.isdisjoint(taken):
            plain(record, kept, keyset)
        else:
            read(record, kept.plan)
    keying.finish()
