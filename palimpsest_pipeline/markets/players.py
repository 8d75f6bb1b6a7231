"""Player outcomes (goalscorer markets) keyed so that two books' prices for the same player meet.

Key form. A player market's canonical key is (UOF market, specifier, PLAYER), where PLAYER is:

* the player's SportRadar id (``sr:player:1009385`` -> ``1009385``) when the book gives one (SportyBet);
* otherwise a NAME KEY: ``-(crc32(normalised name) & 0x7fffffff)``, a negative id, so it can never collide
  with a UOF outcome id or a SportRadar player id, and the same name always gives the same key.

Names are normalised within the match by :func:`normalise_name`: accents folded (``unicodedata`` NFKD),
case folded, a team suffix ``" (Qingdao Hainiu FC)"`` dropped, ``"Surname, First"`` turned into
``"first surname"``, punctuation and hyphens to spaces. A name key is then resolved to a SportRadar id by
:func:`resolve_name_keys` against the players another book lists for the SAME match (never across matches),
trying in order: the same words in any order ("Li Hailong" = "Hailong, Li"), then the same surname and first
initial ("J. Cadiz" = "Jhonder Cadiz"), then the surname alone; a level counts only when exactly one player
fits, so two brothers or two "Silva"s stay unresolved rather than guessed.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Iterable, Mapping

_TEAM_SUFFIX = re.compile(r"\s*\([^)]*\)\s*$")
_NON_WORD = re.compile(r"[^\w]+")


def normalise_name(name: str) -> str:
    """``"Ñíguez, José-Luis (Elche)"`` -> ``"jose luis niguez"``."""
    text = _TEAM_SUFFIX.sub("", name.strip())
    if "," in text:
        surname, _, first = text.partition(",")
        text = f"{first} {surname}"
    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(_NON_WORD.sub(" ", folded.casefold()).split())


def name_key(name: str) -> int:
    """The negative outcome id of a player known only by name (see the module docstring)."""
    normalised = normalise_name(name)
    if not normalised:
        raise ValueError(f"player name {name!r} has no letters to key on")
    return -(zlib.crc32(normalised.encode()) & 0x7FFFFFFF)


def _levels(normalised: str) -> tuple[tuple[str, ...], tuple[str, str], str]:
    words = normalised.split()
    return tuple(sorted(words)), (words[-1], words[0][:1]), words[-1]


def resolve_name_keys(names: Iterable[str], known: Mapping[int, str]) -> dict[int, int]:
    """Name key -> SportRadar id for each of ``names`` that matches exactly one of ``known`` (id -> name).

    ``known`` are the players another book lists for the same match, with their SportRadar ids.
    """
    candidates = [(sr_id, _levels(normalise_name(name))) for sr_id, name in known.items() if name.strip()]
    resolved: dict[int, int] = {}
    for name in names:
        normalised = normalise_name(name)
        if not normalised:
            continue
        mine = _levels(normalised)
        for level in range(3):
            fits = {sr_id for sr_id, theirs in candidates if theirs[level] == mine[level]}
            if len(fits) == 1:
                resolved[name_key(name)] = fits.pop()
                break
            if fits:  # several players fit: a finer level failed, a coarser one cannot be safer
                break
    return resolved
