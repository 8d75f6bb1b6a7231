"""The sandbox names Bet9ja's markets and outcomes as the book does: ``names.json`` is what the
generator makes of the real responses in ../shared (skipped where absent), and a rendered catalogue shows a
market's real name and labels against its outcome keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from palimpsest_sandbox.books.bet9ja import generate_names
from palimpsest_sandbox.books.bet9ja import markets as bet9ja
from palimpsest_sandbox.books.bet9ja.display import named

CAPTURED = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "captured" / "bet9ja"


def test_the_names_file_is_what_the_generator_makes_of_the_real_responses() -> None:
    files = sorted(CAPTURED.glob("GetEvent_*.json"))
    if not files:
        pytest.skip(f"captured responses not available ({CAPTURED} is absent: ../shared is not mounted)")
    bodies = [json.loads(path.read_text(encoding="utf-8")) for path in files]
    captured = generate_names.names_from_responses(bodies)
    expected = generate_names.render(generate_names.with_reported(captured))
    assert generate_names.OUTPUT.read_text(encoding="utf-8") == expected


def test_a_rendered_catalogue_labels_each_outcome_key_as_the_book_does() -> None:
    catalogue = {entry["ID"]: entry for entry in bet9ja.render(11, 3, "football", 1.0)["MK"]}
    dc_total = catalogue["S_DCOU"]
    assert dc_total["DS"] == "Double Chance + Over/Under"
    labels = dict(zip(dc_total["SGNK"], dc_total["SGN"], strict=True))
    assert labels["X2O"] == "X2 + Over" and labels["1XU"] == "1X + Under"


def test_a_market_no_response_named_keeps_the_tables_description_and_its_keys() -> None:
    name, labels = named("S_NEVER_SEEN", "Some Market", ["A", "B"])
    assert (name, labels) == ("Some Market", ["A", "B"])
