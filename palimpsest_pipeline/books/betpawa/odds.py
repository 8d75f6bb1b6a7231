"""BetPawa event detail (v4, v3 accepted) -> canonical odds rows, keyed by the market grammar
(markets/grammar/betpawa.py) and, where it cannot decide, by markets/mapping_betpawa.py.

Price: ``odds`` (v4), falling back to ``price`` (v3). Line: read by markets/grammar/lines.py from every place
the row carries it (price text, specifier, row handicap in quarter units, formattedHandicap), keyed only when
they agree; a row whose places disagree is set aside with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from palimpsest_pipeline.books.odds_errors import OddsPayloadError
from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.books.odds_values import (
    BadValue,
    check_key,
    id_problem,
    price_value,
    require_list,
    require_mapping,
)
from palimpsest_pipeline.markets.grammar import betpawa as grammar
from palimpsest_pipeline.markets.grammar.canonical import DESCRIBED
from palimpsest_pipeline.markets.grammar.description import Refusal, Unreadable
from palimpsest_pipeline.markets.grammar.lines import LineConflict, LineKind, row_line
from palimpsest_pipeline.markets.grammar.precedence import choose, stands_in
from palimpsest_pipeline.markets.grammar.walk import JSON_OBJECT
from palimpsest_pipeline.markets.mapping_betpawa import BY_CATEGORY, PLAYER_MARKETS, BetPawaMarket
from palimpsest_pipeline.markets.players import name_key
from palimpsest_pipeline.markets.specifiers import SpecifierError, format_line, join_specifier
from palimpsest_pipeline.markets.vocabulary import VOCABULARY
from palimpsest_pipeline.records import Book, OddsRow

BOOK = Book.BETPAWA

#: category id -> price typeId -> (market definition, canonical outcome, fixed specifier), every row
_FULL_INDEX: dict[str, dict[str, tuple[BetPawaMarket, int, str]]] = {}
for _category, (_sport, _table) in BY_CATEGORY.items():
    _by_type: dict[str, tuple[BetPawaMarket, int, str]] = {}
    for _market in _table:
        _variant = VOCABULARY[_market.market].variant
        _fixed = _market.specifier or (f"variant={_variant}" if _variant else "")
        for _type_id, _name, _outcome in _market.prices:
            if _type_id in _by_type:
                raise RuntimeError(f"BetPawa typeId {_type_id} mapped twice in category {_category}")
            _by_type[_type_id] = (_market, _outcome, _fixed)
    _FULL_INDEX[_category] = _by_type
#: The rows read where the grammar keys a price: those whose ``why`` says it cannot decide (rows.py);
#: where it does not (no name, a refusal), the whole table.
_INDEX = {
    category: {type_id: entry for type_id, entry in by_type.items() if entry[0].why}
    for category, by_type in _FULL_INDEX.items()
}


#: The line reader's kind of each table line rule (markets/grammar/lines.py).
_LINE_KINDS: dict[str, LineKind] = {"total": "total", "hcp": "hcp", "hcp3": "hcp3", "goalnr": "count"}
#: Asian handicap outcomes' sides: the side of a price whose name does not say it.
_AH_SIDES = {1714: 1, 1715: -1}


def _row_line(row: Mapping[str, Any], definition: BetPawaMarket) -> float | LineConflict | None:
    """The row's canonical line (home line for handicaps, the goal number), read by the line reader the
    grammar reads with; an Asian handicap price's side from its typeId's outcome in the table's row."""
    sides = None
    if definition.line == "hcp":
        outcomes = {type_id: outcome for type_id, _name, outcome in definition.prices}
        prices = row.get("prices")
        sides = [
            _AH_SIDES.get(outcomes.get(str(p.get("typeId")), 0), 0) if isinstance(p, JSON_OBJECT) else 0
            for p in (prices if isinstance(prices, list) else [])
        ]
    return row_line(row, _LINE_KINDS[definition.line], sides)


def _with_line(fixed: str, key: str, line: str) -> str:
    """The row's line joined with the market's fixed specifier (``setnr=1``), in UOF (sorted) order."""
    pairs = dict(part.split("=", 1) for part in fixed.split("|")) if fixed else {}
    pairs[key] = line
    return join_specifier(pairs)


_FOOTBALL = "2"


def _player_row(
    type_id: str,
    price: Mapping[str, Any],
    seen: set[tuple[int, str, int]],
    sr_id: int,
    value: float | None,
    is_open: bool,
    captured_at: datetime,
) -> OddsRow | None:
    """One player's price keyed by the player's name key; None (left unmapped) for a nameless price or a
    second player whose name normalises to an earlier one's (the key would be ambiguous)."""
    market, spec = PLAYER_MARKETS[type_id]
    try:
        outcome = name_key(str(price.get("name") or ""))
    except ValueError:
        return None
    if (market, spec, outcome) in seen:
        return None
    seen.add((market, spec, outcome))
    return OddsRow(sr_id, BOOK, market, spec, outcome, value, "open" if is_open else "suspended", captured_at)


#: What reading one hostile market or price can raise; it costs that market or price, not the event.
_UNREADABLE = (OddsPayloadError, SpecifierError, KeyError, TypeError, ValueError, AttributeError)


def parse_odds(payload: Mapping[str, Any], *, sr_id: int, captured_at: datetime) -> EventOdds:
    """Parse one ``GET events/{id}`` payload into canonical rows.

    A market or price that cannot be read is set aside (``EventOdds.set_aside``) and the rest parsed."""
    event = require_mapping(BOOK, payload, "payload")
    category = require_mapping(BOOK, event.get("category"), "category")
    check_key(BOOK, category.get("id"), "category.id")  # an unreadable sport costs the event, not silently
    index = _INDEX.get(str(category.get("id")), {})
    full_index = _FULL_INDEX.get(str(category.get("id")), {})
    sport = BY_CATEGORY.get(str(category.get("id")), (None, ()))[0]
    result = EventOdds()
    seen_players: set[tuple[int, str, int]] = set()
    seen_keys: set[tuple[int, str, int]] = set()
    for m_index, market in enumerate(require_list(BOOK, event.get("markets"), "markets")):
        where = f"markets[{m_index}]"
        try:
            market = require_mapping(BOOK, market, where)
            market_type = require_mapping(BOOK, market.get("marketType"), f"{where}.marketType")
            type_id = str(market_type.get("id"))
            check_key(BOOK, type_id, f"{where}.marketType.id")
            market_rows = require_list(BOOK, market.get("row"), f"{where}.row")
        except _UNREADABLE as error:
            result.set_aside(f"markets[{m_index}]", _reason(where, error))
            continue
        grammar_keys = _grammar_keys(market, sport)
        rows_before, aside_before = len(result.rows), len(result.malformed)
        for r_index, row in enumerate(market_rows):
            r_where = f"{where}.row[{r_index}]"
            try:
                row = require_mapping(BOOK, row, r_where)
                prices = require_list(BOOK, row.get("prices"), f"{r_where}.prices")
            except _UNREADABLE as error:
                result.set_aside(type_id, _reason(r_where, error))
                continue
            for p_index, price in enumerate(prices):
                try:
                    parsed = _price_row(
                        result,
                        price,
                        r_where,
                        p_index,
                        row,
                        type_id,
                        index,
                        full_index,
                        category,
                        seen_players,
                        sr_id,
                        captured_at,
                        grammar_keys.get((r_index, p_index)),
                        seen_keys,
                    )
                except _UNREADABLE as error:
                    result.set_aside(type_id, _reason(_price_where(r_where, p_index), error))
                    continue
                if parsed is not None:
                    result.rows.append(parsed)
        if len(result.malformed) > aside_before:  # a price set aside: its market's other lines not read whole
            result.unread_beside(result.rows[rows_before:])
    return result


def _grammar_keys(market: Mapping[str, Any], sport: str | None) -> grammar.PriceKeys:
    """The grammar's keys for a market's prices; a market it cannot even walk is left to the table, whose
    reading sets the unreadable parts aside with their reasons."""
    if sport is None:
        return {}
    try:
        return grammar.read_market(market, sport).keys
    except _UNREADABLE:
        return {}


def _reason(where: str, error: Exception) -> str:
    return (
        str(error)
        if isinstance(error, OddsPayloadError)
        else f"{BOOK.value}: {where}: unreadable ({error!r})"
    )


def _price_where(row_where: str, index: int) -> str:
    """Where a price is, formatted only for one that cannot be read (see ``common.BadValue``)."""
    return f"{row_where}.prices[{index}]"


def _price_row(
    result: EventOdds,
    price: Any,
    row_where: str,
    p_index: int,
    row: Mapping[str, Any],
    type_id: str,
    index: Mapping[str, Any],
    full_index: Mapping[str, Any],
    category: Mapping[str, Any],
    seen_players: set[tuple[int, str, int]],
    sr_id: int,
    captured_at: datetime,
    grammar_key: tuple[int, str, int] | Refusal | None,
    seen_keys: set[tuple[int, str, int]],
) -> OddsRow | None:
    """One price's row (None: not keyed), counted in ``result``'s account. A key already given to an
    earlier price of the event (one bet listed twice) is not given again: the later price stays unkeyed."""
    if type(price) is not dict:
        price = require_mapping(BOOK, price, _price_where(row_where, p_index))
    raw = price.get("odds", price.get("price"))
    try:
        value = price_value(raw)
    except BadValue as bad:
        raise OddsPayloadError(BOOK, f"{_price_where(row_where, p_index)}.odds", bad.what) from None
    suspended = price.get("suspended") is True
    is_open = value is not None and not suspended
    if isinstance(grammar_key, LineConflict):  # the row's line cannot be read: no table may key it either
        raise OddsPayloadError(BOOK, row_where, grammar_key.reason)
    type_key = price.get("typeId")
    problem = id_problem(type_key)
    if problem is not None:
        raise OddsPayloadError(BOOK, f"{_price_where(row_where, p_index)}.typeId", problem)
    entry = index.get(str(type_key))
    if entry is None and not isinstance(grammar_key, tuple):
        entry = full_index.get(str(type_key))  # the grammar cannot decide (refused, or unreadable): the table
    player_row = None
    if entry is None and type_id in PLAYER_MARKETS and category.get("id") == _FOOTBALL:
        player_row = _player_row(type_id, price, seen_players, sr_id, value, is_open, captured_at)
    table_key = None
    grammar_uof = isinstance(grammar_key, tuple) and grammar_key[0] != DESCRIBED
    if player_row is None and not grammar_uof and entry is not None and entry[0].type_id == type_id:
        table_key = _table_key(entry, price, row, row_where, p_index, type_id)
    if isinstance(grammar_key, Unreadable) and not stands_in(table_key):
        # a name no book writes: keyed by the table's family or the player's name key it would be this
        # price keyed one way when its name reads and another when not; set aside with the grammar's reason
        raise OddsPayloadError(BOOK, _price_where(row_where, p_index), grammar_key.reason)
    keyed: OddsRow | None = player_row
    if player_row is None:
        key = choose(grammar_key, table_key)
        if key is not None and key not in seen_keys:
            seen_keys.add(key)
            keyed = OddsRow(
                sr_id, BOOK, key[0], key[1], key[2], value, "open" if is_open else "suspended", captured_at
            )
    if keyed is not None:  # a player known by name: the text resolves it (scrape/odds/players.py)
        result.name_player(keyed, str(price.get("name") or ""))
    # counted only once the price is read whole: a price set aside above is in ``malformed``, not here
    if is_open:
        result.open_outcomes += 1
        if keyed is None:
            result.count_unmapped(type_id)
        else:
            result.count_keyed(keyed.market)
    return keyed


def _table_key(
    entry: tuple[BetPawaMarket, int, str],
    price: Mapping[str, Any],
    row: Mapping[str, Any],
    row_where: str,
    p_index: int,
    type_id: str,
) -> tuple[int, str, int]:
    """The reviewed table's key of one price (markets/mapping_betpawa.py); its line is the row's (``price``
    is one of the row's prices, read with the others)."""
    definition, outcome, spec = entry
    if definition.line != "none":
        line = _row_line(row, definition)
        if isinstance(line, LineConflict):
            raise OddsPayloadError(BOOK, row_where, line.reason)
        if line is None:
            where = _price_where(row_where, p_index)
            raise OddsPayloadError(BOOK, where, f"market {type_id} needs a line and none is given")
        key = "goalnr" if definition.line == "goalnr" else ("total" if definition.line == "total" else "hcp")
        try:
            spec = _with_line(spec, key, format_line(line))
        except SpecifierError as exc:
            raise OddsPayloadError(BOOK, _price_where(row_where, p_index), str(exc)) from None
    return (definition.market, spec, outcome)
