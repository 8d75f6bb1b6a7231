"""What a market is, in words any book can be read into: what is counted, over which period, for whom, how it
is bet, its qualifiers and parameters. Two books' markets are the same bet exactly when their descriptions
are equal. Beside it: a refusal, the key an outcome resolves to, an outcome read as a market of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from palimpsest_pipeline.markets.free_text import overlong

#: Parameters whose value the book gives beside the name (a row's line, a live score): named, not yet valued.
UNVALUED = "?"

#: What an outcome is keyed by: (market id, UOF's or the project's own; specifier; outcome id).
Key = tuple[int, str, int]


@dataclass(frozen=True, slots=True)
class Description:
    """One market, read. ``params`` maps specifier names (``total``, ``hcp``, ``goalnr``...) to values."""

    counted: str = "score"  # "score": the sport's own unit (goals, points); else corners, bookings, games...
    period: str = "match"  # match, match_ot, 1h, 2h, quarter, set, minutes...
    scope: str = "match"  # match, home, away
    bet: str = ""  # 1x2, dc, total, ah, eh, cs... or "1x2&total" for a combination
    qualifiers: frozenset[str] = field(default_factory=frozenset)
    params: tuple[tuple[str, str], ...] = ()

    @property
    def shape(self) -> tuple[str, str, str, str, frozenset[str]]:
        """Everything but the parameter values: what two descriptions must share to be one market type."""
        return (self.counted, self.period, self.scope, self.bet, self.qualifiers)

    def param(self, name: str) -> str | None:
        return dict(self.params).get(name)

    def with_params(self, **values: str) -> Description:
        merged = dict(self.params)
        merged.update(values)
        return Description(
            self.counted, self.period, self.scope, self.bet, self.qualifiers, tuple(sorted(merged.items()))
        )

    def text(self) -> str:
        """One line for people: ``goals 1h home total [total=1.5]``."""
        parts = [self.counted, self.period, self.scope, self.bet, *sorted(self.qualifiers)]
        params = ",".join(f"{k}={v}" for k, v in self.params)
        return " ".join(parts) + (f" [{params}]" if params else "")


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a market or outcome is not keyed: the grammar could not read it with certainty."""

    reason: str


@dataclass(frozen=True, slots=True)
class OutcomeReading:
    """One outcome read as the outcome ``token`` of a market of its own ("K. Mbappe 2+": "over" of Mbappe's
    total 1.5), which resolve.py keys like any market."""

    description: Description
    token: str


@dataclass(frozen=True, slots=True)
class Unreadable(Refusal):
    """A name or label the payload gives in a form no name has (a value of the wrong type, text past the
    length cap): the parser sets the outcome aside with this reason where no table keys it from its id."""


def unreadable_name(value: Any, what: str) -> Unreadable | None:
    """Why ``value`` (a ``what``: "outcome name", "price name") is no name: the wrong type, or text past the
    length cap (markets/free_text.py); None when it reads or is absent."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        return Unreadable(f"{what} is {type(value).__name__}, not text")
    problem = overlong(value, what)
    return None if problem is None else Unreadable(problem)
