"""BetPawa football (category "2"): one row per marketType, with its price typeIds (v3 and v4)."""

from __future__ import annotations

from palimpsest_pipeline.markets.betpawa.rows import (
    AH,
    DC,
    DC_BTTS,
    DNB,
    EURO,
    HALVES,
    HTFT,
    MULTIGOALS,
    MULTIGOALS_SHORT,
    MULTISCORES,
    OE,
    ONE_X_TWO,
    OU,
    RESULT_BTTS,
    RESULT_TOTAL,
    YN,
    BetPawaMarket,
    LineRule,
    asian,
    consecutive,
    cs_ft_v3,
    cs_ft_v4,
    cs_half,
    ht_ft_correct_score,
    over_under,
    row,
)
from palimpsest_pipeline.markets.vocabulary import CS_1H_IDS, CS_1H_OTHER, CS_2H_IDS, CS_2H_OTHER

#: The bets BetPawa lists alike for each half: name, outcomes (None: the half's own correct score list),
#: line rule and handicap type.
_HALF_BETS: tuple[tuple[str, list[tuple[str, int]] | None, LineRule, str | None], ...] = (
    ("Multigoals", MULTIGOALS_SHORT, "none", None),
    ("Double Chance and Both Teams To Score", DC_BTTS, "none", None),
    ("1X2", ONE_X_TWO, "none", None),
    ("Double Chance", DC, "none", None),
    ("Draw No Bet", DNB, "none", None),
    ("Total Score Over/Under", OU, "total", "NORMAL"),
    ("Both Teams To Score", YN, "none", None),
    ("Odd / Even", OE, "none", None),
    ("Correct Score", None, "none", None),
    ("Handicap 1X2", EURO, "hcp3", "EUROPEAN"),
    ("Asian Handicap", AH, "hcp", "ASIAN"),
)
#: Each half's (marketType id, canonical market) of those bets, in that order.
_FIRST_HALF = [
    ("28000065", 552), ("28000021", 542), ("3668", 60), ("4673", 63), ("4697", 64), ("4958", 68),
    ("3789", 75), ("4794", 74), ("3819", 81), ("4716", 65), ("3747", 66),
]  # fmt: skip
_SECOND_HALF = [
    ("28000071", 553), ("28000028", 545), ("3685", 83), ("4681", 85), ("4700", 86), ("4976", 90),
    ("3792", 95), ("4809", 94), ("4063", 98), ("4720", 87), ("3756", 88),
]  # fmt: skip


def _half(
    half: str, markets: list[tuple[str, int]], correct_score: list[tuple[str, str, int]]
) -> list[BetPawaMarket]:
    """A half's rows of ``_HALF_BETS``: each price's typeId follows its marketType id."""
    return [
        row(
            type_id,
            f"{name} - {half}",
            market,
            correct_score if outcomes is None else consecutive(int(type_id) + 1, outcomes),
            line,
            handicap_type,
        )
        for (name, outcomes, line, handicap_type), (type_id, market) in zip(_HALF_BETS, markets, strict=True)
    ]


FOOTBALL: tuple[BetPawaMarket, ...] = (
    row("3743", "1X2 - FT", 1, consecutive(3744, ONE_X_TWO)),
    row("4693", "Double Chance - FT", 10, consecutive(4694, DC)),
    row("4703", "Draw No Bet - FT", 11, consecutive(4704, DNB)),
    over_under("5000", "Total Score Over/Under - FT", 18, 5001),
    row("3795", "Both Teams To Score - FT", 29, consecutive(3796, YN)),
    asian("3774", "Asian Handicap - FT", 16, 3775),
    row("4724", "Handicap 1X2 - FT", 14, consecutive(4725, EURO), "hcp3", "EUROPEAN"),
    row("4706", "HT / FT", 47, consecutive(4707, HTFT)),
    row(
        "28000869",
        "Correct Score (26 Outcomes)",
        45,
        cs_ft_v4(),
        why="'(26 Outcomes)' is the list's size, words the grammar refuses rather than guesses past",
    ),
    row("4429", "Correct Score - FT", 45, cs_ft_v3()),
    row("4833", "Odd / Even - FT", 26, consecutive(4834, OE)),
    over_under("5006", "Total Score Over/Under - FT - Home Team", 19, 5007),
    over_under("5003", "Total Score Over/Under - FT - Away Team", 20, 5004),
    row("4842", "Odd / Even - FT- Home Team", 27, consecutive(4843, OE)),
    row("4836", "Odd / Even - FT - Away Team", 28, consecutive(4837, OE)),
    row("3816", "Clean Sheet Home Team - FT", 31, consecutive(3817, YN)),
    row("3807", "Clean Sheet Away Team - FT", 32, consecutive(3808, YN)),
    row("5051", "Win to Nil Home Team - FT", 33, consecutive(5052, YN)),
    row("5042", "Win to Nil Away Team - FT", 34, consecutive(5043, YN)),
    row(
        "4926",
        "Total Goals Exact - FT",
        21,
        [*consecutive(4927, [(str(n), 68 + n) for n in range(6)]), ("1096818", "6+", 74)],
    ),
    row(
        "4942",
        "Total Goals Exact - FT - Home Team",
        23,
        [("4943", "0", 88), ("4944", "1", 89), ("1080454", "2", 90), ("1080455", "3+", 91)],
    ),
    row(
        "4938",
        "Total Goals Exact - FT - Away Team",
        24,
        [("4939", "0", 88), ("4940", "1", 89), ("1080456", "2", 90), ("1080457", "3+", 91)],
    ),
    row(
        "28000224",
        "{handicap} Goal",
        8,
        [("28000225", "1", 6), ("28000226", "None", 7), ("28000227", "2", 8)],
        "goalnr",
        "NUMBER_SPECIFIER",
    ),
    row(
        "4870", "Team To Score Last (3 way)", 9, [("4871", "1", 6), ("4872", "2", 8), ("4873", "No Goal", 7)]
    ),
    row(
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
    row("3591790", "1X2 and Both Teams To Score - FT", 35, consecutive(3591791, RESULT_BTTS)),
    row("1096755", "1X2 and Totals - FT", 37, consecutive(1099337, RESULT_TOTAL), "total", "NORMAL"),
    row("28000014", "Double Chance and Both Teams To Score - FT", 546, consecutive(28000015, DC_BTTS)),
    row(
        "28000089",
        "Double Chance and Totals - FT",
        547,
        consecutive(
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
    row("1096805", "Both halves win Home - FT", 48, consecutive(1099443, YN)),
    row("1096808", "Both halves win Away - FT", 49, consecutive(1099449, YN)),
    row("1096806", "Either half win Home - FT", 50, consecutive(1099445, YN)),
    row("1096809", "Either half win Away - FT", 51, consecutive(1099451, YN)),
    row("1096807", "Score in both halves Home - FT", 56, consecutive(1099447, YN)),
    row("1096814", "Score in both halves Away - FT", 57, consecutive(1099453, YN)),
    row("4728", "Half More Goals - Total", 52, consecutive(4729, HALVES)),
    row("4736", "Half More Goals - Home Team", 53, consecutive(4737, HALVES)),
    row("4732", "Half More Goals - Away Team", 54, consecutive(4733, HALVES)),
    row("28000047", "Multigoals - FT", 548, consecutive(28000048, MULTIGOALS)),
    row("28000077", "Multigoals - FT - Home Team", 549, consecutive(28000078, MULTIGOALS_SHORT)),
    row("28000083", "Multigoals - FT - Away Team", 550, consecutive(28000084, MULTIGOALS_SHORT)),
    row("28000035", "Multiscores - FT", 551, consecutive(28000036, MULTISCORES)),
    row(
        "28000209",
        "Winning Margin - FT",
        15,
        consecutive(
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
        why="UOF lists winning margins in variants (up to 2, 3+, ...); the grammar does not pick one by list",
    ),
    row("28000228", "HT/FT Correct Score - FT", 46, ht_ft_correct_score()),
    row("28000810", "1X2 1UP - FT", 60200, consecutive(28000811, ONE_X_TWO)),
    row("28000850", "1X2 2UP - FT", 60100, consecutive(28000851, ONE_X_TWO)),
    row("4746", "Home No Bet - FT", 12, consecutive(4747, [("X", 776), ("2", 778)])),
    row(
        "28000173",
        "1X2 - from 1 to 10 minutes",
        105,
        consecutive(28000174, ONE_X_TWO),
        specifier="from=1|to=10",
    ),
    *_half("1H", _FIRST_HALF, cs_half(3820, CS_1H_IDS, "1126333", CS_1H_OTHER)),
    row("3810", "Clean Sheet Home Team - 1H", 76, consecutive(3811, YN)),
    row("3801", "Clean Sheet Away Team - 1H", 77, consecutive(3802, YN)),
    *_half("2H", _SECOND_HALF, cs_half(4064, CS_2H_IDS, "1126334", CS_2H_OTHER)),
    row("28000007", "1X2 and Both Teams To Score - 2H", 543, consecutive(28000008, RESULT_BTTS)),
    row("25451920", "1X2 and Totals - 2H", 544, consecutive(25451921, RESULT_TOTAL), "total", "NORMAL"),
    over_under("4982", "Total Score Over/Under - 2H - Home Team", 91, 4983),
    row("3813", "Clean Sheet Home Team - 2H", 96, consecutive(3814, YN)),
    row("3804", "Clean Sheet Away Team - 2H", 97, consecutive(3805, YN)),
    # corners (UOF pass-through markets)
    row("1096787", "Corner Count 1X2 - FT", 162, consecutive(1099477, ONE_X_TWO)),
    over_under("1096783", "Total Corners Over/Under - FT", 166, 1099466),
    over_under("1096784", "Total Corners Over/Under - 1H", 177, 1099468),
    row("1096789", "Corner Count Odd/Even - FT", 172, consecutive(1099483, OE)),
    row(
        "1096785",
        "Corner Asian Handicap - FT",
        165,
        [("1099470", "1", 1714), ("1099473", "2", 1715)],
        "hcp",
        "ASIAN",
    ),
    row(
        "1096797",
        "Total Corners Away - FT",
        171,
        consecutive(1099429, [("0-2", 1144), ("3-4", 1145), ("5-6", 1146), ("7+", 1147)]),
        specifier="variant=sr:point_range:7+",
    ),
    row("1096788", "Corner Count 1X2 - 1H", 173, consecutive(1099480, ONE_X_TWO)),
    row(
        "1096803",
        "Total Corners - FT",
        169,
        consecutive(1099437, [("0-8", 1141), ("9-11", 1142), ("12+", 1143)]),
        specifier="variant=sr:point_range:12+",
    ),
    row(
        "1096804",
        "Total Corners - 1H",
        182,
        consecutive(1099440, [("0-4", 1148), ("5-6", 1149), ("7+", 1150)]),
        specifier="variant=sr:point_range:7+_2",
    ),
)
