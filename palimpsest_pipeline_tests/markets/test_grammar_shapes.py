"""SportyBet's own markets read alike for every event where the reading does not read the teams (the keying
engine then shares its plan); one that does (a name holding a team's name, a team's "N+" thresholds) is each
event's own."""

from __future__ import annotations

from typing import Any

from palimpsest_pipeline.markets.grammar.description import Refusal
from palimpsest_pipeline.markets.grammar.uof_labels import read_market, reads_teams


def _market(name: str, specifier: str, outcomes: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "id": "990001",
        "name": name,
        "desc": name,
        "specifier": specifier,
        "outcomes": [{"id": ref, "desc": desc} for ref, desc in outcomes],
    }


OVER_UNDER = [("12", "Over 1.5"), ("13", "Under 1.5")]


def test_a_market_naming_no_team_is_read_alike_for_every_event() -> None:
    market = _market("Total Goals", "total=1.5", OVER_UNDER)
    first = read_market(market, "football", "Arsenal", "Chelsea")
    assert all(isinstance(key, tuple) for key in first.values()), first
    assert not reads_teams(market)
    assert read_market(dict(market), "football", "Everton", "Fulham") == first


def test_a_name_holding_a_team_reads_the_side_of_each_event() -> None:
    market = _market("Arsenal Total Goals", "total=1.5", OVER_UNDER)
    home = read_market(market, "football", "Arsenal", "Chelsea")
    away = read_market(market, "football", "Chelsea", "Arsenal")
    neither = read_market(market, "football", "Everton", "Fulham")
    as_home = read_market(_market("Home Total Goals", "total=1.5", OVER_UNDER), "football", "", "")
    as_away = read_market(_market("Away Total Goals", "total=1.5", OVER_UNDER), "football", "", "")
    assert home == as_home and away == as_away and home != away
    assert all(isinstance(key, Refusal) for key in neither.values()), neither


def test_a_teams_thresholds_read_the_side_of_each_event() -> None:
    market = _market("Corners", "", [("1", "Arsenal 3+"), ("2", "Arsenal 4+")])
    home = read_market(market, "football", "Arsenal", "Chelsea")
    away = read_market(market, "football", "Chelsea", "Arsenal")
    assert all(isinstance(key, tuple) for key in (*home.values(), *away.values())), (home, away)
    assert home["1"][0] != away["1"][0] and home["1"][1:] == away["1"][1:], (home, away)
