"""SportyBet's odds parse reads the usual outcome in one go and remembers each market id's outcome keys: a key
remembered for one market never keys another's outcome, and an outcome off the usual shape costs itself only,
set aside with where it is (hand-written payloads; UOF 1 is 1X2 with outcomes 1/2/3, UOF 10 double chance
with 9/10/11)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from palimpsest_pipeline.books.sportybet.odds import parse_odds

AT = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def _payload(*markets: dict[str, Any]) -> dict[str, Any]:
    return {"bizCode": 10000, "data": {
        "eventId": "sr:match:1", "homeTeamName": "Alpha", "awayTeamName": "Beta",
        "sport": {"id": "sr:sport:1"}, "markets": list(markets),
    }}  # fmt: skip


def _market(market_id: str, outcomes: list[Any], status: int = 0) -> dict[str, Any]:
    return {"id": market_id, "name": "m", "desc": "m", "status": status, "outcomes": outcomes}


def _outcome(outcome_id: Any, odds: Any = "2.50", active: Any = 1) -> dict[str, Any]:
    return {"id": outcome_id, "odds": odds, "isActive": active, "desc": "x"}


def test_an_outcome_key_remembered_for_one_market_never_keys_another() -> None:
    double_chance = parse_odds(_payload(_market("10", [_outcome("9")])), sr_id=1, captured_at=AT)
    assert [(row.market, row.outcome) for row in double_chance.rows] == [(10, 9)]
    one_x_two = parse_odds(_payload(_market("1", [_outcome("9"), _outcome("1")])), sr_id=1, captured_at=AT)
    assert [(row.market, row.outcome) for row in one_x_two.rows] == [(1, 1)]  # 9 is no 1X2 outcome
    assert one_x_two.unmapped == {"1": 1} and one_x_two.open_outcomes == 2 and one_x_two.mapped_outcomes == 1


def test_prices_states_and_counts_of_usual_outcomes() -> None:
    parse = parse_odds(
        _payload(
            _market("1", [_outcome("1", "1.50"), _outcome("2", "1.00"), _outcome("3", "4.2", active=0)]),
            _market("10", [_outcome("9", "1.2")], status=2),
        ),
        sr_id=1,
        captured_at=AT,
    )
    assert [(row.market, row.outcome, row.price, row.state) for row in parse.rows] == [
        (1, 1, 1.5, "open"),
        (1, 2, None, "suspended"),  # a price of 1 is how the book marks it closed
        (1, 3, 4.2, "suspended"),
        (10, 9, 1.2, "suspended"),  # the market is not open
    ]
    assert (parse.open_outcomes, parse.mapped_outcomes, parse.malformed) == (1, 1, [])


@pytest.mark.parametrize(
    ("hostile", "field"),
    [
        (_outcome("2", "nan"), "odds"),
        (_outcome("2", "abc"), "odds"),
        (_outcome("2", True), "odds"),
        (_outcome("2", "inf"), "odds"),
        ({"id": "2", "odds": "2.0", "desc": "x"}, "isActive"),
        (_outcome("2" * 500), "id"),
        ("not an object", ""),
    ],
)
def test_an_outcome_off_the_usual_shape_costs_itself_only(hostile: Any, field: str) -> None:
    parse = parse_odds(
        _payload(_market("1", [_outcome("1"), hostile, _outcome("3")])), sr_id=1, captured_at=AT
    )
    assert [row.outcome for row in parse.rows] == [1, 3]
    assert len(parse.malformed) == 1 and "data.markets[0].outcomes[1]" in parse.malformed[0]
    assert field in parse.malformed[0]
    assert parse.unmapped == {"malformed:1": 1} and parse.set_aside_outcomes == 1


def _handicap(home: str, away: str, names: tuple[str, str]) -> dict[str, Any]:
    market = _market("16", [_outcome("1714"), _outcome("1715")])
    market.update(specifier="hcp=-1.5", desc="Handicap")
    for outcome, name in zip(market["outcomes"], names, strict=True):
        outcome["desc"] = name
    payload = _payload(market)
    payload["data"].update(homeTeamName=home, awayTeamName=away)
    return payload


def test_a_line_named_by_team_is_checked_against_each_events_teams() -> None:
    names = ("Alpha (-1.5)", "Beta (+1.5)")
    agreed = parse_odds(_handicap("Alpha", "Beta", names), sr_id=1, captured_at=AT)
    assert [(row.market, row.specifier, row.outcome) for row in agreed.rows] == [
        (16, "hcp=-1.5", 1714),
        (16, "hcp=-1.5", 1715),
    ]
    # the same names on an event where Beta plays at home: the names give home +1.5, the specifier -1.5
    swapped = parse_odds(_handicap("Beta", "Alpha", names), sr_id=1, captured_at=AT)
    assert swapped.rows == [] and len(swapped.malformed) == 2
    assert "disagrees with the name" in swapped.malformed[0]
    # names by side read alike for any teams; one saying another line is set aside on every event
    for home, away in (("Alpha", "Beta"), ("Gamma", "Delta")):
        side_names = parse_odds(
            _handicap(home, away, ("Home (-1.5)", "Away (+2.5)")), sr_id=1, captured_at=AT
        )
        assert side_names.rows == [] and len(side_names.malformed) == 2


def test_in_a_closed_market_no_outcome_reads_its_is_active() -> None:
    # a UOF market and a SportyBet family alike: closed, every outcome is suspended whatever isActive says
    for market_id in ("1", "60100"):
        outcomes = [_outcome("1"), {"id": "2", "odds": "3.10", "desc": "x"}, _outcome("3", active="yes")]
        parse = parse_odds(_payload(_market(market_id, outcomes, status=2)), sr_id=1, captured_at=AT)
        assert [(row.market, row.outcome, row.price, row.state) for row in parse.rows] == [
            (int(market_id), 1, 2.5, "suspended"),
            (int(market_id), 2, 3.1, "suspended"),
            (int(market_id), 3, 2.5, "suspended"),
        ]
        assert (parse.open_outcomes, parse.malformed, parse.unread_lines) == (0, [], set())
