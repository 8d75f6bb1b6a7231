"""The alerts sensor: every 15 seconds, the rules on the freshest tables, then the deliveries due.

A sensor, not a job: an evaluation is a few queries and notifications, and a run every 15 seconds would fill
Dagster's run storage with thousands of runs a day.
"""

from datetime import UTC, datetime

import dagster as dg

from palimpsest_pipeline.alerts.evaluate import evaluate_alerts
from palimpsest_pipeline.defs.resources import AlertsResource, WarehouseResource, sensor_status

ALERT_INTERVAL_S = 15


@dg.sensor(
    name="alerts_sensor",
    minimum_interval_seconds=ALERT_INTERVAL_S,
    default_status=sensor_status(),
    description="Evaluates the traders' alert rules (live gaps, matches to list, prices out of line, stale "
    "feeds, keys drifting) and sends each new alert to PALIMPSEST_ALERT_URLS; every alert is a row of "
    "analytics.alerts.",
)
def alerts_sensor(
    context: dg.SensorEvaluationContext, warehouse: WarehouseResource, alerting: AlertsResource
) -> dg.SkipReason:
    evaluation = evaluate_alerts(
        warehouse.connect, alerting.settings(), alerting.receivers(), now=datetime.now(UTC)
    )
    if evaluation.failed:
        context.log.warning(f"alerts: {evaluation.failed} delivery(ies) failed, retried with backoff")
    return dg.SkipReason(evaluation.describe())
