"""The Dagster side of observability, on real runs: scrape metrics from the assets' hook, and the
run-failure sensor evaluated on a run that really failed in a Postgres-backed instance."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta

import dagster as dg
import psycopg
import pytest

from palimpsest_pipeline.defs.catalogue.archive_source import archive_run_config
from palimpsest_pipeline.defs.catalogue.assets import catalogue_assets
from palimpsest_pipeline.defs.odds.assets import odds_asset
from palimpsest_pipeline.defs.resources import BooksResource, WarehouseResource
from palimpsest_pipeline.defs.runs.observability import record_run_failures, run_failure_record
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline_tests.fixtures_sandbox import SANDBOX_TEST_INSTANT
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_pipeline_tests.warehouse.stored import read_run_failures, read_scrape_metrics

DAY = SANDBOX_TEST_INSTANT.date().isoformat()  # a kick-off date: the country is in the assets' keys
RANGE_TAGS = {"dagster/asset_partition_range_start": DAY, "dagster/asset_partition_range_end": DAY}


def metadata_of(result: dg.ExecuteInProcessResult, key: dg.AssetKey) -> dict[str, object]:
    (materialization,) = [m for m in result.asset_materializations_for_node(_node(key)) if m.asset_key == key]
    return {name: value.value for name, value in materialization.metadata.items()}


def _node(key: dg.AssetKey) -> str:
    """The op of ``key``: ``ng/odds_snapshots`` its own (``ng__odds_snapshots``), ``ng/bet9ja/events`` its
    book edition's catalogue (``ng__bet9ja_catalogue``)."""
    country, *path = key.path
    return f"{country}__odds_snapshots" if path == ["odds_snapshots"] else f"{country}__{path[0]}_catalogue"


def _catalogue_of(book: Book) -> dg.AssetsDefinition:
    """Nigeria's catalogue asset of ``book`` (the location runs Nigeria alone here)."""
    (found,) = [a for a in catalogue_assets if a.op.name == f"ng__{book.value}_catalogue"]
    return found


@pytest.mark.slow
def test_assets_store_scrape_metrics_and_attach_them(
    pipeline_resources: dict[str, object], warehouse_url: str
) -> None:
    catalogue = dg.materialize(catalogue_assets, resources=pipeline_resources, tags=RANGE_TAGS)
    assert catalogue.success
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        stored = read_scrape_metrics(conn, catalogue.run_id)
        sr_id = conn.execute(
            "SELECT sr_id FROM core.events WHERE book = 'betpawa' AND sr_id IS NOT NULL "
            "AND kickoff > %s ORDER BY kickoff, sr_id LIMIT 1",
            (SANDBOX_TEST_INSTANT,),
        ).fetchone()
    assert [(r["kind"], r["book"], r["status"]) for r in stored] == [
        ("catalogue", book, "ok") for book in sorted(book.value for book in NIGERIA_BOOKS)
    ]
    assert all(r["requests"] > 0 and r["attempts"] >= r["requests"] for r in stored)
    assert all(r["latency_p50_ms"] is not None for r in stored)
    events_meta = metadata_of(catalogue, dg.AssetKey(["ng", "bet9ja", "events"]))
    # The hook's metadata sits beside what the asset already reported (not instead of it).
    assert "inserted" in events_meta
    summary = events_meta["scrape_metrics"]
    assert isinstance(summary, dict)
    assert set(summary) == {"catalogue/bet9ja"}
    assert summary["catalogue/bet9ja"]["requests"] == stored[0]["requests"]

    assert sr_id is not None
    odds = dg.materialize(
        [odds_asset("ng")],
        resources=pipeline_resources,
        tags=RANGE_TAGS,
        run_config={"ops": {"ng__odds_snapshots": {"config": {"sr_ids": [sr_id[0]]}}}},
    )
    assert odds.success
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        odds_rows = read_scrape_metrics(conn, odds.run_id)
    by_book = {r["book"]: r for r in odds_rows}
    assert set(by_book) == {b.value for b in NIGERIA_BOOKS} and {r["kind"] for r in odds_rows} == {"odds"}
    betpawa = by_book["betpawa"]
    assert betpawa["requests"] >= 1 and betpawa["status"] == "ok"
    assert betpawa["bytes_received"] > 0 and betpawa["latency_p99_ms"] is not None
    odds_meta = metadata_of(odds, dg.AssetKey(["ng", "odds_snapshots"]))
    assert "history_rows" in odds_meta
    assert odds_meta["scrape_metrics"]["odds/betpawa"]["bytes_received"] == betpawa["bytes_received"]  # type: ignore[index]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_run_failure_sensor_records_a_failed_run(
    deploy_instance: dg.DagsterInstance,
    pipeline_resources: dict[str, object],
    warehouse_url: str,
) -> None:
    # A book that fails its live scrape degrades (a failed check, its last good catalogue kept); a rebuild
    # of dates no archived scrape reaches fails its step, and so the run: that is a real failed run.
    bet9ja = _catalogue_of(Book.BET9JA)
    before = datetime.now(UTC) - timedelta(seconds=1)
    failed = dg.materialize(
        [bet9ja],
        resources=pipeline_resources,
        instance=deploy_instance,
        tags=RANGE_TAGS,
        run_config=archive_run_config(odds=False, books=(Book.BET9JA,), countries=("ng",)),
        raise_on_error=False,
    )
    assert not failed.success
    run = deploy_instance.get_run_by_id(failed.run_id)
    assert run is not None and run.status is dg.DagsterRunStatus.FAILURE

    context = dg.build_run_status_sensor_context(
        sensor_name="record_run_failures",
        dagster_event=failed.get_run_failure_event(),
        dagster_instance=deploy_instance,
        dagster_run=run,
        resources={"warehouse": WarehouseResource(database_url=warehouse_url)},
    ).for_run_failure()
    record_run_failures(context)
    record_run_failures(context)  # the daemon may evaluate a failure twice: still one row

    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        (row,) = read_run_failures(conn)
    assert (row["run_id"], row["job_name"]) == (failed.run_id, run.job_name)
    assert row["step_keys"] == ["ng__bet9ja_catalogue"]
    assert "no archived bet9ja catalogue scrape reaches" in row["step_errors"]["ng__bet9ja_catalogue"]
    assert "ng__bet9ja_catalogue" in row["error_message"]
    assert (row["partition_start"], row["partition_end"], row["trigger"]) == (DAY, DAY, "manual")
    assert before <= row["failed_at"] <= datetime.now(UTC)


def test_a_failed_scrape_records_its_metrics_and_fails_its_check(
    pipeline_resources: dict[str, object], warehouse_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Bet9ja unreachable, and no retries: its scrape fails at once; the step does not (degrade, do not stop).
    monkeypatch.setenv("PALIMPSEST_BET9JA_NG_MAX_ATTEMPTS", "1")
    books = pipeline_resources["books"]
    assert isinstance(books, BooksResource)
    resources = {
        **pipeline_resources,
        "books": BooksResource(
            base_urls={**books.base_urls, "ng/bet9ja": f"http://127.0.0.1:{_closed_port()}/"}
        ),
    }
    result = dg.materialize([_catalogue_of(Book.BET9JA)], resources=resources, tags=RANGE_TAGS)
    (check,) = [e for e in result.get_asset_check_evaluations() if e.check_name == "catalogue_refreshed"]
    assert not check.passed and check.severity is dg.AssetCheckSeverity.ERROR
    assert metadata_of(result, dg.AssetKey(["ng", "bet9ja", "events"]))["stale"] is True
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        metrics = read_scrape_metrics(conn, result.run_id)
    assert [(m["book"], m["status"]) for m in metrics] == [("bet9ja", "failed")]
    assert metrics[0]["errors"]


def test_run_failure_record_outside_any_step() -> None:
    """A run that fails before any step (e.g. its worker crashed) still gives a complete row."""
    run = dg.DagsterRun(
        job_name="capture_odds_ng",
        run_id="run-x",
        tags={"dagster/sensor_name": "odds_kickoff_window_sensor_ng", "dagster/partition": DAY},
    )
    event = dg.DagsterEvent(
        event_type_value="PIPELINE_FAILURE", job_name="capture_odds_ng", message="run worker exited"
    )
    record = run_failure_record(run, event, [], failed_at=SANDBOX_TEST_INSTANT)
    assert record.step_keys == [] and record.error_message == "run worker exited"
    assert (record.partition_key, record.partition_start) == (DAY, None)
    assert record.trigger == "sensor:odds_kickoff_window_sensor_ng"
