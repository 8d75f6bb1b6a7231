"""The live watcher: a country's books' live lists asked at the same moment, gaps and suspended shares stored;
a failing book's answer changes nothing and is recorded with its reason.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime

import polars as pl
import psycopg

from palimpsest_pipeline.books.errors import BookError
from palimpsest_pipeline.books.http import BookClient
from palimpsest_pipeline.books.kits import KITS
from palimpsest_pipeline.books.settings import BookSettings
from palimpsest_pipeline.books.sports import sport_by_key
from palimpsest_pipeline.records import Book, LiveEvent, Suspension
from palimpsest_pipeline.scrape.inplay_suspension import record_inplay_suspension
from palimpsest_pipeline.scrape.live_snapshots import Recompute, SnapshotOutcome, take_live_snapshots
from palimpsest_pipeline.transforms.live_coverage import gap_changes, judge_answer, link_sr_ids, suspension
from palimpsest_pipeline.transforms.live_starts import WATCH_GAP, judged_window, live_starts
from palimpsest_pipeline.warehouse import live_store, quarantine
from palimpsest_pipeline.warehouse.connections import Connect

#: The live clients' limits, and caps on the book's own: a live list is one to a few requests, and a poll must
#: end within its interval.
LIVE_LIMITS = {"max_in_flight": 2, "max_attempts": 2, "connect_timeout_s": 5.0, "read_timeout_s": 8.0}
LIVE_CAPS = {"attempt_timeout_s": 10.0, "backoff_cap_s": 1.0, "retry_after_cap_s": 1.0}


@dataclass(frozen=True)
class BookAnswer:
    """One book's live list in one poll: its rows, or why there are none."""

    book: Book
    events: list[LiveEvent] | None
    bad_rows: int = 0
    error: str | None = None


@dataclass
class PollOutcome:
    """What one poll saw and stored."""

    polled_at: datetime
    books: list[Suspension]
    opened: int = 0
    continued: int = 0
    closed: int = 0
    stored: bool = True

    @property
    def live_counts(self) -> dict[str, int | None]:
        return {s.book.value: s.live_events for s in self.books}


def live_client_settings(settings: BookSettings) -> BookSettings:
    """The book's settings narrowed for the live poll (its own base URL for the live API, small limits)."""
    capped = {name: min(getattr(settings, name), cap) for name, cap in LIVE_CAPS.items()}
    live = KITS[settings.book].live_adapter().live_settings(settings)
    return live.model_copy(update={**LIVE_LIMITS, **capped})


@asynccontextmanager
async def live_clients(settings: Mapping[Book, BookSettings]) -> AsyncIterator[dict[Book, BookClient]]:
    """One small client per book of ``settings`` (one country's) for a whole watch: its connections are kept
    alive from poll to poll."""
    async with AsyncExitStack() as stack:
        clients = {}
        for book, book_settings in settings.items():
            client = BookClient(
                live_client_settings(book_settings), KITS[book].live_adapter().wire(book_settings)
            )
            clients[book] = await stack.enter_async_context(client)
        yield clients


async def ask_book(client: BookClient, sports: Sequence[str]) -> BookAnswer:
    """One book's live list; a failure is an answer with its reason, never an exception."""
    adapter = KITS[client.book].live_adapter()
    try:
        parts = await adapter.list_live(client, [sport_by_key(key) for key in sports])
    except BookError as error:
        return BookAnswer(client.book, None, error=str(error)[:500])
    events = _storable(client.book, parts.events)
    bad_rows = len(parts.bad_rows) + len(parts.events) - len(events)
    if bad_rows and not events:
        return BookAnswer(client.book, None, bad_rows, f"none of {bad_rows} rows read")
    return BookAnswer(client.book, events, bad_rows)


def _storable(book: Book, events: Sequence[LiveEvent]) -> list[LiveEvent]:
    """The rows the store can hold (``quarantine.screen_listing``, NULs removed): a row whose SR id is past
    bigint, or whose id no store takes, is an unreadable row of its book, never the whole poll's failure."""
    kept = []
    for live in events:
        event, _ = quarantine.screen_listing(live.event, book)
        if event is not None:
            kept.append(live if event is live.event else replace(live, event=event))
    return kept


def store_poll(
    connect: Connect,
    answers: Mapping[Book, BookAnswer],
    polled_at: datetime,
    site_country: str,
) -> PollOutcome:
    """Judge the answers (of ``site_country``'s sites), work out that country's gap episodes and store them
    with the counts, the books' first live sightings, the live starts they change and the in-play suspension,
    in one transaction."""
    with connect() as conn, live_store.poll_turn(conn, site_country) as newest:
        previous = live_store.last_counts(conn, site_country)
        books: list[Suspension] = []
        views: dict[Book, list[LiveEvent] | None] = {}
        for book, answer in answers.items():
            problem = judge_answer(answer.events, previous.get(book))
            status = "ok" if problem is None else ("failed" if answer.events is None else "implausible")
            views[book] = answer.events if problem is None else None
            books.append(suspension(book, answer.events, status, answer.error or problem, answer.bad_rows))
        if newest is not None and polled_at <= newest:
            return PollOutcome(polled_at, books, stored=False)
        partial = frozenset(
            book for book, answer in answers.items() if views[book] is not None and answer.bad_rows
        )
        changes = gap_changes(views, live_store.open_gaps(conn, site_country), polled_at, partial)
        live_store.record_poll(conn, site_country, polled_at, changes, books)
        linked = link_sr_ids(views)[0]
        live_store.record_sightings(conn, site_country, polled_at, linked)
        record_inplay_suspension(conn, site_country, polled_at, linked)
        refresh_live_starts(conn, site_country, judged_window(polled_at, newest))
    return PollOutcome(polled_at, books, len(changes.opened), len(changes.continued), len(changes.closed))


def refresh_live_starts(
    conn: psycopg.Connection, site_country: str, window: tuple[datetime, datetime]
) -> pl.DataFrame:
    """Judge ``site_country``'s live starts of the matches kicking off in ``window`` (after, up to: the
    poll's instant) and write them (the caller's transaction); returns the rows."""
    inputs = live_store.live_start_inputs(conn, site_country, window, WATCH_GAP)
    frame = live_starts(inputs.events, inputs.moves, inputs.sightings, inputs.polls, window[1])
    live_store.write_live_starts(conn, site_country, window, frame)
    return frame


async def poll_once(
    connect: Connect,
    clients: Mapping[Book, BookClient],
    sports: Sequence[str],
    now: Callable[[], datetime],
    site_country: str,
) -> PollOutcome:
    """One poll: the live lists of ``site_country``'s sites at ``now()`` through the watch's clients, then
    stored."""
    polled_at = now()
    answers = await asyncio.gather(*(ask_book(client, sports) for client in clients.values()))
    by_book = {answer.book: answer for answer in answers}
    return await asyncio.to_thread(store_poll, connect, by_book, polled_at, site_country)


@dataclass
class WatchSummary:
    """What a watch did: its polls, and the latest poll's figures."""

    polls: list[PollOutcome] = field(default_factory=list)
    open_gaps: dict[str, int] = field(default_factory=dict)
    snapshots: dict[str, int] = field(default_factory=dict)


async def watch_live(
    connect: Connect,
    settings: Mapping[Book, BookSettings],
    sports: Sequence[str],
    *,
    now: Callable[[], datetime],
    duration_s: float,
    interval_s: float,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    on_poll: Callable[[PollOutcome], None] | None = None,
    on_snapshots: Callable[[SnapshotOutcome], None] | None = None,
    site_country: str,
    recompute: Recompute | None = None,
    polls: int | None = None,
) -> WatchSummary:
    """Poll ``site_country``'s sites every ``interval_s`` for ``duration_s``, at most ``ceil(duration /
    interval)`` polls, the first at once; an overrun is followed by one poll at once, never a burst. After
    each stored poll, given ``recompute``, the live snapshots due are taken (``live_snapshots``). Given
    ``polls``: that many, however long they take (a clock of its own moving between them)."""
    summary = WatchSummary()
    most = max(1, math.ceil(duration_s / interval_s)) if polls is None else polls
    started = time.monotonic()
    async with live_clients(settings) as clients:
        while True:
            begun = time.monotonic()
            outcome = await poll_once(connect, clients, sports, now, site_country)
            summary.polls.append(outcome)
            if on_poll is not None:
                on_poll(outcome)
            if recompute is not None and outcome.stored:
                taken = await take_live_snapshots(
                    connect, settings, site_country, outcome.polled_at, recompute
                )
                for status, count in taken.statuses.items():
                    summary.snapshots[status] = summary.snapshots.get(status, 0) + count
                if on_snapshots is not None and taken.statuses:
                    on_snapshots(taken)
            next_at = begun + interval_s
            if len(summary.polls) >= most or (polls is None and next_at - started >= duration_s):
                break
            await sleep(max(0.0, next_at - time.monotonic()))
    with connect() as conn:
        summary.open_gaps = live_store.open_gap_counts(conn, site_country)
    return summary
