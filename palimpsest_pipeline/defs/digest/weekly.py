"""The weekly digest: a ``weekly_digest`` run per site country once a week (``PALIMPSEST_DIGEST_CRON``,
Mondays 06:00 UTC staggered by country), building the week before's page and CSVs and sending them to the
alert receivers, each receiver once per country and week: a run a week per country, thin."""

from datetime import UTC, datetime
from pathlib import Path

import dagster as dg

from palimpsest_pipeline import runtime
from palimpsest_pipeline.alerts.deliver import receivers_from
from palimpsest_pipeline.alerts.rules import RULES
from palimpsest_pipeline.defs.automation import COUNTRY_TAG, country_cron
from palimpsest_pipeline.defs.partitions import SITE_COUNTRIES
from palimpsest_pipeline.defs.resources import (
    LOCATION_SETTINGS,
    AlertsResource,
    ClockResource,
    WarehouseResource,
    schedule_status,
)
from palimpsest_pipeline.partition_keys import week_before, week_dates
from palimpsest_pipeline.report.build import default_report_path
from palimpsest_pipeline.report.digest_build import build_digest, deliver_digest, digest_directory
from palimpsest_pipeline.settings import load_settings
from palimpsest_pipeline.warehouse.digest_reader import DigestWeek

DIGEST_JOB = "weekly_digest"


class DigestConfig(dg.Config):
    """Whose digest (no default: each country's schedule names its own), which ISO week (default: the one
    before the run's) and where it goes (default: ``$PALIMPSEST_HOME/reports/digests/<cc>/<week>``)."""

    site_country: str
    week: str | None = None
    directory: str | None = None


@dg.op(description="Build one site country's weekly digest and send it to PALIMPSEST_ALERT_URLS once.")
def build_and_send_digest(
    context: dg.OpExecutionContext,
    config: DigestConfig,
    warehouse: WarehouseResource,
    alerting: AlertsResource,
    clock: ClockResource,
) -> dg.Output[None]:
    now = clock.now()
    week = config.week or week_before(now.date())
    week_dates(week)  # a malformed week fails the run here, naming it
    reports = default_report_path(runtime.project_home()).parent
    directory = (
        Path(config.directory) if config.directory else digest_directory(reports, config.site_country, week)
    )
    settings = load_settings()
    with warehouse.connect(autocommit=True) as conn:
        built = build_digest(
            conn,
            DigestWeek(config.site_country, week),
            directory,
            rules=RULES,
            rules_off=settings.alert_settings().rules_off,
            now=now,
        )
        delivered = deliver_digest(
            conn, built, receivers_from(alerting.urls), public_url=settings.report_public_url, now=now
        )
    context.log.info(f"{config.site_country} digest {week}: {built.page}; {delivered.describe()}")
    failed = [label for label, outcome in delivered.outcomes.items() if outcome == "failed"]
    if failed:  # the run fails, so the UI shows it; a rerun of the week sends only to these
        raise dg.Failure(f"digest {week} not taken by {', '.join(failed)}: rerun the week to retry them")
    return dg.Output(
        None,
        metadata={
            "path": dg.MetadataValue.path(str(built.page)),
            "week": week,
            "csvs": len(built.csvs),
            "not_measured": built.not_measured,
            "deliveries": delivered.outcomes,
            "build_s": built.seconds,
        },
    )


@dg.job(
    name=DIGEST_JOB, description="One site country's weekly digest, built and sent to the alert receivers."
)
def weekly_digest_job() -> None:
    build_and_send_digest()


def build_digest_schedule(country: str) -> dg.ScheduleDefinition:
    """``country``'s digest of the week before each tick; the run key names the country and week, so a
    tick evaluated twice starts one run."""

    @dg.schedule(
        name=f"weekly_digest_schedule_{country}",
        job=weekly_digest_job,
        cron_schedule=country_cron(LOCATION_SETTINGS.digest_cron, country),
        execution_timezone="UTC",
        default_status=schedule_status(),
        description=f"{country}'s weekly digest of the ISO week before the tick, sent to the alert "
        "receivers.",
    )
    def weekly_digest_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
        tick = context.scheduled_execution_time or datetime.now(UTC)
        week = week_before(tick.date())
        return dg.RunRequest(
            run_key=f"digest:{country}:{week}",
            run_config={
                "ops": {"build_and_send_digest": {"config": {"site_country": country, "week": week}}}
            },
            tags={COUNTRY_TAG: country},
        )

    return weekly_digest_schedule


weekly_digest_schedules = [build_digest_schedule(country) for country in SITE_COUNTRIES]
