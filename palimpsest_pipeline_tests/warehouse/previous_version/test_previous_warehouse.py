"""The previous version's warehouse restores and migrates to the head keeping its rows."""

from __future__ import annotations

import psycopg

from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline.warehouse.migrate import migrate
from palimpsest_pipeline_tests.warehouse.previous_version.load import previous_warehouse

#: Tables the previous version filled that every later version keeps as a table (events, prices, runs).
_KEPT = ("core.events", "core.odds_current_prices", "core.book_runs", "core.event_rosters")


def _counts(url: str) -> dict[str, int]:
    with psycopg.connect(libpq_url(url)) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in _KEPT}  # type: ignore[index]


def test_the_previous_warehouse_migrates_to_the_head_keeping_its_rows(
    pg_server_url: str, reader_password: str
) -> None:
    with previous_warehouse(pg_server_url) as url:
        before = _counts(url)
        assert all(before.values()), before  # the dump holds a filled warehouse
        migrate(url, password=reader_password)
        assert _counts(url) == before
