"""The shipped dagster.yaml loads on the installed Dagster and says what the deployment relies on."""

from __future__ import annotations

import tomllib
from pathlib import Path

import dagster as dg
import pytest
import yaml
from dagster._core.instance.config import PoolGranularity
from dagster._core.run_coordinator import QueuedRunCoordinator
from dagster._core.workspace.config_schema import ensure_workspace_config

from palimpsest_pipeline.definitions import defs
from palimpsest_pipeline.deploy.pools import apply_pool_limits, pool_limits
from palimpsest_pipeline_tests.deployment.conftest import shipped_file
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS

#: The pools through which Nigeria's books are reached, one per book edition, the capture worker's and the
#: one-shot capture's (the comments in dagster.yaml explain each).
BOOK_POOLS = {*(f"book_{book.value}_ng" for book in NIGERIA_BOOKS), "capture_worker_ng", "odds_capture_ng"}
#: The pools of Nigeria's catalogue ops, one per scraped book.
CATALOGUE_POOLS = sorted(BOOK_POOLS - {"capture_worker_ng", "odds_capture_ng"})


def test_instance_storage_is_postgres(deploy_instance: dg.DagsterInstance) -> None:
    from dagster_postgres import PostgresEventLogStorage, PostgresRunStorage, PostgresScheduleStorage

    assert isinstance(deploy_instance.run_storage, PostgresRunStorage)
    assert isinstance(deploy_instance.event_log_storage, PostgresEventLogStorage)
    assert isinstance(deploy_instance.schedule_storage, PostgresScheduleStorage)
    # The storage answers: runs can be listed on the fresh database.
    assert deploy_instance.get_runs() == []


def test_run_queue_limits(deploy_instance: dg.DagsterInstance) -> None:
    assert isinstance(deploy_instance.run_coordinator, QueuedRunCoordinator)
    queue = deploy_instance.get_concurrency_config().run_queue_config
    assert queue is not None
    assert queue.max_concurrent_runs == 6
    assert {"key": "dagster/backfill", "limit": 2} in queue.tag_concurrency_limits
    live = {"key": "palimpsest/live_watch", "value": {"applyLimitPerUniqueValue": True}, "limit": 1}
    assert live in queue.tag_concurrency_limits  # one watch run per site country
    assert queue.max_user_code_failure_retries == 3


def test_pools_default_to_one_slot_claimed_per_op(deploy_instance: dg.DagsterInstance) -> None:
    pools = deploy_instance.get_concurrency_config().pool_config
    assert pools.default_pool_limit == 1
    # `op`: the executor claims an op's pool as the op starts, in every run whoever launched it (`run` would
    # leave it to the run queue, which an in-process run of the command line never passes through)
    assert pools.pool_granularity is PoolGranularity.OP
    # What the run queue does the first time it meets a pool: it gets the default limit, in Postgres.
    storage = deploy_instance.event_log_storage
    for pool in sorted(BOOK_POOLS):
        storage.initialize_concurrency_limit_to_default(pool)
        assert storage.get_concurrency_info(pool).slot_count == 1, pool


def test_every_pool_of_the_code_location_has_a_limit_and_is_documented() -> None:
    # Each book edition's catalogue op declares the edition's pool, each country's capture op its capture
    # pool, its capture worker the worker's, and no other op declares one (matching, coverage and the tables
    # ask no book).
    jobs = defs.get_repository_def().get_all_jobs()
    ops = {
        node.definition for job in jobs for node in job.nodes if isinstance(node.definition, dg.OpDefinition)
    }
    declared = {op.name: op.pool for op in ops if op.pool is not None}
    assert declared == {
        **{f"ng__{book.value}_catalogue": f"book_{book.value}_ng" for book in NIGERIA_BOOKS},
        "ng__odds_snapshots": "odds_capture_ng",
        "ng__capture_worker": "capture_worker_ng",
    }
    # A new pool would be unlimited on first use: make its author give it a limit and a reason.
    assert set(pool_limits({})) == BOOK_POOLS == set(declared.values())
    # Ghana: BetPawa and its competitors there (no Bet9ja: it has no Ghanaian edition)
    ghana = {f"book_{book}_gh" for book in ("betpawa", "sportybet", "msport", "betway", "betika")}
    odds_gh = {"capture_worker_gh", "odds_capture_gh"}
    assert set(pool_limits({"PALIMPSEST_COUNTRIES": "ng,gh"})) == BOOK_POOLS | ghana | odds_gh
    text = shipped_file("dagster.yaml").read_text()
    for pattern in ("book_<book>_<cc>", "capture_worker_<cc>", "odds_capture_<cc>"):
        assert pattern in text, f"pool {pattern} is not explained in deploy/dagster.yaml"


def test_apply_pool_limits_writes_missing_pools_and_keeps_an_operators_limit(
    deploy_instance: dg.DagsterInstance,
) -> None:
    storage = deploy_instance.event_log_storage
    storage.set_concurrency_slots("odds_capture_ng", 2)  # `dagster instance concurrency set ... 2`
    storage.initialize_concurrency_limit_to_default("book_bet9ja_ng")  # met once: the default limit
    written = apply_pool_limits(deploy_instance)
    assert written == dict.fromkeys([*CATALOGUE_POOLS, "capture_worker_ng"], 1)
    assert {f"book_{book}_ng" for book in ("betpawa", "bet9ja", "sportybet", "msport", "betway")} <= set(
        written
    )
    limits = {p.name: (p.limit, p.from_default) for p in storage.get_pool_limits()}
    assert limits == {
        **dict.fromkeys([*CATALOGUE_POOLS, "capture_worker_ng"], (1, False)),
        "odds_capture_ng": (2, False),
    }
    assert apply_pool_limits(deploy_instance) == {}
    with pytest.raises(ValueError, match="pool 'odds_capture_ng': limit must be >= 0"):
        apply_pool_limits(deploy_instance, {"odds_capture_ng": -1})


def test_run_monitoring_and_retries(deploy_instance: dg.DagsterInstance) -> None:
    assert deploy_instance.run_monitoring_enabled
    assert deploy_instance.run_monitoring_start_timeout_seconds == 180
    assert deploy_instance.run_monitoring_cancel_timeout_seconds == 180
    assert deploy_instance.run_monitoring_max_runtime_seconds == 10800
    # The local DefaultRunLauncher cannot resume a run: anything above 0 would refuse to load.
    assert deploy_instance.run_monitoring_max_resume_run_attempts == 0
    # the daemon's concurrency loop gives a finished run's slots back after this long (0 or unset: never)
    assert deploy_instance.run_monitoring_settings["free_slots_after_run_end_seconds"] == 5
    assert deploy_instance.run_retries_enabled
    assert deploy_instance.run_retries_max_retries == 2
    assert deploy_instance.run_retries_retry_on_asset_or_op_failure is False


def test_resuming_runs_needs_a_launcher_that_can(dagster_home: Path) -> None:
    """Why max_resume_run_attempts stays 0 locally: Dagster refuses it with the local run launcher."""
    path = dagster_home / "dagster.yaml"
    config = yaml.safe_load(path.read_text())
    config["run_monitoring"]["max_resume_run_attempts"] = 2
    path.write_text(yaml.safe_dump(config))
    with (
        pytest.raises(Exception, match="does not support resuming runs"),
        dg.DagsterInstance.from_config(str(dagster_home)) as instance,
    ):
        instance.run_monitoring_max_resume_run_attempts  # noqa: B018 - loading is what fails


def test_grpc_workspace_file_is_a_valid_workspace(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PALIMPSEST_CODE_SERVER_HOST", "code-server.palimpsest.svc")
    monkeypatch.setenv("PALIMPSEST_CODE_SERVER_PORT", "4266")
    path = shipped_file("workspace.grpc.yaml")
    validated = ensure_workspace_config(yaml.safe_load(path.read_text()), str(path))
    entries = validated["load_from"]
    assert isinstance(entries, list)
    (entry,) = entries
    assert entry["grpc_server"] == {
        "host": "code-server.palimpsest.svc",
        "port": 4266,
        "location_name": "palimpsest_pipeline",
    }


def test_every_place_names_the_code_location_alike() -> None:
    """Dagster keys cursors, schedule state and run history by the location's name, and its component tree
    warns at every load where the project's configured name differs from the one the location is loaded
    under (left unset, the project's name is its checkout folder's)."""
    root = Path(__file__).resolve().parents[2]
    project = tomllib.loads((root / "pyproject.toml").read_text())["tool"]
    (dev,) = yaml.safe_load((root / "workspace.yaml").read_text())["load_from"]
    (grpc,) = yaml.safe_load(shipped_file("workspace.grpc.yaml").read_text())["load_from"]
    names = {
        "[tool.dagster]": project["dagster"]["code_location_name"],
        "[tool.dg.project]": project["dg"]["project"].get("code_location_name"),
        "workspace.yaml": dev["python_module"]["location_name"],
        "deploy/workspace.grpc.yaml": grpc["grpc_server"]["location_name"],
    }
    assert set(names.values()) == {"palimpsest_pipeline"}, names
