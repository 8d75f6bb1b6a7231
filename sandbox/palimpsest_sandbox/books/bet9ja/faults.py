"""Where the fault machinery finds things in Bet9ja's answers: ``D.E[]`` rows, ``GetSports`` groups
(``PAL.{sid}.SG.{country}.G.{group}``) with their ``NUM`` counts, the ``D.O`` odds dict; drifted, the line
in an odds key (``S_OU@2.5_O``) is in quarter units."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import orjson

from palimpsest_sandbox.books.bet9ja.payloads import error
from palimpsest_sandbox.kit import BookFaults
from palimpsest_sandbox.payload_drift import quarters

_TIME = "%Y-%m-%d %H:%M:%S"


class Faults(BookFaults):
    def error_envelope(self) -> bytes:
        """Bet9ja's one error answer: not found and throttled look the same."""
        return orjson.dumps(error())

    def empty(self) -> bytes:
        return orjson.dumps({"R": "OK", "D": {"PAL": {}}})

    def rows(self, payload: Any) -> list[Any] | None:
        return ((payload.get("D") or {}).get("E")) if isinstance(payload, dict) else None

    def unname_wrapper(self, payload: Any) -> None:
        """The first ``GetSports`` group counting events loses its ``G_DESC``."""
        for group in _counted_groups(payload):
            group.pop("G_DESC", None)
            return

    def announce(self, payload: Any, count: int) -> None:
        """The first counted ``GetSports`` group's ``NUM``."""
        for group in _counted_groups(payload):
            group["NUM"] = count
            return

    def break_names(self, row: dict[str, Any]) -> None:
        row["DS"] = ""

    def move_a_day(self, row: dict[str, Any]) -> None:
        moved = datetime.strptime(row["STARTDATE"], _TIME) + timedelta(days=1)
        row["STARTDATE"] = moved.strftime(_TIME)

    def duplicate(self, payload: Any) -> bool:
        """A lined outcome again with its line written longer ("S_OU@2.5_O" -> "S_OU@2.50_O")."""
        odds = (payload.get("D") or payload).get("O")
        if not isinstance(odds, dict):
            return False
        for key, value in list(odds.items()):
            if "@" in key and isinstance(value, str):
                head, _, rest = key.partition("@")
                line, _, outcome = rest.partition("_")
                odds[f"{head}@{line}0_{outcome}"] = f"{float(value) + 0.5:.2f}"
                return True
        return False

    def unknown_market(self, payload: Any) -> bool:
        odds = (payload.get("D") or payload).get("O")
        if not isinstance(odds, dict):
            return False
        odds["S_ZZNOTAMARKET_1"] = "1.9"
        return True

    def drift(self, document: Any) -> None:
        event = document.get("D") or {}
        event["O"] = {_drifted(key): value for key, value in (event.get("O") or {}).items()}


def _counted_groups(payload: Any) -> Iterator[dict[str, Any]]:
    for sport in ((payload.get("D") or {}).get("PAL") or {}).values():
        for country in (sport.get("SG") or {}).values():
            for group in (country.get("G") or {}).values():
                if group.get("NUM"):
                    yield group


def _drifted(key: str) -> str:
    head, at, rest = key.partition("@")
    if not at:
        return key
    line, sep, outcome = rest.rpartition("_")
    try:
        return f"{head}@{quarters(line)}{sep}{outcome}"
    except ValueError:  # a score line ("1:0"): not a number of goals, kept
        return key
