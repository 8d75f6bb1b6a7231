"""Plans of the keying engine: a book's keyer plans each market shape; plans live in one bounded cache by
(keyer, shape), each with the event facts it read (:class:`FactsRead`), so a plan keys again only events on
which those read the same: no hand-kept key rules (docs/keying.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import suppress
from typing import Any, NamedTuple, Protocol

from palimpsest_pipeline.markets.keying.records import Facts, Key, MarketShape, Plan, Twice, Why
from palimpsest_pipeline.records import Book

#: Plans kept; past it the cache starts again, so a stream of odd markets cannot grow it.
MAXPLANS = 32_768
#: What a keyer's reading of a hostile shape can raise.
_UNREADABLE = (KeyError, TypeError, ValueError, AttributeError)


class Kept(NamedTuple):
    """A plan as the engine keeps it: with the facts it read, and what applying it needs."""

    plan: Plan
    #: the event facts it read: (how each is read from an event, its argument, what it read)
    reads: tuple[tuple[Callable[[Any, Any], Any], Any, Any], ...]
    #: its keys, when every outcome is keyed or unmapped and no key is listed twice (None otherwise)
    keyset: frozenset[Key] | None
    #: the market every key is under (None: several, or none)
    market: int | None
    #: (markets, specifiers, outcomes) of its keys
    columns: tuple[tuple[Any, ...], ...]


class Keyer(Protocol):
    """A book's keying rules. ``plan`` reads only the shape and the facts it asks ``facts`` for."""

    book: Book
    twice: Twice

    def plan(self, shape: MarketShape, facts: FactsRead) -> Plan: ...


class EventFacts(NamedTuple):
    """The event's facts, with what checking a remembered reading needs, worked out once per event."""

    sport: str | None
    home: str
    away: str
    low_home: str
    low_away: str
    both_named: bool
    listed: frozenset[tuple[Any, str]]

    @classmethod
    def of(cls, facts: Facts) -> EventFacts:
        home, away = facts.home, facts.away
        both_named = bool(home.strip() and away.strip())
        return cls(facts.sport, home, away, home.lower(), away.lower(), both_named, facts.listed)


def _sport(event: EventFacts, _arg: Any) -> Any:
    return event.sport


def _teams(event: EventFacts, _arg: Any) -> Any:
    return event.home, event.away


def _lists(event: EventFacts, market: tuple[Any, str]) -> Any:
    return market in event.listed


def _teams_in(event: EventFacts, names: tuple[str, bool]) -> Any:
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

    def __init__(self, event: EventFacts, sides: tuple[str, ...] = ()) -> None:
        self._event, self._sides = event, sides
        self.reads: dict[tuple[Any, Any], Any] = {}

    def _read(self, how: Callable[[EventFacts, Any], Any], arg: Any) -> Any:
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


#: Plans by keyer, then by shape (or ``sided_key`` shape): one cache, bounded as a whole (``MAXPLANS``).
PLANS: dict[Keyer, dict[Any, Kept]] = {}


def sided_key(shape: MarketShape, home: str, away: str) -> Any:
    """The cache key with outcome names written as a team replaced by their side (1 home, 2 away), so other
    teams find it; the shape itself where none is, or where a market name is written as a team."""
    names = shape.outcome_names
    if (home not in names and away not in names) or home in shape.names or away in shape.names:
        return shape
    sides = tuple(1 if name == home else 2 if name == away else 0 for name in names)
    unnamed = tuple(None if side else name for side, name in zip(sides, names, strict=True))
    return shape._replace(outcome_names=unnamed), sides


def kept_plan(
    plans: dict[Any, Kept], keyer: Keyer, shape: MarketShape, event: EventFacts, as_key: Any
) -> Kept:
    """The plan of ``shape`` made for this event, remembered under ``as_key``; a ``sided_key`` plan that may
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
    if sum(map(len, PLANS.values())) >= MAXPLANS:
        for kept_plans in PLANS.values():
            kept_plans.clear()
    with suppress(TypeError):  # a value that cannot be a key (a list where text belongs): not remembered
        plans[as_key] = kept
    return kept
