"""A migrations folder stopping before a given migration, to migrate a warehouse to the version before it."""

from __future__ import annotations

from pathlib import Path

from palimpsest_pipeline.warehouse.migrate import MIGRATIONS_DIR

#: The migration that drops analytics.outcome_prices' null-price rows on purpose: the tests judging earlier
#: migrations' figures migrate up to it, not through it (test_migrate_outcome_prices_open_only.py judges it).
OPEN_PRICES_ONLY = "0045_outcome_prices_open_only"


def migrations_before(tmp_path: Path, migration: str) -> Path:
    """A folder under ``tmp_path`` holding every migration before ``migration`` (by name), linked."""
    folder = tmp_path / f"migrations_before_{migration}"
    folder.mkdir(exist_ok=True)
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        if path.stem < migration and not (folder / path.name).exists():
            (folder / path.name).symlink_to(path)
    return folder
