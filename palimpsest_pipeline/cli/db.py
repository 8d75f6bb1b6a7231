"""The warehouse database, and the environment `dg`/`dagster` commands need."""

from __future__ import annotations

import os
import sys

import click

from palimpsest_pipeline import runtime
from palimpsest_pipeline.cli.app import loaded_settings, main
from palimpsest_pipeline.warehouse.config import embedded_server_home, redacted_url, scratch_server_home


@main.command("env")
@click.option(
    "--sandbox-port", default=8765, show_default=True, help="Port of the sandbox `palimpsest dev` runs."
)
def env_command(sandbox_port: int) -> None:
    """Print `export` lines for the local setup, for `dg`/`dagster` commands: eval "$(palimpsest env)".

    Book URLs already in the environment are kept; otherwise they point at the sandbox of `palimpsest dev`.
    """
    import shlex

    from palimpsest_pipeline.cli.sandbox_process import SandboxStartError, sandbox_edition_urls

    settings = loaded_settings()
    rt = runtime.prepare(settings)
    exports = {"DAGSTER_HOME": shlex.quote(str(rt.dagster_home))}
    # the URLs carry the owner's password: the export asks `db url` for them, so it is never printed here
    me = shlex.quote(sys.argv[0] if os.path.isabs(sys.argv[0]) else os.path.abspath(sys.argv[0]))
    exports["PALIMPSEST_DATABASE_URL"] = f'"$({me} db url --owner --driver)"'
    exports["PALIMPSEST_DAGSTER_STORAGE_URL"] = f'"$({me} db url --dagster)"'
    try:
        sandbox_urls = sandbox_edition_urls(sandbox_port)
    except SandboxStartError as error:
        raise click.ClickException(str(error)) from None
    # each edition scraped in the countries run, PALIMPSEST_<BOOK>_<CC>_URL (others served, not scraped)
    for edition, var in runtime.url_variables(settings).items():
        if edition in sandbox_urls:
            exports[var] = shlex.quote(settings.book_variables.get(var) or sandbox_urls[edition])
    for name, value in exports.items():
        click.echo(f"export {name}={value}")


@main.group()
def db() -> None:
    """The warehouse database."""


@db.command("url")
@click.option("--owner", is_flag=True, help="The owner's URL (every schema, read and write) instead.")
@click.option("--driver", is_flag=True, hidden=True, help="With --owner: as the pipeline reads it.")
@click.option("--dagster", is_flag=True, hidden=True, help="Dagster's storage URL (for `palimpsest env`).")
@click.option("--reader", is_flag=True, hidden=True, help="The analyst login (the default).")
def db_url(owner: bool, driver: bool, dagster: bool, reader: bool) -> None:
    """Print the warehouse URL for psql, the read-only analyst login's unless --owner (starting the embedded
    server if it is the default). The one command that prints a password."""
    rt = runtime.prepare(loaded_settings())
    if dagster:
        click.echo(rt.dagster_storage_url)
        return
    if owner:
        click.echo(rt.warehouse_url if driver else rt.psql_url)
        return
    url = rt.reader_url()
    if url is None:
        raise click.ClickException(
            "no reader login: set PALIMPSEST_ANALYST_PASSWORD and run palimpsest db migrate"
        )
    click.echo(url)


@db.command("migrate")
def db_migrate() -> None:
    """Apply pending migrations."""
    rt = runtime.prepare(loaded_settings())
    click.echo(f"migrated {redacted_url(rt.psql_url)}")


@db.command("stop")
def db_stop() -> None:
    """Stop the embedded Postgres server, and the test suite's scratch server beside it.

    The warehouse's is left alone when PALIMPSEST_DATABASE_URL points elsewhere (nothing embedded serves it).
    """
    from palimpsest_pipeline.warehouse.embedded.server import stop_embedded_server

    settings = loaded_settings()
    home = runtime.project_home(settings)
    if stop_embedded_server(scratch_server_home(home)):
        click.echo("the tests' scratch Postgres stopped")
    if settings.database_url is not None:
        click.echo("PALIMPSEST_DATABASE_URL is set: no embedded server to stop")
        return
    stop_embedded_server(embedded_server_home(home))
    click.echo("embedded Postgres stopped")


@db.command("clean")
def db_clean() -> None:
    """Stop the embedded Postgres and the tests' scratch server and delete their data, wherever they live
    (make clean-state calls this).

    As root under a private folder the server's data live under /var/lib/palimpsest-pg, not in .palimpsest:
    deleting .palimpsest alone would leave them (and a running server) behind.
    """
    from palimpsest_pipeline.warehouse.embedded.server import remove_embedded_server

    settings = loaded_settings()
    home = runtime.project_home(settings)
    scratch = remove_embedded_server(scratch_server_home(home))
    if scratch:
        click.echo("the tests' scratch Postgres deleted: " + ", ".join(map(str, scratch)))
    if settings.database_url is not None:
        click.echo("PALIMPSEST_DATABASE_URL is set: no embedded server to delete")
        return
    deleted = remove_embedded_server(embedded_server_home(home))
    click.echo("embedded Postgres deleted: " + (", ".join(map(str, deleted)) or "nothing was there"))
