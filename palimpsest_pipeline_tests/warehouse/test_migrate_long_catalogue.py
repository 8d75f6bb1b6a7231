"""Migration 0036 on the warehouse the previous version filled: every figure of the wide catalogue tables
reads the same, row for row, through the views of the same names; the long coverage tables hold each wide
row once per book, the listings one row per book listing a match."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import sql

from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline.warehouse.migrate import migrate
from palimpsest_pipeline_tests.warehouse.previous_version.load import previous_warehouse

#: The wide tables 0036 turns into views, each with the columns that order its rows.
WIDE = {
    "matched_events": "kickoff_date, match_key",
    "coverage_overall": "kickoff_date",
    "coverage_by_country": "kickoff_date, sport, sr_category_id, country",
    "coverage_by_tournament": "kickoff_date, sport, tournament_key",
}
#: The wide table 0036 made a view that 0050 drops (no analyst query read it): its rows stay long.
DROPPED = {"coverage_by_sport": "kickoff_date, sport"}
#: Tables 0036 gives a site country, read in full before and after (the new column aside).
KEPT = {
    "coverage_history": "computed_at, kickoff_date",
    "listing_lead_time": "kickoff_date, sport, country, tournament, book",
    "to_list_now": "kickoff_date, match_key",
}
BOOKS = 3  # the previous version's books: BetPawa, SportyBet, Bet9ja
LEVELS = ("coverage_overall", "coverage_by_sport", "coverage_by_country", "coverage_by_tournament")


def _columns(conn: psycopg.Connection, table: str) -> list[tuple[str, str]]:
    return conn.execute(
        "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
        "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
        (f"analytics.{table}",),
    ).fetchall()


def _rows(conn: psycopg.Connection, table: str, order: str, columns: list[str]) -> list[tuple[Any, ...]]:
    query = sql.SQL("SELECT {} FROM {} ORDER BY {}").format(
        sql.SQL(", ").join(map(sql.Identifier, columns)),
        sql.Identifier("analytics", table),
        sql.SQL(order),
    )
    return conn.execute(query).fetchall()


def _count(conn: psycopg.Connection, table: str, where: str = "TRUE") -> int:
    row = conn.execute(
        sql.SQL("SELECT count(*) FROM {} WHERE " + where).format(sql.Identifier("analytics", table))
    ).fetchone()
    assert row is not None
    return int(row[0])


def test_the_wide_catalogue_tables_read_the_same_through_the_views_after_0036(
    pg_server_url: str, reader_password: str
) -> None:
    with previous_warehouse(pg_server_url) as url:
        with psycopg.connect(libpq_url(url)) as conn:
            shapes = {table: _columns(conn, table) for table in (*WIDE, *DROPPED, *KEPT)}
            before = {
                table: _rows(conn, table, order, [name for name, _ in shapes[table]])
                for table, order in {**WIDE, **DROPPED, **KEPT}.items()
            }
            wide_counts = {table: len(rows) for table, rows in before.items()}
        migrate(url, password=reader_password)
        with psycopg.connect(libpq_url(url)) as conn:
            kinds = dict(
                conn.execute(
                    "SELECT relname, relkind FROM pg_class WHERE relnamespace = 'analytics'::regnamespace "
                    "AND relname = ANY(%s)",
                    (list(WIDE) + list(DROPPED),),
                ).fetchall()
            )
            assert kinds == dict.fromkeys(WIDE, "v")  # the dropped one gone
            # its rows, long: one group per wide row, with the same figures
            sports = conn.execute(
                "SELECT kickoff_date, sport, total, matched, betpawa_only, competitor_only "
                "FROM analytics.coverage_groups WHERE level = 'sport' ORDER BY kickoff_date, sport"
            ).fetchall()
            wide_names = [name for name, _ in shapes["coverage_by_sport"]]
            picked = [wide_names.index(c) for c in ("kickoff_date", "sport", "total", "matched")]
            picked += [wide_names.index(c) for c in ("betpawa_only", "competitor_only")]
            assert sports == [tuple(row[i] for i in picked) for row in before["coverage_by_sport"]]
            for table, order in WIDE.items():
                assert _columns(conn, table) == shapes[table], f"{table}: the view's columns differ"
                after = _rows(conn, table, order, [name for name, _ in shapes[table]])
                assert after == before[table], f"{table}: figures differ after the migration"
            for table, order in KEPT.items():
                assert _columns(conn, table)[: len(shapes[table])] == shapes[table]
                assert _rows(conn, table, order, [name for name, _ in shapes[table]]) == before[table]
                assert _count(conn, table, "site_country = 'ng'") == wide_counts[table]
            long_counts = {
                "matches": _count(conn, "matches"),
                "match_listings": _count(conn, "match_listings"),
                "coverage_groups": _count(conn, "coverage_groups"),
                "coverage": _count(conn, "coverage"),
            }
            listed = conn.execute("SELECT sum(book_count) FROM analytics.matched_events").fetchone()
    groups = sum(wide_counts[table] for table in LEVELS)
    print(f"\nwide rows before 0036: {wide_counts}\nlong rows after 0036: {long_counts}")
    assert all(wide_counts[table] for table in (*WIDE, *DROPPED)), (
        wide_counts
    )  # the dump holds every wide table filled
    assert long_counts["matches"] == wide_counts["matched_events"]
    # one listing per book listing a match (a wide row x the books listing it, not x every book)
    assert listed is not None and long_counts["match_listings"] == listed[0]
    assert long_counts["coverage_groups"] == groups
    assert long_counts["coverage"] == groups * BOOKS
