"""The sandbox world's truth for market retention into live, shared by the retention test and the chaos
run's live cell: what a book priced openly prematch at a capture's instant (``markets.book_prices``, with the
key-market outcome Bet9ja's "Half 1st Goal" carries at depth, and the books' own early-payout 1X2s, never
live), what it showed open in play at the poll that took a live snapshot (``live_coverage.live_lines`` less
its suspended lines, spells forced through the control API included), and a stored
``analytics.market_retention`` row judged figure by figure against them."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import psycopg

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.odds.engine import capture_odds
from palimpsest_pipeline.scrape.odds.model import CaptureResult, CaptureTarget
from palimpsest_pipeline.transforms.market_retention import KEY_MARKETS, MOVED_SHARE
from palimpsest_pipeline.warehouse.capture_log import store_capture_cycle
from palimpsest_sandbox import SandboxHandle, WorldEvent
from palimpsest_sandbox.books.bet9ja.families import HALF_FIRST_GOAL_FROM_DEPTH
from palimpsest_sandbox.books.bet9ja.markets import render as render_bet9ja
from palimpsest_sandbox.books.betway.markets import THREE_UP_DEPTH
from palimpsest_sandbox.config import SandboxConfig
from palimpsest_sandbox.live_coverage import FORCED_SUSPENSIONS, ForcedSuspensions, live_lines
from palimpsest_sandbox.markets import book_prices

#: When the prematch captures are taken before a kick-off: inside each snapshot's reach (T-60, T-15, T-1).
PREMATCH_AT = {"T-60": timedelta(minutes=61), "T-15": timedelta(minutes=16), "T-1": timedelta(seconds=90)}
Key = tuple[int, str, int]
#: A stored row's columns, in the order ``read_retention`` returns them.
ROW_COLUMNS = (
    "sr_id", "book", "prematch_snapshot", "live_snapshot", "market_types_kept", "lines_kept",
    "selections_kept", "key_markets_offered", "key_markets_dropped", "market_types_prematch",
    "selections_prematch", "prematch_captured_at", "prices_compared", "prices_moved",
)  # fmt: skip
#: The books whose prematch lists are the main markets and, on football, their own early-payout 1X2s at
#: every depth (goals up listed -> canonical market types, selections); the others add deep families
#: (players, extras, Bet9ja's families) the truth does not model above depth 0.
EARLY_PAYOUT_BOOKS = {Book.MSPORT: (1, 2), Book.BETWAY: (1, 2), Book.BETIKA: ()}
#: Bet9ja's "Half 1st Goal" (football, from its event depth): its "No Goal" is under 0.5 goals, a total
#: goals outcome (a key market) the main-market prices may lack; its payload key.
NO_GOAL: Key = (18, "total=0.5", 13)
NO_GOAL_KEY = "S_1STGHT_NG"


def stamped(result: CaptureResult, at: datetime) -> CaptureResult:
    """``result`` as if captured at the world's instant ``at`` (the engine stamps the real clock)."""
    odds = result.odds
    if odds is not None:
        odds = replace(odds, rows=[row._replace(captured_at=at) for row in odds.rows])
    return replace(result, sent_at=at, received_at=at, odds=odds)


def capture_prematch(
    conn: psycopg.Connection,
    sandbox: SandboxHandle,
    settings: Any,
    targets: Sequence[CaptureTarget],
    at: datetime,
    batch: str,
) -> list[CaptureResult]:
    """Nigeria's prematch capture of the ``targets`` still to kick off, the sandbox's clock frozen at ``at``,
    stored as of ``at``; its results."""
    sandbox.set_clock(at, frozen=True)
    capture = asyncio.run(capture_odds([t for t in targets if t.kickoff > at], settings, now=at))
    results = [stamped(r, at) for by_book in capture.results.values() for r in by_book.values()]
    store_capture_cycle(conn, results, at, capture.unmapped, batch_id=batch, site_country="ng")
    return results


def prematch_truth(event: WorldEvent, book: Book, at: datetime, config: SandboxConfig) -> dict[Key, float]:
    """The outcomes ``book`` priced open at ``at``, with their odds, in the world ``config`` makes: the main
    markets', and where Bet9ja's "Half 1st Goal" lists a no-goal its main lines lack, that one (``NO_GOAL``)
    at the odds the book shows it."""
    version = event.price_version(book, at, config.reprice_scale)
    depth = event.depth(book) * config.depth_scale
    prices = book_prices(book, event.match_seed, version, event.sport, depth)
    truth = {key: odds for key, (odds, state) in prices.items() if state == "open" and odds is not None}
    if (
        book is Book.BET9JA
        and event.sport == "football"
        and depth >= HALF_FIRST_GOAL_FROM_DEPTH
        and NO_GOAL not in prices
    ):
        shown = render_bet9ja(event.match_seed, version, event.sport, depth)["O"][NO_GOAL_KEY]
        truth[NO_GOAL] = float(shown)
    return truth


def native_markets(event: WorldEvent, book: Book, config: SandboxConfig) -> tuple[int, int] | None:
    """The market types and selections ``book`` lists prematch of its own beyond the main markets, never
    live and counted offered: its early-payout 1X2s (one market type, three selections a line; Betway adds
    the three-goal line from ``THREE_UP_DEPTH``). None where the book lists deep families the truth does not
    hold (SportyBet, BetPawa and Bet9ja above depth 0), which leaves its offered totals judged only as at
    least the main markets'."""
    depth = event.depth(book) * config.depth_scale
    ups = EARLY_PAYOUT_BOOKS.get(book)
    if ups is None:
        return (0, 0) if depth == 0 else None
    if event.sport != "football" or not ups:
        return (0, 0)
    lines = len(ups) + (book is Book.BETWAY and depth >= THREE_UP_DEPTH)
    return (1, 3 * lines)


def live_truth(
    event: WorldEvent, book: Book, at: datetime, forced: ForcedSuspensions | None = None
) -> dict[Key, float]:
    """The outcomes ``book`` shows open in play at ``at``, with their odds (the spells ``forced`` through
    the control API held suspended)."""
    token = FORCED_SUSPENSIONS.set(forced)
    try:
        lines = live_lines(event, book, at)
    finally:
        FORCED_SUSPENSIONS.reset(token)
    return {
        (line.market, line.specifier, outcome): odds
        for line in lines
        if not line.suspended
        for outcome, odds in line.prices
        if odds is not None
    }


def read_retention(conn: psycopg.Connection) -> list[dict[str, Any]]:
    """Nigeria's stored retention rows."""
    rows = conn.execute(
        f"SELECT {', '.join(ROW_COLUMNS)} FROM analytics.market_retention WHERE site_country = 'ng'"
    ).fetchall()
    return [dict(zip(ROW_COLUMNS, row, strict=True)) for row in rows]


def row_mismatches(
    row: dict[str, Any],
    event: WorldEvent,
    taken_at: datetime,
    config: SandboxConfig,
    native: tuple[int, int] | None,
    judged: Sequence[str] | None = None,
    forced: ForcedSuspensions | None = None,
) -> list[str]:
    """The figures of a stored row that differ from the world's: the prematch side at its capture's instant,
    the live side at ``taken_at`` (the poll that took the snapshot). ``native``: the market types and
    selections the book lists of its own that are never live (counted offered); ``None`` when unknown, which
    judges the offered totals only as at least the main markets' (``native_markets``). ``judged``: the
    figures compared exactly (default every one).

    ``prematch_truth`` is the world's main-market truth (and the one deep outcome that is a key market's):
    the live boards list main markets only, so every kept figure, the prices compared and moved and the key
    markets are judged at any depth; the deep families some books add above depth 0 (player props, winning
    margins, goal-number markets) count only in their offered totals."""
    book = Book(row["book"])
    before = prematch_truth(event, book, row["prematch_captured_at"], config)
    after = live_truth(event, book, taken_at, forced)
    both = before.keys() & after.keys()
    key_offered = {KEY_MARKETS[m] for m, _, _ in before if m in KEY_MARKETS}
    key_kept = {KEY_MARKETS[m] for m, _, _ in both if m in KEY_MARKETS}
    expected: dict[str, object] = {
        "market_types_kept": len({k[0] for k in both}),
        "lines_kept": len({k[:2] for k in both}),
        "selections_kept": len(both),
        "key_markets_offered": sorted(key_offered),
        "key_markets_dropped": sorted(key_offered - key_kept),
        "prices_compared": len(both),
        "prices_moved": sum(abs(after[k] / before[k] - 1) >= MOVED_SHARE for k in both),
    }
    found = {**row, "key_markets_offered": sorted(row["key_markets_offered"])}
    found["key_markets_dropped"] = sorted(row["key_markets_dropped"])
    offered = {"market_types_prematch": len({k[0] for k in before}), "selections_prematch": len(before)}
    if native is not None:
        expected["market_types_prematch"] = offered["market_types_prematch"] + native[0]
        expected["selections_prematch"] = offered["selections_prematch"] + native[1]
    names = expected if judged is None else judged
    wrong = [name for name in names if found[name] != expected[name]]
    if native is None:  # the deep families add to the main markets, never take from them
        wrong += [f"{name} under the main markets'" for name, n in offered.items() if found[name] < n]
    return wrong
