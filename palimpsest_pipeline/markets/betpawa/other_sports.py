"""BetPawa tennis (category "452") and basketball (category "3"), one row per marketType; tennis set markets
carry ``setnr``."""

from __future__ import annotations

from palimpsest_pipeline.markets.betpawa.rows import (
    OE,
    ONE_X_TWO,
    YN,
    BetPawaMarket,
    asian,
    consecutive,
    over_under,
    row,
)

TENNIS: tuple[BetPawaMarket, ...] = (
    row("2043818", "Moneyline - FT", 186, [("2043821", "1", 4), ("2043823", "2", 5)]),
    over_under("4895", "Total Games - Over/Under - FT", 189, 4896),
    row(
        "3532590",
        "Match Handicap Games 2-way - FT",
        187,
        [("3532591", "1", 1714), ("3532593", "2", 1715)],
        "hcp",
        "ASIAN",
    ),
    row("4758", "Moneyline - 1S", 202, consecutive(4759, [("1", 4), ("2", 5)]), specifier="setnr=1"),
    row("4770", "Moneyline - 2S", 202, consecutive(4771, [("1", 4), ("2", 5)]), specifier="setnr=2"),
    over_under("3597899", "Total Sets - Over/Under - FT", 314, 3597900),
    over_under("2068161", "Games Over/Under Home - FT", 190, 2068162),
    over_under("2068172", "Games Over/Under Away - FT", 191, 2068173),
    row(
        "4429",
        "Correct Score - FT",
        199,
        [("4452", "2-0", 4), ("4453", "2-1", 5), ("4443", "1-2", 6), ("4432", "0-2", 7)],
        specifier="variant=sr:correct_score:bestof:3",
        why="a set score's UOF variant is the match's length (best of 3), which the name does not say",
    ),
    asian("4666923", "Set 1 Game Handicap", 203, 4666924, "setnr=1"),
    over_under("4880", "Total Games - Over/Under - 1S", 204, 4881, "setnr=1"),
)

#: Basketball (category "3", captured v3): "incl OT" markets are UOF's overtime-inclusive ones; quarter
#: markets carry ``quarternr``; "Will the Match be Tied after Regular Time" is UOF 220 (overtime: yes/no).
BASKETBALL: tuple[BetPawaMarket, ...] = (
    row("4791", "Moneyline - FT incl OT", 219, consecutive(4792, [("1", 4), ("2", 5)])),
    over_under("5009", "Total Score Over/Under - FT incl OT", 225, 5010),
    asian("3777", "Asian Handicap - FT incl OT", 223, 3778),
    row(
        "4389697",
        "Match Winner and Totals - FT incl OT",
        292,
        consecutive(4389698, [("1 - Over", 973), ("2 - Over", 974), ("1 - Under", 975), ("2 - Under", 976)]),
        "total",
        "NORMAL",
    ),
    row("4839", "Odd / Even - FT incl OT", 229, consecutive(4840, OE)),
    row(
        "1396223",
        "Will the Match be Tied after Regular Time",
        220,
        consecutive(1400698, YN),
        why="a draw after regular time as a yes/no bet: no words for it in the grammar",
    ),
    over_under("4997", "Total Score Over/Under - 4Q", 236, 4998, "quarternr=4"),
    row("3719", "1X2 - 4Q", 235, consecutive(3720, ONE_X_TWO), specifier="quarternr=4"),
    asian("3771", "Asian Handicap - 4Q", 303, 3772, "quarternr=4"),
    row("4830", "Odd / Even - 4Q", 304, consecutive(4831, OE), specifier="quarternr=4"),
)
