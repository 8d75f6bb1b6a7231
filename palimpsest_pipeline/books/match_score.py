"""The score and half a book's live row shows, read strictly: a score carried twice (a total and the
periods' scores) is kept only when both agree, a half only when the row's period number fits it; anything
else is set aside (None), never guessed, and the row still counts."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

_SCORE = re.compile(r"^\s*(\d{1,3})\s*:\s*(\d{1,3})\s*$")
_GOALS = re.compile(r"^\d{1,3}$")
#: SportRadar's football status codes as the books' live rows print them, and the period number each fits.
FOOTBALL_HALVES = {"H1": ("first_half", "1"), "HT": ("half_time", "1"), "H2": ("second_half", "2")}


def score_text(value: Any) -> tuple[int, int] | None:
    """``"2:1"`` as (2, 1); None for anything else."""
    match = _SCORE.match(value) if isinstance(value, str) else None
    return None if match is None else (int(match.group(1)), int(match.group(2)))


def agreeing_score(total: Any, periods: Any) -> tuple[int, int] | None:
    """The total score (``"0:3"``), checked against the periods' scores (``["0:1", "0:2"]``) where the row
    carries them: None when either is unreadable or their sum differs."""
    score = score_text(total)
    if score is None or periods is None:
        return score
    if not isinstance(periods, Sequence) or isinstance(periods, str):
        return None
    parts = [score_text(part) for part in periods]
    if any(part is None for part in parts):
        return None
    summed = (sum(p[0] for p in parts if p), sum(p[1] for p in parts if p))
    return score if summed == score else None


def football_half(status: Any, period: Any) -> str | None:
    """The half a row's SportRadar status (``"H2"``) names, when its period number (``"2"``) fits it."""
    known = FOOTBALL_HALVES.get(status) if isinstance(status, str) else None
    if known is None:
        return None
    half, number = known
    return half if _fits(period, number) else None


def goals_pair(value: Any) -> tuple[int, int] | None:
    """``["0", "3"]`` (each side's goals as ASCII digits) as (0, 3); None for anything else."""
    if not isinstance(value, list) or len(value) != 2:
        return None
    sides = [side for side in value if isinstance(side, str) and side.isascii() and _GOALS.match(side)]
    return (int(sides[0]), int(sides[1])) if len(sides) == 2 else None


#: The football halves as Bet9ja's, Betway's and Betika's rows spell them ("1st Half", "Half time",
#: "Halftime", "2nd half"), lower case without spaces, and the period number each fits.
SPELT_HALVES = {
    "1sthalf": ("first_half", "1"),
    "halftime": ("half_time", "1"),
    "2ndhalf": ("second_half", "2"),
}


def named_half(status: Any, period: Any) -> str | None:
    """The half a row's status text (``"2nd half"``) names, when the row's period number (``"2"``) fits it."""
    key = status.lower().replace(" ", "") if isinstance(status, str) and len(status) < 40 else None
    known = SPELT_HALVES.get(key) if key is not None else None
    if known is None:
        return None
    half, number = known
    return half if _fits(period, number) else None


def _fits(period: Any, number: str) -> bool:
    """Whether a row's period, as text (``"2"``) or a whole number (2), is ``number``."""
    if isinstance(period, int) and not isinstance(period, bool):
        return period == int(number)
    return isinstance(period, str) and period == number
