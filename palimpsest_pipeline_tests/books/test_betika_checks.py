"""Betika's parser holds its ids to the names, and a hostile value costs one outcome or one market line.

Each case edits one value in a copy of a real capture (../shared, read in place) and compares the parse with
the untouched one: what the edit should cost is said by the case, by hand.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from palimpsest_pipeline.books.betika import odds as betika
from palimpsest_pipeline.books.odds_parse import EventOdds

CAPTURED = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "captured"
AT = datetime(2026, 5, 20, 9, 0, tzinfo=UTC)
FILE, SR = "betika/matches_sr71583282_asian_handicap.json", 71583282

Key = tuple[int, str, int]


def _load() -> Any:
    path = CAPTURED / FILE
    if not path.exists():
        pytest.skip(f"captured responses not available ({path} is absent: ../shared is not mounted)")
    return json.loads(path.read_text(encoding="utf-8"))


def _parse(body: Any) -> EventOdds:
    return betika.parse_odds(body, sr_id=SR, captured_at=AT)


def _keys(parsed: EventOdds) -> dict[Key, float | None]:
    return {(r.market, r.specifier, r.outcome): r.price for r in parsed.rows}


def _outcome(body: Any, market: str, specifier: str, outcome_id: str) -> dict[str, Any]:
    (row,) = body["data"]
    group = next(g for g in row["odds"] if g["sub_type_id"] == market)
    found: dict[str, Any] = next(
        o for o in group["odds"] if o["special_bet_value"] == specifier and o["outcome_id"] == outcome_id
    )
    return found


def _lost(edit: Callable[[Any], None]) -> tuple[set[Key], EventOdds]:
    body = _load()
    baseline = _keys(_parse(body))
    edited = copy.deepcopy(body)
    edit(edited)
    parsed = _parse(edited)
    assert set(_keys(parsed)) <= set(baseline)
    return set(baseline) - set(_keys(parsed)), parsed


# --------------------------------------------------------------------------------- ids held to the names


def test_double_chance_names_swapped_cost_the_line() -> None:
    def edit(body: Any) -> None:
        first, last = _outcome(body, "10", "", "9"), _outcome(body, "10", "", "11")
        first["odd_key"], last["odd_key"] = last["odd_key"], first["odd_key"]  # "draw or Pumas Unam" on 9

    lost, parsed = _lost(edit)
    assert lost == {(10, "", 9), (10, "", 10), (10, "", 11)}
    assert len(parsed.malformed) == 3 and "UOF's outcome 9 of market 10" in parsed.malformed[0]


def test_a_line_the_names_deny_costs_that_line_only() -> None:
    lost, parsed = _lost(lambda body: _outcome(body, "18", "total=2.5", "12").update(odd_key="over 3.5"))
    assert lost == {(18, "total=2.5", 12), (18, "total=2.5", 13)}
    assert len(parsed.malformed) == 2 and "total=2.5" in parsed.malformed[0]


def test_a_specifier_naming_other_parameters_than_uofs_market_costs_its_outcome() -> None:
    lost, parsed = _lost(lambda body: _outcome(body, "1", "", "1").update(special_bet_value="xup=1"))
    assert lost == {(1, "", 1)}
    assert len(parsed.malformed) == 1 and "UOF market 1 takes none" in parsed.malformed[0]


def test_an_outcome_of_another_variant_costs_itself() -> None:
    variant = "variant=sr:exact_goals:6+"
    lost, parsed = _lost(
        lambda body: _outcome(body, "21", variant, "sr:exact_goals:6+:69").update(
            outcome_id="sr:exact_goals:5+:69"
        )
    )
    assert lost == {(21, variant, 69)}
    assert len(parsed.malformed) == 1 and "not of the line's variant" in parsed.malformed[0]


# ------------------------------------------------------------------------------------- hostile values

#: A hostile price is judged for every book in conformance/test_hostile_values.py; here, the other fields.
HOSTILE: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "a 40 kB name": (lambda o: o.update(odd_key="x" * 40_000), "odd_key"),
    "a name of the wrong type": (lambda o: o.update(odd_key=["over"]), "not text"),
    "a missing outcome id": (lambda o: o.pop("outcome_id"), "is not text"),
    "an outcome id of 10 kB": (lambda o: o.update(outcome_id="1" * 10_000), "outcome_id"),
    "an active flag of 7": (lambda o: o.update(odd_active=7), "is not 0 or 1"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_outcome_value_costs_that_outcome(case: str) -> None:
    change, reason = HOSTILE[case]
    lost, parsed = _lost(lambda body: change(_outcome(body, "18", "total=3.5", "13")))
    assert lost == {(18, "total=3.5", 13)}
    assert len(parsed.malformed) == 1 and reason in parsed.malformed[0], parsed.malformed
    assert (18, "total=3.5") in parsed.unread_lines  # its line's other outcome is not read whole


@pytest.mark.parametrize(
    ("value", "reason"), [("abc", "is not a positive integer"), (None, "is not a positive integer"), (-1, "")]
)
def test_a_hostile_market_id_costs_its_group(value: Any, reason: str) -> None:
    def edit(body: Any) -> None:
        next(g for g in body["data"][0]["odds"] if g["sub_type_id"] == "29")["sub_type_id"] = value

    lost, parsed = _lost(edit)
    assert lost == {(29, "", 74), (29, "", 76)}
    assert len(parsed.malformed) == 1 and reason in parsed.malformed[0]


def test_an_outcome_that_is_not_an_object_costs_itself() -> None:
    def edit(body: Any) -> None:
        group = next(g for g in body["data"][0]["odds"] if g["sub_type_id"] == "26")
        group["odds"][0] = "ODD 1.93"

    lost, parsed = _lost(edit)
    assert lost == {(26, "", 70)}
    assert len(parsed.malformed) == 1 and "expected an object" in parsed.malformed[0]
    assert (26, "") in parsed.unread_lines


def test_a_closed_line_is_kept_suspended_not_lost() -> None:
    """``market_active`` 0 on a group (as the live list flags it): its prices are kept, not open."""

    def edit(body: Any) -> None:
        next(g for g in body["data"][0]["odds"] if g["sub_type_id"] == "29")["market_active"] = 0

    body = _load()
    edited = copy.deepcopy(body)
    edit(edited)
    parsed = _parse(edited)
    states = {(r.market, r.outcome): (r.state, r.price) for r in parsed.rows if r.market == 29}
    assert states == {(29, 74): ("suspended", 1.82), (29, 76): ("suspended", 1.92)}
    assert parsed.malformed == [] and parsed.open_outcomes == _parse(body).open_outcomes - 2
