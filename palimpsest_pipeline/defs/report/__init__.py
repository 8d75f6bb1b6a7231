"""Dagster definitions of the traders' report."""
