"""Player outcomes keyed so that two books' prices for the same player meet: its SportRadar id when the book
gives one, else a NAME KEY, the negative crc32 of its normalised name (never a UOF outcome or SportRadar id),
until :class:`RosterIndex` finds its SportRadar id on the roster another book lists for the same event.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import repeat
from typing import NamedTuple

from palimpsest_pipeline.markets.free_text import MAX_NAME_LENGTH, overlong, split_at_least

_NON_WORD = re.compile(r"[^\w]+")
#: ``bytes.translate``'s table making every ASCII character that is no word character (``\w``) a space.
_ASCII_NON_WORD = bytes(
    ord(" ") if c < 128 and not (chr(c).isalnum() or chr(c) == "_") else c for c in range(256)
)


#: A ``player=`` value in a specifier (its key and value, after the start or a ``|``).
PLAYER_VALUE = re.compile(r"(^|\|)player=[^|]*")


def player_shape(specifier: str) -> str:
    """The specifier with its ``player=`` value masked ("player=*"); a goalscorer market's specifier (its
    player is the outcome) is its own shape."""
    return PLAYER_VALUE.sub(r"\1player=*", specifier) if "player=" in specifier else specifier


@lru_cache(maxsize=65_536)
def normalise_name(name: str) -> str:
    """``"Ñíguez, José-Luis (Elche)"`` -> ``"jose luis niguez"``; "" for a name longer than the cap.
    Remembered: the same players and teams come back on every market of an event and every capture."""
    if overlong(name, "player name"):
        return ""
    text = name.strip()
    if text.endswith(")"):
        text = TEAM_SUFFIX.sub("", text)
    if "," in text:
        surname, _, first = text.partition(",")
        text = f"{first} {surname}"
    if text.isascii():  # no accents to fold: the characters no word has made spaces in C, as _NON_WORD would
        return " ".join(text.lower().encode("ascii").translate(_ASCII_NON_WORD).decode("ascii").split())
    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(_NON_WORD.sub(" ", folded.casefold()).split())


def name_key(name: str) -> int:
    """The negative outcome id of a player known only by name (see the module docstring)."""
    if reason := overlong(name, "player name"):
        raise ValueError(reason)
    key = name_key_or_none(name)
    if key is None:
        raise ValueError(f"player name {name!r} has no letters to key on")
    return key


def name_key_or_none(name: str) -> int | None:
    """:func:`name_key`, None where it refuses the name (too long, no letters): what tries many candidates."""
    normalised = normalise_name(name)  # "" for a name longer than the cap
    return -(zlib.crc32(normalised.encode()) & 0x7FFFFFFF) if normalised else None


class RosterPlayer(NamedTuple):
    """A player another book lists for the event: its SportRadar id, name and team as that book writes them
    ("Ibanez, Nicolas", "CF Cruz Azul"; team "" when none given). A tuple: hashed and pickled in C."""

    sr_id: int
    name: str
    team: str = ""


_ROSTER_OUTCOME = re.compile(r"^(?:sr:player:|pre:playerprops:\d+:)(?P<id>\d+)(?::\d+)*$")
#: A team in parentheses ending a name ("Uriel Antuna (Pumas)").
TEAM_SUFFIX = re.compile(r"\(([^()]*)\)\s*$")


@lru_cache(maxsize=16_384)
def roster_entry(outcome_id: str, text: str) -> RosterPlayer | None:
    """A roster player from one outcome that carries a SportRadar player id (``sr:player:<id>``
    or ``pre:playerprops:<match>:<id>[:<n>][:<side>]``) and names the player ("Antuna, Uriel (Pumas UNAM)",
    "Juninho (Pumas UNAM) 2+"); None for any other outcome (or either past the name cap). Remembered: an
    event lists its players in many markets, each read once per new market shape."""
    if len(text) > MAX_NAME_LENGTH or len(outcome_id) > MAX_NAME_LENGTH:
        return None
    found = _ROSTER_OUTCOME.match(outcome_id)
    if found is None:
        return None
    return _roster_player(int(found.group("id")), _without_count(text.strip()))


@lru_cache(maxsize=4_096)
def _roster_player(sr_id: int, name: str) -> RosterPlayer | None:
    """The player :func:`roster_entry` lists for an outcome's text without its count; None when it has no
    letters. Remembered by player: each of a player's outcomes ("1+", "2+"...) comes back to it."""
    if not normalise_name(name):
        return None
    team = TEAM_SUFFIX.search(name)
    return RosterPlayer(sr_id, TEAM_SUFFIX.sub("", name).rstrip(), team.group(1) if team else "")


def _without_count(text: str) -> str:
    """ "Juninho (Pumas UNAM) 2+" -> "Juninho (Pumas UNAM)": a trailing " N+" dropped."""
    split = split_at_least(text)
    return split[0].rstrip() if split is not None and split[0][-1:].isspace() else text


def _same_team(written: str, listed: str) -> bool:
    """ "Cruz Azul" and "CF Cruz Azul": the words of one are all words of the other."""
    a, b = set(normalise_name(written).split()), set(normalise_name(listed).split())
    return bool(a and b) and (a <= b or b <= a)


def _token_fits(short: str, long: str) -> bool:
    """Equal words, or an initial and a word it starts (either way round)."""
    return short == long or ((len(short) == 1 or len(long) == 1) and short[0] == long[0])


def _assignable(shorter: Sequence[str], longer: Sequence[str]) -> bool:
    """Each word of ``shorter`` can be given a distinct word of ``longer`` it fits ("k mbappe" and "kylian
    sanmi mbappe lottin"): each taking the first free word it fits, searched (:func:`_matched`) only when a
    word finds every word it fits taken."""
    free: list[str | None] = list(longer)
    for word in shorter:
        for position, other in enumerate(free):
            if other is not None and _token_fits(word, other):
                free[position] = None
                break
        else:
            return any(_token_fits(word, other) for other in longer) and _matched(shorter, longer)
    return True


def _matched(shorter: Sequence[str], longer: Sequence[str]) -> bool:
    """:func:`_assignable` by augmenting paths (Kuhn's algorithm): exact whatever the initials and repeated
    words, polynomial in the words."""
    owner = [-1] * len(longer)

    def place(index: int, seen: set[int]) -> bool:
        for position, other in enumerate(longer):
            if position not in seen and _token_fits(shorter[index], other):
                seen.add(position)
                if owner[position] < 0 or place(owner[position], seen):
                    owner[position] = index
                    return True
        return False

    return all(place(index, set()) for index in range(len(shorter)))


class RosterIndex:
    """A roster made ready to resolve many names against: the players indexed by normalised name and, once a
    name is not listed as it is, by each whole word of their names (a fit shares one); each team and each
    name judged once."""

    def __init__(self, roster: Iterable[RosterPlayer]) -> None:
        self.players = tuple(roster)  # a player listed twice is one id: the answers are sets of ids
        self._names = list(map(normalise_name, [player.name for player in self.players]))
        #: each normalised name -> its (last) player; a name listed more than once: all its players in _twins
        self._by_name = dict(zip(self._names, range(len(self._names)), strict=True))
        self._twins: dict[str, list[int]] = {}
        if len(self._by_name) < len(self._names):
            for index, normalised in enumerate(self._names):
                self._twins.setdefault(normalised, []).append(index)
        self._words: list[tuple[str, ...]] = []
        self._by_word: dict[str, list[int]] = {}
        self._counted: list[tuple[int, bool]] = []
        self._team_allows: dict[str, frozenset[str]] = {}
        self._found: dict[str, int | str] = {}

    def resolve_id(self, name: str) -> int | str:
        """The SportRadar id of the player a book names ``name`` ("Kylian Sanmi Mbappe Lottin", "K. Mbappe",
        "Mbappe, Kylian (PSG)"), found in another book's roster of the same event: the one roster player whose
        name equals it once normalised, else the one whose words all fit the other's (full names against
        short names, initials, diacritics), a team in parentheses having to be that player's; never a guess.
        Else the reason there is none."""
        found = self._found.get(name)
        if found is None:
            found = self._found[name] = self._resolved(name)
        return found

    def _resolved(self, name: str) -> int | str:
        if reason := overlong(name, "player name"):
            return reason
        normalised = normalise_name(name)
        if not normalised:
            return f"{name!r}: no letters to match"
        team = TEAM_SUFFIX.search(name.strip()) if name.rstrip().endswith(")") else None
        allowed = self._allowed_teams(team.group(1)) if team else None
        if team and self.players and not allowed:
            return f"{name!r}: no listed player of team {team.group(1)!r}"
        players = self.players
        named = self._twins.get(normalised)
        if named is None:  # what most names are: listed once or not at all
            one = self._by_name.get(normalised)
            if one is not None and (allowed is None or players[one].team in allowed):
                return players[one].sr_id
            named = [] if one is None else [one]
        exact = {players[i].sr_id for i in named if allowed is None or players[i].team in allowed}
        if len(exact) == 1:
            return exact.pop()
        fitting = exact or self._fitting(tuple(normalised.split()), allowed)
        if len(fitting) == 1:
            return fitting.pop()
        if not fitting:
            return f"{name!r}: no listed player matches"
        return f"{name!r}: ambiguous, {len(fitting)} listed players match"

    def _fitting(self, words: tuple[str, ...], allowed: frozenset[str] | None) -> set[int]:
        """The ids of the listed players (of the ``allowed`` teams) whose names and ``words`` fit, the shorter
        into the longer: only players sharing a whole word are tried, and without an initial in the longer
        name every whole word of the shorter must be shared."""
        if not self._words:
            self._index_words()
        distinct = set(words)
        wholes = [word for word in distinct if len(word) > 1]
        initialled = len(wholes) < len(distinct)
        shared: dict[int, int] = {}
        for word in wholes:
            for index in self._by_word.get(word, ()):
                shared[index] = shared.get(index, 0) + 1
        fitting = set()
        for index, common in shared.items():
            player, listed = self.players[index], self._words[index]
            if allowed is not None and player.team not in allowed:
                continue
            listed_wholes, listed_initialled = self._counted[index]
            if len(words) <= len(listed):
                if (common < len(wholes) and not listed_initialled) or not _assignable(words, listed):
                    continue
            elif (common < listed_wholes and not initialled) or not _assignable(listed, words):
                continue
            fitting.add(player.sr_id)
        return fitting

    def _index_words(self) -> None:
        """The players by each whole word of their names (a player once per word), and of each name how many
        distinct whole words it has and whether it has an initial too (what :meth:`_fitting` compares)."""
        by_word = self._by_word
        for index, normalised in enumerate(self._names):
            words = tuple(normalised.split())
            wholes, initialled = 0, False
            for word in words:
                if len(word) == 1:
                    initialled = True
                elif (owners := by_word.get(word)) is None:
                    by_word[word] = [index]
                    wholes += 1
                elif owners[-1] != index:
                    owners.append(index)
                    wholes += 1
            self._words.append(words)
            self._counted.append((wholes, initialled))

    def _allowed_teams(self, written: str) -> frozenset[str]:
        """The listed teams whose players a name giving team ``written`` may be: its, and "" (none given)."""
        allowed = self._team_allows.get(written)
        if allowed is None:
            allowed = self._team_allows[written] = frozenset(
                team
                for team in {player.team for player in self.players}
                if not team or _same_team(written, team)
            )
        return allowed


def with_name_key_as_id(key: tuple[int, str, int], player: int, sr_id: int) -> tuple[int, str, int]:
    """A key made with the name key ``player``, rewritten with its SportRadar id: the outcome of a goalscorer
    market (UOF 38/39/40), else the ``player=`` of the specifier; a key without that name key is returned."""
    market, specifier, outcome = key
    if outcome == player:
        return (market, specifier, sr_id)
    rewritten = _specifier_with_id(specifier, player, sr_id) if specifier else None
    return key if rewritten is None else (market, rewritten, outcome)


@lru_cache(maxsize=65_536)
def _specifier_with_id(specifier: str, player: int, sr_id: int) -> str | None:
    """The specifier with its ``player=<player>`` written as ``player=<sr_id>``; None without that pair
    (remembered: a player's line comes back per side and every capture)."""
    parts = specifier.split("|")
    if f"player={player}" not in parts:
        return None
    if not all(map(str.__contains__, parts, repeat("="))):
        raise ValueError(f"specifier {specifier!r}: a part without a value")
    written = f"player={sr_id}"
    return "|".join([written if part.startswith("player=") else part for part in parts])
