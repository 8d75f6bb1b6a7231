"""A run that will be killed: materializes one asset in Nigeria's capture pool on the DAGSTER_HOME instance
(Dagster's executor claims its slot as the op starts), writes ``argv[1]`` once it is running, then waits to
be killed (SIGKILL from the test)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import dagster as dg

from palimpsest_pipeline.defs.resources import WarehouseResource


@dg.asset(pool="odds_capture_ng")
def doomed(warehouse: WarehouseResource) -> None:
    Path(sys.argv[1]).write_text("running")
    time.sleep(600)


if __name__ == "__main__":
    with dg.DagsterInstance.get() as instance:
        dg.materialize(
            [doomed], instance=instance, resources={"warehouse": WarehouseResource(database_url=sys.argv[2])}
        )
