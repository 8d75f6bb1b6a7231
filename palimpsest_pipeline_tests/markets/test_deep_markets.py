"""Deep markets read by the grammar: cards and bookings, goal ranges with a result, the half of the first
goal, injury-time goals, two scopes in one name, a bet at half time with another at full time, and BetPawa's
player markets. Market names are the books' own (Bet9ja's ``D.MK``, issue 32's unseen matches); each UOF id
and outcome id expected here is checked against SportRadar's published catalogue in ../shared/uof."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from palimpsest_pipeline.books.betpawa import odds as betpawa_parser
from palimpsest_pipeline.markets.combinations import ALL_OF, combination_key
from palimpsest_pipeline.markets.grammar import betpawa
from palimpsest_pipeline.markets.grammar.canonical import DESCRIBED
from palimpsest_pipeline.markets.grammar.description import Description, Key, Refusal
from palimpsest_pipeline.markets.grammar.outcomes import implied_bet
from palimpsest_pipeline.markets.grammar.phrases import read_market_name
from palimpsest_pipeline.markets.grammar.resolve import resolve
from palimpsest_pipeline.markets.players import name_key

UOF_XML = (
    Path(__file__).resolve().parents[2] / ".." / "shared" / "uof" / "invariant_market_descriptions_en.xml"
)


@cache
def _uof() -> dict[int, tuple[str, dict[int, str]]]:
    if not UOF_XML.exists():
        pytest.skip(f"UOF catalogue not available ({UOF_XML} is absent: ../shared is not mounted)")
    root = ET.fromstring(UOF_XML.read_text(encoding="utf-8").lstrip("\ufeff"))
    return {
        int(m.attrib["id"]): (
            m.attrib["name"],
            {int(o.attrib["id"]): o.attrib["name"] for o in m.iter("outcome") if o.attrib["id"].isdigit()},
        )
        for m in root.iter("market")
    }


def _uof_says(market: int, name: str, outcomes: dict[int, str] | None = None) -> None:
    """The published catalogue names ``market`` so, with these outcome ids."""
    published_name, published = _uof()[market]
    assert published_name == name
    for outcome, text in (outcomes or {}).items():
        assert published[outcome] == text


def _keys(name: str, labels: list[str], sport: str = "football", **line: str) -> list[Key | Refusal]:
    described = read_market_name(name, unnamed_bet=implied_bet(labels))
    assert isinstance(described, Description), described
    resolution = resolve(described.with_params(**line), [(str(i), t) for i, t in enumerate(labels)], sport)
    return [resolution.keys[str(i)] for i in range(len(labels))]


@pytest.mark.parametrize(
    ("name", "reading"),
    [
        ("Number Cards Home", "bookings match home exact"),
        ("Red Card Away", "bookings match away sendingoff"),
        ("First Card HT", "bookings 1h match goalnr [bookingnr=1]"),
        ("Total Cards", "bookings match match total"),
        ("DC + Multi Goal 4-5", "score match match dc&range [range=4-5]"),
        ("DC & Multi Goal 1-2", "score match match dc&range [range=1-2]"),
        ("1X2 + Multi Goal 3-4", "score match match 1x2&range [range=3-4]"),
        ("Half 1st Goal", "score match match firstgoalhalf"),
        ("Half 1st Goal Away", "score match away firstgoalhalf"),
        ("Goal Injury Time", "score injurytime match toscore"),
        ("Number Corner", "corners match match exact"),
        ("2nd Half - Home/Away Over/Under", "score 2h each total"),
        ("Double Chance Half Time/1X2 Full Time", "score match match htft.dc.1x2"),
        ("1X2 Half Time/Double Chance Full Time", "score match match htft.1x2.dc"),
        ("Double Chance Half Time/Full Time ", "score match match htft.dc.dc"),
        ("Anytime Goalscorer", "score match match anytimescorer"),
        ("First Goalscorer", "score match match scorer [goalnr=1]"),
        ("Last Goalscorer", "score match match lastscorer"),
        ("Player to Score or Assist", "score match player scoreorassist"),
        ("Player to be Carded", "score match player carded"),
        ("Player Shots on Target", "shotsontarget match player total"),
        ("Player Saves", "saves match player total"),
    ],
)
def test_deep_market_names_read_into_descriptions(name: str, reading: str) -> None:
    described = read_market_name(name)
    assert isinstance(described, Description), described
    assert described.text() == reading


@pytest.mark.parametrize(
    ("name", "unknown"),
    [("Both teams least Cards", "both teams least"), ("Yellow Cards", "yellow"), ("HT Shots", "no bet type")],
)
def test_deep_names_it_cannot_read_are_refused_with_the_reason(name: str, unknown: str) -> None:
    refused = read_market_name(name)
    assert isinstance(refused, Refusal)
    assert unknown in refused.reason


def test_a_red_card_is_uofs_sending_off_for_that_side() -> None:
    _uof_says(148, "{$competitor2} sending off", {74: "yes", 76: "no"})
    assert _keys("Red Card Away", ["Yes", "No"]) == [(148, "", 74), (148, "", 76)]


def test_the_first_card_of_a_half_is_uofs_first_booking_of_that_half() -> None:
    _uof_says(150, "1st half - {!bookingnr} booking", {6: "{$competitor1}", 7: "none", 8: "{$competitor2}"})
    assert _keys("First Card HT", ["1", "No Card", "2"]) == [
        (150, "bookingnr=1", 6),
        (150, "bookingnr=1", 7),
        (150, "bookingnr=1", 8),
    ]


def test_cards_counted_are_uofs_bookings_exactly_where_the_list_is_uofs() -> None:
    _uof_says(139, "Total bookings", {12: "over {total}", 13: "under {total}"})
    _uof_says(143, "{$competitor1} exact bookings", {730: "0-1", 732: "2", 734: "3", 736: "4+"})
    assert _keys("Total Cards", ["Over", "Under"], total="4.5") == [
        (139, "total=4.5", 12),
        (139, "total=4.5", 13),
    ]
    assert _keys("Number Cards Home", ["0-1", "2", "3", "4+"]) == [(143, "", o) for o in (730, 732, 734, 736)]
    # "3+" is in no UOF list of home bookings: a canonical key, never UOF's "3" (exactly three)
    keys = _keys("Number Cards Home", ["0", "1", "2", "3+"])
    assert keys[2] == (143, "", 732)
    assert isinstance(keys[3], tuple) and keys[3][0] == DESCRIBED
    assert keys[3][1] == "market=bookings.match.home.exact"


def test_a_statistic_named_without_a_bet_reads_its_bet_from_the_labels() -> None:
    assert implied_bet(["Over", "Under"]) == "total"
    assert implied_bet(["1", "X", "2"]) == "1x2"
    assert implied_bet(["Yes", "No"]) == ""
    keys = _keys("HT Shots", ["Over", "Under"], total="9.5")
    assert keys == [
        (DESCRIBED, "market=shots.1h.match.total|total=9.5", 12),
        (DESCRIBED, "market=shots.1h.match.total|total=9.5", 13),
    ]


def test_a_result_with_a_goal_range_is_the_combination_of_the_two_uof_outcomes() -> None:
    _uof_says(548, "Multigoals", {1742: "4-5", 1739: "3-4"})
    _uof_says(10, "Double chance", {9: "{$competitor1} or draw"})
    _uof_says(1, "1x2", {2: "draw"})
    assert _keys("DC + Multi Goal 4-5", ["1X"]) == [combination_key(ALL_OF, [(10, "", 9), (548, "", 1742)])]
    assert _keys("1X2 + Multi Goal 3-4", ["X"]) == [combination_key(ALL_OF, [(1, "", 2), (548, "", 1739)])]


def test_the_half_of_a_teams_first_goal_is_made_of_half_totals() -> None:
    _uof_says(69, "1st half - {$competitor1} total", {12: "over {total}", 13: "under {total}"})
    _uof_says(91, "2nd half - {$competitor1} total", {12: "over {total}"})
    _uof_says(19, "{$competitor1} total", {13: "under {total}"})
    first, nogoal, second = _keys("Half 1st Goal Home", ["First Half", "No Goal Home", "Second Half"])
    assert first == (69, "total=0.5", 12)
    assert nogoal == (19, "total=0.5", 13)
    assert second == combination_key(ALL_OF, [(69, "total=0.5", 13), (91, "total=0.5", 12)])


def test_home_away_over_under_is_two_markets_one_per_side() -> None:
    _uof_says(92, "2nd half - {$competitor2} total", {13: "under {total}"})
    keys = _keys("2nd Half - Home/Away Over/Under", ["Home Over", "Away Under", "Over"], total="0.5")
    assert keys[:2] == [(91, "total=0.5", 12), (92, "total=0.5", 13)]
    assert isinstance(keys[2], Refusal)


def test_a_bet_at_half_time_with_another_at_full_time_is_their_combination() -> None:
    _uof_says(63, "1st half - double chance", {9: "{$competitor1} or draw"})
    _uof_says(1, "1x2", {3: "{$competitor2}"})
    assert _keys("Double Chance Half Time/1X2 Full Time", ["1X/2"]) == [
        combination_key(ALL_OF, [(63, "", 9), (1, "", 3)])
    ]
    assert isinstance(_keys("Double Chance Half Time/1X2 Full Time", ["1X/12"])[0], Refusal)


def test_a_goal_in_injury_time_is_over_half_a_goal_in_added_time() -> None:
    assert _keys("Goal Injury Time", ["Yes", "No"]) == [
        (DESCRIBED, "market=score.injurytime.match.total|total=0.5", 12),
        (DESCRIBED, "market=score.injurytime.match.total|total=0.5", 13),
    ]


# --- BetPawa's player markets: one row per player, the player named in the price's name -------------------


def _betpawa_market(name: str, prices: list[tuple[str, str | None]]) -> dict[str, Any]:
    rows = [
        {"id": str(i), "prices": [{"id": str(i), "typeId": "9", "name": text, "handicap": line, "odds": 5.0}]}
        for i, (text, line) in enumerate(prices)
    ]
    return {"marketType": {"id": "777000", "name": name, "displayName": name}, "row": rows}


def _read(name: str, prices: list[tuple[str, str | None]]) -> list[Key | Refusal]:
    keys = betpawa.read_market(_betpawa_market(name, prices), "football").keys
    return [keys[(i, 0)] for i in range(len(prices))]


def test_betpawas_goalscorers_are_uofs_keyed_by_each_players_name_key() -> None:
    _uof_says(38, "{!goalnr} goalscorer", {1716: "no goal"})
    _uof_says(39, "Last goalscorer")
    _uof_says(40, "Anytime goalscorer")
    mbappe = name_key("Kylian Mbappe")
    assert _read("First Goalscorer", [("Kylian Mbappe", None), ("No Goalscorer", None)]) == [
        (38, "goalnr=1|type=prematch", mbappe),
        (38, "goalnr=1|type=prematch", 1716),
    ]
    assert _read("Last Goalscorer", [("Mbappé, Kylian", None)]) == [(39, "type=prematch", mbappe)]
    assert _read("2nd Goalscorer", [("Kylian Mbappe", None)]) == [(38, "goalnr=2|type=prematch", mbappe)]


def test_betpawas_player_yes_bets_and_counts_are_canonical_per_player() -> None:
    mbappe = name_key("Kylian Sanmi Mbappe Lottin")
    assert _read("Player to Score or Assist", [("Kylian Sanmi Mbappe Lottin", None)]) == [
        (DESCRIBED, f"market=score.match.player.scoreorassist|player={mbappe}", 74)
    ]
    assert _read("Player Shots on Target", [("Kylian Sanmi Mbappe Lottin 2+", None)]) == [
        (DESCRIBED, f"market=shotsontarget.match.player.total|player={mbappe}|total=1.5", 12)
    ]
    saves = _read("Player Saves", [("Kylian Sanmi Mbappe Lottin Over", "2.5")])
    assert saves == [(DESCRIBED, f"market=saves.match.player.total|player={mbappe}|total=2.5", 12)]


def test_two_players_whose_names_key_alike_are_both_refused() -> None:
    first, second, third = _read(
        "Anytime Goalscorer", [("Jose Luis Garcia", None), ("García, José-Luis", None), ("Ann Smith", None)]
    )
    assert isinstance(first, Refusal) and isinstance(second, Refusal)
    assert third == (40, "type=prematch", name_key("Ann Smith"))


def test_the_betpawa_parser_stores_a_player_market_under_the_grammars_key() -> None:
    event = {
        "id": "1",
        "category": {"id": "2"},
        "markets": [_betpawa_market("Last Goalscorer", [("Kylian Mbappe", None), ("Ann Smith", None)])],
    }
    parse = betpawa_parser.parse_odds(event, sr_id=5, captured_at=datetime(2026, 11, 25, tzinfo=UTC))
    stored = {(r.market, r.specifier, r.outcome) for r in parse.rows}
    assert stored == {
        (39, "type=prematch", name_key("Kylian Mbappe")),
        (39, "type=prematch", name_key("Ann Smith")),
    }
    assert parse.open_outcomes == 2
