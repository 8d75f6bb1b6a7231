"""Loading test payloads: our own small fixtures, and the real captures in ../shared (skipped when absent)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

TESTS_ROOT = Path(__file__).resolve().parents[1]
FIXTURES = TESTS_ROOT / "fixtures"
CAPTURED = TESTS_ROOT.parent / ".." / "shared" / "fixtures" / "captured"


def fixture(book: str, name: str) -> Any:
    """One of our own fixture payloads (palimpsest_pipeline_tests/fixtures/<book>/<name>.json)."""
    return json.loads((FIXTURES / book / f"{name}.json").read_text(encoding="utf-8"))


def fixture_bytes(book: str, name: str) -> bytes:
    return (FIXTURES / book / f"{name}.json").read_bytes()


def captured(book: str, name: str) -> Any:
    """A real captured response from ../shared/fixtures/captured; skips the test when it is not there."""
    path = CAPTURED / book / name
    if not path.is_file():
        pytest.skip(f"captured response {book}/{name} not available (../shared/fixtures/captured is absent)")
    return json.loads(path.read_text(encoding="utf-8"))


#: BetPawa's Anytime Goalscorer market type.
BETPAWA_ANYTIME_TYPE = "129108"


def betpawa_naming(names: list[str]) -> dict[str, Any]:
    """BetPawa's real capture moved to SR 71583282 (the match SportyBet's capture is), its Anytime Goalscorer
    listing ``names`` by name, priced 3.00, 3.10, ..."""
    payload = copy.deepcopy(captured("betpawa", "v3_event_sr68995116_prematch.json"))
    for widget in payload["widgets"]:
        if widget["type"] == "SPORTRADAR":
            widget["id"] = "71583282"
    market = next(m for m in payload["markets"] if str(m["marketType"]["id"]) == BETPAWA_ANYTIME_TYPE)
    template = market["row"][0]
    market["row"] = []
    for index, name in enumerate(names):
        row = copy.deepcopy(template)
        row["prices"][0].update(name=name, displayName=name, price=round(3.0 + index / 10, 2))
        market["row"].append(row)
    return payload
