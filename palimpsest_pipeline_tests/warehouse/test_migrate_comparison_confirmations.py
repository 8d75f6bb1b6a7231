"""0048 stores a price's and a margin's capture time once per event and book: the previous version's
warehouse, migrated to the version before 0048, reads the same rows from ``analytics.outcome_prices``,
``analytics.market_margins`` and ``analytics.odds_comparison`` afterwards, column for column, each book's
capture time now from ``analytics.comparison_confirmations``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg

from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline.warehouse.migrate import migrate
from palimpsest_pipeline.warehouse.schema_migrations import MIGRATIONS_DIR
from palimpsest_pipeline_tests.warehouse.migrations_until import REPLACED_DIR
from palimpsest_pipeline_tests.warehouse.previous_version.load import previous_warehouse

MIGRATION = "0048_comparison_confirmations"
READ = {
    "prices": "SELECT * FROM analytics.outcome_prices",
    "margins": "SELECT * FROM analytics.market_margins",
    "wide": "SELECT * FROM analytics.odds_comparison",
}
#: Each (event, book)'s distinct capture times over its prices and margins.
_TIMES_PER_BOOK = """
SELECT count(DISTINCT captured_at) FROM (
    SELECT kickoff_date, site_country, sr_id, book, captured_at FROM analytics.outcome_prices
    UNION ALL
    SELECT kickoff_date, site_country, sr_id, book, captured_at FROM analytics.market_margins
) AS t GROUP BY kickoff_date, site_country, sr_id, book
"""


def _before(tmp_path: Path) -> Path:
    """The migrations folder of the version before 0048: the baseline, its replaced ones, those after it."""
    folder = tmp_path / "before_0048"
    folder.mkdir()
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        if path.stem < MIGRATION:
            (folder / path.name).symlink_to(path)
    (folder / REPLACED_DIR.name).symlink_to(REPLACED_DIR)
    return folder


def _read(url: str) -> dict[str, tuple[list[str], set[tuple[Any, ...]]]]:
    read = {}
    with psycopg.connect(libpq_url(url)) as conn:
        for name, query in READ.items():
            cursor = conn.execute(query)
            read[name] = ([c.name for c in cursor.description or ()], set(cursor.fetchall()))
    return read


def test_the_previous_warehouse_reads_the_same_prices_margins_and_wide_rows(
    pg_server_url: str, reader_password: str, tmp_path: Path
) -> None:
    with previous_warehouse(pg_server_url) as url:
        migrate(url, password=reader_password, migrations_dir=_before(tmp_path))
        before = _read(url)
        with psycopg.connect(libpq_url(url)) as conn:
            times = {row[0] for row in conn.execute(_TIMES_PER_BOOK).fetchall()}
        assert before["prices"][1] and before["margins"][1] and before["wide"][1], (
            "the dump holds a comparison"
        )
        assert times == {1}  # the store confirms a book's prices of an event together

        # 0048, then the migrations after it
        later = tuple(sorted(path.stem for path in MIGRATIONS_DIR.glob("*.sql") if path.stem > MIGRATION))
        assert migrate(url, password=reader_password).applied == (MIGRATION, *later)

        after = _read(url)
        with psycopg.connect(libpq_url(url)) as conn:
            confirmations = conn.execute(
                "SELECT count(*), count(DISTINCT (kickoff_date, site_country, sr_id, book)) "
                "FROM analytics.comparison_confirmations"
            ).fetchone()
            books = conn.execute(
                "SELECT count(*) FROM (SELECT kickoff_date, site_country, sr_id, book "
                "FROM analytics.outcome_prices_stored UNION SELECT kickoff_date, site_country, sr_id, book "
                "FROM analytics.market_margins_stored) AS b"
            ).fetchone()
    assert after == before
    assert confirmations is not None and books is not None and confirmations == (books[0], books[0])
