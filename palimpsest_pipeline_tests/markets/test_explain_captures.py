"""``palimpsest markets explain`` on every real capture in ../shared: one line per market, each either keyed
or UNKEYED with its reason (markets counted here from the raw JSON, not by the grammar)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from palimpsest_pipeline.cli import main
from palimpsest_pipeline_tests.markets.conftest import CAPTURED, load_capture

EVENT_CAPTURES = (
    "betpawa/v3_event_sr68995116_prematch.json",
    "betpawa/v3_event_sr67645534_live.json",
    "betpawa/v3_event_sr71529092_tennis.json",
    "betpawa/v3_event_sr71453210_basketball.json",
    "betpawa/v4_event_sr67691078_prematch.json",
    "sportybet/event_sr68995116_prematch.json",
    "sportybet/event_sr67645534_live.json",
    "sportybet/event_sr71529092_tennis.json",
    "sportybet/event_sr71583282_asian_handicap.json",
    "sportybet/event_sr71550420_basketball.json",
    "bet9ja/GetEvent_sr68995116_prematch.json",
    "bet9ja/GetLiveEvent_sr67645534_live.json",
    "bet9ja/GetEvent_sr71543524_tennis.json",
    "bet9ja/GetEvent_sr71549302_next_goal.json",
    "bet9ja/GetEvent_sr71427986_basketball.json",
)
#: SportyBet ids from here up are its own families (read by the grammar); below, UOF ids (keys already).
SPORTYBET_OWN = 60_000


def _markets_in(book: str, payload: dict[str, Any]) -> int:
    """How many markets the response holds that the grammar must read, counted from the raw JSON."""
    if book == "betpawa":
        return len(payload["markets"])
    if book == "sportybet":
        ids = [str(market["id"]) for market in payload["data"]["markets"]]
        return sum(1 for mid in ids if not mid.isdigit() or int(mid) >= SPORTYBET_OWN)
    # Bet9ja: "S_OU@2.5_O" is market S_OU, line 2.5, outcome O
    return len({key.rsplit("_", 1)[0].split("@")[0] for key in payload["D"]["O"]})


@pytest.mark.parametrize("relative", EVENT_CAPTURES)
def test_explain_gives_every_market_one_line_and_every_unkeyed_one_a_reason(relative: str) -> None:
    payload = load_capture(relative)
    book = relative.split("/")[0]
    result = CliRunner().invoke(main, ["markets", "explain", book, str(Path(CAPTURED) / relative)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == _markets_in(book, payload)
    for line in lines:
        status, _, rest = line.partition(" ")
        assert status in ("keyed", "UNKEYED"), line
        label, _, reason = rest.strip().rpartition(": ")
        assert label and reason.strip(), f"no reason given: {line}"
