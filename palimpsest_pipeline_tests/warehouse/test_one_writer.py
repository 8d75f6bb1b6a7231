"""One writer per unit, against a real Postgres: two stores of one (event, book), and two replaces of one
partition, really interleaved, end as if they had run one after the other."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date

import polars as pl
import psycopg
import pytest

from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline.warehouse.locks import lock_units
from palimpsest_pipeline.warehouse.odds_store import store_odds
from palimpsest_pipeline.warehouse.table_io import replace_partition
from palimpsest_pipeline_tests.warehouse.test_odds_store import PAWA, SR, _at, _current, _history, _row


def _waiting_on_advisory_locks(conn: psycopg.Connection) -> int:
    row = conn.execute(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = "
        "(SELECT oid FROM pg_database WHERE datname = current_database())"
    ).fetchone()
    return int(row[0]) if row else 0


def _interleave(url: str, writers: list[Callable[[psycopg.Connection], object]], unit: str) -> None:
    """Hold ``unit``'s lock, start the writers one at a time, each queued behind the lock before the next
    starts (so all are in flight at once, and run in list order), then let them go; re-raise any writer's
    error."""
    errors: list[BaseException] = []

    def run(write: Callable[[psycopg.Connection], object]) -> None:
        try:
            with psycopg.connect(libpq_url(url)) as conn:
                write(conn)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(w,)) for w in writers]
    with (
        psycopg.connect(libpq_url(url)) as holder,
        psycopg.connect(libpq_url(url), autocommit=True) as spy,
        holder.transaction(),
    ):
        lock_units(holder, [unit])
        for queued, thread in enumerate(threads, start=1):
            thread.start()
            while _waiting_on_advisory_locks(spy) < queued:
                assert thread.is_alive(), f"writer {queued} finished without waiting for the unit's lock"
                spy.execute("SELECT pg_sleep(0.01)")
    for thread in threads:
        thread.join(60)
    if errors:
        raise errors[0]


@pytest.mark.parametrize("later_first", [False, True], ids=["in_order", "later_capture_commits_first"])
def test_racing_stores_of_one_event_and_book_leave_the_later_capture_price(
    warehouse_url: str, warehouse_conn: psycopg.Connection, later_first: bool
) -> None:
    store_odds(warehouse_conn, [_row(_at(0), 2.0)], captured={(SR, PAWA): _at(0)}, site_country="ng")
    earlier = (_at(1), 2.1)
    later = (_at(2), 2.2)

    def capture(at_price: tuple[object, float]) -> Callable[[psycopg.Connection], object]:
        at, price = at_price
        return lambda conn: store_odds(conn, [_row(at, price)], captured={(SR, PAWA): at}, site_country="ng")  # type: ignore[arg-type]

    order = [capture(later), capture(earlier)] if later_first else [capture(earlier), capture(later)]
    _interleave(warehouse_url, order, f"odds:ng:{SR}:{PAWA.value}")
    (current,) = _current(warehouse_conn)
    assert (current[4], current[6]) == (2.2, _at(2))  # the later capture's price, whoever finished last
    assert [(row[4], row[5]) for row in _history(warehouse_conn)] == [
        (_at(0), 2.0),
        (_at(1), 2.1),
        (_at(2), 2.2),
    ]


def test_racing_replaces_of_one_partition_both_succeed_and_the_second_wins(
    warehouse_url: str, warehouse_conn: psycopg.Connection
) -> None:
    warehouse_conn.execute(
        "CREATE TABLE analytics.race (kickoff_date date, value int, UNIQUE (kickoff_date, value))"
    )
    day = date(2026, 5, 6)
    first = pl.DataFrame({"kickoff_date": [day, day], "value": [1, 2]})
    second = pl.DataFrame({"kickoff_date": [day, day, day], "value": [2, 3, 4]})

    def replace(frame: pl.DataFrame) -> Callable[[psycopg.Connection], object]:
        return lambda conn: replace_partition(conn, "analytics.race", {"kickoff_date": day}, frame)

    _interleave(
        warehouse_url, [replace(first), replace(second)], f"partition:analytics.race:kickoff_date={day}"
    )
    rows = warehouse_conn.execute("SELECT value FROM analytics.race ORDER BY value").fetchall()
    assert [r[0] for r in rows] == [2, 3, 4]
