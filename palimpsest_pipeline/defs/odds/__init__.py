"""Dagster definitions of the odds domain: the capture and the comparison tables."""
