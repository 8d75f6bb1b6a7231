"""``palimpsest refresh SRID...``: an ordinary ``capture_odds_<country>`` run of some SportRadar ids on every
book now (tagged ``palimpsest/trigger: refresh``), then what each book gave, read back from
``core.odds_captures``."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime

import dagster as dg
import psycopg

from palimpsest_pipeline.cli.app import chosen_countries, scraped_in
from palimpsest_pipeline.defs.automation import (
    TRIGGER_TAG,
    capture_job,
    capture_run_config,
    country_range_tags,
)
from palimpsest_pipeline.defs.odds.assets import ODDS_GROUP
from palimpsest_pipeline.defs.resources import ClockResource, WarehouseResource
from palimpsest_pipeline.deploy.progress_log import FOLLOWED_RUN_LOGS
from palimpsest_pipeline.deploy.run_liveness import sweep_dead_runs
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.warehouse.capture_listings import read_earliest_kickoffs
from palimpsest_pipeline.warehouse.capture_log import CaptureLine, read_capture_lines

#: Runs an execution that takes the tags it must carry (the CLI's progress display wraps it this way).
Around = Callable[[Callable[[Mapping[str, str]], dg.ExecuteInProcessResult]], dg.ExecuteInProcessResult]

_STATUS_WORDS = {"ok": "ok", "not_listed": "not listed", "failed": "FAILED", "gone": "gone (left the book)"}


def earliest_kickoffs(
    conn: psycopg.Connection, sr_ids: Sequence[int], *, site_countries: Sequence[str]
) -> dict[int, datetime]:
    """The SR ids' earliest kick-offs among the live listings of every book of ``site_countries`` (an id no
    book lists is absent)."""
    kickoffs: dict[int, datetime] = {}
    for site_country in site_countries:
        for sr_id, kickoff in read_earliest_kickoffs(conn, sr_ids, site_country=site_country).items():
            kickoffs[sr_id] = min(kickoff, kickoffs.get(sr_id, kickoff))
    return kickoffs


def format_report(
    sr_ids: Sequence[int],
    kickoffs: Mapping[int, datetime],
    now: datetime,
    lines: Sequence[CaptureLine],
    books: Sequence[Book],
) -> list[str]:
    """One header per requested SR id, then one line per book of ``books``: ok (outcomes), not listed (no
    capture row: nothing was asked of it), or failed + reason."""
    by_pair = {(line.sr_id, line.book): line for line in lines}
    out: list[str] = []
    for sr_id in dict.fromkeys(sr_ids):
        kickoff = kickoffs.get(sr_id)
        if kickoff is None:
            out.append(
                f"sr:{sr_id}: unknown: no book lists this SportRadar id (check the id, or run the catalogue)"
            )
            continue
        if kickoff <= now:
            out.append(f"sr:{sr_id}: not captured: kicked off at {kickoff.isoformat()}")
            continue
        out.append(f"sr:{sr_id} (kick-off {kickoff.isoformat()})")
        for book in books:
            line = by_pair.get((sr_id, book.value))
            if line is None:
                out.append(f"  {book.value:<10} not listed")
                continue
            text = f"  {book.value:<10} {_STATUS_WORDS.get(line.status, line.status)}"
            if line.status == "ok" and line.open_outcomes is not None:
                text += f" ({line.mapped_outcomes} of {line.open_outcomes} open outcomes mapped)"
            if line.reason:
                text += f": {line.reason}"
            out.append(text)
    return out


def refresh_succeeded(
    sr_ids: Sequence[int], upcoming: Mapping[int, datetime], lines: Sequence[CaptureLine]
) -> bool:
    """Every requested SR id was upcoming, at least one book gave its prices, and no book failed."""
    statuses: dict[int, set[str]] = {}
    for line in lines:
        statuses.setdefault(line.sr_id, set()).add(line.status)
    return all(
        s in upcoming and "ok" in statuses.get(s, set()) and "failed" not in statuses[s] for s in sr_ids
    )


def refresh_now(
    sr_ids: Sequence[int],
    *,
    resources: Mapping[str, object],
    instance: dg.DagsterInstance | None = None,
    echo: Callable[[str], None] = print,
    around: Around | None = None,
    country: str | None = None,
) -> int:
    """Capture ``sr_ids`` now on the books of site ``country`` (None: every configured one); 0 when every SR
    id was captured and no book failed, else 1. ``around`` runs the execution (e.g. showing its progress)."""
    if not sr_ids:
        echo("refresh: name at least one SportRadar id")
        return 2
    if any(s <= 0 for s in sr_ids):
        echo(f"refresh: SportRadar ids are positive integers, got {list(sr_ids)}")
        return 2
    warehouse, clock = resources["warehouse"], resources["clock"]
    assert isinstance(warehouse, WarehouseResource) and isinstance(clock, ClockResource)
    # the run reads EnvVar fields itself; these reads outside it resolve them the same way
    warehouse, clock = warehouse.process_config_and_initialize(), clock.process_config_and_initialize()
    countries = chosen_countries(country)
    books = scraped_in(countries)
    now = clock.now()
    with warehouse.connect() as conn:
        kickoffs = earliest_kickoffs(conn, sr_ids, site_countries=countries)
    upcoming = {sr_id: kickoff for sr_id, kickoff in kickoffs.items() if kickoff > now}
    if not upcoming:
        for line in format_report(sr_ids, kickoffs, now, [], books):
            echo(line)
        return 1
    from palimpsest_pipeline.definitions import ALL_ASSETS

    # one country: its own capture job; every country: their captures in one run of the same shape
    chosen = (
        capture_job(country)
        if country is not None
        else dg.define_asset_job(
            "capture_odds",
            selection=dg.AssetSelection.key_prefixes(*countries) & dg.AssetSelection.groups(ODDS_GROUP),
            executor_def=dg.in_process_executor,
        )
    )
    job = dg.Definitions(assets=ALL_ASSETS, jobs=[chosen], resources=dict(resources)).resolve_job_def(
        chosen.name
    )
    first, last = min(upcoming.values()).date(), max(upcoming.values()).date()
    where = f"{country}'s books" if country is not None else "every book of every country"
    echo(f"capturing {len(upcoming)} SR id(s) on {where}, kick-off dates {first} .. {last} ...")

    if instance is not None:  # a killed earlier run must not hold the capture pool's slot for ever
        for run_id, reason in sweep_dead_runs(instance):
            echo(f"failed dead run {run_id}: {reason}")

    def execute(tags: Mapping[str, str]) -> dg.ExecuteInProcessResult:
        return job.execute_in_process(
            run_config={**capture_run_config(sorted(upcoming), countries), **FOLLOWED_RUN_LOGS},
            tags={**country_range_tags(first, last, country), TRIGGER_TAG: "refresh", **tags},
            instance=instance,
            raise_on_error=False,
        )

    result = execute({}) if around is None else around(execute)
    with warehouse.connect() as conn:
        lines = read_capture_lines(conn, result.run_id)
    for line in format_report(sr_ids, kickoffs, now, lines, books):
        echo(line)
    if not result.success:
        echo(f"run {result.run_id} FAILED (see it in the Dagster UI)")
        return 1
    return 0 if refresh_succeeded(sr_ids, upcoming, lines) else 1
