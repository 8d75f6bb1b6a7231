"""The analyst role reads analytics (tables, views, example queries) and nothing else; all documented."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import polars as pl
import psycopg
import pytest
from psycopg import errors
from sqlalchemy.engine import make_url

from palimpsest_pipeline.records import Book, Event
from palimpsest_pipeline.warehouse.catalogue_store import store_catalogue
from palimpsest_pipeline.warehouse.config import libpq_url, maintenance_url, with_database
from palimpsest_pipeline.warehouse.migrate import READER_ROLE, migrate, restrict_connect
from palimpsest_pipeline.warehouse.table_io import replace_partition
from palimpsest_pipeline_tests.fixtures_pg import drop_database
from palimpsest_pipeline_tests.warehouse.stored import start_batch

QUERIES_DIR = Path(__file__).resolve().parents[2] / "sql" / "queries"
DAY = date(2026, 5, 6)
KICKOFF = datetime(2026, 5, 6, 15, 0, tzinfo=UTC)


@pytest.fixture
def reader(warehouse_url: str, reader_password: str) -> Iterator[psycopg.Connection]:
    url = make_url(libpq_url(warehouse_url)).set(username=READER_ROLE, password=reader_password)
    with psycopg.connect(url.render_as_string(hide_password=False), autocommit=True) as conn:
        yield conn


def _seed(conn: psycopg.Connection) -> None:
    for specifier in ("", "variant=x"):  # two suspect lines of one market of one event
        conn.execute(
            "INSERT INTO analytics.suspect_markets (kickoff_date, site_country, sr_id, market, specifier, "
            "book, reason, outcomes_compared, outcomes_disagreeing) "
            "VALUES (%s, 'ng', 9, 1, %s, 'betpawa', 'disagrees', 3, 2)",
            (DAY, specifier),
        )
    for market, book, moves, led, followed, lag, missed in (
        (1, "sportybet", 10, 8, 2, 3.0, 0),
        (18, "sportybet", 4, 0, 4, 5.0, 0),
        (1, "betpawa", 2, 1, 1, 12.0, 9),
    ):
        conn.execute(
            "INSERT INTO analytics.price_leadership (kickoff_date, site_country, sport, country, tournament, "
            "market, book, moves, moves_led, led_moves_followed, moves_followed, moves_late, "
            "median_follow_lag_minutes, moves_missed, window_minutes, computed_at) "
            "VALUES (%s, 'ng', 'football', 'England', 'Cup', %s, %s, %s, %s, 0, %s, 0, %s, %s, 30, %s)",
            (DAY, market, book, moves, led, followed, lag, missed, KICKOFF),
        )
    _seed_comparison(conn)
    start_batch(conn, started_at=KICKOFF, batch_id="b1", site_country="ng")
    store_catalogue(
        conn,
        book=Book.SPORTYBET,
        tournaments=[],
        dates=[DAY],
        captured_at=datetime(2026, 5, 6, 9, tzinfo=UTC),
        batch_id="b1",
        complete=True,
        events=[
            Event(Book.SPORTYBET, "sr:match:9", 9, "Lions", "Tigers", KICKOFF, "t", "Cup", None, "football")
        ],
        site_country="ng",
    )
    matches = pl.DataFrame(
        {
            "kickoff_date": [DAY],
            "site_country": ["ng"],
            "match_key": ["sr:9"],
            "sr_id": [9],
            "kickoff": [KICKOFF],
            "sport": ["football"],
            "country": [None],
            "tournament": ["Cup"],
            "home": ["Lions"],
            "away": ["Tigers"],
            "name_source": ["sportybet"],
            "book_count": [1],
            "status": ["competitor_only"],
            "genius_id": [None],
            "linked_by": [None],
            "tournament_key": ["sportybet:t"],
            "sr_tournament_id": [None],
            "canonical_tournament": ["Cup"],
            "sr_category_id": [None],
            "canonical_country": [None],
            "country_iso": [None],
        },
        schema_overrides={
            "country": pl.String,
            "book_count": pl.Int16,
            **{
                name: pl.String
                for name in (
                    "linked_by",
                    "sr_tournament_id",
                    "sr_category_id",
                    "canonical_country",
                    "country_iso",
                )
            },
            "genius_id": pl.Int64,
        },
    )
    listings = pl.DataFrame(
        {
            "kickoff_date": [DAY],
            "site_country": ["ng"],
            "match_key": ["sr:9"],
            "book": ["sportybet"],
            "event_id": ["sr:match:9"],
            "tournament_id": ["t"],
        }
    )
    where = {"kickoff_date": DAY, "site_country": "ng"}
    replace_partition(conn, "analytics.matches", where, matches)
    replace_partition(conn, "analytics.match_listings", where, listings)
    conn.execute(
        "INSERT INTO analytics.coverage_groups (kickoff_date, site_country, level, total, matched, "
        "betpawa_only, competitor_only, several_competitors_only, on_every_book, without_sr_id, "
        "linked_by_genius, match_rate, betpawa_coverage) "
        "VALUES (%s, 'ng', 'overall', 1, 0, 0, 1, 0, 0, 0, 0, 0, 0)",
        (DAY,),
    )
    for book, events in (("betpawa", 0), ("sportybet", 1), ("bet9ja", 0)):
        conn.execute(
            "INSERT INTO analytics.coverage (kickoff_date, site_country, level, book, events, "
            "not_on_betpawa, betpawa_not_on_it, only_on_it, catalogue_stale) "
            "VALUES (%s, 'ng', 'overall', %s, %s, %s, 0, %s, false)",
            (DAY, book, events, events, events),
        )
    live = (
        "INSERT INTO analytics.live_coverage (site_country, sr_id, side, sport, tournament, home, away, "
        "live_on, missing_on, since, last_seen_at, closed_at) "
        "VALUES ('ng', %s, %s, 'football', 'Cup', 'Lions', 'Tigers', %s, %s, %s, %s, %s)"
    )
    minute = timedelta(minutes=1)
    conn.execute(
        live,
        (9, "betpawa_missing", ["sportybet"], ["betpawa"], KICKOFF + minute, KICKOFF + 12 * minute, None),
    )
    conn.execute(
        live, (8, "betpawa_missing", ["bet9ja"], ["betpawa"], KICKOFF, KICKOFF + minute, KICKOFF + 2 * minute)
    )
    conn.execute(
        "INSERT INTO analytics.live_suspension (polled_at, site_country, book, status, live_events, markets, "
        "suspended, suspended_share) VALUES (%s, 'ng', 'betpawa', 'ok', 1, 10, 2, 0.2)",
        (KICKOFF + 12 * minute,),
    )


#: (site country, outcome, best price, best books, each book's fresh open price) of sr_id 9's 1X2.
_COMPARED = (
    ("ng", 1, 2.10, ["sportybet", "bet9ja"], {"betpawa": 2.00, "sportybet": 2.10, "bet9ja": 2.10}),
    ("ng", 2, 3.50, ["betpawa"], {"betpawa": 3.50, "sportybet": 3.30, "bet9ja": None}),
    ("gh", 1, 2.05, ["betpawa"], {"betpawa": 2.05, "sportybet": 2.00}),
)


def _seed_comparison(conn: psycopg.Connection) -> None:
    for country, outcome, best, books, prices in _COMPARED:
        offering = sum(price is not None for price in prices.values())
        conn.execute(
            "INSERT INTO analytics.outcome_comparison (kickoff_date, site_country, sr_id, market, specifier, "
            "outcome, best_price, best_book, best_books, books_offering, fair_books) "
            "VALUES (%s, %s, 9, 1, '', %s, %s, %s, %s, %s, 0)",
            (DAY, country, outcome, best, books[0], books, offering),
        )
        for book, price in prices.items():
            if price is None:
                continue  # a book without an open price has no row
            conn.execute(
                "INSERT INTO analytics.outcome_prices_stored (kickoff_date, site_country, sr_id, market, "
                "specifier, outcome, book, price, stale, suspect) "
                "VALUES (%s, %s, 9, 1, '', %s, %s, %s, false, false)",
                (DAY, country, outcome, book, price),
            )  # fmt: skip
            conn.execute(
                "INSERT INTO analytics.comparison_confirmations (kickoff_date, site_country, sr_id, book, "
                "captured_at) VALUES (%s, %s, 9, %s, %s) ON CONFLICT DO NOTHING",
                (DAY, country, book, KICKOFF),
            )


def test_reader_reads_every_analytics_relation(
    warehouse_conn: psycopg.Connection, reader: psycopg.Connection
) -> None:
    _seed(warehouse_conn)
    relations = [
        r[0]
        for r in warehouse_conn.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'analytics' AND c.relkind IN ('r', 'v') ORDER BY 1"
        )
    ]
    assert len(relations) >= 15  # 8 catalogue/coverage + 7 odds; later migrations may add more
    for relation in relations:
        reader.execute(f"SELECT * FROM analytics.{relation} LIMIT 1").fetchall()
    assert reader.execute("SELECT event_id FROM analytics.events").fetchall() == [("sr:match:9",)]


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT * FROM core.events",
        "SELECT * FROM core.scrape_batches",
        "SELECT * FROM core.odds_current",
        "SELECT * FROM core.odds_history",
        "SELECT * FROM core.raw_archive",
        "INSERT INTO analytics.coverage_groups (kickoff_date, site_country, level, total, matched, "
        "betpawa_only, competitor_only, several_competitors_only, on_every_book, without_sr_id, "
        "linked_by_genius) VALUES ('2026-05-06', 'ng', 'overall', 0, 0, 0, 0, 0, 0, 0, 0)",
        "DELETE FROM analytics.matches",
        "UPDATE analytics.events SET home = 'x'",
        "CREATE TABLE analytics.mine (x int)",
        "CREATE TABLE public.mine (x int)",
    ],
)
def test_reader_cannot_touch_core_nor_write(reader: psycopg.Connection, statement: str) -> None:
    with pytest.raises(errors.InsufficientPrivilege):
        reader.execute(statement)


def test_every_analytics_relation_and_column_has_a_comment(warehouse_conn: psycopg.Connection) -> None:
    undocumented_relations = warehouse_conn.execute(
        """
        SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'analytics' AND c.relkind IN ('r', 'v', 'm')
          AND coalesce(obj_description(c.oid, 'pg_class'), '') = ''
        """
    ).fetchall()
    undocumented_columns = warehouse_conn.execute(
        """
        SELECT c.relname || '.' || a.attname
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE n.nspname = 'analytics' AND c.relkind IN ('r', 'v', 'm')
          AND coalesce(col_description(c.oid, a.attnum), '') = ''
        ORDER BY 1
        """
    ).fetchall()
    assert undocumented_relations == []
    assert undocumented_columns == []


def _query_files() -> list[Path]:
    return sorted(QUERIES_DIR.glob("*.sql"))


def test_there_are_example_queries_with_headers() -> None:
    files = _query_files()
    assert len(files) >= 4
    for path in files:
        assert path.read_text().startswith("-- "), f"{path.name} needs a comment header"


@pytest.mark.parametrize("path", _query_files(), ids=lambda p: p.name)
def test_example_query_runs_as_reader(
    path: Path, warehouse_conn: psycopg.Connection, reader: psycopg.Connection
) -> None:
    _seed(warehouse_conn)
    text = path.read_text().replace(":'date'", f"'{DAY.isoformat()}'")
    rows = reader.execute(text).fetchall()
    if path.name.startswith("01_"):
        assert [r[4:6] for r in rows] == [("Lions", "Tigers")]
    if path.name.startswith("16_"):  # BetPawa first, then the competitors by matches BetPawa lacks
        assert [r[:8] for r in rows] == [
            ("ng", "betpawa", 0, 0, 0, 0, 1, Decimal("0.000")),
            ("ng", "sportybet", 1, 1, 0, 1, 1, Decimal("0.000")),
            ("ng", "bet9ja", 0, 0, 0, 0, 1, Decimal("0.000")),
        ]
    if path.name.startswith("17_"):  # the seeded match: SportyBet lists it, BetPawa does not
        assert rows == [("ng", "sportybet", 1, 1)]
    if path.name.startswith("07_"):
        assert rows == [("betpawa", 1, "disagrees", 2, 1)]
    if path.name.startswith("14_"):  # lag: (3 x 2 + 5 x 4) / 6 followed
        assert rows == [
            ("football", "sportybet", 14, Decimal("0.571"), 6, Decimal("4.3"), 0),
            ("football", "betpawa", 2, Decimal("0.500"), 1, Decimal("12.0"), 9),
        ]
    if path.name.startswith("18_"):  # hand-computed from _COMPARED
        assert rows == [
            ("ng", "bet9ja", 1, Decimal("1.000"), None),
            ("ng", "betpawa", 2, Decimal("0.500"), Decimal("-4.8")),  # 2.00 / 2.10 - 1
            ("ng", "sportybet", 2, Decimal("0.500"), Decimal("-5.7")),  # 3.30 / 3.50 - 1
            ("gh", "betpawa", 1, Decimal("1.000"), None),
            ("gh", "sportybet", 1, Decimal("0.000"), Decimal("-2.4")),  # 2.00 / 2.05 - 1
        ]
        # the wide view keeps Nigeria's three books side by side
        assert reader.execute(
            "SELECT outcome, price_betpawa, price_sportybet, price_bet9ja, best_book "
            "FROM analytics.odds_comparison ORDER BY outcome"
        ).fetchall() == [(1, 2.00, 2.10, 2.10, "sportybet"), (2, 3.50, 3.30, None, "betpawa")]
    if path.name.startswith("13_"):  # the open gap only, open 11 minutes
        assert [(r[0], r[1], r[2], r[7], r[8], r[10]) for r in rows] == [
            ("ng", "betpawa_missing", 9, ["sportybet"], ["betpawa"], 11)
        ]


def test_reader_login_is_bounded_in_time_and_connections(reader: psycopg.Connection) -> None:
    # An analyst's runaway query or forgotten open transaction must not hold the pipeline's locks for ever.
    settings = dict(
        reader.execute(
            "SELECT name, setting || coalesce(unit, '') FROM pg_settings "
            "WHERE name IN ('statement_timeout', 'idle_in_transaction_session_timeout')"
        ).fetchall()
    )
    assert settings == {"statement_timeout": "120000ms", "idle_in_transaction_session_timeout": "300000ms"}
    row = reader.execute("SELECT rolconnlimit FROM pg_roles WHERE rolname = current_user").fetchone()
    assert row == (10,)


def test_reader_cannot_connect_to_dagsters_database(pg_server_url: str, reader_password: str) -> None:
    name = f"palimpsest_test_{os.getpid()}_dagster_like"
    drop_database(pg_server_url, name)
    with psycopg.connect(maintenance_url(pg_server_url), autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")  # by hand: create_database would close it at once
    dagster_url = with_database(pg_server_url, name)
    as_reader = make_url(dagster_url).set(username=READER_ROLE, password=reader_password)
    try:
        # Before: PUBLIC may connect to a new database, so the analyst login can.
        with psycopg.connect(as_reader.render_as_string(hide_password=False)) as conn:
            assert conn.execute("SELECT current_database()").fetchone() == (name,)
        restrict_connect(dagster_url)
        with pytest.raises(psycopg.OperationalError, match="permission denied for database"):
            psycopg.connect(as_reader.render_as_string(hide_password=False))
        with psycopg.connect(dagster_url) as conn:  # its own login still connects
            assert conn.execute("SELECT 1").fetchone() == (1,)
    finally:
        drop_database(pg_server_url, name)


def test_reader_creates_no_temp_table_and_spills_a_bounded_amount(
    warehouse_url: str, reader_password: str
) -> None:
    """Database privileges are not copied from a template: the warehouse is migrated here as in production."""
    migrate(warehouse_url, password=reader_password)
    url = make_url(libpq_url(warehouse_url)).set(username=READER_ROLE, password=reader_password)
    with psycopg.connect(url.render_as_string(hide_password=False), autocommit=True) as reader:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            reader.execute("CREATE TEMP TABLE hoard AS SELECT 1")
        assert reader.execute("SHOW temp_file_limit").fetchone() == ("1GB",)
    with psycopg.connect(libpq_url(warehouse_url), autocommit=True) as owner:
        owner.execute("CREATE TEMP TABLE scratch AS SELECT 1")  # the stores' temp tables still work
