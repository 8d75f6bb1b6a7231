"""Migrating a new warehouse writes nothing on standard output: ``palimpsest demo`` and ``dev`` migrate on
their first start, and a migration's stray result rows (yoyo prints any statement's rows) would break their
progress lines."""

from __future__ import annotations

import os

import pytest

from palimpsest_pipeline.warehouse.config import create_database, with_database
from palimpsest_pipeline.warehouse.migrate import migrate
from palimpsest_pipeline_tests.fixtures_pg import drop_database


def test_every_migration_applies_to_a_new_warehouse_without_printing(
    pg_server_url: str, reader_password: str, capfd: pytest.CaptureFixture[str]
) -> None:
    name = f"palimpsest_test_{os.getpid()}_quiet"
    drop_database(pg_server_url, name)
    create_database(pg_server_url, name)
    try:
        capfd.readouterr()
        report = migrate(with_database(pg_server_url, name), password=reader_password)
        printed = capfd.readouterr().out
    finally:
        drop_database(pg_server_url, name)
    assert report.applied, "a new warehouse has every migration to apply"
    assert printed == ""
