"""The demo's key-health summary: per book, one run's captures read back from analytics.odds_captures.

The captures are seeded by hand; every expected share is worked out here from those counts (sums over the
captures that counted each figure), not read back from the code."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.summary import BookKeyHealth, format_key_health, read_key_health
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS

AT = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
COLUMNS = (
    "sr_id, book, batch_id, status, open_outcomes, mapped_outcomes, native_outcomes, composed_outcomes, "
    "canonical_outcomes, set_aside_outcomes, suspect_outcomes, new_fields"
)


#: The books the run's country (Nigeria) scrapes, each shown; those it did not capture after the three it did.
_SHOWN = [book.value for book in NIGERIA_BOOKS]
_OTHERS = [book for book in NIGERIA_BOOKS if book not in (Book.BETPAWA, Book.SPORTYBET, Book.BET9JA)]


def _seed(conn: psycopg.Connection) -> None:
    rows = [
        # the run: BetPawa twice (and once failed), SportyBet once counted and once stored before counting
        (1, "betpawa", "run-1", "ok", 400, 380, 0, 10, 20, 12, 19, ["a.b", "c[]"]),
        (2, "betpawa", "run-1", "ok", 600, 500, 0, 0, 50, 60, 0, ["a.b"]),
        (3, "betpawa", "run-1", "failed", None, None, None, None, None, None, None, None),
        (1, "sportybet", "run-1", "ok", 1000, 1000, 100, 0, 0, 0, 0, []),
        (2, "sportybet", "run-1", "ok", 500, 450, 0, 0, None, None, None, None),
        # another run: not this one's
        (1, "betpawa", "run-0", "ok", 100, 0, 0, 0, 0, 100, 0, ["x"]),
        (1, "bet9ja", "run-0", "ok", 300, 290, 0, 0, 0, 10, 0, []),
    ]
    for place, row in enumerate(rows):
        conn.execute(
            f"INSERT INTO core.odds_captures ({COLUMNS}, captured_at, site_country)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 'ng')",
            (*row, AT + timedelta(seconds=place)),
        )


def test_each_book_of_the_run_with_its_shares(warehouse_conn: psycopg.Connection) -> None:
    _seed(warehouse_conn)
    betpawa, sportybet, bet9ja, *others = read_key_health(warehouse_conn, "run-1", _SHOWN)
    # BetPawa: keyed 880 of 1,000 open; 72 set aside; 19 suspect of 880 keyed; UOF-keyed (mapped less
    # native, composed and canonical) 350 + 450 of 1,000; new fields a.b and c[]
    assert betpawa == BookKeyHealth("betpawa", 2, 1000, 0.88, 0.072, pytest.approx(19 / 880), 0.8, 2)
    # SportyBet: keyed 1,450 of 1,500; the second capture counted nothing else: set aside 0 of 1,000,
    # suspect 0 of 1,000 keyed, UOF-keyed 900 of 1,000
    assert sportybet == BookKeyHealth("sportybet", 2, 1500, pytest.approx(1450 / 1500), 0.0, 0.0, 0.9, 0)
    assert bet9ja == BookKeyHealth("bet9ja", 0, 0, None, None, None, None, 0)  # nothing in this run
    # every other scraped book is listed too, with nothing in this run
    assert others == [BookKeyHealth(book.value, 0, 0, None, None, None, None, 0) for book in _OTHERS]


def test_the_printed_lines(warehouse_conn: psycopg.Connection) -> None:
    _seed(warehouse_conn)
    lines = format_key_health(read_key_health(warehouse_conn, "run-1", _SHOWN)).splitlines()
    assert lines[0].startswith("Key health per book")
    assert lines[1].split() == ["book", "captures", "open", "outcomes", "keyed", "set", "aside", "suspect",
                                "UOF", "new", "fields"]  # fmt: skip
    assert [line.split() for line in lines[2:]] == [
        ["betpawa", "2", "1,000", "88.0%", "7.2%", "2.2%", "80.0%", "2"],
        ["sportybet", "2", "1,500", "96.7%", "0.0%", "0.0%", "90.0%", "0"],
        ["bet9ja", "0", "0", "n/a", "n/a", "n/a", "n/a", "0"],
        *([book.value, "0", "0", "n/a", "n/a", "n/a", "n/a", "0"] for book in _OTHERS),
    ]
