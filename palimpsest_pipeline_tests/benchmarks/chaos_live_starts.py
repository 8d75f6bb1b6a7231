"""The chaos run's live-starts cell (``live_starts_book_down``): the live watcher polls Nigeria's books every
30 s around a day's kick-offs while Bet9ja is down through every other one, the catalogue refreshed before
each, the matches captured prematch at T-61, T-16 and T-1.5 minutes, the live snapshots taken after each poll
as the watch takes them, and one suspension spell forced per kick-off on a book in turn at a goal
(``chaos_live_suspension``). Every stored start is judged against the world's truth (``live_start_judge``):
a kick-off Bet9ja was down for must be ``unmonitored`` there, never ``late``, and its snapshots missed with
their reason, never a retention; every other start as the world says (late found within a poll with the
world's reason, none invented, reschedules and delayed matches included); every retention row's figures as
the world's market lists say (``chaos_live_retention``); every in-play suspension row as the world's boards
at the polled instants say, the down book's failing polls adding nothing. Any mismatch fails ``ok``."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as day_time

import psycopg

from palimpsest_pipeline.defs.resources import WarehouseResource
from palimpsest_pipeline.derive.market_retention import refresh_market_retention
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.live_snapshots import take_live_snapshots
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline_tests.benchmarks.chaos_live_retention import (
    RETENTION_MISMATCHES,
    capture_at,
    capture_instants,
    judge_retention,
)
from palimpsest_pipeline_tests.benchmarks.chaos_live_suspension import (
    SPELL_AFTER_POLL,
    SUSPENSION_MISMATCHES,
    clear_forced,
    force,
    judge_suspension,
    spells_at_goals,
)
from palimpsest_pipeline_tests.fixtures_sandbox import fast_book_settings
from palimpsest_pipeline_tests.live_start_judge import Stored, expected_truth, judge, read_stored, was_down
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_pipeline_tests.scrape.live_polls import poll_through
from palimpsest_pipeline_tests.scrape.sandbox_refresh import catalogue_refresher
from palimpsest_sandbox import SandboxHandle, WorldEvent
from palimpsest_sandbox.config import FaultConfig, SandboxConfig
from palimpsest_sandbox.live_coverage import ForcedSuspensions

CELL = "live_starts_book_down"
DOWN_BOOK = Book.BET9JA
POLL = timedelta(seconds=30)
#: Kick-offs judged: at most this many of the day's, at least this far apart (so one's polls never run into
#: the next one's failing spell), from this hour on (after the chaos's frozen instant).
MAX_KICKOFFS = 8
APART = timedelta(minutes=40)
FROM_HOUR = 10
#: Polls from this long before each kick-off to this long after (a match delayed 15 minutes and covered
#: 7 minutes late is live by then), and one past the never-live threshold.
BEFORE, AFTER, NEVER = timedelta(minutes=2), timedelta(minutes=25), timedelta(minutes=91)
#: The down book fails from this long before a kick-off to this long after.
DOWN_BEFORE, DOWN_AFTER = timedelta(minutes=3), timedelta(minutes=7)
#: The catalogue's refreshes: one early in the day, then this long before each kick-off.
REFRESH_BEFORE = timedelta(minutes=20)
MISMATCHES = (
    "late_invented", "late_missed", "late_while_down", "unmonitored_missing", "status_wrong",
    "first_live_wrong", "reason_wrong", "truth_without_start", "late_at_old_kickoff", *RETENTION_MISMATCHES,
    *SUSPENSION_MISMATCHES,
)  # fmt: skip


@dataclass
class LiveStartFigures:
    """What the cell judged and every mismatch with the world, by kind (each must be zero)."""

    cell: str
    book: str | None
    kickoffs: int = 0
    down_kickoffs: int = 0
    polls: int = 0
    starts_judged: int = 0
    checked: dict[str, int] = field(default_factory=dict)
    #: Prematch capture results by status, and the retention figures (rows judged, snapshots by status).
    captures: dict[str, int] = field(default_factory=dict)
    retention: dict[str, int] = field(default_factory=dict)
    #: The in-play suspension figures (rows and lines stored, spells forced, rows set aside).
    suspension: dict[str, int] = field(default_factory=dict)
    mismatches: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MISMATCHES, 0))
    examples: list[str] = field(default_factory=list)
    wall_s: float = 0.0

    def wrong(self) -> int:
        return sum(self.mismatches.values())


def run_live_starts_cell(
    sandbox: SandboxHandle,
    database: Callable[[], AbstractContextManager[str]],
    day: date,
    restore_at: datetime,
    config: SandboxConfig,
) -> LiveStartFigures:
    """The cell on ``day``'s kick-offs in a fresh migrated ``database()`` (the sandbox runs ``config``); the
    sandbox's clock goes back to ``restore_at`` (frozen) and the down book to its behaviour after."""
    figures = LiveStartFigures(CELL, DOWN_BOOK.value)
    started = time.monotonic()
    kickoffs = _kickoffs(sandbox, day)
    spells = [(k - DOWN_BEFORE, k + DOWN_AFTER) for k in kickoffs[1::2]]
    figures.kickoffs, figures.down_kickoffs = len(kickoffs), len(spells)
    refreshes = [datetime.combine(day, day_time(3), tzinfo=UTC)] + [k - REFRESH_BEFORE for k in kickoffs]
    polls = sorted(
        {k + POLL * n for k in kickoffs for n in range(-4, 2 * 25 + 1)} | {k + NEVER for k in kickoffs}
    )
    actions = sorted(
        [(at, "refresh") for at in refreshes] + [(at, "capture") for at in capture_instants(kickoffs)]
    )
    sr_ids = [e.sr_id for e in sandbox.world._day(day) if e.kickoff in kickoffs]
    goal_spells = spells_at_goals([e for e in sandbox.world._day(day) if _linkable(e)], kickoffs, polls)
    forced = ForcedSuspensions()
    previous = sandbox.behaviour(DOWN_BOOK)

    def polled(book: Book, at: datetime) -> bool:
        return book is not DOWN_BOOK or not any(start <= at < end for start, end in spells)

    try:
        clear_forced(sandbox)
        with database() as url:
            refresh = catalogue_refresher(sandbox, url)
            connect = WarehouseResource(database_url=url).connect
            settings = fast_book_settings(sandbox)

            def set_failing(failing: bool) -> None:
                sandbox.set_faults(DOWN_BOOK, FaultConfig(fail_status=503) if failing else None)

            async def after_poll(at: datetime) -> None:
                await take_live_snapshots(connect, settings, "ng", at, refresh_market_retention)
                for spell in (s for s in goal_spells if s.at - SPELL_AFTER_POLL == at):
                    force(sandbox, spell, forced)

            for step, (at, kind) in enumerate(
                actions
            ):  # each refresh or capture, then the polls until the next
                if kind == "refresh":
                    sandbox.set_clock(at, frozen=True)
                    for book in NIGERIA_BOOKS:
                        refresh(book, f"{CELL}-{step}-{book.value}")
                else:
                    set_failing(any(start <= at < end for start, end in spells))
                    for status, n in capture_at(connect, sandbox, settings, day, sr_ids, at).items():
                        figures.captures[status] = figures.captures.get(status, 0) + n
                    set_failing(False)
                until = actions[step + 1][0] if step + 1 < len(actions) else polls[-1] + POLL
                segment = [p for p in polls if at < p <= until]
                figures.polls += poll_through(sandbox, url, segment, spells, set_failing, after_poll)
            with psycopg.connect(libpq_url(url)) as conn:
                down = _judge_all(figures, sandbox, conn, day, kickoffs, refreshes, spells)
                events = {e.sr_id: e for e in sandbox.world._day(day)}
                catalogued = {
                    (sr_id, book)
                    for sr_id, book in conn.execute(
                        "SELECT sr_id, book FROM core.events WHERE site_country = 'ng'"
                    ).fetchall()
                }
                found, wrong, examples = judge_retention(
                    conn, events, config, polls, kickoffs, AFTER, catalogued, down, forced
                )
                figures.retention = found
                suspension = judge_suspension(conn, sandbox, polls, polled, forced)
                figures.suspension = suspension.figures
                for kind, n in (wrong | suspension.mismatches).items():
                    figures.mismatches[kind] += n
                for example in examples + suspension.examples:
                    if len(figures.examples) < 10:
                        figures.examples.append(example)
    finally:
        clear_forced(sandbox)
        sandbox.set_behaviour(DOWN_BOOK, previous)
        sandbox.set_clock(restore_at, frozen=True)
    figures.wall_s = round(time.monotonic() - started, 1)
    return figures


def _kickoffs(sandbox: SandboxHandle, day: date) -> list[datetime]:
    """Up to ``MAX_KICKOFFS`` of ``day``'s kick-offs of linkable matches, ``APART`` from each other: first
    those of the world's start cases (a delayed match, a reschedule's old and new kick-offs), then the rest
    in time order."""
    events = [e for e in sandbox.world._day(day) if _linkable(e)]
    cased = {e.kickoff for e in events if e.rescheduled is not None or e.play_delay} | {
        e.rescheduled.listed_before for e in events if e.rescheduled is not None
    }
    candidates = sorted({e.kickoff for e in events} | cased, key=lambda k: (k not in cased, k))
    chosen: list[datetime] = []
    for kickoff in candidates:
        if kickoff.hour >= FROM_HOUR and all(abs(kickoff - other) >= APART for other in chosen):
            chosen.append(kickoff)
    return sorted(chosen[:MAX_KICKOFFS])


def _linkable(event: WorldEvent) -> bool:
    return all(event.visible_sr_id(book) is not None for book in NIGERIA_BOOKS)


def _judge_all(
    figures: LiveStartFigures,
    sandbox: SandboxHandle,
    conn: psycopg.Connection,
    day: date,
    kickoffs: list[datetime],
    refreshes: list[datetime],
    spells: list[tuple[datetime, datetime]],
) -> set[tuple[int, Book]]:
    """Every start against the world; the (match, book) whose kick-off the down book was down for."""
    stored = read_stored(conn, day)
    down_at: set[tuple[int, Book]] = set()
    catalogued = set(conn.execute("SELECT sr_id, book FROM core.events WHERE site_country = 'ng'").fetchall())
    for event in (e for e in sandbox.world._day(day) if _linkable(e)):
        moved_from = None if event.rescheduled is None else event.rescheduled.listed_before
        for book in NIGERIA_BOOKS:
            row = stored.get((event.sr_id, book), Stored(None, None, None))
            if moved_from in kickoffs and event.kickoff not in kickoffs and row.status == "late":
                _count(figures, "late_at_old_kickoff", f"{event.sr_id} {book.value} moved from {moved_from}")
            truth = expected_truth(event, book, refreshes)
            if event.kickoff not in kickoffs or truth is None or (event.sr_id, book.value) not in catalogued:
                continue
            down = book is DOWN_BOOK and was_down(truth, spells)
            if down:
                down_at.add((event.sr_id, book))
            checked, mismatch = judge(event, book, truth, row, down)
            figures.starts_judged += 1
            figures.checked[checked] = figures.checked.get(checked, 0) + 1
            if mismatch is not None:
                _count(
                    figures, mismatch, f"{event.sr_id} {book.value} world {truth.status} stored {row.status}"
                )
    return down_at


def _count(figures: LiveStartFigures, mismatch: str, example: str) -> None:
    figures.mismatches[mismatch] = figures.mismatches.get(mismatch, 0) + 1
    if len(figures.examples) < 10:
        figures.examples.append(f"{mismatch}: {example}")
