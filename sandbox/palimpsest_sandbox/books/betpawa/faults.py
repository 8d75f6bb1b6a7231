"""Where the fault machinery finds things in BetPawa's answers: ``responses[0].responses`` rows, no wrapper
of events, a competition's ``eventCounts``, ``markets[].row[].prices[]``; drifted, a row's line is left in
its ``specifier`` alone, in quarter units."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import orjson

from palimpsest_sandbox.kit import BookFaults

#: ``handicapType`` -> the specifier key its lines go under.
_KEYS = {"ASIAN": "hcp", "EUROPEAN": "hcp", "NORMAL": "total", "NUMBER_SPECIFIER": "number"}
_COUNT_KEYS = ("number", "goalnr")


class Faults(BookFaults):
    def empty(self) -> bytes:
        return orjson.dumps({"responses": [{}]})

    def rows(self, payload: Any) -> list[Any] | None:
        responses = payload.get("responses") or [{}]
        inner: list[Any] | None = responses[0].get("responses")
        return inner

    def unname_wrapper(self, payload: Any) -> None:
        """BetPawa's lists have no wrapper of events."""

    def announce(self, payload: Any, count: int) -> None:
        """The first competition's ``UPCOMING`` count."""
        for entry in payload.get("withRegions") or []:
            for region in entry.get("regions") or []:
                for competition in region.get("competitions") or []:
                    competition.setdefault("eventCounts", {})["UPCOMING"] = count
                    return

    def break_names(self, row: dict[str, Any]) -> None:
        row["participants"] = []
        row["name"] = ""

    def move_a_day(self, row: dict[str, Any]) -> None:
        moved = datetime.fromisoformat(row["startTime"].replace("Z", "+00:00")) + timedelta(days=1)
        row["startTime"] = moved.strftime("%Y-%m-%dT%H:%M:%SZ")

    def duplicate(self, payload: Any) -> bool:
        markets = payload.get("markets")
        if not isinstance(markets, list) or not markets:
            return False
        twin = orjson.loads(orjson.dumps(markets[0]))
        for row in twin.get("row", []):
            for price in row.get("prices", []):
                price["odds"] = round(float(price["odds"]) + 0.5, 2)
        markets.append(twin)
        return True

    def unknown_market(self, payload: Any) -> bool:
        markets = payload.get("markets")
        if not isinstance(markets, list) or not markets:
            return False
        twin = orjson.loads(orjson.dumps(markets[0]))
        twin["marketType"]["id"] = "987654"
        for row in twin.get("row", []):
            for price in row.get("prices", []):
                price["typeId"] = "987655"
        markets.append(twin)
        return True

    def drift(self, document: Any) -> None:
        """A row keeps a specifier listing just its line key, in quarter units: no null keys, no row
        ``handicap`` or ``formattedHandicap``, no price ``handicap`` text or price specifier."""
        for market in document.get("markets", []):
            _drift_market(market)


def _drift_market(market: dict[str, Any]) -> None:
    handicap_type = (market.get("marketType") or {}).get("handicapType")
    for row in market.get("row", []):
        quarters = row.get("handicap")
        if not isinstance(quarters, int | float) or isinstance(quarters, bool):
            continue
        specifier = row.get("specifier") or {}
        key = next((k for k, v in specifier.items() if v is not None), None) or _KEYS.get(str(handicap_type))
        if key is None:
            names = " ".join(str(p.get("name")) for p in row.get("prices", []))
            key = "total" if re.search(r"over|under", names, re.IGNORECASE) else "hcp"
        value = str(round(quarters / 4)) if key in _COUNT_KEYS else str(round(quarters))
        row["specifier"] = {key: value}
        row.pop("handicap", None)
        row.pop("formattedHandicap", None)
        for price in row.get("prices", []):
            price.pop("handicap", None)
            price.pop("specifier", None)
