"""A code location of two jobs whose one step holds until the test releases it: one on the in-process
executor (the step runs in the run worker itself), one on the multi-process executor (the step is a child of
the run worker). Served by a gRPC code server in test_run_worker_liveness.py."""

import os
import time
from pathlib import Path

import dagster as dg

from palimpsest_pipeline.defs.resources import WarehouseResource

#: The folder where a step writes ``<run id>.pid`` (its process id) once running and waits for ``release``.
HOLD_DIR_ENV = "PALIMPSEST_TEST_HOLD_DIR"
DATABASE_ENV = "PALIMPSEST_TEST_HOLD_DATABASE_URL"


@dg.op
def hold(context: dg.OpExecutionContext, warehouse: WarehouseResource) -> None:
    folder = Path(os.environ[HOLD_DIR_ENV])
    with warehouse.connect() as conn:
        conn.execute("SELECT 1")
    (folder / f"{context.run_id}.pid").write_text(str(os.getpid()))
    while not (folder / "release").exists():  # the test's event: it creates the file
        time.sleep(0.1)


_resources = {"warehouse": WarehouseResource(database_url=dg.EnvVar(DATABASE_ENV))}


@dg.job(executor_def=dg.in_process_executor, resource_defs=_resources)
def held_in_worker() -> None:
    hold()


@dg.job(executor_def=dg.multiprocess_executor, resource_defs=_resources)
def held_in_step_child() -> None:
    hold()


defs = dg.Definitions(jobs=[held_in_worker, held_in_step_child])
