"""The real kick-off-window sensor against a real warehouse and a real Dagster instance, as a simulated clock
advances: each due tier's window goes into the capture queue once, and a capture worker run is requested
when requests wait and no worker is queued or running."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import dagster as dg
import psycopg
import pytest
from sqlalchemy.engine import make_url

from palimpsest_pipeline.definitions import ALL_ASSETS
from palimpsest_pipeline.defs.automation import COUNTRY_TAG, PRIORITY_TAG, odds_kickoff_window_sensors
from palimpsest_pipeline.defs.odds.worker import worker_jobs
from palimpsest_pipeline.defs.resources import ClockResource, WarehouseResource
from palimpsest_pipeline.deploy.run_liveness import TAG_HEARTBEAT, TAG_HOST, TAG_PID, TAG_PID_STARTED
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.cadence import DEFAULT_POLICY, decide
from palimpsest_pipeline.warehouse.capture_listings import read_upcoming
from palimpsest_pipeline.warehouse.capture_requests import take_next
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline_tests.automation.conftest import Seed, event, store_events
from palimpsest_pipeline_tests.fixtures_pg import fresh_warehouse

T0 = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
IMMINENT_SR, SOON_SR, LATER_SR = 101, 102, 103


def test_a_worker_dead_without_a_word_is_failed_at_the_sensors_tick_and_replaced(
    seeded: str, instance: dg.DagsterInstance
) -> None:
    first = evaluate(seeded, instance, T0, None)
    worker = start_worker(instance, dg.DagsterRunStatus.STARTED)
    with psycopg.connect(libpq_url(seeded)) as conn:
        assert take_next(conn, "ng", worker.run_id, now=T0) is not None
    # its process ended (a kill -9) while Dagster still says STARTED: a process of this host that is gone
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    instance.add_run_tags(
        worker.run_id,
        {
            TAG_HOST: socket.gethostname(),
            TAG_PID: gone.stdout.strip(),
            TAG_PID_STARTED: "0",
            TAG_HEARTBEAT: datetime.now(UTC).isoformat(),
        },
    )
    replaced = evaluate(seeded, instance, at(0.25), first.cursor)
    after = instance.get_run_by_id(worker.run_id)
    assert after is not None and after.status is dg.DagsterRunStatus.FAILURE
    assert len(replaced.run_requests or []) == 1
    assert [taker for *_, taker in requests(seeded) if taker is not None] == []


KICKED_OFF_SR, BEYOND_SR, WITHDRAWN_SR = 104, 105, 106

#: Nigeria alone: the environment the tests run in (PALIMPSEST_COUNTRIES unset).
(odds_kickoff_window_sensor,) = odds_kickoff_window_sensors
(worker_job,) = worker_jobs


def at(minutes: float, base: datetime = T0) -> datetime:
    return base + timedelta(minutes=minutes)


def world(base: datetime = T0) -> list[Any]:
    return [
        event(IMMINENT_SR, at(10, base)),
        event(IMMINENT_SR, at(10, base), book=Book.SPORTYBET),  # same match on two books: requested once
        event(SOON_SR, at(31, base), book=Book.BET9JA),
        event(LATER_SR, at(180, base)),
        event(KICKED_OFF_SR, at(-5, base)),
        event(BEYOND_SR, at(60 * 30, base)),
        event(WITHDRAWN_SR, at(12, base)),
        event(None, at(15, base), event_id="no-sr-id"),
    ]


def withdraw(warehouse_url: str, sr_id: int) -> None:
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        conn.execute(
            "UPDATE core.events SET deleted_at = %s WHERE sr_id = %s", (T0 - timedelta(days=1), sr_id)
        )


def evaluate(
    warehouse_url: str, instance: dg.DagsterInstance, now: datetime, cursor: str | None
) -> dg.SensorResult:
    context = dg.build_sensor_context(
        instance=instance,
        cursor=cursor,
        resources={
            "warehouse": WarehouseResource(database_url=warehouse_url),
            "clock": ClockResource(fixed_utc=now.isoformat()),
        },
    )
    result = odds_kickoff_window_sensor(context)
    assert isinstance(result, dg.SensorResult)
    return result


def queued_at(warehouse_url: str, now: datetime) -> dict[str, list[int]]:
    """The SR ids of each tier's request the evaluation at ``now`` put in the queue."""
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        rows = conn.execute(
            "SELECT tier, sr_ids FROM core.capture_requests WHERE requested_at = %s", (now,)
        ).fetchall()
    return {tier: sorted(ids) for tier, ids in rows}


def requests(warehouse_url: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        return conn.execute(
            "SELECT tier, window_start, resets, priority, sr_ids, kickoff_dates, outcome, taken_by "
            "FROM core.capture_requests ORDER BY window_start, priority DESC"
        ).fetchall()


def start_worker(instance: dg.DagsterInstance, status: dg.DagsterRunStatus) -> dg.DagsterRun:
    """A capture worker run of Nigeria, as the daemon launches one on the sensor's request."""
    return instance.create_run_for_job(worker_job, status=status, tags={COUNTRY_TAG: "ng"})


@pytest.fixture(scope="module")
def _seeded_template(module_warehouse_url: str) -> str:
    """The world seeded once per module; each test evaluates the sensor on a copy (it writes the queue)."""
    store_events(module_warehouse_url, world())
    withdraw(module_warehouse_url, WITHDRAWN_SR)
    return module_warehouse_url


@pytest.fixture
def seeded(pg_server_url: str, _seeded_template: str) -> Iterator[str]:
    yield from fresh_warehouse(pg_server_url, make_url(_seeded_template).database or "")


def test_first_evaluation_queues_each_tier_with_its_dates_and_asks_for_a_worker(
    seeded: str, instance: dg.DagsterInstance
) -> None:
    result = evaluate(seeded, instance, T0, None)
    assert queued_at(seeded, T0) == {"imminent": [IMMINENT_SR], "soon": [SOON_SR], "later": [LATER_SR]}
    day = date(2026, 5, 4)
    assert [
        (tier, window, resets, priority, dates)
        for tier, window, resets, priority, _, dates, *_ in requests(seeded)
    ] == [
        ("imminent", T0, 0, 3, [day]),
        ("soon", T0, 0, 2, [day]),
        ("later", T0, 0, 1, [day]),
    ]
    (worker,) = result.run_requests or []
    assert worker.tags[COUNTRY_TAG] == "ng" and worker.tags[PRIORITY_TAG] == "3"
    assert worker.tags["palimpsest/trigger"] == "sensor"
    assert odds_kickoff_window_sensor.job_name == "capture_worker_ng"
    assert result.cursor is not None


def test_right_events_at_the_right_times_as_the_clock_advances(
    seeded: str, instance: dg.DagsterInstance
) -> None:
    cursor: str | None = None
    queued: list[tuple[datetime, str, list[int]]] = []
    now = T0
    while now <= at(35):  # the daemon's 15 s ticks for 35 minutes
        result = evaluate(seeded, instance, now, cursor)
        queued.extend((now, tier, ids) for tier, ids in queued_at(seeded, now).items())
        cursor = result.cursor
        now += timedelta(seconds=15)

    imminent = [(t, ids) for t, tier, ids in queued if tier == "imminent"]
    # Once per minute, on the minute; SOON_SR (kick-off 12:31) joins once under 30 min, i.e. from 12:02;
    # IMMINENT_SR leaves at its 12:10 kick-off; SOON_SR's 12:31 kick-off ends the imminent requests.
    assert [t for t, _ in imminent] == [at(m) for m in range(0, 31)]
    assert dict(imminent)[at(0)] == [IMMINENT_SR]
    assert dict(imminent)[at(1)] == [IMMINENT_SR]
    assert dict(imminent)[at(2)] == [IMMINENT_SR, SOON_SR]
    assert dict(imminent)[at(9)] == [IMMINENT_SR, SOON_SR]
    assert dict(imminent)[at(10)] == [SOON_SR]
    soon = [(t, ids) for t, tier, ids in queued if tier == "soon"]
    assert soon == [(at(0), [SOON_SR])]  # it left "soon" before the 12:05 window
    later = [(t, ids) for t, tier, ids in queued if tier == "later"]
    assert later == [(at(0), [LATER_SR]), (at(30), [LATER_SR])]
    everything = {sr for _, _, ids in queued for sr in ids}
    assert everything == {IMMINENT_SR, SOON_SR, LATER_SR}  # never kicked-off, withdrawn or too far ahead
    # nobody took them: each window superseded the one before it of its tier, never a catch-up
    undone = [(tier, window) for tier, window, *_, outcome, _ in requests(seeded) if outcome is None]
    assert sorted(undone) == [("imminent", at(30)), ("later", at(30)), ("soon", at(0))]


def test_repeated_evaluation_in_the_same_window_queues_nothing_new(
    seeded: str, instance: dg.DagsterInstance
) -> None:
    first = evaluate(seeded, instance, T0, None)
    assert first.run_requests
    start_worker(instance, dg.DagsterRunStatus.NOT_STARTED)  # the daemon launched the worker asked for
    for seconds in (0, 20, 59):
        again = evaluate(seeded, instance, T0 + timedelta(seconds=seconds), first.cursor)
        assert again.run_requests in (None, [])
        assert again.skip_reason is not None and "queued nothing new" in str(again.skip_reason)
        assert again.cursor == first.cursor
    assert len(requests(seeded)) == 3


def test_a_worker_is_asked_for_only_while_none_is_queued_or_running_and_a_dead_ones_work_is_released(
    seeded: str, instance: dg.DagsterInstance
) -> None:
    first = evaluate(seeded, instance, T0, None)
    assert len(first.run_requests or []) == 1
    worker = start_worker(instance, dg.DagsterRunStatus.STARTED)
    with psycopg.connect(libpq_url(seeded)) as conn:
        taken = take_next(conn, "ng", worker.run_id, now=T0)
    assert taken is not None and taken.key.tier == "imminent"
    running = evaluate(seeded, instance, at(1), first.cursor)
    assert running.run_requests in (None, []) and queued_at(seeded, at(1)) == {"imminent": [IMMINENT_SR]}
    # the worker dies; the dead-run sweep fails it: the next tick puts its request back and asks for another
    instance.report_run_failed(worker)
    replaced = evaluate(seeded, instance, at(1.25), running.cursor)
    assert len(replaced.run_requests or []) == 1
    held = [(tier, window, taker) for tier, window, *_, taker in requests(seeded) if taker is not None]
    assert held == []
    # no undone request (and no new window yet), no worker
    with psycopg.connect(libpq_url(seeded)) as conn:
        conn.execute("UPDATE core.capture_requests SET done_at = %s, outcome = 'done'", (at(1.25),))
    idle = evaluate(seeded, instance, at(1.5), replaced.cursor)
    assert idle.run_requests in (None, []) and "0 request(s) undone" in str(idle.skip_reason)


def test_restart_after_a_long_gap_queues_only_the_current_window(
    warehouse_url: str, seed: Seed, instance: dg.DagsterInstance
) -> None:
    seed(world())
    first = evaluate(warehouse_url, instance, T0, None)
    restart = T0 + timedelta(hours=6, seconds=20)
    seed(world(base=T0 + timedelta(hours=6)))
    withdraw(warehouse_url, WITHDRAWN_SR)
    result = evaluate(warehouse_url, instance, restart, first.cursor)
    six = T0 + timedelta(hours=6)
    assert queued_at(warehouse_url, restart) == {
        "imminent": [IMMINENT_SR],
        "soon": [SOON_SR],
        "later": [LATER_SR],
    }
    assert sorted((tier, window) for tier, window, *_ in requests(warehouse_url) if window == six) == [
        ("imminent", six),
        ("later", six),
        ("soon", six),
    ]  # the old events have kicked off meanwhile: only the new ones are asked for
    evaluate(warehouse_url, instance, restart + timedelta(seconds=30), result.cursor)
    assert queued_at(warehouse_url, restart + timedelta(seconds=30)) == {}


def test_kicked_off_events_are_never_queued(
    warehouse_url: str, seed: Seed, instance: dg.DagsterInstance
) -> None:
    seed([event(201, T0), event(202, at(-1)), event(203, at(2))])
    evaluate(warehouse_url, instance, T0, None)
    assert queued_at(warehouse_url, T0) == {"imminent": [203]}
    evaluate(warehouse_url, instance, at(2), None)
    assert queued_at(warehouse_url, at(2)) == {}


def test_requests_span_the_kickoff_dates_around_midnight(
    warehouse_url: str, seed: Seed, instance: dg.DagsterInstance
) -> None:
    late = datetime(2026, 5, 4, 23, 50, tzinfo=UTC)
    seed([event(301, late + timedelta(minutes=5)), event(302, late + timedelta(minutes=25))])
    evaluate(warehouse_url, instance, late, None)
    ((tier, *_, sr_ids, dates, _, _),) = requests(warehouse_url)
    assert tier == "imminent" and sr_ids == [301, 302]
    assert dates == [date(2026, 5, 4), date(2026, 5, 5)]


def test_daemon_style_tick_resolves_against_the_worker_job(seeded: str, instance: dg.DagsterInstance) -> None:
    """Evaluated the way the daemon does (evaluate_tick with the code location), the request targets the
    capture worker job and its (empty) run config is valid."""
    defs = dg.Definitions(
        assets=ALL_ASSETS,
        jobs=[worker_job],
        sensors=[odds_kickoff_window_sensor],
        resources={
            "warehouse": WarehouseResource(database_url=seeded),
            "clock": ClockResource(fixed_utc=T0.isoformat()),
            "books": dg.ResourceDefinition.none_resource(),
        },
    )
    repo = defs.get_repository_def()
    context = dg.build_sensor_context(
        instance=instance,
        repository_def=repo,
        resources=defs.resources,
        sensor_name=odds_kickoff_window_sensor.name,
    )
    data = odds_kickoff_window_sensor.evaluate_tick(context)
    (request,) = data.run_requests or []
    job = repo.get_job("capture_worker_ng")
    assert request.job_name in (None, "capture_worker_ng")
    assert dg.validate_run_config(job, request.run_config)


def test_evaluation_writes_the_capture_queue_only(seeded: str, instance: dg.DagsterInstance) -> None:
    with psycopg.connect(libpq_url(seeded)) as conn:
        before = conn.execute("SELECT count(*), max(last_seen_at) FROM core.events").fetchone()
    evaluate(seeded, instance, T0, None)
    with psycopg.connect(libpq_url(seeded)) as conn:
        after = conn.execute("SELECT count(*), max(last_seen_at) FROM core.events").fetchone()
    assert before == after and len(requests(seeded)) == 3


def test_reading_only_the_tiers_that_may_be_due_queues_what_reading_everything_would(
    warehouse_url: str, seed: Seed, instance: dg.DagsterInstance
) -> None:
    # The sensor reads only the kick-off span of the tiers whose window is new; the reference decides on
    # every upcoming event (read_upcoming over the whole horizon), as the sensor did before.
    split_sr, boundary_sr = 201, 202
    seed(
        [
            *world(),
            event(split_sr, at(20)),  # earliest kick-off imminent ...
            event(split_sr, at(40), book=Book.BET9JA),  # ... a later one on another book: never "soon"
            event(boundary_sr, at(30, T0 + timedelta(seconds=30)), book=Book.SPORTYBET),  # 30 min lead at :30
        ]
    )
    policy = DEFAULT_POLICY
    cursor: str | None = None
    reference_cursor: str | None = None
    now = T0
    while now <= at(40):
        result = evaluate(warehouse_url, instance, now, cursor)
        with psycopg.connect(libpq_url(warehouse_url)) as conn:
            everything = read_upcoming(conn, now, now + policy.horizon, site_country="ng")
        reference = decide(everything, now=now, policy=policy, cursor=reference_cursor)
        assert queued_at(warehouse_url, now) == {due.tier: list(due.sr_ids) for due in reference.due}, now
        assert result.cursor == reference.cursor
        cursor, reference_cursor = result.cursor, reference.cursor
        now += timedelta(seconds=15)


def test_a_cursor_left_an_hour_ahead_by_a_clock_step_is_reset_and_the_tiers_queued_now(
    seeded: str, instance: dg.DagsterInstance, capfd: pytest.CaptureFixture[str]
) -> None:
    """The clock ran an hour fast, then NTP stepped it back: the tiers must not wait an hour."""
    fast = evaluate(seeded, instance, T0 + timedelta(hours=1), None)
    capfd.readouterr()
    evaluate(seeded, instance, T0, fast.cursor)
    assert queued_at(seeded, T0) == {"imminent": [IMMINENT_SR], "soon": [SOON_SR], "later": [LATER_SR]}
    assert {resets for _, window, resets, *_ in requests(seeded) if window <= T0} == {1}
    logged = capfd.readouterr().err
    assert "clock stepped back under tier" in logged and "its window is reset" in logged
