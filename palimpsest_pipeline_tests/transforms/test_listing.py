"""Listing lead time and what to list now on a hand-made catalogue: every figure worked out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import polars as pl
import pytest

from palimpsest_pipeline.transforms.listing import listing_lead_time, timed_listings, to_list_now
from palimpsest_pipeline_tests.transforms._long import split

pytestmark = pytest.mark.filterwarnings("error")

T = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # every book's first scrape of DAY
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
KICKOFF = datetime(2026, 11, 27, 18, 0, tzinfo=UTC)
DAY = date(2026, 11, 27)


def _matched(rows: list[tuple[str, int | None, str | None, str | None, str | None]]) -> pl.DataFrame:
    """(match_key, sr_id, betpawa id, sportybet id, bet9ja id), all in one tournament at KICKOFF."""
    return pl.DataFrame(
        {
            "kickoff_date": [DAY] * len(rows),
            "match_key": [r[0] for r in rows],
            "sr_id": [r[1] for r in rows],
            "kickoff": [KICKOFF] * len(rows),
            "sport": ["football"] * len(rows),
            "country": ["England"] * len(rows),
            "tournament": ["Premier League"] * len(rows),
            "home": ["A"] * len(rows),
            "away": ["B"] * len(rows),
            "betpawa_event_id": [r[2] for r in rows],
            "sportybet_event_id": [r[3] for r in rows],
            "bet9ja_event_id": [r[4] for r in rows],
            "on_betpawa": [r[2] is not None for r in rows],
            "on_sportybet": [r[3] is not None for r in rows],
            "on_bet9ja": [r[4] is not None for r in rows],
        },
        schema_overrides={"sr_id": pl.Int64, "kickoff": pl.Datetime("us", "UTC")},
    )


def _seen(rows: list[tuple[str, str, datetime]], first_scrape: datetime = T) -> pl.DataFrame:
    """(book, event id, first seen), each book's first scrape of the events' date at ``first_scrape``."""
    return pl.DataFrame(
        {
            "book": [r[0] for r in rows],
            "event_id": [r[1] for r in rows],
            "first_seen_at": [r[2] for r in rows],
            "first_scrape_at": [first_scrape] * len(rows),
        },
        schema_overrides={name: pl.Datetime("us", "UTC") for name in ("first_seen_at", "first_scrape_at")},
    )


MATCHED = _matched(
    [
        ("sr:1", 1, "p1", "s1", "n1"),  # all three, all timed
        ("sr:2", 2, "p2", "s2", None),  # BetPawa and SportyBet; SportyBet listed it before our first scrape
        ("sr:3", 3, None, "s3", "n3"),  # competitors only: to list now
        ("sr:4", 4, None, "s4", "n4"),  # competitors only; Bet9ja listed it before our first scrape
    ]
)
MATCHES, LISTINGS = split(MATCHED)
SEEN = _seen(
    [
        ("betpawa", "p1", KICKOFF - timedelta(hours=48)),  # lead 48 h
        ("sportybet", "s1", KICKOFF - timedelta(hours=60)),  # lead 60 h: BetPawa 12 h behind
        ("bet9ja", "n1", KICKOFF - timedelta(hours=54)),
        ("betpawa", "p2", KICKOFF - timedelta(hours=20)),  # lead 20 h
        ("sportybet", "s2", T),  # seen at the first scrape: counted, not timed
        ("sportybet", "s3", KICKOFF - timedelta(hours=100)),
        ("bet9ja", "n3", KICKOFF - timedelta(hours=90)),
        ("sportybet", "s4", KICKOFF - timedelta(hours=70)),
        ("bet9ja", "n4", T),
    ]
)


def test_lead_time_counts_every_listing_and_times_those_seen_after_the_first_scrape() -> None:
    listings = timed_listings(MATCHES, LISTINGS, SEEN)
    table = listing_lead_time(listings, NOW)
    rows = {r["book"]: r for r in table.to_dicts()}
    assert rows["betpawa"]["events"] == 2 and rows["betpawa"]["events_measured"] == 2
    assert rows["betpawa"]["median_lead_hours"] == pytest.approx((48 + 20) / 2)
    assert rows["sportybet"]["events"] == 4 and rows["sportybet"]["events_measured"] == 3
    assert rows["sportybet"]["median_lead_hours"] == pytest.approx(70)  # of 60, 100 and 70
    assert rows["bet9ja"]["events"] == 3 and rows["bet9ja"]["events_measured"] == 2
    assert rows["bet9ja"]["median_lead_hours"] == pytest.approx((54 + 90) / 2)
    # the lag: only sr:1 is listed by BetPawa and timed everywhere (sr:2's SportyBet listing is not timed)
    assert {r["betpawa_lag_events"] for r in rows.values()} == {1}
    assert [r["betpawa_lag_hours"] for r in rows.values()] == [pytest.approx(12.0)] * 3


def test_to_list_now_names_the_competitors_and_since_when() -> None:
    listings = timed_listings(MATCHES, LISTINGS, SEEN)
    row, untimed = to_list_now(MATCHES, LISTINGS, listings, NOW).to_dicts()
    assert (row["match_key"], row["listed_by"]) == ("sr:3", ["sportybet", "bet9ja"])
    assert row["first_listed_at"] == KICKOFF - timedelta(hours=100)
    assert row["hours_to_kickoff"] == pytest.approx(54.0)  # 25th 12:00 -> 27th 18:00
    assert row["hours_listed_by_competitor"] == pytest.approx(100 - 54)
    # Bet9ja had sr:4 at its first scrape (since any time before): how long they have had it is unknown,
    # though SportyBet's listing is timed
    assert (untimed["match_key"], untimed["first_listed_at"]) == ("sr:4", T)
    assert untimed["hours_listed_by_competitor"] is None


def test_a_fresh_warehouse_first_scrape_leaves_every_age_unknown() -> None:
    """Every listing first seen at the first scrape, the tables computed then: nothing is timed."""
    seen = _seen([(book, event_id, T) for book, event_id, *_ in SEEN.iter_rows()])
    listings = timed_listings(MATCHES, LISTINGS, seen)
    rows = to_list_now(MATCHES, LISTINGS, listings, T).to_dicts()
    assert [r["match_key"] for r in rows] == ["sr:3", "sr:4"]
    assert [r["hours_listed_by_competitor"] for r in rows] == [None, None]  # not 0 h
    lead = listing_lead_time(listings, T)
    assert lead["events_measured"].to_list() == [0, 0, 0] and lead["median_lead_hours"].null_count() == 3


def test_a_match_already_kicked_off_is_not_to_list() -> None:
    listings = timed_listings(MATCHES, LISTINGS, SEEN)
    assert to_list_now(MATCHES, LISTINGS, listings, KICKOFF + timedelta(minutes=1)).height == 0


def test_a_book_new_to_the_tables_is_counted_and_named_without_a_change_of_code() -> None:
    """A fourth book's listing of sr:3 (seen 110 h before kick-off, before SportyBet and Bet9ja): it gets its
    own lead-time row and heads the competitors listing the match."""
    listings = pl.concat(
        [
            LISTINGS,
            pl.DataFrame(
                {"kickoff_date": [DAY], "match_key": ["sr:3"], "book": ["msport"], "event_id": ["m3"]}
            ),
        ]
    )
    seen = pl.concat([SEEN, _seen([("msport", "m3", KICKOFF - timedelta(hours=110))])])
    timed = timed_listings(MATCHES, listings, seen)
    rows = {r["book"]: r for r in listing_lead_time(timed, NOW).to_dicts()}
    assert (rows["msport"]["events"], rows["msport"]["median_lead_hours"]) == (1, pytest.approx(110.0))
    row = to_list_now(MATCHES, listings, timed, NOW).to_dicts()[0]
    assert (row["match_key"], row["listed_by"]) == ("sr:3", ["msport", "sportybet", "bet9ja"])
    assert row["first_listed_at"] == KICKOFF - timedelta(hours=110)
