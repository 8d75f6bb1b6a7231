"""Players keyed by their SportRadar id across books, once every book of an event has answered: a name-keyed
row (BetPawa's) takes the id its name resolves to on the event's rosters, else is set aside with the reason.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from functools import lru_cache
from itertools import compress, repeat
from operator import eq

from palimpsest_pipeline.books.odds_parse import GOALSCORER_MARKETS, Columns, EventOdds
from palimpsest_pipeline.markets.checks.verdicts import Suspect
from palimpsest_pipeline.markets.players import (
    RosterIndex,
    RosterPlayer,
    name_key_or_none,
    player_shape,
    with_name_key_as_id,
)
from palimpsest_pipeline.markets.vocabulary import key_kind
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.odds.model import CaptureResult

#: The quarantine kind of a player's price set aside because its name did not resolve.
UNRESOLVED_KIND = "unresolved_player"
#: Why a name-keyed row is set aside when none of the event's books lists players with their ids.
NO_ROSTER = "no roster for the event"
#: Beside :data:`NO_ROSTER`, the books whose capture of the event gave no prices this time (a book lending
#: the roster may be among them: the loss is theirs, and the chaos benchmark counts it so).
NOT_CAPTURED = "not captured this time: "

Key = tuple[int, str, int]


def resolve_event_players(
    parsed: Mapping[Book, EventOdds],
    known: Collection[RosterPlayer] = (),
    uncaptured: Collection[Book] = (),
) -> dict[Book, EventOdds]:
    """The parses of one event's books (``ok`` answers) that had name-keyed rows, each re-keyed or set aside.
    Names resolve against every roster of the event and ``known`` from earlier captures, so a book failing
    now does not unkey another's players; ``uncaptured`` books are named when no roster exists."""
    if not any(odds.named_players for odds in parsed.values()):
        return {}
    roster = _roster(frozenset(known).union(*(odds.roster for odds in parsed.values())))  # sets: no rehashing
    no_roster = NO_ROSTER
    if uncaptured:
        no_roster += f" ({NOT_CAPTURED}{', '.join(sorted(book.value for book in uncaptured))})"
    return {
        book: _resolved(book, odds, roster, no_roster) for book, odds in parsed.items() if odds.named_players
    }


def resolve_results(
    by_book: Mapping[Book, CaptureResult], known: Collection[RosterPlayer] = ()
) -> dict[Book, CaptureResult]:
    """:func:`resolve_event_players` on one event's capture results: the results whose prices changed.
    A book whose capture failed (not one that does not list the event) is named as not captured."""
    parsed = {book: r.odds for book, r in by_book.items() if r.status == "ok" and r.odds is not None}
    failed = [book for book, r in by_book.items() if r.status == "failed"]
    return {
        book: dataclasses.replace(by_book[book], odds=odds)
        for book, odds in resolve_event_players(parsed, known, failed).items()
    }


@lru_cache(maxsize=1_024)
def _roster(players: frozenset[RosterPlayer]) -> RosterIndex:
    """One index per roster, kept with the names resolved against it: an event is captured again every
    cycle with the same players, so its names are resolved once."""
    return RosterIndex(players)


@lru_cache(maxsize=65_536)
def _leading_name(text: str, wanted: int | None) -> str | None:
    """The longest leading run of the outcome text's words keyed ``wanted`` ("K. Mbappe 2+" -> "K. Mbappe");
    None when none is. Remembered: a player's text comes back on each of its markets ("K. Mbappe 2+",
    "K. Mbappe Over 1.5" under one key) and in every capture of the event."""
    if wanted is None:  # no name keys alike
        return None
    words = text.split()
    for end in range(len(words), 0, -1):
        candidate = " ".join(words[:end])
        if name_key_or_none(candidate) == wanted:
            return candidate
    return None


def _player_key(key: Key) -> int | None:
    """The name key a key holds: a goalscorer's outcome, else the ``player=`` of its specifier."""
    market, specifier, outcome = key
    if outcome < 0 and market in GOALSCORER_MARKETS:
        return outcome
    return _specifier_player(specifier)


@lru_cache(maxsize=65_536)
def _specifier_player(specifier: str) -> int | None:
    """The ``player=`` of a specifier, None without one; remembered (a player's line comes back per side)."""
    for part in specifier.split("|"):
        name, _, value = part.partition("=")
        digits = value[1:] if value.startswith("-") else value
        if name == "player" and digits.isascii() and digits.isdigit():
            return int(value)
    return None


def _resolved(book: Book, odds: EventOdds, roster: RosterIndex, no_roster: str) -> EventOdds:
    """``odds`` with its name-keyed rows re-keyed or set aside (``no_roster`` the reason when the roster is
    empty), its key account following; each (text, name key) resolved once per event."""
    columns = odds.columns()
    if not roster.players:
        unkeyed = dict.fromkeys([index for index, _text in odds.named_players], no_roster)
        return _rebuilt(book, odds, columns, (columns[1], columns[2]), {}, unkeyed)
    keys: dict[int, Key] = {}
    ids: dict[int, int] = {}
    why: dict[int, str] = {}
    markets, specifiers, outcomes = columns[0], columns[1], columns[2]
    new_specifiers, new_outcomes = list(specifiers), list(outcomes)  # each key written in as it is made
    read: dict[tuple[str, int | None], int | str] = {}  # (text, name key) -> SportRadar id, or why not
    for index, text in odds.named_players:
        market, specifier, outcome = markets[index], specifiers[index], outcomes[index]
        player = _player_key((market, specifier, outcome))
        found = read.get((text, player))
        if found is None:
            found = read[text, player] = _read(text, player, roster)
        if isinstance(found, str):
            why[index] = found
            continue
        assert player is not None  # an id was found for the name keyed alike
        try:
            key = with_name_key_as_id((market, specifier, outcome), player, found)
        except ValueError as error:  # a specifier no parser writes: this row is set aside, not the event
            why[index] = f"{text!r}: its key cannot take the player's id ({error})"
            continue
        ids[index] = found
        keys[index] = key
        new_specifiers[index], new_outcomes[index] = key[1], key[2]
    _refuse_shared_keys(columns, keys, ids, why)  # the rows it sets aside are left out, written in or not
    return _rebuilt(book, odds, columns, (new_specifiers, new_outcomes), keys, why)


def _read(text: str, player: int | None, roster: RosterIndex) -> int | str:
    """The SportRadar id of the player named by ``text`` under the name key ``player``, or why not."""
    name = _leading_name(text, player)
    if name is None:
        return f"{text!r}: the outcome's text does not name the player its key holds"
    return roster.resolve_id(name)


def _refuse_shared_keys(
    columns: Columns, keys: dict[int, Key], ids: Mapping[int, int], why: dict[int, str]
) -> None:
    """Two names resolved to one player's key, or to a key the book priced by id, would store two prices under
    one key: those resolved rows are set aside (which name is right cannot be told)."""
    resolved = set(keys.values())
    rows = zip(columns[0], columns[1], columns[2], strict=True)
    if len(resolved) == len(keys) and resolved.isdisjoint(rows):
        return
    held = set(zip(columns[0], columns[1], columns[2], strict=True))  # a name key is no id key
    by_key: dict[Key, list[int]] = {}
    for index, key in keys.items():
        by_key.setdefault(key, []).append(index)
    for key, indices in by_key.items():
        if len(indices) < 2 and key not in held:
            continue
        owner = "another outcome resolves to" if len(indices) > 1 else "the book already prices"
        for index in indices:
            del keys[index]
            why[index] = f"resolves to SportRadar player {ids[index]}, whose key {owner} too"


def _suspects_rekeyed(
    odds: EventOdds, columns: Columns, keys: Mapping[int, Key], kept: Iterable[tuple[int, str]]
) -> tuple[Suspect, ...]:
    """The single-book suspects moved to the lines the kept rows now carry (``kept``), a player's under its
    SportRadar id; a line whose rows were all set aside has nothing left to be suspect."""
    renamed = {
        (columns[0][index], columns[1][index]): (market, specifier)
        for index, (market, specifier, _) in keys.items()
    }
    lines = {
        suspect: renamed.get((suspect.market, suspect.specifier), (suspect.market, suspect.specifier))
        for suspect in odds.suspects
    }
    stored = set(lines.values()).intersection(kept)
    moved = {
        suspect._replace(market=line[0], specifier=line[1])
        for suspect, line in lines.items()
        if line in stored
    }
    return tuple(sorted(moved))


def _rebuilt(
    book: Book,
    odds: EventOdds,
    columns: Columns,
    rekeyed: tuple[Sequence[str], Sequence[int]],
    keys: Mapping[int, Key],
    why: Mapping[int, str],
) -> EventOdds:
    """The columns without the rows of ``why``, re-keyed (``rekeyed``: specifiers and outcomes), the account
    moving each open row set aside from its kind of key to ``set_aside_outcomes``."""
    old_markets, old_specifiers, _old_outcomes, prices, states = columns
    specifiers, outcomes = rekeyed
    keep = [index not in why for index in range(len(outcomes))]
    kinds = Counter(key_kind(old_markets[index]) for index in why if states[index] == "open")
    notes = [
        (UNRESOLVED_KIND, f"{book.value}: {count} player outcome(s) set aside: {reason}")
        for reason, count in sorted(Counter(why.values()).items())
    ]
    lines = {(old_markets[index], old_specifiers[index]) for index in why}
    unread = {(market, player_shape(specifier)) for market, specifier in lines}
    kept_markets, kept_specifiers = tuple(compress(old_markets, keep)), tuple(compress(specifiers, keep))
    kept_states = tuple(compress(states, keep))
    suspects: tuple[Suspect, ...] = ()
    suspect_outcomes = 0
    if odds.suspects:  # else nothing to move or count
        suspects = _suspects_rekeyed(odds, columns, keys, zip(kept_markets, kept_specifiers, strict=True))
        suspect_lines = {(s.market, s.specifier) for s in suspects}
        open_lines = compress(
            zip(kept_markets, kept_specifiers, strict=True), map(eq, kept_states, repeat("open"))
        )
        suspect_outcomes = sum(map(suspect_lines.__contains__, open_lines))
    kept: Columns = (
        kept_markets,
        kept_specifiers,
        tuple(compress(outcomes, keep)),
        tuple(compress(prices, keep)),
        kept_states,
    )
    return odds.with_columns(
        kept,
        unread_lines=odds.unread_lines | unread,
        suspects=suspects,
        suspect_outcomes=suspect_outcomes,
        mapped_outcomes=odds.mapped_outcomes - sum(kinds.values()),
        native_outcomes=odds.native_outcomes - kinds["native"],
        composed_outcomes=odds.composed_outcomes - kinds["composed"],
        canonical_outcomes=odds.canonical_outcomes - kinds["canonical"],
        set_aside_outcomes=odds.set_aside_outcomes + len(why),
        other_notes=[*odds.other_notes, *notes],
        named_players=(),
    )
