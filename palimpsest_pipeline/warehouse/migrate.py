"""Schema migrations (``schema_migrations``) under an advisory lock, then the analysts' roles and grants,
idempotently (a missing CREATEROLE privilege is reported in ``RoleSetup``, never fatal)."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import errors, sql
from sqlalchemy.engine import make_url

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.warehouse.config import analyst_password, libpq_url
from palimpsest_pipeline.warehouse.embedded.server import CLUSTER_NAME
from palimpsest_pipeline.warehouse.schema_migrations import (
    MIGRATIONS_DIR,
    YOYO_SCHEMA,
    MigrationError,
    apply_migrations,
)

log = logging.getLogger(__name__)

ANALYST_ROLE = "palimpsest_analyst"
READER_ROLE = "palimpsest_reader"
#: Key of the session advisory lock serialising migrations of one database ("palimpsest" in ASCII).
MIGRATION_LOCK_KEY = 0x70616C696D707365


@dataclass(frozen=True)
class RoleSetup:
    """Outcome of the analyst-role step: ``ok`` False means analysts cannot log in yet (``notes`` say why);
    ``open_elsewhere``: other databases where the reader login may still connect and create temp tables."""

    ok: bool
    notes: tuple[str, ...] = ()
    open_elsewhere: tuple[str, ...] = ()


@dataclass(frozen=True)
class MigrationReport:
    applied: tuple[str, ...]
    roles: RoleSetup


def migrate(
    url: str,
    *,
    password: str | None = None,
    migrations_dir: Path = MIGRATIONS_DIR,
) -> MigrationReport:
    """Apply pending migrations to the database ``url`` names, then set up the analyst roles and grants;
    ``password`` (else the local default, embedded server only) becomes the reader login's."""
    if not migrations_dir.is_dir():
        raise MigrationError(
            f"migrations folder {migrations_dir} does not exist (is this a source checkout?)"
        )
    with psycopg.connect(libpq_url(url), autocommit=True, connect_timeout=10) as conn:
        conn.execute("SET lock_timeout = '300s'")
        conn.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK_KEY,))
        try:
            conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(YOYO_SCHEMA)))
            applied = apply_migrations(url, migrations_dir)
            _register_books(conn)
            roles = setup_analyst_access(
                conn, analyst_password(password, embedded=_is_embedded_cluster(conn))
            )
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK_KEY,))
    for note in roles.notes:
        log.warning("analyst access: %s", note)
    if roles.open_elsewhere:
        log.warning(
            "analyst access: %s may connect to and create temporary tables in %s: an administrator should "
            "REVOKE CONNECT, TEMPORARY ON DATABASE <each> FROM PUBLIC (docs/operations.md)",
            READER_ROLE,
            ", ".join(roles.open_elsewhere),
        )
    return MigrationReport(applied=applied, roles=roles)


def _register_books(conn: psycopg.Connection) -> None:
    """Every book of ``records.Book`` in ``core.books`` (a new book needs no migration); only the missing are
    inserted, so a book's history code is drawn once."""
    (exists,) = conn.execute("SELECT to_regclass('core.books') IS NOT NULL").fetchone() or (False,)
    if exists:
        conn.execute(
            "INSERT INTO core.books (book) SELECT b FROM unnest(%s::text[]) WITH ORDINALITY AS n (b, place)"
            " WHERE NOT EXISTS (SELECT 1 FROM core.books AS k WHERE k.book = n.b) ORDER BY place"
            " ON CONFLICT DO NOTHING",
            ([book.value for book in Book],),
        )


def _is_embedded_cluster(conn: psycopg.Connection) -> bool:
    row = conn.execute("SELECT current_setting('cluster_name')").fetchone()
    return row is not None and row[0] == CLUSTER_NAME


# ------------------------------------------------------------------------------------------- analyst roles


def setup_analyst_access(conn: psycopg.Connection, password: str | None) -> RoleSetup:
    """Create the analyst roles (if we may): ``palimpsest_analyst`` (NOLOGIN) reads schema ``analytics`` only;
    ``palimpsest_reader`` (LOGIN, skipped without ``password``) is a member. ``conn`` is autocommit."""
    notes: list[str] = []
    if _is_embedded_cluster(conn) and _is_superuser(conn):
        _attempt(conn, notes, "confine logins to the databases granted to them", _revoke_public_everywhere)
    _attempt(conn, notes, "create role palimpsest_analyst", _create_group_role)
    if password is None:
        notes.append(
            f"{READER_ROLE} login not set up: set PALIMPSEST_ANALYST_PASSWORD (no default password is used "
            "outside the embedded server)"
        )
    else:
        _attempt(conn, notes, "create login palimpsest_reader", lambda c: _create_reader(c, password))
    if not _role_exists(conn, ANALYST_ROLE):
        return RoleSetup(ok=False, notes=(*notes, "no analyst role: grants skipped"))
    _attempt(conn, notes, "grant analytics to palimpsest_analyst", _grant_analytics)
    if password is not None and _role_exists(conn, READER_ROLE):
        _attempt(
            conn,
            notes,
            "grant palimpsest_analyst to palimpsest_reader",
            lambda c: c.execute(
                sql.SQL("GRANT {} TO {}").format(sql.Identifier(ANALYST_ROLE), sql.Identifier(READER_ROLE))
            ),
        )
    return RoleSetup(ok=not notes, notes=tuple(notes), open_elsewhere=_open_to_reader_elsewhere(conn))


def _attempt(
    conn: psycopg.Connection, notes: list[str], what: str, step: Callable[[psycopg.Connection], object]
) -> None:
    """Run one role step in its own transaction; a missing privilege becomes a note, a collision with
    another database migrating at once (roles live in shared catalogs) is retried."""
    for attempt in range(6):
        try:
            with conn.transaction():
                step(conn)
            return
        except errors.InsufficientPrivilege as err:
            notes.append(f"{what}: insufficient privilege ({err.diag.message_primary})")
            return
        except (errors.InternalError_, errors.UniqueViolation, errors.DuplicateObject) as err:
            if attempt == 5:
                raise MigrationError(f"{what} failed repeatedly: {err}") from err
            time.sleep(random.uniform(0.05, 0.2))


def _is_superuser(conn: psycopg.Connection) -> bool:
    return conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone() == (True,)


def _revoke_public_everywhere(conn: psycopg.Connection) -> None:
    """REVOKE CONNECT, TEMPORARY FROM PUBLIC on every database of the server that accepts connections (else
    the read-only login could fill the disk with temporary tables in ``postgres``)."""
    conn.execute(
        """
        DO $$
        DECLARE
            db name;
        BEGIN
            FOR db IN SELECT datname FROM pg_database WHERE datallowconn LOOP
                BEGIN
                    EXECUTE format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', db);
                EXCEPTION WHEN invalid_catalog_name THEN
                    NULL;  -- dropped since the loop read it
                END;
            END LOOP;
        END
        $$
        """
    )


def _open_to_reader_elsewhere(conn: psycopg.Connection) -> tuple[str, ...]:
    """The server's other databases where the reader login may connect and create temporary tables."""
    if not _role_exists(conn, READER_ROLE):
        return ()
    rows = conn.execute(
        "SELECT datname FROM pg_database WHERE datallowconn AND datname <> current_database()"
        " AND has_database_privilege(%s, oid, 'CONNECT') AND has_database_privilege(%s, oid, 'TEMPORARY')"
        " ORDER BY datname",
        (READER_ROLE, READER_ROLE),
    ).fetchall()
    return tuple(row[0] for row in rows)


def _role_exists(conn: psycopg.Connection, role: str) -> bool:
    return conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone() is not None


def _create_role(conn: psycopg.Connection, role: str, login: str) -> None:
    """Create ``role`` (``login``: LOGIN or NOLOGIN) unless it exists; a concurrent migration's is fine."""
    conn.execute(
        sql.SQL(
            """
            DO $$
            BEGIN
                IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {name}) THEN
                    CREATE ROLE {role} {login};
                END IF;
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;
            END
            $$
            """
        ).format(name=sql.Literal(role), role=sql.Identifier(role), login=sql.SQL(login))
    )


def _create_group_role(conn: psycopg.Connection) -> None:
    _create_role(conn, ANALYST_ROLE, "NOLOGIN")
    conn.execute(
        sql.SQL("COMMENT ON ROLE {} IS {}").format(
            sql.Identifier(ANALYST_ROLE),
            sql.Literal("Palimpsest analysts: read-only access to schema analytics, nothing else."),
        )
    )


def _create_reader(conn: psycopg.Connection, password: str) -> None:
    """The reader login; its password is scram-hashed client-side: the clear text never reaches the server."""
    _create_role(conn, READER_ROLE, "LOGIN")
    hashed = conn.pgconn.encrypt_password(password.encode(), READER_ROLE.encode(), b"scram-sha-256").decode()
    reader = sql.Identifier(READER_ROLE)
    conn.execute(
        sql.SQL(
            "ALTER ROLE {} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE CONNECTION LIMIT 10 PASSWORD {}"
        ).format(reader, sql.Literal(hashed))
    )
    # its runaway query or open transaction must not hold the pipeline's locks
    settings = [("statement_timeout", "120s"), ("idle_in_transaction_session_timeout", "300s")]
    # what one session may spill to disk (sorts, hashes; it may create no temp table at all), a
    # superuser-only setting: on a server where we are no superuser, its operator sets it
    if _is_superuser(conn):
        settings.append(("temp_file_limit", "1GB"))
    for setting, value in settings:
        conn.execute(
            sql.SQL("ALTER ROLE {} SET {} = {}").format(reader, sql.Identifier(setting), sql.Literal(value))
        )


def restrict_connect(url: str) -> None:
    """Let only ``url``'s own login connect to its database (Dagster's run storage, which analysts must not
    reach); a warning instead of failing when we lack the privilege."""
    parsed = make_url(libpq_url(url))
    database, user = sql.Identifier(parsed.database or ""), sql.Identifier(parsed.username or "")
    try:
        with psycopg.connect(libpq_url(url), autocommit=True, connect_timeout=10) as conn, conn.transaction():
            conn.execute(sql.SQL("REVOKE CONNECT ON DATABASE {} FROM PUBLIC").format(database))
            conn.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(database, user))
    except errors.InsufficientPrivilege as err:
        log.warning(
            "analyst access: could not restrict CONNECT on %s: %s", parsed.database, err.diag.message_primary
        )


def _grant_analytics(conn: psycopg.Connection) -> None:
    analyst = sql.Identifier(ANALYST_ROLE)
    database = conn.info.dbname
    for statement in (
        sql.SQL("REVOKE ALL ON SCHEMA core FROM PUBLIC"),
        # no temp tables for analysts (they could fill the disk); the owner's stores need them
        sql.SQL("REVOKE TEMPORARY ON DATABASE {} FROM PUBLIC").format(sql.Identifier(database)),
        sql.SQL("GRANT TEMPORARY ON DATABASE {} TO CURRENT_USER").format(sql.Identifier(database)),
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(database), analyst),
        sql.SQL("GRANT USAGE ON SCHEMA analytics TO {}").format(analyst),
        sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA analytics TO {}").format(analyst),
        sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA analytics GRANT SELECT ON TABLES TO {}").format(analyst),
    ):
        conn.execute(statement)
