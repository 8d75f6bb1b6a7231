"""Bet9ja for the mapping assistant (``palimpsest markets suggest bet9ja``): the unmapped markets it reads,
the table row an accepted proposal becomes, and the rows accepted (reviewed as any row).

The assistant appends rows before the closing parenthesis; move them to their sport's module when editing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from palimpsest_pipeline.markets.assistant import BookMarket, Proposal, offered_price
from palimpsest_pipeline.markets.bet9ja.rows import Bet9jaMarket, market  # noqa: F401  (used by appended rows)


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


def row_source(proposal: Proposal) -> str:
    """The table row (Python source) for an accepted proposal."""
    return proposal.table_row(
        "market", ", ".join(f"({okey!r}, {oid})" for okey, _n, _p, oid, _k in proposal.pairs)
    )


ASSISTED: tuple[Bet9jaMarket, ...] = ()
