"""Where the warehouse and Dagster's instance storage live, as URLs: the user's server
(``PALIMPSEST_DATABASE_URL``, ``PALIMPSEST_DAGSTER_STORAGE_URL``), else the embedded one. Dagster's URL says
``postgresql+psycopg2`` (dagster-postgres talks psycopg2); ``libpq_url`` strips the driver."""

from __future__ import annotations

import random
import time
from pathlib import Path

import psycopg
from psycopg import errors, sql
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from palimpsest_pipeline.warehouse.embedded.server import ensure_embedded_server

DATABASE_URL_VAR = "PALIMPSEST_DATABASE_URL"
DAGSTER_STORAGE_URL_VAR = "PALIMPSEST_DAGSTER_STORAGE_URL"

EMBEDDED_WAREHOUSE_DB = "palimpsest"
DAGSTER_DB_SUFFIX = "_dagster"
#: Password of the palimpsest_reader login on the embedded server only (it listens on 127.0.0.1).
DEFAULT_LOCAL_ANALYST_PASSWORD = "palimpsest-reader-local"

WAREHOUSE_DRIVER = "postgresql+psycopg"
DAGSTER_DRIVER = "postgresql+psycopg2"
_POSTGRES_SCHEMES = {"postgres", "postgresql", WAREHOUSE_DRIVER, DAGSTER_DRIVER, "postgresql+psycopg3"}


class DatabaseConfigError(ValueError):
    """A database URL or setting is unusable; the message names the variable and what is wrong."""


def palimpsest_home(configured: Path | None = None) -> Path:
    """The project-local state folder: the configured one (``PALIMPSEST_HOME``) or ``<repo>/.palimpsest``."""
    if configured is not None:
        return configured.expanduser().resolve()
    return Path(__file__).resolve().parents[2] / ".palimpsest"


def embedded_server_home(home: Path | None = None) -> Path:
    """The embedded server's folder (``<home>/pg``)."""
    return palimpsest_home(home) / "pg"


def scratch_server_home(home: Path | None = None) -> Path:
    """The test suite's scratch server's folder (``<home>/pg-tests``): a cluster without fsync."""
    return palimpsest_home(home) / "pg-tests"


def parse_postgres_url(url: str, *, source: str = "URL") -> URL:
    """Parse a Postgres URL, saying which setting was wrong when it is not one."""
    try:
        parsed = make_url(url)
    except ArgumentError as err:
        raise DatabaseConfigError(f"{source} is not a database URL: {redacted_url(url)!r} ({err})") from None
    if parsed.drivername not in _POSTGRES_SCHEMES:
        raise DatabaseConfigError(
            f"{source} must be a PostgreSQL URL (postgresql://...), got scheme {parsed.drivername!r}"
        )
    return parsed


def with_driver(url: str, driver: str) -> str:
    """``url`` with its scheme replaced by ``driver`` (e.g. ``postgresql+psycopg``)."""
    return parse_postgres_url(url).set(drivername=driver).render_as_string(hide_password=False)


def with_database(url: str, database: str) -> str:
    """``url`` pointing at another database of the same server, same credentials."""
    return parse_postgres_url(url).set(database=database).render_as_string(hide_password=False)


def database_name(url: str) -> str:
    """The database a URL names."""
    name = parse_postgres_url(url).database
    if not name:
        raise DatabaseConfigError(f"URL {redacted_url(url)!r} names no database (expected .../<database>)")
    return name


def libpq_url(url: str) -> str:
    """A plain ``postgresql://`` URL for psql and ``psycopg.connect`` (no SQLAlchemy driver suffix)."""
    return with_driver(url, "postgresql")


def warehouse_url(configured: str | None, home: Path | None = None) -> str:
    """Warehouse as ``postgresql+psycopg://...``: the configured URL, else the embedded server's (started)."""
    if configured:
        _require_database(configured, DATABASE_URL_VAR)
        return with_driver(configured, WAREHOUSE_DRIVER)
    server = ensure_embedded_server(embedded_server_home(home))
    return with_driver(with_database(server, EMBEDDED_WAREHOUSE_DB), WAREHOUSE_DRIVER)


def dagster_storage_url(configured: str | None, warehouse: str) -> str:
    """Dagster's instance-storage database as ``postgresql+psycopg2://...`` (separate from the warehouse):
    the configured URL, else ``<warehouse db>_dagster`` on the warehouse's server."""
    if configured:
        _require_database(configured, DAGSTER_STORAGE_URL_VAR)
        return with_driver(configured, DAGSTER_DRIVER)
    return with_driver(with_database(warehouse, database_name(warehouse) + DAGSTER_DB_SUFFIX), DAGSTER_DRIVER)


def _require_database(url: str, source: str) -> None:
    if not parse_postgres_url(url, source=source).database:
        raise DatabaseConfigError(
            f"{source} names no database: expected postgresql://user:pass@host:port/<db>"
        )


def analyst_password(configured: str | None, *, embedded: bool) -> str | None:
    """The palimpsest_reader password: the configured one, else the local default (embedded server only)."""
    if configured:
        return configured
    return DEFAULT_LOCAL_ANALYST_PASSWORD if embedded else None


def ensure_databases(*urls: str) -> None:
    """Create the databases these URLs name when missing (connecting first needs only CONNECT)."""
    for url in urls:
        name = database_name(url)
        try:
            with psycopg.connect(libpq_url(url), connect_timeout=10):
                continue
        except psycopg.OperationalError as err:
            if not _database_missing(err, name):
                raise
        create_database(url, name)


def create_database(url: str, name: str) -> None:
    """CREATE DATABASE ``name`` on ``url``'s server, taking from PUBLIC the CONNECT and TEMPORARY it grants
    by default (nothing when it exists already)."""
    database = sql.Identifier(name)
    with psycopg.connect(maintenance_url(url), autocommit=True, connect_timeout=10) as conn:
        try:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(database))
        except errors.DuplicateDatabase:
            return  # created meanwhile by a concurrent caller: that is what we wanted
        except errors.InsufficientPrivilege as err:
            raise DatabaseConfigError(
                f"database {name!r} does not exist and {parse_postgres_url(url).username!r} may not create"
                f" it ({err.diag.message_primary}); ask an administrator to run CREATE DATABASE {name}"
            ) from err
        retry_catalog_update(
            conn, sql.SQL("REVOKE CONNECT, TEMPORARY ON DATABASE {} FROM PUBLIC").format(database)
        )


def retry_catalog_update(conn: psycopg.Connection, statement: sql.Composed) -> None:
    """Run a GRANT/REVOKE on a database, retried when a concurrent one updated the same row."""
    for attempt in range(6):
        try:
            conn.execute(statement)
            return
        except errors.InternalError_:
            if attempt == 5:
                raise
            time.sleep(random.uniform(0.05, 0.2))


def maintenance_url(url: str) -> str:
    """libpq URL of the server's ``postgres`` database, where CREATE/DROP DATABASE are issued."""
    return libpq_url(with_database(url, "postgres"))


def _database_missing(err: psycopg.OperationalError, name: str) -> bool:
    # libpq reports a missing database as a connection failure whose message names it.
    return getattr(err, "sqlstate", None) == "3D000" or f'database "{name}" does not exist' in str(err)


def redacted_url(url: str) -> str:
    """``url`` with its password masked, for anything printed or logged."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable>"
