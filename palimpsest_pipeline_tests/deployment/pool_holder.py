"""A run in its own process whose one op declares a pool and holds it until the test releases it: a stand-in
for a capture or catalogue op (same op name, same pool), run in-process on the DAGSTER_HOME instance, so
Dagster's executor claims the pool's slot as it claims the real op's (test_pool_claims.py).

``python pool_holder.py NAME OP POOL FOLDER``: the op writes ``FOLDER/NAME.entered`` once it runs, then waits
for ``FOLDER/NAME.release`` (the test's event); the run is tagged ``palimpsest_test/holder: NAME``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import dagster as dg

HOLDER_TAG = "palimpsest_test/holder"


def holder_job(name: str, op_name: str, pool: str, folder: Path) -> dg.JobDefinition:
    @dg.op(name=op_name, pool=pool)
    def hold() -> None:
        (folder / f"{name}.entered").write_text("entered")
        while not (folder / f"{name}.release").exists():  # the test's event: it creates the file
            time.sleep(0.05)

    @dg.job(name=f"hold_{op_name}", executor_def=dg.in_process_executor)
    def job() -> None:
        hold()

    return job


def main(name: str, op_name: str, pool: str, folder: str) -> None:
    with dg.DagsterInstance.get() as instance:
        result = holder_job(name, op_name, pool, Path(folder)).execute_in_process(
            instance=instance, tags={HOLDER_TAG: name}, raise_on_error=False
        )
    sys.exit(0 if result.success else 1)


if __name__ == "__main__":
    main(*sys.argv[1:5])
