"""0055 sums the closing prices already stored into analytics.closing_price_days: a warehouse of the version
before it, holding closing rows of two countries and dates (gaps above and below fair, stale and suspended
rows, bets without a consensus, BetPawa with and without an opening price or a fair probability of its own),
reads after it day rows equal to those rows worked out again."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from palimpsest_pipeline.warehouse.config import create_database, libpq_url, with_database
from palimpsest_pipeline.warehouse.migrate import migrate
from palimpsest_pipeline.warehouse.schema_migrations import MIGRATIONS_DIR
from palimpsest_pipeline_tests.fixtures_pg import TEST_DB_PREFIX, drop_database
from palimpsest_pipeline_tests.warehouse.closing_days_recomputed import assert_days_equal_rows
from palimpsest_pipeline_tests.warehouse.migrations_until import REPLACED_DIR

MIGRATION = "0055_closing_price_days"

#: Six matches per country and date in two competitions, four books, two market families of three outcomes.
_ROWS = """
INSERT INTO analytics.closing_prices (kickoff_date, site_country, sr_id, kickoff, sport, competition,
    market_family, market, specifier, outcome, book, closing_price, closing_at, set_aside,
    implied_probability, book_margin, book_fair_probability, consensus_probability, consensus_price,
    consensus_books, gap, opening_price, opening_at, opening_gap)
SELECT day, cc, 100 * d + m, day + interval '15 hours', 'football', 'C' || (m % 2), 'family ' || (o / 3),
       1 + o / 3, '', o, b, price, day + interval '14 hours', aside, 1 / price, 0.05,
       CASE WHEN b = 'betpawa' AND m % 3 = 0 THEN NULL ELSE fair END,
       CASE WHEN consensus THEN 0.5 END, CASE WHEN consensus THEN 2.0 END,
       CASE WHEN consensus THEN 3 ELSE 1 END,
       CASE WHEN consensus AND aside IS NULL THEN price / 2 - 1 END,
       CASE WHEN opens THEN opening END, CASE WHEN opens THEN day::timestamptz END,
       CASE WHEN opens AND consensus THEN opening / 2 - 1 END
FROM (VALUES (date '2026-11-24', 1, 'ng'), (date '2026-11-25', 2, 'ng'), (date '2026-11-24', 3, 'gh'))
         AS days (day, d, cc),
     generate_series(1, 6) AS m, unnest(ARRAY['betpawa', 'sportybet', 'bet9ja', 'msport']) AS b,
     generate_series(0, 5) AS o,
     LATERAL (SELECT 2 * (0.9 + ((m * 7 + o * 13 + length(b) * 31) % 200) / 1000.0) AS price,
                     2 * (0.88 + ((m * 11 + o * 5) % 200) / 1000.0) AS opening,
                     0.45 + ((m * 3 + o + length(b)) % 100) / 1000.0 AS fair,
                     CASE WHEN (m + o + length(b)) % 11 = 0 THEN 'stale'
                          WHEN (m + o + length(b)) % 13 = 0 THEN 'suspended' END AS aside,
                     (m * o) % 7 <> 1 AS consensus,
                     b = 'betpawa' AND o % 4 <> 3 AS opens) AS facts
"""


@pytest.fixture
def empty_database(pg_server_url: str) -> Iterator[str]:
    name = f"{TEST_DB_PREFIX}{os.getpid()}_closing_days"  # the pid: an orphan of a killed run is dropped
    drop_database(pg_server_url, name)
    create_database(pg_server_url, name)
    try:
        yield with_database(pg_server_url, name)
    finally:
        drop_database(pg_server_url, name)


def _before(tmp_path: Path) -> Path:
    folder = tmp_path / f"before_{MIGRATION}"
    folder.mkdir()
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        if path.stem < MIGRATION:
            (folder / path.name).symlink_to(path)
    (folder / REPLACED_DIR.name).symlink_to(REPLACED_DIR)
    return folder


def test_the_migration_sums_the_stored_closing_rows(
    empty_database: str, reader_password: str, tmp_path: Path
) -> None:
    migrate(empty_database, password=reader_password, migrations_dir=_before(tmp_path))
    with psycopg.connect(libpq_url(empty_database), autocommit=True) as conn:
        assert conn.execute(_ROWS).rowcount == 3 * 6 * 4 * 6
    later = tuple(sorted(path.stem for path in MIGRATIONS_DIR.glob("*.sql") if path.stem >= MIGRATION))
    assert migrate(empty_database, password=reader_password).applied == later
    with psycopg.connect(libpq_url(empty_database)) as conn:
        # 3 country-dates x 2 competitions x 2 families x 4 books, BetPawa's with bets set against theirs
        assert assert_days_equal_rows(conn) == 48
        assert conn.execute(
            "SELECT count(*) FROM analytics.closing_price_days WHERE betpawa_bets IS NOT NULL"
        ).fetchone() == (12,)
