"""Keyed share of every real capture, and prices of newly mapped markets against SportyBet on the same match.

Keyed share = outcomes that reach a canonical key / open outcomes (the ``palimpsest parse`` header). The
floors are the measured figures (rounded down), so a mapping regression fails here; the issue's targets
(football 0.95, basketball and tennis 0.90) are asserted apart. Bet9ja football was at 0.73-0.75 on UOF
markets alone: its 1X2/DC + multigoal, triple combos, DC HT/FT, multi correct scores, exact corners... have
no UOF market and are now keyed as combinations of UOF outcomes (markets/combinations.py); what stays out
is second-half corners (no UOF market to build them from) and the ambiguous half exact goals "3". Files
marked HOLD-OUT were measured only after the rules were written from the others (for the combinations:
written from sr68995116's market descriptions; the next-goal match then gained only "no goal in 5 min").
"""

from __future__ import annotations

from typing import Any

import pytest

from palimpsest_pipeline.books.bet9ja import odds as bet9ja
from palimpsest_pipeline.books.betpawa import odds as betpawa
from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.books.sportybet import odds as sportybet
from palimpsest_pipeline_tests.contract.parse_golden import sr_id_of
from palimpsest_pipeline_tests.markets.conftest import CAPTURED_AT, load_capture

SHARES = [
    (betpawa, "betpawa/v3_event_sr68995116_prematch.json", 0.98),
    (betpawa, "betpawa/v3_event_sr71453210_basketball.json", 1.0),
    (betpawa, "betpawa/v3_event_sr71529092_tennis.json", 1.0),
    (betpawa, "betpawa/v4_event_sr67691078_prematch.json", 0.99),  # HOLD-OUT
    (bet9ja, "bet9ja/GetEvent_sr68995116_prematch.json", 0.97),
    (bet9ja, "bet9ja/GetEvent_sr71543524_tennis.json", 1.0),
    (bet9ja, "bet9ja/GetEvent_sr71427986_basketball.json", 1.0),
    (bet9ja, "bet9ja/GetEvent_sr71549302_next_goal.json", 0.99),  # HOLD-OUT
    # SportyBet speaks UOF: every outcome is keyed by construction (UOF keys, or native keys of its own
    # families); the deep Liga MX match with player props was at 0.46 before the whole catalogue. Less the
    # listings restating a UOF market at prices further than a tenth apart: set aside, two bets on one key.
    (sportybet, "sportybet/event_sr68995116_prematch.json", 0.99),
    (sportybet, "sportybet/event_sr71583282_asian_handicap.json", 0.99),
    (sportybet, "sportybet/event_sr71550420_basketball.json", 1.0),
    (sportybet, "sportybet/event_sr71529092_tennis.json", 1.0),
]


#: The issue's targets: keyed / open outcomes per real capture, by sport.
TARGETS = {"football": 0.95, "basketball": 0.90, "tennis": 0.90}


def _sport(relative: str) -> str:
    return "basketball" if "basketball" in relative else "tennis" if "tennis" in relative else "football"


@pytest.mark.parametrize(("module", "relative", "_floor"), SHARES, ids=[r for _m, r, _f in SHARES])
def test_keyed_share_meets_the_target_of_its_sport(module: Any, relative: str, _floor: float) -> None:
    parse = _parse(module, relative)
    assert parse.mapping_rate >= TARGETS[_sport(relative)], (relative, parse.mapping_rate, parse.unmapped)


def _parse(module: Any, relative: str) -> EventOdds:
    return module.parse_odds(load_capture(relative), sr_id=sr_id_of(relative), captured_at=CAPTURED_AT)


def _prices(parse: EventOdds) -> dict[tuple[int, str, int], float]:
    return {(r.market, r.specifier, r.outcome): r.price for r in parse.rows if r.state == "open" and r.price}


@pytest.mark.parametrize(("module", "relative", "floor"), SHARES, ids=[r for _m, r, _f in SHARES])
def test_keyed_share_of_each_capture(module: Any, relative: str, floor: float) -> None:
    parse = _parse(module, relative)
    assert parse.mapped_outcomes + sum(parse.unmapped.values()) == parse.open_outcomes
    assert parse.mapping_rate >= floor, (relative, parse.mapping_rate, parse.unmapped)


@pytest.mark.parametrize(
    ("module", "relative", "listed_keyed"),
    [
        (
            bet9ja,
            "bet9ja/GetLiveEvent_sr67645534_live.json",
            43,
        ),  # every outcome closed at 91': rows, not prices
        (betpawa, "betpawa/v3_event_sr67645534_live.json", 148),
    ],
)
def test_closed_in_play_captures_still_key_their_outcomes(
    module: Any, relative: str, listed_keyed: int
) -> None:
    parse = _parse(module, relative)
    assert parse.open_outcomes == 0 and len(parse.rows) >= listed_keyed


def test_in_play_next_goal_is_keyed_by_the_goal_number_after_the_current_score() -> None:
    rows = _parse(bet9ja, "bet9ja/GetLiveEvent_sr67645534_live.json").rows
    assert {(r.market, r.specifier) for r in rows if r.market == 8} == {(8, "goalnr=4")}  # score 0:3


def test_betpawa_tennis_prices_meet_sportybets_on_the_same_uof_keys() -> None:
    """Same match sr71529092: set winners, set-1 game handicap and total games, set-score correct score."""
    pawa = _prices(_parse(betpawa, "betpawa/v3_event_sr71529092_tennis.json"))
    sporty = _prices(_parse(sportybet, "sportybet/event_sr71529092_tennis.json"))
    common = pawa.keys() & sporty.keys()
    assert len(common) >= 40
    assert pawa[(202, "setnr=1", 4)] == 2.09 and sporty[(202, "setnr=1", 4)] == 2.15
    assert pawa[(203, "hcp=-1.5|setnr=1", 1714)] == 2.8 and sporty[(203, "hcp=-1.5|setnr=1", 1714)] == 2.95
    assert pawa[(199, "variant=sr:correct_score:bestof:3", 7)] == 2.3  # 0:2, SportyBet 2.60
    for key in common:
        assert 1 / 1.15 <= pawa[key] / sporty[key] <= 1.15, (key, pawa[key], sporty[key])


@pytest.mark.parametrize(
    ("key", "bet9ja_price", "sportybet_price"),
    [
        ((184, "goalnr=1", 820), 12.25, 14.5),  # "2-1STGOAL1": away scores first, home wins (not the reverse)
        ((184, "goalnr=1", 818), 14.0, 17.5),  # "1-1STGOAL2": home scores first, away wins
        ((55, "", 812), 3.8, 4.0),  # GG/NG HT "NG" and 2HT "GG" = UOF No/Yes
        ((1179, "", 1), 1.81, 1.87),  # "1 HT or 1 FT"
        ((854, "total=2.5", 74), 1.43, 1.47),  # "1 or Over 2.5": the yes side of UOF 854
        ((163, "cornernr=1", 6), 1.63, 1.69),
        ((182, "variant=sr:point_range:7+_2", 1148), 1.7, 1.8),
        ((15, "variant=sr:winning_margin:3+", 113), 4.05, 4.3),
    ],
)
def test_newly_mapped_bet9ja_outcomes_sit_on_sportybets_price(
    key: tuple[int, str, int], bet9ja_price: float, sportybet_price: float
) -> None:
    nine = _prices(_parse(bet9ja, "bet9ja/GetEvent_sr68995116_prematch.json"))
    sporty = _prices(_parse(sportybet, "sportybet/event_sr68995116_prematch.json"))
    assert (nine[key], sporty[key]) == (bet9ja_price, sportybet_price)


def test_team_to_score_restates_clean_sheet_only_where_bet9ja_lacks_it() -> None:
    """Bet9ja prices both "home to score" and "away clean sheet" (HTS_N = CLEANSA_Y = 3.6, which confirms
    the equivalence): one row on that key; the 1st-half ones have no direct market and are kept."""
    parse = _parse(bet9ja, "bet9ja/GetEvent_sr68995116_prematch.json")
    keys = [(r.market, r.specifier, r.outcome) for r in parse.rows]
    assert keys.count((32, "", 74)) == 1
    prices = _prices(parse)
    assert prices[(32, "", 74)] == 3.6
    assert prices[(77, "", 76)] == 1.98  # home scores in the 1st half = away 1st-half clean sheet "no"
