"""The code location the daemon integration test serves from a gRPC code server.

It is the project's code location (``palimpsest_pipeline.defs.definitions``) with two differences that last
only until the lead wires them into the real one:

- the pipeline clock is pinned by ``PALIMPSEST_FIXED_NOW`` (test/replay only), so the sensor, the runs and
  the frozen test sandbox agree on "now";
- the kick-off-window sensor and the run-failure sensor are added when the location does not have them yet.

Everything else (assets, jobs, resources from the environment) is the real location, unchanged.
"""

from __future__ import annotations

import os

import dagster as dg

from palimpsest_pipeline.defs.automation import AUTOMATION_JOBS, AUTOMATION_SENSORS
from palimpsest_pipeline.defs.definitions import build_definitions
from palimpsest_pipeline.defs.resources import ClockResource, resources_from_env
from palimpsest_pipeline.defs.runs.observability import record_run_failures

FIXED_NOW_VAR = "PALIMPSEST_FIXED_NOW"


def _resources() -> dict[str, object]:
    resources = resources_from_env()
    resources["clock"] = ClockResource(fixed_utc=os.environ.get(FIXED_NOW_VAR) or None)
    return resources


def _build() -> dg.Definitions:
    base = build_definitions(_resources())
    repository = base.get_repository_def()
    have_sensors = {sensor.name for sensor in repository.sensor_defs}
    have_jobs = {job.name for job in repository.get_all_jobs()}
    sensors = [s for s in [*AUTOMATION_SENSORS, record_run_failures] if s.name not in have_sensors]
    jobs = [j for j in AUTOMATION_JOBS if j.name not in have_jobs]
    return dg.Definitions.merge(base, dg.Definitions(sensors=sensors, jobs=jobs))


defs = _build()
