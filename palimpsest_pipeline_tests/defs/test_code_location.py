"""The code location loads every definition of ``defs/`` through Dagster's folder convention, once each."""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys

import dagster as dg
import pytest
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
    # Nigeria's five books' catalogues, matching, coverage, odds and the report: the flow of the README, each
    # op named after its country (PALIMPSEST_COUNTRIES is unset here: Nigeria alone)
    assert set(names) == {
        *(f"ng__{book}_catalogue" for book in ("betpawa", "sportybet", "bet9ja", "msport", "betway")),
        "ng__tournament_crosswalk",
        "ng__matched_events",
        "ng__coverage",
        "ng__listing",
        "ng__odds_snapshots",
        "ng__odds_comparison_tables",
        "ng__price_leadership_tables",
        "ng__closing_prices",
        "traders_report",
    }


def test_each_scraping_op_declares_its_pool_and_nothing_else_does() -> None:
    """A catalogue op claims its book edition's pool, the odds capture its country's (deploy/dagster.yaml):
    Dagster's executor takes the slot as the op starts, so the op must declare it."""
    pools = {a.op.name: set(a.op.pools) for a in defs.assets or [] if isinstance(a, dg.AssetsDefinition)}
    assert {name: pool for name, pool in pools.items() if pool} == {
        **{
            f"ng__{book}_catalogue": {f"book_{book}_ng"}
            for book in ("betpawa", "sportybet", "bet9ja", "msport", "betway")
        },
        "ng__odds_snapshots": {"odds_capture_ng"},
    }


def test_resources_come_from_the_caller_or_the_environment() -> None:
    clock = object()
    assert build_definitions({"clock": clock}).resources == {"clock": clock}
    assert set(defs.resources or {}) == {"warehouse", "books", "alerting", "clock"}


def test_a_catalogue_run_starts_at_most_two_step_processes_at_once() -> None:
    """A run pod is sized for two step processes (docs/deployment.md); Dagster's default, one per CPU the pod
    sees, would be the node's count under Kubernetes."""
    executor = defs.resolve_job_def("palimpsest_comparison_ng").executor_def
    assert executor.name == "multiprocess"
    assert executor.config_schema.resolve_config({}).value["config"]["max_concurrent"] == 2


def test_each_countrys_jobs_select_its_own_assets_and_the_report() -> None:
    """Nigeria's catalogue job: its catalogues, matching, coverage, leadership and listing tables, and the
    traders' report; its capture job: its odds group only, in process (a subprocess per step costs
    seconds). Its schedules and sensors target its own jobs."""
    repository = defs.get_repository_def()

    def selected(job: str) -> set[str]:
        return {k.to_user_string() for k in defs.resolve_job_def(job).asset_layer.selected_asset_keys}

    books = ("betpawa", "sportybet", "bet9ja", "msport", "betway")
    derived = [
        "tournament_crosswalk",
        "matched_events",
        "price_leadership",
        "stale_vs_market",
        "closing_prices",
    ]
    derived += ["listing_lead_time", "to_list_now"]
    derived += [f"coverage_{level}" for level in ("overall", "by_sport", "by_country", "by_tournament")]
    assert selected("palimpsest_comparison_ng") == {
        *(f"ng/{book}/{table}" for book in books for table in ("tournaments", "events")),
        *(f"ng/{name}" for name in derived),
        "traders_report",
    }
    odds = ("odds_snapshots", "odds_comparison", "market_margins", "market_availability")
    assert selected("capture_odds_ng") == {f"ng/{name}" for name in odds}
    assert defs.resolve_job_def("capture_odds_ng").executor_def.name == "in_process"
    targets: dict[str, str | None] = {s.name: s.job_name for s in repository.schedule_defs}
    targets |= {s.name: s.job_name for s in repository.sensor_defs if s.targets}
    assert {name: job for name, job in targets.items() if name.endswith("_ng")} == {
        "catalogue_schedule_ng": "palimpsest_comparison_ng",
        "catalogue_bootstrap_sensor_ng": "palimpsest_comparison_ng",
        "odds_kickoff_window_sensor_ng": "capture_worker_ng",
        "live_watch_schedule_ng": "watch_live",
        "weekly_digest_schedule_ng": "weekly_digest",
    }


_LOAD_IN_A_FRESH_PROCESS = """
import gc, json
import dagster  # as the dagster CLI has before it loads the code location
full = []
gc.callbacks.append(lambda phase, info: phase == "stop" and info["generation"] == 2 and full.append(1))
import palimpsest_pipeline.definitions
print(json.dumps({"full": len(full), "enabled": gc.isenabled(), "frozen": gc.get_freeze_count()}))
"""


@pytest.mark.drill
def test_loading_the_location_collects_once_and_freezes_what_it_keeps() -> None:
    """A code server, run or step process loads the definitions once and keeps them: one full collection
    after, none during, then they are frozen out of later collections (and the collector runs again)."""
    done = subprocess.run(
        [sys.executable, "-c", _LOAD_IN_A_FRESH_PROCESS], capture_output=True, text=True, check=True
    )
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert loaded["full"] == 1 and loaded["enabled"] is True, loaded
    assert loaded["frozen"] > 100_000, loaded  # Dagster's objects and the definitions', not a handful
