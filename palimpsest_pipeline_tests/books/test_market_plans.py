"""MSport's and Betway's market plans (one reading per market shape): a plan made on one payload never keys
another that differs in a field the plan read, and the values it does not decide are still read per event.

Each case parses a payload written here, then a copy differing in one field; the expected rows and reasons
are written out by hand.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

from palimpsest_pipeline.books.betway import odds as betway
from palimpsest_pipeline.books.msport import odds as msport
from palimpsest_pipeline.books.odds_parse import EventOdds

AT = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)

Key = tuple[int, str, int]


def _keys(parsed: EventOdds) -> dict[Key, tuple[float | None, str]]:
    return {(r.market, r.specifier, r.outcome): (r.price, r.state) for r in parsed.rows}


# ------------------------------------------------------------------------------------------------ MSport


def _msport_outcome(outcome_id: str, name: str, odds: str, active: Any = 1) -> dict[str, Any]:
    return {"id": outcome_id, "description": name, "odds": odds, "isActive": active}


def _msport_body(sr_id: int, home: str, away: str) -> dict[str, Any]:
    return {
        "eventId": f"sr:match:{sr_id}",
        "homeTeam": home,
        "awayTeam": away,
        "sportId": "sr:sport:1",
        "markets": [
            {
                "id": 1,
                "description": "1X2",
                "specifiers": "",
                "status": 0,
                "outcomes": [
                    _msport_outcome("1", home, "2.10"),
                    _msport_outcome("2", "Draw", "3.30"),
                    _msport_outcome("3", away, "3.60"),
                ],
            },
            {
                "id": 18,
                "description": "Over/Under",
                "specifiers": "total=2.5",
                "status": 0,
                "outcomes": [
                    _msport_outcome("12", "Over 2.5", "1.90"),
                    _msport_outcome("13", "Under 2.5", "1.95"),
                ],
            },
        ],
    }


def _msport(body: Any, sr_id: int) -> EventOdds:
    return msport.parse_odds(body, sr_id=sr_id, captured_at=AT)


MSPORT_ROWS = {
    (1, "", 1): (2.10, "open"),
    (1, "", 2): (3.30, "open"),
    (1, "", 3): (3.60, "open"),
    (18, "total=2.5", 12): (1.90, "open"),
    (18, "total=2.5", 13): (1.95, "open"),
}


def test_msport_the_same_shape_keys_alike_for_other_teams_and_prices() -> None:
    first = _msport(_msport_body(11, "Alpha FC", "Beta United"), 11)
    body = _msport_body(12, "Gamma", "Delta")
    body["markets"][1]["outcomes"][0]["odds"] = "2.40"  # a price is the event's, never the plan's
    body["markets"][1]["status"] = 1  # suspended
    second = _msport(body, 12)
    assert _keys(first) == MSPORT_ROWS
    assert first.open_outcomes == first.mapped_outcomes == 5 and not first.malformed
    assert _keys(second) == {
        **{key: value for key, value in MSPORT_ROWS.items() if key[0] == 1},
        (18, "total=2.5", 12): (2.40, "suspended"),
        (18, "total=2.5", 13): (1.95, "suspended"),
    }
    assert second.open_outcomes == second.mapped_outcomes == 3 and {r.sr_id for r in second.rows} == {12}


def test_msport_a_line_the_names_deny_is_caught_on_a_known_shape() -> None:
    _msport(_msport_body(11, "Alpha FC", "Beta United"), 11)
    body = _msport_body(11, "Alpha FC", "Beta United")
    body["markets"][1]["outcomes"][1]["description"] = "Under 3.5"  # the specifier says 2.5
    parsed = _msport(body, 11)
    assert _keys(parsed).keys() == {(1, "", 1), (1, "", 2), (1, "", 3)}
    assert len(parsed.malformed) == 2 and all("Under 3.5" in reason for reason in parsed.malformed)


def test_msport_a_side_named_for_the_other_team_is_caught_whatever_the_teams_before() -> None:
    _msport(_msport_body(11, "Alpha FC", "Beta United"), 11)
    body = _msport_body(12, "Gamma", "Delta")
    home, away = body["markets"][0]["outcomes"][0], body["markets"][0]["outcomes"][2]
    home["description"], away["description"] = "Delta", "Gamma"  # ids 1 and 3 swapped against the names
    parsed = _msport(body, 12)
    assert (1, "", 1) not in _keys(parsed) and (1, "", 3) not in _keys(parsed)
    assert len(parsed.malformed) == 3 and "outcome 1 is named 'Delta'" in parsed.malformed[0]
    # the same names are right for the teams the other way round: the shape keys as the first time
    assert _keys(_msport(_swapped(body), 12)) == MSPORT_ROWS


def _swapped(body: dict[str, Any]) -> dict[str, Any]:
    swapped = copy.deepcopy(body)
    swapped["homeTeam"], swapped["awayTeam"] = body["awayTeam"], body["homeTeam"]
    return swapped


def test_msport_a_hostile_state_costs_its_outcome_on_a_known_shape() -> None:
    _msport(_msport_body(11, "Alpha FC", "Beta United"), 11)
    body = _msport_body(11, "Alpha FC", "Beta United")
    body["markets"][1]["outcomes"][0]["isActive"] = True  # 1 and true are equal keys: not 0 or 1 here
    parsed = _msport(body, 11)
    assert _keys(parsed).keys() == MSPORT_ROWS.keys() - {(18, "total=2.5", 12)}
    assert parsed.malformed == [
        "msport odds payload at data.markets[1].outcomes[0].isActive: 'True' is not 0 or 1"
    ]


def test_msport_an_outcome_id_of_another_type_makes_another_shape() -> None:
    _msport(_msport_body(11, "Alpha FC", "Beta United"), 11)
    body = _msport_body(11, "Alpha FC", "Beta United")
    body["markets"][1]["outcomes"][1]["id"] = 13  # a number, not text: refused, as it always was
    parsed = _msport(body, 11)
    assert _keys(parsed).keys() == MSPORT_ROWS.keys() - {(18, "total=2.5", 13)}
    assert len(parsed.malformed) == 1 and "outcome id '13' is not text" in parsed.malformed[0]


def test_msport_a_market_listed_twice_is_counted_once_at_its_prices_and_set_aside_at_others() -> None:
    _msport(_msport_body(11, "Alpha FC", "Beta United"), 11)
    body = _msport_body(11, "Alpha FC", "Beta United")
    body["markets"].append(copy.deepcopy(body["markets"][1]))
    parsed = _msport(body, 11)
    assert _keys(parsed) == MSPORT_ROWS and not parsed.malformed and parsed.duplicate_listings == 2
    body["markets"][2]["outcomes"][0]["odds"] = "2.50"  # over 2.5 at 1.90 and at 2.50: two bets, one key
    parsed = _msport(body, 11)
    assert _keys(parsed) == {key: row for key, row in MSPORT_ROWS.items() if key != (18, "total=2.5", 12)}
    assert len(parsed.malformed) == 2 and all(
        "at 1.9 and " in reason
        and reason.endswith("at 2.5 read to the key (18, 'total=2.5', 12) at different prices")
        for reason in parsed.malformed
    )


def test_msport_a_team_named_like_an_outcome_is_not_keyed_by_a_plan_made_for_other_teams() -> None:
    plain = _msport_body(11, "Alpha FC", "Beta United")
    plain["markets"][0]["outcomes"][0]["description"] = "Home"
    plain["markets"][0]["outcomes"][2]["description"] = "Away"
    assert _keys(_msport(plain, 11)) == MSPORT_ROWS  # names that name no team: a plan for any other teams
    body = copy.deepcopy(plain)
    body["homeTeam"] = "Draw"  # now outcome 2 "Draw" names the home side, which UOF's outcome 2 is not
    parsed = _msport(body, 11)
    assert _keys(parsed).keys() == {(18, "total=2.5", 12), (18, "total=2.5", 13)}
    assert len(parsed.malformed) == 3
    assert "outcome 2 is named 'Draw'; UOF's outcome 2 of market 1 is 'draw'" in parsed.malformed[0]


# ------------------------------------------------------------------------------------------------ Betway


def _betway_outcome(
    market: str, line: str, number: int, name: str, sbv: str, handicap: Any
) -> dict[str, Any]:
    group = f"{market}{line}"
    return {
        "outcomeId": f"{group}{number}",
        "marketId": market,
        "originalMarketId": group,
        "name": name,
        "sbv": sbv,
        "handicap": handicap,
        "isTradingActive": True,
    }


def _betway_market(market_id: str, sr_id: int, name: str, subscription: int) -> dict[str, Any]:
    return {
        "marketId": market_id,
        "eventId": sr_id,
        "isActive": True,
        "isSuspended": False,
        "name": name,
        "displayName": name,
        "handicap": 0,
        "subscriptionId": subscription,
    }


def _betway_body(sr_id: int, home: str, away: str) -> dict[str, Any]:
    event = str(sr_id)
    one_x_two, total = f"{event}1", f"{event}18"
    outcomes = [
        _betway_outcome(one_x_two, "", 1, home, "", 0),
        _betway_outcome(one_x_two, "", 2, "Draw", "", 0),
        _betway_outcome(one_x_two, "", 3, away, "", 0),
        _betway_outcome(total, "total=1~", 12, "Over", " (1)", 1),
        _betway_outcome(total, "total=1~", 13, "Under", " (1)", 1),
    ]
    decimals = [2.10, 3.30, 3.60, 1.90, 1.95]
    return {
        "sportEvent": {"eventId": sr_id, "homeTeam": home, "awayTeam": away, "sportId": "soccer"},
        "marketsInGroup": [
            _betway_market(one_x_two, sr_id, "1X2", 1),
            _betway_market(total, sr_id, "[Total goals]", 18),
        ],
        "outcomes": outcomes,
        "prices": [
            {
                "outcomeId": o["outcomeId"],
                "priceDecimal": d,
                "numerator": round((d - 1) * 100),
                "denominator": 100,
            }
            for o, d in zip(outcomes, decimals, strict=True)
        ],
    }


def _betway(body: Any, sr_id: int) -> EventOdds:
    return betway.parse_odds(body, sr_id=sr_id, captured_at=AT)


BETWAY_ROWS = {
    (1, "", 1): (2.10, "open"),
    (1, "", 2): (3.30, "open"),
    (1, "", 3): (3.60, "open"),
    (18, "total=1", 12): (1.90, "open"),
    (18, "total=1", 13): (1.95, "open"),
}


def test_betway_the_same_shape_keys_alike_for_other_teams_and_prices() -> None:
    first = _betway(_betway_body(11, "Alpha FC", "Beta United"), 11)
    body = _betway_body(12, "Gamma", "Delta")
    body["prices"][3].update(priceDecimal=2.40, numerator=140)  # a price is the event's, never the plan's
    body["marketsInGroup"][1]["isSuspended"] = True
    second = _betway(body, 12)
    assert _keys(first) == BETWAY_ROWS
    assert first.open_outcomes == first.mapped_outcomes == 5 and not first.malformed
    assert _keys(second) == {
        **{key: value for key, value in BETWAY_ROWS.items() if key[0] == 1},
        (18, "total=1", 12): (2.40, "suspended"),
        (18, "total=1", 13): (1.95, "suspended"),
    }
    assert second.open_outcomes == second.mapped_outcomes == 3 and {r.sr_id for r in second.rows} == {12}


def test_betway_sides_named_the_other_way_round_are_caught_on_a_known_shape() -> None:
    assert _keys(_betway(_betway_body(12, "Gamma", "Delta"), 12)) == BETWAY_ROWS
    swapped = _betway_body(12, "Delta", "Gamma")  # outcome 1 named "Delta", 3 "Gamma"
    swapped["sportEvent"].update(homeTeam="Gamma", awayTeam="Delta")
    parsed = _betway(swapped, 12)
    assert _keys(parsed).keys() == {(18, "total=1", 12), (18, "total=1", 13)}
    assert len(parsed.malformed) == 3
    assert "outcome 1 is named 'Delta'; UOF's outcome 1 of market 1 is 'home'" in parsed.malformed[0]


def test_betway_a_market_refused_on_a_plan_made_for_another_event_is_counted_under_this_events_id() -> None:
    for sr_id in (11, 12):  # one shape (the ids after the event's alike), two events
        body = _betway_body(sr_id, "Alpha FC", "Beta United")
        body["outcomes"][0]["name"] = "Beta United"  # outcome 1 (home) named as the away team
        parsed = _betway(body, sr_id)
    assert _keys(parsed).keys() == {(18, "total=1", 12), (18, "total=1", 13)}
    assert parsed.unmapped == {"malformed:121": 3}
    assert (
        parsed.malformed
        == ["betway: market '121': outcome 1 is named 'Beta United'; UOF's outcome 1 of market 1 is 'home'"]
        * 3
    )


def test_betway_a_team_named_in_1_x_2_is_not_keyed_by_a_plan_made_for_plain_teams() -> None:
    assert _keys(_betway(_betway_body(11, "Alpha FC", "Beta United"), 11)) == BETWAY_ROWS
    parsed = _betway(_betway_body(12, "1 2", "Delta"), 12)  # "1 2" reads as home and away, not the home side
    assert _keys(parsed).keys() == {(18, "total=1", 12), (18, "total=1", 13)}
    assert len(parsed.malformed) == 3 and "outcome 1 is named '1 2'" in parsed.malformed[0]


def test_betway_a_handicap_of_another_type_makes_another_shape() -> None:
    _betway(_betway_body(11, "Alpha FC", "Beta United"), 11)
    body = _betway_body(11, "Alpha FC", "Beta United")
    body["outcomes"][3]["handicap"] = True  # equal to 1 as a key, but not a number
    parsed = _betway(body, 11)
    assert _keys(parsed).keys() == {(1, "", 1), (1, "", 2), (1, "", 3)}
    assert len(parsed.malformed) == 2
    assert "outcome 12 handicap is 'True', not a number" in parsed.malformed[0]


def test_betway_a_price_its_fraction_denies_costs_its_outcome_on_a_known_shape() -> None:
    _betway(_betway_body(11, "Alpha FC", "Beta United"), 11)
    body = _betway_body(11, "Alpha FC", "Beta United")
    body["prices"][4]["numerator"] = 300  # 4.00, not 1.95
    parsed = _betway(body, 11)
    assert _keys(parsed).keys() == BETWAY_ROWS.keys() - {(18, "total=1", 13)}
    assert parsed.malformed == ["betway: outcomes[4]: priceDecimal 1.95 disagrees with its fraction 300/100"]
    assert parsed.unread_lines == {(18, "total=1")}


def test_betway_a_market_listed_twice_in_the_answer_is_set_aside_each_time() -> None:
    _betway(_betway_body(11, "Alpha FC", "Beta United"), 11)
    body = _betway_body(11, "Alpha FC", "Beta United")
    body["marketsInGroup"].append(copy.deepcopy(body["marketsInGroup"][0]))
    parsed = _betway(body, 11)
    assert _keys(parsed) == {key: value for key, value in BETWAY_ROWS.items() if key[0] == 18}
    assert len(parsed.malformed) == 3 and all("is not listed" in reason for reason in parsed.malformed)


def _long_line(body: dict[str, Any], zeros: int) -> None:
    """The total's line written "1.000...0" (UOF's 1): its outcome ids grow by ``zeros`` characters."""
    line = "total=1." + "0" * zeros + "~"
    for item in (*body["outcomes"], *body["prices"]):
        for field in ("outcomeId", "originalMarketId"):
            if field in item:
                item[field] = item[field].replace("total=1~", line)


def test_betway_an_id_past_its_limit_for_a_longer_event_id_is_set_aside_on_a_known_shape() -> None:
    short = _betway_body(11, "Alpha FC", "Beta United")
    _long_line(short, 185)  # "11" "18" "total=1." 185 zeros "~" "12": 200 characters, the limit
    assert _keys(_betway(short, 11)) == BETWAY_ROWS
    longer = _betway_body(1111, "Alpha FC", "Beta United")
    _long_line(longer, 185)  # the same ids after the event's, two characters longer: 202
    parsed = _betway(longer, 1111)
    assert _keys(parsed).keys() == {(1, "", 1), (1, "", 2), (1, "", 3)}
    assert len(parsed.malformed) == 2 and all("id is 202 characters" in m for m in parsed.malformed)


def _known_shape_and(change: Any) -> EventOdds:
    """Parse the body once (its plans made), then a copy changed by ``change``."""
    _betway(_betway_body(11, "Alpha FC", "Beta United"), 11)
    body = _betway_body(11, "Alpha FC", "Beta United")
    change(body)
    return _betway(body, 11)


def test_betway_an_outcome_lacking_its_trading_flag_costs_itself_on_a_known_shape() -> None:
    parsed = _known_shape_and(lambda body: body["outcomes"][4].pop("isTradingActive"))
    assert _keys(parsed) == {key: value for key, value in BETWAY_ROWS.items() if key != (18, "total=1", 13)}
    assert parsed.malformed == ["betway: outcomes[4]: isTradingActive is 'None', not true or false"]
    assert parsed.unread_lines == {(18, "total=1")}


def test_betway_outcomes_lacking_their_line_text_are_keyed_by_their_ids_and_handicaps() -> None:
    def drop_sbv(body: dict[str, Any]) -> None:
        for outcome in body["outcomes"]:
            del outcome["sbv"]

    parsed = _known_shape_and(drop_sbv)
    assert _keys(parsed) == BETWAY_ROWS and not parsed.malformed


def test_betway_a_price_listed_twice_costs_its_outcome_on_a_known_shape_unless_it_says_the_same() -> None:
    assert _keys(_known_shape_and(lambda body: body["prices"].append(dict(body["prices"][3])))) == BETWAY_ROWS

    def twice_apart(body: dict[str, Any]) -> None:
        body["prices"].append({**body["prices"][3], "priceDecimal": 9.5, "numerator": 17, "denominator": 2})

    parsed = _known_shape_and(twice_apart)
    assert _keys(parsed) == {key: value for key, value in BETWAY_ROWS.items() if key != (18, "total=1", 12)}
    assert parsed.malformed == ["betway: outcomes[3]: outcome '1118total=1~12' is priced twice"]


def test_betway_a_price_written_as_text_keys_alike_and_one_not_a_number_costs_its_outcome() -> None:
    assert _keys(_known_shape_and(lambda body: body["prices"][0].update(priceDecimal="2.10"))) == BETWAY_ROWS
    parsed = _known_shape_and(lambda body: body["prices"][0].update(priceDecimal="abc"))
    assert _keys(parsed) == {key: value for key, value in BETWAY_ROWS.items() if key != (1, "", 1)}
    assert parsed.malformed == ["betway: outcomes[0]: price 'abc' is not a number"]


def test_betway_a_market_flag_neither_true_nor_false_sets_its_market_aside_on_a_known_shape() -> None:
    parsed = _known_shape_and(lambda body: body["marketsInGroup"][1].update(isActive="yes"))
    assert _keys(parsed) == {key: value for key, value in BETWAY_ROWS.items() if key[0] == 1}
    assert parsed.malformed == ["betway: market '1118total=1~': isActive 'yes' is not true or false"] * 2
