"""What an odds parser returns: the rows and an account of what was (not) mapped."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from palimpsest_pipeline.markets.vocabulary import key_kind
from palimpsest_pipeline.records import OddsRow


@dataclass(slots=True)
class OddsParse:
    """Canonical rows of one event plus mapping coverage.

    ``rows`` holds open AND suspended outcomes that reached a canonical key. ``open_outcomes`` counts every
    open (tradeable) outcome in the payload, mapped or not; ``mapped_outcomes`` those that reached a key;
    ``unmapped`` counts the rest per book market key, so nothing is dropped silently. ``native_outcomes``: of
    the mapped, those keyed under a book-native market (SportyBet's own families), not a UOF one;
    ``composed_outcomes``: of the mapped, those keyed as a combination of UOF outcomes
    (markets/combinations.py); ``canonical_outcomes``: of the mapped, those keyed by the market grammar's
    description because UOF has no such market (markets/grammar/canonical.py).
    """

    rows: list[OddsRow] = field(default_factory=list)
    open_outcomes: int = 0
    mapped_outcomes: int = 0
    native_outcomes: int = 0
    composed_outcomes: int = 0
    canonical_outcomes: int = 0
    unmapped: dict[str, int] = field(default_factory=dict)
    #: outcomes dropped because their key or value could not be read (counted in ``unmapped`` as
    #: ``malformed:<market>``): the reasons, naming key and value
    malformed: list[str] = field(default_factory=list)

    @property
    def mapping_rate(self) -> float:
        return self.mapped_outcomes / self.open_outcomes if self.open_outcomes else 0.0

    def count_keyed(self, market_id: int) -> None:
        """One more open outcome reached a key under ``market_id``, counted by the kind of that key."""
        self.mapped_outcomes += 1
        kind = key_kind(market_id)
        if kind == "native":
            self.native_outcomes += 1
        elif kind == "composed":
            self.composed_outcomes += 1
        elif kind == "canonical":
            self.canonical_outcomes += 1

    @property
    def uof_outcomes(self) -> int:
        """Open outcomes keyed under a UOF market itself (neither native, a combination nor canonical)."""
        return self.mapped_outcomes - self.native_outcomes - self.composed_outcomes - self.canonical_outcomes

    def count_unmapped(self, market_key: str) -> None:
        self.unmapped[market_key] = self.unmapped.get(market_key, 0) + 1

    def set_aside(self, market_key: Any, reason: str) -> None:
        """One unreadable market or outcome costs itself, not the event: counted apart under
        ``malformed:<market>`` (the market key as the book gave it, bounded) and its reason kept."""
        self.count_unmapped(f"malformed:{str(market_key)[:60]}")
        self.malformed.append(reason[:300])
