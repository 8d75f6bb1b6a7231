"""The daily maintenance of the warehouse: every retention and the archive's dictionaries.

Each step runs in its own short transactions (``brief_locks``), never one transaction around them all: a
partition detached, a batch of old rows deleted or a dictionary stored is committed at once, so the captures
writing beside it wait seconds at most, and an interrupted maintenance keeps what it finished.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import psycopg

from palimpsest_pipeline.records import SCRAPED_BOOKS
from palimpsest_pipeline.warehouse.archive.dictionaries import train_archive_dictionary
from palimpsest_pipeline.warehouse.archive.records import ArchiveKind
from palimpsest_pipeline.warehouse.archive.retention import (
    RetentionResult,
    apply_archive_retention,
    archive_retention_days,
)
from palimpsest_pipeline.warehouse.deferred_steps import DeferredStep
from palimpsest_pipeline.warehouse.history_retention import (
    HistoryRetention,
    apply_history_retention,
    history_retention_days,
)
from palimpsest_pipeline.warehouse.table_retention import (
    RETENTION_RULES,
    TableRetention,
    apply_all_table_retention,
    retention_days,
)

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
    conn: psycopg.Connection, *, today: date, env: Mapping[str, str] = os.environ
) -> MaintenanceResult:
    """Check every retention setting, then apply the retentions and train the dictionaries. ``conn`` must be
    in autocommit mode. A step whose locks never come is deferred (``MaintenanceResult.deferred``) and the
    others still run: one long reader never costs the day's other retention or the training."""
    archive_retention_days(env)
    history_retention_days(env)
    for rule in RETENTION_RULES:
        retention_days(rule, env)
    archive = apply_archive_retention(conn, today=today, env=env)
    history = apply_history_retention(conn, today=today, env=env)
    tables = apply_all_table_retention(conn, today=today, env=env)
    trained = {
        f"{book.value}/{kind}": train_archive_dictionary(conn, book, kind)
        for book in SCRAPED_BOOKS
        for kind in DICTIONARY_KINDS
    }
    return MaintenanceResult(archive, history, tables, trained)
