"""What an odds parser returns: the rows and an account of what was (not) mapped."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from palimpsest_pipeline.markets.grammar.canonical import DESCRIBED
from palimpsest_pipeline.markets.grammar.player_bets import GOALSCORER_MARKETS as _GOALSCORERS
from palimpsest_pipeline.markets.players import RosterPlayer, player_shape
from palimpsest_pipeline.markets.vocabulary import key_kind
from palimpsest_pipeline.records import OddsRow

#: An unread line standing for every line of the event (``OddsParse.unread_everything``).
EVERY_LINE = (0, "*")


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

    Players: ``roster`` holds the players whose SportRadar ids the payload's outcomes carry (SportyBet), and
    ``player_names`` the text the book wrote for each row keyed by a player's NAME key (markets/players.py),
    which cannot be reversed: the capture re-keys those rows to SportRadar ids once every book of the event
    has answered (scrape/odds/players.py).
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
    #: players listed with their SportRadar ids (see the class docstring)
    roster: set[RosterPlayer] = field(default_factory=set)
    #: (market, specifier with its player masked) of each line the parse could not read whole: an outcome set
    #: aside beside the line's others (:meth:`unread_beside`); its absence from the capture proves nothing
    unread_lines: set[tuple[int, str]] = field(default_factory=set)
    #: name-keyed row's key -> the outcome's text as the book wrote it ("K. Mbappe 2+")
    player_names: dict[tuple[int, str, int], str] = field(default_factory=dict)

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

    def unread_beside(self, rows: Iterable[OddsRow]) -> None:
        """An outcome of a book market was set aside while ``rows`` (the market's others) were keyed: their
        lines were not read whole, so the store closes nothing on them for this capture's absence. A market
        the grammar describes (one line per outcome: "<player> N+") stands for its whole family
        (``market=<family>|*``): the outcome set aside was on a line none of the others names."""
        for row in rows:
            family = described_family(row.specifier) if row.market == DESCRIBED else None
            self.unread_lines.add((row.market, f"{family}|*" if family else player_shape(row.specifier)))

    def unread_everything(self) -> None:
        """A value could not be read on a line no one can name (its market unknown): the capture did not
        read the event whole, so nothing of it closes for this capture's absence (:data:`EVERY_LINE`)."""
        self.unread_lines.add(EVERY_LINE)

    def name_player(self, row: OddsRow, text: str) -> None:
        """Remember the book's text of ``row`` when its key is a player's name key (cheap for any other)."""
        if is_name_keyed(row.market, row.specifier, row.outcome):
            self.player_names[(row.market, row.specifier, row.outcome)] = text

    def named_players(self) -> tuple[tuple[int, str], ...]:
        """(row index, the book's text or "" when none was given) of every name-keyed row. A payload without
        one costs two passes in C (a minimum and a substring search), not a test per row."""
        if not self.rows:
            return ()
        if min(map(_OUTCOME, self.rows)) >= 0 and _PLAYER_NAMED not in "\n".join(map(_SPECIFIER, self.rows)):
            return ()
        names = self.player_names
        return tuple(
            (index, names.get((row.market, row.specifier, row.outcome), ""))
            for index, row in enumerate(self.rows)
            if is_name_keyed(row.market, row.specifier, row.outcome)
        )


#: UOF's goalscorer markets (38 n-th, 39 last, 40 anytime): their outcomes are players.
GOALSCORER_MARKETS = frozenset(_GOALSCORERS.values())
_OUTCOME, _SPECIFIER = attrgetter("outcome"), attrgetter("specifier")
#: How a canonical specifier names a player by its (negative) name key.
_PLAYER_NAMED = "player=-"


def is_name_keyed(market: int, specifier: str, outcome: int) -> bool:
    """Whether a key names its player by the name key (markets/players.name_key) rather than an id: a
    negative goalscorer outcome, or ``player=-N`` in the specifier."""
    return (outcome < 0 and market in GOALSCORER_MARKETS) or (
        _PLAYER_NAMED in specifier and any(part.startswith(_PLAYER_NAMED) for part in specifier.split("|"))
    )


def described_family(specifier: str) -> str | None:
    """The ``market=<family>`` pair of a described market's specifier (None without one)."""
    return next((pair for pair in specifier.split("|") if pair.startswith("market=")), None)
