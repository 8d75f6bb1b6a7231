"""Normalised specifiers: the part of a canonical key that says which line a market is on. Two books writing
the same line must produce the same text, or an exact join silently misses it (docs/market-keys.md).
"""

from __future__ import annotations

import re
from functools import lru_cache


class SpecifierError(ValueError):
    """A specifier or line that cannot be read; the message names the offending text."""


@lru_cache(maxsize=4096)
def format_line(value: float) -> str:
    """Shortest text for a line: 2.5 -> "2.5", 2.0 -> "2", -0.0 -> "0", 0.25 -> "0.25"."""
    if value != value or value in (float("inf"), float("-inf")):
        raise SpecifierError(f"line is not a finite number: {value!r}")
    rounded = round(value, 4)
    if rounded == 0:
        return "0"
    if rounded == int(rounded):
        return str(int(rounded))
    return repr(rounded)


#: A line as books write it, in ASCII digits only: ``float()`` also reads other scripts' digits ("١٫٥"),
#: underscores and "nan", none of which a book means as a line.
_ASCII_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


def ascii_number(text: str) -> float:
    """``text`` as a number when it is one in ASCII digits, else SpecifierError naming it."""
    if not _ASCII_NUMBER.fullmatch(text):
        raise SpecifierError(f"line {text!r} is not a number in ASCII digits")
    return float(text)


@lru_cache(maxsize=8192)
def normalise_number(text: str) -> str:
    """Normalise one numeric line given as text ("2.50", "+0.5", "-0.0") to its shortest form."""
    return format_line(ascii_number(text))


def score_handicap_to_home_line(text: str) -> str:
    """UOF 3-way handicap "a:b" (goals given to home:away) -> canonical home line "a-b"."""
    home, sep, away = text.partition(":")
    if not sep:
        raise SpecifierError(f"3-way handicap {text!r} is not of the form 'home:away'")
    return format_line(ascii_number(home) - ascii_number(away))


#: Specifier keys whose values are numbers and are therefore normalised numerically.
NUMERIC_KEYS = frozenset(
    {
        "total",
        "hcp",
        "goalnr",
        "setnr",
        "mapnr",
        "quarternr",
        "periodnr",
        "cornernr",
        "minsnr",
        "minute",
        "from",
        "to",
        "pointnr",
        "gamenr",
    }
)


def join_specifier(pairs: dict[str, str]) -> str:
    """``{"total": "2.5", "setnr": "1"}`` -> ``"setnr=1|total=2.5"`` (keys sorted, values as given)."""
    return "|".join(f"{key}={pairs[key]}" for key in sorted(pairs))


@lru_cache(maxsize=16384)
def normalise_specifier(text: str, *, score_handicap: bool = False) -> str:
    """Normalise a UOF specifier string: keys sorted, numbers shortened, other values kept; with
    ``score_handicap`` (a 3-way handicap) an ``hcp`` written "a:b" is turned into the home line."""
    if not text:
        return ""
    pairs: dict[str, str] = {}
    for part in text.split("|"):
        key, sep, value = part.partition("=")
        if not sep or not key:
            raise SpecifierError(f"specifier {text!r}: part {part!r} is not key=value")
        if key == "hcp" and score_handicap:
            value = score_handicap_to_home_line(value)
        elif key in NUMERIC_KEYS:
            value = normalise_number(value)
        pairs[key] = value
    return join_specifier(pairs)
