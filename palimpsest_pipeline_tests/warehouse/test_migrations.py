"""Migrations: idempotent, safe when two processes run them at once, documented for analysts."""

from __future__ import annotations

import multiprocessing

import psycopg
import pytest
from sqlalchemy.engine import make_url

from palimpsest_pipeline.warehouse.config import (
    create_database,
    libpq_url,
    with_database,
)
from palimpsest_pipeline.warehouse.migrate import migrate
from palimpsest_pipeline.warehouse.schema_migrations import MIGRATIONS_DIR, apply_migrations
from palimpsest_pipeline_tests.fixtures_pg import drop_database

EXPECTED_ANALYTICS = {
    "matched_events",
    "coverage_overall",
    "coverage_by_country",
    "coverage_by_tournament",
    "events",
    "tournaments",
    "scrape_runs",
    "odds_comparison",
    "market_margins",
    "market_availability",
    "odds_current",
    "odds_history",
    "odds_captures",
    "unmapped_markets",
}
ALL_MIGRATIONS = sorted(path.stem for path in MIGRATIONS_DIR.glob("*.sql"))


def _schema_fingerprint(url: str) -> list[tuple[object, ...]]:
    with psycopg.connect(libpq_url(url)) as conn:
        return conn.execute(
            """
            SELECT table_schema, table_name, column_name, data_type, is_nullable, column_default
            FROM information_schema.columns
            WHERE table_schema IN ('core', 'analytics')
            ORDER BY 1, 2, 3
            """
        ).fetchall()


def test_fresh_database_is_fully_migrated(warehouse_url: str) -> None:
    assert apply_migrations(warehouse_url, MIGRATIONS_DIR) == ()
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        names = {
            row[0]
            for row in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'analytics'"
            )
        }
    assert names >= EXPECTED_ANALYTICS, f"missing {EXPECTED_ANALYTICS - names}"
    assert "coverage_by_sport" not in names  # a wide view no analyst query read (0050)


def test_migrating_twice_changes_nothing(warehouse_url: str, reader_password: str) -> None:
    before = _schema_fingerprint(warehouse_url)
    report = migrate(warehouse_url, password=reader_password)
    assert report.applied == ()
    assert report.roles.ok, report.roles.notes
    assert _schema_fingerprint(warehouse_url) == before


def _migrate_in_child(url: str, password: str, results: multiprocessing.Queue) -> None:
    try:
        results.put(("ok", migrate(url, password=password).applied))
    except Exception as err:  # reported to the parent, which fails the test
        results.put(("error", repr(err)))


def test_concurrent_migrations_apply_each_migration_once(pg_server_url: str, reader_password: str) -> None:
    name = f"palimpsest_test_{multiprocessing.current_process().pid}_concurrent"
    drop_database(pg_server_url, name)
    create_database(pg_server_url, name)
    url = with_database(pg_server_url, name)
    try:
        ctx = multiprocessing.get_context("spawn")
        results = ctx.Queue()
        children = [
            ctx.Process(target=_migrate_in_child, args=(url, reader_password, results)) for _ in range(3)
        ]
        for child in children:
            child.start()
        outcomes = [results.get(timeout=120) for _ in children]
        for child in children:
            child.join(timeout=60)
        errors = [detail for kind, detail in outcomes if kind == "error"]
        assert errors == []
        applied = sorted(m for _, ids in outcomes for m in ids)
        # Exactly one process applied everything; the others found nothing pending.
        assert applied == ALL_MIGRATIONS
    finally:
        drop_database(pg_server_url, name)


@pytest.mark.usefixtures("_warehouse_template")  # its migration created the cluster-wide roles
def test_non_superuser_migrates_and_role_problems_are_reported(
    pg_server_url: str, reader_password: str
) -> None:
    """We may own our database without CREATEROLE on a user's server: schema applied, roles only reported."""
    suffix = multiprocessing.current_process().pid
    owner, database = f"palimpsest_test_owner_{suffix}", f"palimpsest_test_{suffix}_owned"
    admin = psycopg.connect(pg_server_url, autocommit=True)
    try:
        admin.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        admin.execute(f"DROP ROLE IF EXISTS {owner}")
        admin.execute(f"CREATE ROLE {owner} LOGIN CREATEDB PASSWORD 'owner-pw'")
        admin.execute(f"CREATE DATABASE {database} OWNER {owner}")
        url = make_url(with_database(pg_server_url, database)).set(username=owner, password="owner-pw")
        report = migrate(url.render_as_string(hide_password=False), password=reader_password)
        assert sorted(report.applied) == ALL_MIGRATIONS
        assert not report.roles.ok
        assert any("insufficient privilege" in note for note in report.roles.notes), report.roles.notes
        with psycopg.connect(with_database(pg_server_url, database)) as conn:
            granted = conn.execute(
                "SELECT has_table_privilege('palimpsest_analyst', 'analytics.matched_events', 'SELECT'),"
                " has_schema_privilege('palimpsest_analyst', 'core', 'USAGE')"
            ).fetchone()
        assert granted == (True, False)
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        admin.execute(f"DROP ROLE IF EXISTS {owner}")
        admin.close()
