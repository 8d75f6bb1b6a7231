"""The row type of Bet9ja's mapping table and the outcome lists its sports share.

A row maps one market key of ``<SPORT>_<MARKET>[@<param>]_<OUTCOME>`` (``S_OU@2.5_O``), each outcome to its
own canonical (market, outcome) or a combination of UOF ones (``legs``). Line rules say what ``@param`` means:
``none``, ``total``, ``hcp`` (the home line), ``score`` (in-play next goal: ``goalnr`` = h + a + 1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import product
from typing import Literal

from palimpsest_pipeline.markets.vocabulary import HT_FT

LineRule = Literal["none", "total", "hcp", "score"]
LineKind = Literal["any", "half", "asian"]
#: One leg of a combination: (UOF market, specifier template, UOF outcome); see combinations.fill_line.
LegTemplate = tuple[int, str, int]


@dataclass(frozen=True, slots=True)
class Bet9jaMarket:
    key: str  # the market part of the odds key, without sport prefix: "OU"
    description: str  # MK[].DS
    line: LineRule
    outcomes: tuple[tuple[str, int, int], ...]  # (Bet9ja outcome key, canonical market, canonical outcome)
    lines: LineKind = "any"
    specifier: str = ""  # fixed canonical specifier (variant=..., goalnr=1, setnr=1)
    #: the row restates another UOF market's bet ("home to score: yes" = "away clean sheet: no"): its rows
    #: are kept only when the payload does not price that market directly, so no key is produced twice
    equivalent: bool = False
    #: outcome key -> the UOF legs of a combination outcome (its canonical market is ALL_OF or ANY_OF)
    legs: tuple[tuple[str, tuple[LegTemplate, ...]], ...] = ()


def market(
    key: str,
    description: str,
    canonical: int,
    outcomes: list[tuple[str, int]],
    line: LineRule = "none",
    lines: LineKind = "any",
    specifier: str = "",
) -> Bet9jaMarket:
    """A row whose outcomes all belong to one canonical market."""
    return Bet9jaMarket(
        key, description, line, tuple((o, canonical, c) for o, c in outcomes), lines, specifier
    )


def split(
    key: str,
    description: str,
    outcomes: list[tuple[str, int, int]],
    line: LineRule = "none",
) -> Bet9jaMarket:
    """A row whose outcomes feed several canonical markets: (outcome key, canonical market, outcome)."""
    return Bet9jaMarket(key, description, line, tuple(outcomes))


def equivalent(key: str, description: str, canonical: int, outcomes: list[tuple[str, int]]) -> Bet9jaMarket:
    """A row that restates ``canonical``'s bet in other words (see ``Bet9jaMarket.equivalent``)."""
    return replace(market(key, description, canonical, outcomes), equivalent=True)


def composed(
    key: str,
    description: str,
    outcomes: Sequence[tuple[str, int, int] | tuple[str, int, int, tuple[LegTemplate, ...]]],
    line: LineRule = "none",
) -> Bet9jaMarket:
    """A row with combination outcomes ``(outcome key, ALL_OF or ANY_OF, yes or no, legs)``, beside plain
    ones ``(outcome key, canonical market, canonical outcome)`` where one outcome is a UOF outcome itself."""
    return Bet9jaMarket(
        key,
        description,
        line,
        tuple((entry[0], entry[1], entry[2]) for entry in outcomes),
        legs=tuple((entry[0], entry[3]) for entry in outcomes if len(entry) == 4),
    )


ONE_X_TWO = [("1", 1), ("X", 2), ("2", 3)]
DOUBLE_CHANCE = [("1X", 9), ("12", 10), ("X2", 11)]
HOME_AWAY = [("1", 4), ("2", 5)]
OVER_UNDER = [("O", 12), ("U", 13)]
YES_NO = [("Y", 74), ("N", 76)]
ASIAN = [("1", 1714), ("2", 1715)]
ODD_EVEN = [("OD", 70), ("EV", 72)]
HALVES = [("1", 436), ("2", 438), ("E", 440)]
#: Both books label HT/FT outcomes exactly as the UOF names them ("1/X"...): derived, not restated.
HT_FT_NAMES = [(name, outcome) for outcome, name in HT_FT.items()]
#: Which team scores (or wins the corner) first or last: home, none, away.
WHICH_TEAM = [("1", 6), ("X", 7), ("2", 8)]
HANDICAP_3WAY = [("1", 1711), ("X", 1712), ("2", 1713)]
EXACT_GOALS_3 = [("0", 88), ("1", 89), ("2", 90), ("3+", 91)]
#: Winner & total (basketball 292, tennis 1055/1056): 1 over, 2 over, 1 under, 2 under.
WINNER_TOTAL = [("1O", 973), ("2O", 974), ("1U", 975), ("2U", 976)]


def result_btts(
    template: str, results: Sequence[str] = ("1", "X", "2"), answers: Sequence[str] = ("GG", "NG")
) -> list[tuple[str, int]]:
    """UOF 1X2 & both teams to score (78 home & yes, 80 home & no ... 88 away & no), keyed by ``template``
    with ``{r}`` a result and ``{g}`` an answer."""
    return [(template.format(r=r, g=g), 78 + 2 * i) for i, (r, g) in enumerate(product(results, answers))]


def dc_btts(template: str, answers: Sequence[str] = ("GG", "NG")) -> list[tuple[str, int]]:
    """UOF double chance & both teams to score (1718 1X & yes ... 1723 X2 & no), keyed by ``template`` with
    ``{dc}`` a double chance and ``{g}`` an answer."""
    return [
        (template.format(dc=dc, g=g), 1718 + i)
        for i, (dc, g) in enumerate(product(("1X", "12", "X2"), answers))
    ]


def ht_ft_total(slash: str) -> list[tuple[str, int]]:
    """UOF 818/819 (HT/FT & total): ``1/1U`` (HT 1, FT 1, under) -> 1836 .. ``2/2O`` -> 1853, in UOF's HT/FT
    order, under then over; ``slash`` is written between the halves' results."""
    return [
        (f"{htft.replace('/', slash)}{side}", base + i)
        for side, base in (("U", 1836), ("O", 1845))
        for i, htft in enumerate(HT_FT.values())
    ]


def result_total(suffix: str = "") -> list[tuple[str, int]]:
    """``1U`` -> 794 (home & under) .. ``2O`` -> 804: UOF 1X2 & total outcomes, each key ending ``suffix``."""
    ids = {"1U": 794, "1O": 796, "XU": 798, "XO": 800, "2U": 802, "2O": 804}
    return [(f"{key}{suffix}", oid) for key, oid in ids.items()]
