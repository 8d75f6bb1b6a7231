"""The capture worker through Dagster's machinery: the real kick-off sensor fills Nigeria's capture queue at
an instant of the materialized day, a ``capture_worker_ng`` run in process serves it against the sandbox and
a real warehouse, and what it stores and compares is checked against the sandbox world's own listings and
against a rebuild of the comparison. Every test starts from the materialized day, in a copy of its own."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import dagster as dg
import psycopg
import pytest

from palimpsest_pipeline.definitions import ALL_ASSETS
from palimpsest_pipeline.defs.automation import odds_kickoff_window_sensors
from palimpsest_pipeline.defs.odds.worker import worker_jobs
from palimpsest_pipeline.defs.resources import ClockResource, WarehouseResource
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline_tests.defs.comparison_rows import analytics_rows
from palimpsest_pipeline_tests.defs.conftest import DAY
from palimpsest_pipeline_tests.fixtures_sandbox import sandbox_test_config
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_sandbox import SandboxHandle
from palimpsest_sandbox.markets import book_prices

pytestmark = pytest.mark.slow

(sensor,) = odds_kickoff_window_sensors
(worker_job,) = worker_jobs
WORKER_OP = "ng__capture_worker"
COMPARISON = "ng__odds_comparison_tables"
DAY_TAGS = {"dagster/asset_partition_range_start": DAY, "dagster/asset_partition_range_end": DAY}


@pytest.fixture
def warehouse_url(day_warehouse_url: str) -> str:
    return day_warehouse_url


@pytest.fixture
def instant(warehouse_url: str, sandbox_clock: SandboxHandle) -> Iterator[datetime]:
    """An instant of DAY 19 min 30 s before an event's kick-off (so every tier may have events), the
    sandbox's clock stopped there."""
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        row = conn.execute(
            "SELECT min(kickoff) FROM core.events WHERE sr_id IS NOT NULL AND deleted_at IS NULL "
            "AND kickoff >= %s::date + interval '8 hours'",
            (DAY,),
        ).fetchone()
    assert row is not None and row[0] is not None
    moment = (row[0] - timedelta(minutes=20)).replace(second=30, microsecond=0)
    sandbox_clock.set_clock(moment, frozen=True)
    yield moment


def resources_at(pipeline_resources: dict[str, object], moment: datetime) -> dict[str, object]:
    return {**pipeline_resources, "clock": ClockResource(fixed_utc=moment.isoformat())}


def fill_queue(warehouse_url: str, moment: datetime, instance: dg.DagsterInstance) -> dg.SensorResult:
    context = dg.build_sensor_context(
        instance=instance,
        resources={
            "warehouse": WarehouseResource(database_url=warehouse_url),
            "clock": ClockResource(fixed_utc=moment.isoformat()),
        },
    )
    result = sensor(context)
    assert isinstance(result, dg.SensorResult)
    return result


def queue(warehouse_url: str) -> dict[str, tuple[Any, ...]]:
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        rows = conn.execute(
            "SELECT tier, window_start, sr_ids, outcome, takes, captured_sr_ids FROM core.capture_requests"
        ).fetchall()
    return {row[0]: row[1:] for row in rows}


def run_worker(
    resources: dict[str, object], instance: dg.DagsterInstance, **config: object
) -> dg.ExecuteInProcessResult:
    run_config = {"ops": {WORKER_OP: {"config": {"until_idle": True, "chunk_events": 3, **config}}}}
    return worker_job.execute_in_process(run_config=run_config, resources=resources, instance=instance)


def worker_metadata(result: dg.ExecuteInProcessResult) -> dict[str, Any]:
    (output,) = [e for e in result.all_events if e.event_type_value == "STEP_OUTPUT"]
    assert output.step_output_data is not None
    return {key: value.value for key, value in output.step_output_data.metadata.items()}


def test_a_worker_run_captures_the_queued_events_on_every_book_and_compares_them_as_a_rebuild_would(
    sandbox_clock: SandboxHandle,
    warehouse_url: str,
    pipeline_resources: dict[str, object],
    instant: datetime,
) -> None:
    resources = resources_at(pipeline_resources, instant)
    with dg.DagsterInstance.ephemeral() as instance:
        asked = fill_queue(warehouse_url, instant, instance)
        assert len(asked.run_requests or []) == 1  # one worker for the whole queue
        queued = queue(warehouse_url)
        assert "imminent" in queued
        result = run_worker(resources, instance)
    assert result.success

    # every request done, every event of it captured (the materialized day lists only DAY's events)
    assert {tier: (outcome, takes, sorted(captured)) for tier, (_, ids, outcome, takes, captured) in
            queue(warehouse_url).items()} == {
        tier: ("done", 1, sorted(ids)) for tier, (_, ids, *_) in queued.items()
    }  # fmt: skip

    # on every book listing it with its SR id (what the world shows), never on one that does not list it
    wanted = {sr_id for _, ids, *_ in queued.values() for sr_id in ids}
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        rows = conn.execute(
            "SELECT sr_id, book FROM core.odds_captures WHERE batch_id LIKE %s AND status = 'ok'",
            (f"{result.run_id}/%",),
        ).fetchall()
        sample = conn.execute(
            "SELECT sr_id, book, price FROM core.odds_current WHERE sr_id = ANY(%s) AND market = 1 "
            "AND specifier = '' AND outcome = 1 AND state = 'open' ORDER BY sr_id, book LIMIT 8",
            (sorted(wanted),),
        ).fetchall()
    captured: dict[int, set[Book]] = {}
    for sr_id, book in rows:
        captured.setdefault(sr_id, set()).add(Book(book))
    assert set(captured) == wanted
    for book in NIGERIA_BOOKS:
        for event in sandbox_clock.world.listed_events(book, instant):
            if event.sr_id in wanted and event.visible_sr_id(book) is not None:
                assert book in captured[event.sr_id], (event.sr_id, book)
    listed = {
        (event.sr_id, book)
        for book in NIGERIA_BOOKS
        for event in sandbox_clock.world.listed_events(book, instant)
    }
    assert all((sr_id, book) in listed for sr_id, books in captured.items() for book in books)
    # the prices stored are the ones the books quote at that instant
    scale = sandbox_test_config().reprice_scale
    assert sample
    for sr_id, book, price in sample:
        match = next(m for m in sandbox_clock.world.listed_events(Book(book), instant) if m.sr_id == sr_id)
        quoted = book_prices(
            Book(book), match.match_seed, match.price_version(Book(book), instant, scale), match.sport
        )
        assert quoted[(1, "", 1)][0] == pytest.approx(price)

    # the comparison the worker updated chunk by chunk equals one rebuilt whole from the same prices
    updated = analytics_rows(warehouse_url)
    (comparison,) = [asset for asset in ALL_ASSETS if asset.op.name == COMPARISON]
    rebuilt = dg.materialize(
        [comparison],
        resources=resources,
        tags=DAY_TAGS,
        run_config={"ops": {COMPARISON: {"config": {"rebuild": True}}}},
    )
    assert rebuilt.success
    assert analytics_rows(warehouse_url) == updated

    # the run says how soon each capture started after falling due: at the instant, from its window's start
    windows = {
        "imminent": instant.replace(second=0),
        "soon": instant.replace(minute=instant.minute - instant.minute % 5, second=0),
        "later": instant.replace(minute=instant.minute - instant.minute % 30, second=0),
    }
    delays = worker_metadata(result)["start_delay_s_by_tier"]
    assert delays == {
        tier: {
            "count": 1,
            "max_s": (instant - windows[tier]).total_seconds(),
            "p95_s": (instant - windows[tier]).total_seconds(),
            "mean_s": (instant - windows[tier]).total_seconds(),
        }
        for tier in queued
    }
    # and its asset events: the capture and the comparison of DAY, per request, and the comparison's checks
    events = result.asset_materializations_for_node(WORKER_OP)
    by_key = {(m.asset_key.to_user_string(), m.partition) for m in events}
    assert by_key == {
        (f"ng/{name}", DAY)
        for name in ("odds_snapshots", "odds_comparison", "market_margins", "market_availability")
    }
    snapshots = [m for m in events if m.asset_key.to_user_string() == "ng/odds_snapshots"]
    assert sorted(m.metadata["tier"].value for m in snapshots) == sorted(queued)  # type: ignore[type-var]
    checks = {(c.check_name, c.passed) for c in result.get_asset_check_evaluations()}
    assert {name for name, _ in checks} == {
        "margins_in_band",
        "prices_agree",
        "no_suspect_markets",
        "prices_fresh",
    }
    assert all(passed for name, passed in checks if name in ("margins_in_band", "prices_agree"))


def test_a_worker_takes_back_what_a_dead_worker_held_and_captures_only_the_rest(
    warehouse_url: str, pipeline_resources: dict[str, object], instant: datetime
) -> None:
    with dg.DagsterInstance.ephemeral() as instance:
        fill_queue(warehouse_url, instant, instance)
        (_, ids, *_) = queue(warehouse_url)["later"]
        assert len(ids) > 1
        done_before = sorted(ids)[:1]
        with psycopg.connect(libpq_url(warehouse_url)) as conn:  # a worker died after its first chunk
            conn.execute(
                "UPDATE core.capture_requests SET taken_by = 'dead-run', taken_at = %s, takes = 1, "
                "captured_sr_ids = %s WHERE tier = 'later'",
                (instant, done_before),
            )
        result = run_worker(resources_at(pipeline_resources, instant), instance)
        logged = [entry.user_message for entry in instance.all_logs(result.run_id)]
    assert result.success
    assert any("later" in line and "taken again from dead-run" in line for line in logged)
    (_, _, outcome, takes, captured) = queue(warehouse_url)["later"]
    assert (outcome, takes, sorted(captured)) == ("done", 2, sorted(ids))
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        again = conn.execute(
            "SELECT count(*) FROM core.odds_captures WHERE batch_id LIKE %s AND sr_id = %s",
            (f"{result.run_id}/%", done_before[0]),
        ).fetchone()
    others = {sr for tier, (_, other, *_) in queue(warehouse_url).items() if tier != "later" for sr in other}
    if done_before[0] not in others:
        assert again == (0,)  # what the dead worker captured is not captured again
