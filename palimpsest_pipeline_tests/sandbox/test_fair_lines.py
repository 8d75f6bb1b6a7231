"""The compact fair-book cache and the render caches beside it give exactly what the model computes.

Ground truth is the price model itself (``model.fair_book``, uncached) and a render from emptied caches: a
cache that returned another match's or version's numbers, or lost the model's order, fails.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_sandbox.markets import fair_lines as fair_lines_module
from palimpsest_sandbox.markets import moves, pricing
from palimpsest_sandbox.markets.fair_lines import fair_lines
from palimpsest_sandbox.markets.model import fair_book
from palimpsest_sandbox.rendering import EventRenderer
from palimpsest_sandbox.world import World

AT = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("sport", ["football", "basketball", "tennis"])
def test_fair_lines_hold_the_models_numbers_in_its_order(sport: str) -> None:
    for seed in (3, 7919, 123_456_789):
        for version in (0, 1, 40):
            model = fair_book.__wrapped__(seed, version, sport)
            lines = fair_lines(seed, version, sport)
            flattened = [
                ((market, spec, outcome), probability)
                for market, spec in lines
                for outcome, probability in zip(*lines.outcomes((market, spec)) or ((), ()), strict=True)
            ]
            assert flattened == list(model.items())  # same keys, same order, bit-identical floats
            assert (999, "nope") not in lines
            assert lines.outcomes((999, "nope")) is None


def test_equal_shapes_share_one_layout() -> None:
    shapes: dict[tuple[tuple[int, str], ...], object] = {}
    for seed in range(60):
        lines = fair_lines(seed * 31 + 1, 2, "tennis")
        shape = tuple(lines)
        assert shapes.setdefault(shape, lines.layout) is lines.layout


def test_renders_from_warm_caches_equal_renders_from_cold_ones() -> None:
    """The same (book, event, version) rendered after other matches filled every cache, and again after the
    caches were emptied, is the same body byte for byte."""
    world = World(seed=4, size=200, days=3)
    renderer = EventRenderer(cache_bytes=0)
    samples = [(book, event) for book in NIGERIA_BOOKS for event in world.listed_events(book, AT)[:8]]
    warm = {}
    for book, event in samples:
        for step in (0, 1, 64):
            version = renderer.version(book, event, AT) + step
            warm[(book, event.uid, step)] = renderer._render(book, event, (book, event.uid, version)).body
    fair_lines.cache_clear()
    fair_lines_module._index.cache_clear()
    moves.match_slots.cache_clear()
    pricing.book_prices.cache_clear()
    for book, event in reversed(samples):
        for step in (64, 1, 0):
            version = renderer.version(book, event, AT) + step
            cold = renderer._render(book, event, (book, event.uid, version)).body
            assert cold == warm[(book, event.uid, step)], (book, event.uid, step)
