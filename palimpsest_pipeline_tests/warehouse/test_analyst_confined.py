"""The read-only analyst login reaches the warehouse and nothing else on the server: no ``postgres``, no
``template1``, no temporary table anywhere; the owner's tooling (migrations, databases made from a template)
still works.

Run on the real server the tests use (the embedded one, which the project owns and so confines itself).
Databases of other test processes come and go meanwhile and are left out of the server-wide check.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import psycopg
import pytest
from psycopg import errors, sql
from sqlalchemy.engine import make_url

from palimpsest_pipeline.warehouse.config import (
    create_database,
    database_name,
    libpq_url,
    maintenance_url,
    with_database,
)
from palimpsest_pipeline.warehouse.migrate import READER_ROLE, migrate
from palimpsest_pipeline_tests.fixtures_pg import TEST_DB_PREFIX, copy_database, drop_database

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("PALIMPSEST_TEST_DATABASE_URL")),
    reason="the server-wide confinement is the embedded server's; a server we do not own is its admin's",
)

PERMISSION_DENIED = "permission denied for database"


def _as_reader(url: str, password: str) -> str:
    return make_url(libpq_url(url)).set(username=READER_ROLE, password=password).render_as_string(False)


def _databases(server_url: str) -> list[str]:
    """The server's databases that accept connections, other test processes' left out."""
    mine = f"{TEST_DB_PREFIX}{os.getpid()}_"
    with psycopg.connect(maintenance_url(server_url)) as conn:
        names = [r[0] for r in conn.execute("SELECT datname FROM pg_database WHERE datallowconn")]
    return [n for n in names if not n.startswith(TEST_DB_PREFIX) or n.startswith(mine)]


def _reader_may_hoard(url: str, password: str) -> str | None:
    """Connect as the reader and try a temporary table: None when refused either way or when the database has
    gone since it was listed, else what happened."""
    try:
        conn = psycopg.connect(_as_reader(url, password), autocommit=True, connect_timeout=10)
    except psycopg.OperationalError as err:
        # refused, or dropped since it was listed (gone, or invalid while another process drops it)
        if PERMISSION_DENIED in str(err) or any(
            gone in str(err) for gone in ("does not exist", "cannot connect to invalid database")
        ):
            return None
        raise
    with conn:
        try:
            conn.execute("CREATE TEMP TABLE hoard AS SELECT generate_series(1, 10) AS n")
        except errors.InsufficientPrivilege:
            return None
        return f"created a temporary table in {conn.info.dbname}"


@pytest.fixture
def made_by_hand(pg_server_url: str) -> Iterator[str]:
    """A database created with a plain CREATE DATABASE (an administrator by hand): PUBLIC's defaults."""
    name = f"{TEST_DB_PREFIX}{os.getpid()}_by_hand"
    drop_database(pg_server_url, name)
    with psycopg.connect(maintenance_url(pg_server_url), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield with_database(pg_server_url, name)
    finally:
        drop_database(pg_server_url, name)


def test_the_reader_cannot_connect_to_postgres_or_template1(
    warehouse_url: str, pg_server_url: str, reader_password: str
) -> None:
    migrate(warehouse_url, password=reader_password)  # what every command's preparation does
    for database in ("postgres", "template1"):
        with pytest.raises(psycopg.OperationalError, match=PERMISSION_DENIED):
            psycopg.connect(_as_reader(with_database(pg_server_url, database), reader_password))
    # the owner still connects to both (CREATE DATABASE is issued from postgres)
    for database in ("postgres", "template1"):
        with psycopg.connect(with_database(pg_server_url, database)) as conn:
            assert conn.execute("SELECT current_database()").fetchone() == (database,)


def test_the_reader_creates_a_temporary_table_nowhere_and_still_reads_the_warehouse(
    warehouse_url: str, pg_server_url: str, reader_password: str, made_by_hand: str
) -> None:
    # a database made by hand is open to every login until the next migration confines the server
    assert _reader_may_hoard(made_by_hand, reader_password) is not None
    migrate(warehouse_url, password=reader_password)
    databases = _databases(pg_server_url)
    assert {"postgres", "template1", database_name(warehouse_url), database_name(made_by_hand)} <= set(
        databases
    )
    hoarded = [
        done
        for name in databases
        if (done := _reader_may_hoard(with_database(pg_server_url, name), reader_password)) is not None
    ]
    assert hoarded == []
    with psycopg.connect(_as_reader(warehouse_url, reader_password)) as reader:
        assert reader.execute("SELECT count(*) FROM analytics.matched_events").fetchone() == (0,)
        with pytest.raises(errors.InsufficientPrivilege):
            reader.execute("SELECT count(*) FROM core.events")


def test_a_database_the_project_creates_is_closed_at_once_and_a_copy_keeps_its_templates_grants(
    warehouse_url: str, pg_server_url: str, reader_password: str
) -> None:
    """The owner's tooling: a plain database (Dagster's) is closed from its creation, a warehouse copied
    from a migrated template reads as the template does, and both still serve their owner."""
    plain, copy = f"{TEST_DB_PREFIX}{os.getpid()}_plain", f"{TEST_DB_PREFIX}{os.getpid()}_copy"
    migrate(warehouse_url, password=reader_password)
    template = database_name(warehouse_url)
    try:
        for name in (plain, copy):
            drop_database(pg_server_url, name)
        create_database(pg_server_url, plain)
        with pytest.raises(psycopg.OperationalError, match=PERMISSION_DENIED):
            psycopg.connect(_as_reader(with_database(pg_server_url, plain), reader_password))

        copy_database(pg_server_url, copy, template)
        copy_url = with_database(pg_server_url, copy)
        assert migrate(copy_url, password=reader_password).applied == ()  # the owner migrates it
        with psycopg.connect(_as_reader(copy_url, reader_password), autocommit=True) as reader:
            assert reader.execute("SELECT count(*) FROM analytics.matched_events").fetchone() == (0,)
            with pytest.raises(errors.InsufficientPrivilege):
                reader.execute("CREATE TEMP TABLE hoard AS SELECT 1")
        for name in (plain, copy):
            with psycopg.connect(with_database(pg_server_url, name), autocommit=True) as owner:
                owner.execute("CREATE TEMP TABLE scratch AS SELECT 1")  # the stores' temp tables work
    finally:
        for name in (plain, copy):
            drop_database(pg_server_url, name)


def test_a_database_still_open_to_the_reader_is_named_by_the_migration(
    warehouse_url: str, reader_password: str, made_by_hand: str, caplog: pytest.LogCaptureFixture
) -> None:
    """What an administrator grants the reader by name, no revocation from PUBLIC takes back: the migration
    says so (on a server we do not own, postgres and template1 are reported the same way)."""
    name = database_name(made_by_hand)
    with psycopg.connect(maintenance_url(made_by_hand), autocommit=True) as admin:
        admin.execute(
            sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(
                sql.Identifier(name), sql.Identifier(READER_ROLE)
            )
        )
    with caplog.at_level("WARNING", logger="palimpsest_pipeline.warehouse.migrate"):
        report = migrate(warehouse_url, password=reader_password)
    assert name in report.roles.open_elsewhere
    assert "postgres" not in report.roles.open_elsewhere
    assert any(name in record.getMessage() and "REVOKE" in record.getMessage() for record in caplog.records)
    assert _reader_may_hoard(made_by_hand, reader_password) is not None  # the report is true
