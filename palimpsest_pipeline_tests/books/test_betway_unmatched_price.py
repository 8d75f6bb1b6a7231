"""A Betway price whose ``outcomeId`` cannot be read names no outcome: the outcome it priced then has no price
of its own, and is set aside with that reason rather than read as closed (a price lost without a word). Read
on a real capture, the payload changed in one value."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from palimpsest_pipeline.books.betway.odds import parse_odds

CAPTURE = (
    Path(__file__).resolve().parents[2]
    / ".."
    / "shared"
    / "fixtures"
    / "captured"
    / "betway"
    / "markets_sr71583282_asian_handicap.json"
)
AT = datetime(2026, 5, 20, 9, 0, tzinfo=UTC)
SR_ID = 71583282


@pytest.fixture(scope="module")
def payload() -> dict[str, Any]:
    if not CAPTURE.exists():
        pytest.skip(f"../shared is absent: {CAPTURE} not found")
    return orjson.loads(CAPTURE.read_bytes())


def _open_keys(payload: dict[str, Any]) -> set[tuple[int, str, int]]:
    parsed = parse_odds(payload, sr_id=SR_ID, captured_at=AT)
    return {(row.market, row.specifier, row.outcome) for row in parsed.rows if row.state == "open"}


@pytest.mark.parametrize("bad_id", ["9" * 4_301, None, 71583282])
def test_an_outcome_whose_price_names_no_readable_outcome_is_set_aside_not_closed(
    payload: dict[str, Any], bad_id: Any
) -> None:
    before = _open_keys(payload)
    changed = copy.deepcopy(payload)
    prices = changed["prices"]
    prices[0]["outcomeId"] = bad_id
    parsed = parse_odds(changed, sr_id=SR_ID, captured_at=AT)
    after = {(row.market, row.specifier, row.outcome) for row in parsed.rows if row.state == "open"}
    assert after < before  # the changed price's outcome is no longer open, and nothing else changed
    reasons = [reason for reason in parsed.malformed if "a price's outcomeId" in reason]
    # each outcome left without a price is set aside naming why, none read as closed without a word
    assert len(reasons) == parsed.set_aside_outcomes - _set_aside(payload) >= len(before - after)


def _set_aside(payload: dict[str, Any]) -> int:
    return parse_odds(payload, sr_id=SR_ID, captured_at=AT).set_aside_outcomes
