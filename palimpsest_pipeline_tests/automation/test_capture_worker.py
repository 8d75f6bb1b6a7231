"""The capture worker (``scrape/odds/capture_worker.py``) on a real warehouse and the sandbox over real
sockets: requests by priority, a waiting imminent request captured before the rest of a later one, what is
left given back at the worker's end and captured by the next, a dead worker's request taken again for what
it had not captured, a failure ending the request as failed. The worker's clock is a counter the chunks
advance, never the wall clock."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta

import psycopg
import pytest

from palimpsest_pipeline.defs.resources import WarehouseResource
from palimpsest_pipeline.scrape.odds.capture_worker import CaptureWorker, Chunk, WorkerOptions
from palimpsest_pipeline.warehouse.capture_listings import read_upcoming
from palimpsest_pipeline.warehouse.capture_requests import NewRequest, RequestKey, enqueue, release_orphans
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline_tests.fixtures_sandbox import SANDBOX_TEST_INSTANT, fast_book_settings
from palimpsest_sandbox import SandboxHandle

NOW = SANDBOX_TEST_INSTANT
TWO_PER_CHUNK = WorkerOptions(chunk_events=2, batch_events=2, until_idle=True)


class Killed(BaseException):
    """What a kill -9 looks like from inside: nothing after it runs, no handler ends the request."""


def upcoming(url: str, count: int) -> list[int]:
    """The ``count`` soonest upcoming SR ids of the catalogued warehouse."""
    with psycopg.connect(libpq_url(url)) as conn:
        events = read_upcoming(conn, NOW, NOW + timedelta(days=2), site_country="ng")
    first: dict[int, datetime] = {}
    for sr_id, kickoff in events:
        first[sr_id] = min(kickoff, first.get(sr_id, kickoff))
    soonest = sorted(first, key=lambda sr_id: (first[sr_id], sr_id))
    assert len(soonest) >= count
    return soonest[:count]


def request(tier: str, priority: int, sr_ids: list[int], window: datetime = NOW) -> NewRequest:
    dates = tuple(sorted({NOW.date(), (NOW + timedelta(days=1)).date()}))
    return NewRequest(RequestKey("ng", tier, window), priority, tuple(sr_ids), dates)


def put(url: str, *requests: NewRequest) -> None:
    with psycopg.connect(libpq_url(url)) as conn:
        enqueue(conn, requests, now=NOW)


def worker(
    sandbox: SandboxHandle,
    url: str,
    worker_id: str,
    *,
    after_chunk: Callable[[Chunk], None] = lambda chunk: None,
    options: WorkerOptions = TWO_PER_CHUNK,
    monotonic: Callable[[], float] = lambda: 0.0,
) -> CaptureWorker:
    return CaptureWorker(
        WarehouseResource(database_url=url).connect,
        fast_book_settings(sandbox),
        worker_id=worker_id,
        now=lambda: NOW,
        until=100.0,
        options=options,
        after_chunk=after_chunk,
        monotonic=monotonic,
    )


def captured_by_batch(url: str, worker_id: str) -> dict[str, list[int]]:
    with psycopg.connect(libpq_url(url)) as conn:
        rows = conn.execute(
            "SELECT batch_id, array_agg(DISTINCT sr_id ORDER BY sr_id) FROM core.odds_captures "
            "WHERE batch_id LIKE %s AND status = 'ok' GROUP BY batch_id",
            (f"{worker_id}/%",),
        ).fetchall()
    return dict(rows)


def state(url: str) -> list[tuple[object, ...]]:
    with psycopg.connect(libpq_url(url)) as conn:
        return conn.execute(
            "SELECT tier, outcome, taken_by, takes, captured_sr_ids FROM core.capture_requests "
            "ORDER BY priority DESC"
        ).fetchall()


def test_a_waiting_imminent_request_goes_before_the_rest_of_a_later_one(
    sandbox: SandboxHandle, catalogued_url: str
) -> None:
    ids = upcoming(catalogued_url, 8)
    later, imminent = ids[:6], ids[6:]
    put(catalogued_url, request("later", 1, later))
    order: list[tuple[str, tuple[int, ...]]] = []

    def chunk_done(chunk: Chunk) -> None:
        order.append((chunk.request.key.tier, chunk.sr_ids))
        if len(order) == 1:  # the imminent window falls due while the later one's first chunk is captured
            put(catalogued_url, request("imminent", 3, imminent, NOW + timedelta(minutes=1)))

    done = asyncio.run(worker(sandbox, catalogued_url, "w1", after_chunk=chunk_done).run())
    assert [tier for tier, _ in order] == ["later", "imminent", "later", "later"]
    assert sorted(order[1][1]) == sorted(imminent)
    later_chunks = [set(ids) for tier, ids in order if tier == "later"]
    assert all(len(chunk) == 2 for chunk in later_chunks) and set().union(*later_chunks) == set(later)
    assert [(s.request.key.tier, s.ending, len(s.captured)) for s in done.served] == [
        ("imminent", "done", 2),
        ("later", "done", 6),
    ]
    assert state(catalogued_url) == [
        ("imminent", "done", "w1", 1, sorted(imminent)),
        ("later", "done", "w1", 1, sorted(later)),
    ]
    # each chunk is a batch of its own, stored under the worker's id and its number
    assert captured_by_batch(catalogued_url, "w1") == {
        f"w1/{n}": list(ids) for n, (_, ids) in enumerate(order, start=1)
    }


def test_at_its_end_a_worker_gives_back_what_is_left_and_the_next_captures_it(
    sandbox: SandboxHandle, catalogued_url: str
) -> None:
    ids = upcoming(catalogued_url, 5)
    put(catalogued_url, request("later", 1, ids))
    clock = [0.0]

    def first_chunk_done(chunk: Chunk) -> None:
        clock[0] = 1000.0  # its minutes are up once the first chunk is stored

    first = asyncio.run(
        worker(sandbox, catalogued_url, "w1", after_chunk=first_chunk_done, monotonic=lambda: clock[0]).run()
    )
    ((ending, before),) = [(s.ending, s.captured) for s in first.served]
    assert ending == "given_back" and len(before) == 2 and set(before) < set(ids)
    assert state(catalogued_url) == [("later", None, None, 1, sorted(before))]
    second = asyncio.run(worker(sandbox, catalogued_url, "w2").run())
    ((ending, rest, takes),) = [(s.ending, s.captured, s.request.takes) for s in second.served]
    assert (ending, sorted(rest), takes) == ("done", sorted(set(ids) - set(before)), 2)
    assert second.start_delays() == {}  # the first worker started it: its delay was the first's to report
    assert state(catalogued_url) == [("later", "done", "w2", 2, sorted(ids))]
    assert sorted(sr for batch in captured_by_batch(catalogued_url, "w2").values() for sr in batch) == sorted(
        rest
    )


def test_a_dead_workers_request_is_taken_again_for_what_it_had_not_captured(
    sandbox: SandboxHandle, catalogued_url: str
) -> None:
    ids = upcoming(catalogued_url, 6)
    put(catalogued_url, request("soon", 2, ids))
    chunks: list[Chunk] = []

    def dies_in_its_second_chunk(chunk: Chunk) -> None:
        chunks.append(chunk)
        if len(chunks) == 2:
            raise Killed

    with pytest.raises(Killed):
        asyncio.run(worker(sandbox, catalogued_url, "dead", after_chunk=dies_in_its_second_chunk).run())
    recorded = sorted(chunks[0].sr_ids)
    assert state(catalogued_url) == [("soon", None, "dead", 1, recorded)]  # nobody ended it
    with psycopg.connect(libpq_url(catalogued_url)) as conn:
        assert [taker for _, taker in release_orphans(conn, "ng", alive={"next"})] == ["dead"]
    after = asyncio.run(worker(sandbox, catalogued_url, "next").run())
    ((ending, rest),) = [(s.ending, s.captured) for s in after.served]
    assert (ending, sorted(rest)) == ("done", sorted(set(ids) - set(recorded)))
    assert state(catalogued_url) == [("soon", "done", "next", 2, sorted(ids))]


def test_a_chunk_that_fails_ends_its_request_as_failed_and_stops_the_worker(
    sandbox: SandboxHandle, catalogued_url: str
) -> None:
    ids = upcoming(catalogued_url, 3)
    put(catalogued_url, request("imminent", 3, ids))

    def comparison_breaks(chunk: Chunk) -> None:
        raise RuntimeError("the comparison broke")

    with pytest.raises(RuntimeError, match="the comparison broke"):
        asyncio.run(worker(sandbox, catalogued_url, "w", after_chunk=comparison_breaks).run())
    with psycopg.connect(libpq_url(catalogued_url)) as conn:
        row = conn.execute("SELECT outcome, reason, captured_sr_ids FROM core.capture_requests").fetchone()
    assert row is not None and row[0] == "failed" and row[2] == []
    assert row[1].startswith("chunk w/1: RuntimeError: the comparison broke")


def test_the_start_delay_of_each_request_it_started_is_reported_per_tier(
    sandbox: SandboxHandle, catalogued_url: str
) -> None:
    ids = upcoming(catalogued_url, 3)
    put(
        catalogued_url,
        request("imminent", 3, ids[:1], NOW - timedelta(seconds=40)),
        request("soon", 2, ids[1:2], NOW - timedelta(seconds=100)),
        request("later", 1, ids[2:], NOW - timedelta(seconds=900)),
    )
    done = asyncio.run(worker(sandbox, catalogued_url, "w").run())
    # taken at NOW (the worker's clock): each delay is NOW minus its window's start
    assert done.start_delays() == {
        "imminent": {"count": 1, "max_s": 40.0, "p95_s": 40.0, "mean_s": 40.0},
        "later": {"count": 1, "max_s": 900.0, "p95_s": 900.0, "mean_s": 900.0},
        "soon": {"count": 1, "max_s": 100.0, "p95_s": 100.0, "mean_s": 100.0},
    }
    assert done.by_tier() == {"imminent": {"done": 1}, "later": {"done": 1}, "soon": {"done": 1}}
    assert done.events_captured == 3
