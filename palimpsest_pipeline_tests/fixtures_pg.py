"""Postgres fixtures (owned by the warehouse layer).

- ``pg_server_url`` (session): libpq URL of a server where tests may create databases — an embedded scratch
  server without fsync (``$PALIMPSEST_HOME/pg-tests``, beside the warehouse's ``pg``: the same PostgreSQL,
  minus crash safety nobody needs for throwaway databases) or ``PALIMPSEST_TEST_DATABASE_URL``.
  ``PALIMPSEST_DATABASE_URL`` is deliberately ignored: tests never touch the configured warehouse.
- ``warehouse_url`` (function): ``postgresql+psycopg://`` URL of a FRESH, fully migrated database, dropped
  afterwards. Fast because every pytest process migrates one template database once, then each test gets
  ``CREATE DATABASE ... TEMPLATE``. Names carry the process id, so xdist workers never collide.
- ``warehouse_conn`` (function): an autocommit psycopg connection to ``warehouse_url``.
- ``reader_password`` (session): the ``palimpsest_reader`` login's password on that server.
- ``warehouse_reader_conn`` (function): an autocommit connection to ``warehouse_url`` as the analyst login.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import psycopg
import pytest
from psycopg import sql
from sqlalchemy.engine import make_url

from palimpsest_pipeline.settings import load_settings
from palimpsest_pipeline.warehouse.config import (
    DEFAULT_LOCAL_ANALYST_PASSWORD,
    WAREHOUSE_DRIVER,
    analyst_password,
    create_database,
    libpq_url,
    maintenance_url,
    retry_catalog_update,
    scratch_server_home,
    with_database,
    with_driver,
)
from palimpsest_pipeline.warehouse.embedded.process import process_alive
from palimpsest_pipeline.warehouse.embedded.server import ensure_embedded_server
from palimpsest_pipeline.warehouse.migrate import READER_ROLE, migrate

TEST_DATABASE_URL_VAR = "PALIMPSEST_TEST_DATABASE_URL"
TEST_DB_PREFIX = "palimpsest_test_"

_counter = itertools.count(1)


def drop_database(url: str, name: str) -> None:
    """DROP DATABASE IF EXISTS ``name`` on ``url``'s server, disconnecting its sessions."""
    with psycopg.connect(maintenance_url(url), autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def copy_database(url: str, name: str, template: str) -> None:
    """CREATE DATABASE ``name`` from ``template`` on ``url``'s server, closed to PUBLIC as ``create_database``
    closes a new database, with the template's grants (a copy gets none)."""
    database = sql.Identifier(name)
    with psycopg.connect(maintenance_url(url), autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(database, sql.Identifier(template)))
        grants = conn.execute(
            "SELECT r.rolname, a.privilege_type, a.is_grantable FROM pg_database d"
            " CROSS JOIN LATERAL aclexplode(d.datacl) a JOIN pg_roles r ON r.oid = a.grantee"
            " WHERE d.datname = %s",  # PUBLIC (grantee 0) is no role: its grants stay off
            (template,),
        ).fetchall()
        statements = [sql.SQL("REVOKE CONNECT, TEMPORARY ON DATABASE {} FROM PUBLIC").format(database)]
        statements += [
            sql.SQL("GRANT {} ON DATABASE {} TO {}{}").format(
                sql.SQL(privilege),
                database,
                sql.Identifier(grantee),
                sql.SQL(" WITH GRANT OPTION" if grantable else ""),
            )
            for grantee, privilege, grantable in grants
        ]
        for statement in statements:
            retry_catalog_update(conn, statement)


def _is_embedded() -> bool:
    return not os.environ.get(TEST_DATABASE_URL_VAR)


@pytest.fixture(scope="session")
def pg_server_url() -> str:
    configured = os.environ.get(TEST_DATABASE_URL_VAR)
    if configured:
        return libpq_url(configured)
    url = ensure_embedded_server(scratch_server_home(load_settings().home), scratch=True)
    _drop_orphaned_test_databases(url)
    return url


@pytest.fixture(scope="session")
def reader_password() -> str:
    return analyst_password(os.environ.get("PALIMPSEST_ANALYST_PASSWORD"), embedded=True) or (
        DEFAULT_LOCAL_ANALYST_PASSWORD
    )


@pytest.fixture(scope="session")
def _warehouse_template(pg_server_url: str, reader_password: str) -> Iterator[str]:
    name = f"{TEST_DB_PREFIX}{os.getpid()}_template"
    drop_database(pg_server_url, name)
    create_database(pg_server_url, name)
    try:
        migrate(with_database(pg_server_url, name), password=reader_password)
        yield name
    finally:
        drop_database(pg_server_url, name)


def fresh_warehouse(pg_server_url: str, template: str) -> Iterator[str]:
    """A fresh database copied from ``template`` (``CREATE DATABASE ... TEMPLATE``), dropped afterwards: for
    fixtures that build a warehouse once and hand each test its own copy."""
    name = f"{TEST_DB_PREFIX}{os.getpid()}_{next(_counter)}"
    copy_database(pg_server_url, name, template)
    try:
        yield with_driver(with_database(pg_server_url, name), WAREHOUSE_DRIVER)
    finally:
        drop_database(pg_server_url, name)


@pytest.fixture
def warehouse_url(pg_server_url: str, _warehouse_template: str) -> Iterator[str]:
    yield from fresh_warehouse(pg_server_url, _warehouse_template)


@pytest.fixture(scope="module")
def module_warehouse_url(pg_server_url: str, _warehouse_template: str) -> Iterator[str]:
    """A migrated warehouse the tests of one module share (built once by an expensive setup they all read)."""
    yield from fresh_warehouse(pg_server_url, _warehouse_template)


@pytest.fixture
def warehouse_conn(warehouse_url: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(libpq_url(warehouse_url), autocommit=True) as conn:
        yield conn


@pytest.fixture
def warehouse_reader_conn(warehouse_url: str, reader_password: str) -> Iterator[psycopg.Connection]:
    url = make_url(libpq_url(warehouse_url)).set(username=READER_ROLE, password=reader_password)
    with psycopg.connect(url.render_as_string(hide_password=False), autocommit=True) as conn:
        yield conn


def _drop_orphaned_test_databases(server_url: str) -> None:
    """Drop test databases left by killed pytest processes (their pid is gone) on the embedded server.

    Only for the embedded server: a shared test server may host other machines' runs, whose pids mean nothing
    here.
    """
    if not _is_embedded():
        return
    with psycopg.connect(maintenance_url(server_url), autocommit=True) as conn:
        names = [
            row[0]
            for row in conn.execute(
                "SELECT datname FROM pg_database WHERE starts_with(datname, %s)", (TEST_DB_PREFIX,)
            )
        ]
    for name in names:
        pid_text = name.removeprefix(TEST_DB_PREFIX).split("_", 1)[0]
        if pid_text.isdigit() and not process_alive(int(pid_text)):
            drop_database(server_url, name)
