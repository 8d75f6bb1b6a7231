"""Bet9ja's part of ``palimpsest markets suggest`` and ``explain``: the unmapped markets it reads, the
table row an accepted proposal becomes (appended to assisted.py), what the grammar makes of each market."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from palimpsest_pipeline.markets.assistant import BookMarket, Proposal, offered_price
from palimpsest_pipeline.markets.bet9ja.table import BY_PREFIX
from palimpsest_pipeline.markets.grammar.bet9ja import read_catalogue, read_odds
from palimpsest_pipeline.markets.grammar.walk import JSON_OBJECT


def unmapped_markets(payload: Mapping[str, Any], mapped: Iterable[str]) -> list[BookMarket]:
    """The unmapped markets in ``payload``: ``mapped`` are the market keys (no prefix) already mapped."""
    body = payload.get("D", payload)
    names = {str(mk.get("ID", "")).partition("_")[2]: str(mk.get("DS", "")) for mk in body.get("MK") or []}
    skip = set(mapped)
    grouped: dict[tuple[str, str], list[tuple[str, str, float]]] = defaultdict(list)
    for key, raw in (body.get("O") or {}).items():
        _prefix, _, rest = key.partition("_")
        head, _, outcome = rest.rpartition("_")
        market_key, _, line = head.partition("@")
        price = offered_price(raw.get("v") if isinstance(raw, Mapping) else raw)
        if market_key and market_key not in skip and price is not None:
            grouped[(market_key, line)].append((outcome, outcome, price))
    return [
        BookMarket(market_key, names.get(market_key, ""), line, tuple(sorted(outcomes)))
        for (market_key, line), outcomes in sorted(grouped.items())
    ]


def mapped_keys() -> set[str]:
    """The market keys the reviewed table maps (any sport): their markets are not proposed again."""
    return {m.key for _sport, table in BY_PREFIX.values() for m in table}


def readings(payload: Mapping[str, Any]) -> Iterator[tuple[str, str, list[Any]]]:
    """Per market key (``markets explain``): its label, no description, and its outcomes' keys or refusals."""
    groups: dict[str, list[Any]] = {}
    for odds_key, key in read_odds(payload).items():
        groups.setdefault(odds_key.rpartition("_")[0].partition("@")[0], []).append(key)
    body = payload.get("D") if isinstance(payload.get("D"), Mapping) else payload
    names = read_catalogue(body.get("MK") if isinstance(body, JSON_OBJECT) else None)[0]
    for market_key, found in groups.items():
        named = names.get(market_key)
        yield f"{market_key} {named[0] if isinstance(named, tuple) else ''!r}", "", found


def row_source(proposal: Proposal) -> str:
    """The table row (Python source) for an accepted proposal."""
    return proposal.table_row(
        "market", ", ".join(f"({okey!r}, {oid})" for okey, _n, _p, oid, _k in proposal.pairs)
    )
