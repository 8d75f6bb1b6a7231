"""A chain of steps that each use the warehouse, for running under Dagster's multi-process executor: each step
is a child process that ends with its step, while the run itself lives on (the sweep must see that)."""

from __future__ import annotations

import dagster as dg

from palimpsest_pipeline.defs.resources import WarehouseResource

#: The warehouse the steps touch, set by the test before the run starts (the step processes inherit it).
DATABASE_ENV = "PALIMPSEST_TEST_MULTISTEP_DATABASE_URL"


@dg.op
def touch_warehouse(warehouse: WarehouseResource, previous: int) -> int:
    with warehouse.connect() as conn:
        conn.execute("SELECT 1")
    return previous + 1


@dg.op
def first_step(warehouse: WarehouseResource) -> int:
    with warehouse.connect() as conn:
        conn.execute("SELECT 1")
    return 1


def chain(steps: int) -> dg.JobDefinition:
    @dg.job(
        name=f"chain_of_{steps}",
        executor_def=dg.multiprocess_executor.configured({"max_concurrent": 1}),
        resource_defs={"warehouse": WarehouseResource(database_url=dg.EnvVar(DATABASE_ENV))},
    )
    def job() -> None:
        value = first_step()
        for n in range(steps - 1):
            value = touch_warehouse.alias(f"step_{n + 2}")(value)

    return job


def chain_of_4() -> dg.JobDefinition:
    return chain(4)


def chain_of_20() -> dg.JobDefinition:
    return chain(20)
