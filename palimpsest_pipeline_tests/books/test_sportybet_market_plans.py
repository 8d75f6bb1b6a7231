"""SportyBet's parse remembers what a market's keying needs from its id (its plan) with what each specifier
and player id ending was read as: a reading made for one specifier never keys another's rows, a refused
specifier is refused again with the same reason, one that is not text is set aside each time, whether an
equivalent market is dropped is decided per event, a player's outcome is keyed by its own id in every event
and listed on the roster once per way it is written (hand-written payloads; UOF 18 is total goals over 12 /
under 13, 900015 "home team to score" is UOF 32 "away clean sheet" with yes 39 = no 76 and no 40 = yes 74,
UOF 40 anytime goalscorer)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.books.sportybet.odds import parse_odds
from palimpsest_pipeline.markets.keying.plans import PLANS
from palimpsest_pipeline.markets.players import RosterPlayer

AT = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def _parse(*markets: dict[str, Any]) -> EventOdds:
    payload = {"bizCode": 10000, "data": {
        "eventId": "sr:match:1", "homeTeamName": "Alpha", "awayTeamName": "Beta",
        "sport": {"id": "sr:sport:1"}, "markets": list(markets),
    }}  # fmt: skip
    return parse_odds(payload, sr_id=1, captured_at=AT)


def _total(specifier: Any, line: str = "2.5") -> dict[str, Any]:
    return {"id": "18", "name": "Over/Under", "desc": "Over/Under", "status": 0, "specifier": specifier,
            "outcomes": [{"id": "12", "odds": "1.80", "isActive": 1, "desc": f"Over {line}"},
                         {"id": "13", "odds": "2.00", "isActive": 1, "desc": f"Under {line}"}]}  # fmt: skip


def _market(market_id: str, prices: dict[str, str]) -> dict[str, Any]:
    outcomes = [{"id": oid, "odds": odds, "isActive": 1} for oid, odds in prices.items()]
    return {"id": market_id, "status": 0, "outcomes": outcomes}


def _keys(parse: EventOdds) -> list[tuple[int, str, int]]:
    return [(row.market, row.specifier, row.outcome) for row in parse.rows]


def test_a_plan_made_for_one_specifier_never_keys_another() -> None:
    assert _keys(_parse(_total("total=2.5"))) == [(18, "total=2.5", 12), (18, "total=2.5", 13)]
    assert _keys(_parse(_total("total=3.50", "3.5"))) == [(18, "total=3.5", 12), (18, "total=3.5", 13)]
    assert _keys(_parse(_total(None, ""))) == [(18, "", 12), (18, "", 13)]


def test_a_refused_specifier_is_refused_each_time_with_the_same_reason() -> None:
    first, again = _parse(_total("total=abc")), _parse(_total("total=abc"))
    assert first.rows == again.rows == []
    assert first.malformed == again.malformed and len(first.malformed) == 1
    assert "data.markets[0].specifier" in first.malformed[0] and "'abc'" in first.malformed[0]
    assert first.unmapped == again.unmapped == {"malformed:18": 1}
    assert _keys(_parse(_total("total=2.5"))) == [(18, "total=2.5", 12), (18, "total=2.5", 13)]


def test_a_specifier_that_is_not_text_costs_its_market_each_time() -> None:
    for _ in range(2):
        parse = _parse(_total(["total=2.5"]), _total("total=2.5"))
        assert _keys(parse) == [(18, "total=2.5", 12), (18, "total=2.5", 13)]
        assert parse.malformed == [
            "sportybet odds payload at data.markets[0].specifier: not a specifier: \"['total=2.5']\""
        ]


def test_whether_an_equivalent_is_dropped_is_decided_per_event() -> None:
    home_to_score = _market("900015", {"39": "1.29", "40": "3.50"})
    clean_sheet = _market("32", {"74": "3.40", "76": "1.27"})
    both = _parse(home_to_score, clean_sheet)
    assert [(row.market, row.outcome, row.price) for row in both.rows] == [(32, 74, 3.40), (32, 76, 1.27)]
    alone = _parse(home_to_score)
    assert [(row.market, row.outcome, row.price) for row in alone.rows] == [(32, 76, 1.29), (32, 74, 3.50)]
    assert (alone.open_outcomes, alone.mapped_outcomes) == (2, 2)


def _players(market_id: str, *player_ids: str) -> dict[str, Any]:
    outcomes = [{"id": pid, "odds": "5.00", "isActive": 1} for pid in player_ids]
    return {"id": market_id, "status": 0, "specifier": "type=prematch", "outcomes": outcomes}


def test_a_players_outcome_is_keyed_by_the_number_ending_its_id_in_every_event() -> None:
    # UOF 40 (anytime goalscorer) takes the player's SportRadar id as its outcome, whatever the id's prefix
    first = _parse(_players("40", "sr:player:11", "sr:player:22"))
    assert _keys(first) == [(40, "type=prematch", 11), (40, "type=prematch", 22)]
    second = _parse(_players("40", "sr:player:22", "pre:playerprops:9:33", "sr:player:x"))
    assert _keys(second) == [(40, "type=prematch", 22), (40, "type=prematch", 33)]
    assert second.unmapped == {"40": 1}  # "x" is no number: unmapped, not keyed as another player
    # a SportyBet family keeps the id's prefix in its specifier: the same number is not the same outcome
    native = _parse(_players("800119", "sr:player:11", "pre:playerprops:9:11"))
    assert _keys(native) == [
        (800119, "outcome=sr:player|type=prematch", 11),
        (800119, "outcome=pre:playerprops:9|type=prematch", 11),
    ]


def test_the_names_line_is_checked_when_an_outcome_is_not_an_object() -> None:
    agreeing = _total("total=2.5")
    agreeing["outcomes"].insert(1, "not an object")
    parse = _parse(agreeing)
    assert _keys(parse) == [(18, "total=2.5", 12), (18, "total=2.5", 13)]
    assert len(parse.malformed) == 1 and "data.markets[0].outcomes[1]" in parse.malformed[0]
    disagreeing = _total("total=2.5")
    disagreeing["outcomes"][1]["desc"] = "Under 3.5"
    disagreeing["outcomes"].insert(1, "not an object")
    parse = _parse(disagreeing)
    assert parse.rows == [] and len(parse.malformed) == 3  # no outcome keyed: each set aside
    assert "total=2.5 disagrees with the name 'Under 3.5'" in parse.malformed[0]


def test_a_player_named_in_several_markets_is_listed_once_per_way_written() -> None:
    def goals(market_id: str, *outcomes: tuple[str, str]) -> dict[str, Any]:
        listed = [{"id": oid, "desc": desc, "odds": "3.00", "isActive": 1} for oid, desc in outcomes]
        return {"id": market_id, "status": 0, "specifier": "variant=pre:playerprops:9:11", "outcomes": listed}

    parse = _parse(
        goals(
            "775", ("pre:playerprops:9:11:1", "Sofia Vivi 1+"), ("pre:playerprops:9:11:2", "Sofia Vivi 2+")
        ),
        goals("776", ("pre:playerprops:9:11:1", "Sofia Vivi 1+")),
        _players("40", "sr:player:11"),  # no name: no roster entry
        {
            "id": "40",
            "status": 0,
            "outcomes": [{"id": "sr:player:11", "desc": "Vivi, Sofia", "odds": "4.00", "isActive": 1}],
        },
    )
    assert parse.roster == {RosterPlayer(11, "Sofia Vivi", ""), RosterPlayer(11, "Vivi, Sofia", "")}


def _own_1x2(home: str) -> list[tuple[int, str, int]]:
    """SportyBet's own "1X2 - 2UP" market on an event of ``home`` against "Beta"."""
    names = enumerate(("Home", "Draw", "Away"), 1)
    outcomes = [{"id": str(n), "odds": "2.50", "isActive": 1, "desc": desc} for n, desc in names]
    market = {"id": "60100", "name": "1X2 - 2UP", "desc": "1X2 - 2UP", "status": 0, "outcomes": outcomes}
    payload = {"bizCode": 10000, "data": {
        "eventId": "sr:match:1", "homeTeamName": home, "awayTeamName": "Beta",
        "sport": {"id": "sr:sport:1"}, "markets": [market],
    }}  # fmt: skip
    return _keys(parse_odds(payload, sr_id=1, captured_at=AT))


def test_a_plan_is_not_shared_with_a_team_the_padded_market_name_holds() -> None:
    # The grammar reads " 1x2 - 2up " with a team's name replaced: a team " 1x2" is in it, though not in
    # "1x2 - 2up"; the plan made for "Alpha" (named nowhere) must not key it.
    PLANS.clear()
    alone = _own_1x2(" 1x2")
    PLANS.clear()
    assert _own_1x2("Alpha")[0][0] == 2000003  # the 2UP 1X2, read from the name
    assert _own_1x2(" 1x2") == alone
