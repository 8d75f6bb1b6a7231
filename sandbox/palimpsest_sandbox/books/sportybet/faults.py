"""Where the fault machinery finds things in SportyBet's answers: ``data.tournaments[].events[]`` rows under
named tournaments, ``data.totalNum``, ``data.markets[].outcomes[]``; drifted, a line is left in the
``specifier`` alone, in quarter units, and no name carries it."""

from __future__ import annotations

import re
from typing import Any

import orjson

from palimpsest_sandbox.books.sportybet.payloads import THROTTLED_CODE, error_envelope
from palimpsest_sandbox.kit import BookFaults
from palimpsest_sandbox.payload_drift import in_quarter_units

#: A line in a name: "(-1.5)", "(+0.5)" or the number after over, under, exact, total, handicap (a
#: look-behind on their fixed-width endings).
_NAMED_LINE = re.compile(
    r"\s*\([+-]?\d+(?:\.\d+)?\)|(?<=over|nder|xact|otal|icap)\s+[+-]?\d+(?:\.\d+)?", re.IGNORECASE
)


class Faults(BookFaults):
    def error_envelope(self) -> bytes:
        return orjson.dumps(error_envelope(THROTTLED_CODE, "Too many requests"))

    def empty(self) -> bytes:
        return orjson.dumps({"bizCode": 10000, "message": "0#0", "data": {"totalNum": 0, "tournaments": []}})

    def rows(self, payload: Any) -> list[Any] | None:
        """The first tournament holding events."""
        for tournament in (payload.get("data") or {}).get("tournaments") or []:
            if tournament.get("events"):
                events: list[Any] = tournament["events"]
                return events
        return None

    def unname_wrapper(self, payload: Any) -> None:
        for tournament in (payload.get("data") or {}).get("tournaments") or []:
            if tournament.get("events"):
                tournament.pop("name", None)
                return

    def announce(self, payload: Any, count: int) -> None:
        (payload.get("data") or {})["totalNum"] = count

    def break_names(self, row: dict[str, Any]) -> None:
        row["homeTeamName"] = ""

    def move_a_day(self, row: dict[str, Any]) -> None:
        row["estimateStartTime"] = int(row["estimateStartTime"]) + 86_400_000

    def duplicate(self, payload: Any) -> bool:
        markets = (payload.get("data") or {}).get("markets")
        if not isinstance(markets, list) or not markets:
            return False
        twin = orjson.loads(orjson.dumps(markets[0]))
        for outcome in twin.get("outcomes", []):
            outcome["odds"] = f"{float(outcome['odds']) + 0.5:.2f}"
        markets.append(twin)
        return True

    def unknown_market(self, payload: Any) -> bool:
        markets = (payload.get("data") or {}).get("markets")
        if not isinstance(markets, list) or not markets:
            return False
        twin = orjson.loads(orjson.dumps(markets[0]))
        twin["id"] = "987654"
        markets.append(twin)
        return True

    def drift(self, document: Any) -> None:
        for market in (document.get("data") or {}).get("markets", []):
            specifier = market.get("specifier")
            if not isinstance(specifier, str) or not specifier:
                continue
            market["specifier"] = in_quarter_units(specifier)
            if isinstance(market.get("desc"), str):
                market["desc"] = _NAMED_LINE.sub("", market["desc"])
            for outcome in market.get("outcomes", []):
                if isinstance(outcome.get("desc"), str):
                    outcome["desc"] = _NAMED_LINE.sub("", outcome["desc"])
