"""Bet9ja football (``S_`` keys): full-time, half and corner markets with a UOF equivalent. Traps:
``CSFT_OTH`` is UOF "other"; ``EXACTGOAL_6`` means 6+ and there is no 0 outcome; half lines live in ``OU``,
whole and quarter (Asian) lines in ``OUA`` (``lines`` tells the sandbox renderer which).
"""

from __future__ import annotations

from palimpsest_pipeline.markets.bet9ja.rows import (
    ASIAN,
    DOUBLE_CHANCE,
    EXACT_GOALS_3,
    HALVES,
    HANDICAP_3WAY,
    HOME_AWAY,
    HT_FT_NAMES,
    ODD_EVEN,
    ONE_X_TWO,
    OVER_UNDER,
    WHICH_TEAM,
    YES_NO,
    Bet9jaMarket,
    LineRule,
    dc_btts,
    ht_ft_total,
    market,
    result_btts,
    result_total,
    split,
)
from palimpsest_pipeline.markets.vocabulary import (
    CS_1H_IDS,
    CS_1H_OTHER,
    CS_2H_IDS,
    CS_2H_OTHER,
    CS_FT_OTHER,
    HT_FT_CORRECT_SCORE,
    correct_score_ft_id,
)

_CS_FT = [
    *((f"{h}:{a}", correct_score_ft_id(h, a)) for h in range(5) for a in range(5)),
    ("OTH", CS_FT_OTHER),
]
_CS_1H = [*((f"{h}:{a}", oid) for (h, a), oid in CS_1H_IDS.items()), ("OTH", CS_1H_OTHER)]
_CS_2H = [*((f"{h}:{a}", oid) for (h, a), oid in CS_2H_IDS.items()), ("OTH", CS_2H_OTHER)]


#: The bets Bet9ja lists alike for each half: name, outcomes (None: the half's own lists) and line rule.
_HALF_BETS: tuple[tuple[str, list[tuple[str, int]] | None, LineRule], ...] = (
    ("Multigoals", [("12", 1746), ("13", 1747), ("23", 1748)], "none"),
    ("Double Chance + GG/NG", None, "none"),
    (
        "Double Chance + Over/Under",
        [("1XO", 145), ("12O", 146), ("X2O", 147), ("1XU", 148), ("12U", 149), ("X2U", 150)],
        "total",
    ),
    ("1X2", ONE_X_TWO, "none"),
    ("Double Chance", DOUBLE_CHANCE, "none"),
    ("Draw No Bet", HOME_AWAY, "none"),
    ("Over/Under", OVER_UNDER, "total"),
    ("GG/NG", YES_NO, "none"),
    ("Odd/Even", ODD_EVEN, "none"),
    ("Correct Score", None, "none"),
    ("1X2 Handicap", HANDICAP_3WAY, "hcp"),
)
#: Each half's (market key, canonical market) of those bets, in that order.
_FIRST_HALF = [
    ("MGOAL1T", 552), ("DCGGNGHT", 542), ("HTDCOU", 900042), ("1X21T", 60), ("DC1T", 63), ("DNB1T", 64),
    ("OU1T", 68), ("GGNG1T", 75), ("OE1T", 74), ("CS1T", 81), ("1X2HNDHT", 65),
]  # fmt: skip
_SECOND_HALF = [
    ("MGOAL2T", 553), ("DCGGNG2T", 545), ("2TDCOU", 900043), ("1X22T", 83), ("DC2T", 85), ("DNB2T", 86),
    ("OU2T", 90), ("GGNG2T", 95), ("OE2T", 94), ("CS2T", 98), ("1X2HND2TN", 87),
]  # fmt: skip


def _half(
    nth: str, suffix: str, markets: list[tuple[str, int]], correct_score: list[tuple[str, int]]
) -> list[Bet9jaMarket]:
    """A half's rows of ``_HALF_BETS``; ``suffix`` ends its double chance & GG/NG outcome keys."""
    own = {"Double Chance + GG/NG": dc_btts("{dc}{g}" + suffix), "Correct Score": correct_score}
    return [
        market(key, f"{nth} Half - {name}", canonical, own[name] if outcomes is None else outcomes, line)
        for (name, outcomes, line), (key, canonical) in zip(_HALF_BETS, markets, strict=True)
    ]


FOOTBALL: tuple[Bet9jaMarket, ...] = (
    market("1X2", "1X2", 1, ONE_X_TWO),
    market("DC", "Double Chance", 10, DOUBLE_CHANCE),
    market("DNB", "Draw No Bet", 11, HOME_AWAY),
    market("OU", "Over/Under", 18, OVER_UNDER, "total", "half"),
    market("OUA", "Over/Under Asian", 18, OVER_UNDER, "total", "asian"),
    market("GGNG", "GG/NG", 29, YES_NO),
    market("AH", "Asian Handicap", 16, ASIAN, "hcp"),
    market("1X2HND", "1X2 Handicap", 14, [(f"{o}H", c) for o, c in HANDICAP_3WAY], "hcp"),
    market("HTFT", "Half Time/Full Time", 47, HT_FT_NAMES),
    market("CSFT", "Correct Score", 45, _CS_FT),
    market("OE", "Odd/Even", 26, ODD_EVEN),
    split(
        "HAOU",
        "Home/Away Over/Under",
        [("OH", 19, 12), ("UH", 19, 13), ("OA", 20, 12), ("UA", 20, 13)],
        "total",
    ),
    market("OEHOME", "Odd/Even Home", 27, ODD_EVEN),
    market("OEAWAY", "Odd/Even Away", 28, ODD_EVEN),
    market("CLEANSH", "Home Clean Sheet", 31, YES_NO),
    market("CLEANSA", "Away Clean Sheet", 32, YES_NO),
    market("HOMEWINNIL", "Home Win to Nil", 33, YES_NO),
    market("AWAYWINNIL", "Away Win to Nil", 34, YES_NO),
    market(
        "EXACTGOAL",
        "Exact Goals",
        21,
        [(str(n), 68 + n) for n in range(1, 7)],
        specifier="variant=sr:exact_goals:6+",
    ),
    market("GOALSHOME", "Home Goals", 23, EXACT_GOALS_3, specifier="variant=sr:exact_goals:3+"),
    market("GOALSAWAY", "Away Goals", 24, EXACT_GOALS_3, specifier="variant=sr:exact_goals:3+"),
    market("HOMENOBET", "Home No Bet", 12, [("X", 776), ("2", 778)]),
    market("AWAYNOBET", "Away No Bet", 13, [("1", 780), ("X", 782)]),
    market("1STGOAL", "First Goal", 8, WHICH_TEAM, specifier="goalnr=1"),
    market("LASTSCORE", "Last Team to Score", 9, [("1", 6), ("N", 7), ("2", 8)]),
    market("SCORET", "Team to Score", 30, [("NG", 784), ("1", 788), ("2", 790), ("GG", 792)]),
    market("1X2GGNG", "1X2 + GG/NG", 35, result_btts("{r}AND{g}")),
    market("1X2OU", "1X2 + Over/Under", 37, result_total(), "total"),
    market(
        "GGNGOU",
        "GG/NG + Over/Under",
        36,
        [("GGOVER", 90), ("GGUNDER", 92), ("NGOVER", 94), ("NGUNDER", 96)],
        "total",
    ),
    market("DCGGNG", "Double Chance + GG/NG", 546, dc_btts("{dc}{g}")),
    market(
        "DCOU",
        "Double Chance + Over/Under",
        547,
        [("1XU", 1724), ("12U", 1725), ("X2U", 1726), ("1XO", 1727), ("12O", 1728), ("X2O", 1729)],
        "total",
    ),
    market("HOMEWINBOTH", "Home Win Both Halves", 48, YES_NO),
    market("AWAYWINBOTH", "Away Win Both Halves", 49, YES_NO),
    market("HOMEWINHALF", "Home Win Either Half", 50, YES_NO),
    market("AWAYWINHALF", "Away Win Either Half", 51, YES_NO),
    market("HIGHHALF", "Highest Scoring Half", 52, HALVES),
    market("HOMEHIGHHALF", "Home Highest Scoring Half", 53, HALVES),
    market("AWAYHIGHHALF", "Away Highest Scoring Half", 54, HALVES),
    market("HOMESCOREBOTH", "Home to Score Both Halves", 56, YES_NO),
    market("AWAYSCOREBOTH", "Away to Score Both Halves", 57, YES_NO),
    market("HTFTCS", "HT/FT Correct Score", 46, list(HT_FT_CORRECT_SCORE.items())),
    market("HTFTOU", "HT/FT + Over/Under", 818, ht_ft_total("/"), "total"),
    market("GGNG2PLUS", "GG/NG 2+", 60000, [("GG", 74), ("NG", 76)]),
    market("TMGHO", "Home Multigoals", 549, [("HO12", 1746), ("HO13", 1747), ("HO23", 1748)]),
    market("TMGAW", "Away Multigoals", 550, [("AW12", 1746), ("AW13", 1747), ("AW23", 1748)]),
    *(
        market(
            f"1X21ST{minute}MIN",
            f"1X2 first {minute} minutes",
            900069,
            ONE_X_TWO,
            specifier=f"minute={minute}",
        )
        for minute in (5, 10, 15, 20, 30, 60)
    ),
    market(
        "S5MIN",
        "Goal in first 5 minutes",
        900313,
        [("YF5M", 30), ("NF5M", 31)],
        specifier="minute=5|total=0.5",
    ),
    *(
        market(
            f"S{minute}MIN",
            f"Goal in first {minute} minutes",
            900313,
            [(f"YS{minute}M", 30), (f"NS{minute}M", 31)],
            specifier=f"minute={minute}|total=0.5",
        )
        for minute in (20, 30)
    ),
    *_half("1st", "HT", _FIRST_HALF, _CS_1H),
    split(
        "HA1HOU",
        "1st Half - Home/Away Over/Under",
        [("HO", 69, 12), ("HU", 69, 13), ("AO", 70, 12), ("AU", 70, 13)],
        "total",
    ),
    *_half("2nd", "2T", _SECOND_HALF, _CS_2H),
    split(
        "HA2HOU",
        "2nd Half - Home/Away Over/Under",
        [("HO", 91, 12), ("HU", 91, 13), ("AO", 92, 12), ("AU", 92, 13)],
        "total",
    ),
    # corners (UOF pass-through markets)
    market("OUCORNERS", "Corners Over/Under", 166, OVER_UNDER, "total"),
    market("CAH", "Corners Asian Handicap", 165, ASIAN, "hcp"),
    market("OECORNER", "Odd/Even Corners", 172, ODD_EVEN),
    market("C1HTOU", "1st Half Corners Over/Under", 177, OVER_UNDER, "total"),
    market("CORNERSHOMEOU", "Home Corners Over/Under", 900300, [("HCO", 30), ("HCU", 31)], "total"),
    market("CORNERSAWAYOU", "Away Corners Over/Under", 900301, [("ACO", 30), ("ACU", 31)], "total"),
)
