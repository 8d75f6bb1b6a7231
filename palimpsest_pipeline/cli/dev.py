"""The local deployment: Dagster UI and daemon over the same data, with the sandbox beside them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import click

from palimpsest_pipeline import runtime
from palimpsest_pipeline.cli.app import REPO_ROOT, loaded_settings, main


@main.command()
@click.option("--port", default=3000, show_default=True)
@click.option("--seed", default=7, show_default=True)
@click.option("--size", default=1000, show_default=True)
@click.option(
    "--sandbox-port", default=8765, show_default=True, help="Port of the sandbox (0: any free one)."
)
@click.option("--real-books", is_flag=True, help="Point Dagster at the real books instead of the sandbox.")
def dev(port: int, seed: int, size: int, sandbox_port: int, real_books: bool) -> None:
    """Dagster UI and daemon on 127.0.0.1 over the same data, with the sandbox running beside them."""
    import dagster as dg

    from palimpsest_pipeline.cli.sandbox_process import SandboxStartError, start_sandbox_process
    from palimpsest_pipeline.deploy.pools import apply_pool_limits
    from palimpsest_pipeline.deploy.run_liveness import sweep_dead_runs

    runtime.prepare(loaded_settings())
    # Dagster applies a pool's default limit only after its first queue pass: set the limits up front.
    with dg.DagsterInstance.get() as instance:
        apply_pool_limits(instance)
        # a run killed earlier (a demo's SIGKILL) must not hold the pools the sensor's captures need
        for run_id, reason in sweep_dead_runs(instance):
            click.echo(f"failed dead run {run_id}: {reason}")
    try:
        sandbox = None if real_books else start_sandbox_process(seed=seed, size=size, port=sandbox_port)
    except SandboxStartError as error:
        raise click.ClickException(str(error)) from None
    if sandbox is not None:
        runtime.point_books_at(sandbox.base_urls, edition_urls=sandbox.edition_urls)
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
