"""The live snapshots' rules worked out by hand: which snapshot is due at a poll (the first live sighting or
the kick-off if later, plus 0, 2 or 5 minutes), which is missed (not taken within 90 s of its moment), and the
store's idempotence on a real warehouse (an ok snapshot never rewritten, a failed one replaced)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import polars as pl
import psycopg

from palimpsest_pipeline.records import Book, OddsRow
from palimpsest_pipeline.scrape.live_snapshots import due_snapshots, keep_one_per_outcome
from palimpsest_pipeline.warehouse.live_snapshot_store import TakenSnapshot, book_listings, write_snapshots

K = datetime(2026, 5, 4, 18, 0, tzinfo=UTC)
TS = pl.Datetime("us", "UTC")


def s(seconds: float) -> datetime:
    return K + timedelta(seconds=seconds)


def candidates(*rows: tuple[int, str, datetime, list[int]], watched: bool = True) -> pl.DataFrame:
    """(sr_id, book, first_live_at, done) rows, every one kicking off at K."""
    return pl.DataFrame(
        [
            {
                "sr_id": sr,
                "book": b,
                "event_id": f"{b}-{sr}",
                "kickoff": K,
                "first_live_at": at,
                "done": done,
                "watched": watched,
            }
            for sr, b, at, done in rows
        ],
        schema_overrides={"kickoff": TS, "first_live_at": TS, "done": pl.List(pl.Int16())},
    )


def due(frame: pl.DataFrame, now: datetime, books: tuple[Book, ...] = (Book.BETPAWA, Book.BET9JA)) -> tuple:
    take, missed = due_snapshots(frame, now, books)
    return (
        [(d.sr_id, d.book.value, d.snapshot, d.due_at) for d in take],
        [(d.sr_id, d.book.value, d.snapshot, d.due_at) for d in missed],
    )


def test_snapshots_come_due_from_the_first_sighting_or_the_kickoff_if_later() -> None:
    seen = candidates(
        (1, "betpawa", s(40), []),  # live 40 s after kick-off: +0 at 40 s
        (2, "bet9ja", s(-20), []),  # on the live list before kick-off: counted from the kick-off
        (3, "sportybet", s(10), []),  # a book the watch does not ask: never due
    )
    assert due(seen, s(40)) == ([(1, "betpawa", 0, s(40)), (2, "bet9ja", 0, K)], [])
    assert due(seen, s(39)) == ([(2, "bet9ja", 0, K)], [])


def test_a_snapshot_taken_is_not_due_again_and_one_past_90_s_is_missed() -> None:
    seen = candidates((1, "betpawa", s(40), [0]), (2, "bet9ja", K, []))
    # at 2:40: betpawa's +2 is due now; bet9ja's +0 (due at 0:00) is 160 s past: missed, its +2 due 40 s ago
    assert due(seen, s(160)) == (
        [(1, "betpawa", 2, s(160)), (2, "bet9ja", 2, s(120))],
        [(2, "bet9ja", 0, K)],
    )
    # exactly 90 s after its moment a snapshot is still taken
    assert due(candidates((1, "betpawa", K, [0, 2])), s(300 + 90)) == ([(1, "betpawa", 5, s(300))], [])


def test_a_sighting_that_is_not_the_start_misses_every_snapshot() -> None:
    """First seen live with no usable poll just before (the watch started mid-match): its +0 is unknown."""
    take, missed = due_snapshots(
        candidates((1, "betpawa", s(3_000), []), watched=False), s(3_400), (Book.BETPAWA,)
    )
    assert take == [] and [(d.snapshot, d.due_at) for d in missed] == [
        (0, s(3_000)),
        (2, s(3_120)),
        (5, s(3_300)),
    ]
    assert all(d.missed is not None and "unknown" in d.missed for d in missed)


def test_one_outcome_twice_at_two_prices_is_set_aside_and_a_placeholder_price_dropped() -> None:
    def row(outcome: int, price: float | None, state: str) -> OddsRow:
        return OddsRow(1, Book.BET9JA, 1, "", outcome, price, state, K)  # type: ignore[arg-type]

    kept, set_aside = keep_one_per_outcome(
        [row(1, 2.0, "open"), row(1, 2.0, "open"), row(2, 3.1, "open"), row(2, 3.2, "open"),
         row(3, 1.0, "suspended"), row(4, 1.0, "open")]
    )  # fmt: skip
    assert [(r.outcome, r.price, r.state) for r in kept] == [(1, 2.0, "open"), (3, None, "suspended")]
    assert set_aside == 2  # outcome 2 (two prices) and outcome 4 (open at odds 1: no decimal odds)


def _snap(status: str, snapshot: int = 0, *, rows: tuple[OddsRow, ...] = ()) -> TakenSnapshot:
    ok = status == "ok"
    return TakenSnapshot(
        7, Book.BETPAWA, snapshot, "e7", K, status, None if ok else f"{status} here", K if ok else None, rows
    )


def test_an_ok_snapshot_is_written_once_and_a_failed_one_replaced(warehouse_conn: psycopg.Connection) -> None:
    price = OddsRow(7, Book.BETPAWA, 1, "", 1, 2.5, "open", K)
    assert write_snapshots(warehouse_conn, "ng", [_snap("failed")]) == [7]
    assert write_snapshots(warehouse_conn, "ng", [_snap("ok", rows=(price,))]) == [7]  # replaces the failure
    assert write_snapshots(warehouse_conn, "ng", [_snap("failed"), _snap("ok", rows=(price,))]) == []
    stored = warehouse_conn.execute(
        "SELECT status, open_outcomes, suspended_outcomes FROM core.live_snapshots WHERE sr_id = 7"
    ).fetchall()
    assert stored == [("ok", 1, 0)]
    prices = warehouse_conn.execute("SELECT market, outcome, price, state FROM core.live_snapshot_prices")
    assert prices.fetchall() == [(1, 1, 2.5, "open")]
    assert write_snapshots(warehouse_conn, "gh", [_snap("missed", 5)]) == [7]  # another country's own row


def _listed(
    conn: psycopg.Connection, book: str, event_id: str, sr_id: int | None, genius_id: int | None
) -> None:
    conn.execute(
        "INSERT INTO core.events (book, event_id, sr_id, home, away, kickoff, tournament_id, tournament_name,"
        " sport, first_seen_at, last_seen_at, genius_id, site_country)"
        " VALUES (%s, %s, %s, 'H', 'A', %s, 't', 'Cup', 'football', %s, %s, %s, 'ng')",
        (book, event_id, sr_id, K, K - timedelta(days=1), K - timedelta(hours=1), genius_id),
    )


def test_a_listing_without_the_sr_id_is_reached_through_an_unambiguous_genius_id(
    warehouse_conn: psycopg.Connection,
) -> None:
    """BetPawa listing match 5 with only the Genius id 9 that SportyBet's row ties to SR 5: provider
    genius_sports; Bet9ja's Genius id 8 is tied to two SR ids (5 and 6): not reached, never guessed."""
    _listed(warehouse_conn, "sportybet", "s5", 5, 9)
    _listed(warehouse_conn, "betpawa", "p5", None, 9)
    _listed(warehouse_conn, "msport", "m5", 5, 8)
    _listed(warehouse_conn, "betway", "w6", 6, 8)
    _listed(warehouse_conn, "bet9ja", "b5", None, 8)
    found = book_listings(warehouse_conn, "ng", [5]).select("sr_id", "book", "event_id", "provider")
    assert sorted(found.rows()) == [
        (5, "betpawa", "p5", "genius_sports"),
        (5, "msport", "m5", "sportradar"),
        (5, "sportybet", "s5", "sportradar"),
    ]
