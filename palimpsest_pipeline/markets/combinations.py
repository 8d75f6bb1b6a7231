"""Canonical keys for bets built from UOF outcomes that UOF has no market for ("1 + GG + Over 2.5").

``(ALL_OF or ANY_OF, "legs=<leg>,...", yes or no)``, the legs sorted and de-duplicated, so two books selling
the same combination produce the same key (docs/market-keys.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from palimpsest_pipeline.markets.specifiers import SpecifierError, format_line

#: "All of the legs win" and "at least one leg wins", above UOF's ids and SportyBet's own families.
ALL_OF = 2_000_001
ANY_OF = 2_000_002
COMBINATION_MARKETS = frozenset({ALL_OF, ANY_OF})
YES, NO = 74, 76

#: A leg: a canonical UOF key (market, normalised specifier, outcome).
Leg = tuple[int, str, int]


def _leg_text(leg: Leg) -> str:
    market, spec, outcome = leg
    if "," in spec or "/" in spec.replace("sr:", ""):
        raise SpecifierError(f"leg {leg!r}: its specifier cannot be written inside a combination")
    return f"{market}/{outcome}/{spec.replace('|', ';')}" if spec else f"{market}/{outcome}"


def legs_specifier(legs: Iterable[Leg]) -> str:
    """The normalised ``legs=`` specifier of a set of legs (sorted, de-duplicated)."""
    unique = sorted(set(legs), key=lambda leg: (leg[0], leg[1], leg[2]))
    if len(unique) < 2:
        raise SpecifierError(f"a combination needs at least two distinct legs, got {unique!r}")
    return "legs=" + ",".join(_leg_text(leg) for leg in unique)


def combination_key(operator: int, legs: Iterable[Leg], outcome: int = YES) -> tuple[int, str, int]:
    """The canonical key of "all of" / "any of" ``legs`` (``outcome`` YES) or of its complement (NO). One
    distinct leg with YES is that leg's own key; with NO it stays a combination (UOF has no general "not")."""
    if operator not in COMBINATION_MARKETS:
        raise ValueError(f"operator {operator} is neither ALL_OF nor ANY_OF")
    if outcome not in (YES, NO):
        raise ValueError(f"a combination's outcome is yes (74) or no (76), got {outcome}")
    unique = set(legs)
    if len(unique) == 1:
        (leg,) = unique
        return leg if outcome == YES else (ALL_OF, "legs=" + _leg_text(leg), NO)
    return (operator, legs_specifier(unique), outcome)


_LINE_RE = re.compile(r"\{line([+-]\d+(?:\.\d+)?)?\}")


def fill_line(template: str, line: float) -> str:
    """A leg specifier template with the book's line filled in: ``total={line}`` -> ``total=2.5``;
    ``hcp={line+0.5}`` -> the line plus a half (a 3-way handicap's legs sit half a goal either side)."""

    def _value(match: re.Match[str]) -> str:
        offset = float(match.group(1)) if match.group(1) else 0.0
        return format_line(line + offset)

    return _LINE_RE.sub(_value, template)


def has_line(template: str) -> bool:
    return _LINE_RE.search(template) is not None
