"""What the comparison reads of each match: every book listing it in the site's country, whichever book."""

from __future__ import annotations

from datetime import UTC, date, datetime

import psycopg

from palimpsest_pipeline.derive.coverage import read_matched_listings
from palimpsest_pipeline_tests.warehouse.match_rows import insert_match

KICKOFF = datetime(2026, 5, 4, 18, 0, tzinfo=UTC)


def test_every_book_listing_a_match_is_read_per_site_country(warehouse_conn: psycopg.Connection) -> None:
    insert_match(warehouse_conn, 11, KICKOFF, {"betpawa": "b11", "msport": "sr:match:11", "betway": "11"})
    insert_match(warehouse_conn, 12, KICKOFF, {"sportybet": "sr:match:12"})
    insert_match(warehouse_conn, 11, KICKOFF, {"betpawa": "b11"}, site_country="gh")  # Ghana's own sites
    insert_match(warehouse_conn, 13, KICKOFF, {"betpawa": "b13"}, site_country="gh")

    nigeria = read_matched_listings(warehouse_conn, [date(2026, 5, 4)], "ng").sort("sr_id")
    assert nigeria.select(
        "sr_id", "on_betpawa", "on_sportybet", "on_bet9ja", "on_msport", "on_betway"
    ).rows() == [
        (11, True, False, False, True, True),
        (12, False, True, False, False, False),
    ]
    ghana = read_matched_listings(warehouse_conn, [date(2026, 5, 4)], "gh").sort("sr_id")
    assert ghana.select("sr_id", "on_betpawa", "on_msport").rows() == [(11, True, False), (13, True, False)]
    assert read_matched_listings(warehouse_conn, [date(2026, 5, 5)], "ng").height == 0
