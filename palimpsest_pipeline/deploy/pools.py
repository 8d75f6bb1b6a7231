"""The pool limits the run queue enforces, written into an instance before its daemon dequeues a run.

Dagster gives a pool its default limit lazily, and in that first pass the pool counts as unlimited: three
captures of one sensor tick on a fresh instance all launched at once. So ``palimpsest dev`` calls
:func:`apply_pool_limits` and a cluster runs :func:`cli_commands` as a deploy step; a limit an operator set
by hand is kept. No Dagster import at run time: the instance is passed in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from palimpsest_pipeline.records import SCRAPED_BOOKS, Book

if TYPE_CHECKING:
    from dagster import DagsterInstance

#: The odds capture's pool: the op that talks to every book at once.
ODDS_POOL = "odds_capture"


def book_pool(book: Book) -> str:
    """The pool of a book's catalogue op."""
    return f"book_{book.value}"


#: Slots per pool. Book pools: one catalogue scrape of a book at a time; odds_capture: one capture (it talks
#: to every book) at a time. See the `concurrency:` block of dagster.yaml for the reasoning.
POOL_LIMITS: Mapping[str, int] = {**{book_pool(book): 1 for book in SCRAPED_BOOKS}, ODDS_POOL: 1}


def apply_pool_limits(instance: DagsterInstance, limits: Mapping[str, int] = POOL_LIMITS) -> dict[str, int]:
    """Write ``limits`` into the instance for every pool not configured by hand; returns what was written.

    Idempotent: a second call writes nothing. Raises ValueError for a negative limit, naming the pool.
    """
    for pool, limit in limits.items():
        if limit < 0:
            raise ValueError(f"pool {pool!r}: limit must be >= 0, got {limit}")
    storage = instance.event_log_storage
    configured = {p.name: p for p in storage.get_pool_limits()}
    written: dict[str, int] = {}
    for pool, limit in sorted(limits.items()):
        existing = configured.get(pool)
        if existing is not None and not existing.from_default:
            continue  # set explicitly, by us earlier or by an operator: theirs to keep
        storage.set_concurrency_slots(pool, limit)
        written[pool] = limit
    return written


def cli_commands(limits: Mapping[str, int] = POOL_LIMITS) -> list[str]:
    """The same limits as ``dagster instance concurrency set`` commands (for a cluster's deploy step)."""
    return [f"dagster instance concurrency set {pool} {limit}" for pool, limit in sorted(limits.items())]
