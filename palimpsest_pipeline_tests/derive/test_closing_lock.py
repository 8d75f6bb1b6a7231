"""Two rebuilds of one site country's closing prices, really interleaved on a real Postgres: a rebuild started
while another writer holds the partition waits for it before reading anything stored, so it judges the rows
that writer committed, not those it found before.

One match kicked off, its odds history and capture log gone (as their retentions leave it weeks later), its
closing rows written by the other writer while the rebuild waits: the rebuild must keep them as stored (or,
settled, leave the match alone) and the day sums must still equal the rows (summed again in Python). The rows
are hand-written.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from typing import Any

import polars as pl
import psycopg
import pytest

from palimpsest_pipeline.derive.closing import TABLE, ClosingSummary, rebuild_closing_prices
from palimpsest_pipeline.transforms.closing_prices import CLOSING_PRICES_SCHEMA
from palimpsest_pipeline.warehouse.closing_price_days import replace_closing_price_days
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline.warehouse.table_io import lock_partition, write_partition_changes
from palimpsest_pipeline_tests.warehouse.closing_days_recomputed import assert_days_equal_rows

SR_ID = 4242
KICKOFF = datetime(2026, 5, 5, 17, 30, tzinfo=UTC)
DAY = date(2026, 5, 5)
COMPETITION = "Premier League"
NOW = KICKOFF + timedelta(minutes=30)
WINDOW = timedelta(minutes=30)
CLOSED_AT = KICKOFF - timedelta(minutes=5)
OPENED_AT = KICKOFF - timedelta(days=1)
REBUILDER = "closing_rebuild_under_test"
COLUMNS = {name: dtype for name, dtype in CLOSING_PRICES_SCHEMA.items() if name != "computed_at"}


def _row(
    book: str, outcome: int, price: float, consensus: float | None, opening: float | None, fair: float
) -> dict[str, Any]:
    """One hand-written closing row of the match's 1X2 (``fair``: the book's own de-vigged probability)."""
    return {
        "kickoff_date": DAY, "site_country": "ng", "sr_id": SR_ID, "kickoff": KICKOFF, "sport": "football",
        "competition": COMPETITION, "market_family": "score 1x2", "market": 1, "specifier": "",
        "outcome": outcome, "book": book, "closing_price": price, "closing_at": CLOSED_AT, "set_aside": None,
        "implied_probability": 1 / price, "book_margin": 0.05, "book_fair_probability": fair,
        "consensus_probability": consensus, "consensus_price": None if consensus is None else 1 / consensus,
        "consensus_books": 2 if consensus is not None else 1,
        "gap": None if consensus is None else price * consensus - 1,
        "opening_price": opening, "opening_at": None if opening is None else OPENED_AT,
        "opening_gap": None if opening is None or consensus is None else opening * consensus - 1,
    }  # fmt: skip


#: What the other writer commits while the rebuild waits: BetPawa against a two-book consensus, SportyBet
#: against one book only (no consensus).
WRITTEN = [
    _row("betpawa", 1, 2.10, 0.47, 2.00, 0.45),
    _row("betpawa", 2, 3.40, 0.29, 3.50, 0.28),
    _row("betpawa", 3, 3.60, 0.24, 3.70, 0.27),
    _row("sportybet", 1, 2.05, None, None, 0.46),
    _row("sportybet", 2, 3.30, None, None, 0.29),
    _row("sportybet", 3, 3.75, None, None, 0.25),
]


def _insert_match(conn: psycopg.Connection) -> None:
    """The match as matched events list it; no odds history nor capture log is stored for it."""
    conn.execute(
        "INSERT INTO analytics.matches (kickoff_date, site_country, match_key, sr_id, kickoff, sport, "
        "tournament, home, away, name_source, book_count, status) VALUES (%s, 'ng', %s, %s, %s, 'football', "
        "%s, 'Arsenal', 'Chelsea', 'betpawa', 1, 'betpawa_only')",
        (DAY, f"sr:{SR_ID}", SR_ID, KICKOFF, COMPETITION),
    )


def _stored(conn: psycopg.Connection) -> list[dict[str, Any]]:
    cursor = conn.execute(f"SELECT {', '.join(COLUMNS)} FROM {TABLE} ORDER BY book, outcome")
    names = [c.name for c in cursor.description or []]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _waiting_on_a_lock(spy: psycopg.Connection) -> bool:
    row = spy.execute(
        "SELECT count(*) FROM pg_locks AS l JOIN pg_stat_activity AS a ON a.pid = l.pid "
        "WHERE NOT l.granted AND l.locktype = 'advisory' AND a.application_name = %s",
        (REBUILDER,),
    ).fetchone()
    return bool(row and row[0])


def _rebuild(url: str, settled_after: timedelta | None, outcome: dict[str, object]) -> None:
    try:
        with psycopg.connect(url, autocommit=True, application_name=REBUILDER) as conn:
            outcome["summary"] = rebuild_closing_prices(
                conn, [DAY], NOW, window=WINDOW, site_country="ng", settled_after=settled_after
            )
    except Exception as err:  # reported by the test, not lost in the thread
        outcome["error"] = err


@pytest.mark.parametrize(
    ("settled_after", "judged", "kept"),
    [(None, 1, {SR_ID: "without_history"}), (timedelta(minutes=10), 0, {})],
    ids=["judged", "settled"],
)
def test_a_rebuild_waits_for_the_partitions_writer_and_judges_the_rows_it_committed(
    warehouse_url: str,
    warehouse_conn: psycopg.Connection,
    settled_after: timedelta | None,
    judged: int,
    kept: dict[int, str],
) -> None:
    """Judged, the match's inputs give it no row, so the rows the writer committed are kept as stored;
    settled (kicked off 30 minutes before, rows stored), it is not judged at all. A rebuild that read the
    partition before the writer committed would have found no row, judged the match and deleted the rows,
    leaving the day sums the writer wrote behind."""
    url = libpq_url(warehouse_url)
    _insert_match(warehouse_conn)
    outcome: dict[str, object] = {}
    rebuild = threading.Thread(target=_rebuild, args=(url, settled_after, outcome))
    frame = pl.DataFrame(WRITTEN, schema=COLUMNS)
    with (
        psycopg.connect(url) as writer,
        psycopg.connect(url, autocommit=True) as spy,
        writer.transaction(),
    ):
        lock_partition(writer, TABLE, {"kickoff_date": [DAY], "site_country": "ng"})
        rebuild.start()
        while not _waiting_on_a_lock(spy):
            assert rebuild.is_alive(), f"the rebuild finished without waiting for the partition: {outcome}"
            spy.execute("SELECT pg_sleep(0.01)")
        where = {"kickoff_date": [DAY], "site_country": ["ng"], "sr_id": [SR_ID]}
        assert write_partition_changes(writer, TABLE, where, frame).inserted == len(WRITTEN)
        assert replace_closing_price_days(writer, "ng", {(DAY, COMPETITION)}) == 2  # a row per book
    rebuild.join(120)
    assert not rebuild.is_alive(), "the rebuild never finished after the writer committed"
    assert "error" not in outcome, f"the rebuild failed: {outcome['error']!r}"
    summary = outcome["summary"]
    assert isinstance(summary, ClosingSummary)
    assert (summary.matches_judged, summary.kept, summary.rows, summary.written.rows) == (judged, kept, 0, 0)
    assert _stored(warehouse_conn) == WRITTEN
    assert assert_days_equal_rows(warehouse_conn) == 2
