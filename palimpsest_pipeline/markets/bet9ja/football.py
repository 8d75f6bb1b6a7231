"""Bet9ja football (``S_`` keys): full-time, half and corner markets with a UOF equivalent.

Traps handled here: ``CSFT_OTH`` is UOF "other"; ``EXACTGOAL_6`` means 6+ and there is no 0 outcome; half
lines live in ``OU`` and whole/quarter (Asian) lines in ``OUA`` (``lines`` tells the sandbox renderer which).
Combination markets are in :mod:`.football_combos`.
"""

from __future__ import annotations

from palimpsest_pipeline.markets.bet9ja.rows import (
    ASIAN,
    DOUBLE_CHANCE,
    HALVES,
    HOME_AWAY,
    HT_FT_NAMES,
    ODD_EVEN,
    ONE_X_TWO,
    OVER_UNDER,
    YES_NO,
    Bet9jaMarket,
    market,
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

FOOTBALL: tuple[Bet9jaMarket, ...] = (
    market("1X2", "1X2", 1, ONE_X_TWO),
    market("DC", "Double Chance", 10, DOUBLE_CHANCE),
    market("DNB", "Draw No Bet", 11, HOME_AWAY),
    market("OU", "Over/Under", 18, OVER_UNDER, "total", "half"),
    market("OUA", "Over/Under Asian", 18, OVER_UNDER, "total", "asian"),
    market("GGNG", "GG/NG", 29, YES_NO),
    market("AH", "Asian Handicap", 16, ASIAN, "hcp"),
    market("1X2HND", "1X2 Handicap", 14, [("1H", 1711), ("XH", 1712), ("2H", 1713)], "hcp"),
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
    market(
        "GOALSHOME",
        "Home Goals",
        23,
        [("0", 88), ("1", 89), ("2", 90), ("3+", 91)],
        specifier="variant=sr:exact_goals:3+",
    ),
    market(
        "GOALSAWAY",
        "Away Goals",
        24,
        [("0", 88), ("1", 89), ("2", 90), ("3+", 91)],
        specifier="variant=sr:exact_goals:3+",
    ),
    market("HOMENOBET", "Home No Bet", 12, [("X", 776), ("2", 778)]),
    market("AWAYNOBET", "Away No Bet", 13, [("1", 780), ("X", 782)]),
    market("1STGOAL", "First Goal", 8, [("1", 6), ("X", 7), ("2", 8)], specifier="goalnr=1"),
    market("LASTSCORE", "Last Team to Score", 9, [("1", 6), ("N", 7), ("2", 8)]),
    market("SCORET", "Team to Score", 30, [("NG", 784), ("1", 788), ("2", 790), ("GG", 792)]),
    market(
        "1X2GGNG",
        "1X2 + GG/NG",
        35,
        [("1ANDGG", 78), ("1ANDNG", 80), ("XANDGG", 82), ("XANDNG", 84), ("2ANDGG", 86), ("2ANDNG", 88)],
    ),
    market(
        "1X2OU",
        "1X2 + Over/Under",
        37,
        [("1U", 794), ("1O", 796), ("XU", 798), ("XO", 800), ("2U", 802), ("2O", 804)],
        "total",
    ),
    market(
        "GGNGOU",
        "GG/NG + Over/Under",
        36,
        [("GGOVER", 90), ("GGUNDER", 92), ("NGOVER", 94), ("NGUNDER", 96)],
        "total",
    ),
    market(
        "DCGGNG",
        "Double Chance + GG/NG",
        546,
        [("1XGG", 1718), ("1XNG", 1719), ("12GG", 1720), ("12NG", 1721), ("X2GG", 1722), ("X2NG", 1723)],
    ),
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
    market(
        "HTFTOU",
        "HT/FT + Over/Under",
        818,
        [
            (f"{htft}{side}", base + i)
            for side, base in (("U", 1836), ("O", 1845))
            for i, htft in enumerate(["1/1", "1/X", "1/2", "X/1", "X/X", "X/2", "2/1", "2/X", "2/2"])
        ],
        "total",
    ),
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
    # first half
    market("MGOAL1T", "1st Half - Multigoals", 552, [("12", 1746), ("13", 1747), ("23", 1748)]),
    market(
        "DCGGNGHT",
        "1st Half - Double Chance + GG/NG",
        542,
        [
            ("1XGGHT", 1718),
            ("1XNGHT", 1719),
            ("12GGHT", 1720),
            ("12NGHT", 1721),
            ("X2GGHT", 1722),
            ("X2NGHT", 1723),
        ],
    ),
    market(
        "HTDCOU",
        "1st Half - Double Chance + Over/Under",
        900042,
        [("1XO", 145), ("12O", 146), ("X2O", 147), ("1XU", 148), ("12U", 149), ("X2U", 150)],
        "total",
    ),
    market("1X21T", "1st Half - 1X2", 60, ONE_X_TWO),
    market("DC1T", "1st Half - Double Chance", 63, DOUBLE_CHANCE),
    market("DNB1T", "1st Half - Draw No Bet", 64, HOME_AWAY),
    market("OU1T", "1st Half - Over/Under", 68, OVER_UNDER, "total"),
    market("GGNG1T", "1st Half - GG/NG", 75, YES_NO),
    market("OE1T", "1st Half - Odd/Even", 74, ODD_EVEN),
    market("CS1T", "1st Half - Correct Score", 81, _CS_1H),
    market("1X2HNDHT", "1st Half - 1X2 Handicap", 65, [("1", 1711), ("X", 1712), ("2", 1713)], "hcp"),
    split(
        "HA1HOU",
        "1st Half - Home/Away Over/Under",
        [("HO", 69, 12), ("HU", 69, 13), ("AO", 70, 12), ("AU", 70, 13)],
        "total",
    ),
    # second half
    market("MGOAL2T", "2nd Half - Multigoals", 553, [("12", 1746), ("13", 1747), ("23", 1748)]),
    market(
        "DCGGNG2T",
        "2nd Half - Double Chance + GG/NG",
        545,
        [
            ("1XGG2T", 1718),
            ("1XNG2T", 1719),
            ("12GG2T", 1720),
            ("12NG2T", 1721),
            ("X2GG2T", 1722),
            ("X2NG2T", 1723),
        ],
    ),
    market(
        "2TDCOU",
        "2nd Half - Double Chance + Over/Under",
        900043,
        [("1XO", 145), ("12O", 146), ("X2O", 147), ("1XU", 148), ("12U", 149), ("X2U", 150)],
        "total",
    ),
    market("1X22T", "2nd Half - 1X2", 83, ONE_X_TWO),
    market("DC2T", "2nd Half - Double Chance", 85, DOUBLE_CHANCE),
    market("DNB2T", "2nd Half - Draw No Bet", 86, HOME_AWAY),
    market("OU2T", "2nd Half - Over/Under", 90, OVER_UNDER, "total"),
    market("GGNG2T", "2nd Half - GG/NG", 95, YES_NO),
    market("OE2T", "2nd Half - Odd/Even", 94, ODD_EVEN),
    market("CS2T", "2nd Half - Correct Score", 98, _CS_2H),
    market("1X2HND2TN", "2nd Half - 1X2 Handicap", 87, [("1", 1711), ("X", 1712), ("2", 1713)], "hcp"),
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
