"""How Bet9ja shows a market: its own names and outcome labels (names.json), its rules text, its odds text
and the ``D.MK`` catalogue entry. Shared by the mapped markets (markets.py) and the Bet9ja-typical families
(families.py), so neither imports the other's module for them.
"""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

from palimpsest_pipeline.markets.bet9ja.table import Bet9jaMarket


def describe(name: str) -> str:
    """``MDESC``: the site's rules text for a market (captured ones run to ~200 characters)."""
    return (
        f"You have to predict the {name} outcome of the match. Only the regular time of play (90 minutes "
        "plus injury time) counts; extra time and penalty shoot-outs are not included in settlement."
    )


def format_odds(odds: float) -> str:
    """Bet9ja's odds text: shortest decimal form ("2.40" -> "2.4", "13.00" -> "13")."""
    text = f"{odds:.2f}".rstrip("0").rstrip(".")
    return text


#: Bet9ja's own market names and outcome labels, from real responses (generate_names.py).
_NAMES: dict[str, dict[str, Any]] = json.loads(
    files("palimpsest_sandbox.books.bet9ja").joinpath("names.json").read_text(encoding="utf-8")
)["markets"]


def named(market_id: str, description: str, outcome_keys: list[str]) -> tuple[str, list[str]]:
    """The name and outcome labels Bet9ja shows for a market: its own where a real response showed them,
    else the table's description and the outcome keys themselves."""
    known = _NAMES.get(market_id)
    if known is None:
        return description, list(outcome_keys)
    labels: dict[str, str] = known["labels"]
    return known["DS"], [labels.get(key, key) for key in outcome_keys]


def mk_entry(prefix: str, market: Bet9jaMarket, order: int) -> dict[str, Any]:
    """The ``D.MK`` entry of a mapped market, listed ``order``-th."""
    name, labels = named(f"{prefix}_{market.key}", market.description, [o[0] for o in market.outcomes])
    return {
        "ID": f"{prefix}_{market.key}",
        "DS": name,
        "MDESC": describe(name),
        "P": str(order),
        "VW": "0",
        "GCAT": "POPULAR",
        "MARKETID": str(1000 + order),
        "M_PAYOUT": "120",
        "CNT": "G",
        "CNTLABEL": "Goals",
        "SGN": labels,
        "SGNK": [o[0] for o in market.outcomes],
    }
