"""Backfills from the raw-response archive: the config that switches the scraping assets to the archive.

The catalogue assets and ``odds_snapshots`` take ``source``: ``"live"`` (default) asks the books,
``"archive"`` re-derives the same tables from ``core.raw_archive`` through the same adapters and parsers
(``scrape/archive/``), without a single request to a book. The derived assets (matching, coverage, odds
comparison) only read the warehouse, so they need no switch: a backfill of every asset with
:func:`archive_run_config` rebuilds everything for a range of kick-off dates.

From the command line, one run for the whole range (the CLI needs every selected asset to have a single-run
backfill policy, which they all have)::

    dg launch --assets '*' --partition-range 2026-05-01...2026-05-30 \\
        --config-json "$(python -m palimpsest_pipeline.defs.archive)"

The JSON is :data:`ARCHIVE_RUN_CONFIG_JSON`. In the UI, materialize the range with the same config in the
launchpad. There is deliberately no job carrying it as its default: Dagster applies a partitioned job's
default config per partition key, not to a run over a range of partitions, so the switch would silently be
ignored by exactly the runs that need it.
"""

from __future__ import annotations

import json
from typing import Any, Literal

import dagster as dg

from palimpsest_pipeline.records import Book

#: Where a scraping asset gets its responses: the books, or the archive of what they sent.
Source = Literal["live", "archive"]

ODDS_OP = "odds_snapshots"


def catalogue_op(book: Book) -> str:
    """The op name of a book's catalogue multi-asset (``<book>_catalogue``)."""
    return f"{book.value}_catalogue"


class CatalogueConfig(dg.Config):
    """``source="archive"`` re-derives the book's events from its archived catalogue scrapes (every one whose
    window reaches the run's dates, oldest first) instead of scraping the book."""

    source: Source = "live"


def archive_run_config(*, odds: bool = True, books: tuple[Book, ...] = tuple(Book)) -> dict[str, Any]:
    """Run config selecting the archive for the scraping ops of ``books`` (and the odds capture)."""
    ops: dict[str, Any] = {catalogue_op(book): {"config": {"source": "archive"}} for book in books}
    if odds:
        ops[ODDS_OP] = {"config": {"source": "archive"}}
    return {"ops": ops}


ARCHIVE_RUN_CONFIG_JSON = json.dumps(archive_run_config(), separators=(",", ":"))


if __name__ == "__main__":  # pragma: no cover - a convenience for shell users
    print(ARCHIVE_RUN_CONFIG_JSON)
