"""The code location the daemon integration test serves from a gRPC code server.

It is the project's code location (``palimpsest_pipeline.definitions``) with the pipeline clock pinned by
``PALIMPSEST_FIXED_NOW`` (test/replay only), so the sensor, the runs and the frozen test sandbox agree on
"now". Everything else (assets, jobs, sensors, resources from the environment) is the real location.
"""

from __future__ import annotations

import os

from palimpsest_pipeline.definitions import build_definitions
from palimpsest_pipeline.defs.resources import ClockResource, resources_from_env

FIXED_NOW_VAR = "PALIMPSEST_FIXED_NOW"


def _resources() -> dict[str, object]:
    resources = resources_from_env()
    resources["clock"] = ClockResource(fixed_utc=os.environ.get(FIXED_NOW_VAR) or None)
    return resources


defs = build_definitions(_resources())
