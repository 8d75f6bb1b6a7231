"""Betway's lines, read from every place that carries one (the market's and each outcome's ``handicap``, an
outcome's ``sbv``, the market's names) and checked against the market id's specifier. A head start "a : b"
is the home line a - b; a signed number on UOF's home (1714) or away (1715) outcome of a handicap is that
side's line; any other number is compared by size.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from palimpsest_pipeline.markets.free_text import overlong
from palimpsest_pipeline.markets.grammar.label_lines import check_names

#: "(0.5 : 0)", "(0:1)": a head start, home first.
_HEAD_START = re.compile(r"\(\s*(\d+(?:\.\d+)?)\s*:\s*(\d+(?:\.\d+)?)\s*\)")
#: "(2.5)", "(+1.5)", "(-0.5)".
_NUMBER = re.compile(r"\(\s*([+-]?)(\d+(?:\.\d+)?)\s*\)")
HOME_OUTCOME, AWAY_OUTCOME = 1714, 1715
_EPSILON = 1e-9


def line_fields(pairs: Mapping[str, str]) -> dict[str, float]:
    """The lines a specifier gives: ``total``, and ``hcp`` as the home line ("0:1" is -1)."""
    fields: dict[str, float] = {}
    if "total" in pairs:
        fields["total"] = float(pairs["total"])
    if "hcp" in pairs:
        home, colon, away = pairs["hcp"].partition(":")
        fields["hcp"] = float(home) - float(away) if colon else float(home)
    return fields


def _same(a: float, b: float) -> bool:
    return abs(a - b) < _EPSILON


def _meets_number(fields: dict[str, float], sign: str, size: float, outcome: int | None) -> bool:
    """Whether a number written in a name is one of the lines: a total by size, a handicap by its side."""
    if "total" in fields and _same(fields["total"], size):
        return True
    if "hcp" not in fields:
        return "total" not in fields
    hcp = fields["hcp"]
    if sign and outcome in (HOME_OUTCOME, AWAY_OUTCOME):
        line = -size if sign == "-" else size
        return _same(line, hcp if outcome == HOME_OUTCOME else -hcp)
    return _same(abs(hcp), size)


def text_conflict(fields: dict[str, float], text: str, outcome: int | None) -> str | None:
    """Why the lines ``text`` writes in parentheses are not ``fields``; None when they are, or none is
    written."""
    if not text or overlong(text, "name"):
        return None
    for match in _HEAD_START.finditer(text):
        home_line = float(match.group(1)) - float(match.group(2))
        if "hcp" not in fields or not _same(fields["hcp"], home_line):
            return f"{text.strip()[:60]!r} says the home line {home_line:g}"
    for match in _NUMBER.finditer(text):
        if not _meets_number(fields, match.group(1), float(match.group(2)), outcome):
            return f"{text.strip()[:60]!r} says {match.group(1)}{match.group(2)}"
    return None


def number_conflict(fields: dict[str, float], value: Any, where: str) -> str | None:
    """Why a ``handicap`` field is not the line (the home line of a handicap, else the total); None when
    it is."""
    if value is None or isinstance(value, bool) or not isinstance(value, int | float):
        return None if value is None else f"{where} is {str(value)[:40]!r}, not a number"
    line = fields.get("hcp", fields.get("total"))
    if (
        line is None
        or _same(float(value), line)
        or ("total" in fields and _same(float(value), fields["total"]))
    ):
        return None
    return f"{where} is {value:g}"


def market_conflict(
    fields: dict[str, float],
    texts: Iterable[Any],
    numbers: Iterable[tuple[str, Any]],
    outcomes: Iterable[tuple[int | None, Any, Any]],
    home: str,
    away: str,
) -> str | None:
    """Why one market's places disagree with the id's lines: its names (``texts``), its ``handicap``
    (``numbers``: (where, value)) and its outcomes' (outcome id, ``sbv``, ``handicap``); None when all
    agree."""
    if not fields:
        return None
    problems: list[str] = []
    names = [text for text in texts if isinstance(text, str) and not overlong(text, "name")]
    named = check_names(fields, names, home=home, away=away)
    if named is not None:
        problems.append(named.reason)
    problems += [p for text in names if (p := text_conflict(fields, text, None)) is not None]
    problems += [p for where, value in numbers if (p := number_conflict(fields, value, where)) is not None]
    for outcome, sbv, handicap in outcomes:
        if isinstance(sbv, str) and (p := text_conflict(fields, sbv, outcome)) is not None:
            problems.append(f"outcome {outcome} sbv {p}")
        if (p := number_conflict(fields, handicap, f"outcome {outcome} handicap")) is not None:
            problems.append(p)
    if not problems:
        return None
    shown = ", ".join(f"{key}={value:g}" for key, value in fields.items())
    return f"the id's {shown} disagrees with " + "; ".join(problems[:3])
