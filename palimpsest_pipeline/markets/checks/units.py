"""Lines read in the wrong unit: a line outside any market of its bet type, and the spread of a failed
unit, to every line of its bet type and then to every lined market of the event."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import lru_cache

from palimpsest_pipeline.markets.checks.tables import LINE_RANGES, line_of
from palimpsest_pipeline.markets.checks.verdicts import REASON_IDENTITY, REASON_UNITS, Found, LineKey
from palimpsest_pipeline.records import OddsRow

#: Lines of one bet type that fail their bounds and make every line of it suspect (:func:`spread_units`).
UNITS_SPREAD_FROM = 2
#: Bet types whose lines fail the book's own bounds before every lined market of the event is suspect.
UNITS_EVENT_FROM = 2


def spread_units(markets: dict[int, list[str]], found: Found) -> None:
    """A unit is read for a whole bet type at once: once ``UNITS_SPREAD_FROM`` of its lines fail the bounds
    of the book's own references, its other lines (far lines the references cannot bound) are suspect too."""
    for market, specifiers in markets.items():
        failed = sorted(
            specifier
            for specifier in specifiers
            if (held := found.kept.get((market, specifier))) is not None
            and held.reason in (REASON_UNITS, REASON_IDENTITY)
        )
        if len(failed) < UNITS_SPREAD_FROM:
            continue
        detail = f"its bet type's lines {', '.join(failed[:4])} fail the book's own bounds: a unit misread"
        for specifier in specifiers:
            found.add(market, specifier, REASON_UNITS, detail)


#: A specifier that carries a line (a total or a handicap, alone or in a combination's legs).
_LINE_KEYS = re.compile(r"(?:^|[|;/])(?:total|hcp)=")


@lru_cache(maxsize=65_536)
def _lined(specifier: str) -> bool:
    """Whether ``specifier`` carries a line (:data:`_LINE_KEYS`), remembered: books repeat their lines."""
    return _LINE_KEYS.search(specifier) is not None


def lined_rows(rows: Sequence[OddsRow]) -> dict[LineKey, int]:
    """The open prices of each line of every market carrying one (:func:`_lined`), counted as rows (an
    outcome priced twice counts twice)."""
    lined: dict[LineKey, int] = {}
    lined_specifier, infinity = _lined, math.inf
    for _sr_id, _book, market, specifier, _outcome, price, state, _at in rows:
        if state != "open" or price is None or not 1.0 < price < infinity or not lined_specifier(specifier):
            continue
        key = (market, specifier)
        lined[key] = lined.get(key, 0) + 1
    return lined


@lru_cache(maxsize=65_536)
def beyond_range(market: int, specifier: str) -> str | None:
    """Why a line of a ``LINE_RANGES`` market lies outside it (a ``units`` detail), None when it does not."""
    key, low, high = LINE_RANGES[market]
    line = line_of(specifier, key)
    if line is not None and not low <= line <= high:
        return f"{key} {line:g} outside [{low:g}, {high:g}]"
    return None


def spread_to_event(lined: dict[LineKey, int], found: Found, out_of_range: int) -> None:
    """A payload's lines are read in one unit: once lines of ``UNITS_EVENT_FROM`` bet types fail the bounds
    of the book's own references, or a line lies outside any market of its bet type, every lined market of
    the event is suspect, the many no reference bounds (team totals, corners, halves, combinations) too."""
    failed = sorted(
        {
            key[0]
            for key, held in found.kept.items()
            if held.reason in (REASON_UNITS, REASON_IDENTITY) and key in lined
        }
    )
    if len(failed) < UNITS_EVENT_FROM and not out_of_range:
        return
    detail = (
        f"lines of {len(failed)} bet types (markets {', '.join(map(str, failed[:4]))}) fail the book's own "
        "bounds or any market's range: the payload's lines are misread"
    )
    for key in lined:
        if key not in found.kept:  # a market's own failure says more than the event's
            found.add(*key, REASON_UNITS, detail)
