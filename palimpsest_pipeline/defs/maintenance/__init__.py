"""Dagster definitions of the daily maintenance job and its schedule."""
