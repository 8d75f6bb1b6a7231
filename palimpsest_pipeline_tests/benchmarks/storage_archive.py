"""``bench_storage.py``'s archive figures: the raw archive of a sample of sandbox events through their day,
against the odds history parsed from exactly the same bodies.

Each sampled event is rendered by the sandbox at every one of its captures through the day, at the sensor's
cadence; every capture minute is one capture run (a new batch and writer finding its bases in the database,
one flush), each body archived under the URL the pipeline asks the real book at, after the keyframe
dictionaries were trained on other events' bodies. The same bodies are parsed by the books' odds parsers and
stored by ``store_odds`` in the same database: the history the archive backs, measured, not modelled.
``sample="flush"`` holds in each flush what a real flush holds at 1,000 events per book; ``sample="spread"``
spreads fewer events over the day (the worst case for packs). Figures are per payload (docs/benchmarks.md).
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import psycopg

from palimpsest_pipeline.books.http import BookClient
from palimpsest_pipeline.books.kits import KITS
from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.books.settings import default_settings
from palimpsest_pipeline.records import Book, OddsRow
from palimpsest_pipeline.scrape.odds.parsing import Unwrap, parse_body
from palimpsest_pipeline.warehouse.archive.dictionaries import train_archive_dictionary
from palimpsest_pipeline.warehouse.archive.reader import iter_event_bodies
from palimpsest_pipeline.warehouse.archive.records import RawResponse
from palimpsest_pipeline.warehouse.archive.writer import RawArchiveWriter
from palimpsest_pipeline.warehouse.odds_store import store_odds
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_pipeline_tests.warehouse.stored import odds_storage_bytes
from palimpsest_sandbox.rendering import EventRenderer
from palimpsest_sandbox.world import World

ARCHIVE_SAMPLE_EVENTS = 12  # per book, each through its whole day of captures (~70): ~2,500 bodies in all
ARCHIVE_TRAINING_EVENTS = 60  # per book: other events' first bodies, to train the keyframe dictionaries
#: Events per book a real flush holds at 1,000 events per book (see the module docstring), and the kick-off
#: window they are sampled from (the sandbox's world has 49-54 per book there).
FLUSH_SAMPLE_EVENTS = 40
FLUSH_SAMPLE_KICKOFFS = (timedelta(hours=18), timedelta(hours=18, minutes=30))
SPREAD_KICKOFFS = (timedelta(hours=10), timedelta(hours=23, minutes=30))
_PARTS_SQL = """
SELECT COALESCE(sum(pg_relation_size(c.oid)), 0),
       COALESCE(sum(COALESCE(pg_total_relation_size(NULLIF(c.reltoastrelid, 0)), 0)), 0),
       COALESCE(sum(pg_indexes_size(c.oid)), 0)
FROM pg_inherits AS i JOIN pg_class AS c ON c.oid = i.inhrelid
WHERE i.inhparent IN ('core.raw_archive'::regclass, 'core.archive_packs'::regclass)
"""


class _RealDetails:
    """What the pipeline asks each real book for an event's detail: its URL and the envelope to strip."""

    def __init__(self) -> None:
        self._clients = {book: _client(book) for book in NIGERIA_BOOKS}

    def url(self, book: Book, event_id: str) -> str:
        return self._clients[book].url_for(KITS[book].adapter().event_detail_request(event_id))

    def unwrap(self, book: Book) -> Unwrap:
        return self._clients[book].wire.unwrap


def _client(book: Book) -> BookClient:
    settings = default_settings(book)
    return BookClient(settings, KITS[book].adapter().wire(settings))  # never entered: URLs only, no requests


def _timelines(
    world: World,
    book: Book,
    count: int,
    day_start: datetime,
    tier: Any,
    kickoffs: tuple[timedelta, timedelta] = SPREAD_KICKOFFS,
) -> list[tuple[Any, list[datetime]]]:
    """``count`` of the book's events kicking off in ``kickoffs`` (from the day's start), each with its
    capture times at the sensor's cadence (``tier``: seconds to kick-off -> (minutes between captures, ...))
    from 00:00 to kick-off."""
    events = [
        e
        for e in world.listed_events(book, day_start + timedelta(hours=1))
        if e.sr_id and day_start + kickoffs[0] <= e.kickoff <= day_start + kickoffs[1]
    ][:count]
    out = []
    for event in events:
        times = []
        for minute in range(24 * 60):
            at = day_start + timedelta(minutes=minute)
            ahead = (event.kickoff - at).total_seconds()
            if ahead > 0 and minute % tier(ahead)[0] == 0:
                times.append(at)
        out.append((event, times))
    return out


def _by_minute(
    world: World, day_start: datetime, tier: Any, sample: str
) -> tuple[dict[datetime, list[tuple[Book, Any]]], dict[Book, list[tuple[Any, list[datetime]]]]]:
    """The sampled events' captures grouped by minute, and each book's training events."""
    by_minute: dict[datetime, list[tuple[Book, Any]]] = {}
    training: dict[Book, list[tuple[Any, list[datetime]]]] = {}
    for book in NIGERIA_BOOKS:
        timelines = _timelines(world, book, ARCHIVE_SAMPLE_EVENTS + ARCHIVE_TRAINING_EVENTS, day_start, tier)
        if sample == "spread":
            step = max(1, len(timelines) // ARCHIVE_SAMPLE_EVENTS)  # measured: spread over the kick-off times
            measured = timelines[::step][:ARCHIVE_SAMPLE_EVENTS]
        else:
            measured = _timelines(world, book, FLUSH_SAMPLE_EVENTS, day_start, tier, FLUSH_SAMPLE_KICKOFFS)
        ids = {event.sr_id for event, _ in measured}
        training[book] = [t for t in timelines if t[0].sr_id not in ids][:ARCHIVE_TRAINING_EVENTS]
        for event, times in measured:
            for at in times:
                by_minute.setdefault(at, []).append((book, event))
    return by_minute, training


def measure_archive(
    conn: psycopg.Connection,
    *,
    captures: int,
    seed: int,
    day_start: datetime,
    tier: Any,
    sample: str = "flush",
) -> dict[str, Any]:
    """Archive and store what the day's captures of the sampled events would (see the module docstring) in
    the empty database behind ``conn``; figures per payload, and scaled to ``captures``. ``sample``: "flush"
    or "spread"."""
    if sample not in ("flush", "spread"):
        raise ValueError(f"measure_archive: sample must be 'flush' or 'spread', got {sample!r}")
    world = World(seed=seed, size=1_000, days=3)
    renderer = EventRenderer(cache_bytes=0)
    details = _RealDetails()
    by_minute, training = _by_minute(world, day_start, tier, sample)

    def response(book: Book, event: Any, at: datetime) -> RawResponse:
        event_id = event.event_id(book)
        body = renderer.detail(book, event, at)
        url = details.url(book, event_id)
        return RawResponse(book, "event", url, 200, body, at, event.sr_id, event_id, event.kickoff.date())

    for book, timelines in training.items():
        writer = RawArchiveWriter(conn, batch_id=str(uuid.uuid4()), site_country="ng")
        for event, times in timelines:
            writer.add(response(book, event, times[0]))
        writer.flush()
        train_archive_dictionary(conn, book, "event", samples=len(timelines))
    conn.execute("TRUNCATE core.raw_archive, core.archive_packs, core.archive_events")
    changes = 0
    sent: list[tuple[datetime, str, bytes]] = []
    stats = _Totals()
    for at in sorted(by_minute):  # one capture run per minute: a new batch and writer, one flush
        responses = [response(book, event, at) for book, event in by_minute[at]]
        sent.extend((r.captured_at, r.book.value, hashlib.blake2b(r.body).digest()) for r in responses)
        stats.write(conn, responses)
        rows = list(_parsed_rows(responses, details))
        changes += store_odds(
            conn, rows, captured={(r.sr_id, r.book): at for r in responses}, site_country="ng"
        ).history_rows
    figures = _archive_figures(conn, stats, sent, captures)
    for table in ("core.odds_changes", "core.odds_current_prices", "core.odds_confirmed", "core.market_keys"):
        conn.execute(f"VACUUM ANALYZE {table}")
    history_and_keys = odds_storage_bytes(conn)["history"]
    keys = _relation_bytes(conn, "core.market_keys")
    history = history_and_keys - keys  # the change partitions alone: all events share the key dimension
    on_disk = figures["archive_bytes_per_payload"] * stats.payloads
    with_keys = on_disk + figures["archive_event_dimension_bytes"]
    return figures | {
        "archive_sample": sample,
        "archive_events_measured": len({(b, e.sr_id) for v in by_minute.values() for b, e in v}),
        "archive_flushes": len(by_minute),
        "archive_bodies_per_flush": round(stats.payloads / len(by_minute), 1),
        "history_backed_bytes_per_payload": round(history / stats.payloads),
        "history_backed_key_dimension_bytes": keys,
        "history_backed_changes_per_payload": round(changes / stats.payloads, 1),
        "archive_vs_history_backed": round(on_disk / history, 3),
        "archive_vs_history_backed_with_keys": round(with_keys / history_and_keys, 3),
    }


class _Totals:
    """What the writers of one pass wrote, and their CPU (this process: encoding, hashing, COPY)."""

    def __init__(self) -> None:
        self.payloads = self.stored = self.raw = self.keyframe_bytes = self.deltas = self.delta_bytes = 0
        self.cpu = 0.0

    def write(self, conn: psycopg.Connection, responses: list[RawResponse]) -> None:
        started = time.process_time()
        writer = RawArchiveWriter(conn, batch_id=str(uuid.uuid4()), site_country="ng")
        for r in responses:
            writer.add(r)
        writer.flush()
        self.cpu += time.process_time() - started
        self.payloads += writer.stats.rows
        self.stored += writer.stats.stored_bytes
        self.raw += writer.stats.raw_bytes
        self.keyframe_bytes += writer.stats.keyframe_bytes
        self.deltas += writer.stats.deltas
        self.delta_bytes += writer.stats.delta_bytes


def _archive_figures(
    conn: psycopg.Connection, stats: _Totals, sent: list[tuple[datetime, str, bytes]], captures: int
) -> dict[str, Any]:
    """The archive's size and a full read's CPU (every body checked against what was sent)."""
    for table in ("core.raw_archive", "core.archive_packs", "core.archive_events"):
        conn.execute(f"VACUUM ANALYZE {table}")
    dimension = _relation_bytes(conn, "core.archive_events")
    on_disk = _archive_bytes_without_dimension(conn)
    heap, toast, indexes = _row(conn, _PARTS_SQL)
    packs, entries = _row(
        conn, "SELECT count(*), COALESCE(sum(cardinality(event_keys)), 0) FROM core.archive_packs"
    )
    started = time.process_time()
    _check_read_back(conn, sent, "the archive")
    read_cpu = time.process_time() - started
    n = stats.payloads
    return {
        "archive_bytes": round(on_disk / n * captures),
        "archive_bytes_per_payload": round(on_disk / n),
        "archive_compressed_bytes_per_payload": round(stats.stored / n),
        "archive_keyframe_bytes_per_payload": round(stats.keyframe_bytes / n),
        "archive_delta_bytes_per_delta": round(stats.delta_bytes / stats.deltas) if stats.deltas else None,
        "archive_heap_bytes_per_payload": round(heap / n, 1),
        "archive_toast_bytes_per_payload": round(toast / n, 1),
        "archive_index_bytes_per_payload": round(indexes / n, 1),
        "archive_raw_bytes_per_payload": round(stats.raw / n),
        "archive_payloads_measured": n,
        "archive_event_dimension_bytes": dimension,
        "archive_packs": packs,
        "archive_entries_per_pack": round(entries / packs, 1) if packs else None,
        "archive_write_cpu_ms_per_payload": round(stats.cpu / n * 1000, 3),
        "archive_read_cpu_ms_per_payload": round(read_cpu / n * 1000, 3),
    }


def archive_bytes(conn: psycopg.Connection) -> int:
    """Bytes the archive occupies on disk (every partition of the rows and the packs, their TOAST and indexes,
    and the packs' event dimension)."""
    row = conn.execute(
        """
        SELECT COALESCE(sum(pg_total_relation_size(i.inhrelid)), 0)
               + pg_total_relation_size('core.archive_events')
        FROM pg_inherits AS i
        WHERE i.inhparent IN ('core.raw_archive'::regclass, 'core.archive_packs'::regclass)
        """
    ).fetchone()
    return int(row[0]) if row else 0


def _archive_bytes_without_dimension(conn: psycopg.Connection) -> int:
    """The archive on disk without its event dimension (a row per event, whatever its captures)."""
    return archive_bytes(conn) - _relation_bytes(conn, "core.archive_events")


def _check_read_back(conn: psycopg.Connection, sent: list[tuple[datetime, str, bytes]], what: str) -> None:
    """Every body of the day read back and compared with what was sent (capture time, book, BLAKE2b)."""
    day = sent[0][0].date()
    read = sorted(
        (b.captured_at, b.book.value, hashlib.blake2b(b.body).digest())
        for b in iter_event_bodies(conn, day, day + timedelta(days=1), site_country="ng")
    )
    if read != sorted(sent):
        raise RuntimeError(f"{what} read back {len(read)} bodies, not the {len(sent)} written")


def _row(conn: psycopg.Connection, query: str) -> tuple[int, ...]:
    row = conn.execute(query).fetchone()  # type: ignore[arg-type]
    assert row is not None
    return tuple(int(v) for v in row)


def _relation_bytes(conn: psycopg.Connection, name: str) -> int:
    row = conn.execute("SELECT pg_total_relation_size(%s::regclass)", (name,)).fetchone()
    assert row is not None
    return int(row[0])


def _parsed_rows(responses: list[RawResponse], details: _RealDetails) -> Iterator[OddsRow]:
    for r in responses:
        assert r.sr_id is not None
        parsed = parse_body(
            r.book, r.body, sr_id=r.sr_id, captured_at=r.captured_at, unwrap=details.unwrap(r.book)
        )
        if not isinstance(parsed, EventOdds):
            raise RuntimeError(f"{r.book} {r.event_id} at {r.captured_at}: {parsed.reason}")
        yield from parsed.rows
