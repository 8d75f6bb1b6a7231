"""The capture's key account in ``core.odds_captures``: UOF, canonical, set-aside and suspect outcomes,
the payload fields first seen (``core.payload_fields``), and ``analytics.key_health`` per book and hour.

Expectations come from the parsed rows themselves (which market ids are UOF's, from SportRadar's published
catalogue), from hand-written payloads and from hand-computed sums, never from the account under test.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import psycopg
import pytest

from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.markets.uof import uof_markets
from palimpsest_pipeline.records import Book, OddsRow
from palimpsest_pipeline.scrape.odds.parsing import parse_body
from palimpsest_pipeline.warehouse.capture_log import store_capture_cycle
from palimpsest_pipeline_tests.books.payloads import captured, fixture

SR = 68995116
HOUR = datetime(2026, 5, 6, 10, 0, tzinfo=UTC)


@dataclass
class _Result:
    sr_id: int
    book: Book
    status: str
    sent_at: datetime | None = None
    received_at: datetime | None = None
    reason: str | None = None
    odds: Any = None

    def rows(self) -> list[OddsRow]:
        assert isinstance(self.odds, EventOdds) and self.sent_at is not None
        # one parse stands for several captures here: each stores it as its own
        at = self.sent_at
        return [row._replace(sr_id=self.sr_id, book=self.book, captured_at=at) for row in self.odds.rows]


def _parsed(book: Book, payload: Any, *, with_fields: bool = True, sr_id: int = SR) -> EventOdds:
    parsed = parse_body(book, orjson.dumps(payload), sr_id=sr_id, captured_at=HOUR, with_fields=with_fields)
    assert isinstance(parsed, EventOdds), parsed
    return parsed


def _store(conn: psycopg.Connection, results: list[_Result], batch: str = "run-1") -> None:
    store_capture_cycle(conn, results, HOUR, {}, batch_id=batch, site_country="ng")


def test_uof_outcomes_count_only_uof_keys(warehouse_conn: psycopg.Connection) -> None:
    parsed = _parsed(Book.BETPAWA, captured("betpawa", "v3_event_sr68995116_prematch.json"))
    uof_ids = {m.market_id for m in uof_markets()}
    open_markets = [row.market for row in parsed.rows if row.state == "open"]
    under_uof = sum(m in uof_ids for m in open_markets)
    assert len(open_markets) == parsed.mapped_outcomes  # every open keyed outcome is a row
    assert under_uof < parsed.mapped_outcomes, "the capture should hold keys that are not UOF's"
    _store(warehouse_conn, [_Result(SR, Book.BETPAWA, "ok", HOUR, odds=parsed)])
    row = warehouse_conn.execute(
        "SELECT uof_outcomes, canonical_outcomes, mapped_outcomes FROM analytics.odds_captures"
    ).fetchone()
    assert row is not None
    assert row[0] == under_uof
    assert row[1] == parsed.mapped_outcomes - under_uof - parsed.native_outcomes - parsed.composed_outcomes


def test_set_aside_and_suspect_outcomes_are_logged(warehouse_conn: psycopg.Connection) -> None:
    payload = fixture("betpawa", "event_33289995")
    parsed = replace(_parsed(Book.BETPAWA, payload), set_aside_outcomes=3, suspect_outcomes=2, suspects=())
    _store(warehouse_conn, [_Result(SR, Book.BETPAWA, "ok", HOUR, odds=parsed)])
    assert warehouse_conn.execute(
        "SELECT set_aside_outcomes, suspect_outcomes FROM analytics.odds_captures"
    ).fetchone() == (3, 2)


def test_new_payload_fields_are_named_once_after_the_baseline(warehouse_conn: psycopg.Connection) -> None:
    payload = fixture("betpawa", "event_33289995")
    first = _parsed(Book.BETPAWA, payload)
    assert first.field_paths and "markets[].row[].prices[].odds" in first.field_paths
    _store(warehouse_conn, [_Result(SR, Book.BETPAWA, "ok", HOUR, odds=first)])
    # The book's first capture ever is the baseline: nothing in it is new.
    assert warehouse_conn.execute("SELECT new_fields FROM core.odds_captures").fetchone() == ([],)
    stored = {p for (p,) in warehouse_conn.execute("SELECT path FROM core.payload_fields").fetchall()}
    assert stored == set(first.field_paths)

    changed = copy.deepcopy(payload)
    changed["markets"][0]["row"][0]["prices"][0]["unit"] = "quarter"
    changed["markets"][0]["row"][0]["lineInfo"] = {"scale": 4}
    later = HOUR + timedelta(minutes=5)
    again = HOUR + timedelta(minutes=6)
    other = copy.deepcopy(changed)  # the same answer for the next match
    for widget in other["widgets"]:
        widget["id"] = str(SR + 1) if widget["type"] == "SPORTRADAR" else widget["id"]
    _store(
        warehouse_conn,
        [
            _Result(SR, Book.BETPAWA, "ok", later, odds=_parsed(Book.BETPAWA, changed)),
            _Result(SR + 1, Book.BETPAWA, "ok", again, odds=_parsed(Book.BETPAWA, other, sr_id=SR + 1)),
            _Result(
                SR + 2, Book.BETPAWA, "ok", again, odds=_parsed(Book.BETPAWA, changed, with_fields=False)
            ),
        ],
        batch="run-2",
    )
    new = dict(
        warehouse_conn.execute(
            "SELECT sr_id, new_fields FROM core.odds_captures WHERE batch_id = 'run-2'"
        ).fetchall()
    )
    expected = ["markets[].row[].lineInfo.scale", "markets[].row[].prices[].unit"]
    assert new == {SR: expected, SR + 1: [], SR + 2: None}  # first shown by SR's capture; one not looked at
    assert warehouse_conn.execute(
        "SELECT path, first_seen_at, first_sr_id FROM core.payload_fields WHERE path = ANY(%s) ORDER BY path",
        (expected,),
    ).fetchall() == [(path, later, SR) for path in expected]
    assert warehouse_conn.execute(
        "SELECT new_fields FROM analytics.key_health WHERE book = 'betpawa'"
    ).fetchone() == (expected,)


def _counted(parsed: EventOdds, open_outcomes: int, mapped: int, set_aside: int, suspect: int) -> EventOdds:
    return replace(
        parsed,
        open_outcomes=open_outcomes,
        mapped_outcomes=mapped,
        set_aside_outcomes=set_aside,
        suspect_outcomes=suspect,
        suspects=(),
    )


def test_key_health_is_the_hours_captures_summed_whole(warehouse_conn: psycopg.Connection) -> None:
    base = _parsed(Book.BETPAWA, fixture("betpawa", "event_33289995"), with_fields=False)
    at = [HOUR + timedelta(minutes=m) for m in (1, 40, 61)]
    _store(
        warehouse_conn,
        [
            _Result(SR, Book.BETPAWA, "ok", at[0], odds=_counted(base, 100, 90, 4, 9)),
            _Result(SR, Book.SPORTYBET, "ok", at[0], odds=_counted(base, 200, 200, 0, 0)),
            _Result(SR, Book.BET9JA, "failed", at[0], reason="http 503"),
        ],
    )
    _store(
        warehouse_conn,
        [
            _Result(SR + 1, Book.BETPAWA, "ok", at[1], odds=_counted(base, 50, 30, 10, 6)),
            _Result(SR + 2, Book.BETPAWA, "ok", at[2], odds=_counted(base, 10, 10, 0, 0)),
        ],
        batch="run-2",
    )
    query = (
        "SELECT book, hour, captures, open_outcomes, keyed_outcomes, set_aside_outcomes, suspect_outcomes, "
        "keyed_share, set_aside_share, suspect_share FROM analytics.key_health ORDER BY book, hour"
    )
    expected = [
        ("betpawa", HOUR, 2, 150, 120, 14, 15, 120 / 150, 14 / 150, 15 / 120),
        ("betpawa", HOUR + timedelta(hours=1), 1, 10, 10, 0, 0, 1.0, 0.0, 0.0),
        ("sportybet", HOUR, 1, 200, 200, 0, 0, 1.0, 0.0, 0.0),
    ]
    rows = warehouse_conn.execute(query).fetchall()
    assert [r[:7] for r in rows] == [e[:7] for e in expected]
    for row, want in zip(rows, expected, strict=True):
        assert row[7:] == pytest.approx(want[7:])
    # Storing a capture again recomputes its hour to the same figures.
    _store(
        warehouse_conn,
        [_Result(SR + 1, Book.BETPAWA, "ok", at[1], odds=_counted(base, 50, 30, 10, 6))],
        batch="run-2",
    )
    assert warehouse_conn.execute(query).fetchall() == rows
