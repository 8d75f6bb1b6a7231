"""Where the fault machinery finds things in Betika's answers: ``data[]`` rows with no wrapper (a row names
its competition), ``meta.total``, a row's ``odds[]`` market groups; drifted, a line is left in
``special_bet_value`` alone, in quarter units, and no label carries it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import orjson

from palimpsest_sandbox.books.betika.payloads import DEFAULT_LIMIT, TIME_FORMAT, answer
from palimpsest_sandbox.hostile import UNKNOWN_MARKET
from palimpsest_sandbox.kit import BookFaults
from palimpsest_sandbox.payload_drift import NAMED_LINE, in_quarter_units


class Faults(BookFaults):
    def empty(self) -> bytes:
        return orjson.dumps(answer([], 0, DEFAULT_LIMIT, 1))

    def rows(self, payload: Any) -> list[Any] | None:
        if not isinstance(payload, dict):
            return None
        data: list[Any] | None = payload.get("data")
        return data if isinstance(data, list) else None

    def unname_wrapper(self, payload: Any) -> None:
        """No wrapper: the first row loses its competition's name."""
        for row in payload.get("data") or []:
            row.pop("competition_name", None)
            return

    def announce(self, payload: Any, count: int) -> None:
        if isinstance(payload.get("meta"), dict):
            payload["meta"]["total"] = str(count)

    def break_names(self, row: dict[str, Any]) -> None:
        row["home_team"] = ""

    def move_a_day(self, row: dict[str, Any]) -> None:
        moved = datetime.strptime(row["start_time"], TIME_FORMAT) + timedelta(days=1)
        row["start_time"] = moved.strftime(TIME_FORMAT)

    def duplicate(self, payload: Any) -> bool:
        groups = _groups(payload)
        if not groups or not groups[0].get("odds"):
            return False
        twin = dict(groups[0]["odds"][0])
        twin["odd_value"] = f"{float(twin['odd_value']) + 0.5:.2f}"
        groups[0]["odds"].append(twin)
        return True

    def unknown_market(self, payload: Any) -> bool:
        groups = _groups(payload)
        if not groups:
            return False
        twin = orjson.loads(orjson.dumps(groups[0]))
        twin["sub_type_id"] = str(UNKNOWN_MARKET)
        groups.append(twin)
        return True

    def drift(self, document: Any) -> None:
        for group in _groups(document) or []:
            for outcome in group.get("odds", []):
                specifier = outcome.get("special_bet_value")
                if not isinstance(specifier, str) or not specifier:
                    continue
                outcome["special_bet_value"] = in_quarter_units(specifier)
                for field in ("display", "odd_key", "odd_def"):
                    if isinstance(outcome.get(field), str):
                        outcome[field] = NAMED_LINE.sub("", outcome[field])


def _groups(payload: Any) -> list[Any] | None:
    """The first row's market groups (a one-match answer has one row)."""
    rows = payload.get("data") if isinstance(payload, dict) else None
    if not isinstance(rows, list) or not rows or not isinstance(rows[0], dict):
        return None
    groups = rows[0].get("odds")
    return groups if isinstance(groups, list) else None
