"""BetPawa's part of ``palimpsest markets suggest`` and ``explain``: the unmapped markets it reads, the
table row an accepted proposal becomes (appended to assisted.py), what the grammar makes of each market."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from palimpsest_pipeline.markets import mapping_betpawa
from palimpsest_pipeline.markets.assistant import BookMarket, Proposal, offered_price
from palimpsest_pipeline.markets.grammar.betpawa import read_market
from palimpsest_pipeline.markets.grammar.description import Description
from palimpsest_pipeline.markets.grammar.walk import list_at, mapping_at


def unmapped_markets(payload: Mapping[str, Any], mapped: Iterable[str]) -> list[BookMarket]:
    """The unmapped markets in ``payload``, per row: ``mapped`` are the marketType ids already mapped."""
    skip = set(mapped)
    found: list[BookMarket] = []
    for market in payload.get("markets") or []:
        market_type = market.get("marketType") or {}
        type_id = str(market_type.get("id"))
        if type_id in skip:
            continue
        for priced_row in market.get("row") or []:
            outcomes = []
            lines = set()
            for price in priced_row.get("prices") or []:
                value = offered_price(price.get("odds", price.get("price")))
                if value is None or price.get("suspended") is True:
                    continue
                outcomes.append((str(price.get("typeId")), str(price.get("name")), value))
                handicap = price.get("handicap")
                if handicap:
                    lines.add(str(handicap).rpartition(" ")[2].lstrip("+"))
            if outcomes:
                line = min(lines, key=lambda text: abs(float(text))) if lines else ""
                found.append(BookMarket(type_id, str(market_type.get("name", "")), line, tuple(outcomes)))
    return found


def mapped_keys() -> set[str]:
    """The marketType ids the reviewed tables map (players' too): their markets are not proposed again."""
    mapped = {m.type_id for _sport, table in mapping_betpawa.BY_CATEGORY.values() for m in table}
    return mapped | set(mapping_betpawa.PLAYER_MARKETS)


def readings(payload: Mapping[str, Any]) -> Iterator[tuple[str, str, list[Any]]]:
    """Per market (``markets explain``): its name, the grammar's description and its keys or refusals."""
    sport, _table = mapping_betpawa.BY_CATEGORY.get(
        str(mapping_at(payload, "category").get("id")), ("football", ())
    )
    for market in list_at(payload, "markets"):
        reading = read_market(market, sport)
        described = reading.description.text() if isinstance(reading.description, Description) else "-"
        yield reading.name, described, list(reading.keys.values())


def row_source(proposal: Proposal) -> str:
    """The table row (Python source) for an accepted proposal."""
    prices = ", ".join(f"({okey!r}, {name!r}, {oid})" for okey, name, _p, oid, _k in proposal.pairs)
    return proposal.table_row("row", prices)
