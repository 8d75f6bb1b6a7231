"""Player outcomes (goalscorer markets) keyed so that two books' prices for the same player meet.

A player's key is its SportRadar id when the book gives one (SportyBet), else a NAME KEY: the negative
crc32 of its normalised name (accents and case folded, team suffix dropped, "Surname, First" turned round),
which never collides with a UOF outcome or SportRadar id and is equal for equal names. :func:`resolve_player`
finds a named player's SportRadar id on the roster another book lists for the same event, or says why not.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from palimpsest_pipeline.markets.free_text import overlong, split_at_least

_TEAM_SUFFIX = re.compile(r"\([^()]*\)\s*$")
_NON_WORD = re.compile(r"[^\w]+")


#: A ``player=`` value in a specifier (its key and value, after the start or a ``|``).
PLAYER_VALUE = re.compile(r"(^|\|)player=[^|]*")


def player_shape(specifier: str) -> str:
    """The specifier with its ``player=`` value masked ("player=*"); a goalscorer market's specifier (its
    player is the outcome) is its own shape."""
    return PLAYER_VALUE.sub(r"\1player=*", specifier) if "player=" in specifier else specifier


@lru_cache(maxsize=65_536)
def normalise_name(name: str) -> str:
    """``"Ñíguez, José-Luis (Elche)"`` -> ``"jose luis niguez"``; "" for a name longer than the cap.
    Remembered (names are capped, the cache bounded): the same players and teams come back on every market
    of an event and every capture, and resolving one name normalises every roster name it may fit."""
    if overlong(name, "player name"):
        return ""
    text = _TEAM_SUFFIX.sub("", name.strip())
    if "," in text:
        surname, _, first = text.partition(",")
        text = f"{first} {surname}"
    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(_NON_WORD.sub(" ", folded.casefold()).split())


def name_key(name: str) -> int:
    """The negative outcome id of a player known only by name (see the module docstring)."""
    if reason := overlong(name, "player name"):
        raise ValueError(reason)
    normalised = normalise_name(name)
    if not normalised:
        raise ValueError(f"player name {name!r} has no letters to key on")
    return -(zlib.crc32(normalised.encode()) & 0x7FFFFFFF)


@dataclass(frozen=True, slots=True)
class RosterPlayer:
    """A player another book lists for the event: its SportRadar id, name and team as that book writes them
    ("Ibanez, Nicolas", "CF Cruz Azul"; team "" when the book gives none)."""

    sr_id: int
    name: str
    team: str = ""


@dataclass(frozen=True, slots=True)
class PlayerMatch:
    """The SportRadar id a book's player name resolves to, or None with why (no match, ambiguous...)."""

    sr_id: int | None
    reason: str = ""


_ROSTER_OUTCOME = re.compile(r"^(?:sr:player:|pre:playerprops:\d+:)(?P<id>\d+)(?::\d+)*$")
_TEAM = re.compile(r"\(([^()]*)\)\s*$")


def roster_entry(outcome_id: str, text: str) -> RosterPlayer | None:
    """A roster player from one outcome that carries a SportRadar player id (SportyBet's ``sr:player:<id>``
    or ``pre:playerprops:<match>:<id>[:<n>][:<side>]``) and names the player ("Antuna, Uriel (Pumas UNAM)",
    "Juninho (Pumas UNAM) 2+"); None for any other outcome."""
    if overlong(text, "player name") or overlong(outcome_id, "outcome id"):
        return None
    found = _ROSTER_OUTCOME.match(outcome_id)
    name = _without_count(text.strip())
    if found is None or not normalise_name(name):
        return None
    team = _TEAM.search(name)
    listed = _TEAM_SUFFIX.sub("", name).rstrip()
    return RosterPlayer(int(found.group("id")), listed, team.group(1) if team else "")


def _without_count(text: str) -> str:
    """ "Juninho (Pumas UNAM) 2+" -> "Juninho (Pumas UNAM)": a trailing " N+" dropped."""
    split = split_at_least(text)
    return split[0].rstrip() if split is not None and split[0][-1:].isspace() else text


def _same_team(written: str, listed: str) -> bool:
    """ "Cruz Azul" and "CF Cruz Azul": the words of one are all words of the other."""
    a, b = set(normalise_name(written).split()), set(normalise_name(listed).split())
    return bool(a and b) and (a <= b or b <= a)


def _token_fits(short: str, long: str) -> bool:
    return (
        short == long or (len(short) == 1 and long.startswith(short)) or (len(long) == 1 and short[0] == long)
    )


def _fits(shorter: list[str], longer: list[str]) -> bool:
    """Every word of ``shorter`` is a distinct word of ``longer`` (an initial stands for a word it starts),
    and at least one whole word (not an initial) is shared: "k mbappe" fits "kylian sanmi mbappe lottin"."""
    if not any(len(word) > 1 and word in longer for word in shorter):
        return False

    def assign(index: int, used: frozenset[int]) -> bool:
        if index == len(shorter):
            return True
        return any(
            assign(index + 1, used | {j})
            for j, word in enumerate(longer)
            if j not in used and _token_fits(shorter[index], word)
        )

    return assign(0, frozenset())


def resolve_player(name: str, roster: Sequence[RosterPlayer]) -> PlayerMatch:
    """The SportRadar id of the player a book names ``name`` ("Kylian Sanmi Mbappe Lottin", "K. Mbappe",
    "Mbappe, Kylian (PSG)"), found in another book's ``roster`` of the same event: the one roster player whose
    name equals it once normalised, else the one whose words all fit the other's (full names against short
    names, initials, diacritics), a team in parentheses having to be that player's; never a guess."""
    if reason := overlong(name, "player name"):
        return PlayerMatch(None, reason)
    words = normalise_name(name).split()
    if not words:
        return PlayerMatch(None, f"{name!r}: no letters to match")
    team = _TEAM.search(name.strip())
    candidates = [
        player for player in roster if not (team and player.team) or _same_team(team.group(1), player.team)
    ]
    if team and roster and not candidates:
        return PlayerMatch(None, f"{name!r}: no listed player of team {team.group(1)!r}")
    exact = {p.sr_id for p in candidates if normalise_name(p.name).split() == words}
    if len(exact) == 1:
        return PlayerMatch(exact.pop())
    fitting = exact or {
        p.sr_id
        for p in candidates
        if (listed := normalise_name(p.name).split())
        and (_fits(words, listed) if len(words) <= len(listed) else _fits(listed, words))
    }
    if len(fitting) == 1:
        return PlayerMatch(fitting.pop())
    if not fitting:
        return PlayerMatch(None, f"{name!r}: no listed player matches")
    return PlayerMatch(None, f"{name!r}: ambiguous, {len(fitting)} listed players match")


def with_player_id(key: tuple[int, str, int], name: str, sr_id: int) -> tuple[int, str, int]:
    """A key made with a player's name key, rewritten with its SportRadar id: the outcome of a goalscorer
    market (UOF 38/39/40), else the ``player=`` of the specifier; a key without that name key is returned."""
    market, specifier, outcome = key
    player = name_key(name)
    if outcome == player:
        return (market, specifier, sr_id)
    pairs = [part.split("=", 1) for part in specifier.split("|")] if specifier else []
    if ["player", str(player)] in pairs:
        return (market, "|".join(f"{k}={sr_id if k == 'player' else v}" for k, v in pairs), outcome)
    return key
