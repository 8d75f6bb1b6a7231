"""Market retention's unit of work: read the matches' prematch captures and live snapshots, compare them
(``transforms/market_retention.py``), replace the matches' rows of ``analytics.market_retention``."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
import psycopg

from palimpsest_pipeline.transforms.market_retention import (
    PREMATCH_SNAPSHOTS,
    market_retention,
    prematch_captures,
)
from palimpsest_pipeline.warehouse.live_snapshot_store import (
    prematch_prices,
    retention_inputs,
    write_market_retention,
)

_TS = pl.Datetime("us", "UTC")
_MATCHES = pl.Schema({
    "sr_id": pl.Int64(), "book": pl.String(), "kickoff": _TS, "sport": pl.String(), "country": pl.String(),
    "tournament": pl.String(), "home": pl.String(), "away": pl.String(), "provider": pl.String(),
})  # fmt: skip
_CAPTURES = pl.Schema({"sr_id": pl.Int64(), "book": pl.String(), "captured_at": _TS})
_LIVE = pl.Schema({"sr_id": pl.Int64(), "book": pl.String(), "live_snapshot": pl.Int16(), "captured_at": _TS})
_SELECTION = {"market": pl.Int32(), "specifier": pl.String(), "outcome": pl.Int32(), "price": pl.Float64()}
_LIVE_PRICES = pl.Schema({
    "sr_id": pl.Int64(), "book": pl.String(), "live_snapshot": pl.Int16(), **_SELECTION, "state": pl.String(),
})  # fmt: skip
_PREMATCH_PRICES = pl.Schema(
    {"sr_id": pl.Int64(), "book": pl.String(), "prematch_snapshot": pl.String(), **_SELECTION}
)
#: The earliest prematch capture any snapshot may take: T-60 less its tolerance.
EARLIEST = max(lead + tolerance for lead, tolerance in PREMATCH_SNAPSHOTS.values())


def refresh_market_retention(
    conn: psycopg.Connection, site_country: str, sr_ids: Sequence[int]
) -> pl.DataFrame:
    """Recompute ``site_country``'s market retention of the matches ``sr_ids`` and write it (the caller's
    transaction); returns the rows."""
    inputs = retention_inputs(conn, site_country, sr_ids, EARLIEST)
    matches = _typed(inputs.matches, _MATCHES)
    chosen = prematch_captures(_typed(inputs.captures, _CAPTURES), matches)
    prices = _typed(prematch_prices(conn, site_country, chosen), _PREMATCH_PRICES)
    frame = market_retention(
        matches, chosen, prices, _typed(inputs.live, _LIVE), _typed(inputs.live_prices, _LIVE_PRICES)
    )
    write_market_retention(conn, site_country, sr_ids, frame)
    return frame


def _typed(frame: pl.DataFrame, schema: pl.Schema) -> pl.DataFrame:
    """``frame`` with ``schema``'s columns and types (an empty read has none of them)."""
    if frame.is_empty():
        return pl.DataFrame(schema=schema)
    return frame.select(pl.col(name).cast(dtype) for name, dtype in schema.items())
