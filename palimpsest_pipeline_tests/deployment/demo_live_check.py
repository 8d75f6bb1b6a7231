"""The demo's in-play block checked against the warehouse and the sandbox world's truth: the starts by status
per book and the retention T-1 against +5 it prints equal what ``analytics.live_starts`` and
``analytics.market_retention`` hold (counted here by their own queries), every Nigerian start of the
watched kick-off is what the world says (``live_coverage.start_truth``, judged as the chaos cell judges),
and so are the key markets each book offered at T-1 and dropped by +5."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import psycopg

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.transforms.market_retention import KEY_MARKETS
from palimpsest_pipeline_tests.live_start_judge import expected_truth, judge, read_stored
from palimpsest_sandbox import World, WorldEvent
from palimpsest_sandbox.config import SandboxConfig
from palimpsest_sandbox.live_coverage import live_lines
from palimpsest_sandbox.markets import book_prices

STATUSES = ("on_time", "late", "never_live", "removed", "unmonitored", "rescheduled")
COUNTRIES = {"Nigeria": "ng", "Ghana": "gh"}
#: The demo's first poll comes this long before the kick-off it watches (cli/demo_live.py).
FIRST_POLL_BEFORE = timedelta(seconds=90)


def printed_blocks(stdout: str) -> dict[str, list[str]]:
    """The in-play block of each country the demo printed, its lines by country code."""
    blocks: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in stdout.splitlines():
        if m := re.fullmatch(r"(\w+): in play, kick-offs .*", line):
            current = blocks.setdefault(COUNTRIES[m.group(1)], [])
        elif current is not None and line.startswith("  "):
            current.append(line)
        else:
            current = None
    return blocks


def printed_starts(block: list[str]) -> dict[str, dict[str, int]]:
    """book -> status -> matches, as printed (zeros left out)."""
    starts: dict[str, dict[str, int]] = {}
    for line in block:
        cells = line.split()
        if (
            len(cells) == 1 + len(STATUSES)
            and cells[0] in {b.value for b in Book}
            and all(c.isdigit() for c in cells[1:])
        ):
            counts = {s: int(c) for s, c in zip(STATUSES, cells[1:], strict=True) if int(c)}
            if counts:
                starts[cells[0]] = counts
    return starts


def printed_retention(block: list[str]) -> dict[str, tuple[int, int, int, int, int, int]]:
    """book -> (matches, market types prematch, kept, key markets dropped, prices compared, moved)."""
    found = {}
    for line in block:
        if m := re.fullmatch(r"  ([a-z0-9]+) +(\d+) +(\d+)/(\d+) +(\d+) +(\d+)/(\d+)", line):
            matches, kept, offered, dropped, moved, compared = map(int, m.groups()[1:])
            found[m.group(1)] = (matches, offered, kept, dropped, compared, moved)
    return found


def check_demo_live(stdout: str, conn: psycopg.Connection, *, seed: int, size: int) -> int:
    """Assert the printed blocks against the warehouse and Nigeria's starts of the watched kick-off against
    the world; returns how many starts were judged against the world."""
    blocks = printed_blocks(stdout)
    assert set(blocks) == {"ng", "gh"}, stdout[-3000:]
    first_poll = conn.execute("SELECT min(polled_at) FROM analytics.live_suspension").fetchone()
    assert first_poll is not None and first_poll[0] is not None
    kickoff: datetime = first_poll[0] + FIRST_POLL_BEFORE
    for country, block in blocks.items():
        stored: dict[str, dict[str, int]] = {}
        for book, status, count in conn.execute(
            "SELECT book, status, count(*) FROM analytics.live_starts WHERE site_country = %s"
            " AND kickoff <= %s GROUP BY book, status",
            (country, kickoff),
        ):
            stored.setdefault(book, {})[status] = count
        assert printed_starts(block) == stored, (country, block)
        late = conn.execute(
            "SELECT count(*) FROM analytics.live_starts b WHERE b.site_country = %s AND b.book = 'betpawa'"
            " AND b.status = 'late' AND b.kickoff <= %s AND EXISTS (SELECT 1 FROM analytics.live_starts c"
            " WHERE c.site_country = b.site_country AND c.sr_id = b.sr_id AND c.kickoff_date = b.kickoff_date"
            " AND c.book <> 'betpawa' AND c.status = 'on_time')",
            (country, kickoff),
        ).fetchone()
        assert f"  BetPawa late where a competitor was on time: {late[0] if late else 0}" in block
        retention = {
            book: tuple(int(v) for v in figures)
            for book, *figures in conn.execute(
                "SELECT book, count(*), sum(market_types_prematch), sum(market_types_kept),"
                " sum(cardinality(key_markets_dropped)), sum(prices_compared), sum(prices_moved)"
                " FROM analytics.market_retention WHERE site_country = %s AND prematch_snapshot = 'T-1'"
                " AND live_snapshot = 5 AND kickoff <= %s GROUP BY book",
                (country, kickoff),
            )
        }
        assert printed_retention(block) == retention, (country, block)
    last_poll = conn.execute("SELECT max(polled_at) FROM analytics.live_suspension").fetchone()
    assert last_poll is not None and last_poll[0] is not None
    world = World(seed=seed, size=size, days=14)  # the sandbox's defaults, as the demo starts it
    judged = _judge_nigeria(conn, world, kickoff, last_poll[0])
    assert _key_markets_nigeria(conn, world, kickoff) > 0
    return judged


def _key_markets_nigeria(conn: psycopg.Connection, world: World, kickoff: datetime) -> int:
    """Every Nigerian retention row of the watched kick-off (T-1 against +5): the key markets offered and
    dropped are the world's, what the book priced open at the T-1 capture's instant against what it showed
    open in play at the poll that took +5; returns the rows checked."""
    events = {e.sr_id: e for e in world._day(kickoff.date()) if e.kickoff == kickoff}
    rows = conn.execute(
        "SELECT r.sr_id, r.book, r.prematch_captured_at, s.due_at, r.key_markets_offered,"
        " r.key_markets_dropped"
        " FROM analytics.market_retention r JOIN core.live_snapshots s ON s.site_country = r.site_country"
        " AND s.sr_id = r.sr_id AND s.book = r.book AND s.snapshot = r.live_snapshot"
        " WHERE r.site_country = 'ng' AND r.prematch_snapshot = 'T-1' AND r.live_snapshot = 5"
        " AND r.kickoff = %s",
        (kickoff,),
    ).fetchall()
    for sr_id, book_name, prematch_at, live_at, offered, dropped in rows:
        event, book = events[sr_id], Book(book_name)
        before = _key_markets_open(_prematch_keys(event, book, prematch_at))
        after = _key_markets_open(_live_keys(event, book, live_at))  # the clock stood at due_at's poll
        assert sorted(offered) == sorted(before), (sr_id, book, offered, before)
        assert sorted(dropped) == sorted(before - after), (sr_id, book, dropped, before - after)
    return len(rows)


def _key_markets_open(keys: set[int]) -> set[str]:
    return {KEY_MARKETS[market] for market in keys if market in KEY_MARKETS}


def _prematch_keys(event: WorldEvent, book: Book, at: datetime) -> set[int]:
    """The market types ``book`` priced open at ``at`` (the demo's sandbox: default scales)."""
    scale = SandboxConfig()
    version = event.price_version(book, at, scale.reprice_scale)
    prices = book_prices(book, event.match_seed, version, event.sport, event.depth(book) * scale.depth_scale)
    return {key[0] for key, (odds, state) in prices.items() if state == "open" and odds is not None}


def _live_keys(event: WorldEvent, book: Book, at: datetime) -> set[int]:
    """The market types ``book`` shows open in play at ``at``."""
    return {
        line.market
        for line in live_lines(event, book, at)
        if not line.suspended and any(odds is not None for _outcome, odds in line.prices)
    }


def _judge_nigeria(conn: psycopg.Connection, world: World, kickoff: datetime, last_poll: datetime) -> int:
    """Every Nigerian (match, book) of the watched kick-off the catalogue knew, against the world's start. A
    book not live by the watch's last poll (never, or later) is late and not yet seen: never live takes 90
    minutes of watching, which the demo does not spend."""
    stored = read_stored(conn, kickoff.date())
    catalogued = set(conn.execute("SELECT sr_id, book FROM core.events WHERE site_country = 'ng'").fetchall())
    judged = 0
    for event in world._day(kickoff.date()):
        if event.kickoff != kickoff:
            continue
        for book in Book:
            if (event.sr_id, book.value) not in catalogued:
                continue
            truth = expected_truth(event, book, [kickoff - timedelta(hours=1)])
            if truth is None:
                continue
            row = stored.get((event.sr_id, book))
            assert row is not None, (event.sr_id, book, truth)
            judged += 1
            unseen = truth.live_at is None or truth.live_at > last_poll
            if truth.status in ("late", "never_live") and unseen:
                assert (row.status, row.first_live_at) == ("late", None), (event.sr_id, book, truth, row)
                continue
            checked, mismatch = judge(event, book, truth, row, down=False)
            assert mismatch is None, (event.sr_id, book, checked, mismatch, truth, row)
    return judged
