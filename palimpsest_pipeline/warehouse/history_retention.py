"""Retention of the odds history: whole UTC days dropped past a configured age, by default never.

Analysts query the history (how a price moved before kick-off, weeks later), so unlike the raw archive it is
kept unless an operator sets ``PALIMPSEST_ODDS_HISTORY_RETENTION_DAYS``. Dropping a day partition is a
catalogue operation (no DELETE, nothing for vacuum), applied by the daily maintenance job beside the
archive's.
The current state (``core.odds_current_prices``, ``core.odds_confirmed``) is never touched: the current price
of an outcome stays whatever its last change said.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import psycopg

from palimpsest_pipeline.warehouse.deferred_steps import DeferredStep
from palimpsest_pipeline.warehouse.odds_store import HISTORY_TABLE
from palimpsest_pipeline.warehouse.partitions import drop_day_partitions_before

HISTORY_RETENTION_VAR = "PALIMPSEST_ODDS_HISTORY_RETENTION_DAYS"


@dataclass(frozen=True)
class HistoryRetention:
    """What one application did: the first day kept (None: everything is kept) and the partitions dropped."""

    cutoff: date | None
    dropped_partitions: tuple[str, ...] = ()
    #: days whose locks never came, left for the next maintenance
    deferred: tuple[DeferredStep, ...] = ()


def apply_history_retention(
    conn: psycopg.Connection, *, days: int | None, today: date | None = None
) -> HistoryRetention:
    """Drop the history's day partitions before ``today - days``; nothing when no retention is set (None)."""
    if days is None:
        return HistoryRetention(cutoff=None)
    cutoff = (today or datetime.now(UTC).date()) - timedelta(days=days)
    drops = drop_day_partitions_before(conn, HISTORY_TABLE, cutoff)
    return HistoryRetention(cutoff, drops.dropped, drops.deferred)
