"""Markets listed one outcome per player: yes-bets ("To Score a Header": "Uriel Antuna (Pumas)"), goalscorers
("Anytime Goalscorer": "Kylian Mbappe") and a player's counts ("Player Shots": "K. Mbappe 2+"). The player is
the SportRadar id the outcome id carries (its team the side the id names), else the name's key
(markets/players.py). Goalscorers are UOF's (38, 39, 40); other bets are read outcome by outcome.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from palimpsest_pipeline.markets.free_text import overlong, split_at_least
from palimpsest_pipeline.markets.grammar.description import (
    Description,
    Key,
    OutcomeReading,
    Refusal,
    Unreadable,
)
from palimpsest_pipeline.markets.grammar.outcomes import read_single
from palimpsest_pipeline.markets.grammar.thresholds import team_side
from palimpsest_pipeline.markets.players import name_key, normalise_name
from palimpsest_pipeline.markets.specifiers import join_specifier

#: UOF's goalscorer markets (their outcomes are players, plus 1716 "no goal"): bet -> market id.
GOALSCORER_MARKETS = {"scorer": 38, "lastscorer": 39, "anytimescorer": 40}
NO_GOAL = 1716
#: The ``type`` specifier UOF's goalscorer markets carry before kick-off (as SportyBet writes them).
PREMATCH = "prematch"
#: The line of "Kylian Mbappe Over 1.5".
_LINE = re.compile(r"^\d+(?:\.\d+)?$")
#: "No Goal", "No Last Goal", "No Goalscorer", "None": a goalscorer market's "no goal" outcome.
_NO_SCORER = re.compile(r"no (?:first |last |next )?(?:goal|goalscorer|scorer)|none")

#: A plain player name: two or more capitalised words of ASCII letters, well under the length cap.
_PLAIN_NAME = re.compile(r"[A-Z][a-z]{1,20}(?: [A-Z][a-z]{1,20}){1,4}")

#: ``pre:playerprops:<match>:<player>:<side>``: one player, no count.
_PLAYER_OUTCOME = re.compile(r"^pre:playerprops:\d+:(?P<player>\d+):(?P<side>[12])$")


def _name_and_team(text: str) -> tuple[str, str] | None:
    """ "Uriel Antuna (Pumas)" -> ("Uriel Antuna", "Pumas"); None unless a name is followed by a team in
    parentheses. String operations, not a pattern: the split is where the last parenthesis opens."""
    if overlong(text, "outcome name") or not text.endswith(")"):
        return None
    opening = text.rfind("(")
    name, team = text[:opening].strip(), text[opening + 1 : -1]
    return (name, team) if opening > 0 and name and team and ")" not in team else None


def _player_at_least(text: str) -> tuple[str, int] | None:
    """ "K. Mbappe 2+" -> ("K. Mbappe", 2): a name, a space, then "N+"."""
    split = split_at_least(text)
    if split is None or not split[0][-1:].isspace() or not split[0].strip():
        return None
    return split[0].strip(), split[1]


def _player_over_under(text: str) -> tuple[str, str, str | None] | None:
    """ "Kylian Mbappe Over 1.5" -> ("Kylian Mbappe", "over", "1.5"); "... Under" -> (..., "under", None)."""
    words = text.split()
    line = words.pop() if len(words) > 2 and _LINE.match(words[-1]) else None
    if len(words) < 2 or words[-1].lower() not in ("over", "under"):
        return None
    side = words.pop().lower()
    return " ".join(words), side, line


#: The player a list of players by id is read with once (an id no SportRadar player has: ten digits); each
#: player's key is the stand-in's with his id put in (resolve.resolve_listed_players).
STAND_IN_PLAYER = 9_876_543_210


def listed_player_bet(description: Description) -> OutcomeReading | Refusal:
    """The stand-in player's reading in a market listing one outcome per player by his SportRadar id
    (Betway's "Player 1+ Assists"): his "yes" to the bet, or at least the count the name fixes
    (``atleast``); why not for a market of any other period or bet."""
    count = description.param("atleast")
    if description.scope != "player" or description.period != "match":
        return Refusal(f"{description.text()}: players listed outside a player's full-time market")
    if count is not None:
        return over_at_least(description, str(STAND_IN_PLAYER), count)
    if read_single("yes", description.bet) != "yes":
        return Refusal(f"{description.text()}: a list of players under a bet it cannot key per player")
    return OutcomeReading(description.with_params(player=str(STAND_IN_PLAYER)), "yes")


def listed_player_problem(ref: str, player: int, name: str) -> Refusal | None:
    """Why an outcome of such a list is no player: an id that is no SportRadar id, a name without letters."""
    if type(player) is not int or not 0 < player < STAND_IN_PLAYER or overlong(name, "outcome name"):
        return Refusal(f"outcome {ref!r} ({name[:40]!r}) is not one player")
    return None if normalise_name(name) else Refusal(f"outcome {ref!r} ({name[:40]!r}) names no player")


def lists_players(outcomes: Sequence[tuple[str, str]]) -> bool:
    """Whether every outcome is one player ("Name (Team)" under a player outcome id)."""
    return bool(outcomes) and all(
        _PLAYER_OUTCOME.match(ref) and _name_and_team(name.strip()) for ref, name in outcomes
    )


def read_player_bets(
    description: Description, outcomes: Sequence[tuple[str, str]], *, home: str, away: str
) -> Mapping[str, OutcomeReading | Refusal]:
    """outcome reference -> its reading (or why none) for a market of players, each a "yes" to
    ``description``."""
    if description.scope not in ("match", "player"):
        return _refuse_all(
            outcomes, f"{description.text()}: a list of players in a {description.scope} market"
        )
    if read_single("yes", description.bet) != "yes":
        return _refuse_all(
            outcomes, f"{description.text()}: a list of players under a bet that is not yes/no"
        )
    player_scope = replace(description, scope="player")
    readings: dict[str, OutcomeReading | Refusal] = {}
    for ref, name in outcomes:
        if too_long := overlong(name, "outcome name"):
            readings[ref] = Unreadable(too_long)
            continue
        player, named = _PLAYER_OUTCOME.match(ref), _name_and_team(name.strip())
        if player is None or named is None:
            readings[ref] = Refusal(f"outcome {ref!r} ({name!r}) is not one player")
            continue
        side = "home" if player.group("side") == "1" else "away"
        if team_side(named[1], home, away) != side:
            readings[ref] = Refusal(f"outcome {name!r}: the team is not the {side} side the outcome id names")
            continue
        readings[ref] = OutcomeReading(player_scope.with_params(player=player.group("player")), "yes")
    return readings


def is_plain_player(name: str) -> bool:
    """Whether :func:`read_named_players` reads ``name`` (alone, or before " N+", " Over" or " Under") as a
    player known only by its name key: no word it reads otherwise ("No Goal"), nothing its patterns split."""
    return _PLAIN_NAME.fullmatch(name) is not None and not names_no_scorer(name)


def names_no_scorer(name: str) -> bool:
    """Whether a goalscorer market reads ``name`` as its "no goal" outcome ("No Goalscorer")."""
    return _NO_SCORER.fullmatch(normalise_name(name)) is not None


def _player(name: str) -> int | Refusal:
    try:
        return name_key(name)
    except ValueError as error:
        return Refusal(str(error))


def _goalscorers(description: Description, outcomes: Sequence[tuple[str, str]]) -> dict[str, Key | Refusal]:
    """UOF 38/39/40: each outcome the player's name key, "No Goal" UOF's 1716."""
    market = GOALSCORER_MARKETS[description.bet]
    params = {"type": PREMATCH}
    if description.bet == "scorer":
        params["goalnr"] = description.param("goalnr") or ""
    specifier = join_specifier(params)
    keys: dict[str, Key | Refusal] = {}
    for ref, name in outcomes:
        if names_no_scorer(name):
            keys[ref] = (market, specifier, NO_GOAL)
            continue
        player = _player(name)
        keys[ref] = player if isinstance(player, Refusal) else (market, specifier, player)
    return keys


def names_count(name: str) -> bool:
    """Whether a player's outcome name carries its own count or side ("K. Mbappe 2+", "Kylian Mbappe Over
    1.5"), as opposed to the player alone, whose count the market or its row gives."""
    return _player_at_least(name.strip()) is not None or _player_over_under(name) is not None


def over_at_least(description: Description, player: str, count: str) -> OutcomeReading | Refusal:
    """``player``'s "at least ``count``" of the counted statistic: the over of the line ``count`` - 0.5 (the
    key every book's "<player> N+" reads to); the ``atleast`` parameter that carried it is dropped."""
    if not (count.isascii() and count.isdigit()) or int(count) < 1:
        return Refusal(f"{description.text()}: at least {count!r} is no count of one or more")
    params = {name: value for name, value in description.params if name != "atleast"}
    params.update(player=player, total=f"{int(count) - 0.5:g}")
    read = Description(description.counted, description.period, "player", "total", description.qualifiers)
    return OutcomeReading(read.with_params(**params), "over")


def _player_count(description: Description, name: str) -> OutcomeReading | Refusal:
    """ "K. Mbappe 2+" is the player's over 1.5; "Kylian Mbappe Over" the over of the row's line; the player
    alone, where the row gives the count (``atleast``: BetPawa's ``number``), at least that count."""
    row_count = description.param("atleast")
    if row_count is not None:
        if names_count(name):
            return Refusal(f"outcome {name!r} names a count and its row gives one ({row_count})")
        player = _player(name)
        return player if isinstance(player, Refusal) else over_at_least(description, str(player), row_count)
    at_least = _player_at_least(name.strip())
    if at_least is not None and description.param("total") is None:
        player = _player(at_least[0])
        if isinstance(player, Refusal):
            return player
        line = description.with_params(player=str(player), total=f"{at_least[1] - 0.5:g}")
        return OutcomeReading(replace(line, bet="total"), "over")
    over_under = _player_over_under(name)
    if over_under is None or description.bet != "total":
        return Refusal(f"outcome {name!r} is not '<player> N+' or '<player> over/under'")
    player_name, side, written_line = over_under
    total = written_line or description.param("total")
    if total is None or (written_line and description.param("total") not in (None, total)):
        return Refusal(f"outcome {name!r}: no line, or a line unlike the row's")
    player = _player(player_name)
    if isinstance(player, Refusal):
        return player
    return OutcomeReading(description.with_params(player=str(player), total=total), side)


def read_named_players(
    description: Description, outcomes: Sequence[tuple[str, str]], sport: str
) -> Mapping[str, Key | OutcomeReading | Refusal]:
    """outcome reference -> its key (a goalscorer's), its reading or why none, for a market whose outcomes
    are players named by the book. Once keyed, those keyed alike are refused (:func:`refuse_keyed_alike`)."""
    if sport != "football" or description.scope not in ("match", "player") or description.period != "match":
        return _refuse_all(
            outcomes, f"{description.text()}: players listed outside a football match's full time"
        )
    if description.bet in GOALSCORER_MARKETS and not description.qualifiers:
        return _goalscorers(description, outcomes)
    if description.bet in ("total", "range", "exact"):
        return {ref: _player_count(description, name) for ref, name in outcomes}
    if read_single("yes", description.bet) == "yes":
        player_scope = replace(description, scope="player")
        readings: dict[str, OutcomeReading | Refusal] = {}
        for ref, name in outcomes:
            if read_single(name, description.bet) is not None:  # "Player Sent Off": "Yes" is no player
                readings[ref] = Refusal(f"outcome {name!r} is an answer to the bet, not a player")
                continue
            player = _player(name)
            readings[ref] = (
                player if isinstance(player, Refusal)
                else OutcomeReading(player_scope.with_params(player=str(player)), "yes")
            )  # fmt: skip
        return readings
    return _refuse_all(
        outcomes, f"{description.text()}: a list of players under a bet it cannot key per player"
    )


def _refuse_all(outcomes: Sequence[tuple[str, str]], reason: str) -> dict[str, Refusal]:
    return dict.fromkeys((ref for ref, _n in outcomes), Refusal(reason))


def refuse_keyed_alike(keys: dict[str, Key | Refusal]) -> dict[str, Key | Refusal]:
    """``keys`` with every outcome that shares its key with another refused: players named so alike that
    they key alike cannot be told apart."""
    by_key: dict[Key, list[str]] = {}
    for ref, key in keys.items():
        if isinstance(key, tuple):
            by_key.setdefault(key, []).append(ref)
    for key, refs in by_key.items():
        if len(refs) > 1:
            for ref in refs:
                keys[ref] = Refusal(
                    f"{len(refs)} outcomes key alike ({key}): the players cannot be told apart"
                )
    return keys
