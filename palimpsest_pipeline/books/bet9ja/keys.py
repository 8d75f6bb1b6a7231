"""Bet9ja's keyer: each odds key (``S_OU@2.5_O``) -> its canonical key, by the market grammar
(markets/grammar/bet9ja.py) and, where it cannot decide, by the reviewed table (markets/bet9ja/table.py).
A shape's ``names``: the published name, why its catalogue entry cannot be read (None), then its (outcome
key, label) pairs flattened. A row restating another market's bet has rank 1; a key listed twice is met by
the engine's one rule (docs/keying.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from palimpsest_pipeline.books.odds_errors import OddsPayloadError
from palimpsest_pipeline.books.odds_parse import is_name_keyed
from palimpsest_pipeline.markets.bet9ja.rows import LegTemplate
from palimpsest_pipeline.markets.bet9ja.table import BY_PREFIX, LIVE_PREFIXES, Bet9jaMarket
from palimpsest_pipeline.markets.bet9ja.undecided import UNDECIDED
from palimpsest_pipeline.markets.combinations import (
    COMBINATION_MARKETS,
    combination_key,
    fill_line,
    has_line,
)
from palimpsest_pipeline.markets.grammar import bet9ja as grammar
from palimpsest_pipeline.markets.grammar.description import Key, Refusal, Unreadable
from palimpsest_pipeline.markets.grammar.lines import LineConflict
from palimpsest_pipeline.markets.grammar.precedence import choose, stands_in
from palimpsest_pipeline.markets.keying.plans import FactsRead
from palimpsest_pipeline.markets.keying.records import MarketShape, Plan, Why
from palimpsest_pipeline.markets.specifiers import (
    SpecifierError,
    join_specifier,
    normalise_number,
    normalise_specifier,
)
from palimpsest_pipeline.records import Book

BOOK = Book.BET9JA

#: outcome key -> (canonical market, canonical outcome, legs of a combination or None)
_Outcomes = dict[str, tuple[int, int, tuple[LegTemplate, ...] | None]]


def index_table(table: tuple[Bet9jaMarket, ...], where: str) -> dict[str, tuple[Bet9jaMarket, _Outcomes]]:
    """market key -> (row, outcome key -> canonical (market, outcome)); a key listed twice (in-play rows
    spelling the outcomes of a prematch key their own way) merges its outcomes when the rows agree."""
    index: dict[str, tuple[Bet9jaMarket, _Outcomes]] = {}
    for market in table:
        legs = dict(market.legs)
        if market.line == "none" and any(has_line(t[1]) for leg in legs.values() for t in leg):
            raise RuntimeError(f"Bet9ja {where} market {market.key}: a leg names a line the row has not")
        outcomes = {okey: (cmarket, coutcome, legs.get(okey)) for okey, cmarket, coutcome in market.outcomes}
        known = index.get(market.key)
        if known is not None:
            first = known[0]
            if (first.line, first.specifier) != (market.line, market.specifier) or known[1].keys() & outcomes:
                raise RuntimeError(f"Bet9ja {where} market {market.key} is mapped twice, differently")
            outcomes = {**known[1], **outcomes}
            market = first
        index[market.key] = (market, outcomes)
    return index


#: (prefix, market key) -> (market definition, outcome key -> canonical (market, outcome)), every row.
_FULL_INDEX: dict[tuple[str, str], tuple[Bet9jaMarket, _Outcomes]] = {
    (prefix, key): value
    for prefix, (_sport, table) in (*BY_PREFIX.items(), *LIVE_PREFIXES.items())
    for key, value in index_table(table, prefix).items()
}
#: The rows read where the grammar keyed the key: those it cannot decide (markets/bet9ja/undecided.py) and
#: every in-play row; the grammar keys the rest from their names.
_INDEX = {
    (prefix, key): value
    for (prefix, key), value in _FULL_INDEX.items()
    if prefix in LIVE_PREFIXES or f"{prefix}_{key}" in UNDECIDED
}
#: "P_KEY" book markets whose rows restate another market's bet: kept only where that market is absent.
_EQUIVALENT_MARKETS = frozenset(
    f"{prefix}_{key}" for (prefix, key), (row, _o) in _INDEX.items() if row.equivalent
)


def table_translation(
    key: str, index: Mapping[tuple[str, str], tuple[Bet9jaMarket, _Outcomes]]
) -> tuple[str, Key | None, bool]:
    """(book market, the table's key or None, whether it restates another market) of one odds key, read
    against ``index`` (the keyer's: the rows the grammar cannot decide, or every row)."""
    prefix, sep, rest = key.partition("_")
    head, sep2, outcome_key = rest.rpartition("_")
    if not sep or not sep2 or not head:
        raise OddsPayloadError(
            BOOK, f"D.O[{key!r}]", "key is not of the form <SPORT>_<MARKET>[@line]_<OUTCOME>"
        )
    market_key, _, line = head.partition("@")
    book_market = f"{prefix}_{market_key}"
    entry = index.get((prefix, market_key))
    canonical: Key | None = None
    restates = book_market in _EQUIVALENT_MARKETS
    if entry is not None:
        definition, outcomes = entry
        target = outcomes.get(outcome_key)
        if target is not None:
            if definition.line != "none" and not line:
                raise OddsPayloadError(BOOK, f"D.O[{key!r}]", f"market {market_key} needs an @line")
            try:
                if target[2] is not None:
                    canonical = _combination(target[0], target[1], target[2], line)
                    # a one-leg combination is a plain UOF outcome ("fewer than 7 corners" = under 6.5)
                    restates = restates or canonical[0] not in COMBINATION_MARKETS
                elif definition.line == "none":
                    canonical = (target[0], definition.specifier, target[1])
                else:
                    canonical = (target[0], _line_specifier(definition, line), target[1])
            except SpecifierError as exc:
                raise OddsPayloadError(BOOK, f"D.O[{key!r}]", str(exc)) from None
    return (book_market, canonical, restates)


def _combination(operator: int, yes_no: int, legs: tuple[LegTemplate, ...], line: str) -> Key:
    """The canonical key of a combination outcome, its legs' lines filled in from the odds key's @line."""
    value = float(normalise_number(line)) if line else 0.0
    filled = [
        (market, normalise_specifier(fill_line(spec, value)), outcome) for market, spec, outcome in legs
    ]
    return combination_key(operator, filled, yes_no)


def _line_specifier(definition: Bet9jaMarket, line: str) -> str:
    """The canonical specifier of a row with an @param, joined with the row's fixed part (``setnr=1``)."""
    if definition.line == "score":
        home, sep, away = line.partition(":")
        # ASCII digits only: "1²" and "١" pass ``isdigit`` but are no score a book means
        if not sep or not (home + away).isascii() or not home.isdigit() or not away.isdigit():
            raise SpecifierError(f"current score {line!r} is not of the form 'home:away'")
        name, value = "goalnr", str(int(home) + int(away) + 1)
    else:
        name, value = definition.line, normalise_number(line)
    if not definition.specifier:  # the line alone
        return f"{name}={value}"
    pairs = dict(part.split("=", 1) for part in definition.specifier.split("|"))
    pairs[name] = value
    return join_specifier(pairs)


def _readings(shape: MarketShape) -> list[Key | Refusal | None]:
    """The grammar's key (or why none) of each odds key of the shape's market, read line by line."""
    refs, names = shape.refs, shape.names
    if not names:  # a key that is not <SPORT>_<MARKET>[@line]_<OUTCOME>: a record of its own
        return [Refusal(f"{key!r}: not <SPORT>_<MARKET>[@line]_<OUTCOME>") for key in refs]
    if names[0] is None and len(names) > 1:
        return [Unreadable(names[1])] * len(refs)  # type: ignore[arg-type]
    lines: dict[str, list[int]] = {}
    for index, key in enumerate(refs):
        lines.setdefault(key.rpartition("_")[0].partition("@")[2], []).append(index)
    market = shape.ref
    named = None if names[0] is None else cast("tuple[str, ...]", names)
    outcomes = {
        line: tuple(refs[index].rpartition("_")[2] for index in indexes) for line, indexes in lines.items()
    }
    read = grammar.read_lines(market, named, outcomes, grammar.SPORTS[market.partition("_")[0]])
    readings: list[Key | Refusal | None] = [None] * len(refs)
    for indexes, line_readings in zip(lines.values(), read, strict=True):
        for index, reading in zip(indexes, line_readings, strict=True):
            readings[index] = reading
    return readings


def _decide(key: str, named: Key | Refusal | None) -> tuple[Key | None, int, Why | None, str]:
    """One odds key's canonical key (or None), rank, why it is set aside (None: read) and book market, given
    the grammar's reading of it."""
    if isinstance(named, LineConflict):  # the name says another line than the key: no table keys it
        return None, 0, Why("", named.reason, True, whole_line=True), ""
    try:
        book_market, table_key, restates = table_translation(
            key, _INDEX if isinstance(named, tuple) else _FULL_INDEX
        )
    except OddsPayloadError as error:
        return None, 0, Why("", error.what, True, everything=True), ""
    if isinstance(named, Unreadable) and not stands_in(table_key):
        return None, 0, Why("", named.reason, True, everything=True), ""
    canonical = choose(named, table_key)
    return canonical, 1 if restates and canonical == table_key else 0, None, book_market


class Bet9jaKeyer:
    """Bet9ja: one record per market; reads no fact of the event (the sport is the key's prefix)."""

    book: Book = BOOK

    def plan(self, shape: MarketShape, facts: FactsRead) -> Plan:
        # a key the grammar keyed, of a market no row the grammar cannot decide lists: the grammar's key
        undecided = tuple(str(shape.ref).partition("_")[::2]) in _INDEX
        decided = [
            (named, 0, None, shape.ref) if type(named) is tuple and not undecided else _decide(key, named)
            for key, named in zip(shape.refs, _readings(shape), strict=True)
        ]
        keys, ranks, whys, markets = zip(*decided, strict=True)
        labels = (
            dict(zip(shape.names[1::2], shape.names[2::2], strict=False))
            if shape.names[:1] != (None,)
            else {}
        )
        texts = tuple(
            (labels.get(ref.rpartition("_")[2]) or "") if key is not None and is_name_keyed(*key) else None
            for key, ref in zip(keys, shape.refs, strict=True)
        )
        return Plan(
            keys,
            next((market for market in markets if market), str(shape.ref)),
            asides=None if whys.count(None) == len(whys) else whys,
            rank=ranks[0],
            ranks=None if ranks.count(ranks[0]) == len(ranks) else ranks,
            player_names=texts if texts.count(None) != len(texts) else None,
        )


KEYER = Bet9jaKeyer()
