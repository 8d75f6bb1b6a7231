"""Dagster definitions of the catalogue domain: an asset per book, the bootstrap sensor, archive source."""
