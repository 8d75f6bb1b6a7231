"""Combinations of UOF outcomes: one normal form per proposition; Bet9ja's combination markets keyed by it.

Expected keys are written by hand from Bet9ja's own market descriptions (``D.MK[].MDESC``) and UOF's market
definitions, not computed by the code under test.
"""

from __future__ import annotations

import pytest

from palimpsest_pipeline.books.bet9ja import odds as bet9ja
from palimpsest_pipeline.markets.combinations import (
    ALL_OF,
    ANY_OF,
    NO,
    YES,
    combination_key,
    fill_line,
    legs_specifier,
)
from palimpsest_pipeline.markets.specifiers import SpecifierError
from palimpsest_pipeline.markets.vocabulary import key_kind
from palimpsest_pipeline_tests.markets.conftest import CAPTURED_AT, load_capture

HOME, GG, OVER_25 = (1, "", 1), (29, "", 74), (18, "total=2.5", 12)


def test_leg_order_and_repeats_do_not_change_the_key() -> None:
    key = combination_key(ALL_OF, [OVER_25, GG, HOME])
    assert key == (ALL_OF, "legs=1/1,18/12/total=2.5,29/74", YES)
    assert combination_key(ALL_OF, [HOME, OVER_25, GG, HOME]) == key
    assert combination_key(ANY_OF, [HOME, GG]) != combination_key(ALL_OF, [HOME, GG])


def test_a_one_leg_combination_is_that_uof_outcome_and_its_no_stays_a_combination() -> None:
    assert combination_key(ALL_OF, [OVER_25]) == OVER_25
    assert combination_key(ANY_OF, [OVER_25, OVER_25]) == OVER_25
    assert combination_key(ALL_OF, [OVER_25], NO) == (ALL_OF, "legs=18/12/total=2.5", NO)


def test_multi_part_specifiers_are_written_inside_a_leg() -> None:
    legs = ((110, "from=1|to=5|total=0.5", 13), (108, "from=1|to=5", 2))
    assert legs_specifier(legs) == "legs=108/2/from=1;to=5,110/13/from=1;to=5;total=0.5"


@pytest.mark.parametrize(
    ("template", "line", "expected"),
    [
        ("total={line}", 2.5, "total=2.5"),
        ("hcp={line+0.5}", -1.0, "hcp=-0.5"),
        ("hcp={line-0.5}", 2, "hcp=1.5"),
    ],
)
def test_leg_templates_take_the_books_line(template: str, line: float, expected: str) -> None:
    assert fill_line(template, line) == expected


def test_bad_combinations_are_refused_with_the_reason() -> None:
    with pytest.raises(SpecifierError, match="two distinct legs"):
        legs_specifier([HOME])


def test_key_kinds() -> None:
    assert [key_kind(m) for m in (1, 548, ALL_OF, ANY_OF, 900069, 800231)] == [
        "uof",
        "uof",
        "composed",
        "composed",
        "native",
        "native",
    ]


#: Bet9ja odds key on sr68995116 -> (price in the file, canonical key written from the market's description)
EXPECTED = {
    # "1 + GG + Over" at 2.5: all three
    "S_3COMBO1@2.5_1GGO": (4.65, (ALL_OF, "legs=1/1,18/12/total=2.5,29/74", YES)),
    # "2 Or NG or Under" at 2.5: any one
    "S_3CM@2.5_2NGUN": (1.13, (ANY_OF, "legs=1/3,18/13/total=2.5,29/76", YES)),
    # "1X/12": 1X at half time and 12 at full time
    "S_DCHTFT_1X12": (1.59, (ALL_OF, "legs=10/10,63/9", YES)),
    # "1 or Less and 3 or Less - No": not (1st half under 1.5 and 2nd half under 3.5)
    "S_TOTAL1T2T_1-AND3-N": (2.36, (ALL_OF, "legs=68/13/total=1.5,90/13/total=3.5", NO)),
    # "2 or More and 2 or More - Yes" is UOF 58 "both halves over 1.5": yes (SportyBet 6.00)
    "S_TOTAL1T2T_2+AND2+Y": (5.6, (58, "total=1.5", 74)),
    # "1-0 / 2-0 / 2-1": UOF 45 outcomes 276, 278, 288
    "S_MCS3_102021": (3.35, (ANY_OF, "legs=45/276,45/278,45/288", YES)),
    # exactly 9 corners: over 8.5 and under 9.5
    "S_NCORN_9Corner": (5.6, (ALL_OF, "legs=166/12/total=8.5,166/13/total=9.5", YES)),
    # 3-way corner handicap, home line -1, draw = home exactly one corner ahead
    "S_HNDCORNER@-1_XH": (6.8, (ALL_OF, "legs=165/1714/hcp=-0.5,165/1715/hcp=-1.5", YES)),
    # "1X2 + Multi Goal 1-2": home wins and 1-2 goals (UOF 548 "1-2" = 1730)
    "S_1X2MULTI1-2_1": (5.3, (ALL_OF, "legs=1/1,548/1730", YES)),
    # first goal in the 2nd half: no goal in the 1st, some in the 2nd
    "S_1STGHT_2": (3.65, (ALL_OF, "legs=68/13/total=0.5,90/12/total=0.5", YES)),
    # "1 or NG" = UOF 863 "home or any clean sheet": yes (SportyBet 1.46)
    "S_CHANCEMIX_1orNG": (1.47, (863, "", 74)),
    # a corner in the first 10 minutes: UOF 575 over 0.5 from minute 1 to 10
    "S_CORN10_YC10MIN": (1.53, (575, "from=1|to=10|total=0.5", 12)),
}


def test_bet9ja_combination_outcomes_get_their_hand_written_keys() -> None:
    parse = bet9ja.parse_odds(
        load_capture("bet9ja/GetEvent_sr68995116_prematch.json"), sr_id=68995116, captured_at=CAPTURED_AT
    )
    prices = {(r.market, r.specifier, r.outcome): r.price for r in parse.rows}
    for odds_key, (price, key) in EXPECTED.items():
        assert prices.get(key) == price, (odds_key, key, prices.get(key))
    keys = [(r.market, r.specifier, r.outcome) for r in parse.rows]
    assert len(keys) == len(set(keys))
    assert parse.composed_outcomes == sum(1 for r in parse.rows if r.market in (ALL_OF, ANY_OF) and r.price)


def test_a_one_leg_combination_gives_way_to_the_market_that_prices_it_directly() -> None:
    """ "< 7 corners" is "under 6.5 corners": where OUCORNERS@6.5 is also in the payload, one row remains,
    at the direct market's price, and the restatement is not counted as a second open outcome."""
    payload = {"O": {"S_OUCORNERS@6.5_U": "4.8", "S_OUCORNERS@6.5_O": "1.15", "S_NCORN_LT7Corner": "4.9"}}
    parse = bet9ja.parse_odds(payload, sr_id=1, captured_at=CAPTURED_AT)
    assert [(r.market, r.specifier, r.outcome, r.price) for r in parse.rows if r.outcome == 13] == [
        (166, "total=6.5", 13, 4.8)
    ]
    assert parse.open_outcomes == 2 and parse.mapped_outcomes == 2
