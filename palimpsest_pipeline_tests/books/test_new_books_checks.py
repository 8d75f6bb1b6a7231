"""MSport's and Betway's parsers hold the ids to the names, and a hostile value costs one outcome.

Each case edits one value in a copy of a real capture (../shared, read in place) and compares the parse
with the untouched one: what the edit should cost is said by the case, by hand.
"""

from __future__ import annotations

import copy
import json
import math
import random
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from palimpsest_pipeline.books.betway import odds as betway
from palimpsest_pipeline.books.msport import odds as msport
from palimpsest_pipeline.books.odds_parse import EventOdds

CAPTURED = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "captured"
AT = datetime(2026, 5, 20, 9, 0, tzinfo=UTC)
MSPORT_FILE, MSPORT_SR = "msport/match_detail_sr68995116_prematch.json", 68995116
BETWAY_FILE, BETWAY_SR = "betway/markets_sr71583282_asian_handicap.json", 71583282

Key = tuple[int, str, int]


def _load(relative: str) -> Any:
    path = CAPTURED / relative
    if not path.exists():
        pytest.skip(f"captured responses not available ({path} is absent: ../shared is not mounted)")
    return json.loads(path.read_text(encoding="utf-8"))


def _keys(parsed: EventOdds) -> dict[Key, float | None]:
    return {(r.market, r.specifier, r.outcome): r.price for r in parsed.rows}


def _msport(body: Any) -> EventOdds:
    return msport.parse_odds(body, sr_id=MSPORT_SR, captured_at=AT)


def _betway(body: Any) -> EventOdds:
    return betway.parse_odds(body, sr_id=BETWAY_SR, captured_at=AT)


def _msport_market(body: Any, market_id: int, specifiers: str = "") -> dict[str, Any]:
    market: dict[str, Any] = next(
        m for m in body["data"]["markets"] if m["id"] == market_id and m["specifiers"] == specifiers
    )
    return market


def _betway_outcome(body: Any, outcome_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(o for o in body["outcomes"] if o["outcomeId"] == outcome_id)
    return found


# --------------------------------------------------------------------------------- ids held to the names


def test_msport_double_chance_names_swapped_cost_the_market() -> None:
    body = _load(MSPORT_FILE)
    baseline = _keys(_msport(body))
    edited = copy.deepcopy(body)
    outcomes = _msport_market(edited, 10)["outcomes"]  # 9 "Home/Draw", 11 "Draw/Away"
    outcomes[0]["description"], outcomes[2]["description"] = (
        outcomes[2]["description"],
        outcomes[0]["description"],
    )
    parsed = _msport(edited)
    assert set(baseline) - set(_keys(parsed)) == {(10, "", 9), (10, "", 10), (10, "", 11)}
    assert len(parsed.malformed) == 3 and "UOF's outcome 9 of market 10" in parsed.malformed[0]


def test_msport_a_line_the_names_deny_costs_the_market() -> None:
    body = _load(MSPORT_FILE)
    edited = copy.deepcopy(body)
    _msport_market(edited, 18, "total=2.5")["specifiers"] = "total=3.5"  # names still say "Over 2.5"
    parsed = _msport(edited)
    lost = set(_keys(_msport(body))) - set(_keys(parsed))
    assert lost == {(18, "total=2.5", 12), (18, "total=2.5", 13)}
    assert (18, "total=3.5", 12) in _keys(parsed)  # the real 3.5 line is untouched
    assert all("total=3.5 disagrees with the name 'Over 2.5'" in reason for reason in parsed.malformed)


def test_betway_double_chance_names_swapped_cost_the_market() -> None:
    body = _load(BETWAY_FILE)
    edited = copy.deepcopy(body)
    home_or_draw = _betway_outcome(edited, "7158328210" + "9")
    draw_or_away = _betway_outcome(edited, "7158328210" + "11")
    home_or_draw["name"], draw_or_away["name"] = draw_or_away["name"], home_or_draw["name"]
    parsed = _betway(edited)
    assert set(_keys(_betway(body))) - set(_keys(parsed)) == {(10, "", 9), (10, "", 10), (10, "", 11)}
    assert "UOF's outcome 9 of market 10" in parsed.malformed[0]


def test_betway_a_line_the_places_deny_costs_that_line_only() -> None:
    body = _load(BETWAY_FILE)
    edited = copy.deepcopy(body)
    _betway_outcome(edited, "7158328218total=2.5~12")["sbv"] = " (3.5)"  # the id says total=2.5
    parsed = _betway(edited)
    assert set(_keys(_betway(body))) - set(_keys(parsed)) == {(18, "total=2.5", 12), (18, "total=2.5", 13)}
    assert "total=2.5 disagrees" in parsed.malformed[0] and "(3.5)" in parsed.malformed[0]


def test_betway_a_market_number_its_subscription_denies_costs_the_market() -> None:
    body = _load(BETWAY_FILE)
    edited = copy.deepcopy(body)
    next(m for m in edited["marketsInGroup"] if m["marketId"] == "7158328229")["subscriptionId"] = 75
    parsed = _betway(edited)
    assert set(_keys(_betway(body))) - set(_keys(parsed)) == {(29, "", 74), (29, "", 76)}
    assert "subscriptionId 75 is not the id's market 29" in parsed.malformed[0]


def test_betway_a_price_its_fraction_denies_costs_the_outcome() -> None:
    body = _load(BETWAY_FILE)
    edited = copy.deepcopy(body)
    price = next(p for p in edited["prices"] if p["outcomeId"] == "7158328211")
    price["priceDecimal"] = 2.65  # numerator/denominator still say 13/20, 1.65
    parsed = _betway(edited)
    assert set(_keys(_betway(body))) - set(_keys(parsed)) == {(1, "", 1)}
    assert "disagrees with its fraction 13/20" in parsed.malformed[0]


def test_betway_squashed_lines_key_like_their_own_markets() -> None:
    """A squashed total lists its lines' outcomes under itself: each keys under its own line."""
    keys = _keys(_betway(_load(BETWAY_FILE)))
    assert keys[(18, "total=0.5", 12)] == 1.03 and keys[(18, "total=2.5", 13)] == 1.95
    assert keys[(65, "hcp=-1", 1711)] == 5.8  # "1st Half - Handicap 0:1": the home line -1


# --------------------------------------------------------------------------------- hostile values


def _long_name(outcome: dict[str, Any]) -> None:
    outcome["description"] = "1" * 40_000


def _name_wrong_type(outcome: dict[str, Any]) -> None:
    outcome["description"] = {"en": "Home"}


def _no_id(outcome: dict[str, Any]) -> None:
    del outcome["id"]


def _long_id(outcome: dict[str, Any]) -> None:
    outcome["id"] = "1" * 40_000


def _active_wrong_type(outcome: dict[str, Any]) -> None:
    outcome["isActive"] = "1"


#: A hostile price is judged for every book in conformance/test_hostile_values.py; here, the other fields.
MSPORT_HOSTILE: list[Callable[[dict[str, Any]], None]] = [
    _long_name,
    _name_wrong_type,
    _no_id,
    _long_id,
    _active_wrong_type,
]


@pytest.mark.parametrize("edit", MSPORT_HOSTILE, ids=lambda f: f.__name__.strip("_"))
def test_msport_a_hostile_value_costs_its_outcome(edit: Callable[[dict[str, Any]], None]) -> None:
    body = _load(MSPORT_FILE)
    baseline = _keys(_msport(body))
    edited = copy.deepcopy(body)
    edit(_msport_market(edited, 1)["outcomes"][0])  # 1X2 home, 2.45
    parsed = _msport(edited)
    assert baseline.keys() - _keys(parsed).keys() == {(1, "", 1)}
    assert _keys(parsed).items() <= baseline.items()
    assert len(parsed.malformed) == 1 and "data.markets[0].outcomes[0]" in parsed.malformed[0]
    assert parsed.unread_lines == {(1, "")}  # its market's other prices stand, but were not read whole


def _betway_long_name(body: Any) -> None:
    _betway_outcome(body, "7158328211")["name"] = "C" * 40_000


def _betway_no_id(body: Any) -> None:
    del _betway_outcome(body, "7158328211")["outcomeId"]


def _betway_long_id(body: Any) -> None:
    outcome = _betway_outcome(body, "7158328211")
    outcome["outcomeId"] = "715832821" + "1" * 40_000
    next(p for p in body["prices"] if p["outcomeId"] == "7158328211")["outcomeId"] = outcome["outcomeId"]


def _betway_trading_wrong_type(body: Any) -> None:
    _betway_outcome(body, "7158328211")["isTradingActive"] = "true"


BETWAY_HOSTILE: list[Callable[[Any], None]] = [
    _betway_long_name,
    _betway_no_id,
    _betway_long_id,
    _betway_trading_wrong_type,
]


@pytest.mark.parametrize("edit", BETWAY_HOSTILE, ids=lambda f: f.__name__.strip("_"))
def test_betway_a_hostile_value_costs_its_outcome(edit: Callable[[Any], None]) -> None:
    body = _load(BETWAY_FILE)
    baseline = _keys(_betway(body))
    edited = copy.deepcopy(body)
    edit(edited)  # 1X2 home, CF Cruz Azul 1.65
    parsed = _betway(edited)
    assert baseline.keys() - _keys(parsed).keys() == {(1, "", 1)}
    assert _keys(parsed).items() <= baseline.items()
    assert len(parsed.malformed) == 1 and parsed.malformed[0].startswith("betway: ")
    assert parsed.unread_lines == {(1, "")}


HOSTILE_VALUES: list[Any] = [None, "", "x" * 40_000, math.nan, -1, 10**30, [], {}, True, "NaN", "\x00"]


def _leaves(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(node, dict):
        return [leaf for key, value in node.items() for leaf in _leaves(value, (*path, key))]
    if isinstance(node, list):
        return [leaf for index, value in enumerate(node) for leaf in _leaves(value, (*path, index))]
    return [path]


def _set(node: Any, path: tuple[Any, ...], value: Any) -> None:
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value


@pytest.mark.parametrize(
    ("relative", "sr_id", "parse", "markets"),
    [
        ("msport/match_detail_sr71529092_tennis.json", 71529092, msport.parse_odds, ("data", "markets")),
        ("betway/markets_sr71427986_basketball.json", 71427986, betway.parse_odds, ("outcomes",)),
    ],
)
def test_no_hostile_value_inside_the_markets_escapes_the_parser(
    relative: str, sr_id: int, parse: Callable[..., EventOdds], markets: tuple[str, ...]
) -> None:
    """Any value of any market or outcome replaced by a hostile one: the parse returns, and keeps at least
    every price of the other markets (a hostile value costs at most its own market)."""
    body = _load(relative)
    baseline = parse(body, sr_id=sr_id, captured_at=AT)
    container: Any = body
    for step in markets:
        container = container[step]
    leaves = [(*markets, *leaf) for leaf in _leaves(container)]
    rng = random.Random(11)
    for path in rng.sample(leaves, 150):
        value = rng.choice(HOSTILE_VALUES)
        edited = copy.deepcopy(body)
        _set(edited, path, value)
        parsed = parse(edited, sr_id=sr_id, captured_at=AT)
        lost = {(r.market, r.specifier) for r in baseline.rows} - {
            (r.market, r.specifier) for r in parsed.rows
        }
        assert len(lost) <= 1, (path, value, lost)
