"""``palimpsest``: the project's command line (demo, dev, sandbox, db, parse, refresh).

Commands that need the database prepare it first (embedded Postgres unless PALIMPSEST_DATABASE_URL is set,
then migrations), so every command works on a fresh clone.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import warnings
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click

from palimpsest_pipeline import runtime
from palimpsest_pipeline.records import Book

REPO_ROOT = Path(__file__).resolve().parent.parent

#: The demo prints its own summary; Dagster's step-by-step log stays in the run (see the UI) unless it warns.
QUIET_RUN_CONFIG = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


@click.group()
def main() -> None:
    """Compare BetPawa's catalogue and prices with SportyBet's and Bet9ja's."""
    # Dagster flags beta/preview parameters (backfill_policy, pools) on every import; we use them on purpose.
    warnings.filterwarnings("ignore", module=r"dagster\..*")
    warnings.filterwarnings("ignore", message=r".*is currently in (beta|preview).*")


# ---------------------------------------------------------------------------------------------------- demo


@main.command()
@click.option("--days", default=15, show_default=True, help="Kick-off dates to cover, from today (UTC).")
@click.option("--seed", default=7, show_default=True, help="Seed of the sandbox's synthetic world.")
@click.option(
    "--size", default=1000, show_default=True, help="About how many events each sandbox book lists."
)
@click.option(
    "--real-books", is_flag=True, help="Scrape the real books (PALIMPSEST_*_URL) instead of the sandbox."
)
def demo(days: int, seed: int, size: int, real_books: bool) -> None:
    """Run the whole pipeline once on the embedded defaults and print the coverage summary."""
    import dagster as dg

    from palimpsest_pipeline.defs.definitions import ALL_ASSETS
    from palimpsest_pipeline.defs.resources import resources_from_env
    from palimpsest_pipeline.sandbox.server import SandboxConfig, start_in_thread
    from palimpsest_pipeline.summary import format_pricing, format_summary, read_pricing, read_summary

    started = time.monotonic()
    rt = runtime.prepare()
    click.echo(f"warehouse: {rt.psql_url}")
    first = datetime.now(UTC).date()
    last = first + timedelta(days=days - 1)
    tags = {
        "dagster/asset_partition_range_start": first.isoformat(),
        "dagster/asset_partition_range_end": last.isoformat(),
    }
    instance = dg.DagsterInstance.get()
    sandbox = None if real_books else start_in_thread(SandboxConfig(seed=seed, size=size))
    try:
        if sandbox is not None:
            runtime.point_books_at(sandbox.base_urls)
            click.echo(f"sandbox: {sandbox.url} (seed {seed}, about {size} events per book)")
        else:
            runtime.point_books_at_real()
        click.echo(f"materializing every asset for kick-off dates {first} .. {last} in one run ...")
        result = dg.materialize(
            ALL_ASSETS,
            instance=instance,
            resources=resources_from_env(),
            tags=tags,
            raise_on_error=False,
            run_config=QUIET_RUN_CONFIG,
        )
    finally:
        if sandbox is not None:
            sandbox.stop()
    import psycopg

    with psycopg.connect(rt.psql_url) as conn:
        click.echo("")
        click.echo(format_summary(read_summary(conn, first, last)))
        click.echo("")
        click.echo(format_pricing(read_pricing(conn, first, last)))
    click.echo("")
    status = "succeeded" if result.success else "FAILED (see the run in the Dagster UI)"
    click.echo(f"run {result.run_id} {status} in {time.monotonic() - started:.1f} s")
    click.echo("Open the same data:")
    click.echo("  Dagster UI:  make dev, then http://127.0.0.1:3000 (this run is in its Runs tab)")
    click.echo(f"  psql:        psql '{rt.psql_url}'")
    click.echo("               (that URL again: .venv/bin/palimpsest db url; analysts log in read-only as")
    click.echo("               palimpsest_reader, see the README)")
    if not result.success:
        sys.exit(1)


# ---------------------------------------------------------------------------------------------------- dev


@main.command()
@click.option("--port", default=3000, show_default=True)
@click.option("--seed", default=7, show_default=True)
@click.option("--size", default=1000, show_default=True)
@click.option("--real-books", is_flag=True, help="Point Dagster at the real books instead of the sandbox.")
def dev(port: int, seed: int, size: int, real_books: bool) -> None:
    """Dagster UI and daemon on 127.0.0.1 over the same data, with the sandbox running beside them."""
    import dagster as dg

    from palimpsest_pipeline.deploy.pools import apply_pool_limits
    from palimpsest_pipeline.sandbox.server import SandboxConfig, start_in_thread

    runtime.prepare()
    # Dagster applies a pool's default limit only after its first queue pass: set the limits up front.
    with dg.DagsterInstance.get() as instance:
        apply_pool_limits(instance)
    sandbox = None if real_books else start_in_thread(SandboxConfig(seed=seed, size=size))
    if sandbox is not None:
        runtime.point_books_at(sandbox.base_urls)
        click.echo(f"sandbox: {sandbox.url}")
    else:
        runtime.point_books_at_real()
    command = [
        sys.executable, "-m", "dagster", "dev",
        "-w", str(REPO_ROOT / "workspace.yaml"),
        "-h", "127.0.0.1", "-p", str(port),
    ]  # fmt: skip
    children: list[subprocess.Popen[bytes]] = []

    def stop_dagster(signum: int, _frame: object) -> None:
        # A shell's background job starts with SIGINT ignored, and Dagster treats SIGTERM like SIGINT
        # (DAGSTER.md): handle both here and hand Dagster the SIGINT it shuts down cleanly on.
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGINT)

    # Installed BEFORE the child starts: an ignored signal stays ignored across exec, a handled one is reset
    # to its default, so Dagster gets a working SIGINT even when we were started with it ignored.
    signal.signal(signal.SIGINT, stop_dagster)
    signal.signal(signal.SIGTERM, stop_dagster)
    process = subprocess.Popen(command, cwd=REPO_ROOT, env=os.environ.copy(), start_new_session=True)
    children.append(process)
    try:
        process.wait()
    finally:
        if sandbox is not None:
            sandbox.stop()
    sys.exit(process.returncode if process.returncode and process.returncode > 0 else 0)


# ---------------------------------------------------------------------------------------------------- sandbox


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Listen address (loopback by default).")
@click.option("--port", default=8765, show_default=True)
@click.option("--seed", default=7, show_default=True)
@click.option("--size", default=1000, show_default=True)
def sandbox(host: str, port: int, seed: int, size: int) -> None:
    """Serve the three books' APIs over the synthetic world until interrupted."""
    from palimpsest_pipeline.sandbox.server import SandboxConfig, serve

    serve(SandboxConfig(host=host, port=port, seed=seed, size=size))


# ---------------------------------------------------------------------------------------------------- parse


@main.command()
@click.argument("book", type=click.Choice([b.value for b in Book]))
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
def parse(book: str, file: Path) -> None:
    """Parse one saved event-detail response: the event header, then canonical odds rows, as JSON lines."""
    import orjson

    from palimpsest_pipeline.books.odds.saved import SavedResponseError, parse_saved_response

    try:
        lines = parse_saved_response(Book(book), file)
        out = sys.stdout.buffer
        for line in lines:
            out.write(orjson.dumps(line) + b"\n")
    except BrokenPipeError:
        # The reader stopped early (`| head`): not an error. Send stdout to devnull so exit stays quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (SavedResponseError, OSError) as error:
        raise click.ClickException(str(error)) from None


# ---------------------------------------------------------------------------------------------------- refresh


@main.command()
@click.argument("sr_ids", nargs=-1, type=int, required=True)
def refresh(sr_ids: tuple[int, ...]) -> None:
    """Capture these SportRadar ids on every book now and print what each book gave.

    Uses the books named by PALIMPSEST_*_URL (a running `palimpsest sandbox`, or the real books).
    """
    from palimpsest_pipeline.defs.refresh import refresh as run_refresh

    sys.exit(run_refresh(list(sr_ids)))


# ---------------------------------------------------------------------------------------------------- env


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


# ---------------------------------------------------------------------------------------------------- db


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


if __name__ == "__main__":
    main()
