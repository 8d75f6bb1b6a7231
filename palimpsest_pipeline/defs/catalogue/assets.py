"""Catalogue assets: each book edition's tournaments and events by kick-off date, one multi-asset per book and
site country (one scrape yields both tables), each in its edition's pool so a book that is down fails only
its own step."""

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import dagster as dg

from palimpsest_pipeline.books.settings import BookSettings
from palimpsest_pipeline.defs.catalogue.archive_source import CatalogueConfig
from palimpsest_pipeline.defs.countries import catalogue_op, country_key
from palimpsest_pipeline.defs.partitions import SITE_COUNTRIES, kickoff_table, single_run
from palimpsest_pipeline.defs.resources import (
    LOCATION_SETTINGS,
    BooksResource,
    ClockResource,
    WarehouseResource,
)
from palimpsest_pipeline.defs.runs.observability import scrape_metrics_metadata, trigger_of
from palimpsest_pipeline.deploy.pools import book_pool
from palimpsest_pipeline.deploy.progress_log import ProgressRecord, ProgressThrottle
from palimpsest_pipeline.frames import events_frame
from palimpsest_pipeline.partition_keys import key_dates
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.archive.catalogue_replay import rebuild_catalogue_from_archive
from palimpsest_pipeline.scrape.catalogue import CatalogueScrape
from palimpsest_pipeline.scrape.catalogue_refresh import refresh_catalogue
from palimpsest_pipeline.settings import load_settings
from palimpsest_pipeline.transforms.invariants import no_duplicate_book_ids, sr_id_unique_per_book
from palimpsest_pipeline.warehouse import catalogue_store

CATALOGUE_GROUP = "catalogue"


def catalogue_keys(book: Book, country: str) -> tuple[dg.AssetKey, dg.AssetKey]:
    """The (tournaments, events) asset keys of one book edition: ``ng/betpawa/events``."""
    return country_key(country, book.value, "tournaments"), country_key(country, book.value, "events")


def events_keys(country: str) -> list[dg.AssetKey]:
    """The events assets of every book scraped in ``country``."""
    books = LOCATION_SETTINGS.competitors().scraped_books(country)
    return [catalogue_keys(book, country)[1] for book in books]


def _specs(book: Book, country: str) -> list[dg.AssetSpec]:
    """The edition's tables, read from the book in Python (not derived with Polars)."""
    tournaments_key, events_key = catalogue_keys(book, country)
    descriptions = {
        tournaments_key: f"Tournaments {book.value} lists on its {country} site, with first/last seen and "
        "soft deletes (table core.tournaments, view analytics.tournaments).",
        events_key: f"Upcoming events {book.value} lists on its {country} site, by kick-off date (UTC), "
        "with SportRadar ids where the book gives one (table core.events, view analytics.events).",
    }
    return [
        kickoff_table(key, description=text, group_name=CATALOGUE_GROUP, kinds={"python", "postgres"})
        for key, text in descriptions.items()
    ]


#: The checks of a book's events, and what each says.
_CHECKS = {
    "no_duplicate_event_ids": "The scrape lists each of the book's event ids once.",
    "catalogue_refreshed": "This run refreshed the book's catalogue. Failing: the scrape failed, nothing of "
    "the book was stored, and matching and coverage ran on its last good one (marked stale).",
    "sports_refreshed": "This run read every sport of the book whole. Failing: the sports named were held "
    "(their lists answered empty or short of the book's own counts or of the warehouse's live events, or "
    "with a row that could not be read): nothing of theirs was withdrawn; they are stale.",
    "sr_id_unique": "A SportRadar id maps to at most one event of the book.",
}


def _check_specs(book: Book, country: str) -> list[dg.AssetCheckSpec]:
    _, events_key = catalogue_keys(book, country)
    return [dg.AssetCheckSpec(name, asset=events_key, description=text) for name, text in _CHECKS.items()]


def catalogue_asset(book: Book, country: str) -> dg.AssetsDefinition:
    """The tournaments + events multi-asset of ``book``'s ``country`` edition, in the edition's pool."""

    @dg.multi_asset(
        name=catalogue_op(book, country),
        specs=_specs(book, country),
        check_specs=_check_specs(book, country),
        backfill_policy=single_run,
        pool=book_pool(book, country),
    )
    async def _catalogue(
        context: dg.AssetExecutionContext,
        config: CatalogueConfig,
        warehouse: WarehouseResource,
        books: BooksResource,
        clock: ClockResource,
    ):  # Dagster reads a tuple annotation as one output per entry
        # Yielded: Dagster records a multi-asset's check results only when it yields them.
        settings = books.settings(country)[book]
        dates = key_dates(context.partition_keys)
        if config.source == "archive":
            results = await _from_archive(settings, dates, context, warehouse)
        else:
            results = await _live(settings, dates, context, warehouse, books, clock)
        for result in results:
            yield result

    return _catalogue


async def _live(
    settings: BookSettings,
    dates: list[date],
    context: dg.AssetExecutionContext,
    warehouse: WarehouseResource,
    books: BooksResource,
    clock: ClockResource,
) -> tuple[Any, ...]:
    book, country = settings.book, settings.site_country
    context.log.info(f"scraping {book.value} {country} at {settings.base_url}")
    refresh = await refresh_catalogue(
        warehouse.connect,
        book,
        settings,
        sports=books.sports,
        horizon=timedelta(days=books.horizon_days),
        now=clock.now(),
        dates=dates,
        batch_id=context.run.run_id,
        trigger=trigger_of(context.run.tags),
        on_response=_progress(context, book, country),
        policy=load_settings().withdrawal_policy(),
    )
    observed = scrape_metrics_metadata(context, [refresh.metrics], refresh.metrics_warning)
    scrape = refresh.scrape
    if not refresh.refreshed:
        # Degrade: downstream steps run on the last good catalogue, marked stale (the failed check says so).
        context.log.error(
            f"{book.value} catalogue scrape {scrape.status} ({scrape.error_messages[0]}); "
            "its last good catalogue is kept"
        )
    else:
        stored = ProgressRecord(
            "catalogue", refresh.events_in_dates, book=book.value, detail="stored", site_country=country
        )
        context.log.info(stored.message())
    return _results(
        book,
        country,
        scrape,
        refresh.stats,
        refresh.events_in_dates,
        refresh.dates_written,
        refresh.events_without_sr_id,
        extra=observed,
        refreshed=refresh.refreshed,
    )


async def _from_archive(
    settings: BookSettings, dates: list[date], context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> tuple[Any, ...]:
    """The same outputs as a live scrape, from the archived scrapes reaching the run's dates."""
    book = settings.book
    with warehouse.connect() as conn:
        replay = await rebuild_catalogue_from_archive(
            conn,
            book,
            settings,
            dates,
            batch_id=context.run.run_id,
            trigger=f"archive:{trigger_of(context.run.tags)}",
            policy=load_settings().withdrawal_policy(),
        )
    if replay.last_scrape is None:
        raise dg.Failure(
            description=f"no archived {book.value} catalogue scrape reaches {dates[0]}..{dates[-1]}; "
            "stored data left unchanged"
        )
    missing = sorted(set(dates) - replay.dates_written)
    context.log.info(
        f"{book.value}: replayed {replay.scrapes} archived scrapes ({replay.incomplete} incomplete, "
        f"{replay.refused} refused as the live run refused them), "
        f"{len(missing)} of {len(dates)} dates not covered by the archive"
    )
    return _results(
        book,
        settings.site_country,
        replay.last_scrape,
        replay.stats,
        replay.events_in_dates,
        len(replay.dates_written),
        replay.events_without_sr_id,
        extra={
            "archived_scrapes": replay.scrapes,
            "incomplete_replays": replay.incomplete,
            "refused_replays": replay.refused,
            "requests_served": replay.requests_served,
            "requests_not_archived": replay.requests_missing,
            "dates_not_in_archive": [d.isoformat() for d in missing],
        },
    )


def _results(
    book: Book,
    country: str,
    scrape: CatalogueScrape,
    stats: catalogue_store.StoreStats,
    events_in_partitions: int,
    dates_written: int,
    without_sr_id: int,
    extra: dict[str, Any] | None = None,
    refreshed: bool = True,
) -> tuple[Any, ...]:
    tournaments_key, events_key = catalogue_keys(book, country)
    frame = events_frame(scrape.events)
    common = {**_scrape_metadata(scrape), **(extra or {})}
    return (
        dg.MaterializeResult(
            asset_key=tournaments_key,
            metadata={**common, "tournaments": len(scrape.tournaments)},
        ),
        dg.MaterializeResult(
            asset_key=events_key,
            metadata={
                **common,
                "events_in_partitions": events_in_partitions,
                "events_listed": len(scrape.events),
                "events_without_sr_id": without_sr_id,
                "inserted": stats.inserted,
                "updated": stats.updated,
                "unchanged": stats.unchanged,
                "soft_deleted": stats.deleted,
                "missed_once_kept": stats.missed,
                "moved_or_outside_dates": stats.outside_dates,
                "revived": stats.revived,
                "dates_written": dates_written,
                "stale": not refreshed,
                "stale_sports": dict(scrape.held_sports),
            },
        ),
        *(
            dg.AssetCheckResult(asset_key=events_key, check_name=name, passed=passed, metadata=details)
            for name, (passed, details) in (
                ("no_duplicate_event_ids", no_duplicate_book_ids(frame)),
                ("sr_id_unique", sr_id_unique_per_book(frame)),
            )
        ),
        dg.AssetCheckResult(
            asset_key=events_key,
            check_name="sports_refreshed",
            passed=not scrape.held_sports,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={"stale_sports": dict(scrape.held_sports)},
        ),
        dg.AssetCheckResult(
            asset_key=events_key,
            check_name="catalogue_refreshed",
            passed=refreshed,
            severity=dg.AssetCheckSeverity.ERROR,
            metadata={
                "status": scrape.status,
                "first_errors": common["first_errors"],
                "bad_list_rows": sum(1 for q in scrape.quarantined if q.url.endswith(" list row")),
            },
        ),
    )


def _scrape_metadata(scrape: CatalogueScrape) -> dict[str, Any]:
    stats = scrape.stats
    return {
        "status": scrape.status,
        "complete": scrape.complete,
        "requests": stats.requests,
        "errors": dict(stats.errors),
        "throttled": stats.throttled,
        "latency_p50_ms": stats.latency_p50_ms,
        "latency_p95_ms": stats.latency_p95_ms,
        "quarantined": len(scrape.quarantined),
        "duration_s": round((scrape.finished_at - scrape.started_at).total_seconds(), 3),
        "first_errors": list(scrape.error_messages[:5]),
    }


catalogue_assets = [
    catalogue_asset(book, country)
    for country in SITE_COUNTRIES
    for book in LOCATION_SETTINGS.competitors().scraped_books(country)
]


def _progress(context: dg.AssetExecutionContext, book: Book, country: str) -> Callable[[], None]:
    """A progress record of the responses so far every couple of seconds (a scrape's event count is known
    only at its last page)."""
    responses = 0
    throttle = ProgressThrottle(context.log.info)

    def tick() -> None:
        nonlocal responses
        responses += 1
        throttle(
            ProgressRecord("catalogue", responses, book=book.value, unit="responses", site_country=country)
        )

    return tick
