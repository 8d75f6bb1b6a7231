"""Human-readable outcome labels for rendered markets (display text only: parsers never read it)."""

from __future__ import annotations

from functools import lru_cache

from palimpsest_pipeline.markets.vocabulary import VOCABULARY

_SIDE = {1714: "Home", 1715: "Away", 1711: "Home", 1712: "Draw", 1713: "Away"}


def _signed(value: float) -> str:
    return "0" if value == 0 else f"{value:+.1f}"


@lru_cache(maxsize=16_384)  # the same for every match: a few thousand outcomes exist
def outcome_label(market: int, spec: str, outcome: int) -> str:
    """ "Over 2.5", "Home (-0.5)", "Draw (0:1)", "1X"... in SportyBet's style."""
    definition = VOCABULARY[market]
    name = definition.outcomes.get(outcome, str(outcome)) if definition.outcomes else str(outcome)
    key, _, value = spec.partition("=")
    if key == "total":
        return f"{name.capitalize()} {value}"
    if key == "hcp" and outcome in (1714, 1715):
        line = float(value) if outcome == 1714 else -float(value)
        return f"{_SIDE[outcome]} ({_signed(line)})"
    if key == "hcp" and outcome in _SIDE:
        goals = int(float(value))
        score = f"{goals}:0" if goals >= 0 else f"0:{-goals}"
        return f"{_SIDE[outcome]} ({score})"
    return name[:1].upper() + name[1:]
