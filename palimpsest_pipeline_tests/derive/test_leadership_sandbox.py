"""Who moves first against the sandbox world's truth: leaders and lags within one capture cadence.

Three football matches of a small world of its own, in three tournaments, captured on every book every
CADENCE of sandbox time from 100 minutes before the first kick-off to the last (real sockets, the real parsers
and odds store; each capture stamped with the sandbox's instant, as the engine stamps real captures with the
real one).
The truth is the world's own ``book_lag`` (SportyBet first; Bet9ja a few minutes later; BetPawa later, or
far behind on one of the matches) and its prices (``book_prices``), never the code under test.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from palimpsest_pipeline.derive.leadership import rebuild_leadership
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline_tests.fixtures_sandbox import sandbox_test_config
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_pipeline_tests.sandbox_captures import capture_matches, world_matches
from palimpsest_sandbox import SandboxHandle, start_in_thread
from palimpsest_sandbox.markets import book_prices
from palimpsest_sandbox.markets.book_lags import book_lag
from palimpsest_sandbox.world_event import WorldEvent

pytestmark = pytest.mark.slow

#: Three matches of the world (seed 7, size 120) on every book, in three tournaments: BetPawa trails the first
#: by 47.6 minutes (past the window), the others by 9.5 and 11.9; Bet9ja by 3.6, 4.5 and 4.9 minutes.
KICKOFFS = [datetime(2026, 5, 5, 17, 30, tzinfo=UTC), datetime(2026, 5, 5, 18, 0, tzinfo=UTC),
            datetime(2026, 5, 5, 18, 15, tzinfo=UTC)]  # fmt: skip
START = datetime(2026, 5, 5, 15, 50, tzinfo=UTC)
CADENCE = timedelta(minutes=3)
INSTANTS = [START + k * CADENCE for k in range(49)]  # to 18:14
WINDOW = timedelta(minutes=30)
DAY = KICKOFFS[0].date()


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxHandle]:
    """Main markets on balanced lines only (depth 0): the moves measured are the same, the bodies small."""
    with start_in_thread(sandbox_test_config(size=120, depth_scale=0.0)) as handle:
        yield handle


def _matches(sandbox: SandboxHandle) -> dict[int, WorldEvent]:
    matches = world_matches(sandbox, START, KICKOFFS)
    assert len({e.tournament.key for e in matches.values()}) == 3
    return matches


@pytest.fixture(scope="module")
def captured(sandbox: SandboxHandle, module_warehouse_url: str) -> Iterator[psycopg.Connection]:
    """The warehouse after a catalogue scrape at START and a capture of the three matches at each instant,
    then the leadership tables computed at the last one."""
    capture_matches(sandbox, module_warehouse_url, _matches(sandbox), DAY, INSTANTS, "leadership")
    with psycopg.connect(libpq_url(module_warehouse_url)) as conn:
        rebuild_leadership(conn, [DAY], INSTANTS[-1], WINDOW, "ng")
    with psycopg.connect(libpq_url(module_warehouse_url), autocommit=True) as conn:
        yield conn


def _rows(conn: psycopg.Connection, matches: dict[int, WorldEvent]) -> dict[int, dict[str, list[tuple]]]:
    """Per match and book: (market, moves, moves_led, moves_followed, median lag, missed, late) of its
    tournament (one chosen match per tournament)."""
    tournaments = conn.execute(
        "SELECT sr_id, tournament FROM analytics.matched_events WHERE sr_id = ANY(%s)", (list(matches),)
    ).fetchall()
    return {
        sr_id: {
            book.value: conn.execute(
                "SELECT market, moves, moves_led, moves_followed, median_follow_lag_minutes, moves_missed, "
                "moves_late FROM analytics.price_leadership "
                "WHERE kickoff_date = %s AND tournament = %s AND book = %s",
                (DAY, tournament, book.value),
            ).fetchall()
            for book in NIGERIA_BOOKS
        }
        for sr_id, tournament in tournaments
    }


def _weighted_median(values: list[tuple[float, int]]) -> float:
    ordered = sorted(values)
    half = sum(weight for _value, weight in ordered) / 2
    seen = 0
    for value, weight in ordered:
        seen += weight
        if seen >= half:
            return value
    raise ValueError("no values")


def test_sportybet_leads_and_each_follower_trails_by_its_lag_within_one_cadence(
    sandbox: SandboxHandle, captured: psycopg.Connection
) -> None:
    """Per market the median lag of a follower is within one cadence of its true lag on most markets (a book's
    coarser rounding can swallow a move, and its next one then matches an older move), and over the match's
    markets; a follower slower than the window follows nothing within it and copies late."""
    matches = _matches(sandbox)
    cadence = CADENCE.total_seconds() / 60
    for sr_id, books in _rows(captured, matches).items():
        seed = matches[sr_id].match_seed
        sportybet = books["sportybet"]
        moves = sum(r[1] for r in sportybet)
        assert moves >= 100, sr_id  # enough moves to judge
        assert sum(r[2] for r in sportybet) >= 0.85 * moves, sr_id  # it leads
        for book in (Book.BET9JA, Book.BETPAWA):
            truth = book_lag(book, seed).total_seconds() / 60
            rows = books[book.value]
            if truth > WINDOW.total_seconds() / 60:  # too slow: follows nothing within the window
                assert sum(r[3] for r in rows) == 0, (sr_id, book)
                assert sum(r[6] for r in rows) >= 10 and sum(r[5] for r in rows) >= 5, (sr_id, book)
                continue
            lags = [(r[4], r[3]) for r in rows if r[3]]
            assert sum(followed for _lag, followed in lags) >= 30, (sr_id, book)
            assert abs(_weighted_median(lags) - truth) < cadence, (sr_id, book, lags, truth)
            close = sum(followed for lag, followed in lags if abs(lag - truth) < cadence)
            assert close >= 0.8 * sum(followed for _lag, followed in lags), (sr_id, book, lags, truth)


def _quoted(event: WorldEvent, book: Book, at: datetime, key: tuple[int, str, int]) -> float | None:
    """The world's price of ``key`` on ``book`` at ``at`` (depth 0, as the sandbox serves it)."""
    prices = book_prices(book, event.match_seed, event.price_version(book, at), event.sport, 0.0)
    return prices[key][0]


def test_stale_vs_market_holds_betpawas_unmoved_price_against_the_competitors_moves_in_the_world(
    sandbox: SandboxHandle, captured: psycopg.Connection
) -> None:
    matches = _matches(sandbox)
    rows = captured.execute(
        "SELECT sr_id, market, specifier, outcome, price_betpawa, betpawa_since, direction, moved_books, "
        "sportybet_price_then, sportybet_price, bet9ja_price_then, bet9ja_price "
        "FROM analytics.stale_vs_market WHERE kickoff_date = %s",
        (DAY,),
    ).fetchall()
    assert len({row[0] for row in rows}) == 3
    for sr_id, market, specifier, outcome, betpawa, since, direction, moved, *prices in rows:
        event, key = matches[sr_id], (market, specifier, outcome)
        last = max(at for at in INSTANTS if at < event.kickoff)
        assert _quoted(event, Book.BETPAWA, since, key) == _quoted(event, Book.BETPAWA, last, key) == betpawa
        assert moved == ["bet9ja", "sportybet"]
        truth = [
            _quoted(event, book, at, key) for book in (Book.SPORTYBET, Book.BET9JA) for at in (since, last)
        ]
        assert prices == truth
        assert all((now > then) == (direction == "up") for then, now in (truth[:2], truth[2:]))
