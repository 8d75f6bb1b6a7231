"""The single-book checks over one book's rows of one event: each family's implied sum (overround),
ladders, references, units."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from operator import truediv

from palimpsest_pipeline.markets.checks.bounds import SuspectBounds
from palimpsest_pipeline.markets.checks.fair import ONES, fair_by_prices
from palimpsest_pipeline.markets.checks.judge import check_ladders, judge, range_broken
from palimpsest_pipeline.markets.checks.plans import DEFAULT_BOUNDS, plan, plans_for
from palimpsest_pipeline.markets.checks.references import reference
from palimpsest_pipeline.markets.checks.tables import CONCERNED, LINE_RANGES, READ, SCOPES, SPREADS
from palimpsest_pipeline.markets.checks.units import beyond_range, lined_rows, spread_to_event, spread_units
from palimpsest_pipeline.markets.checks.verdicts import (
    REASON_OVERROUND,
    REASON_UNITS,
    Found,
    LineKey,
    MarketChecks,
    Prices,
    off_band,
)
from palimpsest_pipeline.records import OddsRow


def check_markets(rows: Iterable[OddsRow], bounds: SuspectBounds | None = None) -> MarketChecks:
    """The suspect markets among one book's rows of one event (``OddsRow`` of a parse; only open prices are
    read), one per (market, specifier) with the reason of highest ``REASON_PRIORITY``, and the open
    outcomes in them. What a line's structure decides is planned once per shape (:func:`plan`); the prices
    are read once per line."""
    chosen = bounds or DEFAULT_BOUNDS
    rows = rows if isinstance(rows, Sequence) else list(rows)  # read again once a line failed
    # One pass groups the open prices of the markets a check reads by market and line (an outcome priced
    # twice on a line: its last price); what the checks need is then read per line, not per row.
    groups: dict[LineKey, Prices] = {}
    read, infinity = READ, math.inf
    for _sr_id, _book, market, specifier, outcome, price, state, _at in rows:
        if market not in read or state != "open" or price is None or not 1.0 < price < infinity:
            continue
        key = (market, specifier)
        prices = groups.get(key)
        if prices is None:
            groups[key] = {outcome: price}
        else:
            prices[outcome] = price
    if not groups:
        return MarketChecks((), 0)
    found = Found()
    add = found.add
    references = tuple(reference(groups, scope, chosen) for scope in SCOPES)
    concerned, plans, ranged = CONCERNED, plans_for(chosen), LINE_RANGES
    fair_of = fair_by_prices
    ladders: dict[int, list[tuple[float, str, float]]] = {}
    out_of_bounds: list[tuple[int, str, str]] = []
    ranges_open = chosen.check_ranges
    for key, prices in groups.items():
        market, specifier = key
        if market in ranged and (beyond := beyond_range(market, specifier)) is not None:
            out_of_bounds.append((market, specifier, beyond))
        if market not in concerned:
            continue
        shape = (market, specifier, tuple(prices))
        planned = plans.get(shape)
        if planned is None:
            planned = plan(shape, chosen, plans)
        layout, kind, low, high, fair_order, in_order, ladder, scope, role, _, _, _, ranges = planned
        if kind is not None:
            implied = sum(map(truediv, ONES, prices.values()))
            if not low <= implied <= high:
                assert layout is not None
                band = (low, high)
                add(market, specifier, REASON_OVERROUND, off_band(layout, kind[2], implied, band, prices))
        if ranges and ranges_open:
            # the first broken range ends the multigoal check for the event
            ranges_open = not range_broken(ranges, market, specifier, prices, chosen, found)
        if fair_order is None:
            fair = None
        else:
            fair = fair_of(tuple(prices.values()) if in_order else tuple([prices[o] for o in fair_order]))
            if ladder is not None:
                ladders.setdefault(market, []).append((ladder, specifier, fair[0]))
        if role and (held := references[scope]) is not None:
            judge(planned, held, market, specifier, prices, fair, chosen, found)
    # The lines' units are judged together only once a line failed (the rest of the event is then read).
    lined: dict[LineKey, int] = {}
    if found.kept or out_of_bounds:
        lined = lined_rows(rows)
        if found.kept:
            spread: dict[int, list[str]] = {}
            for market, specifier in groups:
                if market in SPREADS and market in concerned:
                    spread.setdefault(market, []).append(specifier)
            spread_units(spread, found)
        for market, specifier, beyond in out_of_bounds:
            add(market, specifier, REASON_UNITS, beyond)
        spread_to_event(lined, found, len({market for market, _, _ in out_of_bounds}))
    check_ladders(ladders, chosen, found)
    if not found.kept:
        return MarketChecks((), 0)
    suspects = tuple(sorted(found.kept.values()))
    return MarketChecks(
        suspects,
        sum(
            len(groups[key]) if key[0] in concerned else lined.get(key, 0)
            for key in ((s.market, s.specifier) for s in suspects)
        ),
    )
