"""Event detail rendering with caches: one render per (book, event, price version) while cached.

Detail bodies are large and benchmarks fetch thousands per cycle, so the serialised bytes are kept
zstd-compressed in an LRU bounded by size, and the small "list part" of the same render in an LRU bounded by
count: paging a list after its details were fetched (or before) never renders an event twice for one price
version. Both keep only the version of an event last rendered; a hit costs one decompression instead of a
render.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import zstandard

from palimpsest_pipeline.records import Book
from palimpsest_sandbox.kit import kit
from palimpsest_sandbox.markets import render_markets
from palimpsest_sandbox.world import WorldEvent

_LIST_PART_ENTRIES = 60_000
#: zstd level of the cached bodies: the fastest, which already gives most of the ratio on this JSON.
_CACHE_LEVEL = 1


@dataclass(frozen=True, slots=True)
class Rendered:
    """One event's render on one book (its kit's ``render``)."""

    body: bytes  # the complete HTTP body of the detail endpoint
    list_part: Any  # what the book's list rows carry of it (its main markets or odds)


class EventRenderer:
    def __init__(self, *, cache_bytes: int, reprice_scale: float = 1.0, depth_scale: float = 1.0) -> None:
        self._reprice_scale = reprice_scale
        self._depth_scale = depth_scale
        self._budget = cache_bytes
        self._lock = threading.Lock()
        # One entry per (book, event): the price version last rendered. A clock set back (tests, the control
        # API) renders each event once more, then hits again: keeping the newest would miss at every request.
        self._bodies: OrderedDict[tuple[Book, int], tuple[int, bytes]] = OrderedDict()
        self._body_bytes = 0
        self._list_parts: OrderedDict[tuple[Book, int], tuple[int, Any]] = OrderedDict()
        self.renders = 0  # how many times markets were rendered (cache misses), for tests and tuning
        # zstandard's (de)compressor objects must not be shared between threads: one per serving thread
        self._codecs = threading.local()

    def version(self, book: Book, event: WorldEvent, at: datetime) -> int:
        return event.price_version(book, at, self._reprice_scale)

    def detail(self, book: Book, event: WorldEvent, at: datetime) -> bytes:
        key = (book, event.uid, self.version(book, event, at))
        with self._lock:
            entry = self._bodies.get(key[:2])
            packed = entry[1] if entry is not None and entry[0] == key[2] else None
            if packed is not None:
                self._bodies.move_to_end(key[:2])
        if packed is not None:
            return self._decompressor().decompress(packed)
        return self._render(book, event, key).body

    @property
    def cached_bytes(self) -> int:
        """The compressed size of the cached bodies (bounded by the budget)."""
        return self._body_bytes

    def _compressor(self) -> zstandard.ZstdCompressor:
        codec = getattr(self._codecs, "compressor", None)
        if codec is None:
            codec = self._codecs.compressor = zstandard.ZstdCompressor(level=_CACHE_LEVEL)
        return codec

    def _decompressor(self) -> zstandard.ZstdDecompressor:
        codec = getattr(self._codecs, "decompressor", None)
        if codec is None:
            codec = self._codecs.decompressor = zstandard.ZstdDecompressor()
        return codec

    def list_part(self, book: Book, event: WorldEvent, at: datetime) -> Any:
        key = (book, event.uid, self.version(book, event, at))
        with self._lock:
            entry = self._list_parts.get(key[:2])
            if entry is not None and entry[0] == key[2]:
                self._list_parts.move_to_end(key[:2])
                return entry[1]
        return self._render(book, event, key).list_part

    def _render(self, book: Book, event: WorldEvent, key: tuple[Book, int, int]) -> Rendered:
        version = key[2]
        depth = event.depth(book) * self._depth_scale
        markets = render_markets(
            book,
            match_seed=event.match_seed,
            version=version,
            sport=event.sport,
            depth=depth,
            teams=(event.home[book], event.away[book]),
            sr_id=event.sr_id,
        )
        rendered = kit(book).render(event, markets, version)
        # A copy of its own size: python-zstandard's compress() output keeps an allocation of the input's
        # size, which would make this cache as big as raw bodies.
        packed = bytes(memoryview(self._compressor().compress(rendered.body))) if self._budget else b""
        event_key, version = key[:2], key[2]
        with self._lock:
            self.renders += 1
            self._list_parts[event_key] = (version, rendered.list_part)
            self._list_parts.move_to_end(event_key)
            while len(self._list_parts) > _LIST_PART_ENTRIES:
                self._list_parts.popitem(last=False)
            cached = self._bodies.get(event_key)
            if packed and len(packed) <= self._budget and (cached is None or cached[0] != version):
                if cached is not None:
                    self._body_bytes -= len(cached[1])
                self._bodies[event_key] = (version, packed)
                self._bodies.move_to_end(event_key)
                self._body_bytes += len(packed)
                while self._body_bytes > self._budget:
                    _, (_, evicted) = self._bodies.popitem(last=False)
                    self._body_bytes -= len(evicted)
        return rendered
