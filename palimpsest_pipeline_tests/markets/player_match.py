"""One name resolved against a roster, as the tests ask it (the pipeline resolves many against one
``RosterIndex``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from palimpsest_pipeline.markets.players import RosterIndex, RosterPlayer


@dataclass(frozen=True, slots=True)
class PlayerMatch:
    """The SportRadar id a book's player name resolves to, or None with why (no match, ambiguous...)."""

    sr_id: int | None
    reason: str = ""


def resolve_player(name: str, roster: Sequence[RosterPlayer]) -> PlayerMatch:
    """The SportRadar id of the player a book names ``name``, found in another book's ``roster`` of the same
    event (``RosterIndex.resolve_id``)."""
    found = RosterIndex(roster).resolve_id(name)
    return PlayerMatch(None, found) if isinstance(found, str) else PlayerMatch(found)
