"""Input checking shared by the transforms: a renamed column, a wrong integer width or a naive timestamp fails
here, naming the frame and the column, instead of Polars silently producing a wrong table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import polars as pl


class FrameSchemaError(ValueError):
    """A transform's input frame lacks a column, has one of the wrong type, or holds an impossible value."""


def _castable(actual: pl.DataType, expected: pl.DataType) -> bool:
    """Whether ``actual`` converts to ``expected`` without losing meaning (so a cast is safe, not a guess)."""
    if actual == pl.Null:
        return True  # an all-null column read from an empty query has no type yet
    if expected == pl.Int64 or expected == pl.Int32:
        return actual.is_integer()
    if expected == pl.Float64:
        return actual.is_numeric()
    if expected == pl.String:
        return isinstance(actual, pl.Categorical | pl.Enum)
    if isinstance(expected, pl.Datetime):
        # Only a tz-aware UTC instant of another unit; a naive timestamp has no defined instant.
        return isinstance(actual, pl.Datetime) and actual.time_zone == "UTC"
    return False


def conform(frame: pl.DataFrame, schema: Mapping[str, pl.DataType], what: str) -> pl.DataFrame:
    """``frame`` reduced to ``schema``'s columns, in order, cast losslessly to its dtypes; anything else
    raises ``FrameSchemaError`` naming ``what`` (the frame's role) and the column."""
    if not isinstance(frame, pl.DataFrame):
        raise FrameSchemaError(f"{what}: expected a polars DataFrame, got {type(frame).__name__}")
    missing = [name for name in schema if name not in frame.columns]
    if missing:
        raise FrameSchemaError(f"{what}: missing column(s) {missing}; got {frame.columns}")
    exprs = []
    for name, expected in schema.items():
        actual = frame.schema[name]
        if actual == expected:
            exprs.append(pl.col(name))
        elif _castable(actual, expected):
            exprs.append(pl.col(name).cast(expected))
        else:
            raise FrameSchemaError(f"{what}: column {name!r} has dtype {actual}, expected {expected}")
    return frame.select(exprs)


def require_not_null(frame: pl.DataFrame, columns: Iterable[str], what: str) -> None:
    """Raise ``FrameSchemaError`` if any of ``columns`` holds a null (keys that must always be known)."""
    for name in columns:
        nulls = frame.get_column(name).null_count()
        if nulls:
            raise FrameSchemaError(f"{what}: column {name!r} has {nulls} null value(s); it must be set")


def require_values(frame: pl.DataFrame, column: str, allowed: Iterable[str], what: str) -> None:
    """Raise ``FrameSchemaError`` naming the values of ``column`` that are not in ``allowed``."""
    allowed_list = list(allowed)
    unknown = (
        frame.filter(pl.col(column).is_not_null() & ~pl.col(column).is_in(allowed_list))
        .get_column(column)
        .unique()
        .sort()
        .to_list()
    )
    if unknown:
        raise FrameSchemaError(
            f"{what}: column {column!r} has unknown value(s) {unknown}; allowed {allowed_list}"
        )
