"""BetPawa's football lists of players known by name, read once per *player form* (each price name's frame
"", " 2+", " Over", which prices share a player, the bet the names lend): players differ on every event, the
form does not. A form is read with stand-in players, kept only where it keys the first market as its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from palimpsest_pipeline.markets.grammar.betpawa import PriceKeys, read_market, type_description
from palimpsest_pipeline.markets.grammar.description import Description, Key, Unreadable
from palimpsest_pipeline.markets.grammar.lines import LineConflict
from palimpsest_pipeline.markets.grammar.outcomes import implied_bet
from palimpsest_pipeline.markets.grammar.player_bets import is_plain_player, names_no_scorer
from palimpsest_pipeline.markets.grammar.resolve import SCORER_BETS
from palimpsest_pipeline.markets.players import name_key

#: A price name of a list of players: (its frame, the player's name key or None, the whole name's key).
_NameReading = tuple[str, int | None, int]
#: Forms read: (the stand-ins' keys, the stand-ins' player keys, their whole names' keys), or None where
#: the form's reading does not carry over; cleared whole when full.
_FORMS: dict[tuple[Any, ...], tuple[PriceKeys, tuple[Any, ...], tuple[Any, ...]] | None] = {}
_MAX_FORMS = 20_000
_NAMED_SIDES = (" Over", " Under")
_NO_LINES = (None, None, None)


def price_keys(market: Mapping[str, Any], sport: str) -> PriceKeys:
    """``read_market(market, sport).keys``, by the market's player form where it has one."""
    if sport == "football":
        keys = _by_form(market, sport)
        if keys is not None:
            return keys
    return read_market(market, sport).keys


def _typed(value: Any) -> Any:
    """A value with its type, hashable (1, 1.0 and True are equal keys but not equal readings)."""
    if type(value) is dict:
        return dict, tuple((key, _typed(item)) for key, item in value.items())
    if type(value) is list:
        return list, tuple(map(_typed, value))
    return type(value), repr(value) if type(value) is float else value


def _by_form(market: Mapping[str, Any], sport: str) -> PriceKeys | None:
    """The keys of a list of plain players by its form; None where the market is no such list."""
    market_type = market.get("marketType")
    rows = market.get("row")
    if type(market_type) is not dict or type(rows) is not list:
        return None
    readings: list[_NameReading] = []
    texts: list[str] = []
    form_rows: list[Any] = []
    for row in rows:
        prices = row.get("prices") if type(row) is dict else None
        if type(prices) is not list:
            return None
        frames: list[Any] = []
        for price in prices:
            name = price.get("name") if type(price) is dict else None
            if type(name) is not str:
                return None
            reading = _name_reading(name)
            if reading is None:
                return None
            readings.append(reading)
            texts.append(name)
            handicap, specifier = price.get("handicap"), price.get("specifier")
            if handicap is None and specifier is None:
                frames.append(reading[0])
            else:
                frames.append((reading[0], _typed(handicap), _typed(specifier)))
        lines = (row.get("handicap"), row.get("formattedHandicap"), row.get("specifier"))
        form_rows.append((None if lines == _NO_LINES else tuple(map(_typed, lines)), tuple(frames)))
    names = _names_of(market_type)
    bet = _players_bet(names, texts)
    if bet is None:
        return None
    players, player_keys = _pattern([reading[1] for reading in readings])
    wholes, whole_keys = _pattern([reading[2] for reading in readings])
    form = (names, tuple(form_rows), players, wholes, bet)
    if form not in _FORMS:
        return _first(form, market, sport, readings, texts)
    made = _FORMS[form]
    if made is None:
        return None
    keys, stand_in_players, stand_in_wholes = made
    real = dict(zip(stand_in_wholes, whole_keys, strict=True))
    real.update(zip(stand_in_players, player_keys, strict=True))
    if 0 in real.values():  # a name key of 0 is not negative: it keys unlike the stand-in's
        return None
    return _as_players(keys, real)


def _first(
    form: tuple[Any, ...],
    market: Mapping[str, Any],
    sport: str,
    readings: list[_NameReading],
    texts: list[str],
) -> PriceKeys:
    """The first market of a form, read for itself; the form is read with stand-ins in its players' places
    and kept where that reading, turned into this market's players, is this market's own."""
    own = read_market(market, sport).keys
    names, _rows, players, wholes, bet = form
    stand_ins = [_stand_in(index) for index in players]
    stand_in_texts = [
        reading[0] if reading[1] is None else player + reading[0]  # a name read as itself is kept
        for player, reading in zip(stand_ins, readings, strict=True)
    ]
    position = iter(stand_in_texts)
    rows = [
        {**row, "prices": [{**price, "name": next(position)} for price in row["prices"]]}
        for row in market["row"]
    ]
    keys = read_market({**market, "row": rows}, sport).keys
    stand_in_players, stand_in_player_keys = _pattern(
        [
            None if reading[1] is None else name_key(player)
            for player, reading in zip(stand_ins, readings, strict=True)
        ]
    )
    stand_in_wholes, stand_in_whole_keys = _pattern([name_key(text) for text in stand_in_texts])
    real: dict[Any, int] = {}
    named: dict[Any, str] = {}  # each stand-in key's text: two texts of one key would be mixed up
    for index, reading in enumerate(readings):
        for stand_in, text, key in (
            (stand_in_player_keys[stand_in_players[index]], stand_ins[index], reading[1]),
            (stand_in_whole_keys[stand_in_wholes[index]], stand_in_texts[index], reading[2]),
        ):
            if key is None:  # no player: its whole name is kept
                continue
            if named.setdefault(stand_in, text) != text:
                stand_in_players = ()
            real[stand_in] = key
    made = None
    carries = not any(isinstance(key, Unreadable | LineConflict) for key in keys.values())
    same_form = (stand_in_players, stand_in_wholes) == (players, wholes)
    same_bet = _players_bet(names, stand_in_texts) == bet
    if same_form and same_bet and carries and _as_players(keys, real) == own:
        made = (keys, stand_in_player_keys, stand_in_whole_keys)
    if len(_FORMS) >= _MAX_FORMS:
        _FORMS.clear()
    _FORMS[form] = made
    return own


def _names_of(market_type: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """The type's (name, displayName) as the grammar reads them: text, else None."""
    name, display = market_type.get("name"), market_type.get("displayName")
    return (name if isinstance(name, str) else None, display if isinstance(display, str) else None)


def _players_bet(names: tuple[str | None, str | None], texts: list[str]) -> str | None:
    """Where the grammar reads the prices (``texts``) as football players known by name alone, the bet the
    names lend a type name naming none (``implied_bet``; "" where the type's names read alike whatever they
    lend); else None."""
    alike, by_bet = _names_players(*names)
    if alike:
        return "" if by_bet[""] else None
    unnamed_bet = implied_bet(texts)
    return unnamed_bet if by_bet[unnamed_bet] else None


@lru_cache(maxsize=4096)
def _names_players(name: str | None, display_name: str | None) -> tuple[bool, dict[str, bool]]:
    """Whether the type's names read alike whatever bet the price names lend (``implied_bet``'s), and per
    such bet whether they read as players listed by name."""
    by_bet = {}
    readings = set()
    for unnamed_bet in ("", "total", "1x2"):
        description = type_description({"name": name, "displayName": display_name}, unnamed_bet)
        readings.add(description)
        by_bet[unnamed_bet] = (
            isinstance(description, Description)
            and (description.scope == "player" or description.bet in SCORER_BETS)
            and description.scope != "each"
            and description.param("player") is None
        )
    return len(readings) == 1, by_bet


@lru_cache(maxsize=65_536)
def _name_reading(name: str) -> _NameReading | None:
    """(frame, the player's name key, the whole name's key) of a plain player's price name ("Kylian Mbappe",
    "Kylian Mbappe 2+", "Kylian Mbappe Over": frames "", " 2+", " Over"); a "no goal" name is its own frame,
    of no player; None for any other name."""
    player, frame = name, ""
    if name.endswith("+"):
        player, _, count = name[:-1].rpartition(" ")
        frame = f" {count}+" if count.isascii() and count.isdigit() and len(count) <= 2 else "?"
    elif name.endswith(_NAMED_SIDES):
        player, _, side = name.rpartition(" ")
        frame = f" {side}"
    if frame != "?" and is_plain_player(player):
        key = name_key(player)
        return (frame, key, name_key(name) if frame else key)
    return (name, None, name_key(name)) if names_no_scorer(name) else None


def _pattern(keys: list[Any]) -> tuple[tuple[int, ...], tuple[Any, ...]]:
    """Which prices share a key: each price's index among the distinct keys, and those keys in order."""
    distinct: dict[Any, int] = {}
    indices = tuple(distinct.setdefault(key, len(distinct)) for key in keys)
    return indices, tuple(distinct)


def _stand_in(index: int) -> str:
    """A plain player's name for a form's ``index``-th player ("Placeholder Pa", "Placeholder Pb")."""
    letters = ""
    while True:
        index, digit = divmod(index, 26)
        letters = chr(ord("a") + digit) + letters
        if not index:
            return f"Placeholder P{letters}"


def _as_players(keys: PriceKeys, real: dict[Any, int]) -> PriceKeys:
    """A form's keys with each stand-in's name key turned into its player's (as the outcome, or the
    ``player=`` of a specifier)."""
    specs = {f"player={stand_in}": f"player={key}" for stand_in, key in real.items()}
    return {
        place: _key_as(key, real, specs) if isinstance(key, tuple) else key for place, key in keys.items()
    }


def _key_as(key: Key, real: dict[Any, int], specs: dict[str, str]) -> Key:
    market, spec, outcome = key
    if "player=" in spec:
        spec = "|".join([specs.get(part, part) for part in spec.split("|")])
    return market, spec, real.get(outcome, outcome)
