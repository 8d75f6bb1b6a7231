"""Where event markets come from: the markets engineer's ``render_markets``, or a temporary 1X2 stand-in.

The payload modules call :func:`render_markets` only through here, so the day the real module lands nothing
else changes. ``USING_FALLBACK_MARKETS`` tells contract tests to expect market-level mismatches (xfail).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from palimpsest_pipeline.records import Book

MarketRenderer = Callable[..., Any]


def _fallback_render_markets(book: Book, *, match_seed: int, version: int, sport: str) -> Any:
    """TEMPORARY (the lead removes this once sandbox/markets exists): one main market per event.

    Football gets 1X2, other sports a two-way winner; margins ~6%; ``version`` nudges prices.
    """
    home = 0.25 + (match_seed % 1_000) / 2_000 + ((version * 7_919 + match_seed) % 21 - 10) / 1_000
    if sport == "football":
        draw = 0.22 + (match_seed // 1_000 % 100) / 1_000
        probabilities = [home * (1 - draw), draw, (1 - home) * (1 - draw)]
        labels, names = ["1", "X", "2"], ["Home", "Draw", "Away"]
    else:
        probabilities = [home, 1 - home]
        labels, names = ["1", "2"], ["Home", "Away"]
    odds = [max(1.01, round(1 / (p * 1.06), 2)) for p in probabilities]
    if book is Book.SPORTYBET:
        market_id = {"football": "1", "basketball": "219", "tennis": "186"}[sport]
        outcomes = [
            {
                "id": str(index + 1 if sport == "football" else index + 4),
                "odds": f"{price:.2f}",
                "probability": f"{p:.10f}",
                "voidProbability": "0E-10",
                "isActive": 1,
                "desc": name,
            }
            for index, (price, p, name) in enumerate(zip(odds, probabilities, names, strict=True))
        ]
        return [
            {
                "id": market_id,
                "product": 3,
                "desc": "1X2" if sport == "football" else "Winner",
                "status": 0,
                "group": "Main",
                "groupId": "171121135724MGI11262166",
                "marketGuide": "Which team will win the match.",
                "title": ",".join(labels),
                "name": "1X2" if sport == "football" else "Winner",
                "favourite": 0,
                "outcomes": outcomes,
                "farNearOdds": 0,
                "marketExtendVOS": [],
                "sourceType": "BET_RADAR",
                "lastOddsChangeTime": 1_700_000_000_000 + version,
                "banned": False,
            }
        ]
    if book is Book.BETPAWA:
        type_ids = ["3744", "3745", "3746"] if sport == "football" else ["3744", "3746"]
        prices = [
            {
                "id": str(match_seed * 10 + index),
                "name": label,
                "typeId": type_id,
                "odds": price,
                "displayName": label,
                "additionalInfo": {"anyUp": "NO_UP"},
                "probability": {"win": round(p, 6), "refund": 0.0},
            }
            for index, (label, type_id, price, p) in enumerate(
                zip(labels, type_ids, odds, probabilities, strict=True)
            )
        ]
        market_type = {
            "id": "3743",
            "name": "1X2 - FT",
            "displayName": "1X2 | Full Time",
            "explainer": "Pick 1, X or 2.",
            "priority": 1,
            "tabs": ["all", "popular"],
        }
        return [
            {
                "marketType": market_type,
                "row": [{"id": str(match_seed), "prices": prices}],
                "additionalInfo": {"cashoutable": True},
            }
        ]
    prefix = {"football": "S_", "basketball": "B_", "tennis": "T_"}[sport]
    market = f"{prefix}1X2" if sport == "football" else f"{prefix}12"
    return {
        "O": {f"{market}_{label}": f"{price:.2f}" for label, price in zip(labels, odds, strict=True)},
        "MK": [
            {
                "ID": market,
                "DS": "1X2" if sport == "football" else "Winner",
                "MDESC": "Predict the result.",
                "P": "1",
                "VW": "0",
                "GCAT": "POPULAR",
                "MARKETID": "1",
                "M_PAYOUT": "120",
                "CNT": "GR",
                "CNTLABEL": "Generic Result",
                "SGN": labels,
                "SGNK": labels,
            }
        ],
    }


def _load() -> tuple[MarketRenderer, bool]:
    try:
        from palimpsest_pipeline.sandbox.markets import render_markets as real
    except ModuleNotFoundError as error:
        if not (error.name or "").startswith("palimpsest_pipeline.sandbox.markets"):
            raise  # a dependency of the markets module is missing: say so instead of serving the stand-in
        return _fallback_render_markets, True
    except ImportError:
        # Package present but render_markets not yet defined in it (being written right now).
        return _fallback_render_markets, True
    return real, False


render_markets, USING_FALLBACK_MARKETS = _load()
