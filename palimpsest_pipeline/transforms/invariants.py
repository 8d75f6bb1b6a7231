"""Data-quality checks behind the Dagster asset checks: each returns ``(passed, details)``, the details
JSON-ready with the rows checked and a few offending rows."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, NamedTuple

import polars as pl

from palimpsest_pipeline.transforms.input_checks import conform
from palimpsest_pipeline.transforms.matching import duplicate_event_ids, duplicate_sr_ids

#: How many offending rows a failed check shows: enough to find the broken row, short enough for metadata.
MAX_EXAMPLES = 10


class CheckResult(NamedTuple):
    """``passed`` is False when anything was flagged; ``details`` says what and where."""

    passed: bool
    details: dict[str, Any]


def _jsonable(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def verdict(rows_checked: int, bad: pl.DataFrame, **extra: Any) -> CheckResult:
    """Passed when no row is ``bad``; the details every check gives (rows checked, violations, examples),
    with the check's own ``extra`` figures between the counts and the examples."""
    return CheckResult(
        bad.height == 0,
        {
            "rows_checked": rows_checked,
            "violations": bad.height,
            **extra,
            "examples": [_jsonable(row) for row in bad.head(MAX_EXAMPLES).to_dicts()],
        },
    )


def coverage_adds_up(coverage: pl.DataFrame) -> CheckResult:
    """matched + betpawa_only + competitor_only == total on every row of a coverage table (any level)."""
    counts = ("total", "matched", "betpawa_only", "competitor_only")
    frame = conform(coverage, {name: pl.Int64() for name in counts}, "coverage")
    key_names = ("kickoff_date", "sport", "sr_category_id", "country", "tournament_key", "tournament")
    keys = [c for c in coverage.columns if c in key_names]
    bad = (
        coverage.select(keys)
        .hstack(frame)
        .filter(
            (pl.col("matched") + pl.col("betpawa_only") + pl.col("competitor_only") != pl.col("total"))
            | pl.any_horizontal(pl.col(c).is_null() for c in counts)
        )
    )
    return verdict(frame.height, bad)


def no_duplicate_book_ids(events: pl.DataFrame) -> CheckResult:
    """Every (book, event_id) appears once: a repeat means a read or an upsert went wrong."""
    return verdict(events.height, duplicate_event_ids(events))


def sr_id_unique_per_book(events: pl.DataFrame) -> CheckResult:
    """No book lists one SportRadar id on two events (matching would be ambiguous and raises on it)."""
    return verdict(events.height, duplicate_sr_ids(events))


def match_rate_within(coverage_overall: pl.DataFrame, low: float, high: float) -> CheckResult:
    """Every day's overall ``match_rate`` lies in [low, high] (outside: the cheapest symptom of a broken
    adapter); a null rate fails, an empty table passes."""
    if not 0.0 <= low <= high <= 1.0:
        raise ValueError(f"match_rate_within: need 0 <= low <= high <= 1, got low={low}, high={high}")
    frame = conform(
        coverage_overall, {"kickoff_date": pl.Date(), "match_rate": pl.Float64()}, "coverage_overall"
    )
    bad = frame.filter(
        pl.col("match_rate").is_null() | (pl.col("match_rate") < low) | (pl.col("match_rate") > high)
    )
    rates = frame.get_column("match_rate").drop_nulls()
    return verdict(
        frame.height,
        bad,
        low=low,
        high=high,
        min_match_rate=rates.min() if rates.len() else None,
        max_match_rate=rates.max() if rates.len() else None,
    )
