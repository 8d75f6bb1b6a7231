"""Partitions shared by the assets.

Everything is partitioned by the UTC kick-off date: it is what traders filter on, it bounds each write
(one date = one atomic replace), and it lets a backfill rebuild history day by day. The books list events
up to about two weeks ahead, so the partition set runs 14 days past today (``end_offset``).
"""

from __future__ import annotations

from datetime import date

import dagster as dg

from palimpsest_pipeline.partition_keys import key_dates

#: First kick-off date the project keeps history for.
HISTORY_START = "2026-01-01"

#: How many days ahead of today the books list events (and so how far the partitions reach).
HORIZON_DAYS = 14

kickoff_dates = dg.DailyPartitionsDefinition(
    start_date=HISTORY_START,
    end_offset=HORIZON_DAYS + 1,
    timezone="UTC",
)

#: One run covers a whole range of dates: every asset reads ``context.partition_keys``.
single_run = dg.BackfillPolicy.single_run()


def partition_dates(context: dg.AssetExecutionContext) -> list[date]:
    """The kick-off dates of the run's partitions (``partition_keys.key_date``)."""
    return key_dates(context.partition_keys)
