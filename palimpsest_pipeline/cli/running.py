"""Run a Dagster job from the CLI with a live progress display, and stop it cleanly on Ctrl-C."""

from __future__ import annotations

import contextlib
import logging
import signal
import sys
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any, NoReturn

import click
import dagster as dg

from palimpsest_pipeline.cli.progress import Display, RunFollower, make_display, ticking
from palimpsest_pipeline.deploy.run_liveness import IN_PROGRESS, sweep_dead_runs

_IN_PROGRESS = {dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.NOT_STARTED, *IN_PROGRESS}


def run_followed(
    instance: dg.DagsterInstance,
    execute: Callable[[Mapping[str, str]], dg.ExecuteInProcessResult],
    display: Display | None = None,
) -> dg.ExecuteInProcessResult:
    """``execute(tags)`` (an in-process run that must carry ``tags``) while showing its progress on
    ``display``; on Ctrl-C, one line naming the finished steps (stored) and the run canceled, exit 130."""
    tag = ("palimpsest/cli_run", uuid.uuid4().hex)  # the follower finds the run by it
    follower = RunFollower(instance, tag, display or make_display())
    with interrupts_not_logged_as_pool_errors():
        try:
            with follower, _sigint_for_this_process_only():
                result = execute({tag[0]: tag[1]})
        except KeyboardInterrupt:
            _stop(instance, follower)
        # Dagster turns a Ctrl-C inside a step into a failed run ("...interrupted...") rather than raising
        if not result.success and "interrupt" in (follower.display.state.run_failure or "").lower():
            _stop(instance, follower)
    return result


def materialize_range_followed(
    first: date,
    last: date,
    *,
    country: str | None = None,
    run_config: Mapping[str, Any] | None = None,
    selection: Sequence[dg.AssetKey] | dg.AssetSelection | None = None,
) -> dg.ExecuteInProcessResult:
    """Every asset of site ``country`` and the report (None: every asset; ``selection``: those) for kick-off
    dates ``first`` .. ``last`` as ONE run in this process (the range tags the single-run backfill
    policy reads), with the progress display; resources from the environment."""
    display = make_display()
    # The heartbeat covers the slow start: the code location loading, the instance making its tables.
    try:
        with ticking(display.tick):
            from palimpsest_pipeline.definitions import ALL_ASSETS
            from palimpsest_pipeline.defs.automation import country_assets, country_range_tags
            from palimpsest_pipeline.defs.resources import resources_from_env
            from palimpsest_pipeline.deploy.progress_log import FOLLOWED_RUN_LOGS

            instance = dg.DagsterInstance.get()
            for run_id, reason in sweep_dead_runs(instance):  # a killed earlier run must not look in progress
                click.echo(f"failed dead run {run_id}: {reason}")
    except BaseException:  # Ctrl-C included: the live display gives the terminal back
        display.close()
        raise
    tags = country_range_tags(first, last, country)
    chosen = country_assets(country) if selection is None and country is not None else selection
    return run_followed(
        instance,
        lambda follow: dg.materialize(
            ALL_ASSETS,
            instance=instance,
            resources=resources_from_env(),
            selection=chosen if chosen is None or isinstance(chosen, dg.AssetSelection) else list(chosen),
            tags={**tags, **follow},
            raise_on_error=False,
            run_config={**FOLLOWED_RUN_LOGS, **(run_config or {})},
        ),
        display,
    )


def _stop(instance: dg.DagsterInstance, follower: RunFollower) -> NoReturn:
    """Say in one line what an interrupted run kept, make sure it is not left in progress, exit 130."""
    run_id = follower.run_id or "(not started)"
    if follower.run_id is not None:
        run = instance.get_run_by_id(follower.run_id)
        if run is not None and run.status in _IN_PROGRESS:
            instance.report_run_canceled(run, "interrupted from the command line (Ctrl-C)")
    click.echo(
        f"interrupted: kept {follower.display.state.kept()} (each finished step's tables are stored); "
        f"run {run_id} stopped",
        err=True,
    )
    sys.exit(130)


def _not_an_interrupt(record: logging.LogRecord) -> bool:
    return not (
        record.exc_info
        and isinstance(record.exc_info[1], (KeyboardInterrupt, dg.DagsterExecutionInterruptedError))
    )


@contextlib.contextmanager
def interrupts_not_logged_as_pool_errors() -> Iterator[None]:
    """SQLAlchemy's pool logs a connection close that Ctrl-C cut short, traceback and all, before passing the
    interrupt on; the one ``interrupted:`` line says it already. Other pool errors still reach stderr."""
    pool_logger = logging.getLogger("sqlalchemy.pool")
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)  # what Python prints of a logger nobody configured
    handler.addFilter(_not_an_interrupt)
    pool_logger.addHandler(handler)
    try:
        yield
    finally:
        pool_logger.removeHandler(handler)


@contextlib.contextmanager
def _sigint_for_this_process_only() -> Iterator[None]:
    """Keep Ctrl-C away from the helper processes Dagster and the capture engine start during the run: they
    inherit the main thread's block, while the follower's thread, started before, still takes it."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
