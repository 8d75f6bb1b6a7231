"""BetPawa's keyer: a market keyed by the market grammar from its names (markets/grammar/betpawa.py), else by
the reviewed table (markets/mapping_betpawa.py), a football goalscorer by the player's name; a list of
football players planned once per player form (markets/grammar/betpawa_players.py). The shape (odds.py):
``names`` the type's (name, displayName), ``lines`` one ``("row", (count, handicap, formattedHandicap,
specifier))`` per row, per outcome the typeId, its text name and its lines.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import suppress
from typing import Any

from palimpsest_pipeline.books.odds_errors import UNREADABLE, OddsPayloadError
from palimpsest_pipeline.books.odds_parse import is_name_keyed
from palimpsest_pipeline.books.odds_values import id_problem
from palimpsest_pipeline.markets.grammar import betpawa as grammar
from palimpsest_pipeline.markets.grammar.betpawa_players import player_form, stand_ins
from palimpsest_pipeline.markets.grammar.canonical import DESCRIBED
from palimpsest_pipeline.markets.grammar.description import Key as GrammarKey
from palimpsest_pipeline.markets.grammar.description import Refusal, Unreadable
from palimpsest_pipeline.markets.grammar.lines import LineConflict, LineKind, row_line
from palimpsest_pipeline.markets.grammar.precedence import choose, stands_in
from palimpsest_pipeline.markets.grammar.walk import JSON_OBJECT
from palimpsest_pipeline.markets.keying.plans import FactsRead
from palimpsest_pipeline.markets.keying.records import Key, MarketShape, Plan, Why
from palimpsest_pipeline.markets.mapping_betpawa import BY_CATEGORY, PLAYER_MARKETS, BetPawaMarket
from palimpsest_pipeline.markets.players import name_key
from palimpsest_pipeline.markets.specifiers import SpecifierError, format_line, join_specifier
from palimpsest_pipeline.markets.vocabulary import VOCABULARY
from palimpsest_pipeline.records import Book

BOOK = Book.BETPAWA
#: A table row's price: (its market's row, the canonical outcome, the market's fixed specifier).
TableEntry = tuple[BetPawaMarket, int, str]
#: The ref of an outcome the extraction could not read (a price or a row that is no object): its fault says
#: why, and it is keyed by nothing.
UNREAD = ("unread",)


def sport_of(category_id: Any) -> str | None:
    """The canonical sport of a BetPawa category id (its tables are that sport's), None for another."""
    return BY_CATEGORY.get(str(category_id), (None, ()))[0]


def _index(table: tuple[BetPawaMarket, ...], sport: str) -> dict[str, TableEntry]:
    """price typeId -> its table entry, over a sport's whole table."""
    by_type: dict[str, TableEntry] = {}
    for market in table:
        variant = VOCABULARY[market.market].variant
        fixed = market.specifier or (f"variant={variant}" if variant else "")
        for type_id, _name, outcome in market.prices:
            if type_id in by_type:
                raise RuntimeError(f"BetPawa typeId {type_id} mapped twice in {sport}")
            by_type[type_id] = (market, outcome, fixed)
    return by_type


#: sport -> price typeId -> table entry, every row.
_FULL_INDEX = {sport: _index(table, sport) for sport, table in BY_CATEGORY.values()}
#: The rows read where the grammar keys a price: those whose ``why`` says it cannot decide (rows.py).
_INDEX = {
    sport: {type_id: entry for type_id, entry in by_type.items() if entry[0].why}
    for sport, by_type in _FULL_INDEX.items()
}
#: The line reader's kind of each table line rule.
_LINE_KINDS: dict[str, LineKind] = {"total": "total", "hcp": "hcp", "hcp3": "hcp3", "goalnr": "count"}
#: The specifier key each table line rule writes its line under.
_LINE_KEYS = {"total": "total", "hcp": "hcp", "hcp3": "hcp", "goalnr": "goalnr"}
#: Asian handicap outcomes' sides: the side of a price whose name does not say it.
_AH_SIDES = {1714: 1, 1715: -1}


def written(value: Any) -> Any:
    """A payload value as the shape holds it: text, a whole number or None as it is; any other JSON value
    as a tagged tuple that keeps its type (1, 1.0 and True are equal keys but not equal readings) and that
    :func:`_read_back` turns back into an equal value."""
    kind = type(value)
    if kind is str or kind is int or value is None:
        return value
    if kind is float:
        return ("float", repr(value))
    if kind is bool:
        return ("bool", value)
    if kind is dict:
        items = tuple(value.items())
        for key, item in items:
            if type(key) is not str or (item is not None and type(item) is not str and type(item) is not int):
                return ("dict", tuple([(written(key), written(item)) for key, item in items]))
        return ("dict", items)
    if kind is list:
        return ("list", tuple(map(written, value)))
    if isinstance(value, str):
        return str(value)
    return ("repr", repr(value))


class _Written:
    """A value of no JSON type, as written (its ``repr``): unreadable wherever a line or name is read."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text

    __str__ = __repr__


def _read_back(value: Any) -> Any:
    """A value as :func:`written` wrote it, back as the payload had it."""
    if type(value) is not tuple:
        return value
    tag, body = value
    if tag == "float":
        return float(body)
    if tag == "bool":
        return body
    if tag == "dict":
        return {_read_back(key): _read_back(item) for key, item in body}
    if tag == "list":
        return [_read_back(item) for item in body]
    return _Written(body)


def _view(shape: MarketShape) -> dict[str, Any]:
    """The market as the grammar and the table read it, rebuilt from its shape."""
    rows: list[Any] = []
    position = 0
    refs, names, lines = shape.refs, shape.outcome_names, shape.outcome_lines or ()
    for _place, row in shape.lines:
        if row is None:
            rows.append(None)
            position += 1
            continue
        count, handicap, formatted, specifier = row
        view: dict[str, Any] = {
            "handicap": _read_back(handicap),
            "formattedHandicap": _read_back(formatted),
            "specifier": _read_back(specifier),
            "prices": None,
        }
        if count is None:
            position += 1
        else:
            prices: list[Any] = []
            for index in range(position, position + count):
                ref, name = refs[index], names[index]
                if ref == UNREAD:
                    prices.append(None)
                    continue
                own_lines: tuple[Any, ...] = (None, None)
                if lines[index]:  # most prices write no line of their own and a name in text
                    places = dict(lines[index])
                    name = _read_back(places["name"]) if "name" in places else name
                    own_lines = (_read_back(places.get("handicap")), _read_back(places.get("specifier")))
                ref = ref if type(ref) is str else _read_back(ref)
                prices.append(
                    {"typeId": ref, "name": name, "handicap": own_lines[0], "specifier": own_lines[1]}
                )
            view["prices"] = prices
            position += count
        rows.append(view)
    market_type = {"name": shape.names[0], "displayName": shape.names[1]}
    return {"marketType": market_type, "row": rows}


def table_key(entry: TableEntry, row: Mapping[str, Any], p_index: int) -> Key:
    """The reviewed table's key of the ``p_index``-th price of ``row``; its line is the row's. Raises
    ``OddsPayloadError`` where (after the row) the line cannot be read."""
    definition, outcome, spec = entry
    if definition.line == "none":
        return (definition.market, spec, outcome)
    sides = None
    if definition.line == "hcp":
        outcomes = {type_id: outcome for type_id, _name, outcome in definition.prices}
        prices = row.get("prices")
        sides = [
            _AH_SIDES.get(outcomes.get(str(p.get("typeId")), 0), 0) if isinstance(p, JSON_OBJECT) else 0
            for p in (prices if isinstance(prices, list) else [])
        ]
    line = row_line(row, _LINE_KINDS[definition.line], sides)
    if isinstance(line, LineConflict):
        raise OddsPayloadError(BOOK, "", line.reason)
    where = f".prices[{p_index}]"
    if line is None:
        raise OddsPayloadError(BOOK, where, f"market {definition.type_id} needs a line and none is given")
    pairs = dict(part.split("=", 1) for part in spec.split("|")) if spec else {}
    try:
        pairs[_LINE_KEYS[definition.line]] = format_line(line)
        spec = join_specifier(pairs)
    except SpecifierError as exc:
        raise OddsPayloadError(BOOK, where, str(exc)) from None
    return (definition.market, spec, outcome)


class _Market:
    """What one market's prices are keyed by beside their own fields: the grammar's keys, the tables, and
    the players already taken by a price of the market."""

    def __init__(self, view: dict[str, Any], type_id: str, sport: str | None) -> None:
        self.type_id = type_id
        self.grammar_keys: grammar.PriceKeys = {}
        if sport is not None:
            with suppress(*UNREADABLE):  # a market the grammar cannot even walk: the table sets it aside
                self.grammar_keys = grammar.read_market(view, sport).keys
        self.index = _INDEX.get(sport or "", {})
        self.full_index = _FULL_INDEX.get(sport or "", {})
        self.players = PLAYER_MARKETS.get(type_id) if sport == "football" else None
        self.taken: set[Key] = set()

    def price(
        self, row: Mapping[str, Any], r_index: int, p_index: int, price: Any
    ) -> tuple[Key | None, Why | None]:
        """One price's key (None: unkeyed) or why it is set aside (where after its row)."""
        grammar_key = self.grammar_keys.get((r_index, p_index))
        try:
            table, player = self._table(row, p_index, price, grammar_key)
        except UNREADABLE as error:
            if isinstance(error, OddsPayloadError):
                return None, Why(error.where, error.what, True)
            return None, Why(f".prices[{p_index}]", f"unreadable ({error!r})", False)
        key = choose(grammar_key, table)
        if player is not None and player not in self.taken:
            self.taken.add(player)  # the first price of a name takes it
            key = player
        if isinstance(grammar_key, Unreadable) and not stands_in(table):
            # a name no book writes: keyed by the table's family or the player's name key, it would be this
            # price keyed one way when its name reads and another when not
            return None, Why(f".prices[{p_index}]", grammar_key.reason, True)
        return key, None

    def _table(
        self,
        row: Mapping[str, Any],
        p_index: int,
        price: Mapping[str, Any],
        grammar_key: GrammarKey | Refusal | None,
    ) -> tuple[Key | None, Key | None]:
        """(the table's key, the player's name key) of a price; raises where it cannot be read."""
        if isinstance(grammar_key, LineConflict):  # the row's line cannot be read: no table may key it either
            raise OddsPayloadError(BOOK, "", grammar_key.reason)
        type_key = price.get("typeId")
        problem = id_problem(type_key)
        if problem is not None:
            raise OddsPayloadError(BOOK, f".prices[{p_index}].typeId", problem)
        type_text = str(type_key)
        entry = self.index.get(type_text)
        if entry is None and not isinstance(grammar_key, tuple):
            entry = self.full_index.get(type_text)  # the grammar cannot decide: the table
        player = None
        if entry is None and self.players is not None:
            market, spec = self.players
            with suppress(ValueError):  # no name to key
                player = (market, spec, name_key(str(price.get("name") or "")))
        grammar_uof = isinstance(grammar_key, tuple) and grammar_key[0] != DESCRIBED
        if grammar_uof or entry is None or entry[0].type_id != self.type_id:
            return None, player
        return table_key(entry, row, p_index), player


class BetPawaKeyer:
    """BetPawa: one record per market; a key an earlier price of the event took is counted unmapped."""

    book: Book = BOOK

    def plan(self, shape: MarketShape, facts: FactsRead) -> Plan:
        """Each price's key, or why it is set aside, and the text of each keyed by a player's name; a list
        of football players by its player form's plan."""
        sport = facts.sport()
        if sport == "football":
            read = player_form(shape.names, shape.outcome_names)
            if read is not None:
                plan = _by_form(shape, *read)
                if plan is not None:
                    return plan
        return _plan(shape, sport)


def _plan(shape: MarketShape, sport: str | None) -> Plan:
    """The plan of one market, read for itself."""
    view = _view(shape)
    market = _Market(view, shape.ref, sport)
    each: list[tuple[Key | None, Why | None, str | None]] = []
    for r_index, row in enumerate(view["row"]):
        prices = row["prices"] if row is not None else None
        if prices is None:  # a row not read: its fault says why
            each.append((None, None, None))
            continue
        for p_index, price in enumerate(prices):
            key, why = (None, None) if price is None else market.price(row, r_index, p_index, price)
            # a player known by name: the price's text resolves it
            named = key is not None and is_name_keyed(*key)
            each.append((key, why, str(price.get("name") or "") if named else None))
    keys, asides, texts = zip(*each, strict=True) if each else ((), (), ())
    return Plan(
        keys,
        shape.ref,
        asides=asides if any(asides) else None,
        player_names=texts if any(text is not None for text in texts) else None,
    )


#: Plans of player forms (``player_form``, with the rest of the shape): the plan of the form's stand-ins and
#: their player and whole names' keys, or None where it does not carry over; cleared whole when full.
_FORMS: dict[tuple[Any, ...], tuple[Plan, tuple[Any, ...], tuple[Any, ...]] | None] = {}
_MAX_FORMS = 20_000


def _by_form(
    shape: MarketShape,
    frames: tuple[str, ...],
    pattern: tuple[Any, ...],
    readings: list[Any],
    player_keys: tuple[Any, ...],
    whole_keys: tuple[Any, ...],
) -> Plan | None:
    """A list of players keyed by its form's plan with the stand-ins turned into its players; None where
    the form's plan does not carry over."""
    form = (shape._replace(outcome_names=frames), pattern)
    try:
        made = _FORMS[form]
    except KeyError:
        return _first(form, shape, readings)
    if made is None:
        return None
    plan, stand_in_players, stand_in_wholes = made
    real = dict(zip(stand_in_wholes, whole_keys, strict=True))
    real.update(zip(stand_in_players, player_keys, strict=True))
    if 0 in real.values():  # a name key of 0 is not negative: it keys unlike the stand-in's
        return None
    return _as_players(plan, real, shape.outcome_names)


def _first(form: tuple[Any, ...], shape: MarketShape, readings: list[Any]) -> Plan:
    """The first list of a form, planned for itself; the form's plan is its stand-ins', kept where it
    sets nothing aside and, turned into this list's players, is this list's own."""
    own = _plan(shape, "football")
    made = None
    stand_in = stand_ins(shape.names, form[1], readings)
    if stand_in is not None:
        texts, stand_in_players, stand_in_wholes, real = stand_in
        plan = _plan(shape._replace(outcome_names=tuple(texts)), "football")
        if plan.asides is None and _as_players(plan, real, shape.outcome_names) == own:
            made = (plan, stand_in_players, stand_in_wholes)
    if len(_FORMS) >= _MAX_FORMS:
        _FORMS.clear()
    _FORMS[form] = made
    return own


def _as_players(plan: Plan, real: dict[Any, int], texts: tuple[Any, ...]) -> Plan:
    """A form's plan with each stand-in's name key turned into its player's (as the outcome, or the
    ``player=`` of a specifier) and the text kept for each the price's own (``texts``)."""
    specs: dict[str, str] = {}
    keys: list[Key | None] = []
    for key in plan.keys:
        if key is not None:
            market, spec, outcome = key
            if "player=" in spec:
                specs = specs or {f"player={stand_in}": f"player={own}" for stand_in, own in real.items()}
                spec = "|".join([specs.get(part, part) for part in spec.split("|")])
            key = (market, spec, real.get(outcome, outcome))
        keys.append(key)
    named = plan.player_names
    if named is not None:
        named = tuple([None if text is None else own for text, own in zip(named, texts, strict=True)])
    return plan._replace(keys=tuple(keys), player_names=named)


BETPAWA = BetPawaKeyer()
