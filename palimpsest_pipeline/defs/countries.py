"""Each site country's part of the asset graph: its assets' keys start with the country
(``ng/betpawa/events``, ``gh/odds_snapshots``) and its ops and jobs carry it in their names, so one code
location holds every country apart: a country's run, failure, pools and partitions are its own."""

from __future__ import annotations

import dagster as dg

from palimpsest_pipeline.records import Book


def country_key(country: str, *path: str) -> dg.AssetKey:
    """The key of ``country``'s asset ``path``: ``country_key("ng", "betpawa", "events")``."""
    return dg.AssetKey([country, *path])


def op_name(key: dg.AssetKey) -> str:
    """The op (step) name Dagster gives the asset ``key``: ``ng__odds_snapshots``."""
    return key.to_python_identifier()


def catalogue_op(book: Book, country: str) -> str:
    """The op scraping ``book``'s ``country`` edition: ``ng__betpawa_catalogue``."""
    return f"{country}__{book.value}_catalogue"


def capture_op(country: str) -> str:
    """The op capturing ``country``'s odds: ``ng__odds_snapshots``."""
    return op_name(country_key(country, "odds_snapshots"))


def catalogue_job_name(country: str) -> str:
    """``country``'s catalogue, matching, coverage and report job: ``palimpsest_comparison_ng``."""
    return f"palimpsest_comparison_{country}"


def capture_job_name(country: str) -> str:
    """``country``'s odds capture and comparison job: ``capture_odds_ng``."""
    return f"capture_odds_{country}"
