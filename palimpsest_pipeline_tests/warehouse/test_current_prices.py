"""The current state written only where it changes (0022_current_without_rewrites.sql), and the store's work
linear in an event's depth, on a real Postgres."""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, LiteralString

import psycopg

from palimpsest_pipeline.records import Book, OddsRow
from palimpsest_pipeline.warehouse import odds_store
from palimpsest_pipeline.warehouse.config import create_database, libpq_url, with_database
from palimpsest_pipeline.warehouse.migrate import migrate
from palimpsest_pipeline.warehouse.odds_store import read_current_odds, store_odds
from palimpsest_pipeline_tests.fixtures_pg import TEST_DB_PREFIX, drop_database
from palimpsest_pipeline_tests.warehouse.migrations_until import REPLACED_DIR

T0 = datetime(2026, 5, 6, 10, 0, tzinfo=UTC)
SR = 68995116


def _capture(
    at: datetime, prices: list[float], book: Book = Book.SPORTYBET, sr_id: int = SR
) -> list[OddsRow]:
    """One event's capture on one book, its outcomes spread over the lines of nine total markets as in a deep
    real event (outcome i: market 18 + i mod 9, line i div 18, over or under)."""
    return [
        OddsRow(sr_id, book, 18 + i % 9, f"total={i // 18}.5", 12 + i // 9 % 2, price, "open", at)
        for i, price in enumerate(prices)
    ]


def _versions(conn: psycopg.Connection) -> dict[tuple[int, str, int], int]:
    """Each current price row's creating transaction: it changes exactly when the row is written."""
    rows = conn.execute(
        "SELECT market, specifier, outcome, xmin::text::bigint FROM core.odds_current_prices "
        "WHERE sr_id = %s",
        (SR,),
    ).fetchall()
    return {(market, specifier, outcome): xmin for market, specifier, outcome, xmin in rows}


def test_a_capture_writes_only_the_prices_that_moved_and_confirms_the_rest(
    warehouse_conn: psycopg.Connection,
) -> None:
    first = [round(1.5 + i / 100, 2) for i in range(400)]
    second = list(first)
    second[7], second[250] = 9.5, 1.01  # two prices move; 398 hold
    store_odds(warehouse_conn, _capture(T0, first), captured={(SR, Book.SPORTYBET): T0}, site_country="ng")
    written = _versions(warehouse_conn)

    later = T0 + timedelta(minutes=1)
    stats = store_odds(
        warehouse_conn, _capture(later, second), captured={(SR, Book.SPORTYBET): later}, site_country="ng"
    )

    assert stats.history_rows == 2
    assert stats.current_upserts == 2
    rewritten = {key for key, xmin in _versions(warehouse_conn).items() if written[key] != xmin}
    moved = {(25, "total=0.5", 12), (25, "total=13.5", 13)}  # outcomes 7 and 250
    assert rewritten == moved
    # The view still says, per outcome, when it was last confirmed and when it last changed.
    current = read_current_odds(warehouse_conn, site_country="ng")
    assert current.height == 400
    assert set(current.get_column("captured_at").to_list()) == {later}
    changed = warehouse_conn.execute(
        "SELECT market, specifier, outcome, changed_at FROM core.odds_current WHERE changed_at > %s", (T0,)
    ).fetchall()
    assert sorted(changed) == sorted((*key, later) for key in moved)


def test_an_older_capture_written_late_does_not_move_the_confirmation_back(
    warehouse_conn: psycopg.Connection,
) -> None:
    late = T0 + timedelta(minutes=5)
    store_odds(
        warehouse_conn, _capture(late, [2.0, 3.0]), captured={(SR, Book.SPORTYBET): late}, site_country="ng"
    )
    store_odds(
        warehouse_conn, _capture(T0, [2.5, 3.0]), captured={(SR, Book.SPORTYBET): T0}, site_country="ng"
    )
    rows = warehouse_conn.execute(
        "SELECT market, price, captured_at, changed_at FROM core.odds_current ORDER BY market"
    ).fetchall()
    assert rows == [(18, 2.0, late, late), (19, 3.0, late, late)]
    history = warehouse_conn.execute(
        "SELECT market, price, captured_at FROM core.odds_history ORDER BY captured_at, market"
    ).fetchall()
    # Written first, the later capture opened both outcomes; the earlier one, written late, adds its own rows.
    assert history == [(18, 2.5, T0), (19, 3.0, T0), (18, 2.0, late), (19, 3.0, late)]


# ------------------------------------------------------------------------------------- linear store work


def _tuples_handled(plan: dict[str, Any]) -> float:
    """Rows every node of an EXPLAIN ANALYZE plan produced or threw away, over all its loops: a measure of
    the work done that does not depend on the machine's speed."""
    loops = plan.get("Actual Loops", 1)
    own = sum(
        plan.get(key, 0) for key in ("Actual Rows", "Rows Removed by Filter", "Rows Removed by Join Filter")
    )
    return own * loops + sum(_tuples_handled(child) for child in plan.get("Plans", ()))


class _PlanRecorder(psycopg.Connection):
    """Runs the store's change statements once under EXPLAIN ANALYZE (rolled back) before running them for
    real, and keeps each plan's work."""

    watched: dict[str, str] = {}  # noqa: RUF012 (set per connection by the test)
    work: dict[str, float] = {}  # noqa: RUF012

    def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:  # type: ignore[override]
        name = self.watched.get(query) if isinstance(query, str) else None
        if name is not None:
            explained: LiteralString = "EXPLAIN (ANALYZE, FORMAT JSON) " + query
            with self.transaction(force_rollback=True):
                (plan,) = super().execute(explained, params).fetchone()  # type: ignore[misc]
            self.work[name] = _tuples_handled(
                (plan if isinstance(plan, list) else json.loads(plan))[0]["Plan"]
            )
        return super().execute(query, params, **kwargs)


def test_storing_a_deep_event_does_work_linear_in_its_outcomes(warehouse_url: str) -> None:
    """A big match captured twice on the three books (4,000 outcomes on SportyBet, 1,200 on Bet9ja, 600 on
    BetPawa, as the minute tier captures it before kick-off): every statement that compares the capture with
    the prior state handles a few rows per outcome. Without statistics on the prior state the planner merged
    the two on (sr_id, book) alone and compared each outcome with every other of its book: 35.6 million rows
    handled here, against 29,000 with them."""
    depth = {Book.SPORTYBET: 4_000, Book.BET9JA: 1_200, Book.BETPAWA: 600}
    outcomes = sum(depth.values())
    later = T0 + timedelta(minutes=1)
    moved = {book: [2.2 if i % 50 == 0 else 2.0 for i in range(n)] for book, n in depth.items()}
    with _PlanRecorder.connect(libpq_url(warehouse_url), autocommit=True) as conn:
        conn.watched = {}
        for sr_id in range(1, 5):  # the warehouse holds other events too, and autovacuum has analysed it
            rows = [row for book, n in depth.items() for row in _capture(T0, [2.0] * n, book, sr_id)]
            store_odds(conn, rows, captured={(sr_id, book): T0 for book in depth}, site_country="ng")
        conn.execute("ANALYZE core.odds_current_prices, core.market_keys, core.odds_confirmed")
        conn.watched = {
            odds_store._CHANGES: "changes",
            odds_store._INSERT_HISTORY_AND_CLOSE_CURRENT: "history",
            odds_store._UPSERT_CURRENT: "current",
        }
        conn.work = {}
        for at, prices in ((T0, {book: [2.0] * n for book, n in depth.items()}), (later, moved)):
            rows = [row for book, book_prices in prices.items() for row in _capture(at, book_prices, book)]
            stats = store_odds(conn, rows, captured={(SR, book): at for book in depth}, site_country="ng")
    assert stats.history_rows == sum(len(range(0, n, 50)) for n in depth.values())
    assert set(conn.work) == {"changes", "history", "current"}
    for name, work in conn.work.items():
        assert work <= 40 * outcomes, f"{name}: {work:,.0f} rows handled for {outcomes:,} outcomes"


# ------------------------------------------------------------------------------------------- migration


def test_migrating_keeps_every_current_row_as_it_read(pg_server_url: str, tmp_path: Path) -> None:
    """Current rows written by the former store (a captured_at per outcome) read the same through the view
    after 0022: open and suspended outcomes confirmed at their pair's last capture, closed ones when they
    closed."""
    before = tmp_path / "migrations"
    before.mkdir()
    for path in sorted(REPLACED_DIR.glob("*.sql")):
        if path.stem < "0022":
            shutil.copy(path, before / path.name)
    name = f"{TEST_DB_PREFIX}{os.getpid()}_before_0022"  # the pid: an orphan of a killed run is dropped
    drop_database(pg_server_url, name)
    create_database(pg_server_url, name)
    try:
        url = with_database(pg_server_url, name)
        migrate(url, migrations_dir=before)
        t1, t2 = T0 + timedelta(minutes=1), T0 + timedelta(minutes=2)
        rows = [  # (sr_id, book, market, specifier, outcome, price, state, captured_at, changed_at)
            (SR, "betpawa", 1, "", 1, 2.5, "open", t2, T0),
            (SR, "betpawa", 1, "", 2, 3.1, "suspended", t2, t1),
            (SR, "betpawa", 1, "", 3, None, "closed", t1, t1),
            (SR, "bet9ja", 1, "", 1, 2.45, "open", t1, t1),
            (SR + 1, "betpawa", 18, "total=2.5", 12, None, "closed", T0, T0),
        ]
        with psycopg.connect(libpq_url(url), autocommit=True) as conn, conn.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO core.odds_current (sr_id, book, market, specifier, outcome, price, state, "
                "captured_at, changed_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                rows,
            )
        migrate(url)
        with psycopg.connect(libpq_url(url), autocommit=True) as conn:
            seen = conn.execute(
                "SELECT sr_id, book, market, specifier, outcome, price, state, captured_at, changed_at "
                "FROM core.odds_current"
            ).fetchall()
            confirmed = conn.execute("SELECT sr_id, book, captured_at FROM core.odds_confirmed").fetchall()
        assert sorted(seen, key=repr) == sorted(rows, key=repr)
        assert sorted(confirmed) == sorted([(SR, "bet9ja", t1), (SR, "betpawa", t2), (SR + 1, "betpawa", T0)])
    finally:
        drop_database(pg_server_url, name)
