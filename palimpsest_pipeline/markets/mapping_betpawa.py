"""BetPawa -> canonical, as data: one row per BetPawa market type, with its price type ids.

BetPawa identifies each outcome by a price ``typeId`` that is unique to its market type (3744 is always
"1" of "1X2 - FT"), but the same ids mean different bets in different sports (4429 "Correct Score" is a
goal score in football and a set score in tennis), so the table is per sport (the event's category id).

Line rules say where a row's line comes from (see ../shared/PLATFORMS.md):
  ``total``  over/under line: price.handicap "2.5", else row.specifier.total, else row.handicap / 4
  ``hcp``    Asian handicap: price.handicap is the line of THAT outcome's team ("-0.5" home, "+0.5" away);
             row.specifier.hcp and row.handicap / 4 are the home line
  ``hcp3``   3-way handicap: price.handicap "Home -1" / "Away +1"; row.specifier.hcp and row.handicap / 4 are
             the home line. Canonical form = home line.
  ``goalnr`` "{handicap} Goal": row.handicap / 4 is the goal number
Traps handled here: double chance is listed 1X, X2, 12 (canonical 9, 11, 10).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from palimpsest_pipeline.markets.vocabulary import (
    CS_1H_IDS,
    CS_1H_OTHER,
    CS_2H_IDS,
    CS_2H_OTHER,
    CS_FT_OTHER,
    HT_FT,
    HT_FT_CORRECT_SCORE,
    correct_score_ft_id,
)

LineRule = Literal["none", "total", "hcp", "hcp3", "goalnr"]


@dataclass(frozen=True, slots=True)
class BetPawaMarket:
    type_id: str  # marketType.id
    name: str  # marketType.name
    market: int  # canonical market id
    line: LineRule
    prices: tuple[tuple[str, str, int], ...]  # (price typeId, price name, canonical outcome id)
    handicap_type: str | None = None  # marketType.handicapType when BetPawa sends one
    specifier: str = ""  # fixed canonical specifier of a line-less market (variant=..., from=1|to=10)


def _m(
    type_id: str,
    name: str,
    market: int,
    prices: list[tuple[str, str, int]],
    line: LineRule = "none",
    handicap_type: str | None = None,
    specifier: str = "",
) -> BetPawaMarket:
    return BetPawaMarket(type_id, name, market, line, tuple(prices), handicap_type, specifier)


def _consecutive(first: int, names_outcomes: list[tuple[str, int]]) -> list[tuple[str, str, int]]:
    return [(str(first + i), name, outcome) for i, (name, outcome) in enumerate(names_outcomes)]


_1X2 = [("1", 1), ("X", 2), ("2", 3)]
_DC = [("1X", 9), ("X2", 11), ("12", 10)]  # BetPawa order: 1X, X2, 12
_DNB = [("1", 4), ("2", 5)]
_OU = [("Over", 12), ("Under", 13)]
_YN = [("Yes", 74), ("No", 76)]
_AH = [("1", 1714), ("2", 1715)]
_EURO = [("1", 1711), ("X", 1712), ("2", 1713)]
_OE = [("Odd", 70), ("Even", 72)]
#: Both books label HT/FT outcomes exactly as the UOF names them ("1/X"...): derived, not restated.
_HTFT = [(name, outcome) for outcome, name in HT_FT.items()]
_HALVES = [("First Half", 436), ("Second Half", 438), ("Equal", 440)]
_MULTIGOALS = [
    ("1-2", 1730),
    ("1-3", 1731),
    ("1-4", 1732),
    ("1-5", 1733),
    ("1-6", 1734),
    ("2-3", 1735),
    ("2-4", 1736),
    ("2-5", 1737),
    ("2-6", 1738),
    ("3-4", 1739),
    ("3-5", 1740),
    ("3-6", 1741),
    ("4-5", 1742),
    ("4-6", 1743),
    ("5-6", 1744),
    ("7+", 1745),
    ("No goal", 1804),
]
_MULTIGOALS_SHORT = [("1-2", 1746), ("1-3", 1747), ("2-3", 1748), ("4+", 1749), ("No goal", 1805)]
_MULTISCORES = [
    ("1:0, 2:0 or 3:0", 1750),
    ("0:1, 0:2 or 0:3", 1751),
    ("4:0, 5:0 or 6:0", 1752),
    ("0:4, 0:5 or 0:6", 1753),
    ("2:1, 3:1 or 4:1", 1754),
    ("1:2, 1:3 or 1:4", 1755),
    ("3:2, 4:2, 4:3 or 5:1", 1756),
    ("2:3, 2:4, 3:4 or 1:5", 1757),
    ("Other Home Win", 1758),
    ("Other Away Win", 1759),
    ("Draw", 1803),
]
_DC_BTTS = [
    ("1X - Yes", 1718),
    ("1X - No", 1719),
    ("12 - Yes", 1720),
    ("12 - No", 1721),
    ("X2 - Yes", 1722),
    ("X2 - No", 1723),
]


def _ht_ft_correct_score() -> list[tuple[str, str, int]]:
    """HT/FT correct score: BetPawa 28000229.. lists the 46 outcomes in UOF 46's order (326, 328, ...)."""
    return [(str(28000229 + i), name, oid) for i, (name, oid) in enumerate(HT_FT_CORRECT_SCORE.items())]


def _cs_ft_v4() -> list[tuple[str, str, int]]:
    """v4 "Correct Score (26 Outcomes)": 28000870.. in UOF order (home goals fastest), then "Other"."""
    rows = [
        (str(28000870 + h + 5 * a), f"{h}-{a}", correct_score_ft_id(h, a)) for a in range(5) for h in range(5)
    ]
    return [*rows, ("28000895", "Other", CS_FT_OTHER)]


def _cs_ft_v3() -> list[tuple[str, str, int]]:
    """v3 "Correct Score - FT": 4430 + 11*home + away. Its "Other" also covers 5+ scores it lists apart,
    so only scores up to 4:4 are the same bet as UOF 45."""
    return [
        (str(4430 + 11 * h + a), f"{h}-{a}", correct_score_ft_id(h, a)) for h in range(5) for a in range(5)
    ]


def _cs_half(
    base: int, ids: dict[tuple[int, int], int], other_type: str, other: int
) -> list[tuple[str, str, int]]:
    rows = [(str(base + 11 * h + a), f"{h}-{a}", oid) for (h, a), oid in ids.items()]
    return [(other_type, "Other", other), *rows]


FOOTBALL: tuple[BetPawaMarket, ...] = (
    _m("3743", "1X2 - FT", 1, _consecutive(3744, _1X2)),
    _m("4693", "Double Chance - FT", 10, _consecutive(4694, _DC)),
    _m("4703", "Draw No Bet - FT", 11, _consecutive(4704, _DNB)),
    _m("5000", "Total Score Over/Under - FT", 18, _consecutive(5001, _OU), "total", "NORMAL"),
    _m("3795", "Both Teams To Score - FT", 29, _consecutive(3796, _YN)),
    _m("3774", "Asian Handicap - FT", 16, _consecutive(3775, _AH), "hcp", "ASIAN"),
    _m("4724", "Handicap 1X2 - FT", 14, _consecutive(4725, _EURO), "hcp3", "EUROPEAN"),
    _m("4706", "HT / FT", 47, _consecutive(4707, _HTFT)),
    _m("28000869", "Correct Score (26 Outcomes)", 45, _cs_ft_v4()),
    _m("4429", "Correct Score - FT", 45, _cs_ft_v3()),
    _m("4833", "Odd / Even - FT", 26, _consecutive(4834, _OE)),
    _m("5006", "Total Score Over/Under - FT - Home Team", 19, _consecutive(5007, _OU), "total", "NORMAL"),
    _m("5003", "Total Score Over/Under - FT - Away Team", 20, _consecutive(5004, _OU), "total", "NORMAL"),
    _m("4842", "Odd / Even - FT- Home Team", 27, _consecutive(4843, _OE)),
    _m("4836", "Odd / Even - FT - Away Team", 28, _consecutive(4837, _OE)),
    _m("3816", "Clean Sheet Home Team - FT", 31, _consecutive(3817, _YN)),
    _m("3807", "Clean Sheet Away Team - FT", 32, _consecutive(3808, _YN)),
    _m("5051", "Win to Nil Home Team - FT", 33, _consecutive(5052, _YN)),
    _m("5042", "Win to Nil Away Team - FT", 34, _consecutive(5043, _YN)),
    _m(
        "4926",
        "Total Goals Exact - FT",
        21,
        [*_consecutive(4927, [(str(n), 68 + n) for n in range(6)]), ("1096818", "6+", 74)],
    ),
    _m(
        "4942",
        "Total Goals Exact - FT - Home Team",
        23,
        [("4943", "0", 88), ("4944", "1", 89), ("1080454", "2", 90), ("1080455", "3+", 91)],
    ),
    _m(
        "4938",
        "Total Goals Exact - FT - Away Team",
        24,
        [("4939", "0", 88), ("4940", "1", 89), ("1080456", "2", 90), ("1080457", "3+", 91)],
    ),
    _m(
        "28000224",
        "{handicap} Goal",
        8,
        [("28000225", "1", 6), ("28000226", "None", 7), ("28000227", "2", 8)],
        "goalnr",
        "NUMBER_SPECIFIER",
    ),
    _m("4870", "Team To Score Last (3 way)", 9, [("4871", "1", 6), ("4872", "2", 8), ("4873", "No Goal", 7)]),
    _m(
        "1096782",
        "Team To Score (4 way) - FT",
        30,
        [
            ("1099356", "No Goal", 784),
            ("1099360", "Home", 788),
            ("1099361", "Away", 790),
            ("1099362", "Both", 792),
        ],
    ),
    _m(
        "3591790",
        "1X2 and Both Teams To Score - FT",
        35,
        _consecutive(
            3591791,
            [
                ("1 - Yes", 78),
                ("1 - No", 80),
                ("2 - Yes", 86),
                ("2 - No", 88),
                ("X - Yes", 82),
                ("X - No", 84),
            ],
        ),
    ),
    _m(
        "1096755",
        "1X2 and Totals - FT",
        37,
        _consecutive(
            1099337,
            [
                ("1 - Over", 796),
                ("X - Over", 800),
                ("2 - Over", 804),
                ("1 - Under", 794),
                ("X - Under", 798),
                ("2 - Under", 802),
            ],
        ),
        "total",
        "NORMAL",
    ),
    _m(
        "28000014",
        "Double Chance and Both Teams To Score - FT",
        546,
        _consecutive(
            28000015,
            [
                ("1X - Yes", 1718),
                ("1X - No", 1719),
                ("12 - Yes", 1720),
                ("12 - No", 1721),
                ("X2 - Yes", 1722),
                ("X2 - No", 1723),
            ],
        ),
    ),
    _m(
        "28000089",
        "Double Chance and Totals - FT",
        547,
        _consecutive(
            28000090,
            [
                ("1X - Under", 1724),
                ("12 - Under", 1725),
                ("X2 - Under", 1726),
                ("1X - Over", 1727),
                ("12 - Over", 1728),
                ("X2 - Over", 1729),
            ],
        ),
        "total",
        "NORMAL",
    ),
    _m("1096805", "Both halves win Home - FT", 48, _consecutive(1099443, _YN)),
    _m("1096808", "Both halves win Away - FT", 49, _consecutive(1099449, _YN)),
    _m("1096806", "Either half win Home - FT", 50, _consecutive(1099445, _YN)),
    _m("1096809", "Either half win Away - FT", 51, _consecutive(1099451, _YN)),
    _m("1096807", "Score in both halves Home - FT", 56, _consecutive(1099447, _YN)),
    _m("1096814", "Score in both halves Away - FT", 57, _consecutive(1099453, _YN)),
    _m("4728", "Half More Goals - Total", 52, _consecutive(4729, _HALVES)),
    _m("4736", "Half More Goals - Home Team", 53, _consecutive(4737, _HALVES)),
    _m("4732", "Half More Goals - Away Team", 54, _consecutive(4733, _HALVES)),
    _m("28000047", "Multigoals - FT", 548, _consecutive(28000048, _MULTIGOALS)),
    _m("28000077", "Multigoals - FT - Home Team", 549, _consecutive(28000078, _MULTIGOALS_SHORT)),
    _m("28000083", "Multigoals - FT - Away Team", 550, _consecutive(28000084, _MULTIGOALS_SHORT)),
    _m("28000035", "Multiscores - FT", 551, _consecutive(28000036, _MULTISCORES)),
    _m(
        "28000209",
        "Winning Margin - FT",
        15,
        _consecutive(
            28000210,
            [
                ("Home by 1", 113),
                ("Home by 2", 114),
                ("Home by 3+", 115),
                ("Away by 1", 116),
                ("Away by 2", 117),
                ("Away by 3+", 118),
                ("Draw", 119),
            ],
        ),
        specifier="variant=sr:winning_margin:3+",
    ),
    _m("28000228", "HT/FT Correct Score - FT", 46, _ht_ft_correct_score()),
    _m("28000810", "1X2 1UP - FT", 60200, _consecutive(28000811, _1X2)),
    _m("28000850", "1X2 2UP - FT", 60100, _consecutive(28000851, _1X2)),
    _m("28000173", "1X2 - from 1 to 10 minutes", 105, _consecutive(28000174, _1X2), specifier="from=1|to=10"),
    # first half
    _m("28000065", "Multigoals - 1H", 552, _consecutive(28000066, _MULTIGOALS_SHORT)),
    _m("28000021", "Double Chance and Both Teams To Score - 1H", 542, _consecutive(28000022, _DC_BTTS)),
    _m("3668", "1X2 - 1H", 60, _consecutive(3669, _1X2)),
    _m("4673", "Double Chance - 1H", 63, _consecutive(4674, _DC)),
    _m("4697", "Draw No Bet - 1H", 64, _consecutive(4698, _DNB)),
    _m("4958", "Total Score Over/Under - 1H", 68, _consecutive(4959, _OU), "total", "NORMAL"),
    _m("3789", "Both Teams To Score - 1H", 75, _consecutive(3790, _YN)),
    _m("4794", "Odd / Even - 1H", 74, _consecutive(4795, _OE)),
    _m("3819", "Correct Score - 1H", 81, _cs_half(3820, CS_1H_IDS, "1126333", CS_1H_OTHER)),
    _m("4716", "Handicap 1X2 - 1H", 65, _consecutive(4717, _EURO), "hcp3", "EUROPEAN"),
    _m("3747", "Asian Handicap - 1H", 66, _consecutive(3748, _AH), "hcp", "ASIAN"),
    _m("3810", "Clean Sheet Home Team - 1H", 76, _consecutive(3811, _YN)),
    _m("3801", "Clean Sheet Away Team - 1H", 77, _consecutive(3802, _YN)),
    # second half
    _m("28000071", "Multigoals - 2H", 553, _consecutive(28000072, _MULTIGOALS_SHORT)),
    _m("28000028", "Double Chance and Both Teams To Score - 2H", 545, _consecutive(28000029, _DC_BTTS)),
    _m("3685", "1X2 - 2H", 83, _consecutive(3686, _1X2)),
    _m("4681", "Double Chance - 2H", 85, _consecutive(4682, _DC)),
    _m("4700", "Draw No Bet - 2H", 86, _consecutive(4701, _DNB)),
    _m("4976", "Total Score Over/Under - 2H", 90, _consecutive(4977, _OU), "total", "NORMAL"),
    _m("3792", "Both Teams To Score - 2H", 95, _consecutive(3793, _YN)),
    _m("4809", "Odd / Even - 2H", 94, _consecutive(4810, _OE)),
    _m("4063", "Correct Score - 2H", 98, _cs_half(4064, CS_2H_IDS, "1126334", CS_2H_OTHER)),
    _m("4720", "Handicap 1X2 - 2H", 87, _consecutive(4721, _EURO), "hcp3", "EUROPEAN"),
    _m("3756", "Asian Handicap - 2H", 88, _consecutive(3757, _AH), "hcp", "ASIAN"),
    _m("3813", "Clean Sheet Home Team - 2H", 96, _consecutive(3814, _YN)),
    _m("3804", "Clean Sheet Away Team - 2H", 97, _consecutive(3805, _YN)),
    # corners (UOF pass-through markets)
    _m("1096787", "Corner Count 1X2 - FT", 162, _consecutive(1099477, _1X2)),
    _m("1096783", "Total Corners Over/Under - FT", 166, _consecutive(1099466, _OU), "total", "NORMAL"),
    _m("1096784", "Total Corners Over/Under - 1H", 177, _consecutive(1099468, _OU), "total", "NORMAL"),
    _m("1096789", "Corner Count Odd/Even - FT", 172, _consecutive(1099483, _OE)),
    _m("1096788", "Corner Count 1X2 - 1H", 173, _consecutive(1099480, _1X2)),
    _m(
        "1096803",
        "Total Corners - FT",
        169,
        _consecutive(1099437, [("0-8", 1141), ("9-11", 1142), ("12+", 1143)]),
        specifier="variant=sr:point_range:12+",
    ),
    _m(
        "1096804",
        "Total Corners - 1H",
        182,
        _consecutive(1099440, [("0-4", 1148), ("5-6", 1149), ("7+", 1150)]),
        specifier="variant=sr:point_range:7+_2",
    ),
)

TENNIS: tuple[BetPawaMarket, ...] = (
    _m("2043818", "Moneyline - FT", 186, [("2043821", "1", 4), ("2043823", "2", 5)]),
    _m("4895", "Total Games - Over/Under - FT", 189, _consecutive(4896, _OU), "total", "NORMAL"),
    _m(
        "3532590",
        "Match Handicap Games 2-way - FT",
        187,
        [("3532591", "1", 1714), ("3532593", "2", 1715)],
        "hcp",
        "ASIAN",
    ),
    _m("4758", "Moneyline - 1S", 202, _consecutive(4759, [("1", 4), ("2", 5)]), specifier="setnr=1"),
    _m("4770", "Moneyline - 2S", 202, _consecutive(4771, [("1", 4), ("2", 5)]), specifier="setnr=2"),
    _m("3597899", "Total Sets - Over/Under - FT", 314, _consecutive(3597900, _OU), "total", "NORMAL"),
    _m("2068161", "Games Over/Under Home - FT", 190, _consecutive(2068162, _OU), "total", "NORMAL"),
    _m("2068172", "Games Over/Under Away - FT", 191, _consecutive(2068173, _OU), "total", "NORMAL"),
)

# Basketball was never captured: the market type ids below are a documented guess in BetPawa's style.
BASKETBALL: tuple[BetPawaMarket, ...] = (
    _m("2043818", "Moneyline - FT (incl. OT)", 219, [("2043821", "1", 4), ("2043823", "2", 5)]),
    _m(
        "4882710",
        "Total Points Over/Under - FT (incl. OT)",
        225,
        _consecutive(4882711, _OU),
        "total",
        "NORMAL",
    ),
    _m("4882720", "Handicap - FT (incl. OT)", 223, _consecutive(4882721, _AH), "hcp", "ASIAN"),
)

#: BetPawa category id -> (canonical sport, table).
BY_CATEGORY: dict[str, tuple[str, tuple[BetPawaMarket, ...]]] = {
    "2": ("football", FOOTBALL),
    "3": ("basketball", BASKETBALL),
    "452": ("tennis", TENNIS),
}
