"""The asset-check predicates: they pass on sound data and fail, with examples, on broken data."""

from __future__ import annotations

import json

import polars as pl
import pytest

from palimpsest_pipeline.frames import EVENTS_SCHEMA
from palimpsest_pipeline.transforms.coverage import COVERAGE_LEVELS, coverage
from palimpsest_pipeline.transforms.invariants import (
    coverage_adds_up,
    match_rate_within,
    no_duplicate_book_ids,
    sr_id_unique_per_book,
)
from palimpsest_pipeline_tests.transforms._long import split, wide_matched
from palimpsest_pipeline_tests.transforms._world import events_frame, random_events

pytestmark = pytest.mark.filterwarnings("error")


@pytest.fixture(scope="module")
def events() -> pl.DataFrame:
    return events_frame(random_events(21))


@pytest.mark.parametrize("level", list(COVERAGE_LEVELS))
def test_coverage_adds_up_passes_on_real_output_and_fails_on_tampered_row(
    events: pl.DataFrame, level: str
) -> None:
    table = coverage(*split(wide_matched(events)), COVERAGE_LEVELS[level])
    passed, details = coverage_adds_up(table)
    assert passed
    assert details == {"rows_checked": table.height, "violations": 0, "examples": []}

    tampered = table.with_columns(
        pl.when(pl.int_range(pl.len()) == 1)
        .then(pl.col("total") + 1)
        .otherwise(pl.col("total"))
        .alias("total")
    )
    passed, details = coverage_adds_up(tampered)
    assert not passed
    assert details["violations"] == 1
    (example,) = details["examples"]
    assert example["total"] == table.get_column("total")[1] + 1
    assert example["kickoff_date"] == table.get_column("kickoff_date")[1].isoformat()
    json.dumps(details)


def test_duplicate_checks_pass_on_clean_events(events: pl.DataFrame) -> None:
    assert no_duplicate_book_ids(events) == (
        True,
        {"rows_checked": events.height, "violations": 0, "examples": []},
    )
    assert sr_id_unique_per_book(events)[0]


def test_no_duplicate_book_ids_reports_the_repeated_pair(events: pl.DataFrame) -> None:
    broken = pl.concat([events, events.head(2)])
    passed, details = no_duplicate_book_ids(broken)
    assert not passed
    assert details["violations"] == 2
    expected = sorted((r["book"], r["event_id"]) for r in events.head(2).to_dicts())
    assert [(e["book"], e["event_id"]) for e in details["examples"]] == expected
    assert all(e["events"] == 2 for e in details["examples"])


def test_sr_id_unique_per_book_reports_book_id_and_events(events: pl.DataFrame) -> None:
    victim = events.filter(pl.col("sr_id").is_not_null()).row(0, named=True)
    twin = {**victim, "event_id": victim["event_id"] + "-twin"}
    passed, details = sr_id_unique_per_book(pl.concat([events, events_frame([twin])]))
    assert not passed
    assert details["violations"] == 1
    (example,) = details["examples"]
    assert example == {
        "book": victim["book"],
        "sr_id": victim["sr_id"],
        "event_ids": sorted([victim["event_id"], twin["event_id"]]),
        "events": 2,
    }
    # Events without SR id may repeat "no id" freely.
    no_ids = events_frame(random_events(3, n_matches=50)).with_columns(pl.lit(None, pl.Int64).alias("sr_id"))
    assert sr_id_unique_per_book(no_ids)[0]


def test_match_rate_within(events: pl.DataFrame) -> None:
    overall = coverage(*split(wide_matched(events)), ())
    rates = overall.get_column("match_rate")
    low, high = rates.min(), rates.max()
    assert isinstance(low, float) and isinstance(high, float)

    passed, details = match_rate_within(overall, low, high)
    assert passed
    assert details["rows_checked"] == overall.height
    assert (details["min_match_rate"], details["max_match_rate"]) == (low, high)

    passed, details = match_rate_within(overall, low + 1e-9, 1.0)
    assert not passed
    assert [e["match_rate"] for e in details["examples"]] == [low] * int(rates.eq(low).sum())
    json.dumps(details)


def test_match_rate_within_empty_passes_and_null_rate_fails() -> None:
    empty = coverage(*split(wide_matched(pl.DataFrame(schema=EVENTS_SCHEMA))), ())
    assert match_rate_within(empty, 0.1, 0.9) == (
        True,
        {
            "rows_checked": 0,
            "violations": 0,
            "low": 0.1,
            "high": 0.9,
            "min_match_rate": None,
            "max_match_rate": None,
            "examples": [],
        },
    )
    with_null = pl.DataFrame(
        {"kickoff_date": [None], "match_rate": [None]},
        schema={"kickoff_date": pl.Date, "match_rate": pl.Float64},
    )
    assert not match_rate_within(with_null, 0.0, 1.0)[0]
    with pytest.raises(ValueError, match="low <= high"):
        match_rate_within(empty, 0.9, 0.1)
