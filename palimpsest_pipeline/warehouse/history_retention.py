"""Retention of the odds history: whole UTC days dropped past a configured age, by default never.

Analysts query the history weeks later, so it is kept unless ``PALIMPSEST_ODDS_HISTORY_RETENTION_DAYS`` is
set. The current prices are never touched.
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
