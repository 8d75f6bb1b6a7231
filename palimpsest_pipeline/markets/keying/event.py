"""One event being keyed (docs/keying.md): its facts as plans read them (:class:`EventFacts`), a plan as
the engine keeps it (:class:`Kept`), and the rows plans make of its records (:class:`Keying`): rows built per
plan, precedence by rank, listings that read to one key, records in by payload position, what is set aside.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import compress, count, filterfalse, islice, repeat
from operator import is_not, itemgetter
from typing import Any, Protocol

from palimpsest_pipeline.markets.keying.records import Facts, Key, MarketRecord, Plan, Why
from palimpsest_pipeline.markets.players import RosterPlayer
from palimpsest_pipeline.records import Book, OddsRow

#: A row's state by whether it is open (a dict: its bound ``__getitem__`` is a C method, a tuple's a wrapper).
_STATES = {False: "suspended", True: "open"}
#: None and the rows' type, endlessly (rows built in C: ``tuple.__new__(OddsRow, values)``).
_NONES, _ROW_TYPE = repeat(None), repeat(OddsRow)
_FIRST = itemgetter(0)
#: A row's key (market, specifier, outcome), and its market; a waiting row's key and row.
_KEY, _MARKET, _WAITING_KEY, _WAITING_ROW = itemgetter(2, 3, 4), itemgetter(2), itemgetter(2), itemgetter(3)
#: A waiting row's (rank, position): they tell every two apart.
_RANK_POSITION = itemgetter(0, 1)
#: How far apart two listings of one key may be priced and still be one bet: a book prices one bet in two of
#: its products with margins a few percent apart (and shows prices to two decimals); further apart, two bets
#: read to one key.
AGREEING_RATIO, PRICE_ROUNDING = 1.10, 0.005 + 1e-9


@dataclass(slots=True)
class Kept:
    """A plan as the engine keeps it: with the facts it read, and what applying it needs (slotted)."""

    plan: Plan
    #: the event facts it read: (how each is read from an event, its argument, what it read)
    reads: tuple[tuple[Callable[[Any, Any], Any], Any, Any], ...]
    #: its keys, when every outcome is keyed or unmapped and no key is listed twice (None otherwise)
    keyset: frozenset[Key] | None
    #: the market every key is under (None: several, or none)
    market: int | None
    #: (markets, specifiers, outcomes) of its keys
    columns: tuple[tuple[Any, ...], ...]


class EventFacts:
    """The event's facts, with what checking a remembered reading needs, worked out once per event. A plan
    reads them through its ``read_*`` methods (``plans.FactsRead``), which the engine calls again on the
    next event to check that they read the same."""

    __slots__ = ("away", "both_named", "home", "listed", "low_away", "low_home", "sport")

    def __init__(self, facts: Facts) -> None:
        self.sport, self.home, self.away, self.listed = facts.sport, facts.home, facts.away, facts.listed
        self.low_home, self.low_away = self.home.lower(), self.away.lower()
        self.both_named = bool(self.home.strip() and self.away.strip())

    def read_sport(self, _arg: Any) -> Any:
        return self.sport

    def read_teams(self, _arg: Any) -> Any:
        return self.home, self.away

    def read_lists(self, market: tuple[Any, str]) -> Any:
        return market in self.listed

    def read_teams_in(self, names: tuple[str, bool]) -> Any:
        """How names read the teams: teams no (ASCII) name holds read alike, save for whether both are
        named; else these teams only (the checks read a team only where its name is inside one)."""
        lowered, ascii_only = names
        if ascii_only and self.low_home not in lowered and self.low_away not in lowered:
            return self.both_named
        return self.home, self.away


class Account(Protocol):
    """What the engine fills (``books.odds_parse.EventOdds``)."""

    rows: list[OddsRow]
    open_outcomes: int
    unmapped: dict[str, int]
    roster: set[RosterPlayer]
    player_names: dict[Key, str]
    duplicate_listings: int

    def set_aside(self, market_key: Any, reason: str) -> None: ...
    def unread_beside(self, rows: Iterable[OddsRow]) -> None: ...
    def unread_everything(self) -> None: ...
    def count_keyed_by_market(self, keyed: dict[int, int]) -> None: ...


def agree(price: float | None, other: float | None) -> bool:
    """Whether two prices of one key are one bet's (:data:`AGREEING_RATIO`); no price cannot disagree."""
    return (
        price is None
        or other is None
        or max(price, other) <= min(price, other) * AGREEING_RATIO + PRICE_ROUNDING
    )


def _priced(row: OddsRow) -> str:
    """A listing's price as a reason says it: "at 2.1", or that it is not on offer."""
    return f"at {row.price}" if row.state == "open" else "not on offer"


def _reason(book: Book, where: str, why: Why) -> str:
    if why.payload:  # OddsPayloadError's words
        return f"{book.value} odds payload at {where}{why.place}: {why.what}"
    return f"{book.value}: {where}{why.place}: {why.what}"


def _outcome_where(record: MarketRecord, index: int) -> str:
    positions = record.positions
    place = index if positions is None else positions[index]
    return f"{record.where}{record.outcomes_at}[{place if type(place) is int else repr(place)}]"


#: One listing of a key, for the words naming it: its record and outcome index, or (None, payload position)
#: of a row in by position whose record is looked up only when it is named.
_Listing = tuple[MarketRecord | None, int]
#: A row of a higher rank waiting: (rank, payload position or arrival, key, row, whether open, player name or
#: None, record, outcome index).
_Waiting = tuple[int, int, Key, OddsRow, bool, str | None, MarketRecord, int]


class Keying:
    """One event being keyed: the keys taken, the rows of higher ranks waiting, the listings of a key taken
    already (met once every record is read), the counts."""

    def __init__(self, book: Book, account: Account, sr_id: int, captured_at: datetime) -> None:
        self.book, self.account = book, account
        self.sr_id, self.captured_at = sr_id, captured_at
        #: what every row of the event starts with, endlessly (never exhausted: shared by every plan)
        self.heads = (repeat(sr_id), repeat(book))
        #: what it ends with, the same way
        self.times = repeat(captured_at)
        self.taken: set[Key] = set()
        #: the rows of a higher rank (``_Waiting``)
        self.waiting: list[_Waiting] = []
        #: of records in by payload position (``MarketRecord.order``): their rank 0 rows, those rows'
        #: positions, (position, account call, its two arguments) of what they set aside or name, and whether
        #: a key is among the rows twice
        self.placed: list[OddsRow] = []
        self.positions: list[int] = []
        self.later: list[tuple[int, Callable[[Any, Any], Any], Any, Any]] = []
        self.doubled = False
        self.keyed: dict[int, int] = {}
        self.opened = 0
        #: every record keyed, with its plan's keys (where a listing met again is looked up): those keyed
        #: straight into the account's rows after the index of their first row, those in by position apart
        self.flat: list[tuple[int, MarketRecord, tuple[Key | None, ...]]] = []
        self.apart: list[tuple[MarketRecord, tuple[Key | None, ...]]] = []
        #: the first index of the rows in by position, once they are in, and their placed indexes in order
        self.merged, self.merged_order = -1, list[int]()
        #: once a taken row is named: each waiting row's entry, by the row's identity
        self.waiting_by_row: dict[int, _Waiting] = {}
        #: once a row in by position is named: each payload position's listing
        self.by_position: dict[int, _Listing] | None = None
        #: rank 0 rows of a key taken already: (key, row, whether open, its listing)
        self.again: list[tuple[Key, OddsRow, bool, MarketRecord | None, int]] = []
        #: once a key is met again: each key's row index in the account's rows, for the rows of the markets
        #: indexed (at first, those of every key met or about to be) up to ``indexed_upto``; keys set aside
        #: for two prices (-> the first listing's words); rows to strike
        self.at: dict[Key, int] = {}
        self.indexed: set[int] = set()
        self.indexed_upto = 0
        self.clashed: dict[Key, str] = {}
        self.struck: list[int] = []

    def unmapped(self, label: str, count: int) -> None:
        if count:
            unmapped = self.account.unmapped
            unmapped[label] = unmapped.get(label, 0) + count

    def plain(self, record: MarketRecord, kept: Kept, keyset: frozenset[Key]) -> None:
        """A plan that keys or leaves unmapped every outcome, none of whose keys is taken (in by position:
        ``finish`` meets a key listed twice): its rows built in C."""
        prices, order = record.prices, record.order
        if record.open and False not in record.actives:  # the usual market: open where priced
            opens: Iterable[bool] = map(is_not, prices, _NONES)
            opened = len(prices) - prices.count(None)
        else:
            opens = [
                record.open and active and price is not None
                for price, active in zip(prices, record.actives, strict=True)
            ]
            opened = sum(opens)
        keyed_prices: Iterable[float | None] = prices
        keyed_open, positions = opened, order
        if len(keyset) < len(prices):  # the keyed outcomes only
            keys = kept.plan.keys
            opens, keyed_prices = list(compress(opens, keys)), compress(prices, keys)
            keyed_open, positions = sum(opens), order and list(compress(order, keys))
            self.unmapped(kept.plan.label, opened - keyed_open)
        rows = self.account.rows if order is None else self.placed
        before = len(rows)
        states = map(_STATES.__getitem__, opens)
        columns = zip(*self.heads, *kept.columns, keyed_prices, states, self.times)  # noqa: B905 - repeats
        rows.extend(map(tuple.__new__, _ROW_TYPE, columns))
        self.opened += opened
        market, keyed = kept.market, self.keyed
        if keyed_open and market is not None:
            keyed[market] = keyed.get(market, 0) + keyed_open
        elif keyed_open:
            for made in rows[before:]:
                if made.state == "open":
                    keyed[made.market] = keyed.get(made.market, 0) + 1
        if positions is None:
            self.flat.append((before, record, kept.plan.keys))
        else:
            self.apart.append((record, kept.plan.keys))
            self.positions.extend(positions)
            self.doubled = self.doubled or not keyset.isdisjoint(self.taken)
        self.taken |= keyset
        if not record.whole:
            self.account.unread_beside(rows[before:])

    def place(self, position: int, key: Key, row: OddsRow, is_open: bool, text: str | None) -> None:
        """A rank 0 row in by payload position."""
        self.placed.append(row)
        self.positions.append(position)
        if text is not None:  # the first of a key's names (``finish``)
            self.later.append((position, self.account.player_names.setdefault, key, text))
        self.doubled = self.doubled or key in self.taken
        self.taken.add(key)
        self.opened += is_open
        if is_open:
            self.keyed[key[0]] = self.keyed.get(key[0], 0) + 1

    def set_aside(self, record: MarketRecord, index: int, reason: str) -> None:
        """Outcome ``index`` set aside, counted under its market (in payload order, where records say it)."""
        ref = record.shape.ref if record.aside_refs is None else record.aside_refs[index]
        if record.order is None:
            self.account.set_aside(ref, reason)
        else:
            self.later.append((record.order[index], self.account.set_aside, ref, reason))

    def read(self, record: MarketRecord, plan: Plan) -> None:
        """Any other plan, outcome by outcome: what is set aside costs its outcome and leaves the market's
        rows not read whole."""
        account, book, order = self.account, self.book, record.order
        if plan.refused is not None:
            reason = _reason(book, record.where, plan.refused)
            for each in range(len(plan.keys) if plan.refused_each else 1):
                self.set_aside(record, each, reason)
            if plan.refused.everything:
                account.unread_everything()
            return
        if order is None:
            self.flat.append((len(account.rows), record, plan.keys))
        else:
            self.apart.append((record, plan.keys))
        faults, asides, ranks, taken = record.faults, plan.asides, plan.ranks, self.taken
        rows, names, rank = account.rows, plan.player_names, plan.rank
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
                spoiled = spoiled or fault is not None or not why.whole_line
                fault = _reason(book, _outcome_where(record, index), why)
                if why.everything:
                    account.unread_everything()
            elif fault is not None:
                spoiled = True
            if fault is not None:  # its own field first, then the plan's reason
                self.set_aside(record, index, fault)
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
                if rank:
                    self.waiting.append((rank, order[index], key, row, is_open, text, record, index))
                else:
                    self.place(order[index], key, row, is_open, text)
                produced.append(row)
                continue
            if rank:
                self.waiting.append((rank, len(self.waiting), key, row, is_open, text, record, index))
                produced.append(row)
                continue
            if key in taken:  # met once every record is read (``meet``)
                self.again.append((key, row, is_open, record, index))
                continue
            if text is not None:
                account.player_names[key] = text
            taken.add(key)
            self.opened += is_open
            rows.append(row)
            produced.append(row)
            if is_open:
                self.keyed[key[0]] = self.keyed.get(key[0], 0) + 1
        self.unmapped(plan.label, unmapped_open)
        if spoiled:
            account.unread_beside(produced)

    def first_of_each(self, indexes: list[int]) -> list[int]:
        """Of the ``placed`` rows at ``indexes`` (in payload order) the first of each key, in that order; the
        others are uncounted here: one open at the first's price is counted once, else met once every record
        is read (``meet``)."""
        placed, positions = self.placed, self.positions
        keys = list(map(_KEY, map(placed.__getitem__, indexes)))
        firsts = dict(zip(reversed(keys), reversed(indexes), strict=True))  # each key's first
        first = set(firsts.values())
        for at in filterfalse(first.__contains__, indexes):
            row = placed[at]
            if row.state != "open":  # not on offer: nothing to meet
                continue
            self.opened -= 1
            self.keyed[row.market] -= 1
            key = _KEY(row)
            taken = placed[firsts[key]]
            if taken.state == "open" and agree(taken.price, row.price):
                self.account.duplicate_listings += 1
            else:
                self.again.append((key, row, True, None, positions[at]))
        return list(filter(first.__contains__, indexes))

    def finish(self) -> None:
        """The rows in by position, in payload order (and what they set aside or name); the rank 0 listings
        of a key taken already, met; then the waiting rows by rank and position: one of a key taken already
        gives way to it, met."""
        taken, rows, names, placed = self.taken, self.account.rows, self.account.player_names, self.placed
        in_order = sorted(range(len(placed)), key=self.positions.__getitem__)
        if self.doubled:
            in_order = self.first_of_each(in_order)
        self.merged, self.merged_order = len(rows), in_order
        rows.extend(map(placed.__getitem__, in_order))
        for _position, call, first, second in sorted(self.later, key=_FIRST):
            call(first, second)
        waiting = self.waiting
        for key, row, is_open, record, index in self.again:
            self.meet(key, row, is_open, (record, index), 0)
        waiting.sort(key=_RANK_POSITION)  # (rank, position) tell every two apart
        for rank, _position, key, row, is_open, text, record, index in waiting:
            if key in taken:
                self.meet(key, row, is_open, (record, index), rank)
                continue
            taken.add(key)
            rows.append(row)
            if text is not None:
                names[key] = text
            if is_open:
                self.opened += 1
                self.keyed[row.market] = self.keyed.get(row.market, 0) + 1
        for at in sorted(self.struck, reverse=True):
            del rows[at]
        self.account.open_outcomes += self.opened
        self.account.count_keyed_by_market(self.keyed)

    def meet(self, key: Key, row: OddsRow, is_open: bool, listing: _Listing, rank: int) -> None:
        """An open listing of a key taken already, by a row of ``rank`` (at least the taken one's). Open at
        prices that agree (within :data:`AGREEING_RATIO`): one bet listed twice, counted once (the other in
        ``duplicate_listings``). Else (another price, or the taken one not on offer) the listings disagree:
        set aside with a reason naming both; the taken row too where it is of the same rank (neither is
        preferred), not where it is of a lower one (a catalogued market beside a described or restating one:
        the described reading is the likelier misreading). A listing not on offer meets nothing."""
        account = self.account
        if not is_open:  # a listing not on offer: no price to meet, no open outcome to count
            return
        rows = account.rows
        where = self.row_of(key)
        first = rows[where]
        self.opened += 1
        set_aside = [listing]
        clashed = self.clashed.get(key)
        if clashed is None:
            if first.state == "open" and agree(first.price, row.price):
                self.opened -= 1
                account.duplicate_listings += 1
                return
            first_rank, first_listing = self.listing_of(first, where)
            clashed = self.words(first, first_listing)
            if first_rank == rank:  # the taken row goes too, set aside where it was an open one
                self.struck.append(where)
                self.clashed[key] = clashed
                if first.state == "open":
                    self.keyed[key[0]] -= 1
                    set_aside.insert(0, first_listing)
        reason = f"{self.book.value}: {clashed} and {self.words(row, listing)} read to the key {key}"
        for each in set_aside:
            self.aside(each, f"{reason} at different prices")
        account.unread_beside((row,))

    def row_of(self, key: Key) -> int:
        """The index of the row holding ``key``: the rows of its market indexed when first needed (at first,
        those of every market a listing of a key taken already is of), and the rows added since when a key
        is not found; the rows are picked in C, only theirs indexed."""
        where = self.at.get(key)
        if where is not None:
            return where
        market, indexed, upto = key[0], self.indexed, self.indexed_upto
        if indexed and upto < len(self.account.rows):  # rows added since to the markets indexed before
            self.index(indexed, upto)
        if market not in indexed:
            markets = {market}
            if not indexed:
                markets.update(map(_FIRST, map(_FIRST, self.again)))
                markets.update(map(_FIRST, self.taken.intersection(map(_WAITING_KEY, self.waiting))))
            self.index(markets, 0)
            indexed |= markets
        self.indexed_upto = len(self.account.rows)
        return self.at[key]

    def index(self, markets: set[int], start: int) -> None:
        """The rows of ``markets`` from ``start`` on, indexed by key (picked in C)."""
        rows = self.account.rows
        markets_from = map(_MARKET, islice(rows, start, None))
        picked = list(compress(count(start), map(markets.__contains__, markets_from)))
        self.at.update(zip(map(_KEY, map(rows.__getitem__, picked)), picked, strict=True))

    def resolved(self, listing: _Listing) -> _Listing:
        """A listing with its record: a row in by position is looked up by its position."""
        record, index = listing
        if record is not None:
            return listing
        if self.by_position is None:  # built once, when first needed
            self.by_position = {}
            for each, _keys in self.apart:
                self.by_position.update(zip(each.order or (), zip(repeat(each), count()), strict=False))
        return self.by_position.get(index, (None, -1))

    def listing_of(self, row: OddsRow, where: int) -> tuple[int, _Listing]:
        """The rank and listing of a taken row (at ``where``): a waiting row's own, a row in by position by
        its position, else the record whose rows hold it (the first outcome of its key there)."""
        by_row = self.waiting_by_row
        if not by_row and self.waiting:  # built once, when first needed (the waiting rows are all in)
            by_row.update(zip(map(id, map(_WAITING_ROW, self.waiting)), self.waiting, strict=True))
        entry = by_row.get(id(row))
        if entry is not None:
            return entry[0], (entry[6], entry[7])
        if where >= self.merged >= 0:
            return 0, (None, self.positions[self.merged_order[where - self.merged]])
        _start, record, keys = self.flat[bisect_right(self.flat, where, key=_FIRST) - 1]
        return 0, (record, keys.index(_KEY(row)))

    def words(self, row: OddsRow, listing: _Listing) -> str:
        """A listing as a reason names it: where it is, its market and its price."""
        record, index = self.resolved(listing)
        if record is None:
            return f"a listing {_priced(row)}"
        shape = record.shape
        name = next(filter(None, shape.names), None)
        market = repr(shape.ref) if name is None else f"{shape.ref!r} {name!r}"
        return f"{_outcome_where(record, index)} (market {market}) {_priced(row)}"

    def aside(self, listing: _Listing, reason: str) -> None:
        """A listing set aside, counted under its market."""
        record, index = self.resolved(listing)
        if record is None:
            self.account.set_aside("?", reason)
            return
        ref = record.shape.ref if record.aside_refs is None else record.aside_refs[index]
        self.account.set_aside(ref, reason)
