"""The alerts sensor: every 15 seconds, the rules on the freshest tables, then the deliveries due (a sensor,
not a job: a run every 15 seconds would fill Dagster's run storage)."""

from datetime import UTC, datetime

import dagster as dg

from palimpsest_pipeline.alerts.deliver import receivers_from
from palimpsest_pipeline.alerts.evaluate import evaluate_alerts
from palimpsest_pipeline.defs.resources import AlertsResource, WarehouseResource, sensor_status
from palimpsest_pipeline.settings import load_settings


@dg.sensor(
    name="alerts_sensor",
    minimum_interval_seconds=15,
    default_status=sensor_status(),
    description="Evaluates the traders' alert rules (live gaps, matches to list, prices out of line, stale "
    "feeds, keys drifting) and sends each new alert to PALIMPSEST_ALERT_URLS; every alert is a row of "
    "analytics.alerts.",
)
def alerts_sensor(
    context: dg.SensorEvaluationContext, warehouse: WarehouseResource, alerting: AlertsResource
) -> dg.SkipReason:
    thresholds, receivers = load_settings().alert_settings(), receivers_from(alerting.urls)
    evaluation = evaluate_alerts(warehouse.connect, thresholds, receivers, now=datetime.now(UTC))
    if evaluation.failed:
        context.log.warning(f"alerts: {evaluation.failed} delivery(ies) failed, retried with backoff")
    return dg.SkipReason(evaluation.describe())
