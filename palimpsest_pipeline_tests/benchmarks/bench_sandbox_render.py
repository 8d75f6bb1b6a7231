"""Benchmark: the sandbox's CPU per rendered event detail, per book, and over a catalogue scrape.

Run by ``make bench`` (not collected by pytest); no database, no sockets: the demo's world (seed 7, size 1000,
15 days) and the renderer in process, CPU by ``time.process_time``.

- ``first_render_ms``: per book, in a fresh process (no warm cache), the mean CPU of the first render of the
  first ``EVENTS_PER_BOOK`` listed events.
- ``catalogue``: in one process, the first ``CATALOGUE_EVENTS`` listed events of each of the five Nigerian
  books rendered once (as a catalogue scrape asks: a match on several books), then again ``LATER`` on (new
  price versions): CPU seconds and ms per event of each pass.

The last line printed is one JSON object.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from palimpsest_pipeline.records import Book
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_sandbox.rendering import EventRenderer
from palimpsest_sandbox.world import World

AT = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
LATER = timedelta(hours=2)
EVENTS_PER_BOOK = 150
#: Listed events per book of the catalogue pass (the demo lists ~900 per book; this keeps the run short).
CATALOGUE_EVENTS = 300


def _world() -> World:
    return World(seed=7, size=1_000, days=15)


def first_render_ms(book: Book) -> float:
    """Mean CPU (ms) of the first render of the book's first listed events, in this (fresh) process."""
    world = _world()
    events = world.listed_events(book, AT)[:EVENTS_PER_BOOK]
    renderer = EventRenderer(cache_bytes=0)
    started = time.process_time()
    for event in events:
        renderer.detail(book, event, AT)
    return round(1000 * (time.process_time() - started) / len(events), 2)


def catalogue() -> dict[str, Any]:
    """CPU of rendering the five books' listed events once, then once more ``LATER`` on."""
    world = _world()
    renderer = EventRenderer(cache_bytes=0)
    out: dict[str, Any] = {}
    for name, at in (("first", AT), ("later", AT + LATER)):
        count, started = 0, time.process_time()
        for book in NIGERIA_BOOKS:
            for event in world.listed_events(book, at)[:CATALOGUE_EVENTS]:
                renderer.detail(book, event, at)
                count += 1
        cpu = time.process_time() - started
        out[name] = {"events": count, "cpu_s": round(cpu, 1), "ms_per_event": round(1000 * cpu / count, 2)}
    return out


def main() -> int:
    if len(sys.argv) == 2:  # the child measuring one book
        print(first_render_ms(Book(sys.argv[1])))
        return 0
    per_book = {
        book.value: float(
            subprocess.run(
                [sys.executable, __file__, book.value],
                check=True,
                capture_output=True,
                text=True,
                env=os.environ,
            ).stdout.strip()
        )
        for book in Book
    }
    result = {"load": os.getloadavg()[0], "first_render_ms": per_book, "catalogue": catalogue()}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
