"""Where the fault machinery finds things in MSport's answers: ``data.tournaments[].events[]`` rows under
named tournaments, the list's ``lastEventId`` cursor, ``data.markets[].outcomes[]``; drifted, a line is left
in ``specifiers`` alone, in quarter units, and no name carries it."""

from __future__ import annotations

import itertools
from typing import Any

import orjson

from palimpsest_sandbox.books.msport.payloads import THROTTLED_CODE, envelope, error_envelope
from palimpsest_sandbox.hostile import UNKNOWN_MARKET
from palimpsest_sandbox.kit import BookFaults
from palimpsest_sandbox.payload_drift import NAMED_LINE, in_quarter_units

#: How far before the page's first event each endless cursor points: never the same one twice.
_CURSOR_STEPS = itertools.count(1)


class Faults(BookFaults):
    def error_envelope(self) -> bytes:
        return orjson.dumps(error_envelope(THROTTLED_CODE, "Too many requests"))

    def empty(self) -> bytes:
        return orjson.dumps(envelope({"tournaments": [], "lastEventId": None}))

    def rows(self, payload: Any) -> list[Any] | None:
        """The first tournament holding events."""
        if not isinstance(payload, dict):
            return None
        for tournament in (payload.get("data") or {}).get("tournaments") or []:
            if tournament.get("events"):
                events: list[Any] = tournament["events"]
                return events
        return None

    def unname_wrapper(self, payload: Any) -> None:
        for tournament in (payload.get("data") or {}).get("tournaments") or []:
            if tournament.get("events"):
                tournament.pop("tournament", None)
                return

    def announce(self, payload: Any, count: int) -> None:
        """The page names a next page that starts before its own first event, never one named before, so
        the cursor never ends."""
        data = payload.get("data") or {}
        ids = [row["eventId"] for t in data.get("tournaments") or [] for row in t.get("events") or []]
        if ids:
            first = min(int(event_id.rpartition(":")[2]) for event_id in ids)
            data["lastEventId"] = f"sr:match:{max(1, first - next(_CURSOR_STEPS))}"

    def break_names(self, row: dict[str, Any]) -> None:
        row["homeTeam"] = ""

    def move_a_day(self, row: dict[str, Any]) -> None:
        row["startTime"] = int(row["startTime"]) + 86_400_000

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
        twin["id"] = UNKNOWN_MARKET
        markets.append(twin)
        return True

    def drift(self, document: Any) -> None:
        for market in (document.get("data") or {}).get("markets", []):
            specifier = market.get("specifiers")
            if not isinstance(specifier, str) or not specifier:
                continue
            market["specifiers"] = in_quarter_units(specifier)
            for field in ("description", "name"):
                if isinstance(market.get(field), str):
                    market[field] = NAMED_LINE.sub("", market[field])
            for outcome in market.get("outcomes", []):
                if isinstance(outcome.get("description"), str):
                    outcome["description"] = NAMED_LINE.sub("", outcome["description"])
