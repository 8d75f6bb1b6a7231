"""replace_partition / read_frame against real Postgres: atomic, partition-local, typed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import polars as pl
import psycopg
import pytest

from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline.warehouse.table_io import (
    FrameWriteError,
    _csv_ready,
    read_frame,
    replace_partition,
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
    assert (
        replace_partition(warehouse_conn, TABLE, {"kickoff_date": DAY1}, coverage(DAY1, {"football": 1})) == 1
    )
    replace_partition(
        warehouse_conn, TABLE, {"kickoff_date": DAY2}, coverage(DAY2, {"football": 2, "tennis": 3})
    )
    replace_partition(warehouse_conn, TABLE, {"kickoff_date": DAY1}, coverage(DAY1, {"basketball": 4}))
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
    assert replace_partition(warehouse_conn, TABLE, {"kickoff_date": [DAY1, DAY2]}, both) == 2
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
