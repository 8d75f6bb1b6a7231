"""Bet9ja -> canonical, as data: one row per Bet9ja market key.

Bet9ja odds are a flat dict keyed ``<SPORT>_<MARKET>[@<line>]_<OUTCOME>`` (``S_OU@2.5_O``). One Bet9ja
market may feed two canonical markets (``S_HAOU`` holds both the home and the away team totals), so each
outcome key names its own canonical (market, outcome).

Line rules: ``total`` the @param is the over/under line; ``hcp`` the @param is the HOME line (Asian and
3-way handicaps alike: ``S_1X2HND@-1`` = home starts one goal down = canonical ``hcp=-1``).
``lines`` says which canonical lines the market carries when rendering: Bet9ja keeps half lines in ``OU``
and whole/quarter (Asian) lines in ``OUA``; both parse to canonical market 18.
Traps handled here: ``CSFT_OTH`` is UOF "other"; ``EXACTGOAL_6`` means 6+ and there is no 0 outcome.
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

LineRule = Literal["none", "total", "hcp"]
LineKind = Literal["any", "half", "asian"]


@dataclass(frozen=True, slots=True)
class Bet9jaMarket:
    key: str  # the market part of the odds key, without sport prefix: "OU"
    description: str  # MK[].DS
    line: LineRule
    outcomes: tuple[tuple[str, int, int], ...]  # (Bet9ja outcome key, canonical market, canonical outcome)
    lines: LineKind = "any"
    specifier: str = ""  # fixed canonical specifier (variant=..., goalnr=1) for line-less markets


def _m(
    key: str,
    description: str,
    market: int,
    outcomes: list[tuple[str, int]],
    line: LineRule = "none",
    lines: LineKind = "any",
    specifier: str = "",
) -> Bet9jaMarket:
    return Bet9jaMarket(key, description, line, tuple((o, market, c) for o, c in outcomes), lines, specifier)


def _split(key: str, description: str, outcomes: list[tuple[str, int, int]], line: LineRule) -> Bet9jaMarket:
    return Bet9jaMarket(key, description, line, tuple(outcomes))


_1X2 = [("1", 1), ("X", 2), ("2", 3)]
_DC = [("1X", 9), ("12", 10), ("X2", 11)]
_DNB = [("1", 4), ("2", 5)]
_OU = [("O", 12), ("U", 13)]
_YN = [("Y", 74), ("N", 76)]
_AH = [("1", 1714), ("2", 1715)]
_OE = [("OD", 70), ("EV", 72)]
_HALVES = [("1", 436), ("2", 438), ("E", 440)]
#: Both books label HT/FT outcomes exactly as the UOF names them ("1/X"...): derived, not restated.
_HTFT = [(name, outcome) for outcome, name in HT_FT.items()]
_CS_FT = [
    *((f"{h}:{a}", correct_score_ft_id(h, a)) for h in range(5) for a in range(5)),
    ("OTH", CS_FT_OTHER),
]
_CS_1H = [*((f"{h}:{a}", oid) for (h, a), oid in CS_1H_IDS.items()), ("OTH", CS_1H_OTHER)]
_CS_2H = [*((f"{h}:{a}", oid) for (h, a), oid in CS_2H_IDS.items()), ("OTH", CS_2H_OTHER)]

FOOTBALL: tuple[Bet9jaMarket, ...] = (
    _m("1X2", "1X2", 1, _1X2),
    _m("DC", "Double Chance", 10, _DC),
    _m("DNB", "Draw No Bet", 11, _DNB),
    _m("OU", "Over/Under", 18, _OU, "total", "half"),
    _m("OUA", "Over/Under Asian", 18, _OU, "total", "asian"),
    _m("GGNG", "GG/NG", 29, _YN),
    _m("AH", "Asian Handicap", 16, _AH, "hcp"),
    _m("1X2HND", "1X2 Handicap", 14, [("1H", 1711), ("XH", 1712), ("2H", 1713)], "hcp"),
    _m("HTFT", "Half Time/Full Time", 47, _HTFT),
    _m("CSFT", "Correct Score", 45, _CS_FT),
    _m("OE", "Odd/Even", 26, _OE),
    _split(
        "HAOU",
        "Home/Away Over/Under",
        [("OH", 19, 12), ("UH", 19, 13), ("OA", 20, 12), ("UA", 20, 13)],
        "total",
    ),
    _m("OEHOME", "Odd/Even Home", 27, _OE),
    _m("OEAWAY", "Odd/Even Away", 28, _OE),
    _m("CLEANSH", "Home Clean Sheet", 31, _YN),
    _m("CLEANSA", "Away Clean Sheet", 32, _YN),
    _m("HOMEWINNIL", "Home Win to Nil", 33, _YN),
    _m("AWAYWINNIL", "Away Win to Nil", 34, _YN),
    _m(
        "EXACTGOAL",
        "Exact Goals",
        21,
        [(str(n), 68 + n) for n in range(1, 7)],
        specifier="variant=sr:exact_goals:6+",
    ),
    _m(
        "GOALSHOME",
        "Home Goals",
        23,
        [("0", 88), ("1", 89), ("2", 90), ("3+", 91)],
        specifier="variant=sr:exact_goals:3+",
    ),
    _m(
        "GOALSAWAY",
        "Away Goals",
        24,
        [("0", 88), ("1", 89), ("2", 90), ("3+", 91)],
        specifier="variant=sr:exact_goals:3+",
    ),
    _m("HOMENOBET", "Home No Bet", 12, [("X", 776), ("2", 778)]),
    _m("AWAYNOBET", "Away No Bet", 13, [("1", 780), ("X", 782)]),
    _m("1STGOAL", "First Goal", 8, [("1", 6), ("X", 7), ("2", 8)], specifier="goalnr=1"),
    _m("LASTSCORE", "Last Team to Score", 9, [("1", 6), ("N", 7), ("2", 8)]),
    _m("SCORET", "Team to Score", 30, [("NG", 784), ("1", 788), ("2", 790), ("GG", 792)]),
    _m(
        "1X2GGNG",
        "1X2 + GG/NG",
        35,
        [("1ANDGG", 78), ("1ANDNG", 80), ("XANDGG", 82), ("XANDNG", 84), ("2ANDGG", 86), ("2ANDNG", 88)],
    ),
    _m(
        "1X2OU",
        "1X2 + Over/Under",
        37,
        [("1U", 794), ("1O", 796), ("XU", 798), ("XO", 800), ("2U", 802), ("2O", 804)],
        "total",
    ),
    _m(
        "GGNGOU",
        "GG/NG + Over/Under",
        36,
        [("GGOVER", 90), ("GGUNDER", 92), ("NGOVER", 94), ("NGUNDER", 96)],
        "total",
    ),
    _m(
        "DCGGNG",
        "Double Chance + GG/NG",
        546,
        [("1XGG", 1718), ("1XNG", 1719), ("12GG", 1720), ("12NG", 1721), ("X2GG", 1722), ("X2NG", 1723)],
    ),
    _m(
        "DCOU",
        "Double Chance + Over/Under",
        547,
        [("1XU", 1724), ("12U", 1725), ("X2U", 1726), ("1XO", 1727), ("12O", 1728), ("X2O", 1729)],
        "total",
    ),
    _m("HOMEWINBOTH", "Home Win Both Halves", 48, _YN),
    _m("AWAYWINBOTH", "Away Win Both Halves", 49, _YN),
    _m("HOMEWINHALF", "Home Win Either Half", 50, _YN),
    _m("AWAYWINHALF", "Away Win Either Half", 51, _YN),
    _m("HIGHHALF", "Highest Scoring Half", 52, _HALVES),
    _m("HOMEHIGHHALF", "Home Highest Scoring Half", 53, _HALVES),
    _m("AWAYHIGHHALF", "Away Highest Scoring Half", 54, _HALVES),
    _m("HOMESCOREBOTH", "Home to Score Both Halves", 56, _YN),
    _m("AWAYSCOREBOTH", "Away to Score Both Halves", 57, _YN),
    _m("HTFTCS", "HT/FT Correct Score", 46, list(HT_FT_CORRECT_SCORE.items())),
    _m(
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
    _m("GGNG2PLUS", "GG/NG 2+", 60000, [("GG", 74), ("NG", 76)]),
    _m("TMGHO", "Home Multigoals", 549, [("HO12", 1746), ("HO13", 1747), ("HO23", 1748)]),
    _m("TMGAW", "Away Multigoals", 550, [("AW12", 1746), ("AW13", 1747), ("AW23", 1748)]),
    *(
        _m(f"1X21ST{minute}MIN", f"1X2 first {minute} minutes", 900069, _1X2, specifier=f"minute={minute}")
        for minute in (5, 10, 15, 20, 30, 60)
    ),
    _m("S5MIN", "Goal in first 5 minutes", 900313, [("YF5M", 30)], specifier="minute=5|total=0.5"),
    *(
        _m(
            f"S{minute}MIN",
            f"Goal in first {minute} minutes",
            900313,
            [(f"YS{minute}M", 30), (f"NS{minute}M", 31)],
            specifier=f"minute={minute}|total=0.5",
        )
        for minute in (20, 30)
    ),
    # first half
    _m("MGOAL1T", "1st Half - Multigoals", 552, [("12", 1746), ("13", 1747), ("23", 1748)]),
    _m(
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
    _m(
        "HTDCOU",
        "1st Half - Double Chance + Over/Under",
        900042,
        [("1XO", 145), ("12O", 146), ("X2O", 147), ("1XU", 148), ("12U", 149), ("X2U", 150)],
        "total",
    ),
    _m("1X21T", "1st Half - 1X2", 60, _1X2),
    _m("DC1T", "1st Half - Double Chance", 63, _DC),
    _m("DNB1T", "1st Half - Draw No Bet", 64, _DNB),
    _m("OU1T", "1st Half - Over/Under", 68, _OU, "total"),
    _m("GGNG1T", "1st Half - GG/NG", 75, _YN),
    _m("OE1T", "1st Half - Odd/Even", 74, _OE),
    _m("CS1T", "1st Half - Correct Score", 81, _CS_1H),
    _m("1X2HNDHT", "1st Half - 1X2 Handicap", 65, [("1", 1711), ("X", 1712), ("2", 1713)], "hcp"),
    _split(
        "HA1HOU",
        "1st Half - Home/Away Over/Under",
        [("HO", 69, 12), ("HU", 69, 13), ("AO", 70, 12), ("AU", 70, 13)],
        "total",
    ),
    # second half
    _m("MGOAL2T", "2nd Half - Multigoals", 553, [("12", 1746), ("13", 1747), ("23", 1748)]),
    _m(
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
    _m(
        "2TDCOU",
        "2nd Half - Double Chance + Over/Under",
        900043,
        [("1XO", 145), ("12O", 146), ("X2O", 147), ("1XU", 148), ("12U", 149), ("X2U", 150)],
        "total",
    ),
    _m("1X22T", "2nd Half - 1X2", 83, _1X2),
    _m("DC2T", "2nd Half - Double Chance", 85, _DC),
    _m("DNB2T", "2nd Half - Draw No Bet", 86, _DNB),
    _m("OU2T", "2nd Half - Over/Under", 90, _OU, "total"),
    _m("GGNG2T", "2nd Half - GG/NG", 95, _YN),
    _m("OE2T", "2nd Half - Odd/Even", 94, _OE),
    _m("CS2T", "2nd Half - Correct Score", 98, _CS_2H),
    _m("1X2HND2TN", "2nd Half - 1X2 Handicap", 87, [("1", 1711), ("X", 1712), ("2", 1713)], "hcp"),
    _split(
        "HA2HOU",
        "2nd Half - Home/Away Over/Under",
        [("HO", 91, 12), ("HU", 91, 13), ("AO", 92, 12), ("AU", 92, 13)],
        "total",
    ),
    # corners (UOF pass-through markets)
    _m("OUCORNERS", "Corners Over/Under", 166, _OU, "total"),
    _m("CAH", "Corners Asian Handicap", 165, _AH, "hcp"),
    _m("OECORNER", "Odd/Even Corners", 172, _OE),
    _m("C1HTOU", "1st Half Corners Over/Under", 177, _OU, "total"),
    _m("CORNERSHOMEOU", "Home Corners Over/Under", 900300, [("HCO", 30), ("HCU", 31)], "total"),
    _m("CORNERSAWAYOU", "Away Corners Over/Under", 900301, [("ACO", 30), ("ACU", 31)], "total"),
)

TENNIS: tuple[Bet9jaMarket, ...] = (
    _m("12", "Match Winner", 186, [("1", 4), ("2", 5)]),
    _m("OUG", "Over/Under Games", 189, _OU, "total"),
    _m("GH", "Game Handicap", 187, _AH, "hcp"),
)

# Basketball was never captured: these keys are a documented guess in Bet9ja's style.
BASKETBALL: tuple[Bet9jaMarket, ...] = (
    _m("12", "Home/Away (incl. OT)", 219, [("1", 4), ("2", 5)]),
    _m("OU", "Over/Under (incl. OT)", 225, _OU, "total"),
    _m("AH", "Handicap (incl. OT)", 223, _AH, "hcp"),
)

#: Odds-key prefix -> (canonical sport, table). Live soccer uses LIVES_ with {"v": x} values (not mapped).
BY_PREFIX: dict[str, tuple[str, tuple[Bet9jaMarket, ...]]] = {
    "S": ("football", FOOTBALL),
    "B": ("basketball", BASKETBALL),
    "T": ("tennis", TENNIS),
}
