"""A fresh warehouse gets its first catalogue at once, not at the schedule's next quarter hour: with no
catalogue scrape within ``FRESH_FOR``, the schedule's run is requested, a failed one retried at most every
``RETRY_AFTER``."""

from __future__ import annotations

from datetime import datetime, timedelta

import dagster as dg

from palimpsest_pipeline.defs.automation import TRIGGER_TAG, country_run_active, range_tags
from palimpsest_pipeline.defs.countries import catalogue_job_name
from palimpsest_pipeline.defs.partitions import HORIZON_DAYS, SITE_COUNTRIES
from palimpsest_pipeline.defs.resources import ClockResource, WarehouseResource, sensor_status
from palimpsest_pipeline.warehouse.batches import catalogue_scraped_since

#: A bootstrap run that failed is retried no sooner than this: a book that is down stays down for a while.
RETRY_AFTER = timedelta(minutes=5)
#: A catalogue this recent covers today's horizon (it listed today .. today + HORIZON_DAYS - 1 at least).
FRESH_FOR = timedelta(hours=24)
SENSOR_INTERVAL_S = 30


def bootstrap_skip_reason(
    *, covered: bool, catalogue_run_active: bool, now: datetime, last_request: datetime | None
) -> str | None:
    """Pure: why a catalogue run is not needed now, or None when an uncovered warehouse needs one."""
    if covered:
        return f"a catalogue scrape finished within the last {FRESH_FOR}"
    if catalogue_run_active:
        return "a catalogue run is queued or in progress"
    if last_request is not None and now - last_request < RETRY_AFTER:
        return f"last bootstrap request at {last_request.isoformat()}; waiting"
    return None


def build_bootstrap_sensor(country: str) -> dg.SensorDefinition:
    """``country``'s bootstrap sensor: its catalogue run at once on a warehouse without a recent one."""

    @dg.sensor(
        name=f"catalogue_bootstrap_sensor_{country}",
        job_name=catalogue_job_name(country),
        minimum_interval_seconds=SENSOR_INTERVAL_S,
        default_status=sensor_status(),
        description=f"On a warehouse with no catalogue scrape finished in the last 24 hours (a fresh "
        f"install), requests {country}'s catalogue-and-coverage run for today .. today+{HORIZON_DAYS} at "
        "once instead of waiting for the catalogue schedule; otherwise it only skips.",
    )
    def catalogue_bootstrap_sensor(
        context: dg.SensorEvaluationContext, warehouse: WarehouseResource, clock: ClockResource
    ) -> dg.SensorResult:
        now = clock.now()
        today = now.date()
        with warehouse.connect() as conn:
            covered = catalogue_scraped_since(conn, now - FRESH_FOR, site_country=country)
        active = not covered and country_run_active(context.instance, catalogue_job_name(country), country)
        last_request = datetime.fromisoformat(context.cursor) if context.cursor else None
        skip = bootstrap_skip_reason(
            covered=covered, catalogue_run_active=active, now=now, last_request=last_request
        )
        if skip is not None:
            return dg.SensorResult(skip_reason=skip, cursor=context.cursor)
        tags = {**range_tags(today, today + timedelta(days=HORIZON_DAYS), country), TRIGGER_TAG: "bootstrap"}
        return dg.SensorResult(
            run_requests=[dg.RunRequest(run_key=f"bootstrap:{country}:{now.isoformat()}", tags=tags)],
            cursor=now.isoformat(),
        )

    return catalogue_bootstrap_sensor


catalogue_bootstrap_sensors = [build_bootstrap_sensor(country) for country in SITE_COUNTRIES]
