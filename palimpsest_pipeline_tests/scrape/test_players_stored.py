"""Players resolved against every roster an event has shown, through the real store (Postgres).

Real BetPawa and SportyBet answers of Wuhan v Qingdao: BetPawa names 49 goalscorers, SportyBet lists them
under their SportRadar ids. A clean capture stores both books' prices and SportyBet's roster; when SportyBet
then fails, BetPawa's players must stay current under the same ids at BetPawa's fresh prices (re-keyed from
the stored roster), and SportyBet's prices stay as they were. Where no roster at all resolves a name (rows
keyed before rosters were stored), the stored player prices are left open, not closed by the capture that
could not key them; other markets still close. The archive replay resolves each cycle as the capture did.
"""

from __future__ import annotations

import copy
import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import psycopg

from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.archive.odds_replay import _ReplayedCycle, _resolve_in_capture_order
from palimpsest_pipeline.scrape.odds.model import CaptureResult
from palimpsest_pipeline.scrape.odds.parsing import parse_body
from palimpsest_pipeline.scrape.odds.players import (
    NO_ROSTER,
    NOT_CAPTURED,
    UNRESOLVED_KIND,
    resolve_results,
)
from palimpsest_pipeline.warehouse.capture_stream import CaptureBatchStore, read_event_rosters
from palimpsest_pipeline_tests.books.payloads import captured

SR_ID = 68995116
T1 = datetime(2026, 5, 6, 10, 0, tzinfo=UTC)
T2 = T1 + timedelta(minutes=5)
T3 = T2 + timedelta(minutes=5)
ANYTIME = 40
ANYTIME_TYPE = "129108"  # BetPawa's Anytime Goalscorer
BTTS_TYPE = "3795"  # BetPawa's Both Teams To Score - FT
NAMED = 49  # goalscorers BetPawa names in this capture (test_players.py)


def _betpawa(*, bump: float = 0.0, without: str | None = None) -> dict[str, Any]:
    """BetPawa's real answer, its goalscorer prices raised by ``bump``, its market type ``without`` gone."""
    payload = copy.deepcopy(captured("betpawa", "v3_event_sr68995116_prematch.json"))
    payload["markets"] = [m for m in payload["markets"] if str(m["marketType"]["id"]) != without]
    for market in payload["markets"]:
        if str(market["marketType"]["id"]) == ANYTIME_TYPE:
            for row in market["row"]:
                for price in row["prices"]:
                    price["price"] = round(price["price"] + bump, 2)
    return payload


def _parsed(book: Book, payload: Any, at: datetime) -> EventOdds:
    parsed = parse_body(book, orjson.dumps(payload), sr_id=SR_ID, captured_at=at, with_fields=False)
    assert isinstance(parsed, EventOdds), parsed
    return parsed


def _ok(book: Book, odds: EventOdds, at: datetime) -> CaptureResult:
    return CaptureResult(SR_ID, book, "ok", "e", sent_at=at, received_at=at, odds=odds)


def _sportybet_failed(at: datetime) -> CaptureResult:
    return CaptureResult(SR_ID, Book.SPORTYBET, "failed", "e", sent_at=at, reason="body over the limit")


def _capture(
    conn: psycopg.Connection, by_book: dict[Book, CaptureResult], run: str, at: datetime
) -> dict[Book, CaptureResult]:
    """One event's capture as the engine completes and the stream stores it: the stored rosters read once,
    the players resolved, the results stored (prices and rosters in one transaction)."""
    known = frozenset(s.player for s in read_event_rosters(conn, [SR_ID], site_country="ng").get(SR_ID, ()))
    by_book = {**by_book, **resolve_results(by_book, known)}
    CaptureBatchStore(conn, batch_id=run, cycle_at=at, site_country="ng").write(list(by_book.values()))
    return by_book


def _current(conn: psycopg.Connection, book: Book) -> dict[tuple[int, str, int], tuple[float | None, str]]:
    rows = conn.execute(
        "SELECT market, specifier, outcome, price, state FROM core.odds_current "
        "WHERE sr_id = %s AND book = %s",
        (SR_ID, book.value),
    ).fetchall()
    return {(m, s, o): (p, state) for m, s, o, p, state in rows}


def _timeless(odds: EventOdds | None) -> EventOdds | None:
    """The parse less its CPU time (a measurement, not a result)."""
    return None if odds is None else dataclasses.replace(odds, cpu_s=0.0)


def _anytime(odds: EventOdds) -> dict[int, float | None]:
    return {row.outcome: row.price for row in odds.rows if row.market == ANYTIME}


def test_a_failed_sportybet_leaves_betpawas_players_current_at_betpawas_fresh_prices(
    warehouse_conn: psycopg.Connection,
) -> None:
    sportybet = _parsed(Book.SPORTYBET, captured("sportybet", "event_sr68995116_prematch.json"), T1)
    clean = _capture(
        warehouse_conn,
        {
            Book.BETPAWA: _ok(Book.BETPAWA, _parsed(Book.BETPAWA, _betpawa(), T1), T1),
            Book.SPORTYBET: _ok(Book.SPORTYBET, sportybet, T1),
        },
        "run-1",
        T1,
    )
    first = clean[Book.BETPAWA].odds
    assert first is not None and len(_anytime(first)) == NAMED and min(_anytime(first)) > 0
    roster = read_event_rosters(warehouse_conn, [SR_ID], site_country="ng")[SR_ID]
    assert {s.player for s in roster} == set(sportybet.roster) and {s.first_seen_at for s in roster} == {T1}
    sportybet_before = _current(warehouse_conn, Book.SPORTYBET)

    # SportyBet fails; BetPawa answers with every goalscorer 0.2 dearer
    fresh = _parsed(Book.BETPAWA, _betpawa(bump=0.2), T2)
    alone = {Book.BETPAWA: _ok(Book.BETPAWA, fresh, T2), Book.SPORTYBET: _sportybet_failed(T2)}
    unkeyed = resolve_results(alone)[Book.BETPAWA].odds  # this capture's rosters alone key nothing
    assert unkeyed is not None and _anytime(unkeyed) == {}
    # the reason names the book that gave no prices (its roster is what is missing)
    assert [reason for kind, reason in unkeyed.notes if kind == UNRESOLVED_KIND] == [
        f"betpawa: {NAMED} player outcome(s) set aside: {NO_ROSTER} ({NOT_CAPTURED}sportybet)"
    ]
    second = _capture(warehouse_conn, alone, "run-2", T2)[Book.BETPAWA].odds
    assert second is not None and second.set_aside_outcomes == fresh.set_aside_outcomes

    current = _current(warehouse_conn, Book.BETPAWA)
    expected = {sr: round(price + 0.2, 2) for sr, price in _anytime(first).items() if price is not None}
    assert len(expected) == NAMED
    assert {o: (p, s) for (m, _s, o), (p, s) in current.items() if m == ANYTIME} == {
        sr: (price, "open") for sr, price in expected.items()
    }
    assert _current(warehouse_conn, Book.SPORTYBET) == sportybet_before  # a failed answer changes nothing
    closed = warehouse_conn.execute(
        "SELECT count(*) FROM core.odds_history WHERE sr_id = %s AND state = 'closed'", (SR_ID,)
    ).fetchone()
    assert closed == (0,)

    # The same two cycles replayed from the archive, in capture order, resolve as the capture did.
    cycles = []
    for run, at, results in (
        ("run-1", T1, {Book.BETPAWA: _parsed(Book.BETPAWA, _betpawa(), T1), Book.SPORTYBET: sportybet}),
        ("run-2", T2, {Book.BETPAWA: _parsed(Book.BETPAWA, _betpawa(bump=0.2), T2)}),
    ):
        cycle = _ReplayedCycle(run, at)
        for book, odds in results.items():
            cycle.results[book] = _ok(book, odds, at)
        cycles.append(cycle)
    cycles[1].results[Book.SPORTYBET] = _sportybet_failed(T2)
    _resolve_in_capture_order(cycles, read_event_rosters(warehouse_conn, [SR_ID], site_country="ng")[SR_ID])
    replayed = [cycle.results[Book.BETPAWA].odds for cycle in cycles]
    assert [_timeless(odds) for odds in replayed] == [_timeless(first), _timeless(second)]


def test_a_replayed_cycle_does_not_use_a_roster_first_seen_after_it(
    warehouse_conn: psycopg.Connection,
) -> None:
    """Capture order: a cycle before SportyBet first listed the players keys none of BetPawa's, as live."""
    sportybet = _parsed(Book.SPORTYBET, captured("sportybet", "event_sr68995116_prematch.json"), T2)
    _capture(warehouse_conn, {Book.SPORTYBET: _ok(Book.SPORTYBET, sportybet, T2)}, "run-2", T2)
    early = _ReplayedCycle("run-1", T1)
    early.results[Book.BETPAWA] = _ok(Book.BETPAWA, _parsed(Book.BETPAWA, _betpawa(), T1), T1)
    later = _ReplayedCycle("run-3", T3)
    later.results[Book.BETPAWA] = _ok(Book.BETPAWA, _parsed(Book.BETPAWA, _betpawa(), T3), T3)
    _resolve_in_capture_order(
        [early, later], read_event_rosters(warehouse_conn, [SR_ID], site_country="ng")[SR_ID]
    )
    before, after = (c.results[Book.BETPAWA].odds for c in (early, later))
    assert before is not None and _anytime(before) == {}
    assert after is not None and len(_anytime(after)) == NAMED


def test_players_no_roster_keys_are_not_closed_by_the_capture_that_could_not_key_them(
    warehouse_conn: psycopg.Connection,
) -> None:
    sportybet = _parsed(Book.SPORTYBET, captured("sportybet", "event_sr68995116_prematch.json"), T1)
    _capture(
        warehouse_conn,
        {
            Book.BETPAWA: _ok(Book.BETPAWA, _parsed(Book.BETPAWA, _betpawa(), T1), T1),
            Book.SPORTYBET: _ok(Book.SPORTYBET, sportybet, T1),
        },
        "run-1",
        T1,
    )
    stored = _current(warehouse_conn, Book.BETPAWA)
    players = {key: value for key, value in stored.items() if key[0] == ANYTIME}
    assert len(players) == NAMED
    # the roster is gone (rows keyed before rosters were stored): no name resolves; BetPawa also drops BTTS
    warehouse_conn.execute("DELETE FROM core.event_rosters")
    full = _parsed(Book.BETPAWA, _betpawa(), T2)
    dropped = {(row.market, row.specifier, row.outcome) for row in full.rows}
    thinner = _parsed(Book.BETPAWA, _betpawa(bump=0.2, without=BTTS_TYPE), T2)
    dropped -= {(row.market, row.specifier, row.outcome) for row in thinner.rows}
    assert dropped and all(market != ANYTIME for market, _s, _o in dropped)
    result = _capture(
        warehouse_conn,
        {Book.BETPAWA: _ok(Book.BETPAWA, thinner, T2), Book.SPORTYBET: _sportybet_failed(T2)},
        "run-2",
        T2,
    )[Book.BETPAWA]
    assert result.odds is not None and result.odds.unread_lines == {(ANYTIME, "type=prematch")}
    assert any(kind == UNRESOLVED_KIND for kind, _reason in result.odds.notes)

    current = _current(warehouse_conn, Book.BETPAWA)
    assert {key: value for key, value in current.items() if key[0] == ANYTIME} == players  # as they were
    assert {key for key, (_p, state) in current.items() if state == "closed"} == dropped  # BTTS closes
