"""Odds for analysts: the comparison tables fit the transforms' frames, the views read as the analyst role."""

from __future__ import annotations

from datetime import UTC, date, datetime

import polars as pl
import psycopg
import pytest
from psycopg import errors

from palimpsest_pipeline.frames import ODDS_SCHEMA
from palimpsest_pipeline.records import Book, OddsRow
from palimpsest_pipeline.transforms import market_availability, odds_compare
from palimpsest_pipeline.transforms.comparison_chunks import CONFIRMATIONS_SCHEMA, book_confirmations
from palimpsest_pipeline.warehouse.odds_store import read_current_odds, store_odds
from palimpsest_pipeline.warehouse.table_io import replace_partition, table_columns
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_pipeline_tests.warehouse.match_rows import insert_match

DAY = date(2026, 5, 6)
KICKOFF = datetime(2026, 5, 6, 15, 0, tzinfo=UTC)
AT = datetime(2026, 5, 6, 9, 0, tzinfo=UTC)
SR = 9

#: Table columns the Dagster assets add to the transforms' frames (or Postgres fills in).
ADDED_BY_WRITER = {"kickoff_date", "site_country", "market_name", "outcome_name", "computed_at"}
GENERATED = {"complete"}


def _unconfirmed(schema: dict[str, pl.DataType]) -> dict[str, pl.DataType]:
    """``schema`` without the capture time, which is stored once per event and book."""
    return {name: dtype for name, dtype in schema.items() if name != "captured_at"}


@pytest.mark.parametrize(
    ("table", "schema"),
    [
        ("analytics.outcome_comparison", odds_compare.OUTCOMES_SCHEMA),
        ("analytics.outcome_prices", odds_compare.PRICES_SCHEMA),
        ("analytics.market_margins", odds_compare.MARGINS_SCHEMA),
        ("analytics.market_availability", market_availability.AVAILABILITY_SCHEMA),
        ("analytics.outcome_prices_stored", _unconfirmed(odds_compare.PRICES_SCHEMA)),
        ("analytics.market_margins_stored", _unconfirmed(odds_compare.MARGINS_SCHEMA)),
        ("analytics.comparison_confirmations", CONFIRMATIONS_SCHEMA),
    ],
)
def test_comparison_tables_have_exactly_the_transform_columns(
    warehouse_conn: psycopg.Connection, table: str, schema: dict[str, pl.DataType]
) -> None:
    columns = {c.name for c in table_columns(warehouse_conn, table)}
    assert set(schema) <= columns, f"{table} lacks {set(schema) - columns}"
    assert columns - set(schema) <= ADDED_BY_WRITER | GENERATED, (
        f"{table} has unexpected {columns - set(schema)}"
    )


def _odds() -> pl.DataFrame:
    prices = {Book.BETPAWA: (2.4, 3.3, 3.0), Book.SPORTYBET: (2.5, 3.2, 2.9), Book.BET9JA: (2.3, 3.4, 3.1)}
    rows = [
        (SR, book.value, 1, "", outcome, price, "open", AT)
        for book, triple in prices.items()
        for outcome, price in zip((1, 2, 3), triple, strict=True)
    ]
    return pl.DataFrame(rows, schema=ODDS_SCHEMA, orient="row")


def test_transform_output_is_written_and_read_back(warehouse_conn: psycopg.Connection) -> None:
    odds = _odds()
    defs = pl.DataFrame({"market": [1, 1, 1], "outcome": [1, 2, 3], "complete": [True, True, True]})
    where = {"kickoff_date": DAY, "site_country": "ng"}
    stamp = (pl.lit(DAY).alias("kickoff_date"), pl.lit("ng").alias("site_country"))
    compared = odds_compare.compare_prices(odds, defs)
    outcomes = compared.outcomes.with_columns(
        *stamp,
        pl.lit("1X2").alias("market_name"),
        pl.col("outcome")
        .replace_strict({1: "home", 2: "draw", 3: "away"}, return_dtype=pl.String)
        .alias("outcome_name"),
    )
    prices = compared.prices.with_columns(*stamp)
    margins = odds_compare.margins(odds, defs).with_columns(*stamp)
    priced = sorted(set(odds["book"]))  # the books _odds prices list the match
    listed = pl.DataFrame({"sr_id": [SR] * len(priced), "book": priced})
    available = market_availability.availability(odds, listed).with_columns(*stamp)
    confirmations = book_confirmations(odds).with_columns(*stamp)
    written = {
        "analytics.outcome_comparison": outcomes,
        "analytics.outcome_prices_stored": prices.drop("captured_at"),
        "analytics.market_margins_stored": margins.drop("captured_at"),
        "analytics.market_availability": available,
        "analytics.comparison_confirmations": confirmations,
    }
    inserted = [replace_partition(warehouse_conn, t, where, f).inserted for t, f in written.items()]
    assert inserted == [3, 9, 3, 3, 3]
    best = warehouse_conn.execute(
        "SELECT outcome, best_book, best_books, betpawa_rank FROM analytics.outcome_comparison "
        "ORDER BY outcome"
    ).fetchall()
    assert best == [
        (1, "sportybet", ["sportybet"], 2),
        (2, "bet9ja", ["bet9ja"], 2),
        (3, "bet9ja", ["bet9ja"], 2),
    ]
    # the old wide shape, through the view: _odds' prices side by side
    wide = warehouse_conn.execute(
        "SELECT outcome, price_betpawa, price_sportybet, price_bet9ja, best_book, stale_betpawa "
        "FROM analytics.odds_comparison ORDER BY outcome"
    ).fetchall()
    assert wide == [
        (1, 2.4, 2.5, 2.3, "sportybet", False),
        (2, 3.3, 3.2, 3.4, "bet9ja", False),
        (3, 3.0, 2.9, 3.1, "bet9ja", False),
    ]
    assert warehouse_conn.execute(
        "SELECT bool_and(complete), count(*) FROM analytics.market_margins"
    ).fetchone() == (True, 3)
    # each price's and margin's capture time, its book's confirmation
    captured = warehouse_conn.execute(
        "SELECT DISTINCT captured_at FROM analytics.outcome_prices UNION "
        "SELECT DISTINCT captured_at_betpawa FROM analytics.odds_comparison UNION "
        "SELECT DISTINCT captured_at FROM analytics.market_margins"
    ).fetchall()
    assert captured == [(AT,)]


def test_current_odds_read_back_as_the_transform_input(warehouse_conn: psycopg.Connection) -> None:
    odds = _odds()
    rows = [
        OddsRow(r["sr_id"], Book(r["book"]), r["market"], "", r["outcome"], r["price"], "open", AT)
        for r in odds.iter_rows(named=True)
    ]
    store_odds(warehouse_conn, rows, captured={(SR, book): AT for book in NIGERIA_BOOKS}, site_country="ng")
    read = read_current_odds(warehouse_conn, sr_ids=[SR], site_country="ng")
    assert read.schema == pl.Schema(ODDS_SCHEMA)
    assert read.sort("book", "outcome").equals(odds.sort("book", "outcome"))


def test_analyst_reads_current_odds_with_names_but_not_core(
    warehouse_conn: psycopg.Connection, warehouse_reader_conn: psycopg.Connection
) -> None:
    store_odds(
        warehouse_conn,
        [
            OddsRow(SR, Book.BETPAWA, 1, "", 1, 2.4, "open", AT),
            OddsRow(SR, Book.BETPAWA, 1, "", 2, 3.3, "open", AT),
        ],
        captured={(SR, Book.BETPAWA): AT},
        site_country="ng",
    )
    later = datetime(2026, 5, 6, 9, 5, tzinfo=UTC)
    store_odds(
        warehouse_conn,
        [OddsRow(SR, Book.BETPAWA, 1, "", 1, 2.5, "open", later)],
        captured={(SR, Book.BETPAWA): later},
        site_country="ng",
    )
    insert_match(warehouse_conn, 9, KICKOFF, {"betpawa": "e9"}, home="Lions", away="Tigers")
    seen = warehouse_reader_conn.execute(
        "SELECT home, away, kickoff_date, outcome, price, changed_at FROM analytics.odds_current"
    ).fetchall()
    assert seen == [("Lions", "Tigers", DAY, 1, 2.5, later)]  # outcome 2 closed: not current
    history = warehouse_reader_conn.execute(
        "SELECT outcome, state FROM analytics.odds_history ORDER BY captured_at, outcome"
    ).fetchall()
    assert history == [(1, "open"), (2, "open"), (1, "open"), (2, "closed")]
    for relation in ("core.odds_current", "core.odds_history", "core.odds_changes_p20260506"):
        with pytest.raises(errors.InsufficientPrivilege):
            warehouse_reader_conn.execute(f"SELECT 1 FROM {relation} LIMIT 1")
