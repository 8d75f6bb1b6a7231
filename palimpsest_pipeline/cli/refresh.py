"""``palimpsest refresh SRID...``: capture some SportRadar ids on every book now, and say what each book gave.

An ordinary ``capture_odds`` run tagged ``palimpsest/trigger: refresh``, executed in this process; the report
is read back from ``core.odds_captures``, so it shows what was stored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import dagster as dg
import psycopg

from palimpsest_pipeline.cli.countries import chosen_countries, scraped_in
from palimpsest_pipeline.defs.automation import (
    CAPTURE_JOB,
    TRIGGER_TAG,
    capture_odds_job,
    capture_run_config,
    country_range_tags,
)
from palimpsest_pipeline.defs.resources import ClockResource, WarehouseResource
from palimpsest_pipeline.deploy.progress_log import FOLLOWED_RUN_LOGS
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.warehouse.capture_listings import read_earliest_kickoffs
from palimpsest_pipeline.warehouse.capture_log import CaptureLine, read_capture_lines

Echo = Callable[[str], None]
#: Runs an execution that takes the tags it must carry (the CLI's progress display wraps it this way).
Around = Callable[[Callable[[Mapping[str, str]], dg.ExecuteInProcessResult]], dg.ExecuteInProcessResult]

_STATUS_WORDS = {"ok": "ok", "not_listed": "not listed", "failed": "FAILED", "gone": "gone (left the book)"}


@dataclass(frozen=True)
class RefreshPlan:
    """Which requested SR ids can be captured now, at which earliest kick-off, and which cannot."""

    upcoming: dict[int, datetime]
    kicked_off: dict[int, datetime]
    unknown: tuple[int, ...]

    @property
    def dates(self) -> tuple[date, date]:
        days = sorted(k.date() for k in self.upcoming.values())
        return days[0], days[-1]


def plan_refresh(
    conn: psycopg.Connection, sr_ids: Sequence[int], now: datetime, *, site_countries: Sequence[str]
) -> RefreshPlan:
    """Look the SR ids up among the live listings of every book of ``site_countries``' sites (earliest
    kick-off per SR id over them)."""
    kickoffs: dict[int, datetime] = {}
    for site_country in site_countries:
        for sr_id, kickoff in read_earliest_kickoffs(conn, sr_ids, site_country=site_country).items():
            kickoffs[sr_id] = min(kickoff, kickoffs.get(sr_id, kickoff))
    return RefreshPlan(
        upcoming={s: k for s, k in kickoffs.items() if k > now},
        kicked_off={s: k for s, k in kickoffs.items() if k <= now},
        unknown=tuple(s for s in dict.fromkeys(sr_ids) if s not in kickoffs),
    )


def format_report(
    sr_ids: Sequence[int], plan: RefreshPlan, lines: Sequence[CaptureLine], books: Sequence[Book]
) -> list[str]:
    """One header per requested SR id, then one line per book of ``books`` (those of the countries run): ok
    (outcomes), not listed, or failed + reason.

    A book with no capture row for an upcoming SR id did not list it (nothing was asked of it)."""
    by_pair = {(line.sr_id, line.book): line for line in lines}
    out: list[str] = []
    for sr_id in dict.fromkeys(sr_ids):
        if sr_id in plan.unknown:
            out.append(
                f"sr:{sr_id}: unknown: no book lists this SportRadar id (check the id, or run the catalogue)"
            )
            continue
        if sr_id in plan.kicked_off:
            out.append(f"sr:{sr_id}: not captured: kicked off at {plan.kicked_off[sr_id].isoformat()}")
            continue
        out.append(f"sr:{sr_id} (kick-off {plan.upcoming[sr_id].isoformat()})")
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


def refresh_succeeded(sr_ids: Sequence[int], plan: RefreshPlan, lines: Sequence[CaptureLine]) -> bool:
    """Every requested SR id was upcoming, at least one book gave its prices, and no book failed."""
    if plan.unknown or plan.kicked_off:
        return False
    statuses: dict[int, set[str]] = {}
    for line in lines:
        statuses.setdefault(line.sr_id, set()).add(line.status)
    return all("ok" in statuses.get(s, set()) and "failed" not in statuses[s] for s in sr_ids)


def refresh_now(
    sr_ids: Sequence[int],
    *,
    resources: Mapping[str, object],
    instance: dg.DagsterInstance | None = None,
    echo: Echo = print,
    assets: Sequence[dg.AssetsDefinition] | None = None,
    around: Around | None = None,
    country: str | None = None,
) -> int:
    """Capture ``sr_ids`` now on the books of site ``country`` (None: of every configured country) with the
    given resources (warehouse, books, clock); 0 when every SR id was captured and no book failed, else 1.
    ``assets`` defaults to the code location's. ``around`` runs the execution (given the tags it must add),
    e.g. to show its progress."""
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
    with warehouse.connect() as conn:
        plan = plan_refresh(conn, sr_ids, clock.now(), site_countries=countries)
    if not plan.upcoming:
        for line in format_report(sr_ids, plan, [], books):
            echo(line)
        return 1
    if assets is None:
        from palimpsest_pipeline.definitions import ALL_ASSETS

        assets = ALL_ASSETS
    job = dg.Definitions(assets=assets, jobs=[capture_odds_job], resources=dict(resources)).resolve_job_def(
        CAPTURE_JOB
    )
    first, last = plan.dates
    where = f"{country}'s books" if country is not None else "every book of every country"
    echo(f"capturing {len(plan.upcoming)} SR id(s) on {where}, kick-off dates {first} .. {last} ...")

    def execute(tags: Mapping[str, str]) -> dg.ExecuteInProcessResult:
        return job.execute_in_process(
            run_config={**capture_run_config(sorted(plan.upcoming)), **FOLLOWED_RUN_LOGS},
            tags={**country_range_tags(first, last, country), TRIGGER_TAG: "refresh", **tags},
            instance=instance,
            raise_on_error=False,
        )

    result = execute({}) if around is None else around(execute)
    with warehouse.connect() as conn:
        lines = read_capture_lines(conn, result.run_id)
    for line in format_report(sr_ids, plan, lines, books):
        echo(line)
    if not result.success:
        echo(f"run {result.run_id} FAILED (see it in the Dagster UI)")
        return 1
    return 0 if refresh_succeeded(sr_ids, plan, lines) else 1
