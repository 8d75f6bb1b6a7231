"""Polars frames in and out of Postgres, atomically: ``replace_partition`` DELETEs and COPYs in one
transaction, so readers never see half a partition (Polars' ``write_database`` cannot share it);
``write_partition_changes`` writes only the rows that differ from what is stored."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl
import psycopg
from psycopg import sql
from psycopg.rows import dict_row

from palimpsest_pipeline.warehouse.locks import lock_units

# Postgres type OID -> Polars dtype. Kept explicit so an empty result still has the right schema.
_PG_TO_POLARS: dict[int, pl.DataType] = {
    16: pl.Boolean(),
    17: pl.Binary(),
    19: pl.String(),
    20: pl.Int64(),
    21: pl.Int16(),
    23: pl.Int32(),
    25: pl.String(),
    26: pl.Int64(),
    114: pl.String(),
    700: pl.Float32(),
    701: pl.Float64(),
    1042: pl.String(),
    1043: pl.String(),
    1082: pl.Date(),
    1114: pl.Datetime("us"),
    1184: pl.Datetime("us", "UTC"),
    1186: pl.Duration("us"),
    1700: pl.Float64(),
    2950: pl.String(),
    3802: pl.String(),
}
#: json and jsonb as JSON text, numeric as float, uuid as text.
_CONVERTERS: dict[int, Callable[[Any], Any]] = {
    114: lambda v: json.dumps(v, sort_keys=True),
    3802: lambda v: json.dumps(v, sort_keys=True),
    1700: float,
    2950: str,
}


#: Query rows as dicts by column name (:func:`read_rows`).
Rows = list[dict[str, Any]]


class FrameWriteError(ValueError):
    """A frame does not fit the table it is written to; the message names the table and the columns."""


@dataclass(frozen=True)
class RowsWritten:
    """Rows a write deleted, updated and inserted (``rows``: all three, each row touched counted once)."""

    deleted: int = 0
    updated: int = 0
    inserted: int = 0

    @property
    def rows(self) -> int:
        return self.deleted + self.updated + self.inserted


@dataclass(frozen=True)
class TableColumn:
    name: str
    has_default: bool
    generated: bool


def read_frame(
    conn: psycopg.Connection, query: str | sql.SQL | sql.Composed, params: Any = None
) -> pl.DataFrame:
    """Run ``query`` and return its rows as a frame typed from the result's column types (timestamptz as UTC
    whatever the session time zone, json as JSON text, numeric as Float64); an empty one keeps its schema."""
    with conn.cursor() as cur:
        rows = cur.execute(query, params).fetchall()
        assert cur.description is not None
        columns = [(col.name, col.type_code) for col in cur.description]
    values = list(zip(*rows, strict=True)) if rows else [() for _ in columns]
    series = []
    for (name, oid), column in zip(columns, values, strict=True):
        convert = _CONVERTERS.get(oid)
        converted = list(column) if convert is None else [None if v is None else convert(v) for v in column]
        series.append(pl.Series(name, converted, dtype=_PG_TO_POLARS.get(oid)))
    return pl.DataFrame(series)


def read_rows(conn: psycopg.Connection, query: str | sql.SQL | sql.Composed, params: Any = None) -> Rows:
    """Run ``query`` and return its rows as dicts by column name."""
    with conn.cursor(row_factory=dict_row) as cursor:
        return cursor.execute(query, params).fetchall()


def table_columns(conn: psycopg.Connection, table: str) -> list[TableColumn]:
    """The table's columns in order (dropped ones excluded); error naming the table when it does not exist."""
    rows = conn.execute(
        """
        SELECT a.attname, a.atthasdef, a.attgenerated <> ''
        FROM pg_attribute AS a
        WHERE a.attrelid = to_regclass(%s) AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum
        """,
        (table,),
    ).fetchall()
    if not rows:
        raise FrameWriteError(f"table {table!r} does not exist (or has no columns)")
    return [TableColumn(name=r[0], has_default=bool(r[1]) and not r[2], generated=bool(r[2])) for r in rows]


def replace_partition(
    conn: psycopg.Connection,
    table: str,
    where: Mapping[str, Any],
    frame: pl.DataFrame,
    *,
    analyze: bool = True,
) -> RowsWritten:
    """Replace the rows of ``table`` matching ``where`` (column -> value or collection of values) with
    ``frame``, atomically; return the rows deleted and inserted. Columns match by name; a mismatch, or a frame
    row outside the partition, is an error naming them. Analyzes the table afterwards unless
    ``analyze=False``."""
    if not where:
        raise FrameWriteError(f"replace_partition({table}): an empty `where` would replace the whole table")
    columns = table_columns(conn, table)
    _check_where(table, where, columns)
    write_columns = _check_frame_columns(table, columns, frame)
    _check_rows_inside(table, where, frame)
    with conn.transaction():
        deleted = _delete_locked(conn, table, where)
        _copy_frame(conn, table, frame.select(write_columns))
    if analyze:
        analyze_tables(conn, [table])
    return RowsWritten(deleted=deleted, inserted=frame.height)


def write_partition_changes(
    conn: psycopg.Connection,
    table: str,
    where: Mapping[str, Any],
    frame: pl.DataFrame,
    *,
    ignored: Collection[str] = ("computed_at",),
    within: tuple[str, Any, Any] | None = None,
) -> RowsWritten:
    """Make the rows of ``table`` matching ``where`` equal ``frame`` (as ``replace_partition`` would) writing
    only what differs, by primary key: stored rows whose key the frame lacks are deleted, rows whose values
    differ updated, new keys inserted. A row differing only in ``ignored`` columns is left as stored, so a
    write of unchanged values writes nothing. With ``within`` (column, after, up to) the frame holds only the
    rows whose column lies in that range: a stored row outside it is kept unless the frame has its key.
    Atomic, under ``replace_partition``'s locks."""
    if not where:
        raise FrameWriteError(
            f"write_partition_changes({table}): an empty `where` would cover the whole table"
        )
    columns = table_columns(conn, table)
    _check_where(table, where, columns)
    write_columns = _check_frame_columns(table, columns, frame)
    _check_rows_inside(table, where, frame)
    if within is not None:
        _check_rows_within(table, within, frame)
    key = primary_key(conn, table)
    _check_key(table, key, frame)
    compared = [c for c in write_columns if c not in key and c not in ignored]
    changed = [c for c in write_columns if c not in key]
    values = {column: _values(value) for column, value in where.items()}
    staged = sql.Identifier("pg_temp", "partition_changes")
    with conn.transaction():
        lock_partition(conn, table, values)
        conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(staged))
        conn.execute(
            sql.SQL("CREATE TEMP TABLE {} ON COMMIT DROP AS SELECT {} FROM {} WITH NO DATA").format(
                staged, _listed(write_columns), _qualified(table)
            )
        )
        _copy_frame(conn, "pg_temp.partition_changes", frame.select(write_columns))
        conn.execute(sql.SQL("ANALYZE {}").format(staged))  # its size, for the joins' plans
        same_key = sql.SQL(" AND ").join(sql.SQL("s.{0} = t.{0}").format(sql.Identifier(c)) for c in key)
        scope = sql.SQL(" AND ").join(sql.SQL("t.{} = ANY(%s)").format(sql.Identifier(c)) for c in values)
        target = sql.SQL("{} AS t").format(_qualified(table))
        deleting, bounds = scope, []
        if within is not None:
            deleting = sql.SQL("{} AND t.{} > %s AND t.{} <= %s").format(
                scope, sql.Identifier(within[0]), sql.Identifier(within[0])
            )
            bounds = [within[1], within[2]]
        deleted = conn.execute(
            sql.SQL("DELETE FROM {} WHERE {} AND NOT EXISTS (SELECT 1 FROM {} AS s WHERE {})").format(
                target, deleting, staged, same_key
            ),
            [*values.values(), *bounds],
        ).rowcount
        updated = 0
        if compared:  # a row differing in a compared column takes every column of the frame's
            differ = sql.SQL("ROW({}) IS DISTINCT FROM ROW({})").format(
                sql.SQL(", ").join(sql.SQL("t.{}").format(sql.Identifier(c)) for c in compared),
                sql.SQL(", ").join(sql.SQL("s.{}").format(sql.Identifier(c)) for c in compared),
            )
            updated = conn.execute(
                sql.SQL("UPDATE {} SET {} FROM {} AS s WHERE {} AND {} AND {}").format(
                    target,
                    sql.SQL(", ").join(sql.SQL("{0} = s.{0}").format(sql.Identifier(c)) for c in changed),
                    staged,
                    same_key,
                    scope,
                    differ,
                ),
                list(values.values()),
            ).rowcount
        inserted = conn.execute(
            sql.SQL(
                "INSERT INTO {} ({}) SELECT {} FROM {} AS s WHERE NOT EXISTS (SELECT 1 FROM {} WHERE {})"
            ).format(
                _qualified(table), _listed(write_columns), _listed(write_columns), staged, target, same_key
            )
        ).rowcount
        conn.execute(sql.SQL("DROP TABLE {}").format(staged))
    return RowsWritten(deleted, updated, inserted)


def primary_key(conn: psycopg.Connection, table: str) -> list[str]:
    """The columns of ``table``'s primary key in key order; empty when it has none."""
    rows = conn.execute(
        """
        SELECT a.attname
        FROM pg_index AS i
        CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k (attnum, position)
        JOIN pg_attribute AS a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
        WHERE i.indrelid = to_regclass(%s) AND i.indisprimary
        ORDER BY k.position
        """,
        (table,),
    ).fetchall()
    return [row[0] for row in rows]


def replace_partitions(
    conn: psycopg.Connection, where: Mapping[str, Any], frames: Mapping[str, pl.DataFrame]
) -> None:
    """``replace_partition`` of each table's frame (in ``frames``' order), in one transaction."""
    with conn.transaction():
        for table, frame in frames.items():
            replace_partition(conn, table, where, frame)


def delete_partition(conn: psycopg.Connection, table: str, where: Mapping[str, Any]) -> int:
    """Delete the rows of ``table`` matching ``where`` (as ``replace_partition`` reads it) under the same
    partition locks; return the rows deleted. The caller's transaction decides when readers see it."""
    if not where:
        raise FrameWriteError(f"delete_partition({table}): an empty `where` would empty the whole table")
    _check_where(table, where, table_columns(conn, table))
    with conn.transaction():
        return _delete_locked(conn, table, where)


def analyze_tables(conn: psycopg.Connection, tables: Iterable[str]) -> None:
    """Fresh planner statistics for ``tables`` (in the caller's transaction when one is open)."""
    with conn.transaction():
        for table in tables:
            conn.execute(sql.SQL("ANALYZE {}").format(_qualified(table)))


def _delete_locked(conn: psycopg.Connection, table: str, where: Mapping[str, Any]) -> int:
    """Delete the partition ``where`` covers under its locks: a second writer of it waits, then deletes what
    this one wrote. Returns the rows deleted."""
    values = {column: _values(value) for column, value in where.items()}
    lock_partition(conn, table, values)
    conditions = sql.SQL(" AND ").join(sql.SQL("{} = ANY(%s)").format(sql.Identifier(c)) for c in values)
    delete = sql.SQL("DELETE FROM {} WHERE {}").format(_qualified(table), conditions)
    return conn.execute(delete, list(values.values())).rowcount


def lock_partition(conn: psycopg.Connection, table: str, where: Mapping[str, Any]) -> None:
    """Take the locks a write of the partition ``where`` covers takes, one per (column, value), held to the
    end of the caller's transaction: a step that reads the partition's stored rows before writing it takes
    them first, so it reads what the previous writer committed and no writer comes between."""
    lock_units(
        conn,
        (f"partition:{table}:{column}={item}" for column, value in where.items() for item in _values(value)),
    )


def _values(value: Any) -> list[Any]:
    """A ``where`` value as the list of values it stands for."""
    return list(value) if isinstance(value, list | tuple | set | frozenset) else [value]


def copy_rows(
    conn: psycopg.Connection,
    table: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    types: Sequence[str] | None = None,
) -> None:
    """COPY rows into ``table`` (the caller owns the transaction); with ``types`` (each column's Postgres
    type) in binary."""
    statement = sql.SQL("COPY {} ({}) FROM STDIN{}").format(
        _qualified(table),
        sql.SQL(", ").join(map(sql.Identifier, columns)),
        sql.SQL(" (FORMAT BINARY)" if types is not None else ""),
    )
    with conn.cursor() as cur, cur.copy(statement) as copy:
        if types is not None:
            copy.set_types(list(types))
        for row in rows:
            copy.write_row(row)


def copy_binary(
    conn: psycopg.Connection,
    table: str,
    columns: Sequence[str],
    types: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    temp: bool = False,
) -> None:
    """COPY rows in binary (no text formatting, no hex-encoded bytea: the big writes' fast path), each column
    of the Postgres type named in ``types``; ``temp``: into a new temp table of those columns, dropped at
    commit. The caller owns the transaction."""
    if temp:
        name = _qualified(table)
        conn.execute(sql.SQL("DROP TABLE IF EXISTS pg_temp.{}").format(name))
        definition = sql.SQL(", ").join(
            sql.SQL("{} {}").format(sql.Identifier(column), sql.SQL(kind))
            for column, kind in zip(columns, types, strict=True)
        )
        conn.execute(sql.SQL("CREATE TEMP TABLE {} ({}) ON COMMIT DROP").format(name, definition))
    copy_rows(conn, table, columns, rows, types)


def _copy_frame(conn: psycopg.Connection, table: str, frame: pl.DataFrame) -> None:
    """COPY ``frame`` in CSV written by Polars (tens of times faster than a Python call per row); a frame
    holding a type CSV cannot carry goes row by row."""
    text = _csv_ready(frame)
    if text is None:
        copy_rows(conn, table, frame.columns, frame.iter_rows())
        return
    statement = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT csv)").format(
        _qualified(table), sql.SQL(", ").join(map(sql.Identifier, frame.columns))
    )
    with conn.cursor() as cur, cur.copy(statement) as copy:
        for offset in range(0, max(text.height, 1), _CSV_ROWS):
            buffer = io.BytesIO()
            # every string quoted, so an empty string stays one; a null is left empty (CSV's NULL)
            text.slice(offset, _CSV_ROWS).write_csv(buffer, include_header=False, quote_style="non_numeric")
            copy.write(buffer.getvalue())


#: Rows per CSV piece handed to COPY: bounds the buffer, not the transaction.
_CSV_ROWS = 100_000
_PLAIN = (pl.Boolean, pl.String, pl.Date, pl.Float32, pl.Float64, pl.Int8, pl.Int16, pl.Int32, pl.Int64)


def _csv_ready(frame: pl.DataFrame) -> pl.DataFrame | None:
    """``frame`` with times as ISO text and lists as Postgres array literals, or None when a column holds a
    type this does not handle (binary, durations, structs, lists of lists)."""
    columns = []
    for name, dtype in frame.schema.items():
        column = pl.col(name)
        if isinstance(dtype, pl.Datetime):
            if dtype.time_zone is None:
                columns.append(column.dt.strftime("%Y-%m-%dT%H:%M:%S%.6f"))
            else:
                utc = column.dt.convert_time_zone("UTC")
                columns.append(utc.dt.strftime("%Y-%m-%dT%H:%M:%S%.6f+00:00"))
        elif isinstance(dtype, pl.List) and dtype.inner in _PLAIN:
            element = pl.element().cast(pl.String)
            quoted = pl.lit('"') + element.str.replace_all(r'(["\\])', r"\$1") + pl.lit('"')
            listed = column.list.eval(pl.when(element.is_null()).then(pl.lit("NULL")).otherwise(quoted))
            columns.append(pl.concat_str(pl.lit("{"), listed.list.join(","), pl.lit("}")).alias(name))
        elif dtype in _PLAIN:
            columns.append(column)
        else:
            return None
    return frame.select(columns)


def _qualified(table: str) -> sql.Composable:
    return sql.Identifier(*table.split("."))


def _listed(columns: Iterable[str]) -> sql.Composable:
    return sql.SQL(", ").join(map(sql.Identifier, columns))


def _check_where(table: str, where: Mapping[str, Any], columns: Sequence[TableColumn]) -> None:
    names = {c.name for c in columns}
    unknown = sorted(set(where) - names)
    if unknown:
        raise FrameWriteError(f"replace_partition({table}): `where` names columns the table lacks: {unknown}")


def _check_frame_columns(table: str, columns: Sequence[TableColumn], frame: pl.DataFrame) -> list[str]:
    by_name = {c.name: c for c in columns}
    extra = [name for name in frame.columns if name not in by_name]
    generated = [name for name in frame.columns if name in by_name and by_name[name].generated]
    missing = [
        c.name for c in columns if c.name not in frame.columns and not c.generated and not c.has_default
    ]
    problems = []
    if extra:
        problems.append(f"frame columns not in the table: {extra}")
    if generated:
        problems.append(f"frame columns the table generates itself: {generated}")
    if missing:
        problems.append(f"table columns missing from the frame: {missing}")
    if problems:
        raise FrameWriteError(f"cannot write frame to {table}: " + "; ".join(problems))
    return [c.name for c in columns if c.name in frame.columns]


def _check_key(table: str, key: Sequence[str], frame: pl.DataFrame) -> None:
    """A change write needs the table's primary key, every key column in the frame, each key once."""
    if not key:
        raise FrameWriteError(
            f"write_partition_changes({table}): the table has no primary key to match rows by"
        )
    missing = [c for c in key if c not in frame.columns]
    if missing:
        raise FrameWriteError(
            f"write_partition_changes({table}): key columns missing from the frame: {missing}"
        )
    repeated = frame.filter(frame.select(key).is_duplicated())
    if repeated.height:
        raise FrameWriteError(
            f"write_partition_changes({table}): {repeated.height} frame rows repeat a key, e.g. "
            f"{repeated.select(key).row(0)}"
        )


def _check_rows_within(table: str, within: tuple[str, Any, Any], frame: pl.DataFrame) -> None:
    column, after, up_to = within
    outside = frame.filter(~((pl.col(column) > after) & (pl.col(column) <= up_to)))
    if outside.height:
        raise FrameWriteError(
            f"write_partition_changes({table}): {outside.height} frame rows have {column} outside "
            f"({after}, {up_to}], e.g. {outside.get_column(column).head(3).to_list()}"
        )


def _check_rows_inside(table: str, where: Mapping[str, Any], frame: pl.DataFrame) -> None:
    for column, value in where.items():
        if column not in frame.columns:
            continue
        wanted = pl.Series(_values(value), dtype=frame.schema[column]).implode()
        outside = frame.filter(~pl.col(column).is_in(wanted))
        if outside.height:
            sample = outside.get_column(column).unique().head(5).to_list()
            raise FrameWriteError(
                f"replace_partition({table}): {outside.height} frame rows have {column} outside the "
                f"partition being replaced, e.g. {sample}"
            )
