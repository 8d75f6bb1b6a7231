"""The code location loaded for Nigeria and Ghana, run in a process of its own (the countries are read when
the definitions load): prints, as JSON, what it defines per country and the outcome of one catalogue and
coverage run of ``DAY|gh`` (or, with SPAN ``all``, of DAY in every country, as a backfill without
``--country`` runs it). Arguments: WAREHOUSE_URL BASE_URLS (JSON, book -> Nigeria's URL) DAY NOW [SPAN], with
PALIMPSEST_COUNTRIES=ng,gh in the environment."""

from __future__ import annotations

import json
import sys
from datetime import date

import dagster as dg

from palimpsest_pipeline.definitions import ALL_ASSETS, defs
from palimpsest_pipeline.defs.automation import country_range_tags
from palimpsest_pipeline.defs.catalogue.assets import CATALOGUE_GROUP
from palimpsest_pipeline.defs.coverage.assets import COVERAGE_LEVELS, MATCHED_KEY, coverage_key
from palimpsest_pipeline.defs.coverage.crosswalk import CROSSWALK_KEY
from palimpsest_pipeline.defs.partitions import COUNTRY_DIMENSION, kickoff_partitions
from palimpsest_pipeline.defs.resources import BooksResource, ClockResource, WarehouseResource
from palimpsest_pipeline.deploy.pools import pool_limits
from palimpsest_pipeline.partition_keys import partition_key


def main(warehouse_url: str, base_urls: str, day: str, now: str, span: str = "gh") -> None:
    repo = defs.get_repository_def()
    kickoff = date.fromisoformat(day)
    every = span == "all"
    result = dg.materialize(
        ALL_ASSETS,
        resources={
            "warehouse": WarehouseResource(database_url=warehouse_url),
            "books": BooksResource(base_urls=json.loads(base_urls)),
            "clock": ClockResource(fixed_utc=now),
        },
        partition_key=None if every else partition_key(kickoff, span),
        tags=country_range_tags(kickoff, kickoff, None) if every else None,
        selection=dg.AssetSelection.groups(CATALOGUE_GROUP)
        | dg.AssetSelection.keys(
            MATCHED_KEY, CROSSWALK_KEY, *(coverage_key(level) for level in COVERAGE_LEVELS)
        ),
        raise_on_error=False,
    )
    skipped = {
        event.asset_key.to_user_string(): event.step_materialization_data.materialization.metadata[
            "skipped"
        ].value
        for event in result.get_asset_materialization_events()
        if event.asset_key is not None
        and "skipped" in event.step_materialization_data.materialization.metadata
    }
    # what each materialization of SportyBet's events says of its scrape metrics, by metadata name
    sportybet_metrics = {
        name: entry.value
        for event in result.get_asset_materialization_events()
        if event.asset_key == dg.AssetKey(["sportybet", "events"])
        for name, entry in event.step_materialization_data.materialization.metadata.items()
        if name.startswith("scrape_metrics")
    }
    print(
        json.dumps(
            {
                "countries": kickoff_partitions.get_partitions_def_for_dimension(
                    COUNTRY_DIMENSION
                ).get_partition_keys(),
                "schedules": sorted(s.name for s in repo.schedule_defs),
                "sensors": sorted(s.name for s in repo.sensor_defs),
                "pools": sorted(pool_limits()),
                "run_id": result.run_id,
                "success": result.success,
                "skipped": skipped,
                "sportybet_metrics": sportybet_metrics,
            }
        )
    )


if __name__ == "__main__":
    main(*sys.argv[1:])
