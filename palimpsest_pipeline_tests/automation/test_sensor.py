"""The real kick-off-window sensor against a real warehouse and a real Dagster instance, as a simulated clock
advances."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import dagster as dg
import psycopg
import pytest

from palimpsest_pipeline.definitions import ALL_ASSETS
from palimpsest_pipeline.defs.automation import (
    COUNTRY_TAG,
    PRIORITY_TAG,
    RANGE_END_TAG,
    RANGE_START_TAG,
    TIER_TAG,
    capture_job,
    odds_kickoff_window_sensors,
)
from palimpsest_pipeline.defs.resources import ClockResource, WarehouseResource
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.cadence import DEFAULT_POLICY, decide
from palimpsest_pipeline.warehouse.capture_listings import read_upcoming
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline_tests.automation.conftest import Seed, event, store_events

T0 = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
IMMINENT_SR, SOON_SR, LATER_SR = 101, 102, 103
KICKED_OFF_SR, BEYOND_SR, WITHDRAWN_SR = 104, 105, 106

#: Nigeria alone: the environment the tests run in (PALIMPSEST_COUNTRIES unset).
(odds_kickoff_window_sensor,) = odds_kickoff_window_sensors


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


def sr_ids(request: dg.RunRequest) -> list[int]:
    (op,) = request.run_config["ops"]  # Nigeria's capture op, and nothing else configured
    assert op == "ng__odds_snapshots"
    return request.run_config["ops"][op]["config"]["sr_ids"]


def by_tier(result: dg.SensorResult) -> dict[str, list[int]]:
    return {r.tags[TIER_TAG]: sr_ids(r) for r in result.run_requests or []}


@pytest.fixture(scope="module")
def seeded(module_warehouse_url: str) -> str:
    """The world seeded once per module: the tests using it only evaluate the sensor, which only reads the
    warehouse (test_evaluation_only_reads_the_warehouse)."""
    store_events(module_warehouse_url, world())
    withdraw(module_warehouse_url, WITHDRAWN_SR)
    return module_warehouse_url


def test_first_evaluation_requests_each_tier_with_its_dates_and_tags(
    seeded: str, instance: dg.DagsterInstance
) -> None:
    result = evaluate(seeded, instance, T0, None)
    assert by_tier(result) == {"imminent": [IMMINENT_SR], "soon": [SOON_SR], "later": [LATER_SR]}
    requests = {r.tags[TIER_TAG]: r for r in result.run_requests or []}
    imminent = requests["imminent"]
    assert imminent.run_key == "odds:imminent:2026-05-04T12:00:00Z"
    assert imminent.tags[RANGE_START_TAG] == imminent.tags[RANGE_END_TAG] == "2026-05-04"
    assert imminent.tags[COUNTRY_TAG] == "ng"
    assert [requests[t].tags[PRIORITY_TAG] for t in ("imminent", "soon", "later")] == ["3", "2", "1"]
    assert result.cursor is not None


def test_right_events_at_the_right_times_as_the_clock_advances(
    seeded: str, instance: dg.DagsterInstance
) -> None:
    cursor: str | None = None
    requested: list[tuple[datetime, str, list[int]]] = []
    run_keys: list[str] = []
    now = T0
    while now <= at(35):  # the daemon's 15 s ticks for 35 minutes
        result = evaluate(seeded, instance, now, cursor)
        for request in result.run_requests or []:
            requested.append((now, request.tags[TIER_TAG], sr_ids(request)))
            assert request.run_key is not None
            run_keys.append(request.run_key)
        cursor = result.cursor
        now += timedelta(seconds=15)

    assert len(run_keys) == len(set(run_keys))
    imminent = [(t, ids) for t, tier, ids in requested if tier == "imminent"]
    # Once per minute, on the minute; SOON_SR (kick-off 12:31) joins once under 30 min, i.e. from 12:02;
    # IMMINENT_SR leaves at its 12:10 kick-off; SOON_SR's 12:31 kick-off ends the imminent requests.
    assert [t for t, _ in imminent] == [at(m) for m in range(0, 31)]
    assert dict(imminent)[at(0)] == [IMMINENT_SR]
    assert dict(imminent)[at(1)] == [IMMINENT_SR]
    assert dict(imminent)[at(2)] == [IMMINENT_SR, SOON_SR]
    assert dict(imminent)[at(9)] == [IMMINENT_SR, SOON_SR]
    assert dict(imminent)[at(10)] == [SOON_SR]
    soon = [(t, ids) for t, tier, ids in requested if tier == "soon"]
    assert soon == [(at(0), [SOON_SR])]  # it left "soon" before the 12:05 window
    later = [(t, ids) for t, tier, ids in requested if tier == "later"]
    assert later == [(at(0), [LATER_SR]), (at(30), [LATER_SR])]
    everything = {sr for _, _, ids in requested for sr in ids}
    assert everything == {IMMINENT_SR, SOON_SR, LATER_SR}  # never kicked-off, withdrawn or too far ahead


def test_repeated_evaluation_in_the_same_window_requests_nothing_new(
    seeded: str, instance: dg.DagsterInstance
) -> None:
    first = evaluate(seeded, instance, T0, None)
    assert first.run_requests
    for seconds in (0, 20, 59):
        again = evaluate(seeded, instance, T0 + timedelta(seconds=seconds), first.cursor)
        assert again.run_requests in (None, [])
        assert again.skip_reason is not None and "nothing due" in str(again.skip_reason)
        assert again.cursor == first.cursor


def test_restart_after_a_long_gap_requests_only_the_current_window(
    warehouse_url: str, seed: Seed, instance: dg.DagsterInstance
) -> None:
    seed(world())
    first = evaluate(warehouse_url, instance, T0, None)
    restart = T0 + timedelta(hours=6, seconds=20)
    seed(world(base=T0 + timedelta(hours=6)))
    withdraw(warehouse_url, WITHDRAWN_SR)
    result = evaluate(warehouse_url, instance, restart, first.cursor)
    requests = result.run_requests or []
    assert sorted(r.tags[TIER_TAG] for r in requests) == ["imminent", "later", "soon"]
    assert sorted(r.run_key or "" for r in requests) == [
        "odds:imminent:2026-05-04T18:00:00Z",
        "odds:later:2026-05-04T18:00:00Z",
        "odds:soon:2026-05-04T18:00:00Z",
    ]
    # The old events have kicked off meanwhile: only the new ones are requested.
    assert sorted(sr for r in requests for sr in sr_ids(r)) == [IMMINENT_SR, SOON_SR, LATER_SR]
    assert evaluate(warehouse_url, instance, restart + timedelta(seconds=30), result.cursor).run_requests in (
        None,
        [],
    )


def test_kicked_off_events_are_never_requested(
    warehouse_url: str, seed: Seed, instance: dg.DagsterInstance
) -> None:
    seed([event(201, T0), event(202, at(-1)), event(203, at(2))])
    assert by_tier(evaluate(warehouse_url, instance, T0, None)) == {"imminent": [203]}
    assert by_tier(evaluate(warehouse_url, instance, at(2), None)) == {}


def test_requests_span_the_kickoff_dates_around_midnight(
    warehouse_url: str, seed: Seed, instance: dg.DagsterInstance
) -> None:
    late = datetime(2026, 5, 4, 23, 50, tzinfo=UTC)
    seed([event(301, late + timedelta(minutes=5)), event(302, late + timedelta(minutes=25))])
    (request,) = evaluate(warehouse_url, instance, late, None).run_requests or []
    assert (request.tags[RANGE_START_TAG], request.tags[RANGE_END_TAG]) == ("2026-05-04", "2026-05-05")
    assert sr_ids(request) == [301, 302]


def test_daemon_style_tick_resolves_against_the_capture_job(
    seeded: str, instance: dg.DagsterInstance
) -> None:
    """Evaluated the way the daemon does (evaluate_tick with the code location), the requests target the
    capture job and carry valid run config."""
    defs = dg.Definitions(
        assets=ALL_ASSETS,
        jobs=[capture_job("ng")],
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
    assert len(data.run_requests or []) == 3
    assert odds_kickoff_window_sensor.job_name == "capture_odds_ng"
    job = repo.get_job("capture_odds_ng")
    for request in data.run_requests or []:
        assert request.job_name in (None, "capture_odds_ng")
        assert job.run_config_schema.config_type is not None
        assert dg.validate_run_config(job, request.run_config)


def test_evaluation_only_reads_the_warehouse(seeded: str, instance: dg.DagsterInstance) -> None:
    """The sensor only reads: evaluating it changes nothing in the warehouse."""
    with psycopg.connect(libpq_url(seeded)) as conn:
        before = conn.execute("SELECT count(*), max(last_seen_at) FROM core.events").fetchone()
    evaluate(seeded, instance, T0, None)
    with psycopg.connect(libpq_url(seeded)) as conn:
        after = conn.execute("SELECT count(*), max(last_seen_at) FROM core.events").fetchone()
    assert before == after


def test_reading_only_the_tiers_that_may_be_due_requests_what_reading_everything_would(
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
        assert by_tier(result) == {due.tier: list(due.sr_ids) for due in reference.due}, now
        assert result.cursor == reference.cursor
        cursor, reference_cursor = result.cursor, reference.cursor
        now += timedelta(seconds=15)


def test_a_cursor_left_an_hour_ahead_by_a_clock_step_is_reset_and_the_tiers_requested_now(
    seeded: str, instance: dg.DagsterInstance, capfd: pytest.CaptureFixture[str]
) -> None:
    """The clock ran an hour fast, then NTP stepped it back: the tiers must not wait an hour."""
    fast = evaluate(seeded, instance, T0 + timedelta(hours=1), None)
    capfd.readouterr()
    corrected = evaluate(seeded, instance, T0, fast.cursor)
    assert by_tier(corrected) == {"imminent": [IMMINENT_SR], "soon": [SOON_SR], "later": [LATER_SR]}
    assert all((r.run_key or "").endswith(":reset1") for r in corrected.run_requests or [])
    logged = capfd.readouterr().err
    assert "clock stepped back under tier" in logged and "its window is reset" in logged
