"""The live watcher under Dagster, per site country: a ``watch_live`` run polling every 30 seconds for
``PALIMPSEST_LIVE_RUN_MINUTES``, the schedule ticking every five minutes and starting one when none is queued
or running: a run per poll would swamp Dagster, an endless run would hide failures and miss deployments."""

from typing import Any

import dagster as dg

from palimpsest_pipeline.defs.automation import COUNTRY_TAG, country_cron, country_run_active
from palimpsest_pipeline.defs.countries import country_key
from palimpsest_pipeline.defs.partitions import SITE_COUNTRIES
from palimpsest_pipeline.defs.resources import (
    LOCATION_SETTINGS,
    BooksResource,
    ClockResource,
    WarehouseResource,
    schedule_status,
)
from palimpsest_pipeline.derive.market_retention import refresh_market_retention
from palimpsest_pipeline.scrape.live import PollOutcome, watch_live
from palimpsest_pipeline.scrape.live_snapshots import SnapshotOutcome
from palimpsest_pipeline.scrape.run_plan import live_run_seconds, live_watch_wanted
from palimpsest_pipeline.settings import load_settings

LIVE_JOB = "watch_live"
LIVE_TAG = "palimpsest/live_watch"


def live_key(country: str) -> dg.AssetKey:
    """``country``'s live coverage: ``ng/live_coverage``."""
    return country_key(country, "live_coverage")


live_coverage_specs = [
    dg.AssetSpec(
        live_key(country),
        group_name="live",
        kinds={"postgres"},
        description=f"analytics.live_coverage and analytics.live_suspension of {country}: live gaps (a "
        "match live on a competitor and not on BetPawa, and the reverse) and each book's suspended share, "
        "written by the watch_live runs every 30 seconds.",
    )
    for country in SITE_COUNTRIES
]


class WatchConfig(dg.Config):
    """How long one run polls and how often, in seconds (none given: just under PALIMPSEST_LIVE_RUN_MINUTES,
    and PALIMPSEST_LIVE_POLL_SECONDS), and whose site country's books it watches: no default, each
    country's schedule names its own."""

    duration_s: float | None = None
    interval_s: float | None = None
    site_country: str
    #: Exactly this many polls, however long they take (the demo's, on the sandbox's clock); none: as many
    #: as the duration allows.
    polls: int | None = None


@dg.op(
    description="Poll the live lists of one site country's books every 30 s for just under "
    "PALIMPSEST_LIVE_RUN_MINUTES, storing gaps."
)
async def watch_live_lists(
    context: dg.OpExecutionContext,
    config: WatchConfig,
    warehouse: WarehouseResource,
    books: BooksResource,
    clock: ClockResource,
) -> dg.Output[None]:
    def report(poll: PollOutcome) -> None:
        failed = [s.book.value for s in poll.books if s.status != "ok"]
        context.log.info(
            f"{config.site_country} live poll {poll.polled_at:%H:%M:%S}: live {poll.live_counts}; "
            f"gaps +{poll.opened} ={poll.continued} -{poll.closed}"
            + (f"; not usable: {', '.join(failed)}" if failed else "")
        )

    def report_snapshots(taken: SnapshotOutcome) -> None:
        context.log.info(
            f"{config.site_country} live snapshots {taken.statuses}; "
            f"retention of {len(taken.matches)} match(es) rewritten"
        )

    settings = load_settings()
    interval = config.interval_s if config.interval_s is not None else settings.live_poll_seconds
    duration = (
        config.duration_s if config.duration_s is not None else live_run_seconds(settings.live_run_minutes)
    )
    summary = await watch_live(
        warehouse.connect,
        books.settings(config.site_country),
        books.sports,
        now=clock.now,
        duration_s=duration,
        interval_s=interval,
        on_poll=report,
        on_snapshots=report_snapshots,
        site_country=config.site_country,
        recompute=refresh_market_retention,
        polls=config.polls,
    )
    last = summary.polls[-1]
    metadata: dict[str, Any] = {
        "polls": len(summary.polls),
        "gaps_open_betpawa_missing": summary.open_gaps.get("betpawa_missing", 0),
        "gaps_open_competitor_missing": summary.open_gaps.get("competitor_missing", 0),
        "live_events": last.live_counts,
        "suspended_share": {s.book.value: s.suspended_share for s in last.books},
        "failed_answers": sum(s.status != "ok" for p in summary.polls for s in p.books),
        "live_snapshots": summary.snapshots,
    }
    context.log_event(dg.AssetMaterialization(asset_key=live_key(config.site_country), metadata=metadata))
    return dg.Output(None, metadata=metadata)


#: A hung watch is failed this long after its minutes are up.
OVERRUN_S = 300


@dg.job(
    name=LIVE_JOB,
    tags={
        LIVE_TAG: "watch",
        "dagster/max_runtime": str(int(LOCATION_SETTINGS.live_run_minutes * 60 + OVERRUN_S)),
    },
    description="Poll the books' live lists every PALIMPSEST_LIVE_POLL_SECONDS (30) for just under "
    f"{LOCATION_SETTINGS.live_run_minutes:g} minutes (PALIMPSEST_LIVE_RUN_MINUTES): analytics.live_coverage "
    "(live gaps) and analytics.live_suspension.",
)
def watch_live_job() -> None:
    watch_live_lists()


def build_live_schedule(country: str) -> dg.ScheduleDefinition:
    """``country``'s watch: a ``watch_live`` run of its books when none is queued or running, looked at
    every five minutes (``PALIMPSEST_LIVE_CRON``)."""

    @dg.schedule(
        name=f"live_watch_schedule_{country}",
        job=watch_live_job,
        cron_schedule=country_cron(LOCATION_SETTINGS.live_cron, country),
        execution_timezone="UTC",
        default_status=schedule_status(),
        description=f"A watch_live run of {country}'s books (polling the live lists every 30 s for "
        f"{LOCATION_SETTINGS.live_run_minutes:g} minutes), started at a tick when the previous one ended: a "
        "tick is skipped while it is still queued or running, so a dead watch is replaced at the next.",
    )
    def live_watch_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest | dg.SkipReason:
        if not live_watch_wanted(watch_active=country_run_active(context.instance, LIVE_JOB, country)):
            return dg.SkipReason(f"the previous {country} watch_live run is still queued or running")
        tick = context.scheduled_execution_time
        return dg.RunRequest(
            run_key=f"live:{country}:{tick.isoformat()}" if tick is not None else None,
            run_config={"ops": {"watch_live_lists": {"config": {"site_country": country}}}},
            tags={COUNTRY_TAG: country, LIVE_TAG: country},
        )

    return live_watch_schedule


live_watch_schedules = [build_live_schedule(country) for country in SITE_COUNTRIES]
