"""Benchmark: the code location's load against its site countries, each loaded in a fresh interpreter.

Run by hand (not collected by pytest). For ``ng``, ``ng,gh`` and every country of the competitors file, a
child process imports the definitions, resolves the asset graph and serialises the repository snapshot the
webserver and daemon read; it reports the CPU seconds (user + system) of the whole, of the snapshot alone,
the snapshot's size, its peak RSS and what the location defines. ``BENCH_LOCATION_REPEATS`` loads each
(default 2).

The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from palimpsest_pipeline.settings import load_settings

#: Run in the child: everything a code server does before it answers, then what it cost.
_CHILD = """
import json, resource, time
start = time.process_time()
from dagster._core.remote_representation.external_data import RepositorySnap
from dagster._serdes import serialize_value
from palimpsest_pipeline.definitions import defs
repo = defs.get_repository_def()
keys = repo.asset_graph.get_all_asset_keys()
snap_start = time.process_time()
text = serialize_value(RepositorySnap.from_def(repo))
end = time.process_time()
print(json.dumps({
    "assets": len(keys), "jobs": len(repo.job_names), "schedules": len(repo.schedule_defs),
    "sensors": len(repo.sensor_defs), "cpu_s": round(end - start, 2),
    "snapshot_cpu_s": round(end - snap_start, 2),
    "snapshot_mib": round(len(text) / 2**20, 2),
    "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
}))
"""


def load_once(countries: str) -> dict[str, Any]:
    """One fresh load of the location for ``countries``."""
    env = {**os.environ, "PALIMPSEST_COUNTRIES": countries, "PALIMPSEST_AUTOMATION": "stopped"}
    done = subprocess.run(
        [sys.executable, "-c", _CHILD], env=env, capture_output=True, text=True, check=True, timeout=600
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    repeats = int(os.environ.get("BENCH_LOCATION_REPEATS", "2"))
    every = ",".join(sorted(load_settings().competitors().by_country))
    figures: dict[str, list[dict[str, Any]]] = {}
    for label, countries in (("ng", "ng"), ("ng,gh", "ng,gh"), ("all", every)):
        figures[label] = [load_once(countries) for _ in range(repeats)]
        for run in figures[label]:
            print(f"{label:>6}: {json.dumps(run)}")
    print(json.dumps({"countries_all": len(every.split(",")), "loads": figures}))


if __name__ == "__main__":
    main()
