"""match_events / keep_partition against a plain-Python reference and on hand-made edge cases."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime

import polars as pl
import pytest

from palimpsest_pipeline.transforms.input_checks import FrameSchemaError
from palimpsest_pipeline.transforms.matching import (
    EVENTS_SCHEMA,
    DuplicateEventIdError,
    DuplicateSrIdError,
    keep_partition,
)
from palimpsest_pipeline_tests.transforms._long import WIDE_MATCHED_SCHEMA, wide_matched
from palimpsest_pipeline_tests.transforms._world import (
    events_frame,
    random_events,
    reference_matches,
)

pytestmark = pytest.mark.filterwarnings("error")  # a Polars deprecation here is a bug to fix now


def _event(book: str, event_id: str, sr_id: int | None, **overrides: object) -> dict[str, object]:
    kickoff = overrides.pop("kickoff", datetime(2025, 3, 1, 18, 0, tzinfo=UTC))
    assert isinstance(kickoff, datetime)
    row: dict[str, object] = {
        "book": book,
        "event_id": event_id,
        "sr_id": sr_id,
        "home": f"Home ({book})",
        "away": f"Away ({book})",
        "kickoff": kickoff,
        "kickoff_date": kickoff.date(),
        "tournament_id": "t1",
        "tournament_name": f"Premier ({book})",
        "country": f"Country ({book})",
        "sport": "football",
    }
    row.update(overrides)
    return row


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_matches_equal_independent_reference(seed: int) -> None:
    events = random_events(seed)
    got = wide_matched(events_frame(events))
    expected = reference_matches(events)

    assert got.schema == pl.Schema(WIDE_MATCHED_SCHEMA)
    assert got.get_column("match_key").n_unique() == got.height
    rows = {row["match_key"]: row for row in got.to_dicts()}
    assert rows.keys() == expected.keys()
    for key, row in rows.items():
        assert row == expected[key], key
    # The generator must actually exercise every status and the no-SR-id path.
    assert set(got.get_column("status")) == {"matched", "betpawa_only", "competitor_only"}
    assert got.get_column("sr_id").null_count() > 10
    assert set(got.get_column("book_count")) == {1, 2, 3}
    # ... and the Genius bridge, into SR matches and between two Genius-only listings.
    genius = got.filter(pl.col("linked_by") == "genius")
    assert genius.filter(pl.col("match_key").str.starts_with("sr:")).height > 5
    assert genius.filter(pl.col("match_key").str.starts_with("gs:")).height > 5


def test_output_independent_of_input_row_order() -> None:
    events = random_events(7, n_matches=150)
    first = wide_matched(events_frame(events))
    random.Random(99).shuffle(events)
    assert wide_matched(events_frame(events)).equals(first)


@pytest.mark.parametrize(
    ("books", "source"),
    [
        (("bet9ja", "sportybet", "betpawa"), "betpawa"),
        (("bet9ja", "sportybet"), "sportybet"),
        (("bet9ja", "betpawa"), "betpawa"),
        (("bet9ja",), "bet9ja"),
        (("sportybet",), "sportybet"),
    ],
)
def test_names_come_from_betpawa_then_sportybet_then_bet9ja(books: tuple[str, ...], source: str) -> None:
    kickoffs = {
        "betpawa": datetime(2025, 3, 1, 23, 50, tzinfo=UTC),
        "sportybet": datetime(2025, 3, 2, 0, 10, tzinfo=UTC),
        "bet9ja": datetime(2025, 3, 2, 0, 20, tzinfo=UTC),
    }
    events = [_event(b, f"{b}-1", 42, kickoff=kickoffs[b]) for b in books]
    (row,) = wide_matched(events_frame(events)).to_dicts()
    assert row["name_source"] == source
    assert row["home"] == f"Home ({source})"
    assert row["away"] == f"Away ({source})"
    assert row["tournament"] == f"Premier ({source})"
    assert row["country"] == f"Country ({source})"
    assert row["kickoff"] == kickoffs[source]
    assert row["kickoff_date"] == kickoffs[source].date()
    assert row["book_count"] == len(books)
    for b in ("betpawa", "sportybet", "bet9ja"):
        assert row[f"on_{b}"] is (b in books)
        assert row[f"{b}_event_id"] == (f"{b}-1" if b in books else None)


def test_source_book_null_country_is_kept_not_filled_from_another_book() -> None:
    events = [_event("betpawa", "p", 5, country=None), _event("sportybet", "s", 5)]
    (row,) = wide_matched(events_frame(events)).to_dicts()
    assert row["country"] is None
    assert row["status"] == "matched"


def test_events_without_sr_id_never_match_each_other() -> None:
    events = [_event("betpawa", "x", None), _event("sportybet", "x", None), _event("bet9ja", "y", None)]
    got = wide_matched(events_frame(events))
    assert sorted(got.get_column("match_key")) == ["bet9ja:y", "betpawa:x", "sportybet:x"]
    assert dict(zip(got["match_key"], got["status"], strict=True)) == {
        "betpawa:x": "betpawa_only",
        "sportybet:x": "competitor_only",
        "bet9ja:y": "competitor_only",
    }


def test_duplicate_sr_id_in_one_book_raises_naming_book_and_id() -> None:
    events = [_event("betpawa", "p1", 7), _event("sportybet", "s1", 77), _event("sportybet", "s2", 77)]
    with pytest.raises(DuplicateSrIdError, match=r"'sportybet'.*SportRadar id 77.*\['s1', 's2'\]"):
        wide_matched(events_frame(events))


def test_same_sr_id_on_different_books_is_not_a_duplicate() -> None:
    events = [_event(b, "e", 77) for b in ("betpawa", "sportybet", "bet9ja")]
    assert wide_matched(events_frame(events)).height == 1


def test_duplicate_event_id_raises() -> None:
    events = [_event("bet9ja", "b1", 1), _event("bet9ja", "b1", 2)]
    with pytest.raises(DuplicateEventIdError, match=r"bet9ja:b1 x2"):
        wide_matched(events_frame(events))


def test_empty_input_gives_empty_output_with_exact_schema() -> None:
    got = wide_matched(pl.DataFrame(schema=EVENTS_SCHEMA))
    assert got.height == 0
    assert got.schema == pl.Schema(WIDE_MATCHED_SCHEMA)


def test_all_null_columns_from_an_empty_read_are_accepted() -> None:
    frame = events_frame([_event("betpawa", "p", None)]).with_columns(
        pl.lit(None).alias("sr_id"), pl.lit(None).alias("country")
    )
    assert frame.schema["sr_id"] == pl.Null
    (row,) = wide_matched(frame).to_dicts()
    assert row["match_key"] == "betpawa:p"


def test_narrower_integer_sr_id_and_extra_columns_are_accepted() -> None:
    frame = events_frame([_event("betpawa", "p", 9), _event("bet9ja", "b", 9)]).with_columns(
        pl.col("sr_id").cast(pl.Int32), pl.lit("x").alias("scraped_by")
    )
    (row,) = wide_matched(frame).to_dicts()
    assert row["match_key"] == "sr:9"
    assert row["status"] == "matched"


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda f: f.drop("sport"), r"missing column\(s\) \['sport'\]"),
        (lambda f: f.with_columns(pl.col("kickoff").dt.replace_time_zone(None)), r"'kickoff' has dtype"),
        (lambda f: f.with_columns(pl.col("sr_id").cast(pl.String)), r"'sr_id' has dtype String"),
        (lambda f: f.with_columns(pl.lit("pinnacle").alias("book")), r"unknown value\(s\) \['pinnacle'\]"),
        (lambda f: f.with_columns(pl.lit(None, pl.String).alias("event_id")), r"'event_id' has 1 null"),
    ],
)
def test_bad_input_is_rejected_with_the_column_named(
    mutate: Callable[[pl.DataFrame], pl.DataFrame], message: str
) -> None:
    frame = events_frame([_event("betpawa", "p", 1)])
    with pytest.raises(FrameSchemaError, match=message):
        wide_matched(mutate(frame))


def test_keep_partition_puts_every_match_in_exactly_one_partition() -> None:
    events = random_events(11, n_matches=300)
    window = wide_matched(events_frame(events))
    days = sorted(set(window.get_column("kickoff_date")))
    assert len(days) >= 3
    parts = [keep_partition(window, d) for d in days]
    keys = [k for p in parts for k in p.get_column("match_key")]
    assert sorted(keys) == sorted(window.get_column("match_key"))
    for day, part in zip(days, parts, strict=True):
        assert set(part.get_column("kickoff_date")) == {day}
    both = keep_partition(window, days[:2])
    assert both.height == parts[0].height + parts[1].height


def test_keep_partition_rejects_datetimes_and_missing_column() -> None:
    window = wide_matched(events_frame([_event("betpawa", "p", 1)]))
    with pytest.raises(TypeError, match=r"datetime\.date"):
        keep_partition(window, [datetime(2025, 3, 1, tzinfo=UTC)])
    with pytest.raises(FrameSchemaError, match="kickoff_date"):
        keep_partition(window.drop("kickoff_date"), date(2025, 3, 1))
    assert keep_partition(window, []).height == 0


def _linked(rows: list[dict[str, object]]) -> dict[str, tuple[str, str | None]]:
    """event id -> (match key, the match's linked_by)."""
    matched = wide_matched(events_frame(rows))
    out = {}
    for row in matched.to_dicts():
        for book in ("betpawa", "sportybet", "bet9ja"):
            if row[f"{book}_event_id"] is not None:
                out[row[f"{book}_event_id"]] = (row["match_key"], row["linked_by"])
    return out


def test_genius_id_bridges_a_listing_without_sr_id_into_the_sr_match() -> None:
    rows = [
        _event("betpawa", "p1", None, genius_id=13_000_001),
        _event("sportybet", "s1", 501, genius_id=13_000_001),
        _event("bet9ja", "b1", 501),
    ]
    assert _linked(rows) == {
        "p1": ("sr:501", "genius"),
        "s1": ("sr:501", "genius"),
        "b1": ("sr:501", "genius"),
    }
    (match,) = wide_matched(events_frame(rows)).to_dicts()
    assert (match["sr_id"], match["genius_id"], match["name_source"], match["status"]) == (
        501,
        13_000_001,
        "betpawa",
        "matched",
    )


def test_sr_ids_link_without_genius_and_disagreeing_sr_ids_are_never_merged_by_genius() -> None:
    rows = [
        _event("betpawa", "p1", 501, genius_id=13_000_001),
        _event("sportybet", "s1", 501),
        _event("betpawa", "p2", 777, genius_id=13_000_002),
        _event("sportybet", "s2", 888, genius_id=13_000_002),
    ]
    assert _linked(rows) == {
        "p1": ("sr:501", "sportradar"),
        "s1": ("sr:501", "sportradar"),
        "p2": ("sr:777", None),
        "s2": ("sr:888", None),
    }


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(
            # the SR match already holds a BetPawa event: a second one cannot join it
            [
                _event("betpawa", "p1", 501),
                _event("betpawa", "p2", None, genius_id=13_000_001),
                _event("sportybet", "s1", 501, genius_id=13_000_001),
            ],
            {"p1": ("sr:501", "sportradar"), "s1": ("sr:501", "sportradar"), "p2": ("betpawa:p2", None)},
            id="book-already-in-match",
        ),
        pytest.param(
            # the Genius id points at two SR ids: ambiguous, links nothing
            [
                _event("betpawa", "p1", None, genius_id=13_000_001),
                _event("sportybet", "s1", 501, genius_id=13_000_001),
                _event("bet9ja", "b1", 502, genius_id=13_000_001),
            ],
            {"p1": ("betpawa:p1", None), "s1": ("sr:501", None), "b1": ("sr:502", None)},
            id="ambiguous",
        ),
        pytest.param(
            # a book repeating a Genius id: that id links nothing of that book
            [
                _event("betpawa", "p1", None, genius_id=13_000_001),
                _event("betpawa", "p2", None, genius_id=13_000_001),
                _event("sportybet", "s1", 501, genius_id=13_000_001),
            ],
            {"p1": ("betpawa:p1", None), "p2": ("betpawa:p2", None), "s1": ("sr:501", None)},
            id="repeated-in-one-book",
        ),
        pytest.param(
            # no SR id anywhere: two books' Genius-only listings form their own match
            [
                _event("betpawa", "p1", None, genius_id=13_000_001),
                _event("sportybet", "s1", None, genius_id=13_000_001),
                _event("bet9ja", "b1", None, genius_id=13_000_002),
            ],
            {"p1": ("gs:13000001", "genius"), "s1": ("gs:13000001", "genius"), "b1": ("bet9ja:b1", None)},
            id="genius-only",
        ),
    ],
)
def test_genius_links_refused_where_they_would_be_wrong(
    rows: list[dict[str, object]], expected: dict[str, tuple[str, str | None]]
) -> None:
    assert _linked(rows) == expected
