"""Fixtures for the deployment tests: a DAGSTER_HOME holding the shipped dagster.yaml on a fresh Postgres
database, and the instance it describes."""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path

import dagster as dg
import pytest
import yaml

from palimpsest_pipeline.deploy.run_liveness import _Heartbeat
from palimpsest_pipeline.warehouse.config import (
    DAGSTER_DRIVER,
    create_database,
    with_database,
    with_driver,
)
from palimpsest_pipeline_tests.defs.conftest import pipeline_resources
from palimpsest_pipeline_tests.fixtures_pg import TEST_DB_PREFIX, copy_database, drop_database

#: Re-exported: the Dagster layer's resources wired to the test sandbox and a fresh warehouse.
__all__ = ["pipeline_resources"]

STORAGE_URL_VAR = "PALIMPSEST_DAGSTER_STORAGE_URL"
_counter = itertools.count(1)


def shipped_file(name: str) -> Path:
    """A file of palimpsest_pipeline/deploy as installed (what the CLI copies and a deployment mounts)."""
    return Path(str(files("palimpsest_pipeline.deploy").joinpath(name)))


@pytest.fixture(scope="session")
def _dagster_template(pg_server_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database holding Dagster's empty instance schema, created once per session (it takes ~2 s)."""
    name = f"{TEST_DB_PREFIX}{os.getpid()}_dagster_template"
    drop_database(pg_server_url, name)
    create_database(pg_server_url, name)
    home = tmp_path_factory.mktemp("dagster_template")
    url = with_driver(with_database(pg_server_url, name), DAGSTER_DRIVER)
    (home / "dagster.yaml").write_text(yaml.safe_dump({"storage": {"postgres": {"postgres_url": url}}}))
    with dg.DagsterInstance.from_config(str(home)) as instance:
        instance.get_runs()  # the storages create their tables on first use
    try:
        yield name
    finally:
        drop_database(pg_server_url, name)


@pytest.fixture
def dagster_storage_url(pg_server_url: str, _dagster_template: str) -> Iterator[str]:
    """A fresh database for Dagster's instance storage (``postgresql+psycopg2://``), dropped after.

    Copied from the session's template, so each test starts from an empty, ready instance schema. The name
    carries the pytest process id like the warehouse test databases, so an orphan left by a killed run is
    dropped by the next session."""
    name = f"{TEST_DB_PREFIX}{os.getpid()}_dagster_{next(_counter)}"
    copy_database(pg_server_url, name, _dagster_template)
    try:
        yield with_driver(with_database(pg_server_url, name), DAGSTER_DRIVER)
    finally:
        stop_heartbeat()
        drop_database(pg_server_url, name)


def stop_heartbeat() -> None:
    """Stop this process's run heartbeat, if a run started one (the next run starts another): its thread
    keeps the instances of the runs it beats for, and would reach for a storage database that is gone."""
    heartbeat = _Heartbeat._instance
    if heartbeat is not None:
        heartbeat._wake.set()
        heartbeat._thread.join()


@pytest.fixture
def dagster_home(tmp_path: Path, dagster_storage_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A DAGSTER_HOME with the shipped dagster.yaml, its storage variable set in this process."""
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copyfile(shipped_file("dagster.yaml"), home / "dagster.yaml")
    monkeypatch.setenv(STORAGE_URL_VAR, dagster_storage_url)
    return home


@pytest.fixture
def deploy_instance(dagster_home: Path) -> Iterator[dg.DagsterInstance]:
    """The instance the shipped dagster.yaml describes, on its own Postgres database."""
    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        yield instance
