"""Bet9ja football combinations, "or" markets, first-goal, corner and half-specific rows with a UOF key."""

from __future__ import annotations

from palimpsest_pipeline.markets.bet9ja.rows import (
    ASIAN,
    ONE_X_TWO,
    WHICH_TEAM,
    Bet9jaMarket,
    equivalent,
    ht_ft_total,
    market,
    result_btts,
    result_total,
    split,
)
from palimpsest_pipeline.markets.vocabulary import MULTIGOAL_IDS

_WIN_OR = {"1": 0, "X": 2, "2": 4}  # "1 or over" 854, "1 or under" 855, "X or over" 856 ... "2 or under" 859


def result_or_total() -> list[tuple[str, int, int]]:
    """``1orOv`` -> UOF 854 "home or over {total}": yes. Bet9ja lists only the "yes" side."""
    return [
        (f"{result}or{side}", 854 + base + offset, 74)
        for result, base in _WIN_OR.items()
        for side, offset in (("Ov", 0), ("Un", 1))
    ]


COMBOS: tuple[Bet9jaMarket, ...] = (
    market("HTFTOUHT", "HT/FT & O/U 1st Half", 819, ht_ft_total(""), "total"),
    # UOF 548 "1-2".."5-6" = 1730..1744, "7+" 1745
    market("NGOALS", "Multi Goal", 548, [*MULTIGOAL_IDS.items(), ("7+", 1745)]),
    split("CHANCEMIXOU", "1X2 or Over/Under", result_or_total(), "total"),
    # "{first scorer}-1STGOAL{result}": 2-1STGOAL1 is UOF 820 (away scores first, home wins)
    market(
        "MATCHOVERFLOW",
        "1X2 + First Goal",
        184,
        [
            ("1-1STGOAL1", 814),
            ("1-1STGOALX", 816),
            ("1-1STGOAL2", 818),
            ("2-1STGOAL1", 820),
            ("2-1STGOALX", 822),
            ("2-1STGOAL2", 824),
            ("NOGOAL", 826),
        ],
        specifier="goalnr=1",
    ),
    market(
        "WINMARGIN",
        "Winning Margins",
        15,
        [("HT1", 113), ("HT2", 114), ("HT>2", 115), ("AT1", 116), ("AT2", 117), ("AT>2", 118), ("X", 119)],
        specifier="variant=sr:winning_margin:3+",
    ),
    market("1X2HTOU", "1st Half - 1X2 + Over/Under", 79, result_total("1T"), "total"),
    market("1X22TOU", "2nd Half - 1X2 + Over/Under", 544, result_total("2T"), "total"),
    market("1X2HTGGNG", "1st Half - 1X2 + GG/NG", 78, result_btts("{r}HTAND{g}")),
    market("2HT1X2GGNG", "2nd Half - 1X2 + GG/NG", 543, result_btts("{r}2HTAND{g}")),
    # UOF 55 "1st/2nd half both teams to score"
    market(
        "GNGFSH",
        "GG/NG HT / GG/NG 2HT",
        55,
        [("NGANDNG", 806), ("GGANDNG", 808), ("GGANDGG", 810), ("NGANDGG", 812)],
    ),
    market(
        "GGNGOUN",
        "GG/NG & Over/Under 3.5",
        36,
        [("GGO", 90), ("GGU", 92), ("NGO", 94), ("NGU", 96)],
        "total",
    ),
    # 1UP / 2UP: SportyBet's own families (BetPawa maps its "1X2 1UP" there too)
    market("1X21", "1X2 1UP", 60200, [("11", 1), ("X1", 2), ("21", 3)]),
    market("1X22", "1X2 2UP", 60100, [("12", 1), ("X2", 2), ("22", 3)]),
    # half-specific win to nil: SportyBet's families, yes 39 / no 40
    *(
        market(key, f"{team} Win to Nil {nth} Half", canonical, [("Y", 39), ("N", 40)])
        for key, team, nth, canonical in (
            ("HOME0HT", "Home", "1st", 900036),
            ("AWAY0HT", "Away", "1st", 900037),
            ("HOME02T", "Home", "2nd", 900038),
            ("AWAY02T", "Away", "2nd", 900052),
        )
    ),
)

#: "Team to score" = the other team's clean sheet with yes and no swapped (as SportyBet's 900014/15/19-22).
_SCORES = [("Y", 76), ("N", 74)]
TEAM_TO_SCORE: tuple[Bet9jaMarket, ...] = (
    equivalent("HTS", "Home To Score", 32, _SCORES),
    equivalent("AWAYSCORE", "Away to Score", 31, _SCORES),
    equivalent("1SCOREHT", "Home Score 1st Half", 77, _SCORES),
    equivalent("2SCOREHT", "Away Score 1st Half", 76, _SCORES),
    equivalent("1SCORE2T", "Home Score 2nd Half", 97, _SCORES),
    equivalent("2SCORE2T", "Away Score 2nd Half", 96, _SCORES),
)

CORNERS: tuple[Bet9jaMarket, ...] = (
    market("TEAMCORNER", "Corners - 1X2", 162, ONE_X_TWO),
    market("TEAMCORNER1T", "1st Half - 1X2 Corners", 173, ONE_X_TWO),
    market("1STCORNER", "First Corner", 163, WHICH_TEAM, specifier="cornernr=1"),
    market("LASTCORNER", "Last Corner", 164, WHICH_TEAM),
    market("FCH", "First Corner HT", 174, WHICH_TEAM, specifier="cornernr=1"),
    market("LCH", "Last Corner HT", 175, WHICH_TEAM),
    market("OECH", "1st Half - Odd/Even Corners", 183, [("O", 70), ("E", 72)]),
    market("CAHH", "Corner Asian Handicap HT", 176, ASIAN, "hcp"),
    market(
        "MULTICH1",
        "1st Half - Multi Corner",
        182,
        [("04HT", 1148), ("56HT", 1149), ("7HT", 1150)],
        specifier="variant=sr:point_range:7+_2",
    ),
)
