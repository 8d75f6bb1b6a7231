"""0045 keeps only the open prices of analytics.outcome_prices: the previous version's warehouse loses exactly
its null-price rows, every other row and figure kept; the Nigerian wide view loses only the outcomes none of
its three books prices open, every other row column for column; and a null price can no longer be stored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
import pytest

from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline.warehouse.migrate import migrate
from palimpsest_pipeline_tests.warehouse.migrations_until import OPEN_PRICES_ONLY, migrations_before
from palimpsest_pipeline_tests.warehouse.previous_version.load import previous_warehouse

_PRICES = (
    "SELECT kickoff_date, site_country, sr_id, market, specifier, outcome, book, price, captured_at, stale, "
    "suspect, computed_at FROM analytics.outcome_prices"
)
_WIDE = "SELECT * FROM analytics.odds_comparison"
#: The wide view's three price columns, by position in ``SELECT *`` (checked below by name).
_WIDE_PRICES = ("price_betpawa", "price_sportybet", "price_bet9ja")


def _rows(conn: psycopg.Connection, query: str) -> tuple[list[str], set[tuple[Any, ...]]]:
    cursor = conn.execute(query)
    names = [column.name for column in cursor.description or ()]
    return names, set(cursor.fetchall())


def test_the_previous_warehouse_loses_only_its_null_prices(
    pg_server_url: str, reader_password: str, tmp_path: Path
) -> None:
    with previous_warehouse(pg_server_url) as url:
        migrate(url, password=reader_password, migrations_dir=migrations_before(tmp_path, OPEN_PRICES_ONLY))
        with psycopg.connect(libpq_url(url)) as conn:
            _, prices = _rows(conn, _PRICES)
            wide_names, wide = _rows(conn, _WIDE)
            comparison = conn.execute("SELECT count(*) FROM analytics.outcome_comparison").fetchone()
        nulls = {row for row in prices if row[7] is None}
        assert nulls and len(nulls) < len(prices), "the dump holds open and null prices"

        through = migrations_before(tmp_path, OPEN_PRICES_ONLY, including=True)
        migrate(url, password=reader_password, migrations_dir=through)

        with psycopg.connect(libpq_url(url)) as conn:
            _, prices_after = _rows(conn, _PRICES)
            names_after, wide_after = _rows(conn, _WIDE)
            comparison_after = conn.execute("SELECT count(*) FROM analytics.outcome_comparison").fetchone()
            nullable = conn.execute(
                "SELECT is_nullable FROM information_schema.columns WHERE table_schema = 'analytics' "
                "AND table_name = 'outcome_prices' AND column_name = 'price'"
            ).fetchone()
            with pytest.raises(psycopg.errors.NotNullViolation), conn.transaction():
                conn.execute(
                    "INSERT INTO analytics.outcome_prices (kickoff_date, site_country, sr_id, market, "
                    "specifier, outcome, book, price) "
                    "VALUES ('2026-05-06', 'ng', 1, 1, '', 1, 'betpawa', NULL)"
                )
    print(
        f"\nanalytics.outcome_prices {len(prices)} -> {len(prices_after)} rows ({len(nulls)} null prices); "
        f"analytics.odds_comparison {len(wide)} -> {len(wide_after)} rows"
    )
    assert prices_after == prices - nulls
    assert comparison_after == comparison
    assert nullable == ("NO",)
    assert names_after == wide_names
    at = [wide_names.index(name) for name in _WIDE_PRICES]
    priced = {row for row in wide if any(row[i] is not None for i in at)}
    assert wide_after == priced  # only the rows none of the three books priced open are gone
