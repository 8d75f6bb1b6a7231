"""Markets that check themselves on one book alone (placeholder while the checks are written)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from palimpsest_pipeline.records import OddsRow


class Suspect(NamedTuple):
    """One market of one book that its own prices show cannot be true."""

    market: int
    specifier: str
    reason: str
    detail: str


class MarketChecks(NamedTuple):
    """The suspect markets of one event on one book, and the keyed open outcomes they hold."""

    suspects: tuple[Suspect, ...]
    suspect_outcomes: int


def check_markets(rows: Iterable[OddsRow]) -> MarketChecks:
    return MarketChecks((), 0)
