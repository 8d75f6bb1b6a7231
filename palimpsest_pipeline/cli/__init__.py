"""``palimpsest``: the command line (demo, dev, sandbox, db, env, parse, refresh, markets, report, backfill,
alerts, settings).

One module per command family; each registers its commands on ``main``. Commands that need the database
prepare it first (embedded Postgres unless PALIMPSEST_DATABASE_URL is set, then migrations), so every command
works on a fresh clone.
"""

from __future__ import annotations

from palimpsest_pipeline.cli import alerts, backfill, db, demo, dev, markets, report, settings, tools  # noqa: F401  (registers)
from palimpsest_pipeline.cli.app import REPO_ROOT, main

__all__ = ["REPO_ROOT", "main"]
