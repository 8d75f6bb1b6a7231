"""What the grammar makes of each market of a saved response, one line per market (``markets explain``).

UNKEYED means the grammar gives no key and says why; the reviewed table (mapping_*.py) may still key it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from palimpsest_pipeline.markets.grammar import bet9ja, betpawa, uof_labels
from palimpsest_pipeline.markets.grammar.description import Description, Refusal
from palimpsest_pipeline.markets.grammar.walk import JSON_OBJECT, list_at, mapping_at
from palimpsest_pipeline.markets.uof import FIRST_NATIVE_ID

_BETPAWA_SPORTS = {"2": "football", "3": "basketball", "452": "tennis"}
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
    if book == "betpawa":
        sport = _BETPAWA_SPORTS.get(str(mapping_at(payload, "category").get("id")))
        for market in list_at(payload, "markets"):
            reading = betpawa.read_market(market, sport or "football")
            described = reading.description.text() if isinstance(reading.description, Description) else "-"
            yield _line(reading.name, described, list(reading.keys.values()))
    elif book == "bet9ja":
        keys = bet9ja.read_odds(payload)
        groups: dict[str, list[Any]] = {}
        for odds_key, key in keys.items():
            head = odds_key.rpartition("_")[0].partition("@")[0]
            groups.setdefault(head, []).append(key)
        for market, found in groups.items():
            yield _line(f"{market} {bet9ja.market_name(payload, market)!r}", "", found)
    else:
        body = mapping_at(payload, "data") or payload
        sport = _SR_SPORTS.get(str(mapping_at(body, "sport").get("id")), "football")
        home, away = str(body.get("homeTeamName") or ""), str(body.get("awayTeamName") or "")
        for market in list_at(body, "markets"):
            market_id = str(market.get("id")) if isinstance(market, JSON_OBJECT) else ""
            if market_id.isdigit() and int(market_id) < FIRST_NATIVE_ID:
                continue  # a UOF id: keyed by construction
            description = uof_labels.describe(market, home, away, uof_labels.implied_bet(market))
            described = description.text() if isinstance(description, Description) else "-"
            found = list(uof_labels.read_market(market, sport, home, away).values())
            yield _line(f"{market_id} {market.get('name') or market.get('desc')!r}", described, found)
