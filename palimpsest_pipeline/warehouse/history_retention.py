"""Retention of the odds history: whole UTC days dropped past a configured age, by default never.

Analysts query the history (how a price moved before kick-off, weeks later), so unlike the raw archive it is
kept unless an operator sets ``PALIMPSEST_ODDS_HISTORY_RETENTION_DAYS``. Dropping a day partition is a
catalogue operation (no DELETE, nothing for vacuum), applied by the daily maintenance job beside the
archive's.
The current state (``core.odds_current_prices``, ``core.odds_confirmed``) is never touched: the current price
of an outcome stays whatever its last change said.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import psycopg

from palimpsest_pipeline.warehouse.deferred_steps import DeferredStep
from palimpsest_pipeline.warehouse.odds_store import HISTORY_TABLE
from palimpsest_pipeline.warehouse.partitions import drop_day_partitions_before
from palimpsest_pipeline.warehouse.table_retention import setting_days

HISTORY_RETENTION_VAR = "PALIMPSEST_ODDS_HISTORY_RETENTION_DAYS"


class HistoryRetentionError(ValueError):
    """The retention setting is unusable; the message names the variable and its value."""


@dataclass(frozen=True)
class HistoryRetention:
    """What one application did: the first day kept (None: everything is kept) and the partitions dropped."""

    cutoff: date | None
    dropped_partitions: tuple[str, ...] = ()
    #: days whose locks never came, left for the next maintenance
    deferred: tuple[DeferredStep, ...] = ()


def history_retention_days(env: Mapping[str, str] = os.environ) -> int | None:
    """``PALIMPSEST_ODDS_HISTORY_RETENTION_DAYS``: a positive whole number of days; None (keep) when unset."""
    return setting_days(env, HISTORY_RETENTION_VAR, HistoryRetentionError, hint=" (unset it to keep all)")


def apply_history_retention(
    conn: psycopg.Connection, *, today: date | None = None, env: Mapping[str, str] = os.environ
) -> HistoryRetention:
    """Drop the history's day partitions before ``today - retention``; nothing when no retention is set."""
    days = history_retention_days(env)
    if days is None:
        return HistoryRetention(cutoff=None)
    cutoff = (today or datetime.now(UTC).date()) - timedelta(days=days)
    drops = drop_day_partitions_before(conn, HISTORY_TABLE, cutoff)
    return HistoryRetention(cutoff, drops.dropped, drops.deferred)
