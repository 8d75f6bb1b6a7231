"""The pipeline in a child process of the chaos benchmark (which kills it with SIGKILL): every asset of
Nigeria (not the report) for a kick-off date range, on the DAGSTER_HOME instance, against the sandbox
given."""

from __future__ import annotations

import json
import sys
from datetime import date

import dagster as dg

from palimpsest_pipeline.definitions import ALL_ASSETS
from palimpsest_pipeline.defs.resources import BooksResource, ClockResource, WarehouseResource
from palimpsest_pipeline.partition_keys import partition_key


def main(url: str, base_urls: str, now: str, first: str, last: str) -> None:
    date.fromisoformat(first), date.fromisoformat(last)  # fail early on a bad argument
    with dg.DagsterInstance.get() as instance:
        dg.materialize(
            [asset for asset in ALL_ASSETS if all(key.path[0] == "ng" for key in asset.keys)],
            instance=instance,
            resources={
                "warehouse": WarehouseResource(database_url=url),
                "books": BooksResource(base_urls=json.loads(base_urls)),
                "clock": ClockResource(fixed_utc=now),
            },
            tags={
                "dagster/asset_partition_range_start": partition_key(date.fromisoformat(first)),
                "dagster/asset_partition_range_end": partition_key(date.fromisoformat(last)),
            },
            raise_on_error=False,
        )


if __name__ == "__main__":
    main(*sys.argv[1:6])
