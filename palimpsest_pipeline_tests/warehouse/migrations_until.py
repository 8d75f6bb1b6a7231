"""A migrations folder stopping before a given migration, to migrate a warehouse to the version before it, and
the figures of every relation, to compare a warehouse before and after a migration."""

from __future__ import annotations

from pathlib import Path

import psycopg

from palimpsest_pipeline.warehouse.schema_migrations import MIGRATIONS_DIR, REPLACED_FOLDER

#: The migrations the baseline replaces, kept for the warehouses part-way through them.
REPLACED_DIR = MIGRATIONS_DIR / REPLACED_FOLDER

#: The migration that drops analytics.outcome_prices' null-price rows on purpose: the tests judging earlier
#: migrations' figures migrate up to it, not through it (test_migrate_outcome_prices_open_only.py judges it).
OPEN_PRICES_ONLY = "0045_outcome_prices_open_only"


def migrations_before(tmp_path: Path, migration: str, *, including: bool = False) -> Path:
    """A folder under ``tmp_path`` holding every replaced migration before ``migration`` (by name;
    ``including``: and it), linked."""
    folder = tmp_path / f"migrations_{'through' if including else 'before'}_{migration}"
    folder.mkdir(exist_ok=True)
    for path in sorted(REPLACED_DIR.glob("*.sql")):
        if (path.stem < migration or (including and path.stem == migration)) and not (
            folder / path.name
        ).exists():
            (folder / path.name).symlink_to(path)
    return folder


def relations(conn: psycopg.Connection) -> dict[str, list[str]]:
    """Every table (partitioned parents, not their partitions), view and materialised view of core and
    analytics but yoyo's bookkeeping, with its columns in order."""
    rows = conn.execute(
        """
        SELECT n.nspname || '.' || c.relname, a.attname
        FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
        JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE n.nspname IN ('core', 'analytics') AND c.relkind IN ('r', 'p', 'v', 'm')
          AND NOT c.relispartition AND c.relname NOT LIKE '%yoyo%'
        ORDER BY 1, a.attnum
        """
    ).fetchall()
    found: dict[str, list[str]] = {}
    for relation, column in rows:
        found.setdefault(relation, []).append(column)
    return found


def relation_figures(conn: psycopg.Connection, relation: str, columns: list[str]) -> tuple[int, str | None]:
    """The relation's row count and a digest of every row (``columns`` only), order-independent."""
    listed = ", ".join(f'"{c}"' for c in columns)
    digest = "md5(string_agg(r::text, '|' ORDER BY r::text))"
    row = conn.execute(f"SELECT count(*), {digest} FROM (SELECT {listed} FROM {relation}) AS r").fetchone()
    assert row is not None
    return int(row[0]), row[1]
