"""Odds assets of each site country: each SR id captured on every listing book at once
(``scrape/odds/engine.py``), in the country's capture pool, and the comparison tables, recomputed from
stored prices without asking the books (docs/odds-comparison.md)."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import dagster as dg
from pydantic import Field

from palimpsest_pipeline.books.settings import BookSettings, settings_country
from palimpsest_pipeline.defs.catalogue.archive_source import Source
from palimpsest_pipeline.defs.catalogue.assets import events_keys
from palimpsest_pipeline.defs.countries import capture_op, country_key
from palimpsest_pipeline.defs.coverage.assets import Result, matched_key
from palimpsest_pipeline.defs.partitions import (
    PARTITION_TAG,
    RANGE_END_TAG,
    RANGE_START_TAG,
    SITE_COUNTRIES,
    kickoff_dates,
    kickoff_table,
    single_run,
)
from palimpsest_pipeline.defs.resources import BooksResource, ClockResource, WarehouseResource
from palimpsest_pipeline.defs.runs.observability import scrape_metrics_metadata
from palimpsest_pipeline.deploy.pools import odds_pool
from palimpsest_pipeline.deploy.progress_log import ProgressRecord
from palimpsest_pipeline.deploy.run_liveness import sweep_dead_runs
from palimpsest_pipeline.derive.comparison import rebuild_comparison
from palimpsest_pipeline.partition_keys import key_dates
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.archive.odds_replay import rebuild_odds_from_archive
from palimpsest_pipeline.scrape.odds.model import CaptureProgress
from palimpsest_pipeline.scrape.odds.refresh import capture_and_store, plan_capture
from palimpsest_pipeline.settings import load_settings
from palimpsest_pipeline.transforms.comparison_chunks import RangeSummary
from palimpsest_pipeline.transforms.freshness import DEFAULT_STALE_FACTOR
from palimpsest_pipeline.warehouse.capture_log import read_captured_sr_ids

ODDS_GROUP = "odds"


def odds_key(country: str) -> dg.AssetKey:
    """``country``'s captured odds: ``ng/odds_snapshots``."""
    return country_key(country, "odds_snapshots")


def comparison_key(country: str) -> dg.AssetKey:
    """``country``'s odds comparison: ``ng/odds_comparison``."""
    return country_key(country, "odds_comparison")


def margins_key(country: str) -> dg.AssetKey:
    """``country``'s market margins: ``ng/market_margins``."""
    return country_key(country, "market_margins")


def availability_key(country: str) -> dg.AssetKey:
    """``country``'s market availability: ``ng/market_availability``."""
    return country_key(country, "market_availability")


#: The later tier is captured every 30 minutes: none for 35 minutes is late (warn), for an hour stopped.
ODDS_FRESHNESS = dg.FreshnessPolicy.time_window(
    fail_window=timedelta(hours=1), warn_window=timedelta(minutes=35)
)

#: How recent an interrupted capture must be for a rerun to skip the events it stored (older are stale).
RESUME_WITHIN = timedelta(minutes=15)
_INTERRUPTED = [dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED]
_PARTITION_TAGS = (PARTITION_TAG, RANGE_START_TAG, RANGE_END_TAG)


class OddsCaptureConfig(dg.Config):
    """Which events to capture. Empty ``sr_ids``: every event with a SportRadar id (its own, or the one its
    Genius id links it to) that some book lists with a kick-off on the run's dates and still ahead. The
    kick-off-window sensor and on-demand refreshes name the SR ids they want."""

    sr_ids: list[int] = Field(default_factory=list)
    #: "archive": re-derive the odds of the run's dates from their archived captures (``sr_ids`` narrows it).
    source: Source = "live"
    #: Skip the events an interrupted capture of these partitions stored minutes ago (``interrupted_runs``).
    resume: bool = True
    #: Complete events stored per transaction while the capture goes (scrape/odds/stream.py).
    batch_events: int = Field(default=50, ge=1)
    #: Parse processes: none given, inline for a small capture and two workers for a large one; 0 inline.
    parse_workers: int | None = Field(default=None, ge=0)
    #: Only events kicking off at most this many hours ahead (none given: every event of the dates).
    within_hours: float | None = Field(default=None, gt=0)
    #: Stamp the captures at the run's clock, not their send times: a run pinned to the instant a simulated
    #: world stands still at (the demo's kick-off), whose prices are that instant's.
    stamp_at_clock: bool = False


def odds_asset(country: str) -> dg.AssetsDefinition:
    """``country``'s odds capture, in its capture pool (one capture per country at a time)."""

    @dg.asset(
        key=odds_key(country),
        deps=events_keys(country),
        description=f"Prices of every {country} listed event with a SportRadar id (its own, or linked "
        "through the Genius Sports id), captured on all its books at the same moment, stored as change-only "
        "history (core.odds_history) plus current prices (core.odds_current), with the raw responses "
        "archived compressed (core.raw_archive) and each capture's status per book (core.odds_captures).",
        group_name=ODDS_GROUP,
        kinds={"python", "postgres"},
        partitions_def=kickoff_dates,
        backfill_policy=single_run,
        freshness_policy=ODDS_FRESHNESS,
        pool=odds_pool(country),
    )
    async def odds_snapshots(
        context: dg.AssetExecutionContext,
        config: OddsCaptureConfig,
        warehouse: WarehouseResource,
        books: BooksResource,
        clock: ClockResource,
    ) -> dg.MaterializeResult:
        dates = key_dates(context.partition_keys)
        settings = books.settings(country)
        if config.source == "live":
            return await _capture(context, config, warehouse, settings, clock.now(), dates)
        with warehouse.connect() as read_conn, warehouse.connect() as write_conn:
            replay = await rebuild_odds_from_archive(
                read_conn, write_conn, min(dates), max(dates), settings, sr_ids=config.sr_ids
            )
        context.log.info(f"{country}: replayed {replay.bodies} archived bodies of {replay.batches} batches")
        return dg.MaterializeResult(metadata=replay.metadata())

    return odds_snapshots


async def _capture(
    context: dg.AssetExecutionContext,
    config: OddsCaptureConfig,
    warehouse: WarehouseResource,
    settings: dict[Book, BookSettings],
    now: datetime,
    dates: list[date],
) -> dg.MaterializeResult:
    """One country's capture of the events kicking off on ``dates``, on its books (``settings``)."""
    country = settings_country(settings)
    earlier = []
    if config.resume:
        earlier = interrupted_runs(context.instance, context.run, datetime.now(UTC), context.op_def.name)
    plan = plan_capture(
        warehouse.connect,
        dates,
        site_country=country,
        now=now,
        sr_ids=config.sr_ids,
        done_by_runs=earlier,
        within=None if config.within_hours is None else timedelta(hours=config.within_hours),
    )
    if plan.resumed:
        context.log.info(f"resuming: {plan.resumed} event(s) already stored by interrupted run(s) {earlier}")
    reach = plan.reach
    context.log.info(
        f"capturing {len(plan.targets)} events on every listing {country} book ({reach.listings} "
        "listing(s) reached through the Genius id; Genius-linked listings skipped rather than guessed: "
        f"{reach.skipped or 'none'})"
    )

    def progress(update: CaptureProgress) -> None:
        statuses = ", ".join(f"{status} {n}" for status, n in sorted(update.by_status.items()))
        context.log.info(
            ProgressRecord(
                "odds capture", update.done, update.total, detail=statuses or None, site_country=country
            ).message()
        )

    refresh = await capture_and_store(
        warehouse.connect,
        plan.targets,
        settings,
        now=now,
        batch_id=context.run.run_id,
        batch_events=config.batch_events,
        parse_workers=config.parse_workers,
        on_progress=progress,
        stamp_at=now if config.stamp_at_clock else None,
    )
    observed = scrape_metrics_metadata(context, refresh.metrics, refresh.metrics_warning)
    stored = refresh.stored
    return dg.MaterializeResult(
        metadata={
            **refresh.capture.metadata(),  # dicts and lists become JSON metadata
            "events": len(plan.targets),
            "stored_batches": stored.batches,
            "history_rows": stored.history_rows,
            "current_upserts": stored.current_upserts,
            "closed": stored.closed,
            "archived_responses": refresh.archived.rows,
            "archived_bytes": refresh.archived.stored_bytes,
            "filtered_sr_ids": len(config.sr_ids),
            "listings_via_genius": reach.listings,
            "listings_via_genius_by_book": reach.by_book,
            "genius_skipped": reach.skipped,
            **observed,
        }
    )


def interrupted_runs(
    instance: dg.DagsterInstance, run: dg.DagsterRun, now: datetime, step_key: str
) -> list[str]:
    """Ids of the runs of ``run``'s job over the same partitions that ended interrupted (dead runs failed
    first) within ``RESUME_WITHIN`` before their ``step_key`` step succeeded."""
    sweep_dead_runs(instance, now)
    records = instance.get_run_records(
        filters=dg.RunsFilter(
            job_name=run.job_name, statuses=_INTERRUPTED, created_after=now - RESUME_WITHIN
        ),
        limit=20,
    )
    return [
        r.dagster_run.run_id
        for r in records
        if r.dagster_run.run_id != run.run_id
        and all(r.dagster_run.tags.get(tag) == run.tags.get(tag) for tag in _PARTITION_TAGS)
        and not step_succeeded(instance, r.dagster_run.run_id, step_key)
    ]


def step_succeeded(instance: dg.DagsterInstance, run_id: str, step_key: str) -> bool:
    """Whether run ``run_id``'s step ``step_key`` succeeded."""
    successes = instance.all_logs(run_id, of_type=dg.DagsterEventType.STEP_SUCCESS)
    return any(record.step_key == step_key for record in successes)


class ComparisonConfig(dg.Config):
    """Bounds of the mapping checks (MARKETS.md): margins on complete main markets, and how far two books'
    prices for the same main-line outcome may be apart."""

    margin_low: float = 0.0
    margin_high: float = 0.25
    price_factor: float = 1.5
    #: A price older than this many times its kick-off tier's capture cadence is stale (transforms.freshness).
    stale_factor: float = DEFAULT_STALE_FACTOR
    #: The freshness check fails when more than this share of a book's shown prices are stale.
    stale_share_limit: float = 0.05
    #: Events compared per slice (transforms/comparison_chunks.py): bounds the step's memory, not its result.
    chunk_events: int = Field(default=25, ge=1)
    #: After this run's live capture, only the events it asked about are compared again; True rebuilds all.
    rebuild: bool = False


#: The tables built together from the stored current prices and the matched events, and what each holds.
_COMPARISON_TABLES = {
    comparison_key: "Per matched event, canonical market and outcome: each book's price, the best price and "
    "its book, BetPawa's gap to it and rank, and a margin-free consensus (power method). Table "
    "analytics.odds_comparison.",
    margins_key: "Each book's margin (sum of 1/odds - 1) per event and market, where the market is complete "
    "and open. View analytics.market_margins (table analytics.market_margins_stored).",
    availability_key: "Whether each book offers, suspends or lacks each market of each event it lists. "
    "Table analytics.market_availability.",
}

#: The comparison's checks: the table each judges and what it says.
_COMPARISON_CHECKS = {
    "margins_in_band": (
        margins_key,
        "Every book's margin on a complete main market lies in [margin_low, margin_high]; outside it, an "
        "outcome is probably mapped to the wrong key.",
    ),
    "prices_agree": (
        comparison_key,
        "No two books' prices for the same main-line outcome differ by more than price_factor.",
    ),
    "no_suspect_markets": (
        comparison_key,
        "No book's market has prices that cannot be true (an implausible implied-probability sum, or "
        "outcomes far from every other book's): a suspect market is probably keyed wrong. It is kept, "
        "flagged and left out of best price, rank and gap; counted in analytics.suspect_markets.",
    ),
    "prices_fresh": (
        comparison_key,
        "At most stale_share_limit of each book's shown prices are stale (older than stale_factor x their "
        "kick-off tier's capture cadence, or than a failed capture): more means that book's captures are "
        "late or failing, and its prices are left out of the comparison.",
    ),
}


def comparison_asset(country: str) -> dg.AssetsDefinition:
    """``country``'s comparison tables, after its capture and its matched events."""

    @dg.multi_asset(
        name=f"{country}__odds_comparison_tables",
        specs=[
            kickoff_table(
                key_of(country),
                deps=[odds_key(country), matched_key(country)],
                description=text,
                group_name=ODDS_GROUP,
                freshness_policy=ODDS_FRESHNESS,
            )
            for key_of, text in _COMPARISON_TABLES.items()
        ],
        check_specs=[
            dg.AssetCheckSpec(name, asset=key_of(country), description=text)
            for name, (key_of, text) in _COMPARISON_CHECKS.items()
        ],
        backfill_policy=single_run,
    )
    def odds_comparison_tables(
        context: dg.AssetExecutionContext,
        config: ComparisonConfig,
        warehouse: WarehouseResource,
        clock: ClockResource,
    ) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
        tiers = [(tier.max_lead, tier.every) for tier in load_settings().cadence_policy().tiers]
        incremental = not config.rebuild and _captured_live_in_this_run(context, country)
        dates = key_dates(context.partition_keys)
        summary = RangeSummary(
            margin_low=config.margin_low, margin_high=config.margin_high, price_factor=config.price_factor
        )
        with warehouse.connect() as conn:
            run_id = context.run.run_id
            captured = read_captured_sr_ids(conn, run_id, site_country=country) if incremental else None
            whole = rebuild_comparison(
                conn, dates, clock.now(), summary=summary, tiers=tiers, stale_factor=config.stale_factor,
                chunk_events=config.chunk_events, site_country=country, sr_ids=captured,
            )  # fmt: skip
        if captured is not None:
            context.log.info(
                f"{country}: compared again the {len(captured)} event(s) this run captured; "
                f"{len(whole)} of {len(dates)} date(s) rebuilt whole (never built, or every event captured)"
            )
        yield from _comparison_results(country, summary, config, rebuilt_dates=len(whole))

    return odds_comparison_tables


def _captured_live_in_this_run(context: dg.AssetExecutionContext, country: str) -> bool:
    """Whether this run's live capture step of ``country`` succeeded before this step: then only the events
    it asked about changed (an archive replay re-derives whole dates)."""
    step = capture_op(country)
    ops: Any = context.run.run_config.get("ops", {})
    live = ops.get(step, {}).get("config", {}).get("source", "live") == "live"
    return live and step_succeeded(context.instance, context.run.run_id, step)


@dataclass(frozen=True)
class ComparisonOutputs:
    """What a comparison says of its three tables (metadata per asset key) and its four checks."""

    materialized: dict[dg.AssetKey, dict[str, Any]]
    #: (asset key, check name, passed, metadata, severity) each
    checks: list[tuple[dg.AssetKey, str, bool, dict[str, Any], dg.AssetCheckSeverity]]


def comparison_outputs(
    country: str, summary: RangeSummary, config: ComparisonConfig, *, rebuilt_dates: int
) -> ComparisonOutputs:
    """The three tables' figures and the four checks of ``country``'s comparison: of the events compared
    (after a capture, those it captured; ``rebuilt_dates`` dates were rebuilt whole)."""
    best_share = summary.betpawa_best_share()
    fresh_enough, staleness = summary.stale_shares(limit=config.stale_share_limit)
    materialized: dict[dg.AssetKey, dict[str, Any]] = {
        comparison_key(country): {
            "rows": summary.rows,
            # rows deleted, updated and inserted across the comparison tables: only what changed
            "rows_written": summary.rows_written,
            "events": summary.events,
            "rebuilt_dates": rebuilt_dates,
            "betpawa_best_share": None if best_share is None else round(best_share, 4),
            "suspect_markets": sum(summary.suspects_by_market.values()),
            "stale_by_book": staleness,
        },
        margins_key(country): {
            "rows": summary.margin_rows,
            "median_margin_by_book": summary.median_margins(),
        },
        availability_key(country): {
            "rows": sum(summary.by_availability.values()),
            "by_availability": dict(summary.by_availability),
        },
    }
    error, warn = dg.AssetCheckSeverity.ERROR, dg.AssetCheckSeverity.WARN
    checks = [
        (key, name, passed, dict(details), severity)
        for key, name, (passed, details), severity in (
            (margins_key(country), "margins_in_band", summary.margin_check(), error),
            (comparison_key(country), "prices_agree", summary.price_check(), error),
            (comparison_key(country), "no_suspect_markets", summary.suspect_check(), warn),
            (comparison_key(country), "prices_fresh", (fresh_enough, {"stale_by_book": staleness}), warn),
        )
    ]
    return ComparisonOutputs(materialized, checks)


def _comparison_results(
    country: str, summary: RangeSummary, config: ComparisonConfig, *, rebuilt_dates: int
) -> Iterator[Result]:
    """``comparison_outputs`` as the comparison asset's results."""
    outputs = comparison_outputs(country, summary, config, rebuilt_dates=rebuilt_dates)
    for key, metadata in outputs.materialized.items():
        yield dg.MaterializeResult(asset_key=key, metadata=metadata)
    for key, name, passed, details, severity in outputs.checks:
        yield dg.AssetCheckResult(
            asset_key=key, check_name=name, passed=passed, severity=severity, metadata=details
        )


odds_assets = [
    asset for country in SITE_COUNTRIES for asset in (odds_asset(country), comparison_asset(country))
]
