"""The warehouse database, and the environment `dg`/`dagster` commands need."""

from __future__ import annotations

import os

import click

from palimpsest_pipeline import runtime
from palimpsest_pipeline.cli.app import main


@main.command("env")
@click.option(
    "--sandbox-port", default=8765, show_default=True, help="Port of the sandbox `palimpsest dev` runs."
)
def env_command(sandbox_port: int) -> None:
    """Print `export` lines for the local setup, for `dg`/`dagster` commands: eval "$(palimpsest env)".

    Book URLs already in the environment are kept; otherwise they point at the sandbox of `palimpsest dev`.
    """
    import shlex

    from palimpsest_pipeline.sandbox.server import base_urls

    rt = runtime.prepare()
    exports = {
        "DAGSTER_HOME": str(rt.dagster_home),
        "PALIMPSEST_DATABASE_URL": rt.warehouse_url,
        "PALIMPSEST_DAGSTER_STORAGE_URL": rt.dagster_storage_url,
    }
    for book, url in base_urls("127.0.0.1", sandbox_port).items():
        var = runtime.BOOK_URL_VARS[book]
        exports[var] = os.environ.get(var) or url
    for name, value in exports.items():
        click.echo(f"export {name}={shlex.quote(value)}")


@main.group()
def db() -> None:
    """The warehouse database."""


@db.command("url")
@click.option("--reader", is_flag=True, help="The read-only analyst login (analytics schema only).")
def db_url(reader: bool) -> None:
    """Print the warehouse URL for psql (starting the embedded server if it is the default)."""
    rt = runtime.prepare()
    if not reader:
        click.echo(rt.psql_url)
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
    rt = runtime.prepare()
    click.echo(f"migrated {rt.psql_url}")


@db.command("stop")
def db_stop() -> None:
    """Stop the embedded Postgres server (no-op when PALIMPSEST_DATABASE_URL points elsewhere)."""
    from palimpsest_pipeline.warehouse.embedded import stop_embedded_server

    if os.environ.get("PALIMPSEST_DATABASE_URL"):
        click.echo("PALIMPSEST_DATABASE_URL is set: no embedded server to stop")
        return
    stop_embedded_server(runtime.project_home() / "pg")
    click.echo("embedded Postgres stopped")


@db.command("clean")
def db_clean() -> None:
    """Stop the embedded Postgres and delete its data, wherever it lives (make clean-state calls this).

    As root under a private folder the server's data live under /var/lib/palimpsest-pg, not in .palimpsest:
    deleting .palimpsest alone would leave them (and a running server) behind.
    """
    from palimpsest_pipeline.warehouse.embedded import remove_embedded_server

    if os.environ.get("PALIMPSEST_DATABASE_URL"):
        click.echo("PALIMPSEST_DATABASE_URL is set: no embedded server to delete")
        return
    deleted = remove_embedded_server(runtime.project_home() / "pg")
    click.echo("embedded Postgres deleted: " + (", ".join(map(str, deleted)) or "nothing was there"))
