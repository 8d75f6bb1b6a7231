"""The row type of BetPawa's mapping table, its line rules and the outcome lists its sports share.

A price ``typeId`` is unique to its market type but means other bets in other sports (4429 "Correct Score"
is a goal score in football, a set score in tennis): the table is per sport. Line rules: ``total`` (an
over/under), ``hcp`` (an Asian handicap's home line), ``hcp3`` (a 3-way handicap's home line), ``goalnr``
("{handicap} Goal"), read from every place a row carries them (grammar/lines.py, ../shared/PLATFORMS.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from palimpsest_pipeline.markets.vocabulary import (
    CS_FT_OTHER,
    HT_FT,
    HT_FT_CORRECT_SCORE,
    MULTIGOAL_IDS,
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
    #: Why the parser needs this row: what the grammar cannot decide. Empty: the grammar keys the market
    #: itself (test_table_rows.py proves it); the row is the sandbox's catalogue of BetPawa's names and the
    #: parser's fallback only where the grammar refuses a price (a hostile or unexpected value).
    why: str = ""


def row(
    type_id: str,
    name: str,
    market: int,
    prices: list[tuple[str, str, int]],
    line: LineRule = "none",
    handicap_type: str | None = None,
    specifier: str = "",
    *,
    why: str = "",
) -> BetPawaMarket:
    return BetPawaMarket(type_id, name, market, line, tuple(prices), handicap_type, specifier, why)


def consecutive(first: int, names_outcomes: list[tuple[str, int]]) -> list[tuple[str, str, int]]:
    return [(str(first + i), name, outcome) for i, (name, outcome) in enumerate(names_outcomes)]


def over_under(type_id: str, name: str, market: int, first: int, specifier: str = "") -> BetPawaMarket:
    """A total's row: Over priced at typeId ``first``, Under at the next."""
    return row(type_id, name, market, consecutive(first, OU), "total", "NORMAL", specifier)


def asian(type_id: str, name: str, market: int, first: int, specifier: str = "") -> BetPawaMarket:
    """An Asian handicap's row: home priced at typeId ``first``, away at the next."""
    return row(type_id, name, market, consecutive(first, AH), "hcp", "ASIAN", specifier)


ONE_X_TWO = [("1", 1), ("X", 2), ("2", 3)]
DC = [("1X", 9), ("X2", 11), ("12", 10)]  # BetPawa's order, not UOF's
DNB = [("1", 4), ("2", 5)]
OU = [("Over", 12), ("Under", 13)]
YN = [("Yes", 74), ("No", 76)]
AH = [("1", 1714), ("2", 1715)]
EURO = [("1", 1711), ("X", 1712), ("2", 1713)]
OE = [("Odd", 70), ("Even", 72)]
#: Both books label HT/FT outcomes exactly as the UOF names them ("1/X"...): derived, not restated.
HTFT = [(name, outcome) for outcome, name in HT_FT.items()]
HALVES = [("First Half", 436), ("Second Half", 438), ("Equal", 440)]
MULTIGOALS = [*MULTIGOAL_IDS.items(), ("7+", 1745), ("No goal", 1804)]
MULTIGOALS_SHORT = [("1-2", 1746), ("1-3", 1747), ("2-3", 1748), ("4+", 1749), ("No goal", 1805)]
MULTISCORES = [
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
RESULT_BTTS = [
    ("1 - Yes", 78),
    ("1 - No", 80),
    ("2 - Yes", 86),
    ("2 - No", 88),
    ("X - Yes", 82),
    ("X - No", 84),
]
RESULT_TOTAL = [
    ("1 - Over", 796),
    ("X - Over", 800),
    ("2 - Over", 804),
    ("1 - Under", 794),
    ("X - Under", 798),
    ("2 - Under", 802),
]
DC_BTTS = [
    ("1X - Yes", 1718),
    ("1X - No", 1719),
    ("12 - Yes", 1720),
    ("12 - No", 1721),
    ("X2 - Yes", 1722),
    ("X2 - No", 1723),
]


def ht_ft_correct_score() -> list[tuple[str, str, int]]:
    """HT/FT correct score: BetPawa 28000229.. lists the 46 outcomes in UOF 46's order (326, 328, ...)."""
    return [(str(28000229 + i), name, oid) for i, (name, oid) in enumerate(HT_FT_CORRECT_SCORE.items())]


def cs_ft_v4() -> list[tuple[str, str, int]]:
    """v4 "Correct Score (26 Outcomes)": 28000870.. in UOF order (home goals fastest), then "Other"."""
    rows = [
        (str(28000870 + h + 5 * a), f"{h}-{a}", correct_score_ft_id(h, a)) for a in range(5) for h in range(5)
    ]
    return [*rows, ("28000895", "Other", CS_FT_OTHER)]


def cs_ft_v3() -> list[tuple[str, str, int]]:
    """v3 "Correct Score - FT": 4430 + 11*home + away. Its "Other" also covers 5+ scores it lists apart,
    so only scores up to 4:4 are the same bet as UOF 45."""
    return [
        (str(4430 + 11 * h + a), f"{h}-{a}", correct_score_ft_id(h, a)) for h in range(5) for a in range(5)
    ]


def cs_half(
    base: int, ids: dict[tuple[int, int], int], other_type: str, other: int
) -> list[tuple[str, str, int]]:
    rows = [(str(base + 11 * h + a), f"{h}-{a}", oid) for (h, a), oid in ids.items()]
    return [(other_type, "Other", other), *rows]
