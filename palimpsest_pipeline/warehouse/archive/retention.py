"""The archive's retention: whole UTC days of rows and packs dropped once older than the retention setting,
then the dictionaries and event labels nothing kept refers to.

A delta's base is always in its own day, so dropping a day never breaks a later one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import LiteralString

import psycopg

from palimpsest_pipeline.warehouse.archive.dictionaries import DICTIONARY_GRACE
from palimpsest_pipeline.warehouse.archive.records import ARCHIVE_TABLE, PACK_TABLE, ArchiveError
from palimpsest_pipeline.warehouse.brief_locks import MaintenanceLockError, briefly
from palimpsest_pipeline.warehouse.deferred_steps import DeferredStep
from palimpsest_pipeline.warehouse.partitions import drop_day_partitions_before

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


def apply_archive_retention(
    conn: psycopg.Connection,
    *,
    today: date | None = None,
    retention_days: int,
) -> RetentionResult:
    """Drop the archive's day partitions older than the retention (days before ``today - retention_days``),
    then the dictionaries nothing references any more (never the newest of a (book, kind)) and the event
    labels of the dropped packs; each step its own short transaction (``conn`` in autocommit mode)."""
    days = retention_days
    if days < 1:
        raise ArchiveError(f"apply_archive_retention: retention_days must be at least 1, got {days}")
    cutoff = (today or datetime.now(UTC).date()) - timedelta(days=days)
    rows, packs = (drop_day_partitions_before(conn, table, cutoff) for table in (ARCHIVE_TABLE, PACK_TABLE))
    deferred = [*rows.deferred, *packs.deferred]
    deleted = _count_or_defer(
        conn,
        deferred,
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
    # Event labels outlive their packs unless deleted here. Only events that kicked off
    # before the cutoff: nothing captures those any more, so no writer is about to name one in a pack it has
    # not committed yet (the array column has no foreign key to stop that).
    labels = _count_or_defer(
        conn,
        deferred,
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
        dropped_partitions=rows.dropped + packs.dropped,
        dropped_dictionaries=deleted,
        dropped_event_labels=labels,
        deferred=tuple(deferred),
    )


def _count_or_defer(
    conn: psycopg.Connection,
    deferred: list[DeferredStep],
    what: str,
    query: LiteralString,
    params: tuple[object, ...],
) -> int:
    """Rows ``query`` deleted in its own brief transaction; 0, with the step deferred, when its locks never
    came."""
    try:
        return briefly(conn, what, lambda: conn.execute(query, params).rowcount)
    except MaintenanceLockError as err:
        deferred.append(DeferredStep(what, str(err)))
        return 0
