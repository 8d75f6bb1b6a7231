"""The canonical market vocabulary: SportRadar Unified Odds Feed (UOF) market and outcome ids; a canonical key
is ``(market id, normalised specifier, outcome id)`` (../shared/MARKETS.md). ``CORE`` markets are fully
described (outcomes, completeness, main); pass-through markets keep open outcome sets.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from palimpsest_pipeline.markets.adopted import BASKETBALL, FOOTBALL, NATIVE_LIST, PASSTHROUGH_LIST, TENNIS
from palimpsest_pipeline.markets.combinations import ALL_OF, ANY_OF, COMBINATION_MARKETS
from palimpsest_pipeline.markets.grammar.canonical import DESCRIBED
from palimpsest_pipeline.markets.uof import uof_markets

CanonicalKey = tuple[int, str, int]


@dataclass(frozen=True, slots=True)
class MarketDef:
    """One canonical market. ``outcomes`` is None for an open outcome set (pass-through UOF markets)."""

    market_id: int
    name: str
    sport: str
    specifier_keys: tuple[str, ...] = ()
    outcomes: dict[int, str] | None = field(default=None)
    complete: bool = False  # outcomes are mutually exclusive and exhaustive: a margin is computable
    main: bool = False  # a headline market (1X2, totals, handicaps...): the margin checks apply
    variant: str | None = None  # the fixed ``variant=`` specifier value, when the market has one

    def accepts(self, outcome: int) -> bool:
        return self.outcomes is None or outcome in self.outcomes


# --- outcome sets (UOF ids) -------------------------------------------------------------------------
THREE_WAY = {1: "home", 2: "draw", 3: "away"}
DOUBLE_CHANCE = {9: "home or draw (1X)", 10: "home or away (12)", 11: "draw or away (X2)"}
DRAW_NO_BET = {4: "home", 5: "away"}
OVER_UNDER = {12: "over", 13: "under"}
YES_NO = {74: "yes", 76: "no"}
ASIAN = {1714: "home", 1715: "away"}
EURO_HCP = {1711: "home", 1712: "draw", 1713: "away"}
ODD_EVEN = {70: "odd", 72: "even"}
HT_FT = {
    418 + 2 * i: name
    for i, name in enumerate(["1/1", "1/X", "1/2", "X/1", "X/X", "X/2", "2/1", "2/X", "2/2"])
}
NEXT_GOAL = {6: "home", 7: "none", 8: "away"}
HIGHEST_HALF = {436: "1st half", 438: "2nd half", 440: "equal"}
TEAMS_TO_SCORE = {784: "none", 788: "only home", 790: "only away", 792: "both"}
RESULT_BTTS = {78: "1 & yes", 80: "1 & no", 82: "X & yes", 84: "X & no", 86: "2 & yes", 88: "2 & no"}
RESULT_TOTAL = {
    794: "1 & under",
    796: "1 & over",
    798: "X & under",
    800: "X & over",
    802: "2 & under",
    804: "2 & over",
}
TOTAL_BTTS = {90: "over & yes", 92: "under & yes", 94: "over & no", 96: "under & no"}
DC_BTTS = {
    1718: "1X & yes",
    1719: "1X & no",
    1720: "12 & yes",
    1721: "12 & no",
    1722: "X2 & yes",
    1723: "X2 & no",
}
DC_TOTAL = {
    1724: "1X & under",
    1725: "12 & under",
    1726: "X2 & under",
    1727: "1X & over",
    1728: "12 & over",
    1729: "X2 & over",
}
HOME_NO_BET = {776: "draw", 778: "away"}
AWAY_NO_BET = {780: "home", 782: "draw"}


def correct_score_ft_id(home: int, away: int) -> int:
    """UOF market 45 outcome id for a score up to 4:4: 274 = 0:0, +2 per home goal, +10 per away goal."""
    return 274 + 2 * (home + 5 * away)


CS_FT_OTHER = 324
CORRECT_SCORE_FT = {correct_score_ft_id(h, a): f"{h}:{a}" for h in range(5) for a in range(5)}
CORRECT_SCORE_FT[CS_FT_OTHER] = "other"
#: UOF 1st-half (81) and 2nd-half (98) correct score: fixed lists up to 2:2 plus "other".
CS_1H_IDS = {
    score: 462 + 2 * i
    for i, score in enumerate([(0, 0), (1, 1), (2, 2), (1, 0), (2, 0), (2, 1), (0, 1), (0, 2), (1, 2)])
}
CS_1H_OTHER = 480
CS_2H_IDS = {(h, a): 546 + 2 * (3 * h + a) for h in range(3) for a in range(3)}
CS_2H_OTHER = 564


def _cs_outcomes(ids: dict[tuple[int, int], int], other: int) -> dict[int, str]:
    names = {oid: f"{h}:{a}" for (h, a), oid in ids.items()}
    names[other] = "other"
    return names


def _ht_ft_correct_score_names() -> dict[str, int]:
    """UOF 46 (HT/FT correct score) outcomes by "h-a/h-a" name: 326, 328, ... in UOF order."""
    half_scores = [(0, 0), (0, 1), (0, 2), (0, 3), (1, 0), (1, 1), (1, 2), (2, 0), (2, 1), (3, 0)]
    names: list[str] = []
    for ht in half_scores:
        later = [ft for ft in half_scores if ft[0] >= ht[0] and ft[1] >= ht[1]]
        names += [f"{ht[0]}-{ht[1]}/{ft[0]}-{ft[1]}" for ft in later] + [f"{ht[0]}-{ht[1]}/4+"]
    names.append("4+/4+")
    return {name: 326 + 2 * i for i, name in enumerate(names)}


#: "0-0/1-0" -> UOF outcome id of market 46, in UOF order.
HT_FT_CORRECT_SCORE = _ht_ft_correct_score_names()

EXACT_GOALS_6 = "sr:exact_goals:6+"  # 68..74 = 0..6+
EXACT_GOALS_3 = "sr:exact_goals:3+"  # 88..91 = 0..3+
EXACT_GOALS_6_IDS = {68 + n: (str(n) if n < 6 else "6+") for n in range(7)}
EXACT_GOALS_3_IDS = {88 + n: (str(n) if n < 3 else "3+") for n in range(4)}
#: UOF 548 (multigoals) outcome ids by range, in UOF order: "1-2" 1730 ... "5-6" 1744.
MULTIGOAL_IDS = {
    range_: 1730 + i
    for i, range_ in enumerate(f"{low}-{high}" for low in range(1, 6) for high in range(low + 1, 7))
}

# --- core markets -----------------------------------------------------------------------------------
_F = FOOTBALL


def _m(
    mid: int,
    name: str,
    outcomes: dict[int, str],
    *,
    keys: tuple[str, ...] = (),
    complete: bool = True,
    main: bool = False,
    sport: str = _F,
    variant: str | None = None,
) -> MarketDef:
    return MarketDef(mid, name, sport, keys, dict(outcomes), complete, main, variant)


def _half(nth: str, ids: tuple[int, ...], correct_score: dict[int, str]) -> list[MarketDef]:
    """A half's markets, alike for both halves, given their ids in this order."""
    total, hcp = ("total",), ("hcp",)
    bets = (  # name, outcomes, specifier keys, complete, main
        ("1X2", THREE_WAY, (), True, True),
        ("double chance", DOUBLE_CHANCE, (), False, False),
        ("draw no bet", DRAW_NO_BET, (), True, False),
        ("total", OVER_UNDER, total, True, True),
        ("both teams to score", YES_NO, (), True, False),
        ("odd/even", ODD_EVEN, (), True, False),
        ("correct score", correct_score, (), True, False),
        ("3-way handicap (home line)", EURO_HCP, hcp, True, False),
        ("Asian handicap", ASIAN, hcp, True, True),
        ("home total", OVER_UNDER, total, True, False),
        ("away total", OVER_UNDER, total, True, False),
    )
    return [
        _m(mid, f"{nth} half - {name}", outcomes, keys=keys, complete=complete, main=main)
        for mid, (name, outcomes, keys, complete, main) in zip(ids, bets, strict=True)
    ]


_CORE_LIST: tuple[MarketDef, ...] = (
    # full time
    _m(1, "1X2", THREE_WAY, main=True),
    _m(10, "Double chance", DOUBLE_CHANCE, complete=False, main=True),  # outcomes overlap: no margin
    _m(11, "Draw no bet", DRAW_NO_BET, main=True),
    _m(18, "Total goals", OVER_UNDER, keys=("total",), main=True),
    _m(29, "Both teams to score", YES_NO, main=True),
    _m(16, "Asian handicap", ASIAN, keys=("hcp",), main=True),
    _m(14, "3-way handicap (hcp = home line)", EURO_HCP, keys=("hcp",), main=True),
    _m(47, "Half time/full time", HT_FT),
    _m(45, "Correct score", CORRECT_SCORE_FT),
    _m(26, "Odd/even", ODD_EVEN),
    _m(19, "Home total goals", OVER_UNDER, keys=("total",), main=True),
    _m(20, "Away total goals", OVER_UNDER, keys=("total",), main=True),
    _m(27, "Home odd/even", ODD_EVEN),
    _m(28, "Away odd/even", ODD_EVEN),
    _m(31, "Home clean sheet", YES_NO),
    _m(32, "Away clean sheet", YES_NO),
    _m(33, "Home win to nil", YES_NO),
    _m(34, "Away win to nil", YES_NO),
    _m(21, "Exact goals", EXACT_GOALS_6_IDS, keys=("variant",), variant=EXACT_GOALS_6),
    _m(23, "Home exact goals", EXACT_GOALS_3_IDS, keys=("variant",), variant=EXACT_GOALS_3),
    _m(24, "Away exact goals", EXACT_GOALS_3_IDS, keys=("variant",), variant=EXACT_GOALS_3),
    _m(12, "Home no bet", HOME_NO_BET),
    _m(13, "Away no bet", AWAY_NO_BET),
    _m(8, "Goal nr (first goal)", NEXT_GOAL, keys=("goalnr",)),
    _m(9, "Last goal", NEXT_GOAL),
    _m(30, "Which team to score", TEAMS_TO_SCORE),
    _m(35, "1X2 & both teams to score", RESULT_BTTS),
    _m(37, "1X2 & total", RESULT_TOTAL, keys=("total",)),
    _m(36, "Total & both teams to score", TOTAL_BTTS, keys=("total",)),
    _m(546, "Double chance & both teams to score", DC_BTTS, complete=False),
    _m(547, "Double chance & total", DC_TOTAL, keys=("total",), complete=False),
    _m(48, "Home to win both halves", YES_NO),
    _m(49, "Away to win both halves", YES_NO),
    _m(50, "Home to win either half", YES_NO),
    _m(51, "Away to win either half", YES_NO),
    _m(52, "Highest scoring half", HIGHEST_HALF),
    _m(56, "Home to score in both halves", YES_NO),
    _m(57, "Away to score in both halves", YES_NO),
    *_half("1st", (60, 63, 64, 68, 75, 74, 81, 65, 66, 69, 70), _cs_outcomes(CS_1H_IDS, CS_1H_OTHER)),
    *_half("2nd", (83, 85, 86, 90, 95, 94, 98, 87, 88, 91, 92), _cs_outcomes(CS_2H_IDS, CS_2H_OTHER)),
    # basketball (incl. overtime)
    _m(219, "Winner (incl. overtime)", DRAW_NO_BET, main=True, sport=BASKETBALL),
    _m(225, "Total (incl. overtime)", OVER_UNDER, keys=("total",), main=True, sport=BASKETBALL),
    _m(223, "Handicap (incl. overtime)", ASIAN, keys=("hcp",), main=True, sport=BASKETBALL),
    # tennis
    _m(186, "Winner", DRAW_NO_BET, main=True, sport=TENNIS),
    _m(189, "Total games", OVER_UNDER, keys=("total",), main=True, sport=TENNIS),
    _m(187, "Game handicap", ASIAN, keys=("hcp",), main=True, sport=TENNIS),
)

CORE: dict[int, MarketDef] = {m.market_id: m for m in _CORE_LIST}
#: Native ids (SportyBet's, not UOF), kept apart so reports can tell UOF coverage from native coverage.
NATIVE_MARKETS = frozenset(mid for mid, _name in NATIVE_LIST)
VOCABULARY: dict[int, MarketDef] = dict(CORE)
for _adopted in (
    *(MarketDef(mid, name, sport) for mid, name, sport in PASSTHROUGH_LIST),
    *(MarketDef(mid, name, FOOTBALL) for mid, name in NATIVE_LIST),
):
    if _adopted.market_id in VOCABULARY:
        raise RuntimeError(f"market {_adopted.market_id} is listed twice in the vocabulary")
    VOCABULARY[_adopted.market_id] = _adopted

ANY_SPORT = "any"

#: Combinations of UOF outcomes ("1 + GG + over 2.5", "1X at half time and 12 at full time"): see
#: markets/combinations.py. Yes and no are exhaustive and exclusive, so a book pricing both has a margin.
for _mid, _name in ((ALL_OF, "All of (UOF legs)"), (ANY_OF, "Any of (UOF legs)")):
    VOCABULARY[_mid] = MarketDef(_mid, _name, ANY_SPORT, ("legs",), dict(YES_NO), complete=True)

#: Every other market of SportRadar's published UOF catalogue (markets/uof_markets.json), so every UOF id
#: has a definition; the hand-written entries above win (they carry complete and main).
UOF_MARKET_IDS = frozenset(m.market_id for m in uof_markets())
for _uof in uof_markets():
    if _uof.market_id not in VOCABULARY:
        VOCABULARY[_uof.market_id] = MarketDef(
            _uof.market_id, _uof.name, ANY_SPORT, _uof.specifiers, _uof.outcomes
        )

#: Headline markets (1X2, totals, handicaps... per sport): the ones the mapping checks apply to, because
#: every book prices them with a small margin and close to each other (see ../shared/MARKETS.md).
MAIN_MARKETS: frozenset[int] = frozenset(mid for mid, definition in VOCABULARY.items() if definition.main)

#: 3-way handicap markets: their ``hcp`` is canonically the home line (see specifiers.py).
SCORE_HANDICAP_MARKETS = frozenset({14, 65, 87})


def key_kind(market_id: int) -> str:
    """How a keyed outcome is identified, for the honest keyed figures: ``uof`` (a UOF market),
    ``composed`` (a combination of UOF outcomes), ``canonical`` (a bet UOF lacks, keyed by its description:
    markets/grammar/canonical.py), ``native`` (a native family, not UOF)."""
    if market_id == DESCRIBED:
        return "canonical"
    if market_id in COMBINATION_MARKETS:
        return "composed"
    return "uof" if market_id in UOF_MARKET_IDS else "native"
