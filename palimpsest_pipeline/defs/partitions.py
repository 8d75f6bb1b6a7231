"""Partitions shared by the assets: the UTC kick-off date, bounding each atomic write, 14 days ahead (the site
country is in each asset's key, ``defs/countries.py``); keys read ``2026-05-04``."""

from __future__ import annotations

from collections.abc import Sequence, Set

import dagster as dg

from palimpsest_pipeline.defs.resources import LOCATION_SETTINGS

#: How many days ahead of today the books list events (and so how far the partitions reach).
HORIZON_DAYS = 14

#: The tags naming a run's partition, or the first and last partition of its range.
PARTITION_TAG = "dagster/partition"
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"

#: From the first kick-off date the project keeps history for.
kickoff_dates = dg.DailyPartitionsDefinition("2026-01-01", end_offset=HORIZON_DAYS + 1, timezone="UTC")

SITE_COUNTRIES = LOCATION_SETTINGS.site_countries()

#: One run covers a whole range of dates: every asset reads ``context.partition_keys``.
single_run = dg.BackfillPolicy.single_run()


def kickoff_table(
    key: dg.AssetKey,
    *,
    description: str,
    group_name: str,
    deps: Sequence[dg.AssetKey] = (),
    freshness_policy: dg.FreshnessPolicy | None = None,
    kinds: Set[str] = frozenset({"polars", "postgres"}),
) -> dg.AssetSpec:
    """An asset of warehouse tables per kick-off date (derived with Polars, unless ``kinds``)."""
    return dg.AssetSpec(
        key,
        deps=deps,
        description=description,
        group_name=group_name,
        kinds=set(kinds),
        partitions_def=kickoff_dates,
        freshness_policy=freshness_policy,
    )
