"""Retention of the bookkeeping tables that grow with time: rows past a setting, deleted in small batches.

These tables are not day-partitioned, so old rows are deleted in bounded batches, each its own short
transaction waiting briefly for locks, so captures never queue behind retention.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import psycopg
from psycopg import sql

from palimpsest_pipeline.warehouse.brief_locks import MaintenanceLockError, briefly
from palimpsest_pipeline.warehouse.deferred_steps import DeferredStep

#: Rows deleted per transaction: small enough that a batch holds its row locks for milliseconds.
DELETE_BATCH_ROWS = 5_000


@dataclass(frozen=True)
class RetentionRule:
    """Rows of ``table`` whose ``time_column`` is before the cutoff go; ``setting`` names the days."""

    table: str
    time_column: str
    setting: str


CAPTURE_LOG_RETENTION_VAR = "PALIMPSEST_CAPTURE_LOG_RETENTION_DAYS"
QUARANTINE_RETENTION_VAR = "PALIMPSEST_QUARANTINE_RETENTION_DAYS"
SCRAPE_METRICS_RETENTION_VAR = "PALIMPSEST_SCRAPE_METRICS_RETENTION_DAYS"
UNMAPPED_MARKETS_RETENTION_VAR = "PALIMPSEST_UNMAPPED_MARKETS_RETENTION_DAYS"
COVERAGE_HISTORY_RETENTION_VAR = "PALIMPSEST_COVERAGE_HISTORY_RETENTION_DAYS"
CATALOGUE_CHANGES_RETENTION_VAR = "PALIMPSEST_CATALOGUE_CHANGES_RETENTION_DAYS"
LIVE_COVERAGE_RETENTION_VAR = "PALIMPSEST_LIVE_COVERAGE_RETENTION_DAYS"
LIVE_SUSPENSION_RETENTION_VAR = "PALIMPSEST_LIVE_SUSPENSION_RETENTION_DAYS"
EVENT_ROSTERS_RETENTION_VAR = "PALIMPSEST_EVENT_ROSTERS_RETENTION_DAYS"

RETENTION_RULES: tuple[RetentionRule, ...] = (
    RetentionRule("core.odds_captures", "captured_at", CAPTURE_LOG_RETENTION_VAR),
    RetentionRule("core.quarantine", "received_at", QUARANTINE_RETENTION_VAR),
    RetentionRule("core.quarantined_rows", "recorded_at", QUARANTINE_RETENTION_VAR),
    RetentionRule("core.scrape_metrics", "started_at", SCRAPE_METRICS_RETENTION_VAR),
    RetentionRule("core.run_failures", "failed_at", SCRAPE_METRICS_RETENTION_VAR),
    RetentionRule("core.unmapped_markets", "recorded_at", UNMAPPED_MARKETS_RETENTION_VAR),
    RetentionRule("analytics.coverage_history", "computed_at", COVERAGE_HISTORY_RETENTION_VAR),
    RetentionRule("analytics.catalogue_changes", "changed_at", CATALOGUE_CHANGES_RETENTION_VAR),
    RetentionRule("analytics.live_coverage", "last_seen_at", LIVE_COVERAGE_RETENTION_VAR),
    RetentionRule("analytics.live_suspension", "polled_at", LIVE_SUSPENSION_RETENTION_VAR),
    RetentionRule("core.event_rosters", "last_seen_at", EVENT_ROSTERS_RETENTION_VAR),
)


@dataclass(frozen=True)
class TableRetention:
    """What one table's retention did: rows before ``cutoff`` (midnight UTC) deleted; ``deferred`` when a
    batch's locks never came (the rest is left for the next maintenance)."""

    table: str
    cutoff: date
    deleted_rows: int
    deferred: DeferredStep | None = None


def apply_table_retention(
    conn: psycopg.Connection,
    rule: RetentionRule,
    *,
    today: date,
    days: int,
    batch_rows: int = DELETE_BATCH_ROWS,
) -> TableRetention:
    """Delete the rule's rows from before ``today - days`` (UTC midnight), ``batch_rows`` per transaction.

    ``conn`` must be in autocommit mode: each batch commits alone. A batch whose locks never come defers this
    table only.
    """
    cutoff = today - timedelta(days=days)
    schema, table = rule.table.split(".")
    delete = sql.SQL(
        "DELETE FROM {table} WHERE ctid = ANY(ARRAY("
        "SELECT ctid FROM {table} WHERE {column} < %(cutoff)s LIMIT %(rows)s))"
    ).format(table=sql.Identifier(schema, table), column=sql.Identifier(rule.time_column))
    params = {"cutoff": datetime.combine(cutoff, time(0), tzinfo=UTC), "rows": batch_rows}
    deleted = 0
    what = f"retention of {rule.table}"
    while True:
        try:
            batch = briefly(conn, what, lambda: conn.execute(delete, params).rowcount)
        except MaintenanceLockError as err:
            return TableRetention(rule.table, cutoff, deleted, DeferredStep(what, str(err)))
        deleted += batch
        if batch < batch_rows:
            return TableRetention(rule.table, cutoff, deleted)


def apply_all_table_retention(
    conn: psycopg.Connection, *, days: Mapping[str, int | None], today: date | None = None
) -> list[TableRetention]:
    """Every rule of ``RETENTION_RULES``, each keeping ``days[rule.setting]`` days (the settings' values)."""
    day = today or datetime.now(UTC).date()
    kept = {rule.setting: days[rule.setting] for rule in RETENTION_RULES}
    return [
        apply_table_retention(conn, rule, today=day, days=kept[rule.setting] or 0) for rule in RETENTION_RULES
    ]
