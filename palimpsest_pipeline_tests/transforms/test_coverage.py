"""coverage: against loops over plain dicts on random catalogues, and against hand-counted days."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import polars as pl
import pytest

from palimpsest_pipeline.frames import EVENTS_SCHEMA
from palimpsest_pipeline.transforms.coverage import COVERAGE_LEVELS, book_coverage, coverage, coverage_schema
from palimpsest_pipeline.transforms.input_checks import FrameSchemaError
from palimpsest_pipeline_tests.transforms._long import (
    WIDE_MATCHED_SCHEMA,
    WIDE_METRICS,
    split,
    wide_coverage,
    wide_matched,
)
from palimpsest_pipeline_tests.transforms._world import (
    events_frame,
    random_events,
    reference_coverage,
    reference_matches,
)

pytestmark = pytest.mark.filterwarnings("error")

METRICS = WIDE_METRICS


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
    matched = wide_matched(events_frame(events))
    got = wide_coverage(matched, by)
    expected = reference_coverage(reference_matches(events), by)

    assert coverage(*split(matched), by).schema == pl.Schema(coverage_schema(by))
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
    matched = wide_matched(events_frame(events))
    by_country = coverage(*split(matched), ("sport", "country"))
    overall = coverage(*split(matched), ())
    # No match vanishes: per-date totals over countries equal the overall totals.
    summed = by_country.group_by("kickoff_date").agg(pl.col("total").sum()).sort("kickoff_date")
    assert summed.get_column("total").to_list() == overall.get_column("total").to_list()
    for (_, sport), part in by_country.group_by("kickoff_date", "sport", maintain_order=True):
        countries = part.get_column("country").to_list()
        if None in countries:
            assert countries[-1] is None, (sport, countries)


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
    (row,) = wide_coverage(wide_matched(events_frame(events)), ()).to_dicts()
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
    got = wide_coverage(wide_matched(events_frame(events)), ())
    assert got.height >= 3
    assert set(got.get_column("matched")) == {0}
    assert set(got.get_column("match_rate")) == {0.0}
    assert set(got.get_column("betpawa_coverage")) == {0.0}
    assert (got.get_column("competitor_only") == got.get_column("total")).all()


def test_day_with_only_betpawa_events_has_null_coverage_not_zero() -> None:
    events = [e for e in random_events(8, n_matches=100) if e["book"] == "betpawa"]
    got = wide_coverage(wide_matched(events_frame(events)), ("sport",))
    assert got.get_column("betpawa_coverage").null_count() == got.height
    assert set(got.get_column("match_rate")) == {0.0}


@pytest.mark.parametrize("level", list(COVERAGE_LEVELS))
def test_empty_input_gives_empty_output_with_exact_schema(level: str) -> None:
    by = COVERAGE_LEVELS[level]
    empty = wide_matched(pl.DataFrame(schema=EVENTS_SCHEMA))
    got = coverage(*split(empty), by)
    assert got.height == 0
    assert got.schema == pl.Schema(coverage_schema(by))


def test_bad_grouping_is_rejected() -> None:
    matches, listings = split(pl.DataFrame(schema=WIDE_MATCHED_SCHEMA))
    with pytest.raises(FrameSchemaError, match="must be distinct columns"):
        coverage(matches, listings, ("home",))
    with pytest.raises(FrameSchemaError, match="must be distinct columns"):
        coverage(matches, listings, ("sport", "sport"))
    with pytest.raises(FrameSchemaError, match=r"matches: missing column\(s\) \['status'\]"):
        coverage(matches.drop("status"), listings, ())


def _matched(**columns: list[Any]) -> pl.DataFrame:
    """A matched table holding only the columns ``coverage`` reads."""
    n = len(columns["status"])
    defaults: dict[str, list[Any]] = {"sr_id": list(range(1, n + 1)), "country_iso": [None] * n}
    values = {**defaults, **columns}
    values["linked_by"] = values.get(
        "linked_by", [None if s != "matched" else "sportradar" for s in values["status"]]
    )
    values["book_count"] = [
        sum(flags)
        for flags in zip(values["on_betpawa"], values["on_sportybet"], values["on_bet9ja"], strict=True)
    ]
    return pl.DataFrame(values, schema={name: WIDE_MATCHED_SCHEMA[name] for name in values})


PREMIER = "sr:tournament:17"
D1, D2 = date(2026, 5, 1), date(2026, 5, 2)
#: Four matches on D1 (three in a placed tournament, one unplaced without a country) and one on D2.
HAND_MATCHED = _matched(
    kickoff_date=[D1, D1, D1, D1, D2],
    sport=["football"] * 5,
    tournament_key=[PREMIER, PREMIER, PREMIER, "betpawa:t9", PREMIER],
    sr_tournament_id=[PREMIER, PREMIER, PREMIER, None, PREMIER],
    canonical_tournament=["Premier League"] * 3 + ["Friendlies", "Premier League"],
    sr_category_id=["sr:category:1"] * 3 + [None, "sr:category:1"],
    canonical_country=["England"] * 3 + [None, "England"],
    on_betpawa=[True, False, True, False, True],
    on_sportybet=[True, True, False, False, True],
    on_bet9ja=[False, False, False, True, True],
    status=["matched", "competitor_only", "betpawa_only", "competitor_only", "matched"],
)
SHOWN = ["kickoff_date", "total", "matched", "betpawa_only", "competitor_only", "on_all_three"]
SHOWN_RATES = ["match_rate", "betpawa_coverage"]


def test_tournament_level_counted_by_hand() -> None:
    got = wide_coverage(HAND_MATCHED, COVERAGE_LEVELS["tournament"])
    assert got.select("tournament_key", "placed", "country", "tournament", *SHOWN, *SHOWN_RATES).rows() == [
        ("betpawa:t9", False, None, "Friendlies", D1, 1, 0, 0, 1, 0, 0.0, 0.0),
        (PREMIER, True, "England", "Premier League", D1, 3, 1, 1, 1, 0, 1 / 3, 0.5),
        (PREMIER, True, "England", "Premier League", D2, 1, 1, 0, 0, 1, 1.0, 1.0),
    ]


def test_country_level_counted_by_hand_with_the_unknown_country_last() -> None:
    got = wide_coverage(HAND_MATCHED, COVERAGE_LEVELS["country"])
    assert got.select("sr_category_id", "country", *SHOWN).rows() == [
        ("sr:category:1", "England", D1, 3, 1, 1, 1, 0),
        (None, None, D1, 1, 0, 0, 1, 0),
        ("sr:category:1", "England", D2, 1, 1, 0, 0, 1),
    ]
    overall = wide_coverage(HAND_MATCHED, COVERAGE_LEVELS["overall"])
    assert overall.select(*SHOWN).rows() == [(D1, 4, 1, 1, 2, 0), (D2, 1, 1, 0, 0, 1)]


def test_a_fourth_book_gets_its_own_rows_and_counts_in_every_book() -> None:
    """MSport beside the three books, counted by hand: m1 on BetPawa, SportyBet and MSport; m2 on MSport
    alone; m3 on SportyBet and MSport; m4 on BetPawa alone. Bet9ja, read in the country, lists none."""
    keys = ["m1", "m2", "m3", "m4"]
    matches = _matched(
        kickoff_date=[D1] * 4,
        sport=["football"] * 4,
        tournament_key=[PREMIER] * 4,
        sr_tournament_id=[PREMIER] * 4,
        canonical_tournament=["Premier League"] * 4,
        sr_category_id=["sr:category:1"] * 4,
        canonical_country=["England"] * 4,
        on_betpawa=[True, False, False, True],
        on_sportybet=[True, False, True, False],
        on_bet9ja=[False] * 4,
        status=["matched", "competitor_only", "competitor_only", "betpawa_only"],
    ).with_columns(pl.Series("match_key", keys))
    listed = {"m1": ("betpawa", "sportybet", "msport"), "m2": ("msport",), "m3": ("sportybet", "msport")}
    listed["m4"] = ("betpawa",)
    listings = pl.DataFrame(
        [(D1, key, book) for key in keys for book in listed[key]],
        schema={"kickoff_date": pl.Date, "match_key": pl.String, "book": pl.String},
        orient="row",
    )
    books = ("betpawa", "sportybet", "bet9ja", "msport")
    (group,) = coverage(matches, listings, (), books).to_dicts()
    assert [group[name] for name in ("total", "matched", "betpawa_only", "competitor_only")] == [4, 1, 1, 2]
    assert (group["several_competitors_only"], group["on_every_book"]) == (1, 0)
    per_book = book_coverage(matches, listings, (), books)
    assert per_book.select("book", "events", "not_on_betpawa", "betpawa_not_on_it", "only_on_it").rows() == [
        ("bet9ja", 0, 0, 2, 0),
        ("betpawa", 2, 0, 0, 1),
        ("msport", 3, 2, 1, 1),
        ("sportybet", 2, 1, 1, 0),
    ]
    # without Bet9ja in the country, m1 is on every book
    (three,) = coverage(matches, listings, (), ("betpawa", "sportybet", "msport")).to_dicts()
    assert three["on_every_book"] == 1
