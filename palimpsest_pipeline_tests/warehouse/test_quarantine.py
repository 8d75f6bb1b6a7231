"""Hostile values cost their row (or that event on that book), never the batch; what is set aside is recorded.

Every expectation here is written by hand: which rows must be stored, which set aside, with which kind.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import psycopg
import pytest

from palimpsest_pipeline.records import Book, OddsRow
from palimpsest_pipeline.warehouse.catalogue_store import store_catalogue
from palimpsest_pipeline.warehouse.odds_store import store_odds
from palimpsest_pipeline.warehouse.quarantine import MAX_ID_CHARS, MAX_NAME_CHARS, MAX_SPECIFIER_CHARS
from palimpsest_pipeline_tests.warehouse.stored import start_batch
from palimpsest_pipeline_tests.warehouse.test_catalogue_store import LATER, NOW, TODAY, TOMORROW, event

VERBATIM = [
    'O\'Higgins "B"',
    "Back\\slash FC",
    "⚽ Flamengo 🇧🇷",
    "الأهلي",  # right-to-left
    "Ñandú Zoë e\u0301",  # combining acute accent
]


@pytest.fixture
def conn(warehouse_conn: psycopg.Connection) -> psycopg.Connection:
    start_batch(warehouse_conn, started_at=NOW, batch_id="batch-q", site_country="ng")
    return warehouse_conn


def _store_events(conn: psycopg.Connection, events: list) -> object:
    return store_catalogue(
        conn, book=Book.BETPAWA, tournaments=[], events=events, dates=[TODAY, TOMORROW],
        captured_at=NOW, batch_id="batch-q", complete=True, site_country="ng",
    )  # fmt: skip


def _quarantine(conn: psycopg.Connection) -> list[tuple[object, ...]]:
    return conn.execute(
        "SELECT stage, book, kind, sr_id, event_id FROM core.quarantined_rows ORDER BY kind, event_id"
    ).fetchall()


def test_hostile_listings_cost_only_themselves(conn: psycopg.Connection) -> None:
    good = [replace(event(f"g{i}", 100 + i, LATER), home=name) for i, name in enumerate(VERBATIM)]
    nul = replace(event("nul", 200, LATER), home="Wuhan\x00 Three Towns")
    long_name = replace(event("long", 201, LATER), away="x" * (MAX_NAME_CHARS + 1))
    long_id = event("i" * (MAX_ID_CHARS + 1), 202, LATER)
    twin_a, twin_b = event("twin", 203, LATER), replace(event("twin", 203, LATER), home="Other")
    sr_twice = event("zz-second", 100, LATER)  # SR id 100 is g0's
    _store_events(conn, [*good, nul, long_name, long_id, twin_a, twin_b, sr_twice])
    stored = dict(conn.execute("SELECT event_id, home FROM core.events").fetchall())
    assert stored == {**{f"g{i}": name for i, name in enumerate(VERBATIM)}, "nul": "Wuhan Three Towns"}
    kinds = [(kind, event_id) for _stage, _book, kind, _sr, event_id in _quarantine(conn)]
    assert kinds == [
        ("bad_id", "i" * MAX_ID_CHARS),
        ("conflicting_duplicate", "twin"),
        ("nul_removed", "nul"),
        ("sr_id_listed_twice", "zz-second"),
        ("too_long", "long"),
    ]
    # the same batch stored again records nothing twice
    _store_events(conn, [*good, nul, long_name, long_id, twin_a, twin_b, sr_twice])
    assert len(_quarantine(conn)) == 5


T = datetime(2026, 5, 6, 10, 0, tzinfo=UTC)
SR, OTHER = 68995116, 68995117


def _row(sr_id: int, outcome: int, price: float | None, **kw: object) -> OddsRow:
    return OddsRow(sr_id, Book.SPORTYBET, kw.get("market", 1), kw.get("spec", ""), outcome, price, "open", T)  # type: ignore[arg-type]


def test_hostile_odds_rows_cost_only_themselves(warehouse_conn: psycopg.Connection) -> None:
    rows = [
        _row(SR, 1, 2.4),
        _row(SR, 2, 3.3),
        _row(SR, 2, 3.3),  # the same twice: collapses
        _row(SR, 3, 2.9),
        _row(SR, 3, 3.1),  # the same outcome at two prices: neither can be trusted
        _row(SR, 1, 1.0, market=18, spec="total=2.5"),  # not odds
        _row(SR, 2, float("nan"), market=18, spec="total=2.5"),
        _row(SR, 1, 1.9, market=29, spec="x" * (MAX_SPECIFIER_CHARS + 1)),
        _row(OTHER, 1, 1.5),  # another event of the batch is untouched
    ]
    captured = {(SR, Book.SPORTYBET): T, (OTHER, Book.SPORTYBET): T}
    stats = store_odds(warehouse_conn, rows, captured=captured, batch_id="odds-q", site_country="ng")
    current = warehouse_conn.execute(
        "SELECT sr_id, market, outcome, price FROM core.odds_current ORDER BY 1, 2, 3"
    ).fetchall()
    assert current == [(SR, 1, 1, 2.4), (SR, 1, 2, 3.3), (OTHER, 1, 1, 1.5)]
    kinds = sorted(kind for _s, _b, kind, _sr, _e in _quarantine(warehouse_conn))
    assert kinds == ["bad_price", "bad_price", "bad_specifier", "conflicting_duplicate"]
    assert len(stats.quarantined) == 4
    store_odds(warehouse_conn, rows, captured=captured, batch_id="odds-q", site_country="ng")  # idempotent
    assert len(_quarantine(warehouse_conn)) == 4


def test_numbers_beyond_their_columns_cost_only_their_listing(conn: psycopg.Connection) -> None:
    """An SR or Genius id past bigint, or an event count past integer, would abort the COPY of the whole book:
    parsers take any run of digits ("sr:match:99999999999999999999" is a valid-looking id)."""
    from palimpsest_pipeline_tests.warehouse.test_catalogue_store import tournament

    good = event("good", 300, LATER)
    huge_sr = event("huge-sr", 2**63, LATER)
    huge_genius = replace(event("huge-genius", 301, LATER), genius_id=2**64)
    counted = tournament("t-ok")
    overcounted = replace(tournament("t-huge"), event_count=2**31)
    store_catalogue(
        conn, book=Book.BETPAWA, tournaments=[counted, overcounted],
        events=[good, huge_sr, huge_genius], dates=[TODAY, TOMORROW],
        captured_at=NOW, batch_id="batch-q", complete=True, site_country="ng",
    )  # fmt: skip
    assert {r[0] for r in conn.execute("SELECT event_id FROM core.events").fetchall()} == {"good"}
    tournaments = dict(conn.execute("SELECT tournament_id, event_count FROM core.tournaments").fetchall())
    # the count is what the book claims, not part of the listing's identity: the tournament is kept without it
    assert tournaments == {"t-ok": 3, "t-huge": None}
    kinds = sorted((kind, event_id) for _s, _b, kind, _sr, event_id in _quarantine(conn))
    assert kinds == [
        ("bad_id", "huge-genius"),
        ("bad_id", "huge-sr"),
        ("bad_number", "t-huge"),
    ]


def test_market_or_outcome_beyond_integer_costs_only_its_row(warehouse_conn: psycopg.Connection) -> None:
    """SportyBet keys any all-digit market id, and any all-digit outcome tail, under itself: a hostile
    "99999999999" would abort the COPY of the whole batch (market and outcome are integer columns)."""
    rows = [
        _row(SR, 1, 2.4),
        _row(SR, 2**31, 2.0),
        _row(SR, 1, 2.0, market=2**31),
        _row(OTHER, 1, 1.5),
    ]
    captured = {(SR, Book.SPORTYBET): T, (OTHER, Book.SPORTYBET): T}
    stats = store_odds(warehouse_conn, rows, captured=captured, batch_id="odds-big", site_country="ng")
    current = warehouse_conn.execute(
        "SELECT sr_id, market, outcome, price FROM core.odds_current ORDER BY 1, 2, 3"
    ).fetchall()
    assert current == [(SR, 1, 1, 2.4), (OTHER, 1, 1, 1.5)]
    kinds = sorted(kind for _s, _b, kind, _sr, _e in _quarantine(warehouse_conn))
    assert kinds == ["bad_id", "bad_id"]
    assert len(stats.quarantined) == 2
