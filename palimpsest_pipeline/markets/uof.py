"""The generated UOF market catalogue (``uof_markets.json``, made by ``generate_uof``), read once."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import NamedTuple

#: Market ids from here up are not UOF: SportyBet's own families (60000+, 450000+, 800000+, 900000+).
FIRST_NATIVE_ID = 60000


class UofMarket(NamedTuple):
    """One market of the catalogue: ``outcomes`` None means an open set (variant or player outcomes)."""

    market_id: int
    name: str
    specifiers: tuple[str, ...]
    outcomes: dict[int, str] | None


@cache
def uof_markets() -> tuple[UofMarket, ...]:
    """Every market of SportRadar's published UOF catalogue, by id."""
    text = files("palimpsest_pipeline.markets").joinpath("uof_markets.json").read_text(encoding="utf-8")
    return tuple(
        UofMarket(
            int(market_id),
            name,
            tuple(specifiers),
            None if outcomes is None else {int(k): v for k, v in outcomes.items()},
        )
        for market_id, name, specifiers, outcomes in json.loads(text)["markets"]
    )
