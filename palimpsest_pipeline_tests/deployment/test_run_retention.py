"""Dagster's runs and event logs kept to their window, on the shipped instance (Postgres storage): finished
runs older than the cutoff go with their events; a run not finished, and the run of an asset's latest
materialization, stay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import dagster as dg
import pytest

from palimpsest_pipeline.defs.maintenance import run_retention
from palimpsest_pipeline.defs.maintenance.jobs import purge_dagster_runs
from palimpsest_pipeline.defs.maintenance.run_retention import purge_finished_runs
from palimpsest_pipeline.defs.resources import ClockResource


@dg.asset
def early() -> None:
    """Materialized once, first: its run is old and must stay."""


@dg.asset
def repeated() -> None:
    """Materialized again and again: only its last run stays."""


@dg.op
def fails() -> None:
    raise RuntimeError("a failed run is a finished run")


@dg.job
def failing() -> None:
    fails()


def _runs(instance: dg.DagsterInstance) -> dict[str, dg.DagsterRunStatus]:
    return {record.dagster_run.run_id: record.dagster_run.status for record in instance.get_run_records()}


@pytest.fixture
def history(deploy_instance: dg.DagsterInstance) -> dict[str, str]:
    """An early materialization, four of another asset, a failed run, and a run created but never started."""
    runs = {"early": dg.materialize([early], instance=deploy_instance).run_id}
    repeated_runs = [dg.materialize([repeated], instance=deploy_instance).run_id for _ in range(4)]
    runs.update({f"repeated{n}": run_id for n, run_id in enumerate(repeated_runs)})
    runs["failed"] = failing.execute_in_process(instance=deploy_instance, raise_on_error=False).run_id
    runs["waiting"] = deploy_instance.create_run_for_job(failing).run_id
    return runs


def test_old_finished_runs_go_with_their_events_and_the_rest_stay(
    deploy_instance: dg.DagsterInstance, history: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(run_retention, "PAGE_RUNS", 2)  # pages that start and end on kept and deleted runs
    assert deploy_instance.all_logs(history["repeated0"])  # what must go exists first
    done = purge_finished_runs(deploy_instance, before=datetime.now(UTC) + timedelta(days=1))
    kept = {"early", "repeated3", "waiting"}
    assert (done.deleted, done.kept_latest) == (len(history) - len(kept), 2)
    assert set(_runs(deploy_instance)) == {history[name] for name in kept}
    assert _runs(deploy_instance)[history["waiting"]] == dg.DagsterRunStatus.NOT_STARTED
    for name in set(history) - kept:
        assert deploy_instance.get_run_by_id(history[name]) is None
        assert deploy_instance.all_logs(history[name]) == [], name
    latest = deploy_instance.get_latest_materialization_event(dg.AssetKey("repeated"))
    assert latest is not None and latest.run_id == history["repeated3"]
    again = purge_finished_runs(deploy_instance, before=datetime.now(UTC) + timedelta(days=1))
    assert (again.deleted, again.kept_latest) == (0, 2)


def test_runs_inside_the_window_are_kept(
    deploy_instance: dg.DagsterInstance, history: dict[str, str]
) -> None:
    done = purge_finished_runs(deploy_instance, before=datetime.now(UTC) - timedelta(days=1))
    assert (done.deleted, done.kept_latest) == (0, 0)
    assert set(_runs(deploy_instance)) == set(history.values())


def test_the_maintenance_op_cuts_at_the_setting_from_the_pipeline_clock(
    deploy_instance: dg.DagsterInstance, history: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PALIMPSEST_DAGSTER_RUNS_RETENTION_DAYS", "3")
    for days_ahead, deleted in ((2, 0), (4, len(history) - 3)):  # runs made now: old 3 days from now
        at = datetime.now(UTC) + timedelta(days=days_ahead)
        context = dg.build_op_context(instance=deploy_instance)
        output = purge_dagster_runs(context, ClockResource(fixed_utc=at.isoformat()))
        assert output.metadata["deleted_runs"].value == deleted
        assert output.metadata["created_before"].value == (at - timedelta(days=3)).isoformat()
