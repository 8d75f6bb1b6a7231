"""BetPawa for the mapping assistant (``palimpsest markets suggest betpawa``): the unmapped markets it reads,
the table row an accepted proposal becomes, and the rows accepted (reviewed as any row).

The assistant appends rows before the closing parenthesis; move them to their sport's module when editing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from palimpsest_pipeline.markets.assistant import BookMarket, Proposal, offered_price
from palimpsest_pipeline.markets.betpawa.rows import BetPawaMarket, row  # noqa: F401  (used by appended rows)


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


def row_source(proposal: Proposal) -> str:
    """The table row (Python source) for an accepted proposal."""
    prices = ", ".join(f"({okey!r}, {name!r}, {oid})" for okey, name, _p, oid, _k in proposal.pairs)
    return proposal.table_row("row", prices)


ASSISTED: tuple[BetPawaMarket, ...] = ()
