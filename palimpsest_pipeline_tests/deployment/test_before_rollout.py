"""The hook Job's deploy step (deploy/before_rollout.py) on real Postgres: an empty warehouse is migrated and
every pool of the configured countries gets its limit; a second run changes nothing and keeps an operator's
limit; a missing database URL stops it, naming the variable."""

from __future__ import annotations

import os
from collections.abc import Iterator

import dagster as dg
import psycopg
import pytest
import yaml

from palimpsest_pipeline.deploy.before_rollout import main
from palimpsest_pipeline.warehouse.config import create_database, libpq_url, with_database
from palimpsest_pipeline_tests.fixtures_pg import TEST_DB_PREFIX, drop_database

#: Ghana's scraped books and Nigeria's (docs/adding-a-country.md), each edition one catalogue pool.
EXPECTED_POOLS = {
    *(f"book_{book}_ng" for book in ("betpawa", "sportybet", "bet9ja", "msport", "betway")),
    *(f"book_{book}_gh" for book in ("betpawa", "sportybet", "msport", "betway", "betika")),
    "odds_capture_ng",
    "odds_capture_gh",
    "capture_worker_ng",
    "capture_worker_gh",
}


@pytest.fixture
def empty_warehouse_url(pg_server_url: str) -> Iterator[str]:
    name = f"{TEST_DB_PREFIX}{os.getpid()}_before_rollout"
    drop_database(pg_server_url, name)
    create_database(pg_server_url, name)
    try:
        yield with_database(pg_server_url, name)
    finally:
        drop_database(pg_server_url, name)


def limits(storage_url: str, tmp_path: os.PathLike[str]) -> dict[str, int | None]:
    home = os.path.join(tmp_path, "read_home")
    os.makedirs(home, exist_ok=True)
    with open(os.path.join(home, "dagster.yaml"), "w") as handle:
        yaml.safe_dump({"storage": {"postgres": {"postgres_url": storage_url}}}, handle)
    with dg.DagsterInstance.from_config(home) as instance:
        return {p.name: p.limit for p in instance.event_log_storage.get_pool_limits()}


def test_migrates_and_writes_every_pool_then_keeps_an_operators_limit(
    empty_warehouse_url: str,
    dagster_storage_url: str,
    reader_password: str,
    tmp_path: os.PathLike[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The process environment, as the hook Job's pod has it (the instance's dagster.yaml reads it too).
    for name, value in {
        "PALIMPSEST_DATABASE_URL": empty_warehouse_url,
        "PALIMPSEST_DAGSTER_STORAGE_URL": dagster_storage_url,
        "PALIMPSEST_ANALYST_PASSWORD": reader_password,
        "PALIMPSEST_COUNTRIES": "ng,gh",
    }.items():
        monkeypatch.setenv(name, value)
    assert main() == 0
    with psycopg.connect(libpq_url(empty_warehouse_url)) as conn:
        assert conn.execute("SELECT to_regclass('analytics.events') IS NOT NULL").fetchone() == (True,)
    assert limits(dagster_storage_url, tmp_path) == dict.fromkeys(EXPECTED_POOLS, 1)

    home = os.path.join(tmp_path, "read_home")
    with dg.DagsterInstance.from_config(home) as instance:  # `dagster instance concurrency set ... 3`
        instance.event_log_storage.set_concurrency_slots("odds_capture_gh", 3)
    capsys.readouterr()
    assert main() == 0
    assert "pool limits written: none" in capsys.readouterr().out
    assert limits(dagster_storage_url, tmp_path)["odds_capture_gh"] == 3


@pytest.mark.parametrize("absent", ["PALIMPSEST_DATABASE_URL", "PALIMPSEST_DAGSTER_STORAGE_URL"])
def test_a_missing_database_url_stops_it_naming_the_variable(
    absent: str, capsys: pytest.CaptureFixture[str]
) -> None:
    env = {
        "PALIMPSEST_DATABASE_URL": "postgresql://nowhere/w",
        "PALIMPSEST_DAGSTER_STORAGE_URL": "postgresql://nowhere/d",
    }
    del env[absent]
    assert main(env) == 2
    assert absent in capsys.readouterr().err


def test_a_bad_setting_stops_it_naming_the_variable_and_no_password(
    capsys: pytest.CaptureFixture[str],
) -> None:
    env = {
        "PALIMPSEST_DATABASE_URL": "postgresql://owner:s3cret@nowhere/w",
        "PALIMPSEST_DAGSTER_STORAGE_URL": "postgresql://nowhere/d",
        "PALIMPSEST_CATALOGUE_CRON": "every now and then",
    }
    assert main(env) == 2
    err = capsys.readouterr().err
    assert "PALIMPSEST_CATALOGUE_CRON" in err and "s3cret" not in err
