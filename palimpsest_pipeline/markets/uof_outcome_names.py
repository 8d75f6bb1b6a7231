"""A book's outcome name checked against what UOF's outcome of that id is: never key an id the name denies.

Where a book gives UOF ids, a swapped or mislabelled id still parses and silently prices the
wrong bet under a right-looking key (../shared/MARKETS.md: double chance orders differ by book). The words
that decide a bet are compared in order: the sides (the book's team names or "Home"/"Away" against UOF's
``{$competitor1}``/``{$competitor2}``), draw, none, over, under, yes, no, odd, even. A name saying none of
them says nothing; a name saying others than UOF's outcome is a conflict.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, NamedTuple

from palimpsest_pipeline.markets.free_text import MAX_NAME_LENGTH, overlong
from palimpsest_pipeline.markets.uof import uof_markets

HOME, AWAY = "\x01", "\x02"
_DECIDING = frozenset({"draw", "none", "over", "under", "yes", "no", "odd", "even", HOME, AWAY})
#: Words and the two side marks; one character class, so linear on any text.
_WORD = re.compile(r"[a-z0-9\x01\x02]+")
_ONE_X_TWO = {"1": HOME, "x": "draw", "2": AWAY}
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_SIDE_PLACEHOLDERS = {
    "{$competitor1}": f" {HOME} ",
    "{%competitor1}": f" {HOME} ",
    "{$competitor2}": f" {AWAY} ",
    "{%competitor2}": f" {AWAY} ",
}


@cache
def _uof_names() -> dict[tuple[int, int], tuple[str, ...]]:
    """(market, outcome) -> the deciding words of UOF's outcome name, for every fixed outcome list."""
    found: dict[tuple[int, int], tuple[str, ...]] = {}
    for market in uof_markets():
        for outcome, name in (market.outcomes or {}).items():
            text = name.lower()
            for placeholder, mark in _SIDE_PLACEHOLDERS.items():
                text = text.replace(placeholder, mark)
            found[(market.market_id, outcome)] = _deciding(_PLACEHOLDER.sub(" ", text))
    return found


def _deciding(text: str) -> tuple[str, ...]:
    return tuple(word for word in _WORD.findall(text) if word in _DECIDING)


@lru_cache(maxsize=65_536)
def book_words(name: str, home: str, away: str) -> tuple[str, ...]:
    """The deciding words of a book's outcome name; the team names (longer first) and "home"/"away" are
    the sides, and so are 1 and 2 in a name written only in 1, X and 2 ("1 X", "X 2")."""
    text = name.lower()
    words = _WORD.findall(text)
    if words and all(word in _ONE_X_TWO for word in words):
        return tuple(_ONE_X_TWO[word] for word in words)
    for team, mark in sorted(((home, HOME), (away, AWAY)), key=lambda pair: -len(pair[0])):
        if team.strip():
            text = text.replace(team.lower(), f" {mark} ")
    return tuple(
        {"home": HOME, "away": AWAY}.get(word, word)
        for word in _WORD.findall(text)
        if word in _DECIDING or word in ("home", "away")
    )


def name_conflict(market: int, outcome: int, name: str, home: str, away: str) -> str | None:
    """Why ``name`` cannot be UOF outcome ``outcome`` of ``market``, or None when it can (or says nothing,
    or UOF lists no fixed name for it). A name naming no side is judged on its other words only."""
    expected = _uof_names().get((market, outcome))
    if expected is None or not name or overlong(name, "outcome name"):
        return None
    said = book_words(name, home, away)
    if not (home.strip() and away.strip()) or not any(word in (HOME, AWAY) for word in said):
        # a name that names no side (its teams unknown, or spelt otherwise) is judged on its other words
        said = tuple(word for word in said if word not in (HOME, AWAY))
        expected = tuple(word for word in expected if word not in (HOME, AWAY))
    if not said or not expected or said == expected:
        return None
    shown = " ".join({HOME: "home", AWAY: "away"}.get(word, word) for word in expected)
    return (
        f"outcome {outcome} is named {name[:60]!r}; UOF's outcome {outcome} of market {market} is {shown!r}"
    )


def ids_denied(market: int, outcomes: Iterable[tuple[Any, Any]], home: str, away: str) -> str | None:
    """Why the first of ``outcomes`` ((id, name) as the book sent them) whose name denies its UOF id does;
    None when none does. Ids are read only as short digit strings (a book's own or unreadable ids say
    nothing)."""
    for text, name in outcomes:
        if (
            isinstance(text, str)
            and len(text) < 12
            and text.isascii()
            and text.isdigit()
            and isinstance(name, str)
        ):
            denied = name_conflict(market, int(text), name, home, away)
            if denied is not None:
                return denied
    return None


#: How a plan's signature writes an outcome named exactly as the home or the away team (``plain_teams``).
HOME_NAMED, AWAY_NAMED = object(), object()


def plain_teams(home: str, away: str) -> bool:
    """Whether an outcome named exactly as one team reads, in every check above, as that side and nothing
    else, for any such teams: both named, neither inside the other (so neither replaces part of the
    other), each with a word not 1, X or 2, and names a name may be. Only then may a plan made for other
    teams key it."""
    low_home, low_away = home.lower(), away.lower()
    return (
        bool(home.strip() and away.strip())
        and low_home not in low_away
        and low_away not in low_home
        and len(home) <= MAX_NAME_LENGTH
        and len(away) <= MAX_NAME_LENGTH
        and any(word not in _ONE_X_TWO for word in _WORD.findall(low_home))
        and any(word not in _ONE_X_TWO for word in _WORD.findall(low_away))
    )


@dataclass(frozen=True, slots=True)
class TeamsRead:
    """For which teams a reading of names (the checks above, the lines they carry) holds: any teams that no
    name holds, where none held the teams it was read for (``teams`` None, ``names`` the names lower-cased;
    the checks read a team only where its name is inside one: ASCII names, so lower-casing keeps inside
    inside), else only the teams it was read for. Whether both teams are named is read too. Outcomes named
    exactly as a team are not among ``names``: the plan's signature marks them (``HOME_NAMED``), and such a
    plan holds only for ``plain_teams`` (``sides_marked``)."""

    teams: tuple[str, str] | None
    names: str
    both_named: bool
    sides_marked: bool

    @classmethod
    def of(cls, names: Iterable[str], home: str, away: str, *, sides_marked: bool = False) -> TeamsRead:
        texts = list(names)
        lowered = "\n".join(text.lower() for text in texts)
        free = all(text.isascii() for text in texts) and home.lower() not in lowered
        free = free and away.lower() not in lowered
        both = bool(home.strip() and away.strip())
        return cls(None if free else (home, away), lowered, both, sides_marked)

    def holds(self, teams: Teams) -> bool:
        """Whether the reading holds for these teams."""
        if self.sides_marked and not teams.plain:
            return False
        if self.teams is None:
            return (
                self.both_named == teams.both_named
                and teams.low_home not in self.names
                and teams.low_away not in self.names
            )
        return self.teams == (teams.home, teams.away)


class Teams(NamedTuple):
    """One event's teams as ``TeamsRead.holds`` reads them, read once per event."""

    home: str
    away: str
    low_home: str
    low_away: str
    both_named: bool
    plain: bool

    @classmethod
    def of(cls, home: str, away: str) -> Teams:
        both = bool(home.strip() and away.strip())
        return cls(home, away, home.lower(), away.lower(), both, plain_teams(home, away))
