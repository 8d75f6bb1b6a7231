"""BetPawa's football lists of players known by name, planned once per *player form* (each price name's frame
"", " 2+", " Over", which prices share a player, the bet the names lend; books/betpawa/keys.py): players
differ on every event, the form does not. A form is planned with stand-in players (``stand_ins``).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from palimpsest_pipeline.markets.grammar.betpawa import type_description
from palimpsest_pipeline.markets.grammar.description import Description
from palimpsest_pipeline.markets.grammar.outcomes import implied_bet
from palimpsest_pipeline.markets.grammar.player_bets import is_plain_player, names_no_scorer
from palimpsest_pipeline.markets.grammar.resolve import SCORER_BETS
from palimpsest_pipeline.markets.players import name_key

#: A price name of a list of players: (its frame, the player's name key or None, the whole name's key).
_NameReading = tuple[str, int | None, int]
#: A list's player form: each price's frame, its pattern (which prices share a player, which a whole name,
#: the bet), each price's reading, the distinct player keys and the distinct whole names' keys.
PlayerForm = tuple[tuple[str, ...], tuple[Any, ...], list[_NameReading], tuple[Any, ...], tuple[Any, ...]]
_NAMED_SIDES = (" Over", " Under")


def player_form(names: tuple[str | None, ...], texts: Sequence[str | None]) -> PlayerForm | None:
    """The form of a list of plain football players (price names ``texts``, the type's (name,
    displayName) ``names``); None for any other list."""
    readings: list[_NameReading] = []
    read: list[str] = []
    for text in texts:
        if type(text) is not str:
            return None
        reading = _name_reading(text)
        if reading is None:
            return None
        readings.append(reading)
        read.append(text)
    bet = _players_bet(names, read)
    if bet is None:
        return None
    players, player_keys = _pattern([reading[1] for reading in readings])
    wholes, whole_keys = _pattern([reading[2] for reading in readings])
    frames = tuple([reading[0] for reading in readings])
    return frames, (players, wholes, bet), readings, player_keys, whole_keys


def stand_ins(
    names: tuple[str | None, ...], pattern: tuple[Any, ...], readings: list[_NameReading]
) -> tuple[list[str], tuple[Any, ...], tuple[Any, ...], dict[Any, int]] | None:
    """A form's stand-in players in its players' places: each price's text, the distinct stand-in player
    and whole names' keys, and each stand-in key's real key in the list ``readings`` read; None where the
    stand-ins' list is not of the same form."""
    players, wholes, bet = pattern
    placed = [_stand_in(index) for index in players]
    stand_in_texts = [
        reading[0] if reading[1] is None else player + reading[0]  # a name read as itself is kept
        for player, reading in zip(placed, readings, strict=True)
    ]
    stand_in_players, stand_in_player_keys = _pattern(
        [
            None if reading[1] is None else name_key(player)
            for player, reading in zip(placed, readings, strict=True)
        ]
    )
    stand_in_wholes, stand_in_whole_keys = _pattern([name_key(text) for text in stand_in_texts])
    real: dict[Any, int] = {}
    named: dict[Any, str] = {}  # each stand-in key's text: two texts of one key would be mixed up
    for index, reading in enumerate(readings):
        for stand_in, text, key in (
            (stand_in_player_keys[stand_in_players[index]], placed[index], reading[1]),
            (stand_in_whole_keys[stand_in_wholes[index]], stand_in_texts[index], reading[2]),
        ):
            if key is None:  # no player: its whole name is kept
                continue
            if named.setdefault(stand_in, text) != text:
                stand_in_players = ()
            real[stand_in] = key
    same_form = (stand_in_players, stand_in_wholes) == (players, wholes)
    if not same_form or _players_bet(names, stand_in_texts) != bet:
        return None
    return stand_in_texts, stand_in_player_keys, stand_in_whole_keys, real


def _players_bet(names: tuple[str | None, ...], texts: list[str]) -> str | None:
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
