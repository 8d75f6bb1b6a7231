"""The one keying engine: a book's market records -> its event's canonical rows and account (docs/keying.md).
The keyer plans each record's shape; the plan is applied to the prices and states (``account.Keying``). Plans
live in one bounded cache by (keyer, shape), each with the event facts it read (:class:`FactsRead`), so it
keys again only events on which those read the same: no hand-kept key rules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import suppress
from datetime import datetime
from typing import Any, NamedTuple, Protocol

from palimpsest_pipeline.markets.keying.account import Account, Kept, Keying
from palimpsest_pipeline.markets.keying.records import (
    Aside,
    Facts,
    MarketRecord,
    MarketShape,
    Plan,
    Twice,
    Why,
)
from palimpsest_pipeline.records import Book

#: Plans kept; past it the cache starts again, so a stream of odd markets cannot grow it.
MAX_PLANS = 32_768
#: What a keyer's reading of a hostile shape can raise.
_UNREADABLE = (KeyError, TypeError, ValueError, AttributeError)


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
        return self._read(_sport, None)

    def teams(self) -> tuple[str, str]:
        """(home, away), read whole: the plan holds for these teams only."""
        return self._read(_teams, None)

    def teams_for(self, names: Iterable[str]) -> tuple[str, str]:
        """(home, away) for checks that read a team only where a name holds it: the plan holds for any
        teams none of ``names`` holds (and as many named), or for these only where one does."""
        texts = [text for text in names if text not in self._sides]
        self._read(_teams_in, ("\n".join(text.lower() for text in texts), all(map(str.isascii, texts))))
        return self._event.home, self._event.away

    def lists(self, ref: Any, specifier: str) -> bool:
        """Whether the event lists the market ``ref`` with ``specifier`` (``Facts.listed``)."""
        return self._read(_lists, (ref, specifier))


#: Plans by keyer, then by shape (or ``_sided`` shape): one cache, bounded as a whole (``MAX_PLANS``).
_PLANS: dict[Keyer, dict[Any, Kept]] = {}


def _sided(shape: MarketShape, home: str, away: str) -> Any:
    """The cache key with outcome names written as a team replaced by their side (1 home, 2 away), so other
    teams find it; the shape itself where none is, or where a market name is written as a team."""
    names = shape.outcome_names
    if (home not in names and away not in names) or home in shape.names or away in shape.names:
        return shape
    sides = tuple(1 if name == home else 2 if name == away else 0 for name in names)
    unnamed = tuple(None if side else name for side, name in zip(sides, names, strict=True))
    return shape._replace(outcome_names=unnamed), sides


def _kept(plans: dict[Any, Kept], keyer: Keyer, shape: MarketShape, event: _Event, as_key: Any) -> Kept:
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
    columns = tuple(zip(*keys, strict=True))
    kept = Kept(plan, reads, keyset if plain else None, markets.pop() if len(markets) == 1 else None, columns)
    if sum(map(len, _PLANS.values())) >= MAX_PLANS:
        for kept_plans in _PLANS.values():
            kept_plans.clear()
    with suppress(TypeError):  # a value that cannot be a key (a list where text belongs): not remembered
        plans[as_key] = kept
    return kept


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
    keying = Keying(keyer.book, keyer.twice, account, sr_id, captured_at)
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
        if (
            keyset is not None
            and record.faults is None
            and (record.order is not None or keyset.isdisjoint(taken))
        ):
            plain(record, kept, keyset)
        else:
            read(record, kept.plan)
    keying.finish()
