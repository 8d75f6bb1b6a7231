"""Judging a book's catalogue scrape and storing what may be stored, for the live refresh and the archive
replay alike: a sport dropping too many live events is held (named stale); a book whose remaining sports
are implausible is ``suspect`` and stores nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import psycopg

from palimpsest_pipeline.scrape.catalogue import CatalogueScrape
from palimpsest_pipeline.warehouse import catalogue_store
from palimpsest_pipeline.warehouse.partitions import utc_day
from palimpsest_pipeline.warehouse.withdrawal import (
    SportCounts,
    WithdrawalPolicy,
    counts_by_sport,
    drop_verdict,
)

#: Statuses stored as failures: nothing of such a scrape reaches the catalogue.
REFUSED = frozenset({"failed", "suspect"})


def judge_scrape(
    conn: psycopg.Connection,
    scrape: CatalogueScrape,
    *,
    sports: Sequence[str],
    dates: Sequence[date],
    captured_at: datetime,
    policy: WithdrawalPolicy,
) -> CatalogueScrape:
    """``scrape`` judged against the warehouse: sports held where they cannot be true, or suspect as a
    whole. Only an ``ok`` scrape is judged (any other stores no withdrawal, or nothing)."""
    if scrape.status != "ok":
        return scrape
    whole = [sport for sport in sports if sport not in scrape.held_sports]
    counts = counts_by_sport(
        conn,
        book=scrape.book,
        site_country=scrape.site_country,
        events=scrape.events,
        dates=dates,
        captured_at=captured_at,
        sports=whole,
    )
    share = policy.max_drop_share
    held = {}  # each sport that cannot be true on its own, by the book-level rule, and why
    for sport in whole:
        tally = counts.get(sport, SportCounts())
        if (why := drop_verdict(tally.live, tally.missing, tally.listed, share)) is not None:
            held[sport] = why
    rest = sum((counts[sport] for sport in whole if sport not in held), SportCounts())
    verdict = drop_verdict(rest.live, rest.missing, rest.listed, share)
    if verdict is None and held and len(held) == len(whole):
        verdict = "every sport read whole cannot be true: " + "; ".join(f"{s} {r}" for s, r in held.items())
    all_held = sorted({*scrape.held_sports, *held})
    if verdict is None and all_held and not _lists_any(scrape, sports, dates):
        # a book whose lists give no counts (MSport, Betway) answers a short list as a complete one
        verdict = f"listed no event on the run's dates while it holds {', '.join(all_held)}"
    if verdict is not None:
        return scrape.judged_suspect(verdict)
    return scrape.holding(held) if held else scrape


def _lists_any(scrape: CatalogueScrape, sports: Sequence[str], dates: Sequence[date]) -> bool:
    """Whether ``scrape`` lists an event of ``sports`` kicking off on one of ``dates`` (UTC)."""
    wanted = set(dates)
    return any(event.sport in sports and utc_day(event.kickoff) in wanted for event in scrape.events)


def store_judged(
    conn: psycopg.Connection,
    judged: CatalogueScrape,
    *,
    sports: Sequence[str],
    dates: Sequence[date],
    captured_at: datetime,
    policy: WithdrawalPolicy,
    batch_id: str,
) -> catalogue_store.StoreStats:
    """Store a judged scrape for ``dates`` (nothing when refused), withdrawing only in the sports it read
    whole."""
    if judged.status in REFUSED:
        return catalogue_store.StoreStats()
    return catalogue_store.store_catalogue(
        conn,
        book=judged.book,
        site_country=judged.site_country,
        tournaments=judged.tournaments,
        events=judged.events,
        dates=dates,
        captured_at=captured_at,
        batch_id=batch_id,
        complete=judged.complete,
        sports=[sport for sport in sports if sport not in judged.held_sports],
        withdraw_after=policy.withdraw_after,
        set_aside=judged.set_aside_rows,
    )
