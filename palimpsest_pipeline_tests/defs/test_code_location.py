"""The code location loads every definition of ``defs/`` through Dagster's folder convention, once each."""

from __future__ import annotations

import importlib
import pkgutil

import dagster as dg
from dagster._core.definitions.unresolved_asset_job_definition import UnresolvedAssetJobDefinition

import palimpsest_pipeline.defs as defs_package
from palimpsest_pipeline.definitions import build_definitions, defs

DAGSTER_TYPES = (
    dg.AssetsDefinition,
    dg.SensorDefinition,
    dg.ScheduleDefinition,
    dg.JobDefinition,
    UnresolvedAssetJobDefinition,
)


def _defined_in_folder() -> dict[str, object]:
    """Every Dagster object a module of ``defs/`` defines at module level, by name, found by walking the
    package independently of Dagster's loader."""
    found: dict[str, object] = {}
    for info in pkgutil.walk_packages(defs_package.__path__, prefix="palimpsest_pipeline.defs."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, DAGSTER_TYPES):
                    found[item.op.name if isinstance(item, dg.AssetsDefinition) else item.name] = item
    return found


def test_every_definition_of_the_folder_is_loaded_once_and_validates() -> None:
    dg.Definitions.validate_loadable(defs)
    repository = defs.get_repository_def()
    loaded = {
        *(a.op.name for a in defs.assets or [] if isinstance(a, dg.AssetsDefinition)),
        *(s.name for s in repository.sensor_defs),
        *(s.name for s in repository.schedule_defs),
        *(j.name for j in repository.get_all_jobs() if not j.name.startswith("__")),
    }
    assert loaded == set(_defined_in_folder())
    names = [a.op.name for a in defs.assets or [] if isinstance(a, dg.AssetsDefinition)]
    assert len(names) == len(set(names))
    # the three books' catalogues, matching, coverage, odds and the report: the flow of the README
    assert {"betpawa_catalogue", "sportybet_catalogue", "bet9ja_catalogue", "odds_snapshots"} <= set(names)


def test_resources_come_from_the_caller_or_the_environment() -> None:
    clock = object()
    assert build_definitions({"clock": clock}).resources == {"clock": clock}
    assert set(defs.resources or {}) == {"warehouse", "books", "alerting", "clock"}


def test_a_catalogue_run_starts_at_most_two_step_processes_at_once() -> None:
    """A run pod is sized for two step processes (docs/deployment.md); Dagster's default, one per CPU the pod
    sees, would be the node's count under Kubernetes."""
    from palimpsest_pipeline.defs.automation import CATALOGUE_JOB

    executor = defs.resolve_job_def(CATALOGUE_JOB).executor_def
    assert executor.name == "multiprocess"
    assert executor.config_schema.resolve_config({}).value["config"]["max_concurrent"] == 2
