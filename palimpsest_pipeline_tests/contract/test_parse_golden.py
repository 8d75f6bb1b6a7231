"""Every real capture parses to the rows the golden holds (``parse_golden.py``): a refactor of the parsers
changes no row, set-aside or count unless the commit that rewrites the golden names the change."""

from __future__ import annotations

import pytest

from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.records import Book, OddsRow, OddsState
from palimpsest_pipeline_tests.contract.parse_golden import (
    AT,
    CAPTURED,
    WRITE_COMMAND,
    Account,
    account,
    differences,
    golden_now,
    read_golden,
    report,
)


@pytest.mark.skipif(
    not CAPTURED.is_dir(), reason=f"captured responses not found at {CAPTURED} (../shared is absent)"
)
def test_every_capture_parses_as_the_golden_holds() -> None:
    found = differences(read_golden(), golden_now())
    assert not found, report(found)


def _row(
    market: int, specifier: str, outcome: int, price: float | None, state: OddsState = "open"
) -> OddsRow:
    return OddsRow(1, Book.SPORTYBET, market, specifier, outcome, price, state, AT)


ROWS = [
    _row(1, "", 1, 2.1),
    _row(1, "", 2, 3.3),
    _row(1, "", 3, 3.6),
    _row(18, "total=2.5", 12, 1.9),
    _row(18, "total=2.5", 13, 1.95),
    _row(2_000_003, "market=shots|player=-7|total=0.5", 12, 1.5),
]


def test_a_market_keeps_its_digest_whatever_the_rows_order_and_loses_it_on_any_field() -> None:
    before = account(EventOdds(rows=list(ROWS)))
    assert before["counts"]["rows"] == 6
    assert list(before["markets"]) == ["1", "18", "2000003 market=shots"]
    assert account(EventOdds(rows=ROWS[::-1]))["markets"] == before["markets"]
    for changed in (
        _row(18, "total=2.5", 13, 1.96),
        _row(18, "total=2.5", 13, 1.95, "suspended"),
        _row(18, "total=3.5", 13, 1.95),
        _row(18, "total=2.5", 12, 1.95),
    ):
        after = account(EventOdds(rows=[*ROWS[:4], changed, ROWS[5]]))
        assert {name for name in before["markets"] if after["markets"][name] != before["markets"][name]} == {
            "18"
        }


def test_a_difference_names_the_file_its_markets_and_how_to_regenerate() -> None:
    counts = {"rows": 9, "open_outcomes": 9}
    golden: dict[str, Account] = {
        "book/a.json": {
            "counts": counts,
            "markets": {
                "1": "3 aaaaaaaaaaaa",
                "18": "4 bbbbbbbbbbbb",
                "2000003 market=shots": "2 cccccccccccc",
            },
            "set_aside": {"unmapped": "1 dddddddddddd"},
            "players": {},
        },
        "book/same.json": {"not an event detail": "odds_payload: no markets"},
        "book/gone.json": {"not an event detail": "odds_payload: no markets"},
    }
    now: dict[str, Account] = {
        "book/a.json": {
            "counts": {"rows": 9, "open_outcomes": 10},
            "markets": {"1": "3 aaaaaaaaaaaa", "18": "5 eeeeeeeeeeee", "60": "2 ffffffffffff"},
            "set_aside": {},
            "players": {},
        },
        "book/same.json": {"not an event detail": "odds_payload: no markets"},
        "book/new.json": {"not an event detail": "odds_payload: no markets"},
    }
    found = differences(golden, now)
    assert found == [
        "book/a.json:\n"
        "    open_outcomes: 9 -> 10\n"
        "    market 18 (Total goals): changed (4 rows -> 5)\n"
        "    market 60 (1st half - 1X2): added (2 rows)\n"
        "    market 2000003 market=shots: removed (2 rows)\n"
        "    set aside unmapped: removed (1 rows)",
        "book/gone.json: in the golden, no longer among the captures",
        "book/new.json: a capture the golden does not hold",
    ]
    assert report(found).startswith("3 captures parse differently from parse_golden.json:\n")
    assert WRITE_COMMAND in report(found)
