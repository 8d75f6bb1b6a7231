"""Shared test fixtures: each area keeps its fixtures in a plugin module of its own."""

import gc

import pytest

from palimpsest_pipeline.scrape.odds.gc_tuning import CAPTURE_GC_THRESHOLD0

pytest_plugins = [
    "palimpsest_pipeline_tests.fixtures_pg",
    "palimpsest_pipeline_tests.fixtures_sandbox",
    "palimpsest_pipeline_tests.defs.materialized_day",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Long tests (``slow``, and every ``drill``) first, order otherwise kept: the workers start on them and
    the quick tests fill the gaps, instead of one worker running the long ones alone at the end."""
    items.sort(key=lambda item: not any(item.iter_markers("slow")) and not any(item.iter_markers("drill")))


def pytest_collection_finish(session: pytest.Session) -> None:
    """What collection imported lives as long as the worker: frozen out of the cyclic collector's full passes,
    and the young generation collected as seldom as during a capture (tests allocate like the pipeline)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(CAPTURE_GC_THRESHOLD0, *gc.get_threshold()[1:])
