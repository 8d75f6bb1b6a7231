"""The canonical market vocabulary as a Polars frame, the form the comparison transforms take it in: markets
with a known outcome set only (an open set has no margin; the transforms say ``unknown_market``)."""

from __future__ import annotations

from functools import lru_cache

import polars as pl

from palimpsest_pipeline.markets.vocabulary import VOCABULARY

MARKET_DEFINITIONS_SCHEMA: dict[str, pl.DataType] = {
    "market": pl.Int32(),
    "outcome": pl.Int32(),
    "complete": pl.Boolean(),
    "main": pl.Boolean(),
    "market_name": pl.String(),
    "outcome_name": pl.String(),
}


@lru_cache(maxsize=1)
def _definitions() -> pl.DataFrame:
    rows = [
        (definition.market_id, outcome, definition.complete, definition.main, definition.name, name)
        for definition in VOCABULARY.values()
        if definition.outcomes is not None
        for outcome, name in definition.outcomes.items()
    ]
    return pl.DataFrame(rows, schema=MARKET_DEFINITIONS_SCHEMA, orient="row").sort("market", "outcome")


def market_definitions_frame() -> pl.DataFrame:
    """One row per (market, outcome) of every market with a known outcome set (``MARKET_DEFINITIONS_SCHEMA``),
    built once per process. ``complete`` and ``main`` as the vocabulary's ``MarketDef``."""
    return _definitions().clone()
