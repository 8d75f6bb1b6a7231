"""The grammar on SportyBet's own families and the Bet9ja names that say the same bets: hand-written names
and outcomes with hand-checked keys (UOF where UOF has the bet, else the canonical key), then the real
sr68995116 trio (skipped when ../shared is absent).
"""

from __future__ import annotations

from typing import Any

import pytest

from palimpsest_pipeline.books.bet9ja import odds as bet9ja_parser
from palimpsest_pipeline.books.betpawa import odds as betpawa_parser
from palimpsest_pipeline.books.sportybet import odds as sportybet_parser
from palimpsest_pipeline.markets.grammar import bet9ja
from palimpsest_pipeline.markets.grammar import uof_labels as sportybet_grammar
from palimpsest_pipeline.markets.grammar.canonical import DESCRIBED
from palimpsest_pipeline.markets.grammar.description import Description, Refusal
from palimpsest_pipeline.markets.grammar.outcomes import read_outcome_name
from palimpsest_pipeline.markets.grammar.phrases import read_market_name
from palimpsest_pipeline.markets.grammar.precedence import choose
from palimpsest_pipeline_tests.contract.parse_golden import sr_id_of
from palimpsest_pipeline_tests.markets.conftest import CAPTURED_AT, load_capture


@pytest.mark.parametrize(
    ("name", "reading"),
    [
        ("Any Team To Score 2 or More Goals in a Row", "score match any inarow [goals=2]"),
        ("Home Team to lead by 3 Goals at any time", "score match home leadby [margin=3]"),
        ("Goal Bounds - 1st Half", "score 1h match range"),
        ("Excluded Number of Goals - Away", "score match away excluded"),
        ("GG/NG 2+", "score match match btts 2+"),
        ("Team to Score", "score match match whichteamscores"),
        ("Home Score 1st Half", "score 1h home toscore"),
        ("Home Score Both Halves", "score match home scorebothhalves"),
        ("Home Win Both Halves", "score match home winbothhalves"),
        ("Away Win to 0 1st Half", "score 1h away wintonil"),
        ("Half Most Corner", "corners match match highesthalf"),
        ("Over/Under Asian", "score match match total"),
        ("Score 20 Minutes", "score minutes match toscore 20min [from=1,to=20]"),
        ("1X2 - 10 Minutes", "score minutes match 1x2 10min [from=1,to=10]"),
        ("1X2 from 1 to 10 minute", "score minutes match 1x2 10min [from=1,to=10]"),
        ("10 minutes - 1x2 from {from} to {to}", "score minutes match 1x2 10min [from=?,to=?]"),
        ("Total Score Over/Under - FT - Home Team", "score match home total"),
        # issue 52: BetPawa's goalscorer by number, its goal number in the row ("number": 1)
        ("Goalscorer nr", "score match match scorer [goalnr=?]"),
        ("Next Goalscorer - (Goal {handicap})", "score match match scorer [goalnr=?]"),
        ("Next Goal (Goal {handicap})", "score match match goalnr [goalnr=?]"),
        # BetPawa's most bookings: which side gets more, or neither (UOF's "Booking 1x2", "1st half - ...")
        ("Team with most bookings 3 Way - FT", "bookings match match 1x2"),
        ("Team With Most Bookings 3 Way | First Half", "bookings 1h match 1x2"),
        ("Booking 1x2", "bookings match match 1x2"),
        ("1st half - booking 1x2", "bookings 1h match 1x2"),
        # Betway's player statistics with the count in the name (its id: count=N), and a player's goal
        ("Player 1+ Shots On Target", "shotsontarget match player total [atleast=1]"),
        ("Player 3+ Shots On Target", "shotsontarget match player total [atleast=3]"),
        ("Player 1+ Assists", "assists match player total [atleast=1]"),
        ("Player To Score From Outside Of The Box", "score match player toscore outsidebox"),
        ("To Score From Outside The Box", "score match match toscore outsidebox"),
        # BetPawa's player statistics whose count is in each row (no count in the name)
        ("Player shots", "shots match player total"),
        ("Player shots on target", "shotsontarget match player total"),
        ("Player saves", "saves match player total"),
        # Betway's and MSport's early-win 1X2s; BetPawa's and UOF's "to qualify"
        ("1X2 (3Up)", "score match match 1x2 3up"),
        ("1X2 - 2UP", "score match match 1x2 2up"),
        ("To Qualify", "score match match qualify"),
        ("To qualify", "score match match qualify"),
        # the families issue 52 lists, as BetPawa, Bet9ja and Betway word them
        ("1X2 & Both Teams To Score & Over/Under", "score match match 1x2&btts&total"),
        ("1X2 + Goal/No Goal + Over/Under", "score match match 1x2&btts&total"),
        ("Goal Range", "score match match range"),
        ("Anytime Correct Score", "score match match cs anytime"),
    ],
)
def test_family_names_read_into_descriptions(name: str, reading: str) -> None:
    description = read_market_name(name)
    assert isinstance(description, Description) and description.text() == reading


@pytest.mark.parametrize(
    "name",
    [
        "Over/Under - Early Goals",
        "No Draw Both Teams To Score Yes/No",
        "Both teams least Cards",
        # a "most" without the draw named may be a two-way bet: not read as a 1X2
        "Team with most bookings",
        # the result is the goals', the total the corners' or cards': one counted cannot say so
        "1X2 & Total Corners",
        "1X2 and Total Cards",
        # "Over/Under" is a bet here, not the word for the count: a combination the grammar does not make
        "Score in Both Halves & Over/Under",
    ],
)
def test_family_names_it_cannot_read_with_certainty_are_refused(name: str) -> None:
    assert isinstance(read_market_name(name), Refusal)


@pytest.mark.parametrize(
    ("text", "bet", "token"),
    [
        ("1-5+", "range", "1+"),  # goal bounds up to "5+": one goal or more
        ("0-1", "range", "0-1"),
        ("5+", "excluded", "5+"),
        ("Corner Over", "total", "over"),
        ("Yes", "leadby", "yes"),
    ],
)
def test_family_outcomes_read_into_tokens(text: str, bet: str, token: str) -> None:
    assert read_outcome_name(text, bet) == token


def _sportybet(market_id: str, desc: str, specifier: str, outcomes: list[tuple[str, str]]) -> dict[str, Any]:
    keys = sportybet_grammar.read_market(
        {
            "id": market_id,
            "name": "",
            "desc": desc,
            "specifier": specifier,
            "outcomes": [{"id": ref, "desc": text} for ref, text in outcomes],
        },
        "football",
        "Wuhan",
        "Qingdao",
    )
    return keys


def _bet9ja(market: str, name: str, outcomes: list[tuple[str, str]], line: str = "") -> dict[str, Any]:
    payload = {
        "MK": [
            {
                "ID": market,
                "DS": name,
                "SGNK": [k for k, _l in outcomes],
                "SGN": [label for _k, label in outcomes],
            }
        ],
        "O": {f"{market}{'@' + line if line else ''}_{k}": "2.0" for k, _l in outcomes},
    }
    return {key.rpartition("_")[2]: found for key, found in bet9ja.read_odds(payload).items()}


def test_a_first_minutes_result_is_uofs_window_market_on_both_books() -> None:
    # UOF 105 "10 minutes - 1x2 from {from} to {to}": home 1, draw 2, away 3
    sporty = _sportybet("900069", "1X2 from 1 to 10 minute", "minute=10", [("1", "Home"), ("2", "Draw")])
    nine = _bet9ja("S_1X21ST10MIN", "1X2 - 10 Minutes", [("1", "1"), ("X", "X")])
    assert sporty == {"1": (105, "from=1|to=10", 1), "2": (105, "from=1|to=10", 2)}
    assert nine == {"1": (105, "from=1|to=10", 1), "X": (105, "from=1|to=10", 2)}


def test_a_goal_in_the_first_minutes_is_over_half_a_goal_in_that_window() -> None:
    # no UOF 20-minute window: canonical; "Score 20 Minutes" yes == over 0.5 (over 12, under 13)
    canonical = "from=1|market=score.minutes.match.total.20min|to=20|total=0.5"
    sporty = _sportybet(
        "900313",
        "Total Goals Over/Under from 1 to 20 minute",
        "minute=20|total=0.5",
        [("30", "Over 0.5"), ("31", "Under 0.5")],
    )
    nine = _bet9ja("S_S20MIN", "Score 20 Minutes", [("YS20M", "Yes"), ("NS20M", "No")])
    assert sporty == {"30": (DESCRIBED, canonical, 12), "31": (DESCRIBED, canonical, 13)}
    assert nine == {"YS20M": (DESCRIBED, canonical, 12), "NS20M": (DESCRIBED, canonical, 13)}
    # five minutes: UOF 110 "5 minutes - total from {from} to {to}"
    five = _bet9ja("S_S5MIN", "Score 5 Minutes", [("YF5M", "Yes")])
    assert five == {"YF5M": (110, "from=1|to=5|total=0.5", 12)}


def test_a_minute_specifier_that_is_not_the_named_window_is_refused() -> None:
    keys = _sportybet("900069", "1X2 from 1 to 15 minute", "minute=20", [("1", "Home")])
    assert isinstance(keys["1"], Refusal)


def test_a_label_that_names_its_own_team_reads_and_one_naming_the_other_does_not() -> None:
    # UOF 167 "{$competitor1} total corners": over 12
    home = _bet9ja(
        "S_CORNERSHOMEOU",
        "Corners - Over/Under Home",
        [("HCO", "Home Corner Over"), ("ACO", "Away Corner Over")],
        "4.5",
    )
    assert home["HCO"] == (167, "total=4.5", 12) and isinstance(home["ACO"], Refusal)


def test_a_team_scoring_in_a_half_is_the_other_teams_clean_sheet_in_it() -> None:
    # UOF 77 "1st half - away clean sheet": home scores (yes) == away clean sheet no (76)
    keys = _bet9ja("S_1SCOREHT", "Home Score 1st Half", [("Y", "Yes"), ("N", "No")])
    assert keys == {"Y": (77, "", 76), "N": (77, "", 74)}


def test_an_asian_over_under_is_uofs_total_on_its_quarter_line() -> None:
    keys = _bet9ja("S_OUA", "Over/Under Asian", [("O", "Over"), ("U", "Under")], "2.75")
    assert keys == {"O": (18, "total=2.75", 12), "U": (18, "total=2.75", 13)}


def test_sportybet_own_families_get_canonical_keys_from_their_meaning() -> None:
    lead = _sportybet("60300", "Any Team to lead by 1 Goal at any time", "", [("74", "Yes"), ("76", "No")])
    assert lead == {
        "74": (DESCRIBED, "margin=1|market=score.match.any.leadby", 74),
        "76": (DESCRIBED, "margin=1|market=score.match.any.leadby", 76),
    }
    row = _sportybet("60011", "Home Team To Score 2 or More Goals in a Row", "", [("74", "Yes")])
    assert row == {"74": (DESCRIBED, "goals=2|market=score.match.home.inarow", 74)}
    excluded = _sportybet("450005", "Excluded Number of Goals - Home", "", [("0", "0"), ("3", "3+")])
    assert {ref: key[1] for ref, key in excluded.items()} == {
        "0": "market=score.match.home.excluded",
        "3": "market=score.match.home.excluded",
    }
    assert excluded["0"][2] != excluded["3"][2]


def test_a_canonical_reading_displaces_a_tables_sportybet_family_key_only() -> None:
    canonical = (DESCRIBED, "market=score.match.match.1x2.1up", 1)
    assert choose(canonical, (60200, "", 1)) == canonical
    assert choose(canonical, (1, "", 1)) == (1, "", 1)  # a table's UOF key stays
    assert choose(canonical, (2_000_001, "", 5)) == (2_000_001, "", 5)  # so does a combination
    assert choose(Refusal("no"), (60200, "", 1)) == (60200, "", 1)


TRIO = {
    "betpawa": (betpawa_parser, "betpawa/v3_event_sr68995116_prematch.json"),
    "bet9ja": (bet9ja_parser, "bet9ja/GetEvent_sr68995116_prematch.json"),
    "sportybet": (sportybet_parser, "sportybet/event_sr68995116_prematch.json"),
}


@pytest.fixture(scope="module")
def trio_prices() -> dict[str, dict[tuple[int, str, int], float]]:
    prices = {}
    for book, (parser, relative) in TRIO.items():
        rows = parser.parse_odds(
            load_capture(relative), sr_id=sr_id_of(relative), captured_at=CAPTURED_AT
        ).rows
        prices[book] = {
            (r.market, r.specifier, r.outcome): r.price for r in rows if r.state == "open" and r.price
        }
    return prices


def test_on_the_trio_only_the_refused_sportybet_families_keep_native_keys(
    trio_prices: dict[str, dict[tuple[int, str, int], float]],
) -> None:
    native = {key[0] for prices in trio_prices.values() for key in prices if 60_000 <= key[0] < 2_000_000}
    assert native == {60180, 900041}  # early goals, no draw & both teams to score: refused (see explain)


def test_on_the_trio_the_family_keys_priced_by_two_books_agree(
    trio_prices: dict[str, dict[tuple[int, str, int], float]],
) -> None:
    one_up = (DESCRIBED, "market=score.match.match.1x2.1up", 1)
    assert {book for book, prices in trio_prices.items() if one_up in prices} == set(TRIO)
    minutes = [key for key in trio_prices["sportybet"] if "score.minutes" in key[1] or 102 <= key[0] <= 110]
    met = [key for key in minutes if key in trio_prices["bet9ja"]]
    assert len(met) >= 20
    for key in met:
        ratio = trio_prices["sportybet"][key] / trio_prices["bet9ja"][key]
        assert 0.75 < ratio < 1.3, (key, ratio)
