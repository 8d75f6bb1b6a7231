"""The capture path through the sandbox, with one book's Asian handicap -0.5 line priced the wrong way round
(its home and away prices swapped: the home win's price on the away side): the single-book checks catch it at
parse time (the same bet as the book's own 1X2 home win, priced apart), the store keeps it in
``core.market_suspects``, the comparison shows it in ``analytics.suspect_markets`` and leaves it out of best
price; and ``analytics.key_health`` holds, per book and hour, the sums of the captures' own accounts.

(The test world prices no correct score, so a line read in the wrong unit is bounded by the 1X2 alone; that
case is tested on hand-made markets in markets/test_market_checks.py.)"""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from dataclasses import replace
from datetime import timedelta
from typing import Any

import psycopg
import pytest

from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.derive.comparison import rebuild_comparison
from palimpsest_pipeline.markets.checks.verdicts import REASON_IDENTITY, REASON_UNITS
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.odds.engine import capture_odds
from palimpsest_pipeline.scrape.odds.parsing import parse_body
from palimpsest_pipeline.transforms.comparison_chunks import RangeSummary
from palimpsest_pipeline.warehouse.capture_log import store_capture_cycle
from palimpsest_pipeline.warehouse.key_health import capture_hour
from palimpsest_pipeline_tests.scrape.test_odds_sandbox import (
    INLINE,
    NOW,
    sandbox_settings,
    some_targets,
)
from palimpsest_pipeline_tests.warehouse.match_rows import insert_match
from palimpsest_sandbox import SandboxHandle

pytestmark = pytest.mark.slow

ASIAN = 16


def _swapped(body: bytes) -> tuple[bytes, set[str]]:
    """SportyBet's event with the home and away prices of its full-time Asian handicap -0.5 line swapped."""
    payload: dict[str, Any] = json.loads(body)
    swapped: set[str] = set()
    for market in payload["data"]["markets"]:
        if str(market.get("id")) == str(ASIAN) and market.get("specifier") == "hcp=-0.5":
            first, second = market["outcomes"][0], market["outcomes"][1]
            first["odds"], second["odds"] = second["odds"], first["odds"]
            swapped.add(market["specifier"])
    return json.dumps(payload).encode(), swapped


def _match(conn: psycopg.Connection, sr_id: int, kickoff: Any) -> None:
    insert_match(
        conn, sr_id, kickoff, {"betpawa": f"p{sr_id}", "sportybet": f"s{sr_id}", "bet9ja": f"b{sr_id}"}
    )


def test_a_line_priced_the_wrong_way_round_is_suspect_kept_and_out_of_best_price(
    sandbox: SandboxHandle, warehouse_conn: psycopg.Connection
) -> None:
    targets = some_targets(sandbox, everywhere=12, pairs=0)
    bodies: dict[tuple[Book, str], bytes] = {}

    def keep(book: Book, url: str, status: int, body: bytes, received_at: Any) -> None:
        bodies[(book, url)] = bytes(body)

    capture = asyncio.run(
        capture_odds(targets, sandbox_settings(sandbox), now=NOW, on_response=keep, options=INLINE)
    )
    victim = targets[0]
    result = capture.results[victim.sr_id][Book.SPORTYBET]
    body = next(b for (book, url), b in bodies.items() if book is Book.SPORTYBET and str(victim.sr_id) in url)
    mutated, scaled = _swapped(body)
    assert scaled, "the sandbox's SportyBet event should price the Asian handicap -0.5 line"
    assert result.sent_at is not None
    parsed = parse_body(Book.SPORTYBET, mutated, sr_id=victim.sr_id, captured_at=result.sent_at)
    assert isinstance(parsed, EventOdds)
    capture.results[victim.sr_id][Book.SPORTYBET] = replace(result, odds=parsed)
    assert {s.specifier for s in parsed.suspects if s.market == ASIAN} == scaled

    store_capture_cycle(
        warehouse_conn,
        capture.all_results(),
        capture.started_at,
        capture.unmapped,
        batch_id="run-1",
        site_country="ng",
    )
    for target in targets:
        _match(warehouse_conn, target.sr_id, target.kickoff)

    stored = warehouse_conn.execute(
        "SELECT sr_id, book, market, specifier, reason FROM core.market_suspects WHERE market = %s",
        (ASIAN,),
    ).fetchall()
    assert {(r[0], r[1], r[3]) for r in stored} == {(victim.sr_id, "sportybet", s) for s in scaled}
    assert {r[4] for r in stored} <= {REASON_UNITS, REASON_IDENTITY}

    days = sorted({t.kickoff.date() for t in targets})
    rebuild_comparison(
        warehouse_conn,
        days,
        NOW,
        summary=RangeSummary(margin_low=-0.05, margin_high=0.5, price_factor=1.5),
        tiers=[(timedelta(days=400), timedelta(days=400))],
        stale_factor=2.0,
        chunk_events=2,
        site_country="ng",
    )
    shown = warehouse_conn.execute(
        "SELECT specifier, reason, detail FROM analytics.suspect_markets "
        "WHERE sr_id = %s AND book = 'sportybet' AND market = %s",
        (victim.sr_id, ASIAN),
    ).fetchall()
    assert {r[0] for r in shown} == scaled and all(
        r[1] in (REASON_UNITS, REASON_IDENTITY) and r[2] for r in shown
    )
    compared = warehouse_conn.execute(
        "SELECT specifier, best_book, suspect_sportybet, price_sportybet FROM analytics.odds_comparison "
        "WHERE sr_id = %s AND market = %s AND specifier = ANY(%s)",
        (victim.sr_id, ASIAN, sorted(scaled)),
    ).fetchall()
    assert compared and all(r[2] and r[3] is not None for r in compared)  # kept and shown, flagged
    assert all(r[1] != "sportybet" for r in compared)  # never the best price

    # key_health: per book and hour, the sums of the captures' own accounts
    sums: dict[tuple[str, Any], list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for r in capture.all_results():
        if r.status == "ok" and r.odds is not None and r.sent_at is not None:
            into = sums[(r.book.value, capture_hour(r.sent_at))]
            odds = r.odds
            for i, value in enumerate(
                (1, odds.open_outcomes, odds.mapped_outcomes, odds.set_aside_outcomes, odds.suspect_outcomes)
            ):
                into[i] += value
    health = warehouse_conn.execute(
        "SELECT book, hour, captures, open_outcomes, keyed_outcomes, set_aside_outcomes, suspect_outcomes, "
        "keyed_share, suspect_share FROM analytics.key_health"
    ).fetchall()
    assert {(r[0], r[1]): list(r[2:7]) for r in health} == dict(sums)
    for _, _, _, open_outcomes, keyed, _, suspect, keyed_share, suspect_share in health:
        assert keyed_share == pytest.approx(keyed / open_outcomes)
        assert suspect_share == pytest.approx(suspect / keyed)
    assert sums[("sportybet", capture_hour(result.sent_at))][4] >= 2 * len(scaled)
