"""One book's catalogue refreshed against the test sandbox into a real warehouse, as the catalogue asset does
(``refresh_catalogue``): the three sports over fifteen days from the sandbox's instant."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta

import psycopg

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.catalogue_refresh import CatalogueRefresh, refresh_catalogue
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline.warehouse.withdrawal import DEFAULT_WITHDRAWAL, WithdrawalPolicy
from palimpsest_pipeline_tests.fixtures_sandbox import SANDBOX_TEST_INSTANT, fast_book_settings
from palimpsest_sandbox.server import SandboxHandle

SPORTS = ["football", "basketball", "tennis"]
HORIZON = timedelta(days=14)
DATES = [(SANDBOX_TEST_INSTANT + timedelta(days=d)).date() for d in range(15)]


def catalogue_refresher(
    sandbox: SandboxHandle, warehouse_url: str, policy: WithdrawalPolicy = DEFAULT_WITHDRAWAL
) -> Callable[[Book, str], CatalogueRefresh]:
    """``refresh(book, batch_id)``: one refresh of ``book`` at the sandbox's now, under ``policy``."""

    def connect(*, autocommit: bool = False) -> psycopg.Connection:
        return psycopg.connect(libpq_url(warehouse_url), autocommit=autocommit)

    settings = fast_book_settings(sandbox)

    def refresh(book: Book, batch_id: str) -> CatalogueRefresh:
        return asyncio.run(
            refresh_catalogue(
                connect, book, settings[book], sports=SPORTS, horizon=HORIZON, now=sandbox.now(), dates=DATES,
                batch_id=batch_id, trigger="test", policy=policy,
            )
        )  # fmt: skip

    return refresh
