"""The code location loaded for Nigeria and Ghana, run in a process of its own (the countries are read when
the definitions load): prints, as JSON, what it defines per country (asset keys, jobs and the assets they
select, schedules and sensors and the jobs they target, pools) and the outcome of one run of Ghana's
catalogue, crosswalk, matching and coverage assets for DAY (or, with SPAN ``all``, of every country's, in one
run, as a backfill without ``--country`` runs it). Arguments: WAREHOUSE_URL BASE_URLS (JSON, book ->
Nigeria's URL) DAY NOW [SPAN], with PALIMPSEST_COUNTRIES=ng,gh in the environment."""

from __future__ import annotations

import json
import sys
from datetime import date

import dagster as dg

from palimpsest_pipeline.definitions import ALL_ASSETS, defs
from palimpsest_pipeline.defs.automation import country_range_tags
from palimpsest_pipeline.defs.catalogue.assets import CATALOGUE_GROUP
from palimpsest_pipeline.defs.coverage.assets import COVERAGE_LEVELS, coverage_key, matched_key
from palimpsest_pipeline.defs.coverage.crosswalk import crosswalk_key
from palimpsest_pipeline.defs.partitions import SITE_COUNTRIES
from palimpsest_pipeline.defs.resources import BooksResource, ClockResource, WarehouseResource
from palimpsest_pipeline.deploy.pools import pool_limits


def selection(countries: list[str]) -> dg.AssetSelection:
    """The catalogues, crosswalk, matched events and coverage of ``countries``."""
    chosen: dg.AssetSelection = dg.AssetSelection.keys()
    for country in countries:
        chosen |= dg.AssetSelection.key_prefixes(country) & dg.AssetSelection.groups(CATALOGUE_GROUP)
        chosen |= dg.AssetSelection.assets(
            matched_key(country),
            crosswalk_key(country),
            *(coverage_key(country, level) for level in COVERAGE_LEVELS),
        )
    return chosen


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
        tags=country_range_tags(kickoff, kickoff, None if every else span),
        selection=selection(list(SITE_COUNTRIES) if every else [span]),
        raise_on_error=False,
    )
    materializations = [
        (event.asset_key, event.partition, event.step_materialization_data.materialization.metadata)
        for event in result.get_asset_materialization_events()
        if event.asset_key is not None
    ]
    jobs = [job for job in repo.get_all_jobs() if not job.name.startswith("__")]
    print(
        json.dumps(
            {
                "countries": list(SITE_COUNTRIES),
                "assets": sorted(key.to_user_string() for key in repo.asset_graph.get_all_asset_keys()),
                "partitions": sorted({type(a.partitions_def).__name__ for a in ALL_ASSETS}),
                "jobs": {
                    job.name: sorted(key.to_user_string() for key in job.asset_layer.selected_asset_keys)
                    for job in jobs
                },
                "schedules": {s.name: s.job_name for s in repo.schedule_defs},
                "sensors": {s.name: s.job_name if s.targets else None for s in repo.sensor_defs},
                "pools": sorted(pool_limits()),
                "op_pools": {a.op.name: sorted(a.op.pools) for a in ALL_ASSETS if a.op.pools},
                "run_id": result.run_id,
                "success": result.success,
                "steps": sorted(event.step_key for event in result.get_step_success_events()),
                "failed_steps": sorted(event.step_key for event in result.get_step_failure_events()),
                "materialized": sorted(
                    [key.to_user_string(), partition] for key, partition, _ in materializations
                ),
                # each book edition's events: whether the catalogue is stale, and its scrape metrics
                "events_stale": {
                    key.to_user_string(): metadata["stale"].value
                    for key, _, metadata in materializations
                    if key.path[-1] == "events"
                },
                "scrape_metrics": {
                    key.to_user_string(): metadata["scrape_metrics"].value
                    for key, _, metadata in materializations
                    if key.path[-1] == "events" and "scrape_metrics" in metadata
                },
            }
        )
    )


if __name__ == "__main__":
    main(*sys.argv[1:])
