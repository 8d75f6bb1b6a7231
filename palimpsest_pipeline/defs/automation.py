"""Automation, one schedule, sensor and job of each kind per site country (``catalogue_schedule_ng``,
``palimpsest_comparison_ng``): the catalogue schedule and job, the kick-off-window odds sensor filling the
country's capture queue and requesting its capture worker, and the one-shot capture job. They only decide
(``scrape/cadence.py``, ``scrape/run_plan.py``); all start RUNNING unless ``PALIMPSEST_AUTOMATION`` is
``stopped``."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

import dagster as dg

from palimpsest_pipeline.defs.catalogue.assets import CATALOGUE_GROUP
from palimpsest_pipeline.defs.countries import (
    capture_job_name,
    capture_op,
    catalogue_job_name,
    worker_job_name,
)
from palimpsest_pipeline.defs.coverage.assets import COVERAGE_GROUP
from palimpsest_pipeline.defs.odds.assets import ODDS_GROUP
from palimpsest_pipeline.defs.partitions import HORIZON_DAYS, RANGE_END_TAG, RANGE_START_TAG, SITE_COUNTRIES
from palimpsest_pipeline.defs.report.assets import REPORT_KEY
from palimpsest_pipeline.defs.resources import (
    LOCATION_SETTINGS,
    ClockResource,
    WarehouseResource,
    schedule_status,
    sensor_status,
)
from palimpsest_pipeline.deploy.run_liveness import sweep_dead_runs
from palimpsest_pipeline.partition_keys import partition_key
from palimpsest_pipeline.scrape.cadence import CadencePolicy, decide, due_leads, stepped_back_tiers
from palimpsest_pipeline.scrape.run_plan import capture_requests, worker_wanted
from palimpsest_pipeline.warehouse.capture_listings import read_upcoming_between
from palimpsest_pipeline.warehouse.capture_requests import enqueue, release_orphans, undone_requests

TRIGGER_TAG = "palimpsest/trigger"
#: The site country a run covers (a range's keys name it too, but Dagster filters runs by tags only).
COUNTRY_TAG = "palimpsest/site_country"
#: The run queue launches higher priorities first: the capture worker (imminent captures) goes first.
PRIORITY_TAG = "dagster/priority"
#: The run tag dagster-k8s reads a run's Kubernetes settings from: its Job and pod get the country label.
K8S_CONFIG_TAG = "dagster-k8s/config"
COUNTRY_LABEL = "palimpsest/site-country"


#: A cron's minute field firing every N minutes from the hour: ``*/15``.
_EVERY_N_MINUTES = re.compile(r"\*/(\d+)")


def staggered_cron(cron: str, country: str, countries: Sequence[str]) -> str:
    """``cron`` moved ``country``'s place in ``countries`` minutes later where it fires every N minutes
    (``*/15``: ``3-59/15`` for the fourth), so the site countries' runs do not all start in one minute and
    a country keeps its minute when another is added; any other cron as written, its author's choice."""
    minute, _, rest = cron.partition(" ")
    every = _EVERY_N_MINUTES.fullmatch(minute)
    if every is None:
        return cron
    offset = countries.index(country) % int(every[1])
    return f"{offset}-59/{every[1]} {rest}" if offset else cron


#: Every country of the competitors file, sorted: the order schedules are staggered in (``country_cron``).
_STAGGER_ORDER = tuple(sorted(LOCATION_SETTINGS.competitors().by_country))


def country_cron(cron: str, country: str) -> str:
    """``cron`` staggered by ``country``'s place among every country of the competitors file, sorted."""
    return staggered_cron(cron, country, _STAGGER_ORDER)


class AutomationConfigError(ValueError):
    """An automation setting from the environment is invalid; the message names the variable."""


def sensor_policy(policy: CadencePolicy) -> CadencePolicy:
    """The tier policy, refused when its horizon reaches past the dates the kick-off partitions cover."""
    if policy.horizon > timedelta(days=HORIZON_DAYS):
        raise AutomationConfigError(
            f"PALIMPSEST_ODDS_HORIZON_HOURS: the sensor horizon {policy.horizon} reaches past the "
            f"{HORIZON_DAYS} days of kick-off partitions"
        )
    return policy


def date_range_tags(first: date, last: date) -> dict[str, str]:
    """Tags that make one run cover kick-off dates ``first`` .. ``last`` (single-run backfill policy)."""
    if last < first:
        raise ValueError(f"range_tags: last date {last} is before first date {first}")
    return {RANGE_START_TAG: partition_key(first), RANGE_END_TAG: partition_key(last)}


def country_tags(country: str) -> dict[str, str]:
    """The tags of a run of site ``country``: the country (Dagster filters runs by tags) and, in a cluster,
    its Job's and pod's label."""
    labels = {COUNTRY_LABEL: country}
    k8s = {"job_metadata": {"labels": labels}, "pod_template_spec_metadata": {"labels": labels}}
    return {COUNTRY_TAG: country, K8S_CONFIG_TAG: json.dumps(k8s, sort_keys=True)}


def range_tags(first: date, last: date, country: str) -> dict[str, str]:
    """``date_range_tags`` of a run of site ``country``'s assets, with ``country_tags``."""
    return {**date_range_tags(first, last), **country_tags(country)}


def country_range_tags(first: date, last: date, country: str | None) -> dict[str, str]:
    """``range_tags`` of ``country``, or, for None (a run over every site country's assets), the dates'."""
    return date_range_tags(first, last) if country is None else range_tags(first, last, country)


def capture_run_config(sr_ids: list[int] | tuple[int, ...], countries: Sequence[str]) -> dict[str, Any]:
    """Run config narrowing the captures of ``countries`` to ``sr_ids`` (never empty: empty means every
    event of the dates)."""
    if not sr_ids:
        raise ValueError("capture_run_config: no SR ids (an empty list would capture every event)")
    return {"ops": {capture_op(country): {"config": {"sr_ids": list(sr_ids)}} for country in countries}}


#: A run not yet started or in progress (CANCELING: it may still be working).
_UNFINISHED = (
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
    dg.DagsterRunStatus.CANCELING,
)


def country_run_active(instance: dg.DagsterInstance, job_name: str, country: str) -> bool:
    """Whether a run of ``job_name`` for site ``country`` is queued or in progress."""
    statuses = [s for s in _UNFINISHED if s is not dg.DagsterRunStatus.CANCELING]
    runs = dg.RunsFilter(job_name=job_name, statuses=statuses, tags={COUNTRY_TAG: country})
    return bool(instance.get_run_records(runs, limit=1))


def unfinished_runs(
    instance: dg.DagsterInstance, job_name: str, country: str
) -> dict[str, dg.DagsterRunStatus]:
    """``job_name``'s runs for site ``country`` not finished (queued, starting, going, cancelling), by id
    with their status: the capture workers that may hold queue requests."""
    runs = dg.RunsFilter(job_name=job_name, statuses=list(_UNFINISHED), tags={COUNTRY_TAG: country})
    return {record.dagster_run.run_id: record.dagster_run.status for record in instance.get_run_records(runs)}


def any_active(statuses: Iterable[dg.DagsterRunStatus]) -> bool:
    """Whether any of ``statuses`` is queued or in progress: not cancelling, as ``country_run_active``."""
    return any(status is not dg.DagsterRunStatus.CANCELING for status in statuses)


def build_catalogue_schedule(
    cron: str, country: str, *, running: bool | None = None
) -> dg.ScheduleDefinition:
    """``country``'s catalogue discovery and coverage tables for today .. today + HORIZON_DAYS, as ONE run
    per tick (``cron`` is checked when the settings load)."""

    @dg.schedule(
        name=f"catalogue_schedule_{country}",
        cron_schedule=country_cron(cron, country),
        job_name=catalogue_job_name(country),
        execution_timezone="UTC",
        default_status=schedule_status(running),
        description=f"Scrape the catalogue of every book of {country}'s sites and rebuild its matching "
        f"and coverage for today and the next {HORIZON_DAYS} days, in one run. Cron from "
        "PALIMPSEST_CATALOGUE_CRON (UTC), every N minutes staggered by the country.",
    )
    def catalogue_schedule(context: dg.ScheduleEvaluationContext, clock: ClockResource) -> dg.RunRequest:
        today = clock.now().date()
        tick = context.scheduled_execution_time
        return dg.RunRequest(
            run_key=f"catalogue:{tick.isoformat()}" if tick is not None else None,
            tags={
                **range_tags(today, today + timedelta(days=HORIZON_DAYS), country),
                TRIGGER_TAG: "schedule",
            },
        )

    return catalogue_schedule


def worker_run_request(country: str, policy: CadencePolicy) -> dg.RunRequest:
    """A ``capture_worker_<country>`` run, first in the run queue (it serves the imminent tier)."""
    return dg.RunRequest(
        tags={**country_tags(country), TRIGGER_TAG: "sensor", PRIORITY_TAG: str(len(policy.tiers))}
    )


def build_odds_sensor(
    policy: CadencePolicy,
    country: str,
    *,
    interval_s: int,
    running: bool | None = None,
) -> dg.SensorDefinition:
    """``country``'s kick-off-window sensor: each tier's due window into the capture queue, and a capture
    worker run when work waits and none is queued or running."""
    tiers = ", ".join(f"{t.name} < {t.max_lead} every {int(t.every.total_seconds())} s" for t in policy.tiers)
    job_name = worker_job_name(country)

    @dg.sensor(
        name=f"odds_kickoff_window_sensor_{country}",
        job_name=job_name,
        minimum_interval_seconds=interval_s,
        default_status=sensor_status(running),
        description=f"Puts odds captures of {country}'s upcoming events in its capture queue by time to "
        f"kick-off ({tiers}), one request per tier and time window, never a catch-up of missed windows; "
        f"requests a {job_name} run when requests wait and none is queued or running.",
    )
    def odds_kickoff_window_sensor(
        context: dg.SensorEvaluationContext, warehouse: WarehouseResource, clock: ClockResource
    ) -> dg.SensorResult:
        now = clock.now()
        for tier in stepped_back_tiers(context.cursor, now, policy):
            context.log.warning(
                f"the clock stepped back under tier {tier!r} (its last window is ahead of "
                f"{now.isoformat()} by more than its cadence): its window is reset and it is due now"
            )
        # Only the tiers that may be due are read (most evaluations fall inside the slow tiers' windows).
        span = due_leads(now=now, policy=policy, cursor=context.cursor)
        # a killed worker is replaced at this tick, not after the dead-run sensor's next pass
        dead = sweep_dead_runs(context.instance, job_name=job_name, tags={COUNTRY_TAG: country})
        for run_id, reason in dead:
            context.log.warning(f"failed dead capture worker {run_id}: {reason}")
        workers = unfinished_runs(context.instance, job_name, country)
        upcoming: list[tuple[int, datetime]] = []
        with warehouse.connect() as conn:  # one transaction: the requests, the queue's state
            if span is not None:
                # a tier's span starts inclusive: an event exactly at its lower lead belongs to it
                since = now + span[0] - (timedelta(microseconds=1) if span[0] else timedelta(0))
                upcoming = read_upcoming_between(conn, now, since, now + span[1], site_country=country)
            decision = decide(upcoming, now=now, policy=policy, cursor=context.cursor)
            released = release_orphans(conn, country, workers)
            enqueued = enqueue(conn, capture_requests(decision, policy, country), now=now)
            undone = undone_requests(conn, country)
        for key, taker in released:
            context.log.warning(f"{key.label()}: back in the queue, its worker {taker} is no longer running")
        added = ", ".join(key.label() for key in enqueued.added) or "nothing new"
        state = f"queued {added} ({enqueued.superseded} superseded); {undone} request(s) undone"
        active = any_active(workers.values())  # the same runs the release above judged
        if worker_wanted(undone_requests=undone, worker_active=active):
            context.log.info(f"{state}: requesting a {job_name} run")
            return dg.SensorResult(run_requests=[worker_run_request(country, policy)], cursor=decision.cursor)
        read = "no tier's window is new" if span is None else f"upcoming by tier {decision.upcoming_by_tier}"
        return dg.SensorResult(skip_reason=f"{state}; {read}", cursor=decision.cursor)

    return odds_kickoff_window_sensor


#: Step processes a catalogue run starts at once (Dagster's default, one per CPU seen, is a pod's node's).
CATALOGUE_STEP_PROCESSES = 2


def country_assets(country: str) -> dg.AssetSelection:
    """Every asset of site ``country``, and the traders' report over every country."""
    return dg.AssetSelection.key_prefixes(country) | dg.AssetSelection.assets(REPORT_KEY)


def catalogue_job(country: str) -> dg.UnresolvedAssetJobDefinition:
    """``country``'s catalogues, matching and coverage, then the traders' report: its palimpsest comparison
    in one run."""
    mine = dg.AssetSelection.key_prefixes(country) & dg.AssetSelection.groups(CATALOGUE_GROUP, COVERAGE_GROUP)
    return dg.define_asset_job(
        catalogue_job_name(country),
        selection=mine | dg.AssetSelection.assets(REPORT_KEY),
        executor_def=dg.multiprocess_executor.configured({"max_concurrent": CATALOGUE_STEP_PROCESSES}),
        description=f"Scrape every {country} book's catalogue, match events across its books, compute its "
        "coverage tables and rewrite the traders' report.",
    )


def capture_job(country: str) -> dg.UnresolvedAssetJobDefinition:
    """``country``'s odds captured on every book at once, then compared again, in one run: the one-shot
    capture of ``palimpsest refresh``, the UI and backfills (``palimpsest/trigger``); the kick-off sensor's
    captures go through the country's capture worker."""
    return dg.define_asset_job(
        capture_job_name(country),
        selection=dg.AssetSelection.key_prefixes(country) & dg.AssetSelection.groups(ODDS_GROUP),
        # In-process: a subprocess per step costs seconds; a hung capture must not hold the pool for hours.
        executor_def=dg.in_process_executor,
        tags={"dagster/max_runtime": "900"},
        description=f"Capture {country}'s odds on every book at the same moment per SportRadar id and "
        "compare the captured events again in the comparison tables of their kick-off dates, in one run "
        f"(the kick-off sensor's captures go through {worker_job_name(country)}). In the "
        "launchpad: pick the kick-off date(s) as the partition (range) and set "
        f"ops.{capture_op(country)}.config.sr_ids (a list of ints; empty captures every event of those "
        "dates). From a shell, `palimpsest refresh SRID...` finds the dates by itself.",
    )


catalogue_jobs = [catalogue_job(country) for country in SITE_COUNTRIES]
capture_jobs = [capture_job(country) for country in SITE_COUNTRIES]

#: One per site country, in ``PALIMPSEST_COUNTRIES`` order.
catalogue_schedules = [build_catalogue_schedule(LOCATION_SETTINGS.catalogue_cron, c) for c in SITE_COUNTRIES]
_policy = sensor_policy(LOCATION_SETTINGS.cadence_policy())
odds_kickoff_window_sensors = [
    build_odds_sensor(_policy, c, interval_s=LOCATION_SETTINGS.odds_sensor_interval_s) for c in SITE_COUNTRIES
]
