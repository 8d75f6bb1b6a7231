"""Bet9ja tennis (``T_`` keys) -> UOF tennis markets: player 1 / player 2 are UOF's competitor 1 / 2, set
scores ``6-4`` home-away; ``1SMULTICS`` is UOF 1209's six groups (home 6-0/1/2, 6-3/4, 7-5/6, then away).
"""

from __future__ import annotations

from palimpsest_pipeline.markets.bet9ja.rows import (
    ASIAN,
    HOME_AWAY,
    OVER_UNDER,
    WINNER_TOTAL,
    YES_NO,
    Bet9jaMarket,
    market,
    split,
)

#: UOF 207 "{!setnr} set - correct score": 865.. in this order, the home wins then the away wins.
_HOME_WINS = ["6-0", "6-1", "6-2", "6-3", "6-4", "7-5", "7-6"]
SET_SCORES = _HOME_WINS + [score[::-1] for score in _HOME_WINS]

TENNIS: tuple[Bet9jaMarket, ...] = (
    market("12", "Match Winner", 186, HOME_AWAY),
    market("OUG", "Over/Under Games", 189, OVER_UNDER, "total"),
    market("GH", "Game Handicap", 187, ASIAN, "hcp"),
    market("SH", "Set Handicap", 188, ASIAN, "hcp"),
    market("TS", "Total Sets", 314, OVER_UNDER, "total"),
    market("OUGP1", "Over/Under Games Player 1", 190, OVER_UNDER, "total"),
    market("OUGP2", "Over/Under Games Player 2", 191, OVER_UNDER, "total"),
    market("OEGAMES", "Odd/Even Games", 198, [("OD", 70), ("EV", 72)]),
    market("121P", "1st Set Winner", 202, HOME_AWAY, specifier="setnr=1"),
    market("2SWIN", "2nd Set Winner", 202, HOME_AWAY, specifier="setnr=2"),
    market("OU1S", "O/U 1st Set", 204, OVER_UNDER, "total", specifier="setnr=1"),
    market("1SGH", "1st Set - Game Handicap", 203, ASIAN, "hcp", specifier="setnr=1"),
    market(
        "1SETCS",
        "1st Set Correct Score",
        207,
        [(s, 865 + i) for i, s in enumerate(SET_SCORES)],
        specifier="setnr=1",
    ),
    market(
        "1SMULTICS",
        "1st Set - Multi C.Score",
        1209,
        [("606162", 2039), ("6364", 2040), ("7576", 2041), ("061626", 2042), ("3646", 2043), ("5767", 2044)],
        specifier="setnr=1",
    ),
    market(
        "CS3",
        "Correct Set Score (best of 3)",
        199,
        [("2:0", 4), ("2:1", 5), ("1:2", 6), ("0:2", 7)],
        specifier="variant=sr:correct_score:bestof:3",
    ),
    market(
        "1SETMATCH",
        "1st Set Winner + Match Winner",
        201,
        [("11", 861), ("21", 862), ("12", 863), ("22", 864)],
    ),
    market("12OUG", "1-2 + O/U Games", 1055, WINNER_TOTAL, "total"),
    market("1S12OUG", "1st Set 1-2 + O/U Games", 1056, WINNER_TOTAL, "total", specifier="setnr=1"),
    split(
        "WSET",
        "Win at Least a Set",
        [("1Yes", 192, 74), ("1No", 192, 76), ("2Yes", 193, 74), ("2No", 193, 76)],
    ),
    market("PWE1SB", "P1 Win Exactly 1 Set", 850, YES_NO),
    market("PWE1SB2", "P2 Win Exactly 1 Set", 851, YES_NO),
    market("YESNO", "6-0 / 0-6 Yes/No", 194, YES_NO),
    market("C20YN", "Correct 2-0 Yes/No", 1211, [("20Y", 74), ("20N", 76)], specifier="score=2:0"),
    market("C02YN", "Correct 0-2 Yes/No", 1211, [("02Y", 74), ("02N", 76)], specifier="score=0:2"),
)
