"""Daily archive maintenance: apply the retention settings, compact the days that are over, and refresh the
compression dictionaries.

Without it the archive's retention (``PALIMPSEST_ARCHIVE_RETENTION_DAYS``) would be a setting nothing
applies, and bodies would stay on plain zstd (a per-book dictionary stores them in about a third less). The
odds history's own retention (``PALIMPSEST_ODDS_HISTORY_RETENTION_DAYS``, default: keep) is applied here too.
Compaction (``PALIMPSEST_ARCHIVE_COMPACTION_LEVEL``, default 19, 0: off) re-encodes the closed days' event
details with zstd's strongest parser, off the capture's path (``warehouse/archive_compaction.py``).
"""

import os

import dagster as dg

from palimpsest_pipeline.defs.automation import automation_running
from palimpsest_pipeline.defs.resources import ClockResource, WarehouseResource
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.warehouse.archive_compaction import compact_closed_days, describe
from palimpsest_pipeline.warehouse.history_retention import apply_history_retention
from palimpsest_pipeline.warehouse.raw_archive import (
    ArchiveKind,
    apply_archive_retention,
    train_archive_dictionary,
)

#: The kinds worth a dictionary: many similar bodies per book (catalogue calls are few and small).
DICTIONARY_KINDS: tuple[ArchiveKind, ...] = ("event", "list")

MAINTENANCE_CRON_VAR = "PALIMPSEST_MAINTENANCE_CRON"
DEFAULT_MAINTENANCE_CRON = "17 3 * * *"


@dg.op(
    description="Drop archive (and, when configured, odds history) days past their retention; compact the "
    "archive's closed days; train each book's dictionaries on recent bodies."
)
def maintain_archive(
    context: dg.OpExecutionContext, warehouse: WarehouseResource, clock: ClockResource
) -> dg.Output[None]:
    with warehouse.connect() as conn:
        retention = apply_archive_retention(conn, today=clock.now().date())
        history = apply_history_retention(conn, today=clock.now().date())
        trained = {
            f"{book.value}/{kind}": train_archive_dictionary(conn, book, kind)
            for book in Book
            for kind in DICTIONARY_KINDS
        }
    # last: the slowest step (about 20 ms of CPU per archived body), and the others do not wait for it
    with warehouse.connect(autocommit=True) as conn:
        compacted = compact_closed_days(conn, today=clock.now().date())
    for day in compacted:
        context.log.info(
            f"archive {day.day} compacted: {day.entries} bodies, frames {day.frame_bytes_before:,} -> "
            f"{day.frame_bytes_after:,} bytes, partition {day.partition_bytes_before:,} -> "
            f"{day.partition_bytes_after:,} bytes, {day.cpu_s:.1f} s CPU"
            + (f"; left as written: {'; '.join(day.problems[:3])}" if day.problems else "")
        )
    context.log.info(f"archive retention cut at {retention.cutoff}: dropped {retention.dropped_partitions}")
    return dg.Output(
        None,
        metadata={
            "cutoff": retention.cutoff.isoformat(),
            "dropped_partitions": dg.MetadataValue.json(list(retention.dropped_partitions)),
            "dropped_dictionaries": retention.dropped_dictionaries,
            "dropped_event_labels": retention.dropped_event_labels,
            # None: no history retention set (the default), every day of odds history is kept.
            "history_cutoff": None if history.cutoff is None else history.cutoff.isoformat(),
            "history_dropped_partitions": dg.MetadataValue.json(list(history.dropped_partitions)),
            "compacted_days": dg.MetadataValue.json([describe(day) for day in compacted]),
            # None: too few bodies of that book and kind archived yet to train on.
            "trained_dictionaries": dg.MetadataValue.json(trained),
        },
    )


@dg.job(description="Archive retention, compaction and compression dictionaries (daily).")
def archive_maintenance() -> None:
    maintain_archive()


archive_maintenance_schedule = dg.ScheduleDefinition(
    name="archive_maintenance_schedule",
    job=archive_maintenance,
    cron_schedule=os.environ.get(MAINTENANCE_CRON_VAR) or DEFAULT_MAINTENANCE_CRON,
    execution_timezone="UTC",
    default_status=(
        dg.DefaultScheduleStatus.RUNNING
        if automation_running(os.environ)
        else dg.DefaultScheduleStatus.STOPPED
    ),
)
