"""Bet9ja-typical football families beyond the model, added after the mapped markets (markets.py): the
noise extras (HTFTOU, CHANCEMIX, multi-goal combos...), the deep markets (bookings, sending-off, added time,
first-half shots) priced from the world's fair probabilities, and "Half 1st Goal" priced from the match's
score, each appearing from its own event depth.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from palimpsest_pipeline.markets.bet9ja.table import BY_PREFIX, Bet9jaMarket
from palimpsest_pipeline.markets.combinations import COMBINATION_MARKETS, Leg, fill_line
from palimpsest_pipeline.records import Book
from palimpsest_sandbox.books.bet9ja.display import describe, format_odds, mk_entry, named
from palimpsest_sandbox.markets import deep_props
from palimpsest_sandbox.markets.moves import unit
from palimpsest_sandbox.markets.players import prop_version
from palimpsest_sandbox.markets.pricing import BookPrices, line_code
from palimpsest_sandbox.markets.shared_props import (
    combination_probability,
    fair_probability,
    odds_at,
    priced_as,
    stable_outcome,
)


def add_families(
    prefix: str,
    match_seed: int,
    version: int,
    modelled: BookPrices,
    odds: dict[str, str],
    catalogue: list[dict[str, Any]],
    depth: float,
) -> None:
    """Add the families a football event at this depth lists to its odds and catalogue, after the mapped
    markets (``modelled``: the book's prices of those, which "Half 1st Goal" reuses)."""
    _extras(prefix, match_seed, version, odds, catalogue, depth)
    _deep(prefix, match_seed, version, odds, catalogue, depth)
    _half_first_goal(prefix, match_seed, version, modelled, odds, catalogue, depth)


# Bet9ja-typical markets the mapping does not cover: (key, description, outcome keys, lines).
_EXTRAS: list[tuple[str, str, list[str], list[str]]] = [
    (
        "HTFTOU",
        "HT/FT + Over/Under",
        [f"{a}/{b}{ou}" for a in "1X2" for b in "1X2" for ou in "OU"],
        ["1.5", "2.5", "3.5", "4.5"],
    ),
    ("CHANCEMIXN", "Chance Mix +", [f"CM{i}" for i in range(22)], []),
    ("CHANCEMIX", "Chance Mix", ["1orGG", "1orNG", "XorGG", "XorNG", "2orGG", "2orNG"], []),
    ("CHANCEMIXOU", "Chance Mix O/U", ["1orOv", "1orUn", "XorOv", "XorUn", "2orOv", "2orUn"], ["1.5", "3.5"]),
    ("HTFTCS", "HT/FT Correct Score", [f"CS{i}" for i in range(46)], []),
    ("TOTAL1T2T", "Total 1st Half + 2nd Half", [f"T{i}" for i in range(27)], []),
    (
        "3COMBO1",
        "Triple Combo",
        [f"{r}{g}{ou}" for r in "1X2" for g in ("GG", "NG") for ou in ("O", "U")],
        ["1.5", "2.5", "3.5"],
    ),
    (
        "NGOALS",
        "Multi Goals",
        ["1-2", "1-3", "1-4", "1-5", "2-3", "2-4", "2-5", "2-6", "3-4", "3-5", "3-6", "4-5", "4-6", "5-6"],
        [],
    ),
    ("NCORN", "Number of Corners", [f"{n}Corner" for n in range(7, 21)], []),
    (
        "HTFTOUHT",
        "HT/FT + 1st Half O/U",
        [f"{a}{b}{ou}" for a in "1X2" for b in "1X2" for ou in "OU"],
        ["1.5"],
    ),
    (
        "DCHTFT",
        "Double Chance HT/FT",
        [f"{a}{b}" for a in ("1X", "12", "X2") for b in ("1X", "12", "X2")],
        [],
    ),
    ("MCS3", "Multi Correct Score 3", [f"M{i}" for i in range(9)], []),
    ("MCS4", "Multi Correct Score 4", [f"M{i}" for i in range(7)], []),
    ("WINMARGIN", "Winning Margin", ["HT1", "HT2", "HT>2", "X", "AT1", "AT2", "AT>2"], []),
    ("MATCHOVERFLOW", "Match Flow", [f"F{i}" for i in range(7)], []),
    *[
        (f"1X2MULTI{a}-{b}", f"1X2 Multi {a}-{b}", ["1", "X", "2"], [])
        for a in range(1, 5)
        for b in range(a + 1, 6)
    ],
    *[
        (f"DCMULTI{a}-{b}", f"DC Multi {a}-{b}", ["1X", "12", "X2"], [])
        for a in range(1, 5)
        for b in range(a + 1, 6)
    ],
    *[(f"1X21ST{m}MIN", f"1X2 first {m} minutes", ["1", "X", "2"], []) for m in (5, 10, 15, 20, 30, 60)],
    ("CAHH", "1st Half Corners Asian Handicap", ["1", "2"], ["-1.5", "-0.5", "0.5"]),
    ("CAH2", "2nd Half Corners Asian Handicap", ["1", "2"], ["-1.5", "-0.5", "0.5"]),
    ("CORNERHTFT", "Corners HT/FT", [f"{a}{b}" for a in "1X2" for b in "1X2"], []),
    ("DCH1X2FT", "DC HT + 1X2 FT", [f"{a}{b}" for a in ("1X", "12", "X2") for b in "1X2"], []),
    ("1X2HDCFT", "1X2 HT + DC FT", [f"{a}{b}" for a in "1X2" for b in ("1X", "12", "X2")], []),
    ("1X2HTGGNG", "1st Half 1X2 + GG/NG", [f"{r}HTAND{g}" for r in "1X2" for g in ("GG", "NG")], []),
    ("2HT1X2GGNG", "2nd Half 1X2 + GG/NG", [f"{r}2HTAND{g}" for r in "1X2" for g in ("GG", "NG")], []),
    ("1X2HTOU", "1st Half 1X2 + O/U", [f"{r}{ou}1T" for r in "1X2" for ou in "OU"], ["1.5"]),
    ("1X22TOU", "2nd Half 1X2 + O/U", [f"{r}{ou}2T" for r in "1X2" for ou in "OU"], ["1.5"]),
    ("CHANCEMIXGGOU", "Chance Mix GG/O/U", [f"CX{i}" for i in range(9)], ["2.5"]),
    ("GNGFSH", "GG/NG 1st + 2nd Half", ["GGANDGG", "GGANDNG", "NGANDGG", "NGANDNG"], []),
    *[
        (key, key.title(), ["1", "X", "2"], [])
        for key in (
            "GOALS1T",
            "GOALS2T",
            "LCH",
            "FCH",
            "1STCORNER",
            "LASTCORNER",
            "TEAMCORNER",
            "HALFCORNER",
            "TEAMCORNER1T",
            "1X2C2HT",
            "1STGHT",
            "1STGHTH",
            "1STGHTA",
        )
    ],
    *[
        (key, key.title(), ["Y", "N"], [])
        for key in (
            "LEASTX",
            "HTS",
            "CORN10",
            "HOME0HT",
            "AWAY0HT",
            "HOME02T",
            "AWAY02T",
            "1SCOREHT",
            "2SCOREHT",
            "1SCORE2T",
            "2SCORE2T",
        )
    ],
    ("C2HTOU", "2nd Half Corners O/U", ["O", "U"], ["3.5", "4.5", "5.5"]),
]


#: Alternative lines Bet9ja adds to its combination markets on the deepest events (depth >= 0.8); none for a
#: market whose published name fixes its line ("HT/FT & O/U 1,5 HT": the parser sets another line aside).
_DEEP_LINES: dict[str, list[str]] = {
    "HTFTOU": ["0.5", "5.5"],
    "3COMBO1": ["0.5", "4.5"],
    "CHANCEMIXOU": ["0.5", "2.5", "4.5"],
    "1X2HTOU": ["0.5", "2.5"],
    "1X22TOU": ["0.5", "2.5"],
    "CHANCEMIXGGOU": ["1.5", "3.5"],
    "C2HTOU": ["2.5", "6.5"],
    "CAHH": ["-2.5", "1.5"],
    "CAH2": ["-2.5", "1.5"],
}
#: Bet9ja-typical families appear from a depth spread over [0, EXTRA_DEPTH_SPAN).
EXTRA_DEPTH_SPAN = 0.9
#: Families Bet9ja lists that the mapping does not read (corner combos, chance mixes...) only from this depth
#: (the captures' unmapped outcomes are all on their deep events: 98-99.8 % keyed).
UNMAPPED_FROM_DEPTH = 0.6
_MAPPED = {prefix: {m.key: m for m in table} for prefix, (_sport, table) in BY_PREFIX.items()}


#: Extras the Bet9ja parser keys under a modelled market, directly or as a one-leg combination ("NG" of
#: first-goal-half is "under 0.5"), by sport prefix: rendered as noise they would contradict the model's
#: price, so they are left out of the noise extras (the first goal's half is rendered from the model by
#: :func:`_half_first_goal`). Stated here, not found by calling the parser the sandbox exists to test; a
#: contract test checks it against the parser (sandbox/test_bet9ja_extras.py).
REACHING_THE_MODEL: dict[str, frozenset[str]] = {"S": frozenset({"1STGHT", "1STGHTA", "1STGHTH", "HTS"})}


def _extra_odds(
    match_seed: int, mapped: Bet9jaMarket | None, key: str, line: str, okey: str, draw: int, n: int
) -> float:
    """Bet9ja's price of an unmodelled outcome: a mapped one from the fair probability every book shares
    for its canonical outcome; a combination or an unmapped one from its own key (no other book has it)."""
    market, priced, outcome, legs = _extra_key(mapped, key, line, okey)
    if legs is not None:  # priced from its legs, as every book prices those
        return odds_at(Book.BET9JA, combination_probability(match_seed, market, legs, outcome), draw, n)
    return odds_at(Book.BET9JA, fair_probability(match_seed, market, priced, outcome), draw, n)


@lru_cache(maxsize=16_384)  # the same for every match: a few thousand extra outcomes exist
def _extra_key(
    mapped: Bet9jaMarket | None, key: str, line: str, okey: str
) -> tuple[int, str, int, tuple[Leg, ...] | None]:
    """(canonical market, specifier, outcome, the legs of a combination or None) pricing an extra outcome."""
    spec = "|".join(filter(None, (line, mapped.specifier if mapped else "")))
    keyed = {o: (m, c) for o, m, c in mapped.outcomes} if mapped is not None else {}
    market, outcome = keyed.get(okey, (0, 0))
    legs = dict(mapped.legs).get(okey) if mapped is not None else None
    if legs and market in COMBINATION_MARKETS:
        filled = tuple((m, fill_line(t, float(line)) if line else t, o) for m, t, o in legs)
        return market, spec, outcome, filled
    if not market:  # no canonical key: no other book prices it
        market, outcome, spec = -1, stable_outcome(okey), f"bet9ja={key}|{spec}"
    market, spec = priced_as(market, spec)
    return market, spec, outcome, None


def _extras(
    prefix: str,
    match_seed: int,
    version: int,
    odds: dict[str, str],
    catalogue: list[dict[str, Any]],
    depth: float,
) -> None:
    order = len(catalogue)
    for index, (key, description, outcomes, lines) in enumerate(_EXTRAS):
        if depth < 1.0 and unit(index, 0xB9) * EXTRA_DEPTH_SPAN >= depth:
            continue
        mapped = _MAPPED.get(prefix, {}).get(key)
        if depth < UNMAPPED_FROM_DEPTH and mapped is None:
            continue
        if mapped is not None and key in REACHING_THE_MODEL.get(prefix, frozenset()):
            continue  # the parser keys it as a modelled market: priced above from the shared model, not noise
        if mapped is not None:  # the site's own outcome keys, as the mapping reads them
            outcomes = [okey for okey, _market, _outcome in mapped.outcomes]
        shown = lines + _DEEP_LINES.get(key, []) if depth >= 0.7 else lines
        for line in shown or [""]:
            at = f"@{line}" if line else ""
            _version, draw = prop_version(match_seed, version, line_code(index, at))
            for n, okey in enumerate(outcomes):
                price = _extra_odds(match_seed, mapped, key, line, okey, draw, n)
                odds[f"{prefix}_{key}{at}_{okey}"] = format_odds(price)
        order += 1
        name, labels = named(f"{prefix}_{key}", description, outcomes)
        catalogue.append(
            {
                "ID": f"{prefix}_{key}",
                "DS": name,
                "MDESC": describe(name),
                "P": str(order),
                "VW": "0",
                "GCAT": "COMBINED",
                "MARKETID": str(2000 + order),
                "M_PAYOUT": "120",
                "CNT": "G",
                "CNTLABEL": "Goals",
                "SGN": labels,
                "SGNK": outcomes,
            }
        )


def _yes_no(probability: float) -> tuple[float, float]:
    return probability, 1 - probability


#: Deep markets Bet9ja names as the book does (names.json: reported by issue 32), each outcome priced
#: from the world's fair probability (deep_props.py) that every book listing the bet shares:
#: (key, outcome keys, lines, fair probabilities of the outcomes on a line).
DEEP: list[tuple[str, list[str], list[str], Callable[[int, str], tuple[float, ...]]]] = [
    ("NCARDSH", list(deep_props.EXACT_BOOKINGS), [], lambda seed, _l: deep_props.exact_bookings(seed, 1)),
    ("NCARDSA", list(deep_props.EXACT_BOOKINGS), [], lambda seed, _l: deep_props.exact_bookings(seed, 2)),
    ("REDCARDH", ["Y", "N"], [], lambda seed, _l: _yes_no(deep_props.sending_off(seed, 1))),
    ("REDCARDA", ["Y", "N"], [], lambda seed, _l: _yes_no(deep_props.sending_off(seed, 2))),
    ("FIRSTCARDHT", ["1", "X", "2"], [], lambda seed, _l: deep_props.first_half_first_booking(seed)),
    ("GOALINJ", ["Y", "N"], [], lambda seed, _l: _yes_no(deep_props.added_time_goal(seed))),
    (
        "HTSHOTS",
        ["O", "U"],
        ["8.5", "9.5", "10.5"],
        lambda seed, line: _yes_no(deep_props.first_half_shots_over(seed, float(line))),
    ),
]
#: Deep markets appear from this depth (bookings and added time are listed on the bigger matches only).
DEEP_FROM_DEPTH = 0.5
#: Deep markets the Bet9ja reader cannot key yet: "HT Shots" names no bet (its bet is in its labels, which
#: the reader does not pass to the grammar), so like the other unread families only from this depth.
UNREAD_DEEP = frozenset({"HTSHOTS"})


def _deep(
    prefix: str,
    match_seed: int,
    version: int,
    odds: dict[str, str],
    catalogue: list[dict[str, Any]],
    depth: float,
) -> None:
    if depth < DEEP_FROM_DEPTH:
        return
    order = len(catalogue)
    for index, (key, outcomes, lines, probabilities) in enumerate(DEEP):
        if key in UNREAD_DEEP and depth < UNMAPPED_FROM_DEPTH:
            continue
        for line in lines or [""]:
            at = f"@{line}" if line else ""
            _version, draw = prop_version(match_seed, version, line_code(0xDEE9 + index, at))
            fair = probabilities(match_seed, line)
            for n, (okey, probability) in enumerate(zip(outcomes, fair, strict=True)):
                price = odds_at(Book.BET9JA, min(0.97, max(0.01, probability)), draw, n)
                odds[f"{prefix}_{key}{at}_{okey}"] = format_odds(price)
        order += 1
        name, labels = named(f"{prefix}_{key}", key.title(), outcomes)
        catalogue.append(
            {
                "ID": f"{prefix}_{key}",
                "DS": name,
                "MDESC": describe(name),
                "P": str(order),
                "VW": "0",
                "GCAT": "COMBINED",
                "MARKETID": str(3000 + order),
                "M_PAYOUT": "120",
                "CNT": "G",
                "CNTLABEL": "Goals",
                "SGN": labels,
                "SGNK": outcomes,
            }
        )


#: "Half 1st Goal" (the match's, the home side's, the away side's): the half of the first goal, or none.
HALF_FIRST_GOAL = ("1STGHT", "1STGHTH", "1STGHTA")
HALF_FIRST_GOAL_FROM_DEPTH = 0.3


def _half_first_goal(
    prefix: str,
    match_seed: int,
    version: int,
    modelled: BookPrices,
    odds: dict[str, str],
    catalogue: list[dict[str, Any]],
    depth: float,
) -> None:
    """Bet9ja's "Half 1st Goal" markets, each outcome priced from the match's score (its legs jointly); an
    outcome that is one modelled line ("First Half" is first-half over 0.5) at the book's own price of that
    line where the book lists it, so the two names of one bet agree."""
    if depth < HALF_FIRST_GOAL_FROM_DEPTH:
        return
    for index, key in enumerate(HALF_FIRST_GOAL):
        market = _MAPPED.get(prefix, {}).get(key)
        if market is None:
            continue
        _version, draw = prop_version(match_seed, version, line_code(0x1579 + index, ""))
        legs = dict(market.legs)
        for n, (okey, kind, outcome) in enumerate(market.outcomes):
            own = modelled.get(legs[okey][0]) if len(legs[okey]) == 1 else None
            if own is not None:
                price = own[0]
                odds[f"{prefix}_{key}_{okey}"] = "1" if price is None else format_odds(price)
                continue
            fair = combination_probability(match_seed, kind, list(legs[okey]), outcome)
            odds[f"{prefix}_{key}_{okey}"] = format_odds(odds_at(Book.BET9JA, fair, draw, n))
        catalogue.append(mk_entry(prefix, market, len(catalogue) + 1))
