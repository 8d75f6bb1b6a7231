"""0037 turns the wide odds comparison and stale-vs-market tables into long ones without losing a figure: the
views under the old names give back every row of the previous version's warehouse, column for column."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg

from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline.warehouse.migrate import migrate
from palimpsest_pipeline_tests.warehouse.migrations_until import OPEN_PRICES_ONLY, migrations_before
from palimpsest_pipeline_tests.warehouse.previous_version.load import previous_warehouse

#: The old wide relations, each ordered by its primary key, and how many books each row spread over.
_WIDE = {
    "analytics.odds_comparison": "kickoff_date, sr_id, market, specifier, outcome",
    "analytics.stale_vs_market": "kickoff_date, sr_id, market, specifier, outcome",
    "analytics.price_leadership": "kickoff_date, sport, country, tournament, market, book",
    "analytics.market_margins": "kickoff_date, sr_id, market, specifier, book",
    "analytics.market_availability": "kickoff_date, sr_id, market, specifier, book",
    "analytics.suspect_markets": "kickoff_date, sr_id, market, specifier, book",
}
_OLD_BOOKS = ("betpawa", "sportybet", "bet9ja")
_LEFT_BEHIND = """
    INSERT INTO analytics.stale_vs_market VALUES
        ('2026-05-06', 41, 'football', 'England', 'Premier League', 1, '1X2', '', 1, 2.10,
         '2026-05-06 09:00Z', 'down', ARRAY['bet9ja', 'sportybet'], '2026-05-06 09:30Z',
         2.05, 1.95, 2.00, 1.90, '2026-05-06 10:00Z'),
        ('2026-05-06', 41, 'football', 'England', 'Premier League', 1, '1X2', '', 3, 3.40,
         '2026-05-06 09:00Z', 'up', ARRAY['bet9ja', 'sportybet'], '2026-05-06 09:40Z',
         3.30, 3.55, 3.20, 3.60, '2026-05-06 10:00Z')
"""


def _read(
    conn: psycopg.Connection, relation: str, columns: list[str]
) -> tuple[list[Any], list[tuple[Any, ...]]]:
    """The relation's ``columns`` (names and type oids) and rows in primary-key order."""
    with conn.cursor() as cur:
        cur.execute(f"SELECT {', '.join(columns)} FROM {relation} ORDER BY {_WIDE[relation]}")
        described = [(c.name, c.type_code) for c in cur.description or ()]
        return described, cur.fetchall()


def _columns(conn: psycopg.Connection, relation: str) -> list[str]:
    schema, name = relation.split(".")
    rows = conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = %s "
        "ORDER BY ordinal_position",
        (schema, name),
    ).fetchall()
    return [row[0] for row in rows]


def _count(conn: psycopg.Connection, relation: str) -> int:
    return conn.execute(f"SELECT count(*) FROM {relation}").fetchone()[0]  # type: ignore[index]


def test_the_previous_warehouse_keeps_every_comparison_figure_through_the_views(
    pg_server_url: str, reader_password: str, tmp_path: Path
) -> None:
    with previous_warehouse(pg_server_url) as url:
        with psycopg.connect(libpq_url(url)) as conn:
            conn.execute(_LEFT_BEHIND)  # the dump's captures left no BetPawa price behind: one by hand
            old_columns = {relation: _columns(conn, relation) for relation in _WIDE}
            before = {relation: _read(conn, relation, old_columns[relation]) for relation in _WIDE}
            stale_moved = conn.execute(
                "SELECT coalesce(sum((sportybet_price IS NOT NULL OR sportybet_price_then IS NOT NULL)::int"
                " + (bet9ja_price IS NOT NULL OR bet9ja_price_then IS NOT NULL)::int), 0)"
                " FROM analytics.stale_vs_market"
            ).fetchone()[0]  # type: ignore[index]
        wide_rows = len(before["analytics.odds_comparison"][1])
        assert wide_rows, "the previous warehouse holds a comparison"

        # up to 0045, which drops the null prices on purpose (test_migrate_outcome_prices_open_only.py)
        migrate(url, password=reader_password, migrations_dir=migrations_before(tmp_path, OPEN_PRICES_ONLY))

        with psycopg.connect(libpq_url(url)) as conn:
            kinds = dict(
                conn.execute(
                    "SELECT c.relname, c.relkind FROM pg_class c"
                    " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'analytics'"
                    " AND c.relname IN ('odds_comparison', 'stale_vs_market')"
                ).fetchall()
            )
            assert kinds == {"odds_comparison": "v", "stale_vs_market": "v"}
            for relation in _WIDE:
                kept = [c for c in _columns(conn, relation) if c != "site_country"]
                assert kept == old_columns[relation], relation
                assert _read(conn, relation, old_columns[relation]) == before[relation], relation
            counts = {
                t: _count(conn, f"analytics.{t}")
                for t in ("outcome_comparison", "outcome_prices", "stale_outcomes", "stale_outcome_prices")
            }
            countries = conn.execute(
                "SELECT DISTINCT site_country FROM analytics.outcome_prices UNION "
                "SELECT DISTINCT site_country FROM analytics.price_leadership"
            ).fetchall()
        print(
            f"\nwide odds_comparison {wide_rows} rows -> outcome_comparison {counts['outcome_comparison']}, "
            f"outcome_prices {counts['outcome_prices']} ({wide_rows} x {len(_OLD_BOOKS)} books); "
            f"wide stale_vs_market {len(before['analytics.stale_vs_market'][1])} rows -> stale_outcomes "
            f"{counts['stale_outcomes']}, stale_outcome_prices {counts['stale_outcome_prices']} "
            f"(the competitors that moved: {stale_moved})"
        )
        assert counts["outcome_comparison"] == wide_rows
        assert counts["outcome_prices"] == wide_rows * len(_OLD_BOOKS)
        assert counts["stale_outcomes"] == len(before["analytics.stale_vs_market"][1])
        assert counts["stale_outcome_prices"] == stale_moved
        assert countries == [("ng",)]
