"""The live watcher through Dagster's machinery: the job run in process against the sandbox and a real
warehouse, the schedule's decisions on a real instance, and a live gap made on demand reaching the alert
receiver once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import dagster as dg
import psycopg
import pytest

from palimpsest_pipeline.alerts.deliver import receivers_from
from palimpsest_pipeline.alerts.evaluate import evaluate_alerts
from palimpsest_pipeline.alerts.settings import AlertSettings
from palimpsest_pipeline.books.kits import KITS
from palimpsest_pipeline.books.settings import env_var_name
from palimpsest_pipeline.defs.live.watch import (
    LIVE_TAG,
    build_live_schedule,
    live_watch_schedules,
    watch_live_job,
)
from palimpsest_pipeline.defs.resources import BooksResource, ClockResource, WarehouseResource
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.run_plan import live_run_seconds
from palimpsest_pipeline.settings import load_settings
from palimpsest_pipeline_tests.alerts.receiver import Receiver, receiver
from palimpsest_pipeline_tests.fixtures_sandbox import SANDBOX_TEST_INSTANT
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_sandbox import SandboxHandle

__all__ = ["receiver"]  # the alert tests' receiver fixture

EVENING = SANDBOX_TEST_INSTANT.replace(hour=18, minute=30)
#: Each country's live coverage asset: the watch run of a country reports under its key.
NIGERIA_LIVE, GHANA_LIVE = dg.AssetKey(["ng", "live_coverage"]), dg.AssetKey(["gh", "live_coverage"])
ONE_POLL = {
    "ops": {"watch_live_lists": {"config": {"duration_s": 0.0, "interval_s": 30.0, "site_country": "ng"}}}
}


@pytest.fixture
def evening(sandbox_clock: SandboxHandle) -> Iterator[SandboxHandle]:
    sandbox_clock.state.live_gaps.clear()
    sandbox_clock.set_clock(EVENING, frozen=True)
    yield sandbox_clock
    sandbox_clock.state.live_gaps.clear()


def _resources(sandbox: SandboxHandle, warehouse_url: str, at: str) -> dict[str, object]:
    return {
        "warehouse": WarehouseResource(database_url=warehouse_url),
        "books": BooksResource(
            base_urls={f"ng/{book.value}": sandbox.base_urls[book] for book in NIGERIA_BOOKS}
        ),
        "clock": ClockResource(fixed_utc=at),
    }


def _watch(
    sandbox: SandboxHandle, warehouse_url: str, instance: dg.DagsterInstance
) -> dg.ExecuteInProcessResult:
    at = sandbox.now()
    resources = _resources(sandbox, warehouse_url, at.isoformat())
    return watch_live_job.execute_in_process(run_config=ONE_POLL, resources=resources, instance=instance)


def test_a_watch_run_stores_a_poll_and_reports_it(
    evening: SandboxHandle, warehouse_url: str, warehouse_conn: psycopg.Connection
) -> None:
    with dg.DagsterInstance.ephemeral() as instance:
        result = _watch(evening, warehouse_url, instance)
        assert result.success
        event = instance.get_latest_materialization_event(NIGERIA_LIVE)
        assert instance.get_latest_materialization_event(GHANA_LIVE) is None
    assert event is not None and event.asset_materialization is not None
    metadata = {key: value.value for key, value in event.asset_materialization.metadata.items()}
    truth = {book.value: len(evening.world.live_events(book, EVENING)) for book in NIGERIA_BOOKS}
    assert metadata["polls"] == 1
    assert metadata["live_events"] == truth
    assert metadata["live_snapshots"] == {}  # no catalogue stored: no listing to snapshot
    stored = dict(
        warehouse_conn.execute(
            "SELECT side, count(*) FROM analytics.live_coverage WHERE closed_at IS NULL GROUP BY side"
        ).fetchall()
    )
    assert metadata["gaps_open_betpawa_missing"] == stored.get("betpawa_missing", 0) > 0
    assert metadata["gaps_open_competitor_missing"] == stored.get("competitor_missing", 0)


def test_a_ghanaian_watch_polls_ghanas_editions_and_stores_under_ghana(
    evening: SandboxHandle,
    warehouse_url: str,
    warehouse_conn: psycopg.Connection,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PALIMPSEST_COUNTRIES", "ng,gh")
    for (book, cc), url in evening.edition_urls.items():
        monkeypatch.setenv(env_var_name(book, "base_url", cc), url)
    ghana = sorted(book.value for (book, cc) in evening.edition_urls if cc == "gh")
    before = warehouse_conn.execute(
        "SELECT site_country, count(*) FROM analytics.live_suspension GROUP BY site_country"
    ).fetchall()
    gh_config = {
        "ops": {
            "watch_live_lists": {
                "config": {**ONE_POLL["ops"]["watch_live_lists"]["config"], "site_country": "gh"}
            }
        }
    }
    at = evening.now()
    with dg.DagsterInstance.ephemeral() as instance:
        result = watch_live_job.execute_in_process(
            run_config=gh_config,
            resources=_resources(evening, warehouse_url, at.isoformat()),
            instance=instance,
        )
        assert result.success
        event = instance.get_latest_materialization_event(GHANA_LIVE)
        assert instance.get_latest_materialization_event(NIGERIA_LIVE) is None  # Ghana's run, Ghana's asset
    assert event is not None and event.asset_materialization is not None
    assert sorted(event.asset_materialization.metadata["live_events"].value) == ghana  # type: ignore[arg-type]
    after = dict(
        warehouse_conn.execute(
            "SELECT site_country, count(*) FROM analytics.live_suspension GROUP BY site_country"
        ).fetchall()
    )
    assert after.get("ng", 0) == dict(before).get("ng", 0)  # nothing stored under Nigeria
    assert after["gh"] > dict(before).get("gh", 0)


def test_the_schedule_looks_every_five_minutes_and_starts_a_twenty_minute_run_when_none_is_going(
    tmp_path: Path,
) -> None:
    (live_watch_schedule,) = live_watch_schedules  # Nigeria's: PALIMPSEST_COUNTRIES is unset here
    assert live_watch_schedule.default_status is dg.DefaultScheduleStatus.RUNNING
    # every five minutes from minute 3: Nigeria is the 14th country of the competitors file (13 % 5)
    assert live_watch_schedule.cron_schedule == "3-59/5 * * * *"
    assert watch_live_job.tags[LIVE_TAG] == "watch"
    # a run polls 20 minutes less 20 s (PALIMPSEST_LIVE_RUN_MINUTES), failed if it hangs 5 minutes past them
    assert live_run_seconds(load_settings({}).live_run_minutes) == 1180.0
    assert watch_live_job.tags["dagster/max_runtime"] == "1500"
    # in pytest's tmp_path, which outlives the test, and each schedule context closed in turn: a context on a
    # persistent instance opens an instance of its own, whose state storage the next definitions loaded in
    # this process could otherwise read (a deleted folder fails them)
    tick = SANDBOX_TEST_INSTANT
    with (
        dg.instance_for_test(temp_dir=str(tmp_path)) as instance,
        dg.build_schedule_context(instance=instance, scheduled_execution_time=tick) as context,
    ):
        request = live_watch_schedule.evaluate_tick(context).run_requests
        assert request is not None and [r.run_key for r in request] == [f"live:ng:{tick.isoformat()}"]
        assert {"palimpsest/site_country": "ng", LIVE_TAG: "ng"}.items() <= request[0].tags.items()
        run = instance.create_run_for_job(
            watch_live_job,
            run_config=request[0].run_config,
            status=dg.DagsterRunStatus.STARTED,
            tags=request[0].tags,
        )  # still polling
        later = tick + timedelta(minutes=5)
        with dg.build_schedule_context(instance=instance, scheduled_execution_time=later) as context:
            skipped = live_watch_schedule.evaluate_tick(context)
        assert skipped.run_requests == [] and "still queued or running" in (skipped.skip_message or "")
        # the watch dies and the dead-run sweep fails it: the next tick starts another
        instance.report_run_failed(run)
        next_tick = later + timedelta(minutes=5)
        with dg.build_schedule_context(instance=instance, scheduled_execution_time=next_tick) as context:
            replaced = live_watch_schedule.evaluate_tick(context).run_requests
        assert replaced is not None and [r.run_key for r in replaced] == [f"live:ng:{next_tick.isoformat()}"]


def test_each_countrys_watch_names_its_own_country_and_a_run_naming_none_is_refused(tmp_path: Path) -> None:
    """No country is the watch's default: Ghana's schedule asks for Ghana's watch, Nigeria's for Nigeria's,
    and a watch_live run whose config names no country fails before it polls a book."""
    tick = SANDBOX_TEST_INSTANT
    asked = {}
    with dg.instance_for_test(temp_dir=str(tmp_path)) as instance:
        for country in ("gh", "ng"):
            with dg.build_schedule_context(instance=instance, scheduled_execution_time=tick) as context:
                requests = build_live_schedule(country).evaluate_tick(context).run_requests
            assert requests is not None and len(requests) == 1
            asked[country] = (requests[0].run_config, requests[0].tags["palimpsest/site_country"])
    assert asked == {
        "gh": ({"ops": {"watch_live_lists": {"config": {"site_country": "gh"}}}}, "gh"),
        "ng": ({"ops": {"watch_live_lists": {"config": {"site_country": "ng"}}}}, "ng"),
    }
    unreachable = "http://127.0.0.1:9/"
    resources = {
        "warehouse": WarehouseResource(database_url="postgresql://127.0.0.1:9/nothing"),
        "books": BooksResource(base_urls={f"ng/{book.value}": unreachable for book in NIGERIA_BOOKS}),
        "clock": ClockResource(fixed_utc=tick.isoformat()),
    }
    no_country = {"ops": {"watch_live_lists": {"config": {"duration_s": 0.0, "interval_s": 30.0}}}}
    with pytest.raises(dg.DagsterInvalidConfigError, match="site_country"):
        watch_live_job.execute_in_process(run_config=no_country, resources=resources)


def test_a_gap_made_in_the_sandbox_reaches_the_receiver_once(
    evening: SandboxHandle, warehouse_url: str, receiver: Receiver
) -> None:
    """27400007 is live on BetPawa and competitors at 18:30; taken off BetPawa's live list for five minutes:
    the one alert names every competitor the world shows it live on."""
    live_on = [
        b for b in NIGERIA_BOOKS if any(e.sr_id == 27400007 for e in evening.world.live_events(b, EVENING))
    ]
    assert Book.BETPAWA in live_on and len(live_on) >= 3
    connect = WarehouseResource(database_url=warehouse_url).connect
    receivers = receivers_from(receiver.url)
    settings = AlertSettings(live_seen_seconds=120)
    with dg.DagsterInstance.ephemeral() as instance:
        _watch(evening, warehouse_url, instance)
        evening.state.live_gaps.add(27400007, Book.BETPAWA, EVENING, 300)
        for step in range(1, 5):  # polls every 30 s, the alert rules evaluated after each
            evening.set_clock(EVENING + step * timedelta(seconds=30), frozen=True)
            assert _watch(evening, warehouse_url, instance).success
            evaluate_alerts(connect, settings, receivers, evening.now())
    live_gap_titles = [body["title"] for body in receiver.bodies if "27400007" in body["message"]]
    assert len(live_gap_titles) == 1
    competitors = ", ".join(KITS[b].name for b in live_on if b is not Book.BETPAWA)
    assert live_gap_titles[0].startswith(f"Live on {competitors}, not on BetPawa:")
