"""Dagster definitions of the coverage domain: tournament crosswalk, matched events, coverage tables."""
