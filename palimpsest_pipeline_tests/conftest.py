"""Shared test fixtures: each area keeps its fixtures in a plugin module of its own."""

pytest_plugins = [
    "palimpsest_pipeline_tests.fixtures_pg",
    "palimpsest_pipeline_tests.fixtures_sandbox",
]
