"""Player outcomes (goalscorer markets) keyed so that two books' prices for the same player meet.

A player's key is its SportRadar id when the book gives one (SportyBet), else a NAME KEY: the negative
crc32 of its normalised name (accents and case folded, team suffix dropped, "Surname, First" turned round),
which never collides with a UOF outcome or SportRadar id and is equal for equal names.
"""

from __future__ import annotations

import re
import unicodedata
import zlib

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
