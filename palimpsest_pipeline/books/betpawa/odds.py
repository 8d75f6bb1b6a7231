"""BetPawa event detail (v4, v3 accepted) -> one record per market, keyed by BetPawa's keyer (keys.py): its
rows' prices in order, and an outcome for each row that cannot be read. Tradeable unless ``suspended``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from palimpsest_pipeline.books.betpawa.keys import BETPAWA, UNREAD, sport_of, written
from palimpsest_pipeline.books.odds_errors import OddsPayloadError, market_records
from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.books.odds_values import (
    SHAPE,
    BadValue,
    check_key,
    outcomes_record,
    price_value,
    require_list,
    require_mapping,
    shape_text,
)
from palimpsest_pipeline.markets.keying.engine import key_event
from palimpsest_pipeline.markets.keying.records import Facts, MarketRecord
from palimpsest_pipeline.records import Book

BOOK = Book.BETPAWA
#: The ``widgets[]`` type whose ``id`` is the SportRadar match id (repeated per ``retention``).
SPORTRADAR = "SPORTRADAR"
_ABSENT = object()
_INFINITY = float("inf")
#: A row's line place where it writes no line (most rows), by its number of prices: shared, not made per row
#: (fewer objects for the collector, fewer kept by the plans' cache).
_NO_LINE = tuple(("row", (count, None, None, None)) for count in range(64))


def parse_odds(payload: Mapping[str, Any], *, sr_id: int, captured_at: datetime) -> EventOdds:
    """Parse one ``GET events/{id}`` payload into canonical rows; a market or price that cannot be read is
    set aside (``EventOdds.set_aside``) and the rest parsed."""
    event = require_mapping(BOOK, payload, "payload")
    category = require_mapping(BOOK, event.get("category"), "category")
    category_id = category.get("id")
    check_key(BOOK, category_id, "category.id")  # an unreadable sport costs the event, not silently
    markets = require_list(BOOK, event.get("markets"), "markets")
    result = EventOdds()
    result.malformed.extend(_check_match(event, sr_id))
    facts = Facts(sport_of(category_id), "", "")
    records = market_records(BOOK, markets, "markets", _market, None)
    key_event(BETPAWA, facts, records, result, sr_id=sr_id, captured_at=captured_at)
    return result


def _check_match(event: Mapping[str, Any], sr_id: int) -> list[str]:
    """The answer must be the match asked for: every ``SPORTRADAR`` widget names SR id ``sr_id``. An answer
    with none is parsed (it is asked for under the SR id its Genius widget links it to); a widget whose type
    cannot be read is set aside with its reason (returned), the others decide."""
    widgets = event.get("widgets")
    if widgets is None:
        return []
    widgets = require_list(BOOK, widgets, "widgets")
    unread: list[str] = []
    for index, widget in enumerate(widgets):
        kind = widget.get("type") if isinstance(widget, Mapping) else None
        if type(kind) is not str:
            what = f"widget of no readable type ({str(widget)[:60]!r}): not read as the match's id"
            unread.append(str(OddsPayloadError(BOOK, f"widgets[{index}]", what)))
        elif kind == SPORTRADAR:
            named = widget.get("id")
            if named != (sr_id if type(named) is int else str(sr_id)):
                what = f"SPORTRADAR widget {str(named)[:60]!r} is not match {sr_id}"
                raise OddsPayloadError(BOOK, f"widgets[{index}].id", what)
    return unread


def _market(market: Any, where: str) -> tuple[MarketRecord]:
    market = require_mapping(BOOK, market, where)
    market_type = require_mapping(BOOK, market.get("marketType"), f"{where}.marketType")
    type_id = str(market_type.get("id"))
    check_key(BOOK, type_id, f"{where}.marketType.id")
    market_rows = require_list(BOOK, market.get("row"), f"{where}.row")
    lines: list[tuple[str, Any]] = []
    #: per outcome: (typeId, name, lines, price, tradeable, fault, row index)
    outcomes: list[tuple[Any, ...]] = []
    append = outcomes.append
    for r_index, row in enumerate(market_rows):
        if type(row) is not dict and not isinstance(row, Mapping):
            lines.append(("row", None))
            append(
                _unread(f"{where}.row[{r_index}]", f"expected an object, got {type(row).__name__}", r_index)
            )
            continue
        hcp, formatted, spec = row.get("handicap"), row.get("formattedHandicap"), row.get("specifier")
        if spec is not None or (hcp is not None and type(hcp) is not int):
            hcp, formatted, spec = written(hcp), written(formatted), written(spec)
        elif formatted is not None and type(formatted) is not str:
            formatted = written(formatted)
        row_prices = row.get("prices")
        if type(row_prices) is not list:
            lines.append(("row", (None, hcp, formatted, spec)))
            what = f"expected a list, got {type(row_prices).__name__}"
            append(_unread(f"{where}.row[{r_index}].prices", what, r_index))
            continue
        count = len(row_prices)
        if hcp is None and formatted is None and spec is None and count < len(_NO_LINE):
            lines.append(_NO_LINE[count])
        else:
            lines.append(("row", (count, hcp, formatted, spec)))
        for p_index, price in enumerate(row_prices):
            if type(price) is not dict:
                if not isinstance(price, Mapping):
                    what = f"expected an object, got {type(price).__name__}"
                    append(_unread(f"{where}.row[{r_index}].prices[{p_index}]", what, r_index))
                    continue
                price = dict(price)
            get = price.get
            name, handicap, specifier = get("name"), get("handicap"), get("specifier")
            ref = get("typeId")
            if type(ref) is not str:
                ref = written(ref)
            places: tuple[tuple[str, Any], ...] = ()
            if handicap is not None or specifier is not None or (type(name) is not str and name is not None):
                name, places = _places(name, handicap, specifier)
            raw = get("odds", _ABSENT)
            if raw is _ABSENT:
                raw = get("price")
            suspended = get("suspended")
            if type(raw) is float and 1.0 < raw < _INFINITY and (suspended is None or suspended is False):
                append((ref, name, places, raw, True, None, r_index))
                continue
            value, active, fault = _read(raw, suspended, f"{where}.row[{r_index}].prices[{p_index}]")
            append((ref, name, places, value, active, fault, r_index))
    refs, names, places_, prices, actives, faults, positions = (
        zip(*outcomes) if outcomes else ((),) * 7  # noqa: B905 - 7-tuples; ``strict`` costs a call
    )
    name, display = market_type.get("name"), market_type.get("displayName")
    if type(name) is not str or type(display) is not str:
        name, display = shape_text(name), shape_text(display)
    shape = SHAPE((type_id, "", (name, display), tuple(lines), refs, names, places_, (), ()))
    return (outcomes_record(shape, where, True, prices, actives, faults, ".row", positions),)


def _places(name: Any, handicap: Any, specifier: Any) -> tuple[str | None, tuple[tuple[str, Any], ...]]:
    """(its name as text or None, its lines and a name that is not text) of a price that writes any."""
    places: tuple[tuple[str, Any], ...] = ()
    if handicap is not None:
        places = (("handicap", written(handicap)),)
    if specifier is not None:
        places = (*places, ("specifier", written(specifier)))
    if type(name) is not str and name is not None:
        return shape_text(name), (*places, ("name", written(name)))
    return name, places


def _unread(where: str, what: str, r_index: int) -> tuple[Any, ...]:
    """The outcome standing for a price or a row that is no object (or whose prices are no list)."""
    return (UNREAD, None, (), None, False, str(OddsPayloadError(BOOK, where, what)), r_index)


def _read(raw: Any, suspended: Any, p_where: str) -> tuple[float | None, bool, str | None]:
    """(price, tradeable, why it is set aside or None) of one price: its odds (else v3 ``price``), then its
    ``suspended`` (true, false or absent)."""
    try:
        value = price_value(raw)
    except BadValue as bad:
        return None, False, str(OddsPayloadError(BOOK, f"{p_where}.odds", bad.what))
    if suspended is not True and suspended is not False and suspended is not None:
        what = f"{str(suspended)[:40]!r} is not true or false"
        return None, False, str(OddsPayloadError(BOOK, f"{p_where}.suspended", what))
    return value, suspended is not True, None
