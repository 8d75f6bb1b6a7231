"""Shared test fixtures: each area keeps its fixtures in a plugin module of its own."""

import pytest

pytest_plugins = [
    "palimpsest_pipeline_tests.fixtures_pg",
    "palimpsest_pipeline_tests.fixtures_sandbox",
    "palimpsest_pipeline_tests.defs.materialized_day",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Slow end-to-end tests first (order otherwise kept): the workers start on them and the quick tests
    fill the gaps, instead of one worker running the long ones alone at the end."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
