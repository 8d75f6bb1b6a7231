"""Bookmaker sandbox fixtures (owned by the sandbox layer).

``sandbox``: one sandbox per test session (per xdist worker): a small world (300 events per book), no latency,
no faults, the clock frozen at :data:`SANDBOX_TEST_INSTANT`, main markets only (``depth_scale`` 0: a
full-depth world costs seconds to render and to capture, and most tests read listings or a few prices).
``deep_sandbox``: a smaller world of the same seed (120 events per book) at full depth (every family, players
included, as the captures), for tests of the details' markets; a module whose tests all need it overrides
``sandbox`` with it. A test that changes a sandbox puts it back afterwards (``sandbox_faults`` and
``sandbox_clock`` do), so tests stay independent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import pytest

from palimpsest_pipeline.books.settings import BookSettings
from palimpsest_pipeline.records import Book
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_sandbox import (
    BookBehaviour,
    FaultConfig,
    SandboxConfig,
    SandboxHandle,
    fast_behaviour,
    start_in_thread,
)
from palimpsest_sandbox.books import SERVED_BOOKS

#: A Monday noon UTC: the frozen "now" of the test sandbox.
SANDBOX_TEST_INSTANT = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
SANDBOX_TEST_SEED = 7
SANDBOX_TEST_SIZE = 300


def sandbox_test_config(**overrides: Any) -> SandboxConfig:
    """The test sandbox's config (free port, fast, frozen, main markets only); keyword overrides replace
    fields."""
    settings: dict[str, Any] = {
        "seed": SANDBOX_TEST_SEED,
        "size": SANDBOX_TEST_SIZE,
        "port": 0,
        "frozen_at": SANDBOX_TEST_INSTANT,
        "books": {book: fast_behaviour() for book in SERVED_BOOKS},
        "cache_mb": 64,
        "depth_scale": 0.0,
    }
    settings.update(overrides)
    return SandboxConfig(**settings)


def fast_book_settings(
    sandbox: SandboxHandle, books: Sequence[Book] = NIGERIA_BOOKS, **overrides: Any
) -> dict[Book, BookSettings]:
    """The client settings of ``books`` (default: every book the pipeline scrapes) pointed at ``sandbox``,
    with no pause and quick retries (the test sandbox answers at once, so only the number of attempts
    matters); keyword overrides replace fields."""
    values: dict[str, Any] = {
        "pause_s": 0.0,
        "max_attempts": 6,
        "backoff_base_s": 0.01,
        "backoff_cap_s": 0.05,
        "retry_after_cap_s": 0.05,
        "read_timeout_s": 10.0,
    }
    values.update(overrides)
    return {book: BookSettings(book=book, base_url=sandbox.base_urls[book], **values) for book in books}


@pytest.fixture(scope="session")
def sandbox() -> Iterator[SandboxHandle]:
    with start_in_thread(sandbox_test_config()) as handle:
        yield handle


@pytest.fixture(scope="session")
def deep_sandbox() -> Iterator[SandboxHandle]:
    with start_in_thread(sandbox_test_config(size=120, depth_scale=1.0)) as handle:
        yield handle


FaultSetter = Callable[..., None]


@pytest.fixture
def sandbox_faults(sandbox: SandboxHandle) -> Iterator[FaultSetter]:
    """``sandbox_faults(Book.BET9JA, fail_status=503)`` (or a FaultConfig) for this test only.

    Every book touched is restored to its previous behaviour afterwards, and the served counters are reset
    before the test so it can assert on them.
    """
    previous: dict[Book, BookBehaviour] = {}

    def apply(book: Book, faults: FaultConfig | None = None, **fields: Any) -> None:
        old = sandbox.set_faults(book, faults, **fields)
        previous.setdefault(book, old)

    sandbox.reset_stats()
    try:
        yield apply
    finally:
        for book, behaviour in previous.items():
            sandbox.set_behaviour(book, behaviour)


@pytest.fixture
def sandbox_clock(sandbox: SandboxHandle) -> Iterator[SandboxHandle]:
    """The sandbox, for a test that moves its clock; the clock goes back to the frozen test instant after."""
    try:
        yield sandbox
    finally:
        sandbox.set_clock(SANDBOX_TEST_INSTANT, frozen=True)
