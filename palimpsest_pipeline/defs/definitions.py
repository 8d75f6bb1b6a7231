"""The code location: every asset, check, job, schedule and sensor, with resources from the environment."""

from __future__ import annotations

import dagster as dg

from palimpsest_pipeline.defs.catalogue import CATALOGUE_GROUP, catalogue_assets
from palimpsest_pipeline.defs.coverage import COVERAGE_GROUP, coverage_tables, matched_events
from palimpsest_pipeline.defs.resources import resources_from_env

ALL_ASSETS: list[dg.AssetsDefinition] = [*catalogue_assets, matched_events, coverage_tables]

#: Catalogues of every book, then matching and coverage: the palimpsest comparison in one run.
palimpsest_job = dg.define_asset_job(
    "palimpsest_comparison",
    selection=dg.AssetSelection.groups(CATALOGUE_GROUP, COVERAGE_GROUP),
    description="Scrape every book's catalogue, match events across books and compute the coverage tables.",
)


def build_definitions(resources: dict[str, object] | None = None) -> dg.Definitions:
    """The definitions with the given resources (tests) or the environment's (deployments)."""
    return dg.Definitions(
        assets=ALL_ASSETS,
        jobs=[palimpsest_job],
        resources=resources if resources is not None else resources_from_env(),
    )


defs = build_definitions()
