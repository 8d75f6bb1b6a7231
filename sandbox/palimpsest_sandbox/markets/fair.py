"""What every sport's price model shares: the fair book's shape and which lines a book would offer."""

from __future__ import annotations

from palimpsest_pipeline.markets.specifiers import format_line
from palimpsest_pipeline.markets.vocabulary import CanonicalKey

#: Fair effective probability (1 / fair decimal odds) of every canonical outcome a model prices.
FairBook = dict[CanonicalKey, float]

#: Lines are offered only while every outcome's probability stays inside these bounds (books drop
#: lopsided lines, and it keeps margins meaningful).
MIN_P = 0.04
MAX_P = 1 - MIN_P


def offered(*probabilities: float) -> bool:
    """Whether a line whose outcomes have these probabilities is offered (none lopsided)."""
    return all(MIN_P <= p <= MAX_P for p in probabilities)


def line_spec(key: str, value: float) -> str:
    """The canonical specifier of a line: ``total=2.5``, ``hcp=-1``."""
    return f"{key}={format_line(value)}"
