"""Lines that a book's names carry ("Over 2.5", "Home (-1.5)", "Home (0:1)") checked against its line field (a
UOF ``specifier``, an odds key's ``@line``): a number is read only where it is plainly a line, so a minute, a
range or a score is never one; a name whose line is not the field's makes the market a :class:`LineConflict`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from palimpsest_pipeline.markets.grammar.lines import LineConflict

#: "Over 2.5", "under 1,5", "O/U 3.5", "Exact 157", "Total games 19.5": a total (with comma decimals);
#: not an ordinal ("O/U 1° Set", "Over 1st"), a range ("1-2"), a score or a compound ("total 3-point goals").
_TOTAL = re.compile(
    r"\b(?:over|under|exact|ov|un|o/u|total(?: games)?)\s+(\d+(?:[.,]\d+)?)(?![\d.,:°a-z]|-[\da-z])", re.I
)
#: "<side> (-1.5)" or "<side> -0.5": a handicap for that side; "(0:1)": a 3-way handicap, the same for all.
_SIDE_LINE = re.compile(
    r"(?:^|&\s*)([^&()]*?)\s*\(([+-]?\d+(?:\.\d+)?)\)|\b(home|away)\s+([+-]\d+(?:\.\d+)?)\b", re.I
)
_SCORE_LINE = re.compile(r"\((\d+):(\d+)\)")
#: A market name ending in its handicap: "Asian Handicap -1.5", "Set handicap -1.5", "Handicap 0:7".
_NAME_HANDICAP = re.compile(r"\bhandicap\s+([+-]?\d+(?:\.\d+)?|\d+:\d+)$", re.I)

_EPSILON = 1e-9


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _side(words: str, home: str, away: str) -> int:
    text = words.strip().lower()
    if text in ("home", "1") or (home and text == home.lower()):
        return 1
    if text in ("away", "2") or (away and text == away.lower()):
        return -1
    return 0


@lru_cache(maxsize=65_536)
def named_lines(text: str, home: str = "", away: str = "") -> tuple[tuple[str, float, bool], ...]:
    """The lines one name carries: ("total", 2.5, True), ("hcp", home line, signed?) or ("hcp3", home line,
    True); a side-less "(-1.5)" gives only its size (signed False)."""
    found: list[tuple[str, float, bool]] = [
        ("total", _number(m.group(1)), True) for m in _TOTAL.finditer(text)
    ]
    for match in _SCORE_LINE.finditer(text):
        found.append(("hcp3", float(int(match.group(1)) - int(match.group(2))), True))
    for match in _SIDE_LINE.finditer(text):
        words, value = (
            (match.group(1), match.group(2)) if match.group(2) else (match.group(3), match.group(4))
        )
        side = _side(words or "", home, away)
        number = float(value)
        found.append(("hcp", number * side if side else abs(number), bool(side) or number == 0))
    name_handicap = _NAME_HANDICAP.search(text.strip())
    if name_handicap:
        value = name_handicap.group(1)
        if ":" in value:
            a, _, b = value.partition(":")
            found.append(("hcp3", float(int(a) - int(b)), True))
        else:
            found.append(("hcp", float(value), True))
    return tuple(found)


def _meets(field: float, named: float, signed: bool) -> bool:
    return abs(field - named) < _EPSILON if signed else abs(abs(field) - named) < _EPSILON


def check_names(
    fields: dict[str, float], names: Sequence[str], *, home: str = "", away: str = "", where: str = ""
) -> LineConflict | None:
    """A conflict when any name's line of a kind the field gives (``total``, ``hcp`` home line, ``hcp3``
    home line) is not the field's, naming the field and the name; None when all agree or none says."""
    for name in names:
        for kind, value, signed in named_lines(name, home, away):
            field = fields.get("hcp" if kind == "hcp3" else kind)
            if field is not None and not _meets(field, value, signed):
                shown = ", ".join(f"{k}={v:g}" for k, v in fields.items())
                return LineConflict(f"{where}{shown} disagrees with the name {name!r}")
    return None


@lru_cache(maxsize=16_384)
def specifier_fields(specifier: str) -> dict[str, float]:
    """A UOF specifier's lines: ``total`` and the ``hcp`` home line ("0:1" -> -1); others ignored."""
    fields: dict[str, float] = {}
    for part in specifier.split("|"):
        key, _, value = part.partition("=")
        try:
            if key == "total":
                fields["total"] = float(value)
            elif key == "hcp":
                a, colon, b = value.partition(":")
                fields["hcp"] = float(int(a) - int(b)) if colon else float(value)
        except ValueError:
            continue  # an unreadable value is the specifier reader's to set aside
    return fields
