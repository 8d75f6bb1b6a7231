"""Each site country's capture worker under Dagster: a ``capture_worker_<cc>`` run serves the country's
capture queue for ``PALIMPSEST_CAPTURE_WORKER_MINUTES`` (``scrape/odds/capture_worker.py``), comparing each
chunk again, in its own pool; a few long runs a day instead of a run per due tier (docs/operations.md)."""

import time
from collections import Counter
from typing import Any

import dagster as dg
from pydantic import Field

from palimpsest_pipeline.defs.automation import country_tags, unfinished_runs
from palimpsest_pipeline.defs.countries import worker_job_name, worker_op
from palimpsest_pipeline.defs.odds.assets import ComparisonConfig, comparison_outputs, odds_key
from palimpsest_pipeline.defs.partitions import SITE_COUNTRIES
from palimpsest_pipeline.defs.resources import (
    LOCATION_SETTINGS,
    BooksResource,
    ClockResource,
    WarehouseResource,
)
from palimpsest_pipeline.deploy.pools import worker_pool
from palimpsest_pipeline.derive.comparison import rebuild_comparison
from palimpsest_pipeline.partition_keys import partition_key
from palimpsest_pipeline.scrape.odds.capture_worker import CaptureWorker, Chunk, Served, WorkerOptions
from palimpsest_pipeline.settings import load_settings
from palimpsest_pipeline.transforms.comparison_chunks import RangeSummary
from palimpsest_pipeline.warehouse.capture_requests import RequestKey, release_orphans

#: Beyond its minutes a worker finishes the chunk in hand; a hung one is failed after this much more.
OVERRUN_S = 900


class CaptureWorkerConfig(dg.Config):
    """How long the worker serves the queue and how it cuts the work; the comparison's bounds as the
    capture job's comparison step has them."""

    #: None: PALIMPSEST_CAPTURE_WORKER_MINUTES.
    minutes: float | None = Field(default=None, gt=0)
    #: Events captured and compared between two looks for a capture of higher priority.
    chunk_events: int = Field(default=25, ge=1)
    #: Complete events stored per transaction within a chunk.
    batch_events: int = Field(default=25, ge=1)
    #: Stop once the queue is empty instead of waiting for more (tests, a drain by hand).
    until_idle: bool = False
    comparison: ComparisonConfig = ComparisonConfig()


def worker_job(country: str) -> dg.JobDefinition:
    """``country``'s capture worker job: one op in the country's worker pool, run in process."""

    @dg.op(
        name=worker_op(country),
        pool=worker_pool(country),
        description=f"Serve {country}'s capture queue: take the due captures by priority, capture each in "
        "chunks of events on every book at once and compare them again, for "
        "PALIMPSEST_CAPTURE_WORKER_MINUTES.",
    )
    async def capture_worker(
        context: dg.OpExecutionContext,
        config: CaptureWorkerConfig,
        warehouse: WarehouseResource,
        books: BooksResource,
        clock: ClockResource,
    ) -> dg.Output[None]:
        return await _serve_queue(context, config, warehouse, books, clock, country)

    minutes = LOCATION_SETTINGS.capture_worker_minutes

    @dg.job(
        name=worker_job_name(country),
        executor_def=dg.in_process_executor,
        # every run of it names its country, however launched: the sensor counts a UI launch as the worker
        # no automatic retry: the kick-off sensor replaces a dead worker at its next tick (a retry beside
        # the replacement would be a second worker waiting for the pool)
        tags={
            **country_tags(country),
            "dagster/max_runtime": str(int(minutes * 60 + OVERRUN_S)),
            "dagster/max_retries": "0",
        },
        description=f"{country}'s capture worker: serves the capture queue the kick-off sensor fills "
        f"(imminent first) for {minutes:g} minutes (PALIMPSEST_CAPTURE_WORKER_MINUTES), capturing every "
        "book at once per SportRadar id and updating the comparison tables of the captured events.",
    )
    def capture_worker_job() -> None:
        capture_worker()

    return capture_worker_job


async def _serve_queue(
    context: dg.OpExecutionContext,
    config: CaptureWorkerConfig,
    warehouse: WarehouseResource,
    books: BooksResource,
    clock: ClockResource,
    country: str,
) -> dg.Output[None]:
    """Take back what dead workers held, serve the queue, and say per tier how soon captures started."""
    settings = load_settings()
    minutes = config.minutes if config.minutes is not None else settings.capture_worker_minutes
    until = time.monotonic() + minutes * 60
    run_id = context.run.run_id
    others = set(unfinished_runs(context.instance, worker_job_name(country), country)) - {run_id}
    with warehouse.connect() as conn:  # a dead worker's, or this run's before a resume
        for key, taker in release_orphans(conn, country, others):
            context.log.warning(f"{key.label()}: taken again from {taker}, no longer running")
    tiers = [(tier.max_lead, tier.every) for tier in settings.cadence_policy().tiers]
    compare = config.comparison
    summaries: dict[RequestKey, RangeSummary] = {}
    rebuilt: Counter[RequestKey] = Counter()

    def compare_chunk(chunk: Chunk) -> None:
        key = chunk.request.key
        summary = summaries.setdefault(
            key,
            RangeSummary(
                margin_low=compare.margin_low,
                margin_high=compare.margin_high,
                price_factor=compare.price_factor,
            ),
        )
        with warehouse.connect() as conn:
            whole = rebuild_comparison(
                conn, chunk.request.kickoff_dates, clock.now(), summary=summary, tiers=tiers,
                stale_factor=compare.stale_factor, chunk_events=compare.chunk_events, site_country=country,
                sr_ids=chunk.sr_ids,
            )  # fmt: skip
        rebuilt[key] += len(whole)

    def report(served: Served) -> None:
        summary, whole = summaries.pop(served.request.key, None), rebuilt.pop(served.request.key, 0)
        if served.captured:
            _log_materializations(context, country, served, summary, compare, whole)

    worker = CaptureWorker(
        warehouse.connect,
        books.settings(country),
        worker_id=run_id,
        now=clock.now,
        until=until,
        options=WorkerOptions(
            chunk_events=config.chunk_events, batch_events=config.batch_events, until_idle=config.until_idle
        ),
        after_chunk=compare_chunk,
        on_served=report,
        log=context.log.info,
    )
    done = await worker.run()
    delays = done.start_delays()
    context.log.info(f"{country}: served {done.by_tier()}; start delays by tier {delays}")
    metadata: dict[str, Any] = {
        "requests_by_tier": done.by_tier(),
        "start_delay_s_by_tier": delays,
        "events_captured": done.events_captured,
        "chunks": done.chunks,
        "minutes": minutes,
    }
    return dg.Output(None, metadata=metadata)


def _log_materializations(
    context: dg.OpExecutionContext,
    country: str,
    served: Served,
    summary: RangeSummary | None,
    compare: ComparisonConfig,
    rebuilt_dates: int,
) -> None:
    """The capture's and its comparison's asset events, per kick-off date of the request, as a run of the
    capture job would log them, and the comparison's checks."""
    request = served.request
    captured: dict[str, Any] = {
        "tier": request.key.tier,
        "window_start": request.key.window_start.isoformat(),
        "events": len(request.sr_ids),
        "captured_events": len(served.captured),
        "ending": served.ending,
        "takes": request.takes,
        "start_delay_s": round(request.start_delay.total_seconds(), 3),
        "statuses": served.statuses,
    }
    partitions = [partition_key(day) for day in request.kickoff_dates]
    for partition in partitions:
        context.log_event(dg.AssetMaterialization(odds_key(country), partition=partition, metadata=captured))
    if summary is None:
        return
    outputs = comparison_outputs(country, summary, compare, rebuilt_dates=rebuilt_dates)
    for key, metadata in outputs.materialized.items():
        for partition in partitions:
            context.log_event(dg.AssetMaterialization(key, partition=partition, metadata=metadata))
    for key, name, passed, details, severity in outputs.checks:
        evaluation = dg.AssetCheckEvaluation(key, name, passed, metadata=details, severity=severity)
        context.log_event(evaluation)  # type: ignore[arg-type]  # log_event takes it; its annotation lags


worker_jobs = [worker_job(country) for country in SITE_COUNTRIES]
