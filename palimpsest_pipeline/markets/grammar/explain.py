"""What the grammar makes of each market of a saved response, one line per market (``markets explain``):
UNKEYED with why, where the reviewed table may still key it. A book whose markets are not UOF's reads them
in its part of the markets tools (markets/<book>/tools.py)."""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from itertools import starmap
from pathlib import Path
from typing import Any

from palimpsest_pipeline.markets.grammar import uof_labels
from palimpsest_pipeline.markets.grammar.description import Description, Refusal
from palimpsest_pipeline.markets.grammar.walk import JSON_OBJECT, list_at, mapping_at
from palimpsest_pipeline.markets.uof import FIRST_NATIVE_ID

_SR_SPORTS = {"sr:sport:1": "football", "sr:sport:2": "basketball", "sr:sport:5": "tennis"}


def _line(label: str, described: str, keys: list[Any]) -> str:
    keyed = [k for k in keys if isinstance(k, tuple)]
    refused = [k.reason for k in keys if isinstance(k, Refusal)]
    if not keyed:
        return f"UNKEYED {label}: {refused[0] if refused else 'no outcomes'}"
    markets = sorted({k[0] for k in keyed})
    tail = f"; {len(refused)} not: {refused[0]}" if refused else ""
    return (
        f"keyed   {label}: {described} -> market {','.join(map(str, markets))} ({len(keyed)} outcomes{tail})"
    )


def explain_lines(book: str, payload: Mapping[str, Any]) -> Iterator[str]:
    own = Path(__file__).parents[1] / book / "tools.py"
    if own.exists():
        readings = importlib.import_module(f"palimpsest_pipeline.markets.{book}.tools").readings(payload)
    else:
        readings = _uof_readings(payload)
    return starmap(_line, readings)


def _uof_readings(payload: Mapping[str, Any]) -> Iterator[tuple[str, str, list[Any]]]:
    """The markets outside UOF's ids, read from their UOF-style labels (a UOF id is keyed by construction)."""
    body = mapping_at(payload, "data") or payload
    sport = _SR_SPORTS.get(str(mapping_at(body, "sport").get("id")), "football")
    home, away = str(body.get("homeTeamName") or ""), str(body.get("awayTeamName") or "")
    for market in list_at(body, "markets"):
        market_id = str(market.get("id")) if isinstance(market, JSON_OBJECT) else ""
        if market_id.isdigit() and int(market_id) < FIRST_NATIVE_ID:
            continue
        description = uof_labels.describe(market, home, away, uof_labels.implied_bet(market))
        described = description.text() if isinstance(description, Description) else "-"
        found = list(uof_labels.read_market(market, sport, home, away).values())
        yield f"{market_id} {market.get('name') or market.get('desc')!r}", described, found
