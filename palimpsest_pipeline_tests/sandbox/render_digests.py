"""The sha256 of every body a fixed set of event renders serves: a faster renderer must serve the same bytes.

Run as a script to (re)write ``render_digests.json`` from the current code:
``python -m palimpsest_pipeline_tests.sandbox.render_digests``. test_render_digests.py compares against it.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson

from palimpsest_pipeline.records import Book
from palimpsest_sandbox.rendering import EventRenderer
from palimpsest_sandbox.world import World, WorldEvent

DIGESTS = Path(__file__).with_name("render_digests.json")
AT = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
#: Price versions move with time: each event is rendered at each of these instants.
LATER = (timedelta(0), timedelta(hours=3), timedelta(days=1, minutes=7))
#: World seed -> the renderer's (reprice_scale, depth_scale): the default, and a shallower faster-moving one.
WORLDS = {7: (1.0, 1.0), 11: (2.0, 0.6)}
PER_SPORT = 3
SPORTS = ("football", "basketball", "tennis")


def cases(world: World) -> Iterator[tuple[Book, WorldEvent, datetime]]:
    """Per book and sport, the first events listed and some spread over the list, at every instant."""
    for book in Book:
        listed = world.listed_events(book, AT)
        for sport in SPORTS:
            of_sport = [e for e in listed if e.sport == sport]
            stride = max(1, len(of_sport) // PER_SPORT)
            chosen = of_sport[:PER_SPORT] + of_sport[PER_SPORT::stride][:PER_SPORT]
            for event in chosen:
                for later in LATER:
                    yield book, event, AT + later


def digests() -> dict[str, str]:
    """``"seed/book/uid/instant" -> sha256`` of the detail body and of the list part, per case."""
    out: dict[str, str] = {}
    for seed, (reprice_scale, depth_scale) in WORLDS.items():
        world = World(seed=seed, size=300, days=3)
        renderer = EventRenderer(cache_bytes=0, reprice_scale=reprice_scale, depth_scale=depth_scale)
        for book, event, at in cases(world):
            key = f"{seed}/{book.value}/{event.uid}/{at:%Y%m%dT%H%M}"
            out[f"{key}/detail"] = hashlib.sha256(renderer.detail(book, event, at)).hexdigest()
            part = orjson.dumps(renderer.list_part(book, event, at))
            out[f"{key}/list"] = hashlib.sha256(part).hexdigest()
    return out


def main() -> int:
    DIGESTS.write_text(json.dumps(digests(), indent=0, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
