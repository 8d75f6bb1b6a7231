"""Canonical keys for bets built from UOF outcomes that UOF has no market for.

Books sell propositions over several outcomes: "1 + GG + Over 2.5" (all three must win), "1 or GG or
Over 2.5" (any one wins), "1X at half time and 12 at full time", "exactly 9 corners", "a draw in at least
one half". UOF lists none of these as markets, yet each is fully defined by the UOF outcomes it is made
of, so its identity can be written in UOF terms alone: two books selling the same combination produce the
same key, and a price is comparable as soon as both do.

A combination is a canonical key ``(ALL_OF or ANY_OF, "legs=<leg>,<leg>...", yes or no)``:

* a leg is one UOF outcome, written ``market/outcome`` or ``market/outcome/specifier`` with the
  specifier's ``|`` written ``;`` (``18/12/total=2.5``: total goals over 2.5);
* legs are sorted (market, specifier, outcome) and de-duplicated, so the order a book lists them in does
  not matter;
* outcome 74 ("yes") is the proposition, 76 ("no") its complement, as UOF's own yes/no markets.

A combination of one leg is that leg: ``all_of([leg])`` returns the leg's own UOF key, so a book that
spells a plain UOF outcome as a one-leg combination still meets the other books on the UOF key.

Limits, on purpose: logically equivalent propositions written with different legs (home wins by 2+ as a
handicap line or as exact-score sets) get different keys; only the syntactic normal form above is shared.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from palimpsest_pipeline.markets.specifiers import SpecifierError, format_line

#: "All of the legs win" and "at least one leg wins". Outside UOF's id range (UOF ends near 1,200) and
#: SportyBet's own families (60000+, 450000+, 800000+, 900000+), so they collide with neither.
ALL_OF = 2_000_001
ANY_OF = 2_000_002
COMBINATION_MARKETS = frozenset({ALL_OF, ANY_OF})
YES, NO = 74, 76

#: A leg: a canonical UOF key (market, normalised specifier, outcome).
Leg = tuple[int, str, int]

_LEG_RE = re.compile(r"^(\d+)/(\d+)(?:/(.+))?$")


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
    """The canonical key of "all of" / "any of" ``legs`` (``outcome`` YES) or of its complement (NO).

    One distinct leg with YES is that leg's own key; with NO it stays a combination (UOF has no general
    "not" of an outcome).
    """
    if operator not in COMBINATION_MARKETS:
        raise ValueError(f"operator {operator} is neither ALL_OF nor ANY_OF")
    if outcome not in (YES, NO):
        raise ValueError(f"a combination's outcome is yes (74) or no (76), got {outcome}")
    unique = set(legs)
    if len(unique) == 1 and outcome == YES:
        return next(iter(unique))
    if len(unique) == 1:
        (leg,) = unique
        return (ALL_OF, "legs=" + _leg_text(leg), NO)
    return (operator, legs_specifier(unique), outcome)


def parse_legs(specifier: str) -> tuple[Leg, ...]:
    """The legs of a combination's ``legs=`` specifier (the inverse of :func:`legs_specifier`)."""
    key, sep, value = specifier.partition("=")
    if key != "legs" or not sep or not value:
        raise SpecifierError(f"combination specifier {specifier!r} is not legs=<leg>,...")
    legs: list[Leg] = []
    for text in value.split(","):
        match = _LEG_RE.match(text)
        if match is None:
            raise SpecifierError(f"combination leg {text!r} is not market/outcome[/specifier]")
        spec = (match.group(3) or "").replace(";", "|")
        legs.append((int(match.group(1)), spec, int(match.group(2))))
    return tuple(legs)


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
