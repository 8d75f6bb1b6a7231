"""Open outcomes another book prices under the same key: per book against its open outcomes, the markets
meeting no other book, per event, book and family; every figure counted by hand from the rows below."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import polars as pl

from palimpsest_pipeline.frames import ODDS_SCHEMA
from palimpsest_pipeline.transforms.key_sharing import (
    OPEN_OUTCOMES_SCHEMA,
    book_sharing,
    family_sharing,
    lone_markets,
)

AT = datetime(2026, 5, 6, 9, 40, tzinfo=UTC)
DESCRIBED_CS = "market=score.match.match.cs"

ODDS = pl.DataFrame(
    [
        (1, "betpawa", 1, "", 1, 2.4, "open", AT),
        (1, "betpawa", 1, "", 1, 2.4, "open", AT),  # the same key twice counts once
        (1, "betpawa", 1, "", 2, 3.2, "open", AT),
        (1, "betpawa", 2_000_003, DESCRIBED_CS, 7, 9.0, "open", AT),  # a described market, alone
        (1, "betpawa", 1, "", 3, None, "suspended", AT),
        (1, "sportybet", 1, "", 1, 2.41, "open", AT),
        (1, "sportybet", 1, "", 3, 3.1, "open", AT),  # BetPawa's is suspended
        (1, "sportybet", 18, "total=2.5", 12, 1.9, "open", AT),  # alone
    ],
    schema=ODDS_SCHEMA,
    orient="row",
)


def test_shares_count_against_every_open_outcome() -> None:
    counted = pl.DataFrame([("betpawa", 5), ("sportybet", 3), ("bet9ja", 0)], schema=OPEN_OUTCOMES_SCHEMA,
                           orient="row")  # fmt: skip
    got = book_sharing(ODDS, counted)
    assert got.rows() == [("betpawa", 5, 3, 1, 0.2), ("sportybet", 3, 3, 1, 1 / 3), ("bet9ja", 0, 0, 0, None)]


def test_markets_meeting_no_other_book() -> None:
    assert lone_markets(ODDS).rows() == [
        ("betpawa", "score.match.match.cs", "score cs", 1),
        ("sportybet", "18", "score total", 1),
    ]


def test_per_event_book_and_family() -> None:
    hour = AT.replace(minute=0)
    assert family_sharing(ODDS).rows() == [
        (1, "betpawa", "score 1x2", hour, 2, 1),
        (1, "betpawa", "score cs", hour, 1, 0),
        (1, "sportybet", "score 1x2", hour, 2, 1),
        (1, "sportybet", "score total", hour, 1, 0),
    ]


def test_only_open_outcomes_on_the_same_key_count_each_book_in_the_hour_of_its_newest_capture() -> None:
    later = AT + timedelta(minutes=30)  # the next hour
    odds = pl.DataFrame(
        [
            # event 1: BetPawa prices four outcomes openly, one more suspended.
            (1, "betpawa", 1, "", 1, 2.4, "open", AT),
            (1, "betpawa", 1, "", 2, 3.2, "open", AT),
            (1, "betpawa", 18, "total=2.5", 12, 1.9, "open", AT),
            (1, "betpawa", 18, "total=3.5", 12, 2.9, "open", AT),
            (1, "betpawa", 1, "", 3, 3.0, "suspended", AT),
            (1, "sportybet", 1, "", 1, 2.41, "open", later),  # same key: priced by a competitor
            (1, "bet9ja", 1, "", 2, 3.3, "open", AT),  # same key on the other competitor
            (1, "sportybet", 18, "total=3.5", 12, 2.8, "suspended", later),  # not open there: met by none
            (1, "sportybet", 18, "total=2.5", 13, 1.9, "open", later),  # another outcome: met by none
            (1, "sportybet", 1, "", 3, 3.1, "open", later),  # BetPawa's is suspended: met by none
            # event 2: nothing on BetPawa; SportyBet's newest capture, of a suspended price, sets its hour.
            (2, "sportybet", 1, "", 1, 2.0, "open", AT),
            (2, "sportybet", 1, "", 2, 3.0, "suspended", later),
        ],
        schema=ODDS_SCHEMA,
        orient="row",
    )
    hour, next_hour = AT.replace(minute=0), later.replace(minute=0)
    assert family_sharing(odds).rows() == [
        (1, "bet9ja", "score 1x2", hour, 1, 1),
        (1, "betpawa", "score 1x2", hour, 2, 2),
        (1, "betpawa", "score total", hour, 2, 0),
        (1, "sportybet", "score 1x2", next_hour, 2, 1),
        (1, "sportybet", "score total", next_hour, 1, 0),
        (2, "sportybet", "score 1x2", next_hour, 1, 0),
    ]
