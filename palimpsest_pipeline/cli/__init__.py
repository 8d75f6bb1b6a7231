"""``palimpsest``: the command line, one module per command family registering on ``main``; commands that
need the database prepare it first, so every command works on a fresh clone."""

from __future__ import annotations

from palimpsest_pipeline.cli import alerts, backfill, db, demo, dev, digest, markets, report, settings, tools  # noqa: F401  (registers)
from palimpsest_pipeline.cli.app import main

__all__ = ["main"]
