"""One book's prices for one event, from its parser to the store: the canonical rows and the account of what
was (not) keyed."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from itertools import repeat
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from palimpsest_pipeline.markets.checks.verdicts import Suspect
from palimpsest_pipeline.markets.grammar.canonical import DESCRIBED
from palimpsest_pipeline.markets.grammar.player_bets import GOALSCORER_MARKETS as _GOALSCORERS
from palimpsest_pipeline.markets.players import RosterPlayer, player_shape
from palimpsest_pipeline.markets.vocabulary import key_kind
from palimpsest_pipeline.records import OddsRow

#: The rows' columns market, specifier, outcome, price and state (``EventOdds.columns``).
Columns = tuple[tuple[Any, ...], tuple[Any, ...], tuple[Any, ...], tuple[Any, ...], tuple[Any, ...]]
#: An unread line standing for every line of the event (``EventOdds.unread_everything``).
EVERY_LINE = (0, "*")


@dataclass(slots=True)
class EventOdds:
    """One book's answer for one event: its prices as canonical rows, and the account of what was keyed.

    A parser builds it (``books/<book>/odds.parse_odds``); the capture adds its verdict (``suspects``,
    ``field_paths``, ``cpu_s``, ``named_players``: ``scrape/odds/parsing.py``), re-keys its players
    (``scrape/odds/players.py``) and the store writes its rows (``warehouse/capture_log.py``). Sent between
    processes, the rows travel as columns (unpickling a row per outcome costs far more; see
    docs/capture-engine.md) and are rows again when first read (by the store, or the players' re-keying).
    """

    #: open AND suspended outcomes that reached a canonical key
    rows: list[OddsRow] = field(default_factory=list)
    #: every open (tradeable) outcome in the payload, mapped or not
    open_outcomes: int = 0
    #: the open outcomes that reached a key
    mapped_outcomes: int = 0
    #: of the mapped, those keyed under a book-native market (SportyBet's own families), not a UOF one
    native_outcomes: int = 0
    #: of the mapped, those keyed as a combination of UOF outcomes (markets/combinations.py)
    composed_outcomes: int = 0
    #: of the mapped, those keyed by the grammar's description where UOF has no such market
    canonical_outcomes: int = 0
    #: the rest, per book market key, so nothing is dropped silently
    unmapped: dict[str, int] = field(default_factory=dict)
    #: outcomes dropped because their key or value could not be read (counted in ``unmapped`` as
    #: ``malformed:<market>``): the reasons, naming key and value
    malformed: list[str] = field(default_factory=list)
    #: Outcomes or markets set aside with a reason: the malformed, and the players the capture could not key.
    set_aside_outcomes: int = 0
    #: open listings of a key taken already at an agreeing price (the same bet listed twice): counted once, in
    #: ``open_outcomes`` with the listing kept
    duplicate_listings: int = 0
    #: the players whose SportRadar ids the payload's outcomes carry
    roster: set[RosterPlayer] = field(default_factory=set)
    #: (market, specifier with its player masked) of each line the parse could not read whole: an outcome set
    #: aside beside the line's others (:meth:`unread_beside`), a player's row set aside unresolved; the store
    #: closes none of the pair's stored prices on them for this capture's absence
    unread_lines: set[tuple[int, str]] = field(default_factory=set)
    #: key of a row keyed by a player's NAME key (markets/players.py) -> the outcome's text as the book wrote
    #: it ("K. Mbappe 2+"): the capture re-keys it to SportRadar ids once every book of the event has answered
    player_names: dict[tuple[int, str, int], str] = field(default_factory=dict)
    # What the capture adds once the parser is done (scrape/odds/parsing.py):
    #: (row index, the book's text) of each row keyed by a player's name key (:meth:`find_named_players`)
    named_players: tuple[tuple[int, str], ...] = ()
    #: The markets the single-book checks find impossible (``markets.checks``).
    suspects: tuple[Suspect, ...] = ()
    #: Keyed open outcomes in the markets of ``suspects``.
    suspect_outcomes: int = 0
    #: The payload's field paths (``books.payload_fields``), or None when this payload was not looked at.
    field_paths: tuple[str, ...] | None = None
    #: CPU seconds the parse took (JSON decoding included when parsed from bytes), in the parsing thread.
    cpu_s: float = 0.0
    #: (kind, reason) of what else was set aside or cleaned, beside ``malformed`` (see :attr:`notes`):
    #: ``nul_removed`` (a NUL taken out of the payload), ``unresolved_player``
    other_notes: list[tuple[str, str]] = field(default_factory=list)
    #: The rows as they travelled ((sr_id, book, captured_at), columns), until first read (``__getattr__``).
    _shipped: tuple[Any, ...] | None = field(default=None, init=False, repr=False, compare=False)

    def __len__(self) -> int:
        shipped = self._shipped
        return len(self.rows) if shipped is None else len(shipped[1][0])

    if not TYPE_CHECKING:  # mypy would otherwise take any attribute of EventOdds as this one

        def __getattr__(self, name: str) -> Any:
            """``rows`` read for the first time since they travelled as columns: built now, in C, without a
            Python call per row."""
            if name != "rows" or self._shipped is None:
                raise AttributeError(name)
            (sr_id, book, captured_at), columns = self._shipped
            self.rows = list(map(_ROW, zip(repeat(sr_id), repeat(book), *columns, repeat(captured_at))))
            self._shipped = None
            return self.rows

    def __getstate__(self) -> dict[str, Any]:
        """The rows as columns (``player_names`` stays behind: ``named_players`` holds what is needed)."""
        state = {name: getattr(self, name) for name in _FIELDS if name not in _LEFT_BEHIND}
        # OddsRow is a NamedTuple: transposing the rows is done in C; the event, the book and the capture
        # time are every row's (one parse's), so they travel once, else the rows travel as they are.
        if self._shipped is not None:
            state["rows"] = self._shipped
        else:
            shared, columns = _split(self.rows)
            state["rows"] = ((), self.rows) if shared is None else (shared, columns)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        shared, shipped = state.pop("rows")
        for name, value in state.items():
            setattr(self, name, value)
        self.player_names = {}
        self._shipped = None
        if not shared:
            self.rows = list(shipped)
        else:
            self._shipped = (shared, shipped)  # rows built when first read

    def columns(self) -> Columns:
        """The rows as the columns market, specifier, outcome, price and state (without building rows that
        travelled as columns): what re-keys an event's players column by column, in C."""
        return self._shipped[1] if self._shipped is not None else _split(self.rows)[1]

    def with_columns(self, columns: Columns, **changes: Any) -> EventOdds:
        """A copy with ``changes`` and these columns as its rows, of the same event, book and capture time
        (rows built when first read, as after travelling)."""
        shared = self._shipped[0] if self._shipped is not None else _split(self.rows)[0]
        copy = dataclasses.replace(self, rows=[], **changes)
        if shared is not None and columns[0]:
            del copy.rows
            copy._shipped = (shared, columns)
        return copy

    @property
    def notes(self) -> tuple[tuple[str, str], ...]:
        """(kind, reason) of everything set aside or cleaned, for the quarantine: the malformed first."""
        return (*(("malformed", reason) for reason in self.malformed), *self.other_notes)

    @property
    def mapping_rate(self) -> float:
        return self.mapped_outcomes / self.open_outcomes if self.open_outcomes else 0.0

    def count_keyed_by_market(self, keyed: dict[int, int]) -> None:
        """``keyed[market]`` more open outcomes keyed under each market, counted by the kind of its keys
        (``markets.vocabulary.key_kind``), looked up once per market."""
        for market_id, count in keyed.items():
            kind = key_kind(market_id)
            self.mapped_outcomes += count
            if kind == "native":
                self.native_outcomes += count
            elif kind == "composed":
                self.composed_outcomes += count
            elif kind == "canonical":
                self.canonical_outcomes += count

    @property
    def uof_outcomes(self) -> int:
        """Open outcomes keyed under a UOF market itself (neither native, a combination nor canonical)."""
        return self.mapped_outcomes - self.native_outcomes - self.composed_outcomes - self.canonical_outcomes

    def set_aside(self, market_key: Any, reason: str) -> None:
        """One unreadable market or outcome costs itself, not the event: counted apart under
        ``malformed:<market>`` (the market key as the book gave it, bounded) and its reason kept."""
        counted = f"malformed:{str(market_key)[:60]}"
        self.unmapped[counted] = self.unmapped.get(counted, 0) + 1
        self.malformed.append(reason[:300])
        self.set_aside_outcomes += 1

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

    def find_named_players(self) -> tuple[tuple[int, str], ...]:
        """(row index, the book's text or "" when none was given) of every name-keyed row. A payload without
        one costs two passes in C (a minimum and a substring search), not a test per row."""
        rows = self.rows
        if not rows:
            return ()
        if min(map(itemgetter(4), rows)) >= 0 and _PLAYER_NAMED not in "\n".join(map(itemgetter(3), rows)):
            return ()
        names = self.player_names
        return tuple(
            [
                (index, names.get(key, ""))
                for index, key in enumerate(map(itemgetter(2, 3, 4), rows))  # (market, specifier, outcome)
                if is_name_keyed(*key)
            ]
        )


_FIELDS = EventOdds.__dataclass_fields__
#: What stays behind when the record crosses a process: the rows travel apart, the player texts are in
#: ``named_players``, and ``_shipped`` is the receiving side's.
_LEFT_BEHIND = frozenset({"rows", "player_names", "_shipped"})
#: Builds a row from an 8-tuple of its values, in C (``OddsRow(...)`` runs a Python ``__new__``).
_ROW = partial(tuple.__new__, OddsRow)


def _split(rows: list[OddsRow]) -> tuple[tuple[Any, ...] | None, Columns]:
    """(sr_id, book, captured_at) when every row has the same (one parse's rows; None otherwise, or without
    rows), and the rows' other columns: one transposition, in C, the shared columns checked on it."""
    if not rows:
        return None, ((), (), (), (), ())
    sr_ids, books, markets, specifiers, outcomes, prices, states, times = zip(*rows, strict=True)
    same = sr_ids.count(sr_ids[0]) == books.count(books[0]) == times.count(times[0]) == len(rows)
    columns = (markets, specifiers, outcomes, prices, states)
    return ((sr_ids[0], books[0], times[0]) if same else None), columns


#: UOF's goalscorer markets (38 n-th, 39 last, 40 anytime): their outcomes are players.
GOALSCORER_MARKETS = frozenset(_GOALSCORERS.values())
#: How a canonical specifier names a player by its (negative) name key.
_PLAYER_NAMED = "player=-"
#: The same as any leg but the first (legs are joined by "|").
_PLAYER_NAMED_LEG = "|" + _PLAYER_NAMED


def is_name_keyed(market: int, specifier: str, outcome: int) -> bool:
    """Whether a key names its player by the name key (markets/players.name_key) rather than an id: a
    negative goalscorer outcome, or ``player=-N`` in the specifier."""
    return (
        (outcome < 0 and market in GOALSCORER_MARKETS)
        or specifier.startswith(_PLAYER_NAMED)
        or _PLAYER_NAMED_LEG in specifier
    )


def described_family(specifier: str) -> str | None:
    """The ``market=<family>`` pair of a described market's specifier (None without one)."""
    return next((pair for pair in specifier.split("|") if pair.startswith("market=")), None)
