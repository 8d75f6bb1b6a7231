"""Write ``warehouse_0035.sql.gz``: a warehouse filled by the pipeline as it stood before the long tables.

Run once, at the commit before the long tables' migrations (652a8a7), from the repository's root:
``.venv/bin/python -m palimpsest_pipeline_tests.warehouse.previous_version.make_dump``. It runs the whole
pipeline on the sandbox (its clock frozen, ``SIZE`` events per book, two kick-off dates) into a throw-away
database of the embedded server, then dumps that database as plain SQL (no owners, no grants). The migration
tests restore it (``load.py``), migrate it to the head and compare every figure the old tables held.
"""

from __future__ import annotations

import gzip
import os
import subprocess
from datetime import timedelta
from pathlib import Path

from palimpsest_pipeline.settings import load_settings
from palimpsest_pipeline.warehouse.config import embedded_server_home, libpq_url
from palimpsest_pipeline.warehouse.embedded.binaries import wheel_bin_dir
from palimpsest_pipeline.warehouse.embedded.server import ensure_embedded_server
from palimpsest_pipeline.warehouse.migrate import migrate
from palimpsest_pipeline_tests.benchmarks.chaos import NOW, failed_steps, run_pipeline, scratch_database
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_sandbox.config import BookBehaviour, FaultConfig, LatencyConfig, SandboxConfig
from palimpsest_sandbox.server import start_in_thread

DUMP = Path(__file__).with_name("warehouse_0035.sql.gz")
SIZE = int(os.environ.get("PREVIOUS_WAREHOUSE_SIZE", "60"))


def main() -> None:
    server = ensure_embedded_server(embedded_server_home(load_settings().home))
    quiet = BookBehaviour(latency=LatencyConfig(median_ms=0.0, sigma=0.0), faults=FaultConfig())
    config = SandboxConfig(seed=11, size=SIZE, port=0, frozen_at=NOW, books={b: quiet for b in NIGERIA_BOOKS})
    with (
        scratch_database(server, f"palimpsest_previous_{os.getpid()}") as url,
        start_in_thread(config) as sandbox,
    ):
        migrate(url)
        result = run_pipeline(url, sandbox, NOW.date(), NOW.date() + timedelta(days=1))
        if failed := failed_steps(result):
            raise SystemExit(f"the pipeline failed in {failed}: no dump written")
        dumped = subprocess.run(
            [str(wheel_bin_dir() / "pg_dump"), "--no-owner", "--no-privileges", "--dbname", libpq_url(url)],
            check=True,
            capture_output=True,
        ).stdout
    DUMP.write_bytes(gzip.compress(dumped, mtime=0))
    print(f"{DUMP}: {len(dumped)} bytes of SQL, {DUMP.stat().st_size} compressed")


if __name__ == "__main__":
    main()
