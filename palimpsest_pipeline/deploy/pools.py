"""The pool limits the run queue enforces, written into an instance up front (Dagster sets a pool's default
limit lazily, counting it unlimited meanwhile); a limit set by hand is kept."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.settings import load_settings

if TYPE_CHECKING:
    from dagster import DagsterInstance


def book_pool(book: Book, country: str) -> str:
    """The pool of one book edition's catalogue scrape: ``book_betpawa_gh``."""
    return f"book_{book.value}_{country}"


def odds_pool(country: str) -> str:
    """The pool of one country's odds captures (each talks to all its books): ``odds_capture_gh``."""
    return f"odds_capture_{country}"


def worker_pool(country: str) -> str:
    """The pool of one country's capture worker (one at a time, each talks to all its books):
    ``capture_worker_gh``."""
    return f"capture_worker_{country}"


def pool_limits(env: Mapping[str, str] | None = None) -> dict[str, int]:
    """Slots per pool for the countries run: one catalogue scrape of a book edition at a time, one capture
    worker and one other odds capture per country at a time (a slow book never holds another country's)."""
    settings = load_settings(env)
    competitors = settings.competitors()
    limits: dict[str, int] = {}
    for country in settings.site_countries():
        limits.update({book_pool(book, country): 1 for book in competitors.scraped_books(country)})
        limits[odds_pool(country)] = 1
        limits[worker_pool(country)] = 1
    return limits


def apply_pool_limits(instance: DagsterInstance, limits: Mapping[str, int] | None = None) -> dict[str, int]:
    """Write ``limits`` (default: :func:`pool_limits`) into the instance for every pool not configured by
    hand; returns what was written (nothing, the second time). A negative limit raises, naming the pool."""
    limits = pool_limits() if limits is None else limits
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
