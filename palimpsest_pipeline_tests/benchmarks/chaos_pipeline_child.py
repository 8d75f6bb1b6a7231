"""One pipeline run in a child process of the chaos benchmark (chaos_memory.py measures its memory): every
asset of Nigeria (not the report) for a kick-off date range, live or from the archive, on an ephemeral
instance. Prints one JSON line: the failed steps, the run's success, and each book's catalogue events
metadata."""

from __future__ import annotations

import json
import sys
from datetime import date

import dagster as dg

from palimpsest_pipeline.definitions import ALL_ASSETS
from palimpsest_pipeline.defs.catalogue.archive_source import archive_run_config
from palimpsest_pipeline.defs.resources import BooksResource, ClockResource, WarehouseResource
from palimpsest_pipeline.partition_keys import partition_key
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS


def main(url: str, base_urls: str, now: str, first: str, last: str, mode: str) -> None:
    result = dg.materialize(
        [asset for asset in ALL_ASSETS if all(key.path[0] == "ng" for key in asset.keys)],
        resources={
            "warehouse": WarehouseResource(database_url=url),
            "books": BooksResource(base_urls=json.loads(base_urls)),
            "clock": ClockResource(fixed_utc=now),
        },
        tags={
            "dagster/asset_partition_range_start": partition_key(date.fromisoformat(first)),
            "dagster/asset_partition_range_end": partition_key(date.fromisoformat(last)),
        },
        run_config=archive_run_config(countries=("ng",)) if mode == "archive" else None,
        raise_on_error=False,
    )
    catalogue: dict[str, dict[str, int]] = {}
    for book in NIGERIA_BOOKS:
        events = dg.AssetKey(["ng", book.value, "events"])
        for materialization in result.asset_materializations_for_node(f"ng__{book.value}_catalogue"):
            if materialization.asset_key == events:
                catalogue[book.value] = {
                    key: int(value.value)
                    for key, value in materialization.metadata.items()
                    if isinstance(value.value, int) and not isinstance(value.value, bool)
                }
    failed = sorted({event.step_key or "?" for event in result.all_events if event.is_step_failure})
    print(json.dumps({"failed_steps": failed, "success": result.success, "catalogue_metadata": catalogue}))


if __name__ == "__main__":
    main(*sys.argv[1:7])
