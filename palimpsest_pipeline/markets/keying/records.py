"""What a book's extraction hands the keying engine (docs/keying.md), and what its plans are made of. A
market's SHAPE is everything a plan may read: plans are remembered by it, so it holds only values of an exact
type (text, a whole number or None: 1, 1.0 and True are equal keys but not equal readings). Prices, states and
the faults of reading them are the record's, beside its shape, read per event.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from palimpsest_pipeline.markets.players import RosterPlayer

#: A canonical key: (market, specifier, outcome).
Key = tuple[int, str, int]
#: A line written beside the specifier: (where the book writes it, the value as written).
LinePlace = tuple[str, Any]


class MarketShape(NamedTuple):
    """What the payload wrote of one market (or one line of a market) that a plan may read; per outcome,
    columns in payload order."""

    #: the market's id or name as the book wrote it (the account counts what is set aside under it)
    ref: Any
    #: the specifier as written ("" when none)
    specifier: str
    #: the market's names as written, in an order the book's keyer knows
    names: tuple[str | None, ...]
    #: the lines written at market level beside the specifier
    lines: tuple[LinePlace, ...]
    #: each outcome's id as written (None: none readable)
    refs: tuple[Any, ...]
    #: each outcome's name (None: none, or not text)
    outcome_names: tuple[str | None, ...]
    #: each outcome's lines written beside the specifier; None when the book writes none
    outcome_lines: tuple[tuple[LinePlace, ...], ...] | None = None
    #: (outcome index, type) of each outcome name written but not as text (its ``outcome_names`` is None),
    #: for a keyer that sets such an outcome aside where it reads names
    unread_names: tuple[tuple[int, str], ...] = ()
    #: the index of each outcome that is not an object (its faults set it aside; a keyer reading the names
    #: reads around it)
    not_objects: tuple[int, ...] = ()


class MarketRecord(NamedTuple):
    """One market's shape and what is read of it per event."""

    shape: MarketShape
    #: where the market is ("data.markets[3]"), for reasons
    where: str
    #: where its outcomes are after ``where`` (".outcomes"): an outcome is ``{where}{outcomes_at}[i]``
    outcomes_at: str
    #: whether the market is open
    open: bool
    #: each outcome's price (None: no price > 1)
    prices: tuple[float | None, ...]
    #: whether each outcome is tradeable by its own flags
    actives: tuple[bool, ...]
    #: each outcome's reason to be set aside, from reading its own fields (None: read); None when none is
    faults: tuple[str | None, ...] | None = None
    #: each outcome's index in the payload's list, when not 0, 1, 2... (a line of a market listing many), or
    #: its key as text where the payload keeps outcomes by key (said ``[{key!r}]``)
    positions: tuple[int | str, ...] | None = None
    #: False when a part of the payload market this record is a line of was set aside (an ``Aside``): its
    #: rows are then not read whole, and the store closes none of their lines for this capture's absence
    whole: bool = True
    #: each outcome's position in the event's payload, where a record's outcomes lie apart in it (one record
    #: per market of a flat list): its rows, and what it sets aside or names, go in by rank, then by this
    #: position; of a key listed twice the first position is met first (``event.Keying.meet``)
    order: Sequence[int] | None = None
    #: each outcome's market as the account counts it set aside, where not ``shape.ref``
    aside_refs: tuple[Any, ...] | None = None


class Aside(NamedTuple):
    """Something the extraction could not read into a record: costs itself (one market or outcome), never
    the event. ``reason`` names where and why."""

    ref: Any
    reason: str


class Facts(NamedTuple):
    """The event's facts a plan may read (through the engine, which remembers which it read)."""

    sport: str | None
    home: str
    away: str
    #: (market ref, specifier) of the markets the event lists, for a keyer whose market gives way to
    #: another the event lists (an equivalent of a UOF market)
    listed: frozenset[tuple[Any, str]] = frozenset()


class Why(NamedTuple):
    """Why a plan sets a market or an outcome aside, said once per shape: the engine formats it with where
    it is, per event (``{where}{place}``, an outcome's ``{where}{outcomes_at}[i]{place}``). ``payload``:
    in ``OddsPayloadError``'s words ("<book> odds payload at <where>: <what>"), else
    "<book>: <where>: <what>"."""

    place: str
    what: str
    payload: bool
    #: said before the outcome's own faults (the book reads it first), not after
    first: bool = False
    #: set aside on a line no one can name: the capture did not read the event whole
    #: (``unread_everything``), unlike a line's own conflict
    everything: bool = False
    #: its whole line is set aside (the line's own conflict), not one outcome beside its line's others: the
    #: record's other lines (a record holding several) are still read whole
    whole_line: bool = False


class Plan(NamedTuple):
    """What a keyer decides for one shape. Per outcome: its canonical key, None (counted unmapped under
    ``label``), or set aside (``asides``). ``refused``: the whole market is set aside (once, or once per
    outcome with ``refused_each``). ``rank`` 0 keys at once; a higher rank waits until every lower one is
    keyed and gives way to any key they took (an equivalent or described market restating a UOF one)."""

    keys: tuple[Key | None, ...]
    label: str
    asides: tuple[Why | None, ...] | None = None
    refused: Why | None = None
    refused_each: bool = True
    rank: int = 0
    #: the players the outcomes list with their SportRadar ids (listed even when the market is refused)
    roster: tuple[RosterPlayer, ...] = ()
    #: each outcome's rank, where they differ within the market (``rank`` is then not read)
    ranks: tuple[int, ...] | None = None
    #: each outcome's text to keep under its key (``EventOdds.player_names``) where the key names its
    #: player by name, else None
    player_names: tuple[str | None, ...] | None = None
