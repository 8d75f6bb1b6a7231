"""A capture run in its own process (the test kills it with SIGKILL): Nigeria's odds_snapshots of one kick-off
date on the DAGSTER_HOME instance, against the sandbox and warehouse named on the command line, small
batches."""

from __future__ import annotations

import json
import sys

import dagster as dg

from palimpsest_pipeline.defs.odds.assets import odds_asset
from palimpsest_pipeline.defs.resources import BooksResource, ClockResource, WarehouseResource


def main(warehouse_url: str, base_urls: str, now: str, day: str) -> None:
    resources = {
        "warehouse": WarehouseResource(database_url=warehouse_url),
        "books": BooksResource(base_urls=json.loads(base_urls)),
        "clock": ClockResource(fixed_utc=now),
    }
    with dg.DagsterInstance.get() as instance:
        dg.materialize(
            [odds_asset("ng")],
            instance=instance,
            resources=resources,
            partition_key=day,
            # parse workers even for this small capture: the test watches them die with the run
            run_config={"ops": {"ng__odds_snapshots": {"config": {"batch_events": 4, "parse_workers": 2}}}},
        )


if __name__ == "__main__":
    main(*sys.argv[1:5])
