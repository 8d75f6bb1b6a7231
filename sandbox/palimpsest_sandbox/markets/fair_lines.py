"""The model's fair book of one match version, grouped by market line and kept compactly for a whole world.

Every detail render prices its event from the fair books of two market versions (pricing.py), and a market
version lasts 64 event versions (moves.py): between a catalogue scrape and the next capture of the same event
the fair books almost never change. Recomputing them was a fifth of a render's CPU (the Poisson model, ~2.5 ms
per football book), on the cores the benchmarks share with the pipeline, because an LRU of 1,024 full dicts
(~40 kB each) could not hold a 10,000-event world's 20,000 versions.

Kept compactly instead: the probabilities in one ``array('d')`` (8 bytes each, exactly the floats the model
computed) and the layout (which lines, which outcomes, in the model's order) as one tuple of interned entries,
shared by every version with the same lines. Lookups by line go through a small LRU of per-layout indexes.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from palimpsest_sandbox.markets.model import fair_book

#: Fair books kept: two market versions of every match of a 10,000-event world, with room to spare.
CACHED_VERSIONS = 32_768
#: Interned entries and layouts (a few thousand occur; past the bound they are correct, just not shared).
_MAX_INTERNED = 50_000

Line = tuple[int, str]  # (market, specifier)
Entry = tuple[Line, tuple[int, ...]]  # a line and its outcome ids


class Layout:
    """A fair book's shape: per line, in the model's order, the line and its outcome ids.

    Interned (one object per distinct shape) and hashed by identity, so the per-layout index below is found
    in O(1) rather than by hashing hundreds of nested tuples at every lookup.
    """

    __slots__ = ("entries",)

    def __init__(self, entries: tuple[Entry, ...]) -> None:
        self.entries = entries


_ENTRIES: dict[Entry, Entry] = {}
_LAYOUTS: dict[tuple[Entry, ...], Layout] = {}


def _interned_entry(entry: Entry) -> Entry:
    known = _ENTRIES.get(entry)
    if known is not None:
        return known
    if len(_ENTRIES) < _MAX_INTERNED:
        _ENTRIES[entry] = entry
    return entry


def _layout(keys: Iterable[tuple[int, str, int]]) -> Layout:
    grouped: dict[Line, list[int]] = {}
    for market, spec, outcome in keys:
        grouped.setdefault((market, spec), []).append(outcome)
    entries = tuple(_interned_entry((line, tuple(outcomes))) for line, outcomes in grouped.items())
    layout = _LAYOUTS.get(entries)
    if layout is None:
        layout = Layout(entries)
        if len(_LAYOUTS) < _MAX_INTERNED:
            _LAYOUTS[entries] = layout
    return layout


@lru_cache(maxsize=512)  # a capture has a few hundred versions in flight; ~20 kB each
def _index(layout: Layout) -> dict[Line, tuple[int, tuple[int, ...]]]:
    """Line -> (offset of its first probability, its outcome ids), for one layout."""
    index: dict[Line, tuple[int, tuple[int, ...]]] = {}
    offset = 0
    for line, outcomes in layout.entries:
        index[line] = (offset, outcomes)
        offset += len(outcomes)
    return index


@dataclass(frozen=True, slots=True)
class FairLines:
    """One match version's fair book by market line (read only: shared by the cache)."""

    layout: Layout
    probabilities: array[float]

    def __iter__(self) -> Iterator[Line]:
        return (line for line, _outcomes in self.layout.entries)

    def __contains__(self, line: object) -> bool:
        return line in _index(self.layout)

    def outcomes(self, line: Line) -> tuple[tuple[int, ...], array[float]] | None:
        """The line's outcome ids and fair probabilities in the model's order; None without that line."""
        entry = _index(self.layout).get(line)
        if entry is None:
            return None
        offset, outcomes = entry
        return outcomes, self.probabilities[offset : offset + len(outcomes)]


@lru_cache(maxsize=CACHED_VERSIONS)
def fair_lines(match_seed: int, version: int, sport: str) -> FairLines:
    """The model's fair book for one market version, grouped by market line (shared cache: read only)."""
    # The model's own LRU (full dicts) is for its other callers; going through it here would only churn it.
    book = fair_book.__wrapped__(match_seed, version, sport)
    return FairLines(_layout(book), array("d", book.values()))
