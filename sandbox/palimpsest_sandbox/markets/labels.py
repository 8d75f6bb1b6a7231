"""Human-readable outcome labels for rendered markets (display text only: parsers never read it), and how the
books on UOF's ids write a market's specifier and outcome ids."""

from __future__ import annotations

from functools import lru_cache

from palimpsest_pipeline.markets.vocabulary import SCORE_HANDICAP_MARKETS, VOCABULARY

_SIDE = {1714: "Home", 1715: "Away", 1711: "Home", 1712: "Draw", 1713: "Away"}


def _signed(value: float) -> str:
    return "0" if value == 0 else f"{value:+.1f}"


def _score(home_line: str) -> str:
    """A 3-way handicap's whole-goal home line as UOF writes it: "-1" -> "0:1", "2" -> "2:0"."""
    goals = int(float(home_line))
    return f"{goals}:0" if goals >= 0 else f"0:{-goals}"


@lru_cache(maxsize=16_384)  # the same for every match: a few thousand outcomes exist
def outcome_label(market: int, spec: str, outcome: int) -> str:
    """ "Over 2.5", "Home (-0.5)", "Draw (0:1)", "1X"... as UOF's names read."""
    definition = VOCABULARY[market]
    name = definition.outcomes.get(outcome, str(outcome)) if definition.outcomes else str(outcome)
    key, _, value = spec.partition("=")
    if key == "total":
        return f"{name.capitalize()} {value}"
    if key == "hcp" and outcome in (1714, 1715):
        line = float(value) if outcome == 1714 else -float(value)
        return f"{_SIDE[outcome]} ({_signed(line)})"
    if key == "hcp" and outcome in _SIDE:
        return f"{_SIDE[outcome]} ({_score(value)})"
    return name[:1].upper() + name[1:]


def book_spec(market: int, spec: str) -> str:
    """Canonical specifier -> UOF's (a 3-way handicap's home line back to "a:b")."""
    if market in SCORE_HANDICAP_MARKETS and spec.startswith("hcp="):
        return "hcp=" + _score(spec[4:])
    return spec


def outcome_id(market: int, outcome: int) -> str:
    """UOF's outcome id as text: a variant's outcome behind its variant ("sr:exact_goals:5+:1336")."""
    variant = VOCABULARY[market].variant
    return f"{variant}:{outcome}" if variant else str(outcome)


#: A combined bet's first part as UOF writes it: "Home/Draw & Under 1.5", not "1X & under 1.5".
_SIDES = {"1": "Home", "x": "Draw", "2": "Away", "1x": "Home/Draw", "12": "Home/Away", "x2": "Draw/Away"}


def uof_label(market: int, spec: str, outcome: int) -> str:
    """The outcome's name as the books on UOF's ids show it: the world's label, a combined bet's sides
    written out."""
    text = outcome_label(market, spec, outcome)
    head, sep, tail = text.partition(" & ")
    side = _SIDES.get(head.lower())
    if not sep or side is None:
        return text
    return f"{side} & {tail[:1].upper()}{tail[1:]}"
