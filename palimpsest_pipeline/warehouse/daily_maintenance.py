"""The daily maintenance of the warehouse: every retention and the archive's dictionaries.

Each step commits in its own short transactions (``brief_locks``), so captures wait seconds at most and an
interrupted maintenance keeps what it finished.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import psycopg

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.warehouse.archive.dictionaries import train_archive_dictionary
from palimpsest_pipeline.warehouse.archive.records import ArchiveKind
from palimpsest_pipeline.warehouse.archive.retention import (
    RETENTION_DAYS_VAR,
    RetentionResult,
    apply_archive_retention,
)
from palimpsest_pipeline.warehouse.deferred_steps import DeferredStep
from palimpsest_pipeline.warehouse.history_retention import (
    HISTORY_RETENTION_VAR,
    HistoryRetention,
    apply_history_retention,
)
from palimpsest_pipeline.warehouse.table_retention import TableRetention, apply_all_table_retention

#: The kinds worth a dictionary: many similar bodies per book (catalogue calls are few and small).
DICTIONARY_KINDS: tuple[ArchiveKind, ...] = ("event", "list")


@dataclass(frozen=True)
class MaintenanceResult:
    archive: RetentionResult
    history: HistoryRetention
    tables: list[TableRetention]
    #: ``book/kind`` -> the new dictionary's id, None when too few bodies were archived to train on
    trained: dict[str, int | None]

    @property
    def deferred(self) -> tuple[DeferredStep, ...]:
        """Every step whose locks never came today, left with its reason for the next maintenance."""
        tables = tuple(t.deferred for t in self.tables if t.deferred is not None)
        return self.archive.deferred + self.history.deferred + tables


def run_daily_maintenance(
    conn: psycopg.Connection, *, today: date, retention: Mapping[str, int | None]
) -> MaintenanceResult:
    """Apply the retentions (``retention``: days by ``*_RETENTION_DAYS`` variable, the settings' values) and
    train the dictionaries. ``conn`` must be in autocommit mode. A step whose locks never come is deferred
    (``MaintenanceResult.deferred``) and the others still run: one long reader never costs the day's other
    retention or the training."""
    archive_days = retention[RETENTION_DAYS_VAR] or 0
    archive = apply_archive_retention(conn, today=today, retention_days=archive_days)
    history = apply_history_retention(conn, today=today, days=retention[HISTORY_RETENTION_VAR])
    tables = apply_all_table_retention(conn, today=today, days=retention)
    trained = {
        f"{book.value}/{kind}": train_archive_dictionary(conn, book, kind)
        for book in Book
        for kind in DICTIONARY_KINDS
    }
    return MaintenanceResult(archive, history, tables, trained)
