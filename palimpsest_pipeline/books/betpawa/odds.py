"""BetPawa event detail (v4, v3 accepted) -> canonical odds rows, keyed by the market grammar
(markets/grammar/betpawa.py) and, where it cannot decide, by markets/mapping_betpawa.py.

Price: ``odds`` (v4), falling back to ``price`` (v3). Line: read by markets/grammar/lines.py from every place
the row carries it (price text, specifier, row handicap in quarter units, formattedHandicap), keyed only when
they agree; a row whose places disagree is set aside with the reason.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from palimpsest_pipeline.books.odds_errors import OddsPayloadError
from palimpsest_pipeline.books.odds_parse import EventOdds, is_name_keyed
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
from palimpsest_pipeline.markets.grammar.player_bets import is_plain_player, names_no_scorer
from palimpsest_pipeline.markets.grammar.precedence import choose, stands_in
from palimpsest_pipeline.markets.grammar.walk import JSON_OBJECT
from palimpsest_pipeline.markets.mapping_betpawa import BY_CATEGORY, PLAYER_MARKETS, BetPawaMarket
from palimpsest_pipeline.markets.players import name_key
from palimpsest_pipeline.markets.specifiers import SpecifierError, format_line, join_specifier
from palimpsest_pipeline.markets.vocabulary import VOCABULARY, key_kind
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


#: What reading one hostile market or price can raise; it costs that market or price, not the event.
_UNREADABLE = (OddsPayloadError, SpecifierError, KeyError, TypeError, ValueError, AttributeError)


@dataclass(frozen=True, slots=True)
class _Aside:
    """A part a plan sets aside: where (after the market's ``markets[i]``) and why, as its error said it."""

    where: str
    what: str
    #: an ``OddsPayloadError`` (its own words), else any other unreadable value (``unreadable (<repr>)``)
    payload: bool

    @classmethod
    def of(cls, error: Exception, where: str) -> _Aside:
        if isinstance(error, OddsPayloadError):
            return cls(error.where, error.what, True)
        return cls(where, repr(error), False)

    def reason(self, market_where: str) -> str:
        where = market_where + self.where
        if self.payload:
            return str(OddsPayloadError(BOOK, where, self.what))
        return f"{BOOK.value}: {where}: unreadable ({self.what})"


#: How a key is counted (``EventOdds.count_keyed``): uof, native, composed, canonical.
_KINDS = ("uof", "native", "composed", "canonical")
#: A price keyed (or not) by its market's shape alone: (key or None, its kind's place in ``_KINDS``, the
#: book's text where the key names its player by name, else None).
_Keyed = tuple[tuple[int, str, int] | None, int, str | None]
_UNKEYED: _Keyed = (None, 0, None)


@dataclass(frozen=True, slots=True)
class _Unusual:
    """A price whose shape sets it aside, or that is a player keyed by name (event-wide: the first price of a
    name takes it)."""

    #: not an object: set aside before its value is read
    not_object: _Aside | None = None
    #: set aside once its value reads (an unreadable line or typeId, a table line that cannot be read)
    aside: _Aside | None = None
    #: a player market's price: (market, specifier, the name's key); a name without a key is no player
    player: tuple[int, str, int] | None = None
    #: the player's key's kind and text, as ``keyed``
    player_keyed: _Keyed = _UNKEYED
    #: set aside after the player is taken: a name no book writes, that no table key stands in for
    late_aside: _Aside | None = None
    #: the key when no player takes the price
    keyed: _Keyed = _UNKEYED


#: One market's plan: per row, each price's plan, or why the row is set aside whole.
_Plan = tuple[tuple[_Keyed | _Unusual, ...] | _Aside, ...]


@dataclass(frozen=True, slots=True)
class _Category:
    """What a market's plan depends on beside the market: the event's category (its tables and sport)."""

    index: Mapping[str, tuple[BetPawaMarket, int, str]]
    full_index: Mapping[str, tuple[BetPawaMarket, int, str]]
    sport: str | None
    football: bool

    @classmethod
    def of(cls, category_id: Any) -> _Category:
        text = str(category_id)
        sport = BY_CATEGORY.get(text, (None, ()))[0]
        return cls(_INDEX.get(text, {}), _FULL_INDEX.get(text, {}), sport, category_id == _FOOTBALL)


def parse_odds(payload: Mapping[str, Any], *, sr_id: int, captured_at: datetime) -> EventOdds:
    """Parse one ``GET events/{id}`` payload into canonical rows.

    A market or price that cannot be read is set aside (``EventOdds.set_aside``) and the rest parsed. A
    market is keyed by its shape's plan (:func:`_plan`): per event, only its prices' values are read."""
    event = require_mapping(BOOK, payload, "payload")
    category = require_mapping(BOOK, event.get("category"), "category")
    category_id = category.get("id")
    check_key(BOOK, category_id, "category.id")  # an unreadable sport costs the event, not silently
    context = _Category.of(category_id)
    parse = _EventParse(sr_id, captured_at)
    result = parse.result
    for m_index, market in enumerate(require_list(BOOK, event.get("markets"), "markets")):
        where = f"markets[{m_index}]"
        try:
            market = require_mapping(BOOK, market, where)
            market_type = require_mapping(BOOK, market.get("marketType"), f"{where}.marketType")
            type_id = str(market_type.get("id"))
            check_key(BOOK, type_id, f"{where}.marketType.id")
            market_rows = require_list(BOOK, market.get("row"), f"{where}.row")
        except _UNREADABLE as error:
            result.set_aside(f"markets[{m_index}]", _Aside.of(error, where).reason(""))
            continue
        plan = _plan(market, market_type, type_id, market_rows, category_id, context)
        parse.market(where, type_id, market_rows, plan)
    return parse.finish()


def _price_where(row_where: str, index: int) -> str:
    """Where a price is, formatted only for one that cannot be read (see ``common.BadValue``)."""
    return f"{row_where}.prices[{index}]"


#: Plans by market shape (:func:`_shape`); cleared whole when full (books reuse a few thousand markets).
_PLANS: dict[tuple[Any, ...], _Plan] = {}
_MAX_PLANS = 20_000


def _plan(
    market: Mapping[str, Any],
    market_type: Mapping[str, Any],
    type_id: str,
    market_rows: list[Any],
    category_id: Any,
    context: _Category,
) -> _Plan:
    """The market's plan: a list of players by name from its player shape's (:func:`_players_plan`: each
    event lists other players), else remembered by its shape; a market of no plain shape is planned for
    itself."""
    plan = _players_plan(market_type, type_id, market_rows, category_id, context)
    if plan is not None:
        return plan
    shape = _shape(market_type, type_id, market_rows, category_id)
    if shape is None:
        return _make_plan(market, type_id, market_rows, context)
    try:
        plan = _PLANS.get(shape)
    except TypeError:  # a value that cannot be a key (a list where a name belongs)
        return _make_plan(market, type_id, market_rows, context)
    if plan is None:
        if len(_PLANS) >= _MAX_PLANS:
            _PLANS.clear()
        plan = _PLANS[shape] = _make_plan(market, type_id, market_rows, context)
    return plan


def _shape(
    market_type: Mapping[str, Any],
    type_id: str,
    market_rows: list[Any],
    category_id: Any,
    names: Iterator[str] | None = None,
) -> tuple[Any, ...] | None:
    """Everything a plan reads (category, the market's id and names, each row's lines and each price's
    typeId, name, line and specifier: not its value), with each value's type (1, 1.0 and True are equal keys
    but not equal readings); None where a row or price is not an object. ``names``: each price's name as
    read in its stead (a player shape's frames)."""
    flat: list[Any] = [category_id, type_id, market_type.get("name"), market_type.get("displayName")]
    extend = flat.extend
    try:
        for row in market_rows:
            if type(row) is not dict:
                return None
            prices = row.get("prices")
            if type(prices) is not list:
                return None
            specifier = row.get("specifier")
            if type(specifier) is dict:  # most lines' rows: made hashable here, not the whole shape after
                specifier = _hashable(specifier)
            extend((len(prices), specifier, row.get("handicap"), row.get("formattedHandicap")))
            for price in prices:
                name = price.get("name") if names is None else next(names)
                extend((price.get("typeId"), name, price.get("handicap"), price.get("specifier")))
    except AttributeError:  # a price that is not an object
        return None
    types = tuple(map(type, flat))
    if dict in types or float in types:
        return tuple(map(_hashable, flat)), types
    return tuple(flat), types


def _hashable(value: Any) -> Any:
    """An object (a specifier) as a hashable value with its values' types, and a float as written (-0.0 ==
    0.0, but a reason quotes each as written); anything else as it is."""
    kind = type(value)
    if kind is float:
        return repr(value)
    if kind is dict:
        values = tuple(value.values())
        return tuple(value), tuple(map(_hashable, values)), tuple(map(type, values))
    return value


#: Plans of lists of players by name, by player shape (:func:`_players_plan`): the plan made for
#: placeholder players and their keys (player, whole name), or None where that plan does not carry over.
_PLAYER_PLANS: dict[tuple[Any, ...], tuple[_Plan, tuple[Any, ...], tuple[Any, ...]] | None] = {}
#: A price name of a list of players: (its frame, the player's name key, the whole name's key).
_NameReading = tuple[str, int | None, int]
#: Each plain player's price name read (:func:`_name_reading`), None for any other name; cleared when full.
_NAME_READINGS: dict[str, _NameReading | None] = {}
_UNREAD: _NameReading = ("?", None, 0)
_MAX_NAMES = 50_000
_NAMED_SIDES = (" Over", " Under")


def _players_plan(
    market_type: Mapping[str, Any],
    type_id: str,
    market_rows: list[Any],
    category_id: Any,
    context: _Category,
) -> _Plan | None:
    """A list of football players known by name (the grammar reads it so from its type's names alone), each
    price a plain player's name: keyed by the plan of its player shape (:func:`_shape` with each name's
    frame, and which prices name the same player) with the placeholders' keys and texts turned into its
    players'. None for any other market, which is planned for itself."""
    if context.sport != "football":
        return None
    readings: list[_NameReading] = []
    texts: list[str] = []
    read_before = _NAME_READINGS.get
    for row in market_rows:
        prices = row.get("prices") if type(row) is dict else None
        if type(prices) is not list:
            return None
        for price in prices:
            name = price.get("name") if type(price) is dict else None
            if type(name) is not str:
                return None
            reading = read_before(name, _UNREAD)
            if reading is _UNREAD:
                reading = _name_reading(name)
            if reading is None:
                return None
            readings.append(reading)
            texts.append(name)
    bet = grammar.named_players_bet(market_type, context.sport, texts)
    if bet is None:
        return None
    players, player_keys = _pattern([reading[1] for reading in readings])
    wholes, whole_keys = _pattern([reading[2] for reading in readings])
    frames = _shape(market_type, type_id, market_rows, category_id, (reading[0] for reading in readings))
    if frames is None:
        return None
    shape = (frames, players, wholes, bet)
    try:
        known = shape in _PLAYER_PLANS
    except TypeError:
        return None
    if not known:
        return _first_players_plan(shape, market_type, type_id, market_rows, context, readings, texts)
    made = _PLAYER_PLANS[shape]
    if made is None:
        return None
    plan, placeholder_players, placeholder_wholes = made
    keys = dict(zip(placeholder_wholes, whole_keys, strict=True))
    keys.update(zip(placeholder_players, player_keys, strict=True))
    if 0 in keys.values():  # a name key of 0 is not negative: it keys unlike the placeholder's
        return None
    return _as_players(plan, keys, texts)


def _first_players_plan(
    shape: tuple[Any, ...],
    market_type: Mapping[str, Any],
    type_id: str,
    market_rows: list[Any],
    context: _Category,
    readings: list[_NameReading],
    texts: list[str],
) -> _Plan:
    """The first market of a player shape, planned for itself; the shape's plan is made for placeholder
    players in its players' places, and kept only where it carries over: no part set aside, and turned
    into this market's players it is this market's own plan."""
    plan = _make_plan({"marketType": market_type, "row": market_rows}, type_id, market_rows, context)
    _frames, players, wholes, bet = shape
    placeholders = [_placeholder(index) for index in players]
    fake_texts = [
        reading[0] if reading[1] is None else player + reading[0]  # a name read as itself is kept
        for player, reading in zip(placeholders, readings, strict=True)
    ]
    fake_rows = []
    position = iter(fake_texts)
    for row in market_rows:
        fake_rows.append({**row, "prices": [{**price, "name": next(position)} for price in row["prices"]]})
    fake_plan = _make_plan({"marketType": market_type, "row": fake_rows}, type_id, fake_rows, context)
    fake_players, fake_player_keys = _pattern(
        [
            None if reading[1] is None else name_key(player)
            for player, reading in zip(placeholders, readings, strict=True)
        ]
    )
    fake_wholes, fake_whole_keys = _pattern([name_key(text) for text in fake_texts])
    keys: dict[Any, int] = {}
    named: dict[Any, str] = {}  # each placeholder key's text: two texts of one key would be mixed up
    for index, reading in enumerate(readings):
        for fake, text, real in (
            (fake_player_keys[fake_players[index]], placeholders[index], reading[1]),
            (fake_whole_keys[fake_wholes[index]], fake_texts[index], reading[2]),
        ):
            if real is None:  # no player: its whole name is kept
                continue
            if named.setdefault(fake, text) != text:
                fake_players = ()
            keys[fake] = real
    made = None
    same_bet = grammar.named_players_bet(market_type, context.sport, fake_texts) == bet
    same_players = (fake_players, fake_wholes) == (players, wholes)
    if same_players and same_bet and _carries_over(fake_plan) and _as_players(fake_plan, keys, texts) == plan:
        made = (fake_plan, fake_player_keys, fake_whole_keys)
    if len(_PLAYER_PLANS) >= _MAX_PLANS:
        _PLAYER_PLANS.clear()
    _PLAYER_PLANS[shape] = made
    return plan


def _name_reading(name: str) -> _NameReading | None:
    """(frame, the player's name key, the whole name's key) of a plain player's price name ("Kylian Mbappe",
    "Kylian Mbappe 2+", "Kylian Mbappe Over": frames "", " 2+", " Over"); a "no goal" name is its own frame,
    of no player; None for any other name. Read once and remembered (the caller looks in
    ``_NAME_READINGS`` first)."""
    player, frame = name, ""
    reading: _NameReading | None
    if name.endswith("+"):
        player, _, count = name[:-1].rpartition(" ")
        frame = f" {count}+" if count.isascii() and count.isdigit() and len(count) <= 2 else "?"
    elif name.endswith(_NAMED_SIDES):
        player, _, side = name.rpartition(" ")
        frame = f" {side}"
    if frame != "?" and is_plain_player(player):
        key = name_key(player)
        reading = (frame, key, name_key(name) if frame else key)
    else:
        reading = (name, None, name_key(name)) if names_no_scorer(name) else None
    if len(_NAME_READINGS) >= _MAX_NAMES:
        _NAME_READINGS.clear()
    _NAME_READINGS[name] = reading
    return reading


def _pattern(keys: list[Any]) -> tuple[tuple[int, ...], tuple[Any, ...]]:
    """Which prices share a key: each price's index among the distinct keys, and those keys in order."""
    distinct: dict[Any, int] = {}
    indices = tuple(distinct.setdefault(key, len(distinct)) for key in keys)
    return indices, tuple(distinct)


def _placeholder(index: int) -> str:
    """A plain player's name for a player shape's ``index``-th player ("Placeholder Pa", "Placeholder Pb")."""
    letters = ""
    while True:
        index, digit = divmod(index, 26)
        letters = chr(ord("a") + digit) + letters
        if not index:
            return f"Placeholder P{letters}"


def _carries_over(plan: _Plan) -> bool:
    """Whether a plan sets nothing aside: set-aside reasons quote the names, so they are each market's own."""
    return all(
        not isinstance(row, _Aside)
        and all(
            not isinstance(entry, _Unusual)
            or (entry.not_object is None and entry.aside is None and entry.late_aside is None)
            for entry in row
        )
        for row in plan
    )


def _as_players(plan: _Plan, keys: dict[Any, int], texts: list[str]) -> _Plan:
    """A player shape's plan with each placeholder's key turned into its player's (as the outcome, or the
    ``player=`` of a specifier) and each price's text into its own (``texts``, in price order)."""
    specs = {f"player={fake}": f"player={real}" for fake, real in keys.items()}
    position = iter(texts)
    rows: list[tuple[_Keyed | _Unusual, ...] | _Aside] = []
    for row in plan:
        if isinstance(row, _Aside):  # not in a plan that carries over
            rows.append(row)
            continue
        entries: list[_Keyed | _Unusual] = []
        append = entries.append
        for entry in row:
            text = next(position)
            if isinstance(entry, _Unusual):
                append(
                    _Unusual(
                        player=None if entry.player is None else _key_as(entry.player, keys, specs),
                        player_keyed=_keyed_as(entry.player_keyed, keys, specs, text),
                        keyed=_keyed_as(entry.keyed, keys, specs, text),
                    )
                )
                continue
            append(_keyed_as(entry, keys, specs, text))
        rows.append(tuple(entries))
    return tuple(rows)


def _key_as(key: tuple[int, str, int], keys: dict[Any, int], specs: dict[str, str]) -> tuple[int, str, int]:
    market, spec, outcome = key
    if "player=" in spec:
        spec = "|".join([specs.get(part, part) for part in spec.split("|")])
    return market, spec, keys.get(outcome, outcome)


def _keyed_as(keyed: _Keyed, keys: dict[Any, int], specs: dict[str, str], text: str) -> _Keyed:
    """A placeholder's keyed price as its player's: the same kind, its text kept where the placeholder's is
    (a negative name key for a negative one: the key names its player by name just as well)."""
    key, kind, kept = keyed
    if key is None:
        return keyed
    return _key_as(key, keys, specs), kind, None if kept is None else text


def _make_plan(market: Mapping[str, Any], type_id: str, market_rows: list[Any], context: _Category) -> _Plan:
    """What each price of the market is keyed by, read once per shape (wheres after ``markets[i]``)."""
    grammar_keys = _grammar_keys(market, context.sport)
    plan: list[tuple[_Keyed | _Unusual, ...] | _Aside] = []
    for r_index, row in enumerate(market_rows):
        r_where = f".row[{r_index}]"
        try:
            row = require_mapping(BOOK, row, r_where)
            prices = require_list(BOOK, row.get("prices"), f"{r_where}.prices")
        except _UNREADABLE as error:
            plan.append(_Aside.of(error, r_where))
            continue
        plan.append(
            tuple(
                _price_plan(
                    price, r_where, p_index, row, type_id, context, grammar_keys.get((r_index, p_index))
                )
                for p_index, price in enumerate(prices)
            )
        )
    return tuple(plan)


def _grammar_keys(market: Mapping[str, Any], sport: str | None) -> grammar.PriceKeys:
    """The grammar's keys for a market's prices; a market it cannot even walk is left to the table, whose
    reading sets the unreadable parts aside with their reasons."""
    if sport is None:
        return {}
    try:
        return grammar.read_market(market, sport).keys
    except _UNREADABLE:
        return {}


def _keyed(key: tuple[int, str, int] | None, text: str) -> _Keyed:
    if key is None:
        return _UNKEYED
    kind = _KIND_OF.get(key[0])
    if kind is None:
        kind = _KIND_OF[key[0]] = _KINDS.index(key_kind(key[0]))
    return key, kind, text if is_name_keyed(*key) else None


#: Each market id's kind (``_KINDS``), as worked out for it (a few hundred ids).
_KIND_OF: dict[int, int] = {}


def _price_plan(
    price: Any,
    row_where: str,
    p_index: int,
    row: Mapping[str, Any],
    type_id: str,
    context: _Category,
    grammar_key: tuple[int, str, int] | Refusal | None,
) -> _Keyed | _Unusual:
    """One price's plan: the key it takes (None: not keyed) when its value reads, or what sets it aside. A
    key already given to an earlier price of the event (one bet listed twice) is not given again."""
    if type(price) is not dict:
        try:
            price = require_mapping(BOOK, price, _price_where(row_where, p_index))
        except _UNREADABLE as error:
            return _Unusual(not_object=_Aside.of(error, _price_where(row_where, p_index)))
    try:
        if isinstance(grammar_key, LineConflict):  # the row's line cannot be read: no table may key it either
            raise OddsPayloadError(BOOK, row_where, grammar_key.reason)
        type_key = price.get("typeId")
        problem = id_problem(type_key)
        if problem is not None:
            raise OddsPayloadError(BOOK, f"{_price_where(row_where, p_index)}.typeId", problem)
        type_text = str(type_key)
        entry = context.index.get(type_text)
        if entry is None and not isinstance(grammar_key, tuple):
            entry = context.full_index.get(type_text)  # the grammar cannot decide: the table
        text = str(price.get("name") or "")
        player = None
        if entry is None and type_id in PLAYER_MARKETS and context.football:
            player = _player_key(type_id, text)
        table_key = None
        grammar_uof = isinstance(grammar_key, tuple) and grammar_key[0] != DESCRIBED
        if not grammar_uof and entry is not None and entry[0].type_id == type_id:
            table_key = _table_key(entry, price, row, row_where, p_index, type_id)
    except _UNREADABLE as error:
        return _Unusual(aside=_Aside.of(error, _price_where(row_where, p_index)))
    late_aside = None
    if isinstance(grammar_key, Unreadable) and not stands_in(table_key):
        # a name no book writes: keyed by the table's family or the player's name key it would be this
        # price keyed one way when its name reads and another when not; set aside with the grammar's reason
        late_aside = _Aside(_price_where(row_where, p_index), grammar_key.reason, True)
    keyed = _keyed(choose(grammar_key, table_key), text)
    if player is None and late_aside is None:
        return keyed
    player_keyed = _keyed(player, text)
    return _Unusual(player=player, player_keyed=player_keyed, late_aside=late_aside, keyed=keyed)


def _player_key(type_id: str, text: str) -> tuple[int, str, int] | None:
    """A player market's price keyed by the player's name key; None for a price without a name to key."""
    market, spec = PLAYER_MARKETS[type_id]
    try:
        return market, spec, name_key(text)
    except ValueError:
        return None


_ABSENT = object()
_INFINITY = float("inf")
#: Builds a row from its 8 values, in C (``OddsRow(...)`` runs a Python ``__new__``).
_ROW = partial(tuple.__new__, OddsRow)


class _EventParse:
    """One event's parse: its prices keyed by their markets' plans, each key and player given once."""

    def __init__(self, sr_id: int, captured_at: datetime) -> None:
        self.result = EventOdds()
        self.sr_id, self.captured_at = sr_id, captured_at
        self.seen_keys: set[tuple[int, str, int]] = set()
        self.seen_players: set[tuple[int, str, int]] = set()
        self.open = 0
        self.kinds = [0, 0, 0, 0]  # keyed open outcomes by kind (``_KINDS``)

    def finish(self) -> EventOdds:
        result, kinds = self.result, self.kinds
        result.open_outcomes = self.open
        result.mapped_outcomes = sum(kinds)
        result.native_outcomes, result.composed_outcomes, result.canonical_outcomes = kinds[1:]
        return result

    def market(self, where: str, type_id: str, market_rows: list[Any], plan: _Plan) -> None:
        """Key one market's prices by its plan; counted in the account once each price reads whole (a price
        set aside is in ``malformed``). A price set aside leaves the market's other lines not read whole."""
        result, seen_keys, kinds = self.result, self.seen_keys, self.kinds
        rows, unmapped, names = result.rows, result.unmapped, result.player_names
        append = rows.append
        sr_id, captured_at = self.sr_id, self.captured_at
        rows_before, aside_before = len(rows), len(result.malformed)
        opened = 0
        for r_index, row_plan in enumerate(plan):
            if isinstance(row_plan, _Aside):
                result.set_aside(type_id, row_plan.reason(where))
                continue
            for p_index, price in enumerate(market_rows[r_index].get("prices")):
                entry = row_plan[p_index]
                if isinstance(entry, _Unusual):
                    read = self._unusual(entry, price, where, r_index, p_index, type_id)
                    if read is None:
                        continue
                    is_open, key, kind = read
                else:
                    raw = price.get("odds", _ABSENT)
                    if raw is _ABSENT:
                        raw = price.get("price")
                    if type(raw) is float and 1.0 < raw < _INFINITY:
                        value: float | None = raw
                    else:
                        try:
                            value = price_value(raw)
                        except BadValue as bad:
                            self._bad_value(bad, where, r_index, p_index, type_id)
                            continue
                    suspended = price.get("suspended")
                    if suspended is not True and suspended is not False and suspended is not None:
                        self._bad_suspension(suspended, where, r_index, p_index, type_id)
                        continue
                    is_open = value is not None and suspended is not True
                    key, kind, text = entry
                    if key is not None:
                        if key in seen_keys:
                            key = None
                        else:
                            seen_keys.add(key)
                            state = "open" if is_open else "suspended"
                            append(_ROW((sr_id, BOOK, *key, value, state, captured_at)))
                            if text is not None:  # a player known by name: the text resolves it
                                names[key] = text
                if is_open:
                    opened += 1
                    if key is None:
                        unmapped[type_id] = unmapped.get(type_id, 0) + 1
                    else:
                        kinds[kind] += 1
        self.open += opened
        if len(result.malformed) > aside_before:
            result.unread_beside(rows[rows_before:])

    def _bad_value(self, bad: BadValue, where: str, r_index: int, p_index: int, type_id: str) -> None:
        price_where = _price_where(f"{where}.row[{r_index}]", p_index)
        self.result.set_aside(type_id, str(OddsPayloadError(BOOK, f"{price_where}.odds", bad.what)))

    def _bad_suspension(self, value: Any, where: str, r_index: int, p_index: int, type_id: str) -> None:
        """A price whose ``suspended`` is neither true nor false (nor absent): whether it can be taken cannot
        be read, so it is set aside, never guessed open or suspended."""
        price_where = _price_where(f"{where}.row[{r_index}]", p_index)
        what = f"{str(value)[:40]!r} is not true or false"
        self.result.set_aside(type_id, str(OddsPayloadError(BOOK, f"{price_where}.suspended", what)))

    def _unusual(
        self, entry: _Unusual, price: Any, where: str, r_index: int, p_index: int, type_id: str
    ) -> tuple[bool, tuple[int, str, int] | None, int] | None:
        """(open, key or None, its kind) of a price planned as :class:`_Unusual`; None when set aside."""
        result = self.result
        if entry.not_object is not None:
            result.set_aside(type_id, entry.not_object.reason(where))
            return None
        try:
            value = price_value(price.get("odds", price.get("price")))
        except BadValue as bad:
            self._bad_value(bad, where, r_index, p_index, type_id)
            return None
        if entry.aside is not None:
            result.set_aside(type_id, entry.aside.reason(where))
            return None
        suspended = price.get("suspended")
        if suspended is not True and suspended is not False and suspended is not None:
            self._bad_suspension(suspended, where, r_index, p_index, type_id)
            return None
        is_open = value is not None and suspended is not True
        state = "open" if is_open else "suspended"
        player, keyed = entry.player, entry.keyed
        by_name = False
        if player is not None and player not in self.seen_players:
            self.seen_players.add(player)  # the first price of a name takes it
            keyed, by_name = entry.player_keyed, True
        if entry.late_aside is not None:
            result.set_aside(type_id, entry.late_aside.reason(where))
            return None
        key, kind, text = keyed
        if key is None or (not by_name and key in self.seen_keys):
            return is_open, None, 0
        if not by_name:
            self.seen_keys.add(key)
        result.rows.append(_ROW((self.sr_id, BOOK, *key, value, state, self.captured_at)))
        if text is not None:
            result.player_names[key] = text
        return is_open, key, kind


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
