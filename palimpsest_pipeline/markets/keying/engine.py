"""The one keying engine: a book's market records -> its event's canonical rows and account (docs/keying.md).
Each record's shape is keyed by the plan remembered for it where every fact that plan read reads the same on
this event, else by a plan the book's keyer makes (``plans``); the plan is applied to the record's prices and
states (``event.Keying``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from palimpsest_pipeline.markets.keying.event import Account, EventFacts, Keying
from palimpsest_pipeline.markets.keying.plans import MATCH_PLANS, PLANS, Keyer, kept_plan
from palimpsest_pipeline.markets.keying.records import Aside, Facts, MarketRecord, MarketShape


def sided_key(shape: MarketShape, home: str, away: str) -> Any:
    """The cache key with outcome names written as a team replaced by their side (1 home, 2 away, else None),
    so other teams find it; the shape itself where none is, or where a market name is written as a team."""
    names: tuple[Any, ...] = shape.outcome_names
    if (home not in names and away not in names) or home in shape.names or away in shape.names:
        return shape
    sides = tuple(map({away: 2, home: 1}.get, names))  # home first where the teams are named alike
    unnamed = tuple(map(dict.fromkeys((home, away)).get, names, names))
    return tuple.__new__(MarketShape, (*shape[:5], unnamed, *shape[6:])), sides  # ``_replace``, in C


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
    rank after every rank 0 row; listings that read to a key taken already kept once where their prices
    agree, else set aside (``Keying.meet``), the same for every book. ``sides``: where the keyer reads an
    outcome named exactly as a team as that side, whether it does for these teams
    (``uof_outcome_names.sides_named``)."""
    event = EventFacts(facts)
    sided = sides is not None and sides(event.home, event.away)
    keying = Keying(keyer.book, account, sr_id, captured_at)
    plain, read, taken, roster = keying.plain, keying.read, keying.taken, account.roster
    plans, apart = PLANS.setdefault(keyer, {}), MATCH_PLANS.setdefault(keyer, {})
    for item in items:
        if type(item) is Aside:
            account.set_aside(*item)
            continue
        record: MarketRecord = item  # type: ignore[assignment]
        shape = record.shape
        key = sided_key(shape, event.home, event.away) if sided else shape
        try:
            kept = plans.get(key) or apart.get(key)
        except TypeError:  # a shape that cannot be a key: planned afresh
            kept = None
        if kept is not None:  # remembered: it keys this event where every fact it read reads the same
            for how, arg, value in kept.reads:
                if how(event, arg) != value:
                    kept = kept_plan(plans, keyer, shape, event, key)
                    break
        else:
            kept = kept_plan(plans, keyer, shape, event, key)
        plan = kept.plan
        if plan.roster:
            roster.update(plan.roster)
        keyset = kept.keyset
        if (
            keyset is not None
            and record.faults is None
            and (record.order is not None or keyset.isdisjoint(taken))
        ):
            plain(record, kept, keyset)
        else:
            read(record, plan)
    keying.finish()
