"""Bet9ja event detail -> canonical odds rows, keyed by the market grammar (markets/grammar/bet9ja.py:
the event's published market and outcome names) and, where it cannot decide, by markets/mapping_bet9ja.py.

The ~900 odds keys of an event repeat across events ("S_OU@2.5_O" is in almost every football event), so
each key's translation is memoised: after warm-up a key costs one dict lookup. A value of "1" (or <= 1)
marks a closed outcome: it becomes a suspended row without a price.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from palimpsest_pipeline.books.bet9ja.catalogue import sr_id_from_extid
from palimpsest_pipeline.books.odds_errors import OddsPayloadError
from palimpsest_pipeline.books.odds_parse import EventOdds, is_name_keyed
from palimpsest_pipeline.books.odds_values import BadValue, check_key, price_value, require_mapping
from palimpsest_pipeline.markets.bet9ja.rows import LegTemplate
from palimpsest_pipeline.markets.bet9ja.undecided import UNDECIDED
from palimpsest_pipeline.markets.combinations import (
    COMBINATION_MARKETS,
    combination_key,
    fill_line,
    has_line,
)
from palimpsest_pipeline.markets.grammar import bet9ja as grammar
from palimpsest_pipeline.markets.grammar.description import Unreadable
from palimpsest_pipeline.markets.grammar.lines import LineConflict
from palimpsest_pipeline.markets.grammar.precedence import choose, stands_in
from palimpsest_pipeline.markets.grammar.walk import JSON_OBJECT
from palimpsest_pipeline.markets.mapping_bet9ja import BY_PREFIX, LIVE_PREFIX, LIVE_TABLE, Bet9jaMarket
from palimpsest_pipeline.markets.specifiers import (
    SpecifierError,
    join_specifier,
    normalise_number,
    normalise_specifier,
)
from palimpsest_pipeline.records import Book, OddsRow

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
    for prefix, (_sport, table) in (*BY_PREFIX.items(), (LIVE_PREFIX, ("football", LIVE_TABLE)))
    for key, value in index_table(table, prefix).items()
}
#: The rows read for a market the body names (``D.MK``): those the grammar cannot decide
#: (markets/bet9ja/undecided.py) and every in-play row; the grammar keys the rest from their names.
_INDEX = {
    (prefix, key): value
    for (prefix, key), value in _FULL_INDEX.items()
    if prefix == LIVE_PREFIX or f"{prefix}_{key}" in UNDECIDED
}

#: "P_KEY" book markets whose rows restate another market's bet: kept only where that market is absent.
_EQUIVALENT_MARKETS = frozenset(
    f"{prefix}_{key}" for (prefix, key), (row, _o) in _INDEX.items() if row.equivalent
)

#: (book market key, canonical key or None, whether the key restates a bet another market may price directly)
_Translation = tuple[str, tuple[int, str, int] | None, bool]
_CACHE: dict[tuple[str, bool], _Translation] = {}


def _translate(key: str, keyed: bool) -> _Translation:
    """The table's reading of one odds key: only the rows the grammar cannot decide where the grammar keyed
    it (``keyed``), the whole table where it did not (no name to read, or a refusal: the row decides)."""
    cached = _CACHE.get((key, keyed))
    if cached is not None:
        return cached
    result = table_translation(key, _INDEX if keyed else _FULL_INDEX)
    if len(_CACHE) > 100_000:
        _CACHE.clear()
    _CACHE[(key, keyed)] = result
    return result


def table_translation(
    key: str, index: Mapping[tuple[str, str], tuple[Bet9jaMarket, _Outcomes]]
) -> _Translation:
    """(book market, the table's key or None, whether it restates another market) of one odds key, read
    against ``index`` (the parser's: the rows the grammar cannot decide)."""
    prefix, sep, rest = key.partition("_")
    head, sep2, outcome_key = rest.rpartition("_")
    if not sep or not sep2 or not head:
        raise OddsPayloadError(
            BOOK, f"D.O[{key!r}]", "key is not of the form <SPORT>_<MARKET>[@line]_<OUTCOME>"
        )
    market_key, _, line = head.partition("@")
    book_market = f"{prefix}_{market_key}"
    entry = index.get((prefix, market_key))
    canonical: tuple[int, str, int] | None = None
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


def _combination(
    operator: int, yes_no: int, legs: tuple[LegTemplate, ...], line: str
) -> tuple[int, str, int]:
    """The canonical key of a combination outcome, its legs' lines filled in from the odds key's @line."""
    value = float(normalise_number(line)) if line else 0.0
    filled = [
        (market, normalise_specifier(fill_line(spec, value)), outcome) for market, spec, outcome in legs
    ]
    return combination_key(operator, filled, yes_no)


def _ascii_count(text: str) -> bool:
    """A whole number in ASCII digits ("1²" and "١" pass ``isdigit`` but are no score a book means)."""
    return text.isascii() and text.isdigit()


def _line_specifier(definition: Bet9jaMarket, line: str) -> str:
    """The canonical specifier of a row with an @param, joined with the row's fixed part (``setnr=1``)."""
    pairs = (
        dict(part.split("=", 1) for part in definition.specifier.split("|")) if definition.specifier else {}
    )
    if definition.line == "score":
        home, sep, away = line.partition(":")
        if not sep or not _ascii_count(home) or not _ascii_count(away):
            raise SpecifierError(f"current score {line!r} is not of the form 'home:away'")
        pairs["goalnr"] = str(int(home) + int(away) + 1)
    else:
        pairs[definition.line] = normalise_number(line)
    return join_specifier(pairs)


def _add_restated(result: EventOdds, restated: list[OddsRow], direct: set[tuple[int, str, int]]) -> None:
    """Rows of markets that restate another market's bet, where the payload lacks that market. Where it
    has it, the restatement is the same bet priced twice: dropped and not counted as open (as SportyBet's
    duplicates), so each canonical key appears once and open = mapped + unmapped still holds. ``direct``:
    the keys of ``result.rows`` (added to)."""
    for row in restated:
        is_open = row.state == "open"
        if (row.market, row.specifier, row.outcome) in direct:
            result.open_outcomes -= is_open
            continue
        if is_open:
            result.count_keyed(row.market)
        result.rows.append(row)
        direct.add((row.market, row.specifier, row.outcome))


def _catalogue_of(payload: Mapping[str, Any]) -> Any:
    """The event's market catalogue (``D.MK``: names and outcome labels), or None when it has none."""
    body = payload.get("D") if isinstance(payload.get("D"), Mapping) else payload
    return body.get("MK") if isinstance(body, JSON_OBJECT) else None


def _outcome_labels(payload: Mapping[str, Any]) -> dict[tuple[str, str], str]:
    """(market "S_AGS", outcome key) -> the outcome's published label, from the event's catalogue."""
    catalogue = _catalogue_of(payload)
    labels: dict[tuple[str, str], str] = {}
    for entry in catalogue if isinstance(catalogue, list) else []:
        if isinstance(entry, JSON_OBJECT) and isinstance(entry.get("ID"), str):
            keys, names = entry.get("SGNK"), entry.get("SGN")
            if isinstance(keys, list) and isinstance(names, list):
                for outcome, label in zip(keys, names, strict=False):
                    labels[(entry["ID"], str(outcome))] = str(label)
    return labels


def _label_of(labels: Mapping[tuple[str, str], str], key: str) -> str:
    """The label of an odds key ``S_AGS_12`` (a live key's under the prematch market), "" when unlisted."""
    prefix, _, rest = key.partition("_")
    head, _, outcome = rest.rpartition("_")
    market = head.partition("@")[0]
    return labels.get((f"{prefix}_{market}", outcome)) or labels.get((f"S_{market}", outcome), "")


def _odds_of(payload: Mapping[str, Any], sr_id: int) -> Mapping[str, Any]:
    body = payload
    if "O" not in body and "D" in body:
        if body.get("R", "OK") != "OK":
            raise OddsPayloadError(BOOK, "R", f"error envelope R={body.get('R')!r}")
        body = require_mapping(BOOK, body["D"], "D")
    if "O" not in body:
        raise OddsPayloadError(BOOK, "D", "no 'O' odds dict (is this a GetEvent payload?)")
    _check_match(body, sr_id)
    return require_mapping(BOOK, body["O"], "D.O")


def _check_match(body: Mapping[str, Any], sr_id: int) -> None:
    """The payload must be the match asked for: each ``EXTID`` it carries (``D``, in play ``D.A`` and
    ``D.AA``) names the SR id (none readable: not checked)."""
    for where, holder in (("D", body), ("D.A", body.get("A")), ("D.AA", body.get("AA"))):
        extid = holder.get("EXTID") if isinstance(holder, Mapping) else None
        named = sr_id_from_extid(extid)
        if named is not None and named != sr_id:
            raise OddsPayloadError(BOOK, f"{where}.EXTID", f"{str(extid)[:60]!r} is not match {sr_id}")


#: What the parse does with one odds key, given the grammar's reading of it and (when the grammar could not
#: walk the catalogue) why: (why it is set aside or None, whether that is its line's conflict, its book
#: market, its key or None, whether that key restates another market's, whether it names a player by name,
#: the key's market and line "S_OU@2.5"). Everything in it follows from the key and those two readings.
_Plan = tuple[str | None, bool, str, tuple[int, str, int] | None, bool, bool, str]
_PLANS: dict[tuple[Any, Any, Any], _Plan] = {}
_MAX_PLANS = 100_000


def _plan(key: Any, named: Any, unwalked: Unreadable | None) -> _Plan:
    """The :data:`_Plan` of one odds key (``named``: the grammar's reading; ``unwalked``: why the catalogue
    could not be walked). A parser bug (an exception other than ``OddsPayloadError``) propagates."""
    group = str(key).rsplit("_", 1)[0]
    line_judged = False
    try:
        if isinstance(named, LineConflict):  # the name says another line than the key: no table keys it
            line_judged = True
            raise OddsPayloadError(BOOK, f"D.O[{key!r}]", named.reason)
        book_market, table_key, restates = _translate(key, isinstance(named, tuple))
        unreadable = unwalked if named is None else named
        if isinstance(unreadable, Unreadable) and not stands_in(table_key):
            raise OddsPayloadError(BOOK, f"D.O[{key!r}]", unreadable.reason)
    except OddsPayloadError as error:
        return (str(error), line_judged, "", None, False, False, group)
    canonical = choose(named, table_key)
    restates = restates and canonical == table_key
    name_keyed = canonical is not None and is_name_keyed(*canonical)
    return (None, False, book_market, canonical, restates, name_keyed, group)


def parse_odds(payload: Mapping[str, Any], *, sr_id: int, captured_at: datetime) -> EventOdds:
    """Parse one ``GetEvent`` payload (the envelope or its ``D``) into canonical rows. Each key's reading
    is a :data:`_Plan` remembered by the key and the grammar's reading of it; its value is read per event."""
    require_mapping(BOOK, payload, "payload")
    result = EventOdds()
    rows = result.rows
    restated: list[OddsRow] = []
    odds = _odds_of(payload, sr_id)
    try:
        grammar_keys = grammar.read_odds({"O": odds, "MK": _catalogue_of(payload)})
        unwalked: Unreadable | None = None
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        grammar_keys = {}  # a catalogue the grammar cannot walk: the table reads, the rest is set aside
        unwalked = Unreadable(f"the market catalogue D.MK could not be read: {error!r}"[:200])
    emitted: set[tuple[int, str, int]] = set()
    labels: dict[tuple[str, str], str] | None = None  # read once an outcome needs its label
    set_aside_markets: set[str] = set()  # "S_OU@2.5": a market (its line included) with an outcome set aside
    row_groups: list[str] = []  # the market and line of each row the loop keys, in ``rows``' order
    keyed: dict[int, int] = {}  # open outcomes keyed, per market
    plans, grammar_get, new_row = _PLANS, grammar_keys.get, tuple.__new__
    for key, raw in odds.items():
        if type(raw) is not str and isinstance(raw, JSON_OBJECT):  # live: {"v": "1.85"}
            raw = raw.get("v")
        named = grammar_get(key)
        plan = plans.get((key, named, unwalked))
        try:
            if plan is None:
                check_key(BOOK, key, "D.O key")
            try:
                price = price_value(raw)
            except BadValue as bad:  # the location is formatted for a bad value only (``common.BadValue``)
                raise OddsPayloadError(BOOK, f"D.O[{key!r}]", bad.what) from None
        except OddsPayloadError as error:
            # one odd key or value costs that outcome, not the event: counted apart, with the key's market;
            # its line (the grammar's key) is unknown
            result.set_aside(str(key).partition("@")[0], str(error))
            set_aside_markets.add(str(key).rsplit("_", 1)[0])
            result.unread_everything()
            continue
        if plan is None:
            plan = _plan(key, named, unwalked)
            if type(key) is str:
                if len(plans) >= _MAX_PLANS:
                    plans.clear()
                plans[(key, named, unwalked)] = plan
        refused, line_judged, book_market, canonical, restates, name_keyed, group = plan
        if refused is not None:
            result.set_aside(str(key).partition("@")[0], refused)
            set_aside_markets.add(group)
            if not line_judged:
                result.unread_everything()
            continue
        if canonical is not None and not restates and canonical in emitted:
            continue  # one bet listed twice (two names for it): priced once, neither open nor unmapped
        if price is not None:
            result.open_outcomes += 1
        if canonical is None:
            if price is not None:
                result.count_unmapped(book_market)
            continue
        market = canonical[0]
        row = new_row(
            OddsRow,
            (
                sr_id,
                BOOK,
                market,
                canonical[1],
                canonical[2],
                price,
                "open" if price is not None else "suspended",
                captured_at,
            ),
        )
        if name_keyed:  # a player known by name: its label resolves it (scrape/odds/players)
            labels = _outcome_labels(payload) if labels is None else labels
            result.name_player(row, _label_of(labels, str(key)))
        if restates:
            restated.append(row)
            continue
        if price is not None:
            keyed[market] = keyed.get(market, 0) + 1
        emitted.add(canonical)
        rows.append(row)
        row_groups.append(group)
    result.count_keyed_by_market(keyed)
    if restated:
        _add_restated(result, restated, emitted)
    if set_aside_markets:
        keyed_by_market: dict[str, list[OddsRow]] = {}
        for row, group in zip(rows, row_groups, strict=False):  # restated rows came after: in no group
            keyed_by_market.setdefault(group, []).append(row)
        for market_line in set_aside_markets:
            result.unread_beside(keyed_by_market.get(market_line, ()))
    return result
