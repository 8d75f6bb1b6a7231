"""SportyBet's props: statistics listed as "<subject> N+" read as overs of N - 0.5 per subject, and yes-bets
listed one outcome per player; hand-written markets in the book's shape, keys worked out by hand (UOF 167 is
"{$competitor1} total corners", over = 12, yes = 74), and the refusals that keep a doubtful one unkeyed."""

from __future__ import annotations

from typing import Any

import pytest

from palimpsest_pipeline.markets.grammar import uof_labels as sportybet
from palimpsest_pipeline.markets.grammar.canonical import DESCRIBED
from palimpsest_pipeline.markets.grammar.description import Refusal

HOME, AWAY = "FC Alpha Rovers", "Beta Rovers"


def _market(name: str, outcomes: list[tuple[str, str]], desc: str | None = None) -> dict[str, Any]:
    return {
        "id": "800999",
        "name": name,
        "desc": desc or name,
        "status": 0,
        "outcomes": [{"id": ref, "desc": text, "odds": "2.00", "isActive": 1} for ref, text in outcomes],
    }


def _keys(market: dict[str, Any]) -> dict[str, Any]:
    return sportybet.read_market(market, "football", HOME, AWAY)


def test_a_player_threshold_is_the_players_over_keyed_by_the_player_id() -> None:
    keys = _keys(
        _market(
            "Player Fouls",
            [
                ("pre:playerprops:7:42:1:1", "Ann Smith (Alpha Rovers) 1+"),
                ("pre:playerprops:7:42:3:1", "Ann Smith (Alpha Rovers) 3+"),
            ],
        )
    )
    assert keys == {
        "pre:playerprops:7:42:1:1": (DESCRIBED, "market=fouls.match.player.total|player=42|total=0.5", 12),
        "pre:playerprops:7:42:3:1": (DESCRIBED, "market=fouls.match.player.total|player=42|total=2.5", 12),
    }


def test_period_and_qualifiers_stay_in_the_key() -> None:
    keys = _keys(_market("Player 2nd half shots on target", [("pre:playerprops:7:9:2:2", "Bo Li (Beta) 2+")]))
    assert keys["pre:playerprops:7:9:2:2"] == (
        DESCRIBED, "market=shotsontarget.2h.player.total|player=9|total=1.5", 12,
    )  # fmt: skip
    outside = _keys(_market("Player SOT outside box", [("pre:playerprops:7:9:1:2", "Bo Li (Beta) 1+")]))
    assert outside["pre:playerprops:7:9:1:2"] == (
        DESCRIBED, "market=shotsontarget.match.player.total.outsidebox|player=9|total=0.5", 12,
    )  # fmt: skip


def test_team_outcomes_take_the_side_their_team_name_is_part_of() -> None:
    keys = _keys(_market("Team Shots", [("800160:18", "Alpha Rovers 18+"), ("800160:111", "Beta 11+")]))
    assert keys == {
        "800160:18": (DESCRIBED, "market=shots.match.home.total|total=17.5", 12),
        "800160:111": (DESCRIBED, "market=shots.match.away.total|total=10.5", 12),
    }


def test_a_match_threshold_and_a_uof_market_where_uof_has_the_bet() -> None:
    # cards are UOF's bookings: on the deep capture SportyBet prices "Team Cards" home 3+ at 1.78 and its
    # "Home Team Total Bookings" over 2.5 at 1.80 (4+ 2.93, over 3.5 2.95)
    cards = _keys(_market("Match Cards", [("800063:4", "4+")]))
    assert cards["800063:4"] == (139, "total=3.5", 12)
    corners = _keys(_market("Home Team Corners", [("1", "6+")]))
    assert corners["1"] == (167, "total=5.5", 12)


@pytest.mark.parametrize(
    ("market", "why"),
    [
        (_market("Team Fouls", [("1", "4+")]), "names no team"),
        (_market("Team Fouls", [("1", "Rovers 4+")]), "not exactly one side"),  # both sides are Rovers
        (_market("Team Fouls", [("1", "Gamma 4+")]), "not exactly one side"),
        (
            _market("Player Fouls", [("pre:playerprops:7:42:2:1", "Ann Smith (Alpha Rovers) 3+")]),
            "no player id",
        ),
        (_market("Player Fouls", [("800291:3", "Ann Smith (Alpha Rovers) 3+")]), "no player id"),
        (
            _market("Player Fouls", [("pre:playerprops:7:42:3:1", "Ann Smith (Gamma) 3+")]),
            "not exactly one side",
        ),
        (
            _market(
                "Player Passes",
                [("pre:playerprops:7:42:3:1", "Ann Smith (Alpha Rovers) 3+")],
                desc="Player Total Accurate Passes",
            ),
            "different bets",
        ),
        (_market("Player Wibbles", [("pre:playerprops:7:42:3:1", "Ann Smith (Alpha Rovers) 3+")]), "wibbles"),
    ],
)
def test_doubtful_thresholds_are_refused_with_their_reason(market: dict[str, Any], why: str) -> None:
    (key,) = _keys(market).values()
    assert isinstance(key, Refusal) and why in key.reason


def test_a_list_that_is_not_all_thresholds_is_not_read_as_one() -> None:
    keys = _keys(_market("Team Fouls", [("1", "Alpha Rovers 4+"), ("2", "Draw")]))
    assert all(isinstance(key, Refusal) for key in keys.values())


def test_a_list_of_players_is_each_players_yes_keyed_by_the_player_id() -> None:
    header = _keys(_market("To Score a Header", [("pre:playerprops:7:42:1", "Ann Smith (Alpha Rovers)")]))
    assert header == {
        "pre:playerprops:7:42:1": (DESCRIBED, "market=score.match.player.toscore.header|player=42", 74)
    }
    first_half = _keys(_market("Player to score in 1st half", [("pre:playerprops:7:9:2", "Bo Li (Beta)")]))
    assert first_half == {"pre:playerprops:7:9:2": (DESCRIBED, "market=score.1h.player.toscore|player=9", 74)}


@pytest.mark.parametrize(
    ("market", "why"),
    [
        (
            _market("To Score a Header", [("pre:playerprops:7:42:2", "Ann Smith (Alpha Rovers)")]),
            "not the away",
        ),
        (_market("First Player Carded", [("pre:playerprops:7:42:1", "Ann Smith (Alpha Rovers)")]), "first"),
        (
            _market("Player Goals Odd/Even", [("pre:playerprops:7:42:1", "Ann Smith (Alpha Rovers)")]),
            "not yes/no",
        ),
    ],
)
def test_doubtful_player_lists_are_refused_with_their_reason(market: dict[str, Any], why: str) -> None:
    (key,) = _keys(market).values()
    assert isinstance(key, Refusal) and why in key.reason, key
