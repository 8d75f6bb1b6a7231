"""A book's outcome name checked against what UOF's outcome of that id is: never key an id the name denies (a
swapped id prices the wrong bet under a right-looking key). The deciding words (sides, draw, none, over,
under, yes, no, odd, even) are compared in order; a name saying none says nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import Any

from palimpsest_pipeline.markets.free_text import overlong
from palimpsest_pipeline.markets.uof import uof_markets

HOME, AWAY = "\x01", "\x02"
_DECIDING = frozenset({"draw", "none", "over", "under", "yes", "no", "odd", "even", HOME, AWAY})
#: Words and the two side marks; one character class, so linear on any text.
_WORD = re.compile(r"[a-z0-9\x01\x02]+")
_ONE_X_TWO = {"1": HOME, "x": "draw", "2": AWAY}
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_SIDE_PLACEHOLDERS = {
    f"{{{sigil}competitor{n}}}": f" {mark} " for n, mark in ((1, HOME), (2, AWAY)) for sigil in "$%"
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


def sides_named(home: str, away: str) -> bool:
    """Whether a name written exactly as either team reads as that side and nothing else
    (:func:`book_words`), whatever the teams' letters: both named and told apart, printable, within the name
    cap, neither written in 1, X and 2 alone."""
    return home.lower() != away.lower() and all(
        team.strip()
        and team.isprintable()
        and not overlong(team, "outcome name")
        and not all(word in _ONE_X_TWO for word in _WORD.findall(team.lower()))
        for team in (home, away)
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
