"""The live watcher against the sandbox over real sockets and a real warehouse, its clock moved a poll
interval at a time. Expected gaps come from the world's own truth (``WorldEvent.live_on`` and
``live_gap_intervals``), worked out here segment by segment, never from the watcher's code."""

from __future__ import annotations

import asyncio
import itertools
import tomllib
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from palimpsest_pipeline.defs.resources import WarehouseResource
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.live import PollOutcome, live_clients, poll_once, watch_live
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline.warehouse.connections import Connect
from palimpsest_pipeline_tests.fixtures_sandbox import SANDBOX_TEST_INSTANT, FaultSetter, fast_book_settings
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_sandbox import SandboxHandle, WorldEvent
from palimpsest_sandbox.live_coverage import live_lines

SPORTS = ["football", "basketball", "tennis"]
POLL = timedelta(seconds=30)
#: A Monday evening of the test world: a dozen matches kick off, every book late on some, BetPawa on none of
#: the basketball.
START = SANDBOX_TEST_INSTANT.replace(hour=17, minute=25)
END = SANDBOX_TEST_INSTANT.replace(hour=18, minute=5)
COMPETITORS = tuple(book for book in NIGERIA_BOOKS if book is not Book.BETPAWA)
COMPETITORS_FILE = Path(__file__).parents[2] / "palimpsest_pipeline" / "books" / "competitors.toml"


@pytest.fixture
def live_sandbox(sandbox_clock: SandboxHandle) -> Iterator[SandboxHandle]:
    sandbox_clock.state.live_gaps.clear()
    yield sandbox_clock
    sandbox_clock.state.live_gaps.clear()


@pytest.fixture
def connect(warehouse_url: str) -> Connect:
    return WarehouseResource(database_url=warehouse_url).connect


def _polls(sandbox: SandboxHandle, connect: Connect, instants: Sequence[datetime]) -> list[PollOutcome]:
    """One poll at each instant, the sandbox's clock moved there first (the watcher's own clients)."""

    async def run() -> list[PollOutcome]:
        outcomes = []
        async with live_clients(fast_book_settings(sandbox)) as clients:
            for at in instants:
                sandbox.set_clock(at, frozen=True)
                outcomes.append(await poll_once(connect, clients, SPORTS, lambda at=at: at, "ng"))
        return outcomes

    return asyncio.run(run())


def _poll(sandbox: SandboxHandle, connect: Connect, at: datetime) -> PollOutcome:
    return _polls(sandbox, connect, [at])[0]


def _linkable(event: WorldEvent) -> bool:
    """Matches every book shows with its SportRadar id (the others' gaps cannot be told from the lists)."""
    return all(event.visible_sr_id(book) is not None for book in NIGERIA_BOOKS)


def _world_gaps(events: list[WorldEvent]) -> dict[tuple[int, str], list[tuple[datetime, datetime]]]:
    """Per (match, side): the world's spells of the gap, from its piecewise-constant live states."""
    spells: dict[tuple[int, str], list[tuple[datetime, datetime]]] = {}
    for event in events:
        cuts = {event.kickoff, event.in_play_until}
        for book in NIGERIA_BOOKS:
            cuts.update(point for interval in event.live_gap_intervals(book) for point in interval)
        points = sorted(cuts)
        for begin, end in itertools.pairwise(points):
            live = {book: event.live_on(book, begin) for book in NIGERIA_BOOKS}
            side = None
            if not live[Book.BETPAWA] and any(live[b] for b in COMPETITORS):
                side = "betpawa_missing"
            elif live[Book.BETPAWA] and not all(live[b] for b in COMPETITORS):
                side = "competitor_missing"
            if side is None:
                continue
            runs = spells.setdefault((event.sr_id, side), [])
            if runs and runs[-1][1] == begin:
                runs[-1] = (runs[-1][0], end)
            else:
                runs.append((begin, end))
    return spells


def _episodes(conn: psycopg.Connection) -> dict[tuple[int, str], list[tuple[datetime, datetime | None]]]:
    rows = conn.execute(
        "SELECT sr_id, side, since, closed_at FROM analytics.live_coverage ORDER BY since"
    ).fetchall()
    found: dict[tuple[int, str], list[tuple[datetime, datetime | None]]] = {}
    for sr_id, side, since, closed_at in rows:
        found.setdefault((sr_id, side), []).append((since, closed_at))
    return found


#: Watches over the test world: Monday evening's kick-offs (every book late on some, BetPawa on no
#: basketball), and Wednesday's mid-match drops (Bet9ja drops 27420015 at 16:51:50, BetPawa 27420023 at
#: 17:38:43).
WATCHES = {
    "kick-offs": (
        START, END,
        {(27400007, "betpawa_missing"), (27400014, "betpawa_missing"), (27400009, "competitor_missing")},
    ),
    "bet9ja-drop": (
        datetime(2026, 5, 6, 16, 48, tzinfo=UTC), datetime(2026, 5, 6, 17, 0, tzinfo=UTC),
        {(27420015, "competitor_missing")},
    ),
    "betpawa-drop": (
        datetime(2026, 5, 6, 17, 36, tzinfo=UTC), datetime(2026, 5, 6, 17, 51, tzinfo=UTC),
        {(27420023, "betpawa_missing")},
    ),
}  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("watch", WATCHES)
def test_every_live_gap_of_the_world_is_stored_within_a_minute_and_closed(
    live_sandbox: SandboxHandle, connect: Connect, warehouse_conn: psycopg.Connection, watch: str
) -> None:
    start, end_, must = WATCHES[watch]
    instants = [start + step * POLL for step in range(int((end_ - start) / POLL) + 1)]
    _polls(live_sandbox, connect, instants)
    world = live_sandbox.world
    in_play = {event for at in instants for book in NIGERIA_BOOKS for event in world.in_play_events(book, at)}
    matches = {event.sr_id: event for event in in_play if _linkable(event)}
    expected = _world_gaps(list(matches.values()))
    stored = _episodes(warehouse_conn)
    checked = set()
    for key, spells in expected.items():
        for begin, end in spells:
            if end <= start or begin > end_ or end - begin < POLL:
                continue  # outside the watch, or too short for a poll to be sure to land in
            checked.add(key)
            first_poll = max(begin, start)
            episode = next(
                (e for e in stored.get(key, []) if e[0] <= end and (e[1] is None or e[1] > begin)), None
            )
            assert episode is not None, f"gap {key} from {begin:%H:%M:%S} to {end:%H:%M:%S} never stored"
            since, closed_at = episode
            assert first_poll <= since < first_poll + POLL, (key, begin, since)  # seen within 30 s (< 60 s)
            if end <= end_:
                assert closed_at is not None and end <= closed_at < end + POLL, (key, end, closed_at)
            else:
                assert closed_at is None
    assert must <= checked
    for key, episodes in stored.items():  # nothing the world did not do, for the matches we can judge
        if key[0] not in matches:
            continue
        for since, _closed_at in episodes:
            assert any(begin <= since < end for begin, end in expected.get(key, [])), (key, since)


def test_a_failing_book_changes_nothing_for_the_others(
    live_sandbox: SandboxHandle,
    connect: Connect,
    warehouse_conn: psycopg.Connection,
    sandbox_faults: FaultSetter,
) -> None:
    kick = SANDBOX_TEST_INSTANT.replace(hour=17, minute=32)  # 27400007: SportyBet live, BetPawa not yet
    first = _poll(live_sandbox, connect, kick)
    assert {s.status for s in first.books} == {"ok"}
    before = warehouse_conn.execute(
        "SELECT sr_id, side, live_on, missing_on FROM analytics.live_coverage"
        " WHERE closed_at IS NULL ORDER BY 1, 2"
    ).fetchall()
    live = [
        b for b in NIGERIA_BOOKS if 27400007 in {e.sr_id for e in live_sandbox.world.live_events(b, kick)}
    ]
    assert Book.SPORTYBET in live and Book.BETPAWA not in live and Book.BET9JA not in live
    missing = [b.value for b in NIGERIA_BOOKS if b not in live]
    assert (27400007, "betpawa_missing", [b.value for b in live], missing) in before

    sandbox_faults(Book.BET9JA, fail_status=503)
    # 17:33: Bet9ja went live on 27400007 at 17:32:46 but cannot say so; SportyBet and BetPawa still answer
    second = _poll(live_sandbox, connect, kick + timedelta(minutes=1))
    status = {s.book: s.status for s in second.books}
    assert status == {book: "failed" if book is Book.BET9JA else "ok" for book in NIGERIA_BOOKS}
    after = warehouse_conn.execute(
        "SELECT sr_id, side, live_on, missing_on, last_seen_at FROM analytics.live_coverage"
        " WHERE closed_at IS NULL ORDER BY 1, 2"
    ).fetchall()
    assert [row[:4] for row in after] == before  # Bet9ja's last known state holds
    assert {row[4] for row in after} == {kick + timedelta(minutes=1)}  # the others' answers still count
    logged = warehouse_conn.execute(
        "SELECT book, status, live_events FROM analytics.live_suspension WHERE polled_at = %s ORDER BY book",
        (kick + timedelta(minutes=1),),
    ).fetchall()
    truth = {b: len(live_sandbox.world.live_events(b, kick + timedelta(minutes=1))) for b in NIGERIA_BOOKS}
    assert logged == sorted(
        (b.value, "failed", None) if b is Book.BET9JA else (b.value, "ok", truth[b]) for b in NIGERIA_BOOKS
    )


def test_an_empty_list_right_after_a_full_one_is_implausible_and_changes_nothing(
    live_sandbox: SandboxHandle,
    connect: Connect,
    warehouse_conn: psycopg.Connection,
    sandbox_faults: FaultSetter,
) -> None:
    at = SANDBOX_TEST_INSTANT.replace(hour=18, minute=20)
    assert len(live_sandbox.world.live_events(Book.BETPAWA, at)) >= 3
    _poll(live_sandbox, connect, at)
    open_before = warehouse_conn.execute(
        "SELECT count(*) FROM analytics.live_coverage WHERE closed_at IS NULL"
    ).fetchone()
    sandbox_faults(Book.BETPAWA, empty_answer=1.0)  # BetPawa's list answers its past-the-end shape
    outcome = _poll(live_sandbox, connect, at + POLL)
    assert {s.book: s.status for s in outcome.books}[Book.BETPAWA] == "implausible"
    assert outcome.closed == 0
    assert (
        warehouse_conn.execute(
            "SELECT count(*) FROM analytics.live_coverage WHERE closed_at IS NULL"
        ).fetchone()
        == open_before
    )


def test_an_unreadable_row_costs_itself_and_opens_no_false_gap(
    live_sandbox: SandboxHandle,
    connect: Connect,
    warehouse_conn: psycopg.Connection,
    sandbox_faults: FaultSetter,
) -> None:
    at = SANDBOX_TEST_INSTANT.replace(hour=18, minute=30)
    _poll(live_sandbox, connect, at)
    before = warehouse_conn.execute(
        "SELECT sr_id, side FROM analytics.live_coverage ORDER BY 1, 2"
    ).fetchall()
    sandbox_faults(Book.BETPAWA, bad_list_row=1.0)  # the first row of BetPawa's live list has no team names
    outcome = _poll(live_sandbox, connect, at + POLL)
    betpawa = next(s for s in outcome.books if s.book is Book.BETPAWA)
    live_now = len(live_sandbox.world.live_events(Book.BETPAWA, at + POLL))
    assert (betpawa.status, betpawa.bad_rows, betpawa.live_events) == ("ok", 1, live_now - 1)
    # the world changes nothing between the two polls: the match in the unread row is not "missing"
    assert outcome.opened == outcome.closed == 0
    after = warehouse_conn.execute("SELECT sr_id, side FROM analytics.live_coverage ORDER BY 1, 2").fetchall()
    assert after == before
    stored = warehouse_conn.execute(
        "SELECT bad_rows FROM analytics.live_suspension WHERE book = 'betpawa' AND polled_at = %s",
        (at + POLL,),
    ).fetchone()
    assert stored == (1,)


def test_suspended_share_per_book_equals_the_worlds(live_sandbox: SandboxHandle, connect: Connect) -> None:
    at = SANDBOX_TEST_INSTANT.replace(hour=18, minute=40)
    outcome = _poll(live_sandbox, connect, at)
    for row in outcome.books:
        events = live_sandbox.world.live_events(row.book, at)
        lines = [line for event in events for line in live_lines(event, row.book, at)]
        if row.book is Book.BETPAWA:  # BetPawa's rows carry the market types the watcher asks for
            lines = [line for line in lines if line.market in BETPAWA_TYPES]
        assert (row.live_events, row.markets, row.suspended) == (
            len(events),
            len(lines),
            sum(line.suspended for line in lines),
        ), row.book
    assert all(row.suspended for row in outcome.books)


#: Canonical markets of the live market types the BetPawa adapter asks for (books/betpawa/live.py).
BETPAWA_TYPES = {1, 10, 11, 18, 19, 20, 26, 29, 186, 219, 225}


def test_a_gap_made_on_demand_opens_and_closes(
    live_sandbox: SandboxHandle, connect: Connect, warehouse_conn: psycopg.Connection
) -> None:
    # Tuesday 17:00: 27410017 live on every scraped book, for two minutes and more
    at = (SANDBOX_TEST_INSTANT + timedelta(days=1)).replace(hour=17, minute=0)
    assert all(
        27410017 in {e.sr_id for e in live_sandbox.world.live_events(book, at + step * POLL)}
        for book in NIGERIA_BOOKS
        for step in range(5)
    )
    _poll(live_sandbox, connect, at)
    live_sandbox.set_clock(at + timedelta(seconds=5), frozen=True)
    live_sandbox.state.live_gaps.add(27410017, Book.BETPAWA, at + timedelta(seconds=5), 80)
    _polls(live_sandbox, connect, [at + step * POLL for step in (1, 2, 3, 4)])
    rows = warehouse_conn.execute(
        "SELECT side, live_on, missing_on, since, last_seen_at, closed_at FROM analytics.live_coverage"
        " WHERE sr_id = 27410017"
    ).fetchall()
    assert rows == [
        (
            "betpawa_missing",
            [book.value for book in COMPETITORS],  # live on every book but the one the gap hides
            ["betpawa"],
            at + POLL,
            at + 2 * POLL,
            at + 3 * POLL,  # the gap ends at +85 s: the poll at +90 s closes it
        )
    ]


def test_a_watch_polls_every_interval_for_its_duration(live_sandbox: SandboxHandle, connect: Connect) -> None:
    """90 s at 30 s: three polls, each half a minute after the last (the sandbox's clock is what sleeps)."""
    live_sandbox.set_clock(START, frozen=True)
    asked: list[float] = []

    async def sleep(seconds: float) -> None:
        asked.append(seconds)
        live_sandbox.set_clock(live_sandbox.now() + timedelta(seconds=seconds), frozen=True)

    summary = asyncio.run(
        watch_live(
            connect,
            fast_book_settings(live_sandbox),
            SPORTS,
            now=live_sandbox.now,
            duration_s=90,
            interval_s=30,
            sleep=sleep,
            site_country="ng",
        )
    )
    assert len(summary.polls) == 3 and len(asked) == 2 and all(25 < s <= 30 for s in asked)
    second = START + timedelta(seconds=asked[0])
    third = second + timedelta(seconds=asked[1])  # the clock moved twice: no float sum to round
    assert [p.polled_at for p in summary.polls] == [START, second, third]
    assert all(p.stored for p in summary.polls)
    # at 17:26, from the world: 27400005 live on Bet9ja only (the only book listing it); 27400009 live on
    # BetPawa and SportyBet, never on Bet9ja; 27400001 the same as Bet9ja shows it without its SR id
    assert summary.open_gaps == {"betpawa_missing": 1, "competitor_missing": 2}


def test_ghanas_watch_polls_ghanas_books_on_their_ghanaian_sites_betika_among_them(
    live_sandbox: SandboxHandle, connect: Connect, warehouse_url: str
) -> None:
    """Ghana's live watch asks BetPawa and its rivals there (competitors.toml, read here), each on its
    Ghanaian edition, and stores a row per book under Ghana: each as many live matches as Ghana's world
    shows."""
    at = SANDBOX_TEST_INSTANT.replace(hour=18, minute=40)
    ghana = [Book.BETPAWA, *map(Book, tomllib.loads(COMPETITORS_FILE.read_text())["gh"])]
    assert Book.BETIKA in ghana and Book.BET9JA not in ghana
    settings = {
        book: fast_book_settings(live_sandbox, [book], site_country="gh")[book].model_copy(
            update={"base_url": live_sandbox.edition_urls[(book, "gh")]}
        )
        for book in ghana
    }

    async def run() -> PollOutcome:
        async with live_clients(settings) as clients:
            live_sandbox.set_clock(at, frozen=True)
            return await poll_once(connect, clients, SPORTS, lambda: at, "gh")

    outcome = asyncio.run(run())
    world = live_sandbox.world_of("gh")
    assert {(row.book, row.status, row.live_events) for row in outcome.books} == {
        (book, "ok", len(world.live_events(book, at))) for book in ghana
    }
    assert len(world.live_events(Book.BETIKA, at)) > 0  # Betika shows matches live at this hour
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        stored = conn.execute(
            "SELECT site_country, book FROM analytics.live_suspension WHERE polled_at = %s ORDER BY book",
            (at,),
        ).fetchall()
    assert stored == sorted(("gh", book.value) for book in ghana)
