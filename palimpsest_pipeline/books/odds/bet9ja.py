"""Bet9ja event detail -> canonical odds rows, via markets/mapping_bet9ja.py.

The ~900 odds keys of an event repeat across events ("S_OU@2.5_O" is in almost every football event), so
each key's translation is memoised: after warm-up a key costs one dict lookup. A value of "1" (or <= 1)
marks a closed outcome: it becomes a suspended row without a price.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from palimpsest_pipeline.books.odds.common import read_price, require_mapping
from palimpsest_pipeline.books.odds.errors import OddsPayloadError
from palimpsest_pipeline.books.odds.result import OddsParse
from palimpsest_pipeline.markets.mapping_bet9ja import BY_PREFIX, Bet9jaMarket
from palimpsest_pipeline.markets.specifiers import SpecifierError, normalise_number
from palimpsest_pipeline.records import Book, OddsRow

BOOK = Book.BET9JA

#: (prefix, market key) -> (market definition, outcome key -> (canonical market, canonical outcome))
_INDEX: dict[tuple[str, str], tuple[Bet9jaMarket, dict[str, tuple[int, int]]]] = {
    (prefix, market.key): (market, {okey: (cmarket, coutcome) for okey, cmarket, coutcome in market.outcomes})
    for prefix, (_sport, table) in BY_PREFIX.items()
    for market in table
}
# Live soccer keys use the LIVES_ prefix with the same market keys as prematch soccer.
_INDEX.update({("LIVES", key): value for (prefix, key), value in list(_INDEX.items()) if prefix == "S"})

_Translation = tuple[str, tuple[int, str, int] | None]  # (book market key, canonical key or None)
_CACHE: dict[str, _Translation] = {}


def _translate(key: str) -> _Translation:
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    prefix, sep, rest = key.partition("_")
    head, sep2, outcome_key = rest.rpartition("_")
    if not sep or not sep2 or not head:
        raise OddsPayloadError(
            BOOK, f"D.O[{key!r}]", "key is not of the form <SPORT>_<MARKET>[@line]_<OUTCOME>"
        )
    market_key, _, line = head.partition("@")
    book_market = f"{prefix}_{market_key}"
    entry = _INDEX.get((prefix, market_key))
    canonical: tuple[int, str, int] | None = None
    if entry is not None:
        definition, outcomes = entry
        target = outcomes.get(outcome_key)
        if target is not None:
            if definition.line == "none":
                spec = definition.specifier
            elif not line:
                raise OddsPayloadError(BOOK, f"D.O[{key!r}]", f"market {market_key} needs an @line")
            else:
                try:
                    spec = f"{definition.line}={normalise_number(line)}"
                except SpecifierError as exc:
                    raise OddsPayloadError(BOOK, f"D.O[{key!r}]", str(exc)) from None
            canonical = (target[0], spec, target[1])
    result = (book_market, canonical)
    if len(_CACHE) > 100_000:
        _CACHE.clear()
    _CACHE[key] = result
    return result


def _odds_of(payload: Mapping[str, Any]) -> Mapping[str, Any]:
    body = payload
    if "O" not in body and "D" in body:
        if body.get("R", "OK") != "OK":
            raise OddsPayloadError(BOOK, "R", f"error envelope R={body.get('R')!r}")
        body = require_mapping(BOOK, body["D"], "D")
    if "O" not in body:
        raise OddsPayloadError(BOOK, "D", "no 'O' odds dict (is this a GetEvent payload?)")
    return require_mapping(BOOK, body["O"], "D.O")


def parse_odds(payload: Mapping[str, Any], *, sr_id: int, captured_at: datetime) -> OddsParse:
    """Parse one ``GetEvent`` payload (the envelope or its ``D``) into canonical rows."""
    require_mapping(BOOK, payload, "payload")
    result = OddsParse()
    rows = result.rows
    for key, raw in _odds_of(payload).items():
        if isinstance(raw, Mapping):  # live: {"v": "1.85"}
            raw = raw.get("v")
        price = read_price(BOOK, raw, f"D.O[{key!r}]")
        if price is not None:
            result.open_outcomes += 1
        book_market, canonical = _translate(key)
        if canonical is None:
            if price is not None:
                result.count_unmapped(book_market)
            continue
        if price is not None:
            result.mapped_outcomes += 1
        rows.append(
            OddsRow(
                sr_id,
                BOOK,
                canonical[0],
                canonical[1],
                canonical[2],
                price,
                "open" if price is not None else "suspended",
                captured_at,
            )
        )
    return result
