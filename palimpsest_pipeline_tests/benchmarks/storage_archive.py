"""``bench_storage.py``'s archive figures: the raw archive of a sample of sandbox events through their day,
against the odds history parsed from exactly the same bodies.

Each sampled event (``ARCHIVE_SAMPLE_EVENTS`` per book) is rendered by the sandbox at every one of its
captures through the day, at the sensor's cadence, with the prices the sandbox moves (faster near kick-off).
Every capture minute is one capture run, as the sensor launches them: a new batch (a uuid, as
``start_batch`` gives), a new writer that finds its bases in the database, one flush. Each body is archived
under the URL the pipeline asks the real book at (the books' documented base URLs and detail paths), so the
row carries what a real row carries. The keyframe dictionaries are trained first on other events' bodies, as
the daily maintenance would have.

"The history it backs" is measured, not modelled: the same bodies are parsed by the books' odds parsers and
stored by ``store_odds``, one call per capture minute, in the same database.
``history_backed_bytes_per_payload`` is the size of the history's change partitions (heap, TOAST, indexes)
per payload; the market-key dimension is reported apart (``history_backed_key_dimension_bytes``): every event
shares it, so over 36 events it weighs far more per payload than over a day of 1,000
(``archive_vs_history_backed_with_keys`` counts it anyway).
All are per payload, so they scale to any number of captures alike.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import psycopg

from palimpsest_pipeline.books.http import BookClient
from palimpsest_pipeline.books.registry import adapter_for
from palimpsest_pipeline.books.settings import default_settings
from palimpsest_pipeline.records import Book, OddsRow
from palimpsest_pipeline.sandbox.rendering import EventRenderer
from palimpsest_pipeline.sandbox.world import World
from palimpsest_pipeline.scrape.odds.parsing import ParsedOdds, Unwrap, parse_body
from palimpsest_pipeline.warehouse.odds_store import odds_storage_bytes, store_odds
from palimpsest_pipeline.warehouse.raw_archive import (
    RawArchiveWriter,
    RawResponse,
    archive_bytes,
    train_archive_dictionary,
)

ARCHIVE_SAMPLE_EVENTS = 12  # per book, each through its whole day of captures (~70): ~2,500 bodies in all
ARCHIVE_TRAINING_EVENTS = 60  # per book: other events' first bodies, to train the keyframe dictionaries


class _RealDetails:
    """What the pipeline asks each real book for an event's detail: its URL and the envelope to strip."""

    def __init__(self) -> None:
        self._clients = {book: _client(book) for book in Book}

    def url(self, book: Book, event_id: str) -> str:
        return self._clients[book].url_for(adapter_for(book).event_detail_request(event_id))

    def unwrap(self, book: Book) -> Unwrap:
        return self._clients[book].wire.unwrap


def _client(book: Book) -> BookClient:
    settings = default_settings(book)
    return BookClient(settings, adapter_for(book).wire(settings))  # never entered: URLs only, no requests


def _timelines(
    world: World, book: Book, count: int, day_start: datetime, tier: Any
) -> list[tuple[Any, list[datetime]]]:
    """``count`` of the book's events kicking off between 10:00 and 23:30 of the day, each with its capture
    times at the sensor's cadence (``tier``: seconds to kick-off -> (minutes between captures, ...)) from
    00:00 to kick-off."""
    events = [
        e
        for e in world.listed_events(book, day_start + timedelta(hours=1))
        if e.sr_id and day_start + timedelta(hours=10) <= e.kickoff <= day_start + timedelta(hours=23.5)
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
    world: World, day_start: datetime, tier: Any
) -> tuple[dict[datetime, list[tuple[Book, Any]]], dict[Book, list[tuple[Any, list[datetime]]]]]:
    """The sampled events' captures grouped by minute, and each book's training events."""
    by_minute: dict[datetime, list[tuple[Book, Any]]] = {}
    training: dict[Book, list[tuple[Any, list[datetime]]]] = {}
    for book in Book:
        timelines = _timelines(world, book, ARCHIVE_SAMPLE_EVENTS + ARCHIVE_TRAINING_EVENTS, day_start, tier)
        step = max(1, len(timelines) // ARCHIVE_SAMPLE_EVENTS)  # measured: spread over the kick-off times
        measured = timelines[::step][:ARCHIVE_SAMPLE_EVENTS]
        training[book] = [t for t in timelines if t not in measured]
        for event, times in measured:
            for at in times:
                by_minute.setdefault(at, []).append((book, event))
    return by_minute, training


def measure_archive(
    conn: psycopg.Connection, *, captures: int, seed: int, day_start: datetime, tier: Any
) -> dict[str, Any]:
    """Archive and store what the day's captures of the sampled events would (see the module docstring) in
    the empty database behind ``conn``; figures per payload, and scaled to ``captures``."""
    world = World(seed=seed, size=1_000, days=3)
    renderer = EventRenderer(cache_bytes=0)
    details = _RealDetails()
    by_minute, training = _by_minute(world, day_start, tier)

    def response(book: Book, event: Any, at: datetime) -> RawResponse:
        event_id = event.event_id(book)
        body = renderer.detail(book, event, at)
        url = details.url(book, event_id)
        return RawResponse(book, "event", url, 200, body, at, event.sr_id, event_id, event.kickoff.date())

    for book, timelines in training.items():
        with RawArchiveWriter(conn, batch_id=str(uuid.uuid4())) as writer:
            for event, times in timelines:
                writer.add(response(book, event, times[0]))
        train_archive_dictionary(conn, book, "event", samples=len(timelines))
    conn.execute("TRUNCATE core.raw_archive")
    payloads = stored = raw = changes = 0
    for at in sorted(by_minute):  # one capture run per minute: a new batch and writer, one flush
        responses = [response(book, event, at) for book, event in by_minute[at]]
        with RawArchiveWriter(conn, batch_id=str(uuid.uuid4())) as writer:
            for r in responses:
                writer.add(r)
        payloads += writer.stats.rows
        stored += writer.stats.stored_bytes
        raw += writer.stats.raw_bytes
        rows = list(_parsed_rows(responses, details))
        changes += store_odds(conn, rows, captured={(r.sr_id, r.book): at for r in responses}).history_rows
    for table in ("core.raw_archive", "core.odds_changes", "core.odds_current", "core.market_keys"):
        conn.execute(f"VACUUM ANALYZE {table}")
    on_disk = archive_bytes(conn)
    history_and_keys = odds_storage_bytes(conn)["history"]
    keys = _relation_bytes(conn, "core.market_keys")
    history = history_and_keys - keys  # the change partitions alone: all events share the key dimension
    return {
        "archive_bytes": round(on_disk / payloads * captures),
        "archive_bytes_per_payload": round(on_disk / payloads),
        "archive_compressed_bytes_per_payload": round(stored / payloads),
        "archive_raw_bytes_per_payload": round(raw / payloads),
        "archive_payloads_measured": payloads,
        "archive_events_measured": len({(b, e.sr_id) for v in by_minute.values() for b, e in v}),
        "history_backed_bytes_per_payload": round(history / payloads),
        "history_backed_key_dimension_bytes": keys,
        "history_backed_changes_per_payload": round(changes / payloads, 1),
        "archive_vs_history_backed": round(on_disk / history, 3),
        "archive_vs_history_backed_with_keys": round(on_disk / history_and_keys, 3),
    }


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
        if not isinstance(parsed, ParsedOdds):
            raise RuntimeError(f"{r.book} {r.event_id} at {r.captured_at}: {parsed.reason}")
        yield from parsed.rows(sr_id=r.sr_id, book=r.book, captured_at=r.captured_at)
