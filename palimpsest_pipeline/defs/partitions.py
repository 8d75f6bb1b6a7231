"""Partitions shared by the assets: the UTC kick-off date (bounding each atomic write, 14 days ahead) times
the site country (keeping each country's runs apart); keys read ``2026-05-04|ng``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence, Set

import dagster as dg

from palimpsest_pipeline.defs.resources import LOCATION_SETTINGS

#: How many days ahead of today the books list events (and so how far the partitions reach).
HORIZON_DAYS = 14

#: The tags naming a run's partition, or the first and last partition of its range.
PARTITION_TAG = "dagster/partition"
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"

COUNTRY_DIMENSION = "site_country"

#: From the first kick-off date the project keeps history for.
kickoff_dates = dg.DailyPartitionsDefinition("2026-01-01", end_offset=HORIZON_DAYS + 1, timezone="UTC")


def date_country_partitions(countries: Iterable[str]) -> dg.MultiPartitionsDefinition:
    """Kick-off dates times ``countries``: the partitions of every partitioned asset (Dagster orders a
    multi-part key's dimensions by name, so the date comes first)."""
    return dg.MultiPartitionsDefinition(
        {"date": kickoff_dates, COUNTRY_DIMENSION: dg.StaticPartitionsDefinition(list(countries))}
    )


SITE_COUNTRIES = LOCATION_SETTINGS.site_countries()
kickoff_partitions = date_country_partitions(SITE_COUNTRIES)

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
    """An asset of warehouse tables per kick-off date and country (derived with Polars, unless ``kinds``)."""
    return dg.AssetSpec(
        key,
        deps=deps,
        description=description,
        group_name=group_name,
        kinds=set(kinds),
        partitions_def=kickoff_partitions,
        freshness_policy=freshness_policy,
    )
