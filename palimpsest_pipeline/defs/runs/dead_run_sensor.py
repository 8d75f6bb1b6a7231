"""The sensor that sweeps dead runs (``deploy/run_liveness.py``) out of the pools, every half minute."""

import dagster as dg

from palimpsest_pipeline.defs.resources import sensor_status
from palimpsest_pipeline.deploy.run_liveness import sweep_dead_runs

SWEEP_INTERVAL_S = 30


@dg.sensor(
    name="dead_run_sensor",
    minimum_interval_seconds=SWEEP_INTERVAL_S,
    default_status=sensor_status(),
    description="Fails runs whose process died without a word (SIGKILL, OOM kill, container stop), so they "
    "stop holding the pools later captures need (deploy/run_liveness.py).",
)
def dead_run_sensor(context: dg.SensorEvaluationContext) -> dg.SkipReason:
    swept = sweep_dead_runs(context.instance)
    for run_id, reason in swept:
        context.log.warning(f"failed dead run {run_id}: {reason}")
    return dg.SkipReason(f"failed {len(swept)} dead run(s)" if swept else "no dead run")
