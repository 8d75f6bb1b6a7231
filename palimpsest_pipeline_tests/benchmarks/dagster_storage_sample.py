"""A sample of what Dagster's own storage keeps per sensor tick and per run, on a Postgres-backed instance
(the shipped instance's storage, a fresh database on the scratch embedded server): the kick-off sensor's
skipped ticks written through the instance as the daemon writes them (its skip reason and cursor), and a real
``capture_worker_ng`` run in process on a migrated, empty warehouse (its queue empty: a worker run's own
events, none per request). Bytes are the rows' own (``pg_column_size``), beside the tables' growth."""

from __future__ import annotations

import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import dagster as dg
import psycopg
import yaml
from dagster._core.scheduler.instigation import InstigatorType, TickData, TickStatus

from palimpsest_pipeline.defs.odds.worker import worker_jobs
from palimpsest_pipeline.defs.resources import BooksResource, ClockResource, WarehouseResource
from palimpsest_pipeline.scrape.cadence import DEFAULT_POLICY, decide
from palimpsest_pipeline.settings import load_settings
from palimpsest_pipeline.warehouse.config import (
    DAGSTER_DRIVER,
    WAREHOUSE_DRIVER,
    create_database,
    libpq_url,
    scratch_server_home,
    with_database,
    with_driver,
)
from palimpsest_pipeline.warehouse.embedded.server import ensure_embedded_server
from palimpsest_pipeline.warehouse.migrate import migrate
from palimpsest_pipeline_tests.fixtures_pg import drop_database
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS

#: Nigeria's books at an address nothing listens on: the sampled worker has nothing to capture.
NO_BOOKS = {book.value: "http://127.0.0.1:9" for book in NIGERIA_BOOKS}
#: The skip reason of a quiet tick, as ``build_odds_sensor`` words it.
QUIET_SKIP = "queued nothing new (0 superseded); 0 request(s) undone; no tier's window is new"


def _table_bytes(url: str) -> dict[str, int]:
    with psycopg.connect(libpq_url(url)) as conn:
        rows = conn.execute(
            "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname = 'public'"
        ).fetchall()
    return {name: size for name, size in rows}


def _grown(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {name: after[name] - before.get(name, 0) for name in after if after[name] != before.get(name, 0)}


def _row_bytes(url: str, query: str, *args: object) -> tuple[int, int]:
    with psycopg.connect(libpq_url(url)) as conn:
        row = conn.execute(query, args).fetchone()
    assert row is not None
    return int(row[0] or 0), int(row[1] or 0)


def sample(ticks: int = 2_000) -> dict[str, Any]:
    """Bytes per quiet sensor tick and per capture worker run (rows and tables grown), on Postgres."""
    server = ensure_embedded_server(scratch_server_home(load_settings().home), scratch=True)
    stamp = f"{int(time.time())}"
    storage_db, warehouse_db = f"palimpsest_bench_dagster_{stamp}", f"palimpsest_bench_wh_{stamp}"
    for name in (storage_db, warehouse_db):
        drop_database(server, name)
        create_database(server, name)
    storage_url = with_driver(with_database(server, storage_db), DAGSTER_DRIVER)
    warehouse_url = with_driver(with_database(server, warehouse_db), WAREHOUSE_DRIVER)
    try:
        migrate(warehouse_url)
        with tempfile.TemporaryDirectory() as home:
            config = {"storage": {"postgres": {"postgres_url": storage_url}}}
            (Path(home) / "dagster.yaml").write_text(yaml.safe_dump(config))
            with dg.DagsterInstance.from_config(home) as instance:
                instance.get_runs()  # the storages create their tables
                empty = _table_bytes(storage_url)
                now = datetime(2026, 11, 20, 18, tzinfo=UTC)
                cursor = decide([(1, now + timedelta(minutes=10))], now=now, policy=DEFAULT_POLICY).cursor
                for n in range(ticks):
                    instance.create_tick(
                        TickData(
                            instigator_origin_id="bench-origin",
                            instigator_name="odds_kickoff_window_sensor_ng",
                            instigator_type=InstigatorType.SENSOR,
                            status=TickStatus.SKIPPED,
                            timestamp=(now + timedelta(seconds=15 * n)).timestamp(),
                            skip_reason=QUIET_SKIP,
                            cursor=cursor,
                            selector_id="bench-selector",
                        )
                    )
                after_ticks = _table_bytes(storage_url)
                tick_rows, tick_count = _row_bytes(
                    storage_url, "SELECT sum(pg_column_size(t.*)), count(*) FROM job_ticks t"
                )
                (worker_job,) = [job for job in worker_jobs if job.name == "capture_worker_ng"]
                started = time.monotonic()
                run = worker_job.execute_in_process(
                    run_config={"ops": {"ng__capture_worker": {"config": {"minutes": 0.05}}}},
                    resources={
                        "warehouse": WarehouseResource(database_url=warehouse_url),
                        "books": BooksResource(base_urls=NO_BOOKS),  # an empty queue: never called
                        "clock": ClockResource(fixed_utc=now.isoformat()),
                    },
                    instance=instance,
                    tags=dict(worker_job.tags),
                )
                worker_wall = time.monotonic() - started
                after_run = _table_bytes(storage_url)
                event_bytes, events = _row_bytes(
                    storage_url,
                    "SELECT sum(pg_column_size(e.*)), count(*) FROM event_logs e WHERE run_id = %s",
                    run.run_id,
                )
                run_bytes, _ = _row_bytes(
                    storage_url,
                    "SELECT (SELECT sum(pg_column_size(r.*)) FROM runs r WHERE run_id = %s) "
                    "+ (SELECT coalesce(sum(pg_column_size(t.*)), 0) FROM run_tags t WHERE run_id = %s), 0",
                    run.run_id,
                    run.run_id,
                )
    finally:
        for name in (storage_db, warehouse_db):
            drop_database(server, name)
    return {
        "ticks_written": tick_count,
        "tick_row_bytes": round(tick_rows / tick_count, 1),
        "tick_table_bytes": round(sum(_grown(empty, after_ticks).values()) / ticks, 1),
        "worker_run_succeeded": run.success,
        "worker_run_wall_s": round(worker_wall, 1),
        "worker_run_events": events,
        "worker_run_row_bytes": event_bytes + run_bytes,
        "worker_run_table_bytes": sum(_grown(after_ticks, after_run).values()),
        "worker_run_tables_grown": _grown(after_ticks, after_run),
    }
