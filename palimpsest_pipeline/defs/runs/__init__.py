"""Dagster definitions that keep runs honest: the dead-run sweep, pool turns, failure records."""
