"""The catalogue schedule (one run over today .. today + horizon) and the automation settings."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime

import dagster as dg
import pytest

from palimpsest_pipeline.books.settings import env_var_name
from palimpsest_pipeline.definitions import ALL_ASSETS
from palimpsest_pipeline.defs.automation import (
    RANGE_END_TAG,
    RANGE_START_TAG,
    AutomationConfigError,
    build_catalogue_schedule,
    build_odds_sensor,
    catalogue_job,
    catalogue_schedules,
    odds_kickoff_window_sensors,
    sensor_policy,
)
from palimpsest_pipeline.defs.resources import ClockResource
from palimpsest_pipeline.scrape.cadence import DEFAULT_POLICY
from palimpsest_pipeline.settings import SettingsLoadError, load_settings
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS

TICK = datetime(2026, 5, 4, 12, 15, tzinfo=UTC)
#: Nigeria alone: the environment the tests run in (PALIMPSEST_COUNTRIES unset).
(catalogue_schedule,) = catalogue_schedules
(odds_kickoff_window_sensor,) = odds_kickoff_window_sensors


def test_schedule_tick_is_one_run_over_today_to_the_horizon() -> None:
    context = dg.build_schedule_context(
        scheduled_execution_time=TICK, resources={"clock": ClockResource(fixed_utc=TICK.isoformat())}
    )
    request = catalogue_schedule(context)
    assert isinstance(request, dg.RunRequest)
    assert request.tags[RANGE_START_TAG] == "2026-05-04"
    assert request.tags[RANGE_END_TAG] == "2026-05-18"
    assert request.tags["palimpsest/site_country"] == "ng"
    assert request.run_key == f"catalogue:{TICK.isoformat()}"


def test_schedule_range_follows_the_pipeline_clock_across_midnight() -> None:
    just_after = datetime(2026, 5, 5, 0, 0, 30, tzinfo=UTC)
    context = dg.build_schedule_context(
        scheduled_execution_time=just_after,
        resources={"clock": ClockResource(fixed_utc=just_after.isoformat())},
    )
    request = catalogue_schedule(context)
    assert isinstance(request, dg.RunRequest)
    assert (request.tags[RANGE_START_TAG], request.tags[RANGE_END_TAG]) == ("2026-05-05", "2026-05-19")


def test_daemon_style_tick_targets_the_comparison_job() -> None:
    defs = dg.Definitions(
        assets=ALL_ASSETS,
        jobs=[catalogue_job("ng")],
        schedules=[catalogue_schedule],
        resources={
            "clock": ClockResource(fixed_utc=TICK.isoformat()),
            "warehouse": dg.ResourceDefinition.none_resource(),
            "books": dg.ResourceDefinition.none_resource(),
        },
    )
    repo = defs.get_repository_def()
    with dg.DagsterInstance.ephemeral() as instance:
        context = dg.build_schedule_context(
            instance=instance, scheduled_execution_time=TICK, repository_def=repo, resources=defs.resources
        )
        data = catalogue_schedule.evaluate_tick(context)
    (request,) = data.run_requests or []
    assert catalogue_schedule.job_name == "palimpsest_comparison_ng"
    assert request.tags[RANGE_START_TAG] == "2026-05-04"
    assert catalogue_schedule.execution_timezone == "UTC"


@pytest.mark.skipif("PALIMPSEST_CATALOGUE_CRON" in os.environ, reason="the environment sets its own cron")
def test_defaults_tick_every_15_minutes_and_start_running() -> None:
    # every 15 minutes from minute 13: Nigeria is the 14th country of the competitors file (13 % 15)
    assert catalogue_schedule.cron_schedule == "13-59/15 * * * *"
    assert catalogue_schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    assert odds_kickoff_window_sensor.default_status == dg.DefaultSensorStatus.RUNNING
    assert odds_kickoff_window_sensor.minimum_interval_seconds == 15


def test_cron_comes_from_the_settings_and_is_validated() -> None:
    assert load_settings({}).catalogue_cron == "*/15 * * * *"
    assert load_settings({"PALIMPSEST_CATALOGUE_CRON": " */5 * * * * "}).catalogue_cron == "*/5 * * * *"
    with pytest.raises(SettingsLoadError, match=r"PALIMPSEST_CATALOGUE_CRON='every 5 minutes'.*5 fields"):
        load_settings({"PALIMPSEST_CATALOGUE_CRON": "every 5 minutes"})
    with pytest.raises(SettingsLoadError, match=r"PALIMPSEST_CATALOGUE_CRON='61 \* \* \* \*'.*5 fields"):
        load_settings({"PALIMPSEST_CATALOGUE_CRON": "61 * * * *"})
    assert (
        build_catalogue_schedule("0 * * * *", "ng", running=False).default_status
        == dg.DefaultScheduleStatus.STOPPED
    )


def test_other_settings_are_validated_with_the_variable_named() -> None:
    assert load_settings({"PALIMPSEST_ODDS_SENSOR_INTERVAL_S": "5"}).odds_sensor_interval_s == 5
    with pytest.raises(SettingsLoadError, match="PALIMPSEST_ODDS_SENSOR_INTERVAL_S='0'"):
        load_settings({"PALIMPSEST_ODDS_SENSOR_INTERVAL_S": "0"})
    assert load_settings({}).automation_running
    assert not load_settings({"PALIMPSEST_AUTOMATION": "stopped"}).automation_running
    with pytest.raises(SettingsLoadError, match="PALIMPSEST_AUTOMATION='paused'"):
        load_settings({"PALIMPSEST_AUTOMATION": "paused"})
    assert sensor_policy(load_settings({}).cadence_policy()) == DEFAULT_POLICY
    with pytest.raises(AutomationConfigError, match="reaches past the 14 days"):
        sensor_policy(load_settings({"PALIMPSEST_ODDS_HORIZON_HOURS": str(15 * 24)}).cadence_policy())
    stopped = build_odds_sensor(DEFAULT_POLICY, "ng", interval_s=7, running=False)
    assert stopped.default_status == dg.DefaultSensorStatus.STOPPED
    assert stopped.minimum_interval_seconds == 7


@pytest.mark.drill
def test_a_bad_cron_stops_the_code_location_with_a_clear_message() -> None:
    env = {**os.environ, "PALIMPSEST_CATALOGUE_CRON": "*/15 * * *"}
    done = subprocess.run(
        [sys.executable, "-c", "import palimpsest_pipeline.defs.automation"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert (
        "SettingsLoadError: invalid settings: PALIMPSEST_CATALOGUE_CRON='*/15 * * *': Value error, is not a "
        "cron expression" in done.stderr
    )


def test_the_code_location_loads_with_the_automation_wired_in(monkeypatch: pytest.MonkeyPatch) -> None:
    """The project's own definitions: every target resolves, every resource exists, one catalogue and one
    capture job per site country (Nigeria alone here), the capture configured by its country's op."""
    from palimpsest_pipeline.definitions import build_definitions
    from palimpsest_pipeline.defs.resources import resources_from_env

    defs = build_definitions(resources_from_env())
    dg.Definitions.validate_loadable(defs)
    repo = defs.get_repository_def()
    assert {s.name for s in repo.schedule_defs} == {
        "catalogue_schedule_ng",
        "archive_maintenance_schedule",
        "live_watch_schedule_ng",
        "weekly_digest_schedule_ng",
    }
    assert {s.name for s in repo.sensor_defs} >= {"odds_kickoff_window_sensor_ng", "dead_run_sensor"}
    assert {j.name for j in repo.get_all_jobs() if not j.name.startswith("__")} == {
        "palimpsest_comparison_ng",
        "capture_odds_ng",
        "capture_worker_ng",
        "archive_maintenance",
        "watch_live",
        "weekly_digest",
    }
    monkeypatch.setenv("PALIMPSEST_DATABASE_URL", "postgresql://127.0.0.1:1/unused")
    for book in NIGERIA_BOOKS:  # every scraped book's base URL is part of the job's config
        monkeypatch.setenv(env_var_name(book, "base_url", "ng"), "http://127.0.0.1:1/unused")
    capture_job = repo.get_job("capture_odds_ng")
    assert "palimpsest/trigger" not in capture_job.tags  # who asked is the run's tag, not the job's
    assert {node.name for node in capture_job.graph.node_defs} == {
        "ng__odds_snapshots",
        "ng__odds_comparison_tables",
    }
    ng_capture = {"ops": {"ng__odds_snapshots": {"config": {"sr_ids": [1, 2]}}}}
    assert dg.validate_run_config(capture_job, ng_capture)
    with pytest.raises(dg.DagsterInvalidConfigError, match="odds_snapshots"):  # the op of old, unprefixed
        dg.validate_run_config(capture_job, {"ops": {"odds_snapshots": {"config": {"sr_ids": [1, 2]}}}})
    worker = repo.get_job("capture_worker_ng")  # the sensor's run: no config needed, its pool its own
    assert dg.validate_run_config(worker, {})
    # every run of it names its country, a launch from the UI too: the sensor counts it as the worker
    assert worker.tags["palimpsest/site_country"] == "ng"
    (worker_op,) = worker.graph.node_defs
    assert isinstance(worker_op, dg.OpDefinition) and worker_op.pool == "capture_worker_ng"
    comparison = repo.get_job("palimpsest_comparison_ng")
    assert {node.name for node in comparison.graph.node_defs} == {
        *(f"ng__{book.value}_catalogue" for book in NIGERIA_BOOKS),
        "ng__tournament_crosswalk",
        "ng__matched_events",
        "ng__coverage",
        "ng__listing",
        "ng__price_leadership_tables",
        "ng__closing_prices",
        "traders_report",
    }
