"""Plans of the keying engine: a book's keyer plans each market shape; plans live in one bounded cache by
(keyer, shape), each with the event facts it read (:class:`FactsRead`), so a plan keys again only events on
which those read the same: no hand-kept key rules (docs/keying.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import suppress
from operator import itemgetter
from typing import Any, Protocol

from palimpsest_pipeline.markets.keying.event import EventFacts, Kept
from palimpsest_pipeline.markets.keying.records import MarketShape, Plan, Why
from palimpsest_pipeline.records import Book

#: Plans kept; past it the cache starts again, so a stream of odd markets cannot grow it.
MAXPLANS = 32_768
#: What a keyer's reading of a hostile shape can raise.
_UNREADABLE = (KeyError, TypeError, ValueError, AttributeError)
_MARKET = itemgetter(0)


class Keyer(Protocol):
    """A book's keying rules. ``plan`` reads only the shape and the facts it asks ``facts`` for."""

    book: Book

    def plan(self, shape: MarketShape, facts: FactsRead) -> Plan: ...


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
        return self._read(EventFacts.read_sport, None)

    def teams(self) -> tuple[str, str]:
        """(home, away), read whole: the plan holds for these teams only."""
        return self._read(EventFacts.read_teams, None)

    def teams_for(self, names: Iterable[str]) -> tuple[str, str]:
        """(home, away) for checks that read a team only where a name holds it: the plan holds for any
        teams none of ``names`` holds (and as many named), or for these only where one does."""
        texts = [text for text in names if text not in self._sides]
        lowered = "\n".join(text.lower() for text in texts)
        self._read(EventFacts.read_teams_in, (lowered, all(map(str.isascii, texts))))
        return self._event.home, self._event.away

    def lists(self, ref: Any, specifier: str) -> bool:
        """Whether the event lists the market ``ref`` with ``specifier`` (``Facts.listed``)."""
        return self._read(EventFacts.read_lists, (ref, specifier))


#: Plans by keyer, then by shape (or shape by side): one cache, bounded as a whole (``MAXPLANS``).
PLANS: dict[Keyer, dict[Any, Kept]] = {}
#: Plans listing or naming a match's players, apart and few (no other match lists them; kept longer, they
#: outlive the collector's youngest generation and lengthen its walks): about an event's worth.
MATCH_PLANS: dict[Keyer, dict[Any, Kept]] = {}
MAX_MATCH_PLANS = 64


def kept_plan(
    plans: dict[Any, Kept], keyer: Keyer, shape: MarketShape, event: EventFacts, as_key: Any
) -> Kept:
    """The plan of ``shape`` made for this event, remembered under ``as_key`` (in ``MATCH_PLANS`` where it
    lists or names players); a plan keyed by side (``engine.sided_key``) that may say the teams' names holds
    for these teams only."""
    sided = as_key is not shape
    facts = FactsRead(event, (event.home, event.away) if sided else ())
    try:
        plan = keyer.plan(shape, facts)
    except _UNREADABLE as error:  # a hostile shape the keyer cannot read costs its market, not the event
        why = Why("", f"unreadable ({repr(error)[:200]})", False)
        plan = Plan((None,) * len(shape.refs), str(shape.ref), refused=why, refused_each=False)
    keys = list(filter(None, plan.keys))  # a key is a non-empty tuple
    keyset = frozenset(keys)
    plain = (
        plan.asides is None
        and plan.refused is None
        and plan.rank == 0
        and plan.ranks is None
        and plan.player_names is None
        and len(keyset) == len(keys)
    )
    markets = set(map(_MARKET, keys))
    if sided and not (plain and not plan.roster):
        facts.teams()
    reads = tuple((how, arg, value) for (how, arg), value in facts.reads.items()) if facts.reads else ()
    columns = tuple(zip(*keys))  # noqa: B905 - keys are triples; ``strict`` costs a call
    kept = Kept(plan, reads, keyset if plain else None, markets.pop() if len(markets) == 1 else None, columns)
    with suppress(TypeError):  # a value that cannot be a key (a list where text belongs): not remembered
        if plan.roster or plan.player_names is not None:  # a match's players: kept apart
            plans.pop(as_key, None)  # a shared plan it replaces, looked up first, would be remade each time
            plans = MATCH_PLANS.setdefault(keyer, {})
            if len(plans) >= MAX_MATCH_PLANS:
                plans.clear()
        elif sum(map(len, PLANS.values())) >= MAXPLANS:
            for kept_plans in PLANS.values():
                kept_plans.clear()
        plans[as_key] = kept
    return kept
