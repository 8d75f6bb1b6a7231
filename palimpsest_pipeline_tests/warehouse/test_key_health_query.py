"""sql/queries/15_key_health.sql as the analyst runs it: per site country, book and UTC day, sums over the
hours of analytics.key_health. Expected figures worked out by hand from the seeded hours."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import psycopg

QUERY = Path(__file__).resolve().parents[2] / "sql" / "queries" / "15_key_health.sql"


def test_the_key_health_query_sums_each_books_utc_days(
    warehouse_conn: psycopg.Connection, warehouse_reader_conn: psycopg.Connection
) -> None:
    for country, book, hour, captures, opened, keyed, set_aside, suspect, fields in (
        ("ng", "betpawa", datetime(2026, 5, 5, 23, tzinfo=UTC), 9, 900, 900, 0, 0, ["old"]),  # the day before
        ("ng", "betpawa", datetime(2026, 5, 6, 22, tzinfo=UTC), 3, 1000, 900, 50, 9, ["a"]),
        ("ng", "betpawa", datetime(2026, 5, 6, 23, tzinfo=UTC), 2, 500, 480, 10, 0, ["b", "a"]),
        ("ng", "betpawa", datetime(2026, 5, 7, 0, tzinfo=UTC), 1, 200, 200, 0, 0, []),
        ("gh", "betpawa", datetime(2026, 5, 6, 22, tzinfo=UTC), 1, 100, 50, 0, 0, ["c"]),  # Ghana's site
        ("ng", "bet9ja", datetime(2026, 5, 13, 0, tzinfo=UTC), 4, 400, 400, 0, 0, []),  # the week after
    ):
        warehouse_conn.execute(
            "INSERT INTO analytics.key_health (site_country, book, hour, captures, open_outcomes, "
            "keyed_outcomes, set_aside_outcomes, suspect_outcomes, keyed_share, set_aside_share, "
            "suspect_share, new_fields) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (country, book, hour, captures, opened, keyed, set_aside, suspect, keyed / opened,
             set_aside / opened, suspect / keyed, fields),
        )  # fmt: skip
    warehouse_reader_conn.execute("SET TIME ZONE 'Africa/Lagos'")  # UTC+1: days are still UTC days
    rows = warehouse_reader_conn.execute(QUERY.read_text().replace(":'date'", "'2026-05-06'")).fetchall()
    # Nigeria, 6 May: 1,380 keyed and 60 set aside of 1,500 open; 9 suspect of 1,380 keyed (0.0065).
    # Ghana, 6 May: 50 keyed of 100 open, apart from Nigeria's hours.
    shares = [
        tuple(Decimal(share) for share in day)
        for day in (("0.920", "0.040", "0.007"), ("1.000",) + ("0.000",) * 2, ("0.500",) + ("0.000",) * 2)
    ]
    assert rows == [
        ("gh", "betpawa", date(2026, 5, 6), 1, 1, 100, *shares[2], ["c"]),
        ("ng", "betpawa", date(2026, 5, 6), 2, 5, 1500, *shares[0], ["a", "b"]),
        ("ng", "betpawa", date(2026, 5, 7), 1, 1, 200, *shares[1], []),
    ]
