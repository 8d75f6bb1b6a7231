"""Benchmark: the delta archive against dictionary keyframes alone, measured in the same run.

Run with ``.venv/bin/python palimpsest_pipeline_tests/benchmarks/bench_archive.py`` (not collected by
pytest), on the embedded Postgres in a throw-away database. Sequences are the successive bodies of one (book,
event): ``BENCH_ARCHIVE_EVENTS`` sandbox events per book (default 30) rendered every ``CADENCE``
``BENCH_ARCHIVE_CAPTURES`` times (default 24), and each real capture in ``../shared/fixtures/captured`` (when
present) followed by versions with synthetic price moves.

In memory, per codec (keyframes, deltas at several levels, long-distance matching, deltas against the
keyframe): bytes and CPU per body. In Postgres, the archive's writer as a capture runs it, one writer per
capture cycle: bytes on disk, writer and reader CPU per body, every body read back and checked.
docs/benchmarks.md describes every figure. The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import json
import os
import random
import re
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import zstandard

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.settings import load_settings
from palimpsest_pipeline.warehouse.archive.dictionaries import train_archive_dictionary
from palimpsest_pipeline.warehouse.archive.reader import iter_event_bodies
from palimpsest_pipeline.warehouse.archive.records import RawResponse
from palimpsest_pipeline.warehouse.archive.writer import RawArchiveWriter
from palimpsest_pipeline.warehouse.config import (
    create_database,
    embedded_server_home,
    libpq_url,
    with_database,
)
from palimpsest_pipeline.warehouse.embedded.server import ensure_embedded_server
from palimpsest_pipeline.warehouse.migrate import migrate
from palimpsest_pipeline_tests.benchmarks.storage_archive import archive_bytes
from palimpsest_pipeline_tests.fixtures_pg import drop_database
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_sandbox.rendering import EventRenderer
from palimpsest_sandbox.world import World

EVENTS = int(os.environ.get("BENCH_ARCHIVE_EVENTS", "30"))
CAPTURES = int(os.environ.get("BENCH_ARCHIVE_CAPTURES", "24"))
SEED = 20260506
START = datetime(2026, 5, 6, 8, 0, tzinfo=UTC)
CADENCE = timedelta(minutes=2)
REAL_MOVE_SHARE = 0.03
CAPTURED = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "captured"
_DECIMAL = re.compile(rb"(?<![\d.])(\d{1,3})\.(\d{1,2})(?![\d.])")

Sequence_ = list[bytes]


def sandbox_sequences() -> dict[Book, list[tuple[str, Sequence_]]]:
    world = World(seed=SEED, size=1_000, days=3)
    renderer = EventRenderer(cache_bytes=0)
    found: dict[Book, list[tuple[str, Sequence_]]] = {}
    for book in NIGERIA_BOOKS:
        events = [e for e in world.listed_events(book, START) if e.sr_id][:EVENTS]
        found[book] = [
            (e.event_id(book), [renderer.detail(book, e, START + i * CADENCE) for i in range(CAPTURES)])
            for e in events
        ]
    return found


def real_sequences() -> list[tuple[Book, Sequence_]]:
    if not CAPTURED.is_dir():
        return []
    rng = random.Random(SEED)
    found = []
    for path in sorted(CAPTURED.rglob("*.json")):
        book = next((b for b in NIGERIA_BOOKS if b.value in path.parts), None)
        if book is None or "sample" in path.name:
            continue
        body = path.read_bytes()
        bodies = [body]
        for _ in range(CAPTURES - 1):

            def move(match: re.Match[bytes]) -> bytes:
                if rng.random() >= REAL_MOVE_SHARE:
                    return match.group(0)
                places = len(match.group(2))
                value = float(match.group(0)) * rng.uniform(0.96, 1.04)
                return f"{value:.{places}f}".encode()

            body = _DECIMAL.sub(move, body)
            bodies.append(body)
        found.append((book, bodies))
    return found


def _raw_dict(base: bytes) -> zstandard.ZstdCompressionDict:
    return zstandard.ZstdCompressionDict(base, dict_type=zstandard.DICT_TYPE_RAWCONTENT)


def _delta(level: int, ldm: bool = False) -> Callable[[bytes, bytes], tuple[bytes, Callable[[], bytes]]]:
    def encode(body: bytes, base: bytes) -> tuple[bytes, Callable[[], bytes]]:
        if ldm:
            window = max(10, (len(body) + len(base)).bit_length())
            params = zstandard.ZstdCompressionParameters.from_level(
                level, enable_ldm=True, window_log=min(window, 27)
            )
            compressor = zstandard.ZstdCompressor(compression_params=params, dict_data=_raw_dict(base))
        else:
            compressor = zstandard.ZstdCompressor(level=level, dict_data=_raw_dict(base))
        stored = compressor.compress(body)
        return stored, lambda: zstandard.ZstdDecompressor(dict_data=_raw_dict(base)).decompress(stored)

    return encode


def compare_codecs(
    sequences: list[tuple[Book, Sequence_]], dictionaries: dict[Book, zstandard.ZstdCompressionDict | None]
) -> dict[str, Any]:
    """Bytes per body and CPU per body of every codec on every body after each sequence's first."""
    bodies = sum(len(s) - 1 for _, s in sequences)
    raw = sum(len(b) for _, s in sequences for b in s[1:])
    figures: dict[str, Any] = {"bodies": bodies, "raw_bytes_per_body": round(raw / bodies)}

    def baseline(book: Book) -> Callable[[bytes, bytes], tuple[bytes, Callable[[], bytes]]]:
        d = dictionaries.get(book)
        compressor = (
            zstandard.ZstdCompressor(level=8, dict_data=d) if d else zstandard.ZstdCompressor(level=8)
        )
        decompressor = zstandard.ZstdDecompressor(dict_data=d) if d else zstandard.ZstdDecompressor()

        def encode(body: bytes, _base: bytes) -> tuple[bytes, Callable[[], bytes]]:
            stored = compressor.compress(body)
            return stored, lambda: decompressor.decompress(stored)

        return encode

    codecs: dict[str, Callable[[Book], Callable[[bytes, bytes], tuple[bytes, Callable[[], bytes]]]]] = {
        "baseline": baseline,
        "delta_l3": lambda _b: _delta(3),
        "delta_l8": lambda _b: _delta(8),
        "delta_l12": lambda _b: _delta(12),
        "delta_l8_ldm": lambda _b: _delta(8, ldm=True),
        "star_l8": lambda _b: _delta(8),
    }
    for name, make in codecs.items():
        stored = 0
        enc_s = dec_s = 0.0
        for book, seq in sequences:
            encode = make(book)
            for i in range(1, len(seq)):
                base = seq[0] if name == "star_l8" else seq[i - 1]
                t0 = time.process_time()
                data, decode = encode(seq[i], base)
                t1 = time.process_time()
                assert decode() == seq[i], name
                enc_s, dec_s = enc_s + t1 - t0, dec_s + time.process_time() - t1
                stored += len(data)
        figures[name] = {
            "bytes_per_body": round(stored / bodies),
            "compress_us_per_body": round(enc_s / bodies * 1e6),
            "decompress_us_per_body": round(dec_s / bodies * 1e6),
        }
    base_bytes = figures["baseline"]["bytes_per_body"]
    for name in codecs:
        figures[name]["ratio_to_baseline"] = round(figures[name]["bytes_per_body"] / base_bytes, 4)
    return figures


def measure_database(
    conn: psycopg.Connection, sequences: dict[Book, list[tuple[str, Sequence_]]]
) -> dict[str, Any]:
    """Archive the sandbox sequences cycle by cycle, one writer per cycle; bytes on disk and CPU."""
    conn.execute("TRUNCATE core.raw_archive, core.archive_packs, core.archive_events")
    training = [
        RawResponse(
            book, "event", f"sandbox://{book}/{eid}/t", 200, seq[0], START - timedelta(days=1), 1, eid
        )
        for book, items in sequences.items()
        for eid, seq in items
    ]
    writer = RawArchiveWriter(
        conn, batch_id="training", site_country="ng"
    )  # each event's one body: keyframes
    for item in training:
        writer.add(item)
    writer.flush()
    for book in NIGERIA_BOOKS:
        train_archive_dictionary(conn, book, "event", samples=len(sequences[book]))
    conn.execute("TRUNCATE core.raw_archive, core.archive_packs, core.archive_events")
    sent: list[bytes] = []
    write_s = 0.0
    keyframes = deltas = keyframe_bytes = delta_bytes = 0
    for i in range(CAPTURES):
        at = START + i * CADENCE
        t0 = time.process_time()
        writer = RawArchiveWriter(conn, batch_id=f"capture{i}", site_country="ng")
        for book, items in sequences.items():
            for n, (eid, seq) in enumerate(items):
                url = f"sandbox://{book}/event/{eid}"
                writer.add(RawResponse(book, "event", url, 200, seq[i], at, n + 1, eid, at.date()))
                sent.append(seq[i])
        writer.flush()
        write_s += time.process_time() - t0
        s = writer.stats
        keyframes, deltas = keyframes + s.keyframes, deltas + s.deltas
        keyframe_bytes, delta_bytes = keyframe_bytes + s.keyframe_bytes, delta_bytes + s.delta_bytes
    for table in ("core.raw_archive", "core.archive_packs", "core.archive_events"):
        conn.execute(f"VACUUM ANALYZE {table}")
    on_disk = archive_bytes(conn)
    t0 = time.process_time()
    read = sorted(b.body for b in iter_event_bodies(conn, START.date(), START.date(), site_country="ng"))
    read_s = time.process_time() - t0
    assert read == sorted(sent), "bodies read back differ from those written"
    rows = len(sent)
    return {
        "rows": rows,
        "keyframes": keyframes,
        "deltas": deltas,
        "keyframe_bytes_per_body": round(keyframe_bytes / keyframes) if keyframes else None,
        "delta_bytes_per_body": round(delta_bytes / deltas) if deltas else None,
        "compressed_bytes_per_body": round((keyframe_bytes + delta_bytes) / rows),
        "disk_bytes_per_body": round(on_disk / rows),
        "write_cpu_us_per_body": round(write_s / rows * 1e6),
        "read_cpu_us_per_body": round(read_s / rows * 1e6),
    }


def main() -> int:
    started = time.perf_counter()
    sandbox = sandbox_sequences()
    flat = [(book, seq) for book, items in sandbox.items() for _, seq in items]
    dictionaries: dict[Book, zstandard.ZstdCompressionDict | None] = {}
    for book, items in sandbox.items():  # trained on other bodies than those measured (a later capture)
        samples = [seq[-1] for _, seq in items]
        dictionaries[book] = zstandard.train_dictionary(112_640, samples) if len(samples) >= 20 else None
    figures: dict[str, Any] = {"events_per_book": EVENTS, "captures_per_event": CAPTURES}
    figures["sandbox_codecs"] = compare_codecs(flat, dictionaries)
    print(f"sandbox codecs: {figures['sandbox_codecs']}", file=sys.stderr)
    real = real_sequences()
    if real:
        figures["real_codecs"] = compare_codecs(real, {})
        print(f"real codecs: {figures['real_codecs']}", file=sys.stderr)
    else:
        figures["real_codecs"] = f"skipped: {CAPTURED} not found"
    server = ensure_embedded_server(embedded_server_home(load_settings().home))
    name = f"palimpsest_bench_archive_{os.getpid()}"
    drop_database(server, name)
    create_database(server, name)
    try:
        url = with_database(server, name)
        migrate(url)
        with psycopg.connect(libpq_url(url), autocommit=True) as conn:
            figures["postgres"] = measure_database(conn, sandbox)
            print(f"postgres: {figures['postgres']}", file=sys.stderr)
            if real:
                by_book: dict[Book, list[tuple[str, Sequence_]]] = {book: [] for book in NIGERIA_BOOKS}
                for n, (book, seq) in enumerate(real):
                    by_book[book].append((f"real{n}", seq))
                conn.execute("DELETE FROM core.archive_dictionaries")
                figures["postgres_real"] = measure_database(conn, by_book)
    finally:
        drop_database(server, name)
    figures["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
