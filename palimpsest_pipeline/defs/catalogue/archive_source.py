"""The config that switches the scraping assets to the raw-response archive for backfills: ``"live"`` asks
the books, ``"archive"`` re-derives the same tables. ``python -m`` this module prints it for ``dg launch
--config-json`` (no job default: Dagster applies those per partition key, not to a range)."""

from __future__ import annotations

import json
from typing import Any, Literal

import dagster as dg

from palimpsest_pipeline.defs.countries import capture_op, catalogue_op
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.settings import load_settings

#: Where a scraping asset gets its responses: the books, or the archive of what they sent.
Source = Literal["live", "archive"]


class CatalogueConfig(dg.Config):
    """``source="archive"`` re-derives the book's events from its archived catalogue scrapes (every one whose
    window reaches the run's dates, oldest first) instead of scraping the book."""

    source: Source = "live"


def archive_run_config(
    *, odds: bool = True, books: tuple[Book, ...] = tuple(Book), countries: tuple[str, ...] | None = None
) -> dict[str, Any]:
    """Run config selecting the archive for the catalogue ops of ``books`` and the odds captures of
    ``countries`` (None: the site countries configured)."""
    settings = load_settings()
    chosen = settings.site_countries() if countries is None else countries
    competitors = settings.competitors()
    ops = [
        catalogue_op(book, country)
        for country in chosen
        for book in competitors.scraped_books(country)
        if book in books
    ]
    ops += [capture_op(country) for country in chosen] if odds else []
    return {"ops": {op: {"config": {"source": "archive"}} for op in ops}}


if __name__ == "__main__":  # pragma: no cover - a convenience for shell users
    print(json.dumps(archive_run_config(), separators=(",", ":")))
