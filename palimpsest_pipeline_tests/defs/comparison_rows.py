"""The comparison tables' rows as a test compares them: every row of the four analyst tables, in a fixed
order, without ``computed_at`` (when is not what)."""

from __future__ import annotations

import psycopg

from palimpsest_pipeline.warehouse.config import libpq_url


def analytics_rows(warehouse_url: str) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the four comparison tables, computed_at left out, in a fixed order."""
    tables = {
        "analytics.odds_comparison": "sr_id, market, specifier, outcome",
        "analytics.market_margins": "sr_id, market, specifier, book",
        "analytics.market_availability": "sr_id, market, specifier, book",
        "analytics.suspect_markets": "sr_id, market, specifier, book",
    }
    rows: dict[str, list[tuple[object, ...]]] = {}
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        for table, order in tables.items():
            columns = [
                r[0]
                for r in conn.execute(
                    "SELECT a.attname FROM pg_attribute a WHERE a.attrelid = %s::regclass AND a.attnum > 0 "
                    "AND NOT a.attisdropped AND a.attname <> 'computed_at' ORDER BY a.attnum",
                    (table,),
                ).fetchall()
            ]
            rows[table] = conn.execute(
                f"SELECT {', '.join(columns)} FROM {table} ORDER BY {order}"
            ).fetchall()
    return rows
