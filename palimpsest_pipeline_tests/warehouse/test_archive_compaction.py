"""Compaction of closed archive days (warehouse/archive_compaction.py), on sandbox bodies at real depth.

Ground truth is what was sent: every body written through the capture's own writer (one writer per capture
minute, as one Dagster run each) is read back after compaction and compared byte for byte. Sizes are read
from Postgres (the packs' frames, the partition on disk), not from the compactor's own counts.
"""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import psycopg
import pytest

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.sandbox.rendering import EventRenderer
from palimpsest_pipeline.sandbox.world import World
from palimpsest_pipeline.warehouse.archive_compaction import (
    COMPACTION_LEVEL_VAR,
    archive_compaction_level,
    compact_archive_day,
    compact_closed_days,
    compactable_days,
)
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline.warehouse.raw_archive import (
    MIN_TRAINING_SAMPLES,
    ArchiveError,
    RawArchiveWriter,
    RawResponse,
    iter_event_bodies,
    train_archive_dictionary,
)

DAY_START = datetime(2026, 5, 7, tzinfo=UTC)
DAY = DAY_START.date()
CAPTURES = 8  # minutes apart, through the morning, each a new writer


def _write_day(
    conn: psycopg.Connection, *, day_start: datetime = DAY_START, events: int = 2
) -> list[RawResponse]:
    """``events`` sandbox events per book, captured ``CAPTURES`` times, each capture minute by a new writer;
    the keyframe dictionaries trained first on other events' bodies, as the daily maintenance would."""
    world = World(seed=11, size=200, days=3)
    renderer = EventRenderer(cache_bytes=0)
    sent: list[RawResponse] = []
    chosen: dict[Book, list[Any]] = {}
    for book in Book:
        listed = [
            e
            for e in world.listed_events(book, day_start)
            if e.sr_id and e.kickoff > day_start + timedelta(hours=2)
        ]
        chosen[book] = listed[:events]
        training = listed[events : events + MIN_TRAINING_SAMPLES + 4]
        assert len(training) == MIN_TRAINING_SAMPLES + 4
        with RawArchiveWriter(conn, batch_id="training") as writer:
            for event in training:
                writer.add(_response(book, event, renderer, day_start - timedelta(days=1)))
        assert train_archive_dictionary(conn, book, "event", samples=len(training)) is not None
    conn.execute("TRUNCATE core.archive_packs, core.archive_events")
    for n in range(CAPTURES):
        at = day_start + timedelta(minutes=30 + 7 * n)
        with RawArchiveWriter(conn, batch_id=str(uuid.uuid4())) as writer:
            for book, listed in chosen.items():
                for event in listed:
                    response = _response(book, event, renderer, at)
                    writer.add(response)
                    sent.append(response)
    return sent


def _response(book: Book, event: Any, renderer: EventRenderer, at: datetime) -> RawResponse:
    event_id = event.event_id(book)
    body = renderer.detail(book, event, at)
    url = f"https://{book}.example/{event_id}"
    return RawResponse(book, "event", url, 200, body, at, event.sr_id, event_id, event.kickoff.date())


Body = tuple[datetime, str, str | None, bytes]  # capture time, book, event id, BLAKE2b of the bytes


def _read_back(
    conn: psycopg.Connection, start: date, end: date, errors: list[Exception] | None = None
) -> list[Body]:
    """Every body the archive reads back (``errors``: collect the corrupt ones instead of raising)."""
    bodies = iter_event_bodies(conn, start, end, on_corrupt=None if errors is None else errors.append)
    return sorted((b.captured_at, b.book.value, b.event_id, hashlib.blake2b(b.body).digest()) for b in bodies)


def _expected(sent: list[RawResponse]) -> list[Body]:
    return sorted((r.captured_at, r.book.value, r.event_id, hashlib.blake2b(r.body).digest()) for r in sent)


def _frames(conn: psycopg.Connection) -> tuple[int, int]:
    """(bytes of every pack's frames, packs compacted) as stored."""
    row = conn.execute(
        "SELECT sum(octet_length(body)), count(compaction_level) FROM core.archive_packs"
    ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def _kickoffs(sent: list[RawResponse]) -> tuple[date, date]:
    days = [r.kickoff_date for r in sent if r.kickoff_date is not None]
    return min(days), max(days)


def test_a_closed_day_is_stored_smaller_and_reads_back_exactly(warehouse_conn: psycopg.Connection) -> None:
    sent = _write_day(warehouse_conn)
    first, last = _kickoffs(sent)
    frames_before, compacted_before = _frames(warehouse_conn)
    assert compacted_before == 0
    assert compactable_days(warehouse_conn, today=DAY) == []  # the day is not over yet
    assert compactable_days(warehouse_conn, today=DAY + timedelta(days=1)) == [DAY]

    stats = compact_archive_day(warehouse_conn, DAY)

    frames_after, compacted = _frames(warehouse_conn)
    assert compacted == CAPTURES  # every pack of the day (one per capture minute) rewritten
    assert stats.entries == len(sent) and not stats.problems
    assert frames_after == stats.frame_bytes_after < frames_before == stats.frame_bytes_before
    assert frames_after < 0.92 * frames_before, (frames_before, frames_after)
    # the space goes back: the partition is rewritten, not left with the old frames' dead space inside
    assert stats.partition_bytes_after < stats.partition_bytes_before
    assert _read_back(warehouse_conn, first, last) == _expected(sent)
    # done once: nothing left to compact, and a second run changes nothing
    assert compactable_days(warehouse_conn, today=DAY + timedelta(days=1)) == []
    again = compact_archive_day(warehouse_conn, DAY)
    assert (again.packs, again.entries) == (0, 0) and _frames(warehouse_conn) == (frames_after, compacted)


def test_a_writer_finds_its_bases_in_a_compacted_day(warehouse_conn: psycopg.Connection) -> None:
    """A capture run writing later the same day (a late flush) deltas against a compacted body."""
    sent = _write_day(warehouse_conn, events=1)
    compact_archive_day(warehouse_conn, DAY)
    world = World(seed=11, size=200, days=3)
    renderer = EventRenderer(cache_bytes=0)
    late = [r for r in sent if r.captured_at == max(x.captured_at for x in sent)]
    more = []
    with RawArchiveWriter(warehouse_conn, batch_id="late") as writer:
        for r in late:
            event = next(e for e in world.listed_events(r.book, DAY_START) if e.sr_id == r.sr_id)
            response = _response(r.book, event, renderer, r.captured_at + timedelta(hours=3))
            writer.add(response)
            more.append(response)
    assert writer.stats.deltas == len(more) and writer.stats.bases_read == len(more)
    first, last = _kickoffs(sent)
    assert _read_back(warehouse_conn, first, last) == _expected(sent + more)
    assert compactable_days(warehouse_conn, today=DAY + timedelta(days=1)) == [DAY]  # the late pack


def test_a_corrupt_body_costs_its_own_events_compaction_only(warehouse_conn: psycopg.Connection) -> None:
    sent = _write_day(warehouse_conn)
    first, last = _kickoffs(sent)
    # damage a SportyBet delta in place (one that holds bytes: an unchanged body's frame is empty)
    row = warehouse_conn.execute(
        """
        SELECT p.ctid::text, COALESCE(p.ends[e.i - 1], 0), d.event_id, p.chain_pos[e.i]
        FROM core.archive_packs AS p CROSS JOIN LATERAL generate_subscripts(p.event_keys, 1) AS e(i)
        JOIN core.archive_events AS d ON d.event_key = p.event_keys[e.i]
        WHERE d.book = 'sportybet' AND p.chain_pos[e.i] > 0
          AND p.ends[e.i] - COALESCE(p.ends[e.i - 1], 0) > 40
        ORDER BY p.start_at LIMIT 1
        """
    ).fetchone()
    assert row is not None
    pack, offset, victim, position = row
    warehouse_conn.execute(
        "UPDATE core.archive_packs SET body = overlay(body placing '\\xffffffff'::bytea from %s for 4)"
        " WHERE ctid = %s::tid",
        (offset + 20, pack),
    )
    errors_before: list[Exception] = []
    before = _read_back(warehouse_conn, first, last, errors_before)
    victims = sorted(r.captured_at for r in sent if r.book is Book.SPORTYBET and r.event_id == victim)
    lost = {(at, "sportybet", victim) for at in victims[position:]}  # the damaged body and its chain after it
    assert before == [x for x in _expected(sent) if x[:3] not in lost]

    stats = compact_archive_day(warehouse_conn, DAY)

    assert len(stats.problems) == 1 and f"sportybet event {victim!r}" in stats.problems[0]
    assert stats.kept >= len(lost)  # kept as written: the damaged body and the rest of its chain
    assert stats.frame_bytes_after < 0.92 * stats.frame_bytes_before  # every other event compacted
    errors_after: list[Exception] = []
    after = _read_back(warehouse_conn, first, last, errors_after)
    assert after == before and len(errors_after) == len(
        errors_before
    )  # nothing else lost, nothing new broken


def test_compaction_level_setting(
    monkeypatch: pytest.MonkeyPatch, warehouse_conn: psycopg.Connection
) -> None:
    assert archive_compaction_level({}) == 19
    assert archive_compaction_level({COMPACTION_LEVEL_VAR: " 17 "}) == 17
    for bad in ("fast", "23", "-1"):
        with pytest.raises(ArchiveError, match=COMPACTION_LEVEL_VAR):
            archive_compaction_level({COMPACTION_LEVEL_VAR: bad})
    _write_day(warehouse_conn, events=1)
    assert (
        compact_closed_days(warehouse_conn, today=DAY + timedelta(days=1), env={COMPACTION_LEVEL_VAR: "0"})
        == []
    )
    assert _frames(warehouse_conn)[1] == 0  # off: nothing compacted
    done = compact_closed_days(warehouse_conn, today=DAY + timedelta(days=1), env={})
    assert [s.day for s in done] == [DAY] and _frames(warehouse_conn)[1] == CAPTURES


_COMPACT_IN_CHILD = """
import sys
from datetime import date
import psycopg
from palimpsest_pipeline.warehouse.archive_compaction import compact_archive_day
with psycopg.connect(sys.argv[1], autocommit=True) as conn:
    print("ready", flush=True)
    compact_archive_day(conn, date.fromisoformat(sys.argv[2]))
print("done", flush=True)
"""


@pytest.mark.parametrize("kill_after_s", [0.5, 3.0])  # here: before the rewrite commits; after it
def test_a_compaction_killed_midway_leaves_the_day_whole_and_a_rerun_finishes_it(
    warehouse_url: str, warehouse_conn: psycopg.Connection, kill_after_s: float
) -> None:
    """SIGKILL at some moment of a compaction (a real process, a real server): the day is either compacted
    or as it was, never partly (every pack or none), every body reads back, and the next run completes it."""
    sent = _write_day(warehouse_conn)
    first, last = _kickoffs(sent)
    frames_before, _ = _frames(warehouse_conn)
    child = subprocess.Popen(
        [sys.executable, "-c", _COMPACT_IN_CHILD, libpq_url(warehouse_url), DAY.isoformat()],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    time.sleep(kill_after_s)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    frames, compacted = _frames(warehouse_conn)
    assert (frames, compacted) == (frames_before, 0) or (compacted == CAPTURES and frames < frames_before)
    assert _read_back(warehouse_conn, first, last) == _expected(sent)

    deadline = time.monotonic() + 30
    while True:  # the killed session's lock goes when its backend notices the client is gone
        try:
            compact_archive_day(warehouse_conn, DAY)
            break
        except ArchiveError as err:
            assert "another compaction is running" in str(err) and time.monotonic() < deadline
            time.sleep(0.2)
    frames_after, compacted_after = _frames(warehouse_conn)
    assert compacted_after == CAPTURES and frames_after < 0.92 * frames_before
    assert _read_back(warehouse_conn, first, last) == _expected(sent)
    assert warehouse_conn.execute("SELECT to_regclass('pg_temp.compacted_frames')").fetchone() == (None,)
