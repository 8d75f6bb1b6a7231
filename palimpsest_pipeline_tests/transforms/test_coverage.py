"""coverage / top_missing_tournaments against loops over plain dicts."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime
from typing import Any

import polars as pl
import pytest

from palimpsest_pipeline.frames import EVENTS_SCHEMA
from palimpsest_pipeline.transforms._frames import FrameSchemaError
from palimpsest_pipeline.transforms.coverage import (
    COUNT_METRICS,
    COVERAGE_LEVELS,
    TOP_MISSING_SCHEMA,
    coverage,
    coverage_levels,
    coverage_schema,
    top_missing_tournaments,
)
from palimpsest_pipeline.transforms.matching import MATCHED_SCHEMA, match_events
from palimpsest_pipeline_tests.transforms._world import (
    events_frame,
    random_events,
    reference_coverage,
    reference_matches,
)

pytestmark = pytest.mark.filterwarnings("error")

METRICS = (*COUNT_METRICS, "match_rate", "betpawa_coverage")


def _keyed(frame: pl.DataFrame, by: tuple[str, ...]) -> dict[tuple[Any, ...], dict[str, Any]]:
    out = {}
    for row in frame.to_dicts():
        key = (row["kickoff_date"], *(row[c] for c in by))
        assert key not in out, f"group {key} appears twice"
        out[key] = {m: row[m] for m in METRICS}
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("level", list(COVERAGE_LEVELS))
def test_every_metric_of_every_level_equals_reference(seed: int, level: str) -> None:
    by = COVERAGE_LEVELS[level]
    events = random_events(seed)
    got = coverage(match_events(events_frame(events)), by)
    expected = reference_coverage(reference_matches(events), by)

    assert got.schema == pl.Schema(coverage_schema(by))
    keyed = _keyed(got, by)
    assert keyed.keys() == expected.keys()
    for key, row in keyed.items():
        for metric in METRICS:
            want = expected[key][metric]
            if want is None:
                assert row[metric] is None, (key, metric)
            else:
                assert row[metric] == pytest.approx(want, rel=1e-12, abs=0), (key, metric)
    if level == "country":
        assert any(key[2] is None for key in keyed), "null countries must form their own group"


def test_null_country_groups_as_a_value_and_sorts_last() -> None:
    events = random_events(5)
    matched = match_events(events_frame(events))
    by_country = coverage(matched, ("sport", "country"))
    overall = coverage(matched, ())
    # No match vanishes: per-date totals over countries equal the overall totals.
    summed = by_country.group_by("kickoff_date").agg(pl.col("total").sum()).sort("kickoff_date")
    assert summed.get_column("total").to_list() == overall.get_column("total").to_list()
    for (_, sport), part in by_country.group_by("kickoff_date", "sport", maintain_order=True):
        countries = part.get_column("country").to_list()
        if None in countries:
            assert countries[-1] is None, (sport, countries)


def test_levels_helper_matches_individual_calls() -> None:
    matched = match_events(events_frame(random_events(4, n_matches=120)))
    levels = coverage_levels(matched)
    assert levels.keys() == COVERAGE_LEVELS.keys()
    for level, by in COVERAGE_LEVELS.items():
        assert levels[level].equals(coverage(matched, by))


def test_rates_on_hand_made_day() -> None:
    kickoff = datetime(2025, 3, 1, 12, tzinfo=UTC)
    base: dict[str, object] = {
        "kickoff": kickoff,
        "kickoff_date": kickoff.date(),
        "home": "h",
        "away": "a",
        "sport": "football",
    }
    rows: list[dict[str, object]] = [
        # matched (betpawa + sportybet), betpawa_only, two competitor_only (one bet9ja without SR id)
        {"book": "betpawa", "event_id": "p1", "sr_id": 1},
        {"book": "sportybet", "event_id": "s1", "sr_id": 1},
        {"book": "betpawa", "event_id": "p2", "sr_id": 2},
        {"book": "sportybet", "event_id": "s3", "sr_id": 3},
        {"book": "bet9ja", "event_id": "b3", "sr_id": 3},
        {"book": "bet9ja", "event_id": "b4", "sr_id": None},
    ]
    events = [{**base, "tournament_id": "t", "tournament_name": "T", "country": "NG", **r} for r in rows]
    (row,) = coverage(match_events(events_frame(events)), ()).to_dicts()
    assert row == {
        "kickoff_date": date(2025, 3, 1),
        "total": 4,
        "matched": 1,
        "betpawa_only": 1,
        "competitor_only": 2,
        "only_sportybet": 0,
        "only_bet9ja": 1,
        "sportybet_and_bet9ja_only": 1,
        "on_all_three": 0,
        "betpawa_events": 2,
        "sportybet_events": 2,
        "bet9ja_events": 2,
        "sportybet_not_betpawa": 1,
        "bet9ja_not_betpawa": 2,
        "betpawa_not_sportybet": 1,
        "betpawa_not_bet9ja": 2,
        "without_sr_id": 1,
        "linked_by_genius": 0,
        "match_rate": 0.25,
        "betpawa_coverage": 1 / 3,
    }


def test_day_with_only_competitor_events() -> None:
    events = [e for e in random_events(8, n_matches=200) if e["book"] != "betpawa"]
    got = coverage(match_events(events_frame(events)), ())
    assert got.height >= 3
    assert set(got.get_column("matched")) == {0}
    assert set(got.get_column("match_rate")) == {0.0}
    assert set(got.get_column("betpawa_coverage")) == {0.0}
    assert (got.get_column("competitor_only") == got.get_column("total")).all()


def test_day_with_only_betpawa_events_has_null_coverage_not_zero() -> None:
    events = [e for e in random_events(8, n_matches=100) if e["book"] == "betpawa"]
    got = coverage(match_events(events_frame(events)), ("sport",))
    assert got.get_column("betpawa_coverage").null_count() == got.height
    assert set(got.get_column("match_rate")) == {0.0}


@pytest.mark.parametrize("level", list(COVERAGE_LEVELS))
def test_empty_input_gives_empty_output_with_exact_schema(level: str) -> None:
    by = COVERAGE_LEVELS[level]
    empty = match_events(pl.DataFrame(schema=EVENTS_SCHEMA))
    got = coverage(empty, by)
    assert got.height == 0
    assert got.schema == pl.Schema(coverage_schema(by))
    top = top_missing_tournaments(
        got if level == "tournament" else coverage(empty, COVERAGE_LEVELS["tournament"])
    )
    assert top.height == 0
    assert top.schema == pl.Schema(TOP_MISSING_SCHEMA)


def test_bad_grouping_is_rejected() -> None:
    matched = pl.DataFrame(schema=MATCHED_SCHEMA)
    with pytest.raises(FrameSchemaError, match="must be distinct columns"):
        coverage(matched, ("home",))
    with pytest.raises(FrameSchemaError, match="must be distinct columns"):
        coverage(matched, ("sport", "sport"))
    with pytest.raises(FrameSchemaError, match=r"matched: missing column\(s\) \['status'\]"):
        coverage(matched.drop("status"), ())


def test_top_missing_tournaments_equals_reference() -> None:
    events = random_events(6)
    by = COVERAGE_LEVELS["tournament"]
    got = top_missing_tournaments(coverage(match_events(events_frame(events)), by), n=7)

    totals: dict[tuple[Any, ...], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    names: dict[tuple[Any, ...], set[tuple[Any, ...]]] = defaultdict(set)
    for m in reference_matches(events).values():
        key = (m["sport"], m["tournament_key"])
        names[key].add((m["canonical_country"], m["canonical_tournament"]))
        totals[key]["competitor_only"] += m["status"] == "competitor_only"
        totals[key]["matched"] += m["status"] == "matched"
        totals[key]["total"] += 1
    ranked = sorted(
        (k for k, v in totals.items() if v["competitor_only"] > 0),
        key=lambda k: (-totals[k]["competitor_only"], k[0], k[1]),
    )[:7]

    assert got.schema == pl.Schema(TOP_MISSING_SCHEMA)
    assert [(r["sport"], r["tournament_key"]) for r in got.to_dicts()] == ranked
    for r in got.to_dicts():
        key = (r["sport"], r["tournament_key"])
        t = totals[key]
        assert (r["country"], r["tournament"]) in names[key]
        assert (r["competitor_only"], r["matched"], r["total"]) == (
            t["competitor_only"],
            t["matched"],
            t["total"],
        )
        assert r["betpawa_coverage"] == pytest.approx(t["matched"] / (t["matched"] + t["competitor_only"]))
    with pytest.raises(ValueError, match="n must be >= 0"):
        top_missing_tournaments(got, -1)
