"""The tournament crosswalk: majority vote, ties, conflicts, stability across runs, countries, checks.

Every expectation is counted by hand from the few events each test builds.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import polars as pl
import pytest

from palimpsest_pipeline.frames import COUNTRY_CROSSWALK_SCHEMA, CROSSWALK_SCHEMA
from palimpsest_pipeline.transforms.coverage import COVERAGE_LEVELS, book_coverage, coverage
from palimpsest_pipeline.transforms.crosswalk import (
    books_agree_on_country,
    build_country_crosswalk,
    build_crosswalk,
    tournaments_not_split,
)
from palimpsest_pipeline.transforms.matching import match_events, match_listings
from palimpsest_pipeline.transforms.placement import book_tournaments, place_matches, placing_books
from palimpsest_pipeline_tests.transforms._world import events_frame

pytestmark = pytest.mark.filterwarnings("error")

RUN1 = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
RUN2 = RUN1 + timedelta(minutes=15)
NO_CROSSWALK = pl.DataFrame(schema=CROSSWALK_SCHEMA)
KICKOFF = datetime(2026, 5, 5, 18, 0, tzinfo=UTC)
EPL, CHAMP, LIGA = "sr:tournament:17", "sr:tournament:18", "sr:tournament:8"
COUNTRY_OF = {
    EPL: ("sr:category:1", "England"),
    CHAMP: ("sr:category:1", "England"),
    LIGA: ("sr:category:32", "Spain"),
}


def ev(book: str, event_id: str, tournament_id: str, sr_id: int | None, **extra: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "book": book,
        "event_id": event_id,
        "sr_id": sr_id,
        "home": "h",
        "away": "a",
        "kickoff": KICKOFF,
        "kickoff_date": KICKOFF.date(),
        "tournament_id": tournament_id,
        "tournament_name": f"{tournament_id} name",
        "country": "England",
        "country_id": None,
        "sport": "football",
        "genius_id": None,
    }
    if book == "sportybet":
        category, country = COUNTRY_OF[tournament_id]
        row.update(
            tournament_name={EPL: "Premier League", CHAMP: "Championship", LIGA: "LaLiga"}[tournament_id]
        )
        row.update(country=country, country_id=category)
    row.update(extra)
    return row


def pair(
    n: int, sr_tournament: str, book_tournament: str, book: str = "betpawa", **extra: Any
) -> list[dict[str, Any]]:
    """A match listed by SportyBet in ``sr_tournament`` and by ``book`` in ``book_tournament``."""
    return [
        ev("sportybet", f"sr:match:{n}", sr_tournament, n),
        ev(book, f"{book[:2]}{n}", book_tournament, n, **extra),
    ]


def row(crosswalk: pl.DataFrame, book: str, tournament_id: str) -> dict[str, Any]:
    (found,) = crosswalk.filter(
        (pl.col("book") == book) & (pl.col("tournament_id") == tournament_id)
    ).to_dicts()
    return found


def test_majority_vote_with_its_agreement_and_the_conflict_recorded() -> None:
    events = [*pair(1, EPL, "bp-1"), *pair(2, EPL, "bp-1"), *pair(3, CHAMP, "bp-1")]
    cross = build_crosswalk(events_frame(events), NO_CROSSWALK, RUN1)
    assert cross.schema == pl.Schema(CROSSWALK_SCHEMA)
    got = row(cross, "betpawa", "bp-1")
    assert {
        k: got[k] for k in ("placement", "sr_tournament_id", "events", "votes", "agreeing", "candidates")
    } == {
        "placement": "voted",
        "sr_tournament_id": EPL,
        "events": 3,
        "votes": 3,
        "agreeing": 2,
        "candidates": 2,
    }
    assert got["agreement_share"] == pytest.approx(2 / 3)
    assert (got["conflict"], got["tied"]) == (True, False)
    assert got["votes_by_tournament"] == f"{EPL}=2, {CHAMP}=1"
    assert (
        got["canonical_tournament"],
        got["sr_category_id"],
        got["canonical_country"],
        got["country_iso"],
    ) == (
        "Premier League",
        "sr:category:1",
        "England",
        "GB-ENG",
    )
    assert got["placed_at"] == RUN1
    sporty = row(cross, "sportybet", EPL)
    assert (sporty["placement"], sporty["sr_tournament_id"], sporty["events"], sporty["conflict"]) == (
        "sportradar",
        EPL,
        2,
        False,
    )
    passed, details = tournaments_not_split(cross)
    assert not passed and details["violations"] == 1
    assert details["examples"][0]["tournament_id"] == "bp-1"


def test_a_tie_goes_to_the_lowest_id_then_to_the_previous_placement() -> None:
    events = [*pair(1, EPL, "b9-7", book="bet9ja"), *pair(2, CHAMP, "b9-7", book="bet9ja")]
    first = build_crosswalk(events_frame(events), NO_CROSSWALK, RUN1)
    got = row(first, "bet9ja", "b9-7")
    assert (got["sr_tournament_id"], got["tied"], got["agreement_share"]) == (EPL, True, 0.5)  # "…17" < "…18"
    previous = first.with_columns(
        pl.when(pl.col("tournament_id") == "b9-7")
        .then(pl.lit(CHAMP))
        .otherwise("sr_tournament_id")
        .alias("sr_tournament_id")
    )
    again = row(build_crosswalk(events_frame(events), previous, RUN2), "bet9ja", "b9-7")
    assert (again["sr_tournament_id"], again["tied"]) == (CHAMP, True)


def test_a_placement_is_kept_while_evidence_is_absent_and_changes_only_on_new_votes() -> None:
    first = build_crosswalk(events_frame([*pair(1, EPL, "bp-1")]), NO_CROSSWALK, RUN1)
    assert row(first, "betpawa", "bp-1")["sr_tournament_id"] == EPL
    # Run 2: BetPawa still lists the competition, but none of its events is on SportyBet.
    lonely = [ev("betpawa", "bp9", "bp-1", 9)]
    second = build_crosswalk(events_frame(lonely), first, RUN2)
    got = row(second, "betpawa", "bp-1")
    assert (got["placement"], got["sr_tournament_id"], got["votes"], got["placed_at"]) == (
        "carried",
        EPL,
        0,
        RUN1,
    )
    assert got["agreement_share"] is None and got["canonical_tournament"] == "Premier League"
    # Run 3: nothing listed at all; every row survives, carried, with zero events.
    third = build_crosswalk(events_frame([]), second, RUN2 + timedelta(minutes=15))
    assert set(
        zip(third["book"], third["tournament_id"], third["placement"], third["events"], strict=True)
    ) == {
        ("betpawa", "bp-1", "carried", 0),
        ("sportybet", EPL, "carried", 0),
    }
    # Run 4: new evidence for another tournament moves it (the vote decides when there is one).
    fourth = build_crosswalk(events_frame([*pair(4, CHAMP, "bp-1")]), third, RUN2 + timedelta(hours=1))
    assert row(fourth, "betpawa", "bp-1")["sr_tournament_id"] == CHAMP


def test_a_group_without_sr_links_stays_unplaced_and_genius_links_vote() -> None:
    events = [
        ev("bet9ja", "b1", "b9-unlinked", None),
        ev("bet9ja", "b2", "b9-unlinked", 777),  # an SR id no other book lists: no vote either
        ev("sportybet", "sr:match:5", LIGA, 5, genius_id=13_000_005),
        ev("betpawa", "p5", "bp-liga", None, genius_id=13_000_005),  # no SR widget: Genius bridges it
    ]
    cross = build_crosswalk(events_frame(events), NO_CROSSWALK, RUN1)
    unplaced = row(cross, "bet9ja", "b9-unlinked")
    assert (unplaced["placement"], unplaced["sr_tournament_id"], unplaced["votes"], unplaced["events"]) == (
        "unplaced",
        None,
        0,
        2,
    )
    bridged = row(cross, "betpawa", "bp-liga")
    assert (bridged["placement"], bridged["sr_tournament_id"], bridged["country_iso"]) == (
        "voted",
        LIGA,
        "ES",
    )


def test_country_crosswalk_and_the_country_check() -> None:
    # BetPawa files two English competitions under "England" and, wrongly, LaLiga under "England" too.
    events = [
        *pair(1, EPL, "bp-epl"),
        *pair(2, CHAMP, "bp-champ"),
        *pair(3, LIGA, "bp-liga"),
        *pair(4, LIGA, "b9-liga", book="bet9ja", country="Spain"),
    ]
    cross = build_crosswalk(events_frame(events), NO_CROSSWALK, RUN1)
    countries = build_country_crosswalk(cross)
    assert countries.schema == pl.Schema(COUNTRY_CROSSWALK_SCHEMA)
    england = countries.filter((pl.col("book") == "betpawa") & (pl.col("country") == "England")).to_dicts()[0]
    assert (
        england["sr_category_id"],
        england["tournaments"],
        england["agreeing"],
        england["country_iso"],
    ) == (
        "sr:category:1",
        3,
        2,
        "GB-ENG",
    )
    passed, details = books_agree_on_country(cross, countries)
    assert not passed and details["violations"] == 1
    assert details["examples"][0]["tournament_id"] == "bp-liga"
    # Filed correctly, the same catalogue passes.
    fixed = [dict(e, country="Spain") if e["tournament_id"] == "bp-liga" else e for e in events]
    cross = build_crosswalk(events_frame(fixed), NO_CROSSWALK, RUN1)
    assert books_agree_on_country(cross, build_country_crosswalk(cross))[0]
    assert tournaments_not_split(cross)[0]


def test_matches_without_sportybet_are_placed_through_the_crosswalk_and_coverage_merges_spellings() -> None:
    events = [
        *pair(1, EPL, "bp-epl"),
        ev("betpawa", "p2", "bp-epl", 2, tournament_name="England Premier League"),
        ev("bet9ja", "b2", "b9-epl", 2, tournament_name="EPL"),
        ev("bet9ja", "b3", "b9-epl", 3),
        ev("sportybet", "sr:match:3", EPL, 3),
    ]
    frame = events_frame(events)
    cross = build_crosswalk(frame, NO_CROSSWALK, RUN1)
    matches = match_events(frame)
    listings = match_listings(frame, matches)
    matched = place_matches(matches, listings, cross, build_country_crosswalk(cross))
    by_key = {r["match_key"]: r for r in matched.to_dicts()}
    # sr:2 is on BetPawa and Bet9ja only: BetPawa's competition places it.
    assert (by_key["sr:2"]["tournament_key"], by_key["sr:2"]["canonical_tournament"]) == (
        EPL,
        "Premier League",
    )
    assert {r["tournament_key"] for r in by_key.values()} == {EPL}
    (only,) = coverage(matched, listings, COVERAGE_LEVELS["tournament"]).to_dicts()
    assert (only["total"], only["matched"], only["competitor_only"], only["placed"]) == (3, 2, 1, True)
    per_book = book_tournaments(book_coverage(matched, listings, COVERAGE_LEVELS["tournament"]), cross)
    assert dict(per_book.select("book", "book_tournament_id").rows()) == {
        "betpawa": "bp-epl",
        "bet9ja": "b9-epl",
        "sportybet": EPL,
    }


def test_placing_books_put_betpawa_first_then_any_other_book_but_sportybet_by_name() -> None:
    assert placing_books(["sportybet", "msport", "bet9ja", "betpawa"]) == ["betpawa", "bet9ja", "msport"]
    assert placing_books(["sportybet"]) == ["betpawa"]
