"""MSport's ``data.markets`` list: the world's prices for MSport, in the captured market and outcome shape.

Keys and value types as ``../shared/fixtures/captured/msport/match_detail_sr68995116_prematch.json``: a
market's ``id`` is UOF's (an integer), ``specifiers`` UOF's specifier (a 3-way handicap as "hcp=0:1"), an
outcome's ``id`` UOF's outcome id as text (a variant's outcome behind its variant:
"sr:exact_goals:5+:1336"), ``odds`` and ``probability`` text, ``isActive`` 1 or 0. Besides the modelled
markets, football lists MSport's own early-payout 1X2s (early_payout.py).
"""

from __future__ import annotations

from typing import Any

from palimpsest_pipeline.markets.vocabulary import VOCABULARY
from palimpsest_pipeline.records import Book
from palimpsest_sandbox.markets.early_payout import early_payout
from palimpsest_sandbox.markets.labels import book_spec, outcome_id, uof_label
from palimpsest_sandbox.markets.pricing import book_prices

#: MSport's market groups by the name's opening words (the captures: Main, Goals, Half, Player, Specials).
_GROUPS = (("1st half", "Half"), ("2nd half", "Half"), ("goalscorer", "Player"))
#: MSport's own early-payout 1X2s by goals up (the captures: 5000002 "1x2 - 1UP", 5000001 "1x2 - 2UP").
EARLY_PAYOUT_IDS = {1: 5000002, 2: 5000001}
_WIDGETS = {1: "3Way", 18: "totalOverUnder", 29: "bothTeamsToScore", 8: "whoWillScoreFirst"}


def render(match_seed: int, version: int, sport: str, depth: float) -> list[dict[str, Any]]:
    """The markets of one match version on MSport, lines in the world's order."""
    prices = book_prices(Book.MSPORT, match_seed, version, sport, depth)
    lines: dict[tuple[int, str], list[dict[str, Any]]] = {}
    for (market, spec, outcome), (price, state) in prices.items():
        assert price is not None  # MSport keeps a suspended outcome's odds
        lines.setdefault((market, spec), []).append(
            {
                "description": uof_label(market, spec, outcome),
                "id": outcome_id(market, outcome),
                "isActive": 1 if state == "open" else 0,
                "odds": f"{price:.2f}",
                "probability": f"{min(0.9999, 1 / (price * 1.06)):.4f}",
            }
        )
    markets = [
        _market(market, spec, outcomes, priority)
        for priority, ((market, spec), outcomes) in enumerate(lines.items())
    ]
    if sport == "football":
        markets += _early_payout(match_seed, version, depth, len(markets))
    return markets


def _early_payout(match_seed: int, version: int, depth: float, priority: int) -> list[dict[str, Any]]:
    """MSport's own 1X2s ("1x2 - 1UP" 5000002, "2UP" 5000001): ids, names and outcome ids as captured."""
    markets = []
    for up, odds in early_payout(Book.MSPORT, match_seed, version, (1, 2)).items():
        market_id = EARLY_PAYOUT_IDS[up]
        outcomes = [
            {
                "description": side,
                "id": f"{market_id}0{n + 1}",
                "isActive": 1,
                "odds": f"{price:.2f}",
                "probability": f"{min(0.9999, 1 / (price * 1.06)):.4f}",
            }
            for n, (side, price) in enumerate(zip(("Home", "Draw", "Away"), odds, strict=True))
        ]
        market = _market(1, "", outcomes, priority)
        name = f"1x2 - {up}UP"
        market.update(id=market_id, description=name, name=name, title="1,X,2", betAssistWidget="3Way")
        markets.append(market)
    return markets


def _market(market: int, spec: str, outcomes: list[dict[str, Any]], priority: int) -> dict[str, Any]:
    name = VOCABULARY[market].name
    group = next((group for words, group in _GROUPS if words in name.lower()), "Main")
    return {
        "betAssistWidget": _WIDGETS.get(market),
        "description": name,
        "expand": 1,
        "group": group,
        "guidance": None,
        "id": market,
        "isFavourite": 0,
        "isShown": 1,
        "marketLabels": None,
        "name": name,
        "outcomes": outcomes,
        "presentationType": 1 if "=" in spec else 5,
        "priority": priority + 1,
        "product": 3,
        "relatedMarketId": None,
        "relatedSpecifiers": None,
        "specifiers": book_spec(market, spec),
        "status": 0,
        "title": ",".join(o["description"] for o in outcomes[:3]),
        "userFavourite": 0,
    }
