"""Player markets of issue 52 on hand-written payloads modelled on the real responses' shapes: BetPawa v4
lists the players alone, each row giving the count they are bet to reach in four places (``row.handicap`` in
quarters, ``formattedHandicap``, ``specifier.number``, each price's ``handicap``); Betway lists players by
their SportRadar id under market ids UOF's catalogue lacks ("Player 2+ Shots On Target", ``count=2``).
Expected keys are written out by hand: "at least N" is the over of the line N - 0.5 (every book's "N+"),
canonical where UOF has no such market.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from palimpsest_pipeline.books.betpawa.odds import parse_odds as betpawa_odds
from palimpsest_pipeline.books.betway.odds import parse_odds as betway_odds
from palimpsest_pipeline.markets.players import name_key

AT = datetime(2026, 9, 20, 9, 0, tzinfo=UTC)
CANONICAL, OVER, YES, NO_GOAL = 2_000_003, 12, 74, 1716
LARIN, IDAH = "Cyle Larin", "Adam Idah"


def _row(count: int, prices: list[tuple[str, float]], **places: Any) -> dict[str, Any]:
    """A v4 row whose four places all say ``count`` unless ``places`` overrides one."""
    price_handicap = places.pop("price_handicap", str(count))
    row = {"handicap": count * 4, "formattedHandicap": str(count), "specifier": {"number": str(count)}}
    row.update(places)
    row["prices"] = [
        {"id": str(index), "name": name, "typeId": f"30{index}", "odds": odds, "handicap": price_handicap}
        for index, (name, odds) in enumerate(prices)
    ]
    return row


def _betpawa(type_id: str, name: str, rows: list[dict[str, Any]], shown: str | None = None) -> dict[str, Any]:
    market_type = {"id": type_id, "name": name, "displayName": shown or name}
    return {
        "id": "900052",
        "category": {"id": "2", "name": "Football"},
        "participants": [
            {"id": "1", "name": "Canada", "position": 1},
            {"id": "2", "name": "Ireland", "position": 2},
        ],
        "markets": [{"marketType": market_type, "row": rows}],
    }


def _keys(payload: dict[str, Any]) -> list[tuple[int, str, int, float | None]]:
    parse = betpawa_odds(payload, sr_id=72339802, captured_at=AT)
    return sorted((row.market, row.specifier, row.outcome, row.price) for row in parse.rows)


def _player_total(counted: str, player: int, line: str) -> str:
    return f"market={counted}.match.player.total|player={player}|total={line}"


def test_betpawa_counts_in_rows_are_each_players_over_of_the_count_less_a_half() -> None:
    rows = [_row(1, [(LARIN, 1.21), (IDAH, 1.48)]), _row(2, [(LARIN, 3.4)])]
    larin, idah = name_key(LARIN), name_key(IDAH)
    assert _keys(_betpawa("28000819", "Player shots on target", rows)) == sorted(
        [
            (CANONICAL, _player_total("shotsontarget", larin, "0.5"), OVER, 1.21),
            (CANONICAL, _player_total("shotsontarget", idah, "0.5"), OVER, 1.48),
            (CANONICAL, _player_total("shotsontarget", larin, "1.5"), OVER, 3.4),
        ]
    )


def test_betpawa_row_count_keys_as_sportybets_player_n_plus_would() -> None:
    """The same bet written the SportyBet way ("Cyle Larin 2+", no count in the row) keys alike."""
    in_row = _keys(_betpawa("28000818", "Player shots", [_row(2, [(LARIN, 2.2)])]))
    in_name = _keys(
        _betpawa(
            "28000818", "Player shots", [{"prices": [{"name": f"{LARIN} 2+", "typeId": "1", "odds": 2.2}]}]
        )
    )
    assert in_row == in_name == [(CANONICAL, _player_total("shots", name_key(LARIN), "1.5"), OVER, 2.2)]


def test_betpawa_row_places_that_disagree_set_the_row_aside_naming_both() -> None:
    rows = [_row(1, [(LARIN, 1.21)]), _row(1, [(IDAH, 1.48)], formattedHandicap="2")]
    parse = betpawa_odds(_betpawa("28000819", "Player shots on target", rows), sr_id=1, captured_at=AT)
    assert [(row.specifier, row.price) for row in parse.rows] == [
        (_player_total("shotsontarget", name_key(LARIN), "0.5"), 1.21)
    ]
    assert len(parse.malformed) == 1
    assert "row.handicap=4" in parse.malformed[0] and "formattedHandicap='2'" in parse.malformed[0]


def test_betpawa_a_price_handicap_unlike_its_row_sets_the_row_aside() -> None:
    rows = [_row(1, [(LARIN, 1.21)], price_handicap="3")]
    parse = betpawa_odds(_betpawa("28000819", "Player shots on target", rows), sr_id=1, captured_at=AT)
    assert parse.rows == []
    assert len(parse.malformed) == 1 and "prices[0].handicap='3'" in parse.malformed[0]


def test_betpawa_a_count_of_no_whole_number_is_not_keyed() -> None:
    rows = [
        _row(
            1,
            [(LARIN, 1.21)],
            handicap=6,
            formattedHandicap="1.5",
            specifier={"number": "1.5"},
            price_handicap="1.5",
        )
    ]
    assert _keys(_betpawa("28000819", "Player shots on target", rows)) == []


def test_betpawa_goalscorer_by_number_is_uofs_goalscorer_of_the_rows_goal() -> None:
    rows = [_row(1, [(LARIN, 5.35), (IDAH, 7.9)])]
    shown = "Next Goalscorer - (Goal {handicap})"
    assert _keys(_betpawa("129110", "Goalscorer nr", rows, shown)) == sorted(
        [
            (38, "goalnr=1|type=prematch", name_key(LARIN), 5.35),
            (38, "goalnr=1|type=prematch", name_key(IDAH), 7.9),
        ]
    )


def test_betpawa_no_last_goal_is_uofs_no_goal_not_a_player() -> None:
    rows = [
        {"prices": [{"name": LARIN, "typeId": "1", "odds": 5.35}]},
        {"prices": [{"name": "No Last Goal", "typeId": "2", "odds": 12.7}]},
    ]
    assert _keys(_betpawa("129109", "Last Goalscorer", rows)) == sorted(
        [(39, "type=prematch", name_key(LARIN), 5.35), (39, "type=prematch", NO_GOAL, 12.7)]
    )


def test_betpawa_player_sent_off_yes_no_names_no_player() -> None:
    """ "Player Sent Off" priced Yes/No says which player nowhere: neither answer is a player's key."""
    rows = [
        {"prices": [{"name": "Yes", "typeId": "1", "odds": 4.2}, {"name": "No", "typeId": "2", "odds": 1.2}]}
    ]
    parse = betpawa_odds(_betpawa("990001", "Player Sent Off", rows), sr_id=1, captured_at=AT)
    assert parse.rows == [] and parse.open_outcomes == 2


def test_betpawa_most_bookings_three_way_is_uofs_booking_1x2() -> None:
    prices = [("1", 4.33), ("X", 4.18), ("2", 1.59)]
    full, half = (
        {
            "prices": [
                {"name": name, "typeId": f"{base}{index}", "odds": odds}
                for index, (name, odds) in enumerate(prices)
            ]
        }
        for base in ("10", "11")
    )
    assert _keys(_betpawa("1096774", "Team with most bookings 3 Way - FT", [full])) == [
        (136, "", 1, 4.33),
        (136, "", 2, 4.18),
        (136, "", 3, 1.59),
    ]
    assert _keys(_betpawa("1096775", "Team with most bookings 3 Way - 1H", [half])) == [
        (149, "", 1, 4.33),
        (149, "", 2, 4.18),
        (149, "", 3, 1.59),
    ]


EVENT = 66457080


def _betway(markets: list[tuple[str, str, list[tuple[int, str, float]]]]) -> dict[str, Any]:
    """A Betway answer with ``markets`` (id after the event's, name, [(player's SR id, name, price)])."""
    groups, outcomes, prices = [], [], []
    for tail, name, players in markets:
        market_id = f"{EVENT}{tail}"
        number = int(tail.split("count")[0])
        groups.append(
            {"marketId": market_id, "isActive": True, "isSuspended": False, "eventId": EVENT, "name": name,
             "displayName": name, "handicap": 0, "subscriptionId": number}
        )  # fmt: skip
        for player, text, price in players:
            outcome_id = f"{market_id}{player}"
            outcomes.append(
                {"outcomeId": outcome_id, "isTradingActive": True, "marketId": market_id, "eventId": EVENT,
                 "name": text, "displayName": text, "sbv": "", "handicap": 0}
            )  # fmt: skip
            prices.append({"outcomeId": outcome_id, "numerator": round((price - 1) * 100), "denominator": 100,
                           "priceDecimal": price})  # fmt: skip
    event = {
        "eventId": EVENT,
        "isActive": True,
        "isLive": False,
        "name": "Curacao vs. Ivory Coast",
        "homeTeam": "Curacao",
        "awayTeam": "Ivory Coast",
        "sportId": "soccer",
        "expectedStartEpoch": 1782417600,
    }
    return {"marketsInGroup": groups, "outcomes": outcomes, "prices": prices, "sportEvent": event}


def _betway_keys(payload: dict[str, Any]) -> list[tuple[int, str, int, float | None]]:
    parse = betway_odds(payload, sr_id=EVENT, captured_at=AT)
    return sorted((row.market, row.specifier, row.outcome, row.price) for row in parse.rows)


def test_betway_player_markets_key_each_player_by_his_sportradar_id() -> None:
    payload = _betway(
        [
            ("1413count=2~", "Player 2+ Shots On Target", [(74545, "Bacuna, Leandro", 10.0)]),
            ("1415count=1~", "Player 1+ Assists", [(74545, "Bacuna, Leandro", 16.0)]),
            ("1404", "Player To Score From Outside Of The Box", [(191188, "Fofana, Seko", 40.0)]),
        ]
    )
    assert _betway_keys(payload) == sorted(
        [
            (CANONICAL, _player_total("shotsontarget", 74545, "1.5"), OVER, 10.0),
            (CANONICAL, _player_total("assists", 74545, "0.5"), OVER, 16.0),
            (CANONICAL, "market=score.match.player.toscore.outsidebox|player=191188", YES, 40.0),
        ]
    )


def test_betway_a_count_the_id_and_the_name_disagree_on_is_not_keyed() -> None:
    payload = _betway([("1413count=1~", "Player 2+ Shots On Target", [(74545, "Bacuna, Leandro", 10.0)])])
    parse = betway_odds(payload, sr_id=EVENT, captured_at=AT)
    assert parse.rows == []
    assert any("count=1" in reason and "2+" in reason for reason in parse.malformed)
