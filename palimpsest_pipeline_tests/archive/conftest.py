"""The defs tests' Dagster fixtures (``pipeline_resources``, ``materialize_range``), reused here."""

from palimpsest_pipeline_tests.defs.conftest import materialize_range, pipeline_resources

__all__ = ["materialize_range", "pipeline_resources"]
