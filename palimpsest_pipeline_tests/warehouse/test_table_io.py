"""replace_partition / read_frame against real Postgres: atomic, partition-local, typed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import polars as pl
import psycopg
import pytest

from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline.warehouse.table_io import (
    FrameWriteError,
    RowsWritten,
    _csv_ready,
    read_frame,
    replace_partition,
    write_partition_changes,
)

DAY1 = date(2026, 5, 6)
DAY2 = date(2026, 5, 7)
METRICS = [
    "matched", "betpawa_only", "competitor_only", "several_competitors_only", "on_every_book",
    "without_sr_id", "linked_by_genius",
]  # fmt: skip
TABLE = "analytics.coverage_groups"
#: Key and descriptive columns of the table a sport's row leaves null.
UNSET = [
    "sr_category_id",
    "country",
    "tournament_key",
    "tournament",
    "placed",
    "sr_tournament_id",
    "country_iso",
]


def coverage(day: date, sports: dict[str, int]) -> pl.DataFrame:
    """Coverage rows, one per sport, with every count = the given value and a total of three times it
    (negative values break the CHECK)."""
    data: dict[str, list[object]] = {
        "kickoff_date": [day] * len(sports),
        "site_country": ["ng"] * len(sports),
        "level": ["sport"] * len(sports),
        "sport": list(sports),
        **{name: [None] * len(sports) for name in UNSET},
        "total": [3 * value for value in sports.values()],
    }
    for metric in METRICS:
        data[metric] = list(sports.values())
    data["match_rate"] = [0.5] * len(sports)
    data["betpawa_coverage"] = [None] * len(sports)
    overrides = {name: pl.String for name in UNSET if name != "placed"}
    return pl.DataFrame(
        data, schema_overrides={"betpawa_coverage": pl.Float64, "placed": pl.Boolean, **overrides}
    )


def stored(conn: psycopg.Connection) -> list[tuple[object, ...]]:
    return conn.execute(f"SELECT kickoff_date, sport, total FROM {TABLE} ORDER BY 1, 2").fetchall()


def test_replace_touches_only_its_partition(warehouse_conn: psycopg.Connection) -> None:
    written = replace_partition(
        warehouse_conn, TABLE, {"kickoff_date": DAY1}, coverage(DAY1, {"football": 1})
    )
    assert written == RowsWritten(deleted=0, inserted=1)
    replace_partition(
        warehouse_conn, TABLE, {"kickoff_date": DAY2}, coverage(DAY2, {"football": 2, "tennis": 3})
    )
    written = replace_partition(
        warehouse_conn, TABLE, {"kickoff_date": DAY1}, coverage(DAY1, {"basketball": 4})
    )
    assert written == RowsWritten(deleted=1, inserted=1)
    assert stored(warehouse_conn) == [(DAY1, "basketball", 12), (DAY2, "football", 6), (DAY2, "tennis", 9)]
    # computed_at was not in the frame: the column default filled it.
    assert warehouse_conn.execute(f"SELECT count(*) FROM {TABLE} WHERE computed_at IS NULL").fetchone() == (
        0,
    )


def test_a_replaced_partition_leaves_the_planner_statistics_of_its_rows(
    warehouse_conn: psycopg.Connection,
) -> None:
    """Without them the planner takes a fresh day for one row and joins the long tables row by row."""
    sports = {f"sport_{n}": 1 for n in range(500)}
    replace_partition(warehouse_conn, TABLE, {"kickoff_date": DAY1}, coverage(DAY1, sports))
    plan = warehouse_conn.execute(
        f"EXPLAIN SELECT * FROM {TABLE} WHERE kickoff_date = %s", (DAY1,)
    ).fetchone()
    assert plan is not None and " rows=500 " in plan[0], plan


def test_failure_mid_copy_leaves_old_partition_intact(warehouse_conn: psycopg.Connection) -> None:
    replace_partition(warehouse_conn, TABLE, {"kickoff_date": DAY1}, coverage(DAY1, {"football": 1}))
    many = {f"sport{i:04d}": 5 for i in range(2000)}
    many["zz_broken"] = -1  # violates CHECK (total >= 0) on the very last row of the COPY
    with pytest.raises(psycopg.errors.CheckViolation):
        replace_partition(warehouse_conn, TABLE, {"kickoff_date": DAY1}, coverage(DAY1, many))
    assert stored(warehouse_conn) == [(DAY1, "football", 3)]


def test_readers_see_the_old_partition_until_the_replace_commits(warehouse_url: str) -> None:
    with (
        psycopg.connect(libpq_url(warehouse_url), autocommit=True) as writer,
        psycopg.connect(libpq_url(warehouse_url), autocommit=True) as reader,
    ):
        replace_partition(writer, TABLE, {"kickoff_date": DAY1}, coverage(DAY1, {"football": 1}))
        with writer.transaction():
            replace_partition(writer, TABLE, {"kickoff_date": DAY1}, coverage(DAY1, {"tennis": 9}))
            assert stored(reader) == [(DAY1, "football", 3)]
        assert stored(reader) == [(DAY1, "tennis", 27)]


def test_replace_partitions_covers_a_range_of_dates(warehouse_conn: psycopg.Connection) -> None:
    replace_partition(warehouse_conn, TABLE, {"kickoff_date": DAY1}, coverage(DAY1, {"football": 1}))
    replace_partition(warehouse_conn, TABLE, {"kickoff_date": DAY2}, coverage(DAY2, {"football": 2}))
    both = pl.concat([coverage(DAY1, {"tennis": 7}), coverage(DAY2, {"tennis": 8})])
    assert replace_partition(warehouse_conn, TABLE, {"kickoff_date": [DAY1, DAY2]}, both).rows == 4
    assert stored(warehouse_conn) == [(DAY1, "tennis", 21), (DAY2, "tennis", 24)]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda f: f.with_columns(pl.lit(1).alias("bogus")), r"frame columns not in the table: \['bogus'\]"),
        (lambda f: f.drop("matched", "sport"), r"missing from the frame: \['sport', 'matched'\]"),
        (lambda f: f.with_columns(pl.lit(DAY2).alias("kickoff_date")), "outside the partition"),
    ],
)
def test_mismatched_frames_are_rejected_naming_the_columns(
    warehouse_conn: psycopg.Connection, mutate, message
) -> None:
    replace_partition(warehouse_conn, TABLE, {"kickoff_date": DAY1}, coverage(DAY1, {"football": 1}))
    with pytest.raises(FrameWriteError, match=message):
        replace_partition(
            warehouse_conn, TABLE, {"kickoff_date": DAY1}, mutate(coverage(DAY1, {"tennis": 2}))
        )
    assert stored(warehouse_conn) == [(DAY1, "football", 3)]


def test_unknown_table_and_generated_columns_are_rejected(warehouse_conn: psycopg.Connection) -> None:
    with pytest.raises(FrameWriteError, match="does not exist"):
        replace_partition(warehouse_conn, "analytics.nope", {"kickoff_date": DAY1}, coverage(DAY1, {}))
    frame = pl.DataFrame({"book": ["betpawa"], "kickoff_date": [DAY1]})
    with pytest.raises(FrameWriteError, match=r"generates itself: \['kickoff_date'\]"):
        replace_partition(warehouse_conn, "core.events", {"book": "betpawa"}, frame)


def test_read_frame_types_and_utc_whatever_the_session_zone(warehouse_conn: psycopg.Connection) -> None:
    warehouse_conn.execute("SET TimeZone = 'Asia/Tokyo'")
    frame = read_frame(
        warehouse_conn,
        """
        SELECT '2026-05-06 12:00:00+00'::timestamptz AS at, '2026-05-06'::date AS day, 7::bigint AS n,
               2::smallint AS s, 1.5::numeric AS x, '{"a": 1}'::jsonb AS j, true AS b, NULL::text AS t
        """,
    )
    expected: dict[str, pl.DataType] = {
        "at": pl.Datetime("us", "UTC"), "day": pl.Date(), "n": pl.Int64(), "s": pl.Int16(), "x": pl.Float64(),
        "j": pl.String(), "b": pl.Boolean(), "t": pl.String(),
    }  # fmt: skip
    assert frame.schema == pl.Schema(expected)
    assert frame.row(0) == (datetime(2026, 5, 6, 12, tzinfo=UTC), DAY1, 7, 2, 1.5, '{"a": 1}', True, None)
    empty = read_frame(warehouse_conn, "SELECT now() AS at, 1 AS n WHERE false")
    assert empty.height == 0 and empty.schema == pl.Schema(
        [("at", pl.Datetime("us", "UTC")), ("n", pl.Int32())]
    )
    assert read_frame(warehouse_conn, "SELECT %s::date + 1 AS d", (DAY1,))["d"][0] == DAY1 + timedelta(days=1)


def test_every_value_survives_the_write_as_it_was(warehouse_conn: psycopg.Connection) -> None:
    """The CSV path keeps an empty string apart from a null, quotes, commas, newlines and backslashes in text
    and in arrays, the microseconds of a time and every bit of a float."""
    warehouse_conn.execute(
        "CREATE TABLE analytics.values_kept (kickoff_date date NOT NULL, name text, tags text[], "
        "at timestamptz, naive timestamp, price double precision, small smallint, flag boolean)"
    )
    at = datetime(2026, 5, 6, 9, 0, 0, 123456, tzinfo=UTC)
    frame = pl.DataFrame(
        {
            "kickoff_date": [DAY1] * 4,
            "name": ["a", "", None, 'q"uo,te\nline\\'],
            "tags": [["betpawa", 'a"b,\\c'], None, [], ["x", None]],
            "at": [at, None, at + timedelta(hours=1), at],
            "naive": [at.replace(tzinfo=None), None, None, None],
            "price": [0.1 + 0.2, None, 1e-20, 1.0 / 3.0],
            "small": [1, None, -3, 32767],
            "flag": [True, None, False, True],
        },
        schema_overrides={"small": pl.Int16, "tags": pl.List(pl.String)},
    )
    assert _csv_ready(frame) is not None  # the fast path, not the row-by-row fallback
    replace_partition(warehouse_conn, "analytics.values_kept", {"kickoff_date": DAY1}, frame)
    rows = warehouse_conn.execute(
        "SELECT name, tags, at, naive, price, small, flag FROM analytics.values_kept "
        "ORDER BY small NULLS FIRST"
    ).fetchall()
    wanted = sorted(
        frame.drop("kickoff_date").rows(),
        key=lambda row: (row[5] is not None, row[5] if row[5] is not None else 0),
    )
    assert rows == wanted


#: A keyed table for the change writes: a price, a list and a note beside the key, a CHECK on the price.
CHANGES = "analytics.changes_kept"
EARLY = datetime(2026, 5, 6, 9, tzinfo=UTC)
LATE = EARLY + timedelta(minutes=1)
#: A row of it but its date and computed_at: sr_id, book, price, tags, note.
KeptRow = tuple[int, str, float | None, list[str | None] | None, str | None]


def _changes_table(conn: psycopg.Connection) -> None:
    conn.execute(
        f"CREATE TABLE {CHANGES} (kickoff_date date NOT NULL, sr_id bigint NOT NULL, book text NOT NULL, "
        "price double precision CHECK (price > 1), tags text[], note text, "
        "computed_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (kickoff_date, sr_id, book))"
    )


def _priced(day: date, rows: list[KeptRow], at: datetime) -> pl.DataFrame:
    return pl.DataFrame(
        [(day, *row, at) for row in rows],
        schema={
            "kickoff_date": pl.Date(), "sr_id": pl.Int64(), "book": pl.String(), "price": pl.Float64(),
            "tags": pl.List(pl.String()), "note": pl.String(), "computed_at": pl.Datetime("us", "UTC"),
        },
        orient="row",
    )  # fmt: skip


def _kept(conn: psycopg.Connection) -> list[tuple[object, ...]]:
    return conn.execute(
        f"SELECT kickoff_date, sr_id, book, price, tags, note, computed_at FROM {CHANGES} ORDER BY 1, 2, 3"
    ).fetchall()


FIRST_ROWS: list[KeptRow] = [
    (1, "betpawa", 2.0, ["a", None], None),
    (1, "sportybet", None, None, "x"),
    (2, "betpawa", 3.0, [], ""),
    (2, "bet9ja", 1.5, ["b"], None),
]


def test_a_change_write_writes_only_the_rows_that_differ(warehouse_conn: psycopg.Connection) -> None:
    conn = warehouse_conn
    _changes_table(conn)
    other_day = _priced(DAY2, [(1, "betpawa", 9.0, None, None)], EARLY)
    write_partition_changes(conn, CHANGES, {"kickoff_date": DAY2}, other_day)
    where = {"kickoff_date": DAY1, "sr_id": [1, 2, 3]}
    assert write_partition_changes(conn, CHANGES, where, _priced(DAY1, FIRST_ROWS, EARLY)) == RowsWritten(
        inserted=4
    )
    # The same values again, computed later: nothing written, the rows keep when they were written.
    assert write_partition_changes(conn, CHANGES, where, _priced(DAY1, FIRST_ROWS, LATE)) == RowsWritten()
    assert {row[6] for row in _kept(conn)} == {EARLY}
    # By hand: (1, betpawa) unchanged (its nulls in the list as stored); (1, sportybet) priced (a null
    # turned a value: updated); (2, betpawa) gone (deleted); (2, bet9ja) only its note from null to empty
    # (updated); (3, betpawa) new (inserted). Four rows written, one per row that differs.
    second: list[KeptRow] = [
        (1, "betpawa", 2.0, ["a", None], None),
        (1, "sportybet", 1.8, None, "x"),
        (2, "bet9ja", 1.5, ["b"], ""),
        (3, "betpawa", 4.0, None, None),
    ]
    written = write_partition_changes(conn, CHANGES, where, _priced(DAY1, second, LATE))
    assert written == RowsWritten(deleted=1, updated=2, inserted=1) and written.rows == 4
    assert _kept(conn) == [
        (DAY1, 1, "betpawa", 2.0, ["a", None], None, EARLY),
        (DAY1, 1, "sportybet", 1.8, None, "x", LATE),
        (DAY1, 2, "bet9ja", 1.5, ["b"], "", LATE),
        (DAY1, 3, "betpawa", 4.0, None, None, LATE),
        (DAY2, 1, "betpawa", 9.0, None, None, EARLY),  # outside the partition: untouched
    ]
    # An empty frame empties the partition, and only it.
    empty = _priced(DAY1, [], LATE)
    assert write_partition_changes(conn, CHANGES, where, empty) == RowsWritten(deleted=4)
    assert [row[:3] for row in _kept(conn)] == [(DAY2, 1, "betpawa")]


@pytest.mark.parametrize(
    ("rows", "where", "error", "message"),
    [
        ([(1, "betpawa", 2.0, None, None)] * 2, {"kickoff_date": DAY1}, FrameWriteError, r"repeat a key"),
        ([(1, "betpawa", 0.5, None, None)], {"kickoff_date": DAY1}, psycopg.errors.CheckViolation, "price"),
        ([(1, "betpawa", 2.0, None, None)], {"kickoff_date": DAY2}, FrameWriteError, "outside the partition"),
        ([(7, "betpawa", 2.0, None, None)], {"kickoff_date": DAY1, "sr_id": 1}, FrameWriteError, "outside"),
    ],
)
def test_a_bad_change_write_leaves_the_stored_rows_as_they_were(
    warehouse_conn: psycopg.Connection,
    rows: list[KeptRow],
    where: dict[str, object],
    error: type[Exception],
    message: str,
) -> None:
    _changes_table(warehouse_conn)
    write_partition_changes(warehouse_conn, CHANGES, {"kickoff_date": DAY1}, _priced(DAY1, FIRST_ROWS, EARLY))
    before = _kept(warehouse_conn)
    with pytest.raises(error, match=message):
        write_partition_changes(warehouse_conn, CHANGES, where, _priced(DAY1, rows, LATE))
    assert _kept(warehouse_conn) == before


def test_a_change_write_needs_a_primary_key(warehouse_conn: psycopg.Connection) -> None:
    warehouse_conn.execute("CREATE TABLE analytics.unkeyed (kickoff_date date NOT NULL, note text)")
    frame = pl.DataFrame({"kickoff_date": [DAY1], "note": ["x"]})
    with pytest.raises(FrameWriteError, match="no primary key"):
        write_partition_changes(warehouse_conn, "analytics.unkeyed", {"kickoff_date": DAY1}, frame)


def test_a_change_write_within_a_range_deletes_only_inside_it(warehouse_conn: psycopg.Connection) -> None:
    conn = warehouse_conn
    _changes_table(conn)
    write_partition_changes(conn, CHANGES, {"kickoff_date": DAY1}, _priced(DAY1, FIRST_ROWS, EARLY))
    # By hand: sr_id 1 outside the range (1, 3], kept though the frame lacks it; (2, betpawa) inside and
    # lacking: deleted; (2, bet9ja) repriced: updated; (3, betpawa) new: inserted.
    inside: list[KeptRow] = [(2, "bet9ja", 1.6, ["b"], None), (3, "betpawa", 4.0, None, None)]
    within = ("sr_id", 1, 3)
    written = write_partition_changes(
        conn, CHANGES, {"kickoff_date": DAY1}, _priced(DAY1, inside, LATE), within=within
    )
    assert written == RowsWritten(deleted=1, updated=1, inserted=1)
    assert [row[1:4] for row in _kept(conn)] == [
        (1, "betpawa", 2.0), (1, "sportybet", None), (2, "bet9ja", 1.6), (3, "betpawa", 4.0)
    ]  # fmt: skip
    with pytest.raises(FrameWriteError, match="outside"):  # a frame row outside the range
        write_partition_changes(
            conn, CHANGES, {"kickoff_date": DAY1}, _priced(DAY1, FIRST_ROWS, LATE), within=within
        )
