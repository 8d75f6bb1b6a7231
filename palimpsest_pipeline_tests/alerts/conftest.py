"""The alert tests' local receiver."""

from palimpsest_pipeline_tests.alerts.receiver import receiver

__all__ = ["receiver"]
