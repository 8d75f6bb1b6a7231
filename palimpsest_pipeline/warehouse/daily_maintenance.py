"""The warehouse's daily maintenance: every retention and the archive's dictionaries, each step in its own
short transactions, so captures wait seconds at most and an interrupted maintenance keeps what it did. The
archive drops whole UTC days (a delta's base is in its own day), then what nothing kept refers to; other
growing tables lose their rows past a setting in bounded batches."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, LiteralString

import psycopg
from psycopg import sql

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.warehouse.archive.dictionaries import DICTIONARY_GRACE, train_archive_dictionary
from palimpsest_pipeline.warehouse.archive.records import ARCHIVE_TABLE, PACK_TABLE, ArchiveError, ArchiveKind
from palimpsest_pipeline.warehouse.locks import DeferredStep, MaintenanceLockError, briefly
from palimpsest_pipeline.warehouse.odds_store import HISTORY_TABLE
from palimpsest_pipeline.warehouse.partitions import PartitionDrops, drop_day_partitions_before

#: The kinds worth a dictionary: many similar bodies per book (catalogue calls are few and small).
DICTIONARY_KINDS: tuple[ArchiveKind, ...] = ("event", "list")
#: Days of odds history kept (unset: all of it, analysts query it weeks later; current prices are never cut).
HISTORY_RETENTION_VAR = "PALIMPSEST_ODDS_HISTORY_RETENTION_DAYS"
RETENTION_DAYS_VAR = "PALIMPSEST_ARCHIVE_RETENTION_DAYS"


@dataclass(frozen=True)
class RetentionResult:
    cutoff: date
    dropped_partitions: tuple[str, ...]
    dropped_dictionaries: int
    #: ``core.archive_events`` labels of events that kicked off before the cutoff and no kept pack names
    dropped_event_labels: int = 0
    #: steps whose locks never came, left for the next maintenance
    deferred: tuple[DeferredStep, ...] = ()


def apply_archive_retention(conn: psycopg.Connection, *, today: date, retention_days: int) -> RetentionResult:
    """Drop the archive's day partitions older than the retention (days before ``today - retention_days``),
    then the dictionaries nothing references any more (never the newest of a (book, kind)) and the event
    labels of the dropped packs; each step its own short transaction (``conn`` in autocommit mode)."""
    days = retention_days
    if days < 1:
        raise ArchiveError(f"apply_archive_retention: retention_days must be at least 1, got {days}")
    cutoff = today - timedelta(days=days)
    rows, packs = (drop_day_partitions_before(conn, table, cutoff) for table in (ARCHIVE_TABLE, PACK_TABLE))
    deleted, dictionaries_deferred = _brief_delete(
        conn,
        "deleting unreferenced archive dictionaries",
        """
        DELETE FROM core.archive_dictionaries AS d
        WHERE EXISTS (SELECT 1 FROM core.archive_dictionaries AS newer
                      WHERE newer.book = d.book AND newer.kind = d.kind AND newer.dict_id > d.dict_id
                        AND newer.trained_at < now() - %s)
          AND NOT EXISTS (SELECT 1 FROM core.raw_archive AS a WHERE a.dict_id = d.dict_id)
          AND NOT EXISTS (SELECT 1 FROM core.archive_packs AS p WHERE d.dict_id = ANY(p.dict_ids))
        """,
        (DICTIONARY_GRACE,),
    )
    # Only labels of events that kicked off before the cutoff: no writer is about to name one in a pack.
    labels, labels_deferred = _brief_delete(
        conn,
        "deleting the event labels of dropped packs",
        """
        DELETE FROM core.archive_events AS e
        WHERE e.kickoff_date < %s
          AND NOT EXISTS (SELECT 1 FROM core.archive_packs AS p WHERE p.event_keys @> ARRAY[e.event_key])
        """,
        (cutoff,),
    )
    return RetentionResult(
        cutoff=cutoff,
        dropped_partitions=rows.dropped_partitions + packs.dropped_partitions,
        dropped_dictionaries=deleted,
        dropped_event_labels=labels,
        deferred=tuple(
            step
            for step in (*rows.deferred, *packs.deferred, dictionaries_deferred, labels_deferred)
            if step is not None
        ),
    )


@dataclass(frozen=True)
class MaintenanceResult:
    archive: RetentionResult
    #: the odds history's: no cutoff when every day is kept
    history: PartitionDrops
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
    """Apply the retentions (``retention``: days by ``*_RETENTION_DAYS`` variable) and train the dictionaries
    (``conn`` in autocommit mode). A step whose locks never come is deferred and the others still run."""
    archive_days = retention[RETENTION_DAYS_VAR] or 0
    archive = apply_archive_retention(conn, today=today, retention_days=archive_days)
    history = PartitionDrops()
    if (history_days := retention[HISTORY_RETENTION_VAR]) is not None:
        history = drop_day_partitions_before(conn, HISTORY_TABLE, today - timedelta(days=history_days))
    tables = apply_all_table_retention(conn, today=today, days=retention)
    trained = {
        f"{book.value}/{kind}": train_archive_dictionary(conn, book, kind)
        for book in Book
        for kind in DICTIONARY_KINDS
    }
    return MaintenanceResult(archive, history, tables, trained)


#: Rows deleted per transaction: small enough that a batch holds its row locks for milliseconds.
DELETE_BATCH_ROWS = 5_000


@dataclass(frozen=True)
class RetentionRule:
    """Rows of ``table`` whose ``time_column`` is before the cutoff go; ``setting`` names the days.
    ``utc_date``: the column is a UTC date (a partition key such as ``kickoff_date``), compared with the
    cutoff's day, since a date compared with a moment is read in the session's time zone."""

    table: str
    time_column: str
    setting: str
    utc_date: bool = False


RETENTION_RULES: tuple[RetentionRule, ...] = (
    RetentionRule("core.odds_captures", "captured_at", "PALIMPSEST_CAPTURE_LOG_RETENTION_DAYS"),
    RetentionRule("core.capture_requests", "requested_at", "PALIMPSEST_CAPTURE_REQUESTS_RETENTION_DAYS"),
    RetentionRule("core.quarantine", "received_at", "PALIMPSEST_QUARANTINE_RETENTION_DAYS"),
    RetentionRule("core.quarantined_rows", "recorded_at", "PALIMPSEST_QUARANTINE_RETENTION_DAYS"),
    RetentionRule("core.scrape_metrics", "started_at", "PALIMPSEST_SCRAPE_METRICS_RETENTION_DAYS"),
    RetentionRule("core.run_failures", "failed_at", "PALIMPSEST_SCRAPE_METRICS_RETENTION_DAYS"),
    RetentionRule("core.unmapped_markets", "recorded_at", "PALIMPSEST_UNMAPPED_MARKETS_RETENTION_DAYS"),
    RetentionRule("analytics.coverage_history", "computed_at", "PALIMPSEST_COVERAGE_HISTORY_RETENTION_DAYS"),
    RetentionRule("analytics.catalogue_changes", "changed_at", "PALIMPSEST_CATALOGUE_CHANGES_RETENTION_DAYS"),
    RetentionRule("analytics.live_coverage", "last_seen_at", "PALIMPSEST_LIVE_COVERAGE_RETENTION_DAYS"),
    RetentionRule("analytics.live_starts", "kickoff", "PALIMPSEST_LIVE_COVERAGE_RETENTION_DAYS"),
    RetentionRule("core.live_sightings", "first_live_at", "PALIMPSEST_LIVE_COVERAGE_RETENTION_DAYS"),
    RetentionRule("core.live_snapshots", "due_at", "PALIMPSEST_LIVE_COVERAGE_RETENTION_DAYS"),
    RetentionRule("analytics.market_retention", "kickoff", "PALIMPSEST_LIVE_COVERAGE_RETENTION_DAYS"),
    RetentionRule(
        "analytics.inplay_suspension",
        "kickoff_date",
        "PALIMPSEST_LIVE_COVERAGE_RETENTION_DAYS",
        utc_date=True,
    ),
    RetentionRule(
        "core.inplay_suspension_matches",
        "kickoff_date",
        "PALIMPSEST_LIVE_COVERAGE_RETENTION_DAYS",
        utc_date=True,
    ),
    RetentionRule("analytics.live_suspension", "polled_at", "PALIMPSEST_LIVE_SUSPENSION_RETENTION_DAYS"),
    RetentionRule("core.event_rosters", "last_seen_at", "PALIMPSEST_EVENT_ROSTERS_RETENTION_DAYS"),
    RetentionRule("analytics.key_health_families", "hour", "PALIMPSEST_KEY_HEALTH_FAMILIES_RETENTION_DAYS"),
    RetentionRule(
        "analytics.key_health_family_hours", "hour", "PALIMPSEST_KEY_HEALTH_FAMILIES_RETENTION_DAYS"
    ),
    # by the leading column of its primary key: each batch reads an index range, not the whole table
    RetentionRule(
        "analytics.closing_prices", "kickoff_date", "PALIMPSEST_CLOSING_PRICES_RETENTION_DAYS", utc_date=True
    ),
    RetentionRule(
        "analytics.closing_price_days",
        "kickoff_date",
        "PALIMPSEST_CLOSING_PRICES_RETENTION_DAYS",
        utc_date=True,
    ),
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
    """Delete the rule's rows from before ``today - days`` (UTC midnight; that day for a ``utc_date``
    column), ``batch_rows`` per transaction (``conn`` in autocommit mode); a batch whose locks never come
    defers this table only."""
    cutoff = today - timedelta(days=days)
    schema, table = rule.table.split(".")
    delete = sql.SQL(
        "DELETE FROM {table} WHERE ctid = ANY(ARRAY("
        "SELECT ctid FROM {table} WHERE {column} < %(cutoff)s LIMIT %(rows)s))"
    ).format(table=sql.Identifier(schema, table), column=sql.Identifier(rule.time_column))
    bound = cutoff if rule.utc_date else datetime.combine(cutoff, time(0), tzinfo=UTC)
    params = {"cutoff": bound, "rows": batch_rows}
    deleted = 0
    what = f"retention of {rule.table}"
    while True:
        batch, deferred = _brief_delete(conn, what, delete, params)
        deleted += batch
        if deferred is not None or batch < batch_rows:
            return TableRetention(rule.table, cutoff, deleted, deferred)


def apply_all_table_retention(
    conn: psycopg.Connection, *, days: Mapping[str, int | None], today: date
) -> list[TableRetention]:
    """Every rule of ``RETENTION_RULES``, each keeping ``days[rule.setting]`` days (the settings' values)."""
    kept = {rule.setting: days[rule.setting] or 0 for rule in RETENTION_RULES}
    return [
        apply_table_retention(conn, rule, today=today, days=kept[rule.setting]) for rule in RETENTION_RULES
    ]


def _brief_delete(
    conn: psycopg.Connection,
    what: str,
    query: LiteralString | sql.Composed,
    params: Mapping[str, Any] | tuple[Any, ...],
) -> tuple[int, DeferredStep | None]:
    """Rows ``query`` deleted in its own brief transaction; 0 and the step deferred when no lock came."""
    try:
        return briefly(conn, what, lambda: conn.execute(query, params).rowcount), None
    except MaintenanceLockError as err:
        return 0, DeferredStep(what, str(err))
