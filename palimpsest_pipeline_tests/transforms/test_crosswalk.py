"""The tournament crosswalk: majority vote, ties, conflicts, stability across runs, canonical names."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl

from palimpsest_pipeline.frames import events_frame
from palimpsest_pipeline.records import Book, Event
from palimpsest_pipeline.transforms.crosswalk import (
    STATUS_KEPT,
    STATUS_PLACED,
    STATUS_SPORTYBET,
    STATUS_UNPLACED,
    canonical_events,
    country_conflicts,
    split_tournaments,
    tournament_crosswalk,
)

KICKOFF = datetime(2026, 5, 6, 15, tzinfo=UTC)
EPL, CUP = "sr:tournament:17", "sr:tournament:19"


def ev(book: Book, sr_id: int | None, tournament: str, name: str, country: str = "England") -> Event:
    event_id = f"{book.value}-{sr_id}-{tournament}"
    return Event(book, event_id, sr_id, "H", "A", KICKOFF, tournament, name, country, "football")


def rows(frame: pl.DataFrame) -> dict[tuple[str, str], dict]:
    return {(r["book"], r["tournament_id"]): r for r in frame.to_dicts()}


SPORTYBET_WORLD = [
    *(ev(Book.SPORTYBET, i, EPL, "Premier League") for i in (1, 2, 3, 4)),
    *(ev(Book.SPORTYBET, i, CUP, "FA Cup") for i in (5, 6)),
]


def test_a_book_tournament_is_placed_by_the_majority_of_its_linked_events() -> None:
    events = events_frame(
        [
            *SPORTYBET_WORLD,
            # BetPawa's "England Premier League": 3 of 4 linked events are EPL, 1 a cup match (mislisted)
            *(ev(Book.BETPAWA, i, "bp-11", "England Premier League") for i in (1, 2, 3, 5)),
            ev(Book.BETPAWA, None, "bp-11", "England Premier League"),  # no SR id: counted, not linked
            # Bet9ja's group has no event SportyBet lists: unplaced, keeps its own name
            ev(Book.BET9JA, 99, "b9-7", "ENG Premier League"),
        ]
    )
    got = rows(tournament_crosswalk(events))
    bp = got[("betpawa", "bp-11")]
    assert (bp["sr_tournament_id"], bp["status"], bp["events"], bp["linked_events"]) == (
        EPL,
        STATUS_PLACED,
        5,
        4,
    )
    assert bp["agreement"] == 0.75 and bp["candidates"] == 2
    assert (bp["canonical_name"], bp["canonical_country"]) == ("Premier League", "England")
    sb = got[("sportybet", EPL)]
    assert (sb["sr_tournament_id"], sb["status"], sb["agreement"]) == (EPL, STATUS_SPORTYBET, 1.0)
    b9 = got[("bet9ja", "b9-7")]
    assert (b9["sr_tournament_id"], b9["status"], b9["canonical_name"]) == (None, STATUS_UNPLACED, None)
    # The check views: BetPawa's tournament is split; nobody disagrees on the country.
    assert split_tournaments(tournament_crosswalk(events))["tournament_id"].to_list() == ["bp-11"]
    assert country_conflicts(tournament_crosswalk(events)).is_empty()


def test_a_tie_keeps_the_previous_placement_and_no_evidence_keeps_it_too() -> None:
    tie = events_frame(
        [*SPORTYBET_WORLD, ev(Book.BET9JA, 1, "b9-1", "Mixed"), ev(Book.BET9JA, 5, "b9-1", "Mixed")]
    )
    first = rows(tournament_crosswalk(tie))[("bet9ja", "b9-1")]
    assert first["sr_tournament_id"] == EPL  # no history: the smallest id wins the tie ...
    previous = pl.DataFrame(
        {
            "book": ["bet9ja"],
            "tournament_id": ["b9-1"],
            "sr_tournament_id": [CUP],
            "canonical_name": ["FA Cup"],
            "canonical_country": ["England"],
        }
    )
    again = rows(tournament_crosswalk(tie, previous))[("bet9ja", "b9-1")]
    assert again["sr_tournament_id"] == CUP  # ... with history, the previous placement
    # A later run with no linked event: the placement and its canonical name stand.
    quiet = events_frame([ev(Book.BET9JA, 77, "b9-1", "Mixed")])
    kept = rows(tournament_crosswalk(quiet, previous))[("bet9ja", "b9-1")]
    assert (kept["sr_tournament_id"], kept["status"], kept["canonical_name"]) == (CUP, STATUS_KEPT, "FA Cup")


def test_canonical_events_rename_placed_tournaments_only() -> None:
    events = events_frame(
        [
            *SPORTYBET_WORLD,
            ev(Book.BETPAWA, 1, "bp-11", "England Premier League", country="ENG"),
            ev(Book.BET9JA, 99, "b9-7", "ENG Premier League"),
        ]
    )
    renamed = canonical_events(events, tournament_crosswalk(events))
    by_book = {
        (r["book"], r["tournament_id"]): (r["tournament_name"], r["country"]) for r in renamed.to_dicts()
    }
    assert by_book[("betpawa", "bp-11")] == ("Premier League", "England")
    assert by_book[("bet9ja", "b9-7")] == ("ENG Premier League", "England")  # unplaced: as the book wrote it
    assert renamed.height == events.height
    conflicts = country_conflicts(tournament_crosswalk(events))
    assert conflicts["sr_tournament_id"].to_list() == [EPL]  # BetPawa says ENG, SportyBet England
