"""Bet9ja ``D.O`` odds dict and ``D.MK`` market catalogue: the inverse of markets/mapping_bet9ja.py plus
Bet9ja-typical extras (HTFTOU, CHANCEMIX, multi-goal combos...). Odds are decimal strings in Bet9ja's
trimmed style ("2.4", "13"); a suspended outcome shows "1", as on the real site.
"""

from __future__ import annotations

import random
from typing import Any

from palimpsest_pipeline.books.sports import sport_by_key
from palimpsest_pipeline.markets.mapping_bet9ja import BY_PREFIX, Bet9jaMarket
from palimpsest_pipeline.markets.specifiers import format_line
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.sandbox.markets.pricing import book_prices

_PREFIX_BY_SPORT = {sport: prefix for prefix, (sport, _table) in BY_PREFIX.items()}
#: sport -> (canonical market, outcome) -> candidate (Bet9ja market, outcome key), in table order.
_INVERSE: dict[str, dict[tuple[int, int], list[tuple[Bet9jaMarket, str]]]] = {}
for _sport, _table in BY_PREFIX.values():
    _inv: dict[tuple[int, int], list[tuple[Bet9jaMarket, str]]] = {}
    for _market in _table:
        for _okey, _cmarket, _coutcome in _market.outcomes:
            _inv.setdefault((_cmarket, _coutcome), []).append((_market, _okey))
    _INVERSE[_sport] = _inv


def format_odds(odds: float) -> str:
    """Bet9ja's odds text: shortest decimal form ("2.40" -> "2.4", "13.00" -> "13")."""
    text = f"{odds:.2f}".rstrip("0").rstrip(".")
    return text


def _pick(
    candidates: list[tuple[Bet9jaMarket, str]], spec: str, line: float | None
) -> tuple[Bet9jaMarket, str]:
    """The Bet9ja market that carries this canonical line (OU for half lines, OUA for the others...)."""
    is_half = line is not None and (line * 2) % 2 == 1
    for market, okey in candidates:
        if market.line == "none":
            if market.specifier == spec:
                return market, okey
        elif market.lines == "any" or (market.lines == "half") == is_half:
            return market, okey
    raise ValueError(f"no Bet9ja market carries canonical specifier {spec!r}")


def _mk_entry(prefix: str, market: Bet9jaMarket, order: int) -> dict[str, Any]:
    return {
        "ID": f"{prefix}_{market.key}",
        "DS": market.description,
        "MDESC": f"You have to predict the {market.description} outcome of the match.",
        "P": str(order),
        "VW": "0",
        "GCAT": "POPULAR",
        "MARKETID": str(1000 + order),
        "M_PAYOUT": "120",
        "CNT": "G",
        "CNTLABEL": "Goals",
        "SGN": [o[0] for o in market.outcomes],
        "SGNK": [o[0] for o in market.outcomes],
    }


def render(match_seed: int, version: int, sport: str) -> dict[str, Any]:
    """Bet9ja ``{"O": {...}, "MK": [...]}`` for one match version."""
    prefix = _PREFIX_BY_SPORT.get(sport) or sport_by_key(sport).bet9ja_name[:1]
    inverse = _INVERSE.get(sport, {})
    odds: dict[str, str] = {}
    used: dict[str, Bet9jaMarket] = {}
    for (market, spec, outcome), (price, _state) in book_prices(
        Book.BET9JA, match_seed, version, sport
    ).items():
        value = spec.partition("=")[2]
        line = float(value) if spec and market_has_line(spec) else None
        b9_market, okey = _pick(inverse[(market, outcome)], spec, line)
        at = f"@{format_line(line)}" if line is not None and b9_market.line != "none" else ""
        odds[f"{prefix}_{b9_market.key}{at}_{okey}"] = "1" if price is None else format_odds(price)
        used.setdefault(b9_market.key, b9_market)
    catalogue = [_mk_entry(prefix, market, order) for order, market in enumerate(used.values(), start=1)]
    if sport == "football":
        _extras(prefix, match_seed, version, odds, catalogue)
    return {"O": odds, "MK": catalogue}


def market_has_line(spec: str) -> bool:
    return spec.startswith(("total=", "hcp="))


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


def _extras(
    prefix: str, match_seed: int, version: int, odds: dict[str, str], catalogue: list[dict[str, Any]]
) -> None:
    rng = random.Random(match_seed * 13 + version)
    order = len(catalogue)
    for key, description, outcomes, lines in _EXTRAS:
        for line in lines or [""]:
            at = f"@{line}" if line else ""
            for okey in outcomes:
                odds[f"{prefix}_{key}{at}_{okey}"] = format_odds(round(1.05 + rng.random() * 20, 2))
        order += 1
        catalogue.append(
            {
                "ID": f"{prefix}_{key}",
                "DS": description,
                "MDESC": description,
                "P": str(order),
                "VW": "0",
                "GCAT": "COMBINED",
                "MARKETID": str(2000 + order),
                "M_PAYOUT": "120",
                "CNT": "G",
                "CNTLABEL": "Goals",
                "SGN": outcomes,
                "SGNK": outcomes,
            }
        )
