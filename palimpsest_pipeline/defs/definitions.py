"""The code location: every asset, check, job, schedule and sensor, with resources from the environment."""

from __future__ import annotations

import dagster as dg

from palimpsest_pipeline.defs.automation import AUTOMATION_JOBS, AUTOMATION_SCHEDULES, AUTOMATION_SENSORS
from palimpsest_pipeline.defs.catalogue.assets import CATALOGUE_GROUP, catalogue_assets
from palimpsest_pipeline.defs.catalogue.sensors import catalogue_bootstrap_sensor
from palimpsest_pipeline.defs.coverage.assets import COVERAGE_GROUP, coverage_tables, matched_events
from palimpsest_pipeline.defs.coverage.crosswalk import tournament_crosswalk
from palimpsest_pipeline.defs.maintenance.jobs import archive_maintenance, archive_maintenance_schedule
from palimpsest_pipeline.defs.odds.assets import odds_comparison_tables, odds_snapshots
from palimpsest_pipeline.defs.report.assets import REPORT_GROUP, traders_report
from palimpsest_pipeline.defs.resources import resources_from_env
from palimpsest_pipeline.defs.runs.liveness import dead_run_sensor
from palimpsest_pipeline.defs.runs.observability import record_run_failures

ALL_ASSETS: list[dg.AssetsDefinition] = [
    *catalogue_assets,
    tournament_crosswalk,
    matched_events,
    coverage_tables,
    odds_snapshots,
    odds_comparison_tables,
    traders_report,
]

#: Catalogues of every book, then matching and coverage: the palimpsest comparison in one run.
palimpsest_job = dg.define_asset_job(
    "palimpsest_comparison",
    selection=dg.AssetSelection.groups(CATALOGUE_GROUP, COVERAGE_GROUP, REPORT_GROUP),
    description="Scrape every book's catalogue, match events across books, compute the coverage tables and "
    "rewrite the traders' report.",
)


def build_definitions(resources: dict[str, object] | None = None) -> dg.Definitions:
    """The definitions with the given resources (tests) or the environment's (deployments)."""
    return dg.Definitions(
        assets=ALL_ASSETS,
        jobs=[palimpsest_job, *AUTOMATION_JOBS, archive_maintenance],
        schedules=[*AUTOMATION_SCHEDULES, archive_maintenance_schedule],
        sensors=[*AUTOMATION_SENSORS, catalogue_bootstrap_sensor, record_run_failures, dead_run_sensor],
        resources=resources if resources is not None else resources_from_env(),
    )


defs = build_definitions()
