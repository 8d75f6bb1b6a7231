"""A market whose name names no bet ("HT Shots", issue 32's unseen Bet9ja match) is keyed by the parsers from
the bet its outcome labels say, on a body written as each book writes it.

The bodies are the real captures in ../shared with one market added, copied from the book's own first-half
over/under and renamed: the lines and prices expected are read here from the copied market itself (BetPawa:
each price's own ``handicap`` text; Bet9ja: the odds key's ``@line``), and the key is the grammar's canonical
description written out by hand (shots, first half, the match, over/under; over 12, under 13 as UOF's totals).
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

from palimpsest_pipeline.books.bet9ja import odds as bet9ja
from palimpsest_pipeline.books.betpawa import odds as betpawa
from palimpsest_pipeline.markets.grammar.canonical import DESCRIBED
from palimpsest_pipeline_tests.markets.conftest import load_capture

AT = datetime(2026, 5, 6, 9, 0, tzinfo=UTC)
OUTCOMES = {"over": 12, "under": 13}
SR_ID = 68995116


def _shots_key(line: str) -> str:
    return f"market=shots.1h.match.total|total={line}"


def test_betpawa_ht_shots_is_keyed_as_an_over_under_from_its_price_names() -> None:
    body: dict[str, Any] = copy.deepcopy(load_capture("betpawa/v3_event_sr68995116_prematch.json"))
    [half_total] = [m for m in body["markets"] if m["marketType"]["name"] == "Total Score Over/Under - 1H"]
    shots = copy.deepcopy(half_total)
    shots["marketType"].update(id="990001", name="HT Shots", displayName="HT Shots")
    for row in shots["row"]:
        for price in row["prices"]:
            price["typeId"] = f"99{price['typeId']}"
    body["markets"].append(shots)
    expected = {
        (_shots_key(price["handicap"]), OUTCOMES[price["name"].lower()]): price["price"]
        for row in shots["row"]
        for price in row["prices"]
    }
    assert len(expected) >= 4  # several lines, over and under on each

    parsed = betpawa.parse_odds(body, sr_id=SR_ID, captured_at=AT)

    stored = {(r.specifier, r.outcome): r.price for r in parsed.rows if r.market == DESCRIBED}
    assert {key: stored.get(key) for key in expected} == expected
    assert "990001" not in parsed.unmapped


def test_bet9ja_ht_shots_is_keyed_as_an_over_under_from_its_labels() -> None:
    body: dict[str, Any] = copy.deepcopy(load_capture("bet9ja/GetEvent_sr68995116_prematch.json"))
    event = body["D"]
    [over_under] = [m for m in event["MK"] if m["ID"] == "S_OU"]
    event["MK"].append({**over_under, "ID": "S_HTSHOTS", "DS": "HT Shots", "MARKETID": "990001"})
    copied = {
        key.replace("S_OU@", "S_HTSHOTS@"): price
        for key, price in event["O"].items()
        if key.startswith("S_OU@")
    }
    event["O"].update(copied)
    expected = {}
    for key, price in copied.items():
        line, _, side = key.removeprefix("S_HTSHOTS@").partition("_")
        expected[(_shots_key(line), {"O": 12, "U": 13}[side])] = float(price)
    assert len(expected) >= 4

    parsed = bet9ja.parse_odds(body, sr_id=SR_ID, captured_at=AT)

    stored = {(r.specifier, r.outcome): r.price for r in parsed.rows if r.market == DESCRIBED}
    assert {key: stored.get(key) for key in expected} == expected
    assert not any("HTSHOTS" in market for market in parsed.unmapped)
