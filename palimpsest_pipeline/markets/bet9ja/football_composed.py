"""Bet9ja football bets UOF has no market for ("1 + GG + Over": all must win; "1 or GG or Over": any one
wins), keyed as combinations of UOF outcomes (markets/combinations.py), or as the UOF outcome one is ("1 or
NG" is UOF 863). Left out: second-half corners (no UOF legs) and half exact goals "3" (3 or 3+?).
"""

from __future__ import annotations

from itertools import product

from palimpsest_pipeline.markets.bet9ja.football_combos import result_or_total
from palimpsest_pipeline.markets.bet9ja.rows import Bet9jaMarket, LegTemplate, composed, market
from palimpsest_pipeline.markets.combinations import ALL_OF, ANY_OF, NO, YES
from palimpsest_pipeline.markets.vocabulary import CS_FT_OTHER, MULTIGOAL_IDS, correct_score_ft_id

_Outcome = tuple[str, int, int, tuple[LegTemplate, ...]]

RESULT = {"1": (1, "", 1), "X": (1, "", 2), "2": (1, "", 3)}
HT_RESULT = {"1": (60, "", 1), "X": (60, "", 2), "2": (60, "", 3)}
H2_RESULT = {"1": (83, "", 1), "X": (83, "", 2), "2": (83, "", 3)}
DOUBLE = {"1X": (10, "", 9), "12": (10, "", 10), "X2": (10, "", 11)}
HT_DOUBLE = {"1X": (63, "", 9), "12": (63, "", 10), "X2": (63, "", 11)}
CORNERS = {"1": (162, "", 1), "X": (162, "", 2), "2": (162, "", 3)}
HT_CORNERS = {"1": (173, "", 1), "X": (173, "", 2), "2": (173, "", 3)}
GG, NG = (29, "", 74), (29, "", 76)
HT_GG, HT_NG = (75, "", 74), (75, "", 76)
H2_GG, H2_NG = (95, "", 74), (95, "", 76)


def over(market: int, line: str) -> LegTemplate:
    return (market, f"total={line}", 12)


def under(market: int, line: str) -> LegTemplate:
    return (market, f"total={line}", 13)


# --- result, goals and totals combined -------------------------------------------------------------


def _three_combo() -> list[_Outcome]:
    """``1GGO`` = 1 and GG and over the row's line (Bet9ja also spells over ``OV``)."""
    rows: list[_Outcome] = []
    for (r, result), (g, btts), (sides, ou) in product(
        RESULT.items(),
        (("GG", GG), ("NG", NG)),
        ((("O", "OV"), over(18, "{line}")), (("U", "UN"), under(18, "{line}"))),
    ):
        rows += [(f"{r}{g}{side}", ALL_OF, YES, (result, btts, ou)) for side in sides]
    return rows


def _three_chance() -> list[_Outcome]:
    """``1GGOV`` = 1 or GG or over; ``1NGUN`` = 1 or NG or under."""
    rows: list[_Outcome] = []
    for r, result in RESULT.items():
        rows.append((f"{r}GGOV", ANY_OF, YES, (result, GG, over(18, "{line}"))))
        rows.append((f"{r}NGUN", ANY_OF, YES, (result, NG, under(18, "{line}"))))
    return rows


def _halves_totals() -> list[_Outcome]:
    """``2+AND1+Y`` = 2+ goals in the 1st half and 1+ in the 2nd: yes; ``1-`` = 1 or fewer. The same count
    on both halves is UOF 58 "both halves over" / 59 "both halves under"."""
    rows: list[_Outcome] = []
    for first, second, sign in product(range(1, 5), range(1, 5), "+-"):
        for answer, yes_no in (("Y", YES), ("N", NO)):
            okey = f"{first}{sign}AND{second}{sign}{answer}"
            if first == second:
                uof = 58 if sign == "+" else 59
                line = first - 0.5 if sign == "+" else first + 0.5
                rows.append((okey, ALL_OF, YES, ((uof, f"total={line:g}", yes_no),)))
                continue
            side = over if sign == "+" else under
            shift = -0.5 if sign == "+" else 0.5
            legs = (side(68, f"{first + shift:g}"), side(90, f"{second + shift:g}"))
            rows.append((okey, ALL_OF, yes_no, legs))
    return rows


def _with_multigoals() -> list[Bet9jaMarket]:
    """``1X2MULTI1-2`` (1X2 and 1-2 goals) and ``DCMULTI1-2`` (double chance and 1-2 goals)."""
    return [
        composed(
            f"{bet}MULTI{name}",
            f"{bet} + Multi Goal {name}",
            [(outcome, ALL_OF, YES, (leg, (548, "", multigoal))) for outcome, leg in legs.items()],
        )
        for name, multigoal in MULTIGOAL_IDS.items()
        for bet, legs in (("1X2", RESULT), ("DC", DOUBLE))
    ]


def _score_set(okey: str) -> tuple[LegTemplate, ...]:
    """``102021`` = 1-0 or 2-0 or 2-1; a trailing ``O`` adds "other" (any score beyond 4:4)."""
    digits, other = (okey[:-1], True) if okey.endswith("O") else (okey, False)
    scores = [(int(digits[i]), int(digits[i + 1])) for i in range(0, len(digits), 2)]
    legs = [(45, "", correct_score_ft_id(h, a)) for h, a in scores]
    return tuple(legs + ([(45, "", CS_FT_OTHER)] if other else []))


_MCS3 = ["0011", "223344", "102021", "010212", "303132", "031323", "414243", "142434", "4004O"]
_MCS4 = ["00110110", "20213031", "02120313", "22233233", "40414243", "04142434", "44O"]

# --- halves ----------------------------------------------------------------------------------------

_HALF_AND_FULL_TIME: list[Bet9jaMarket] = [
    composed(
        "1X2HDCFT",
        "1X2 Half Time/Double Chance Full Time",
        [(f"{h}{dc}", ALL_OF, YES, (HT_RESULT[h], DOUBLE[dc])) for h, dc in product(RESULT, DOUBLE)],
    ),
    composed(
        "DCH1X2FT",
        "Double Chance Half Time/1X2 Full Time",
        [(f"{dc}{f}", ALL_OF, YES, (HT_DOUBLE[dc], RESULT[f])) for dc, f in product(DOUBLE, RESULT)],
    ),
    composed(
        "DCHTFT",
        "Double Chance Half Time/Full Time",
        [(f"{a}{b}", ALL_OF, YES, (HT_DOUBLE[a], DOUBLE[b])) for a, b in product(DOUBLE, DOUBLE)],
    ),
    composed(
        "LEASTX",
        "At Least a Half X",
        [
            (answer, ANY_OF, yes_no, (HT_RESULT["X"], H2_RESULT["X"]))
            for answer, yes_no in (("Y", YES), ("N", NO))
        ],
    ),
    # "which half the first goal (of the match / of a team) is scored in"
    *(
        composed(
            key,
            description,
            [
                ("1", ALL_OF, YES, (over(first, "0.5"),)),
                ("2", ALL_OF, YES, (under(first, "0.5"), over(second, "0.5"))),
                ("NG", ALL_OF, YES, (under(full, "0.5"),)),
            ],
        )
        for key, description, first, second, full in (
            ("1STGHT", "Half 1st Goal", 68, 90, 18),
            ("1STGHTH", "Half 1st Goal Home", 69, 91, 19),
            ("1STGHTA", "Half 1st Goal Away", 70, 92, 20),
        )
    ),
    # exactly 1 and exactly 2 goals in a half ("3" left out: see the module docstring)
    *(
        composed(
            key,
            description,
            [
                ("1", ALL_OF, YES, (over(half, "0.5"), under(half, "1.5"))),
                ("2", ALL_OF, YES, (over(half, "1.5"), under(half, "2.5"))),
            ],
        )
        for key, description, half in (
            ("GOALS1T", "1st Half - Exact Goals", 68),
            ("GOALS2T", "2nd Half - Total Goals", 90),
        )
    ),
]

# --- "or" markets beside the UOF ones of football_combos (rows with the same key merge) --------------

_CHANCE_MIX: list[Bet9jaMarket] = [
    # "1 or GG" is UOF 860-862; "1 or NG" UOF 863-865 "home/draw/away or any clean sheet" (a team kept a
    # clean sheet exactly when not both scored)
    composed(
        "CHANCEMIX",
        "1X2 Or Goal/No Goal",
        [(f"{r}orGG", 860 + i, YES) for i, r in enumerate(RESULT)]
        + [(f"{r}orNG", 863 + i, YES) for i, r in enumerate(RESULT)],
    ),
    # "1 or over/under" is UOF 854-859; GG or over/under as combinations
    composed(
        "CHANCEMIXGGOU",
        "Chance Mix",
        [
            *result_or_total(),
            ("GGOO", ANY_OF, YES, (GG, over(18, "{line}"))),
            ("GGOU", ANY_OF, YES, (GG, under(18, "{line}"))),
            ("NGOO", ANY_OF, YES, (NG, over(18, "{line}"))),
            ("NGOU", ANY_OF, YES, (NG, under(18, "{line}"))),
        ],
        "total",
    ),
    # UOF 1179 "1st half result or match result"
    composed(
        "CHANCEMIXN",
        "Chance Mix +",
        [
            *((f"{r}H{r}FT", 1179, i + 1) for i, r in enumerate(RESULT)),
            ("UHGGH", ANY_OF, YES, (under(68, "1.5"), HT_GG)),
            ("U2TGG2T", ANY_OF, YES, (under(90, "1.5"), H2_GG)),
            ("GGHGG2T", ANY_OF, YES, (HT_GG, H2_GG)),
            *((f"{r}HGGH", ANY_OF, YES, (HT_RESULT[r], HT_GG)) for r in RESULT),
            *((f"{r}HNGH", ANY_OF, YES, (HT_RESULT[r], HT_NG)) for r in RESULT),
            *((f"{r}2TGG2T", ANY_OF, YES, (H2_RESULT[r], H2_GG)) for r in RESULT),
            *((f"{r}2TNG2T", ANY_OF, YES, (H2_RESULT[r], H2_NG)) for r in RESULT),
            *((f"{r}H0GH", ANY_OF, YES, (HT_RESULT[r], under(68, "0.5"))) for r in ("1", "2")),
            *((f"{r}2T0G2T", ANY_OF, YES, (H2_RESULT[r], under(90, "0.5"))) for r in ("1", "2")),
        ],
    ),
]

# --- corners ---------------------------------------------------------------------------------------


def _exact_corners() -> list[_Outcome]:
    """``9Corner`` = exactly 9 (over 8.5 and under 9.5); ``LT7Corner`` = fewer than 7; ``20PCorner`` = 20+."""
    rows: list[_Outcome] = []
    for count in range(0, 31):
        rows.append(
            (f"{count}Corner", ALL_OF, YES, (over(166, f"{count - 0.5:g}"), under(166, f"{count + 0.5:g}")))
        )
        rows.append((f"LT{count}Corner", ALL_OF, YES, (under(166, f"{count - 0.5:g}"),)))
        rows.append((f"{count}PCorner", ALL_OF, YES, (over(166, f"{count - 0.5:g}"),)))
    return [row for row in rows if "total=-" not in row[3][0][1]]


def _three_way_corner_handicap(asian: int) -> list[_Outcome]:
    """3-way corner handicap on the home line h (whole corners) from the Asian market's half lines:
    1 = home -(h-0.5) wins, 2 = away on h+0.5 wins, X = exactly h: home on h+0.5 and away on h-0.5 win."""
    home, away = 1714, 1715
    return [
        ("1H", ALL_OF, YES, ((asian, "hcp={line-0.5}", home),)),
        ("2H", ALL_OF, YES, ((asian, "hcp={line+0.5}", away),)),
        ("XH", ALL_OF, YES, ((asian, "hcp={line+0.5}", home), (asian, "hcp={line-0.5}", away))),
    ]


_CORNER_ROWS: list[Bet9jaMarket] = [
    composed("NCORN", "Number Corner", _exact_corners()),
    composed("HNDCORNER", "Corners - Handicap", _three_way_corner_handicap(165), "hcp"),
    composed(
        "CHH",
        "Corner Handicap HT",
        [
            (okey.removesuffix("H"), op, yes_no, legs)
            for okey, op, yes_no, legs in _three_way_corner_handicap(176)
        ],
        "hcp",
    ),
    composed(
        "CORNERHTFT",
        "Corners HT/FT",
        [(f"{h}{f}", ALL_OF, YES, (HT_CORNERS[h], CORNERS[f])) for h, f in product(CORNERS, CORNERS)],
    ),
    # a corner in the first 10 minutes (0:00-9:59): UOF 575 "10 minutes - total corners from 1 to 10"
    market(
        "CORN10",
        "Corner 10 Minutes",
        575,
        [("YC10MIN", 12), ("NC10MIN", 13)],
        specifier="from=1|to=10|total=0.5",
    ),
]

COMPOSED: tuple[Bet9jaMarket, ...] = (
    composed("3COMBO1", "1X2 + Goal/No Goal + Over/Under", _three_combo(), "total"),
    composed("3CM", "1X2 Or Goal/No Goal Or Over/Under", _three_chance(), "total"),
    composed("TOTAL1T2T", "Total Goals 1st + 2nd Half", _halves_totals()),
    composed("MCS3", "Multi C.Score (1)", [(k, ANY_OF, YES, _score_set(k)) for k in _MCS3]),
    composed("MCS4", "Multi C.Score(2)", [(k, ANY_OF, YES, _score_set(k)) for k in _MCS4]),
    *_with_multigoals(),
    *_HALF_AND_FULL_TIME,
    *_CHANCE_MIX,
    *_CORNER_ROWS,
)
