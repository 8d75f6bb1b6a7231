"""Restore the warehouse the previous version filled (``make_dump.py`` says how it was made)."""

from __future__ import annotations

import gzip
import itertools
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from palimpsest_pipeline.warehouse.config import (
    WAREHOUSE_DRIVER,
    create_database,
    libpq_url,
    with_database,
    with_driver,
)
from palimpsest_pipeline.warehouse.embedded.binaries import wheel_bin_dir
from palimpsest_pipeline_tests.fixtures_pg import TEST_DB_PREFIX, drop_database

DUMP = Path(__file__).with_name("warehouse_0035.sql.gz")
_counter = itertools.count(1)


def restore_previous_warehouse(url: str) -> None:
    """Load the dump into the empty database ``url`` (psql from the embedded server's binaries) in one
    transaction, stopping at the first error: nothing half-restored is taken for the previous warehouse."""
    psql = [str(wheel_bin_dir() / "psql"), "--quiet", "--no-psqlrc", "-v", "ON_ERROR_STOP=1"]
    subprocess.run(
        [*psql, "--single-transaction", "--dbname", libpq_url(url)],
        input=gzip.decompress(DUMP.read_bytes()),
        check=True,
        capture_output=True,
    )


@contextmanager
def previous_warehouse(server_url: str) -> Iterator[str]:
    """A throw-away database of ``server_url`` holding the previous version's warehouse (not migrated)."""
    name = f"{TEST_DB_PREFIX}{os.getpid()}_previous_{next(_counter)}"
    drop_database(server_url, name)
    create_database(server_url, name)
    try:
        url = with_driver(with_database(server_url, name), WAREHOUSE_DRIVER)
        restore_previous_warehouse(url)
        yield url
    finally:
        drop_database(server_url, name)
