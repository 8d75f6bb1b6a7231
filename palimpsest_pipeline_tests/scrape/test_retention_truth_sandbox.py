"""The retention truth's prematch side at full depth (``retention_truth.prematch_truth``) against what the
pipeline reads open from each Nigerian book's event detail over real sockets: the key markets' outcomes and
odds agree, Bet9ja's "Half 1st Goal: No Goal" (under 0.5 goals) included where its main lines lack it (the
outcome that kept total goals in a chaos-cell row the truth had judged dropped)."""

from __future__ import annotations

import asyncio

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.odds.engine import capture_odds
from palimpsest_pipeline.scrape.odds.model import CaptureTarget
from palimpsest_pipeline.transforms.market_retention import KEY_MARKETS
from palimpsest_pipeline_tests.fixtures_sandbox import fast_book_settings, sandbox_test_config
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_pipeline_tests.retention_truth import NO_GOAL, prematch_truth
from palimpsest_sandbox import SandboxHandle
from palimpsest_sandbox.markets import book_prices

MATCHES = 12


def test_the_key_markets_read_prematch_at_full_depth_are_the_truths(deep_sandbox: SandboxHandle) -> None:
    sandbox = deep_sandbox
    config = sandbox_test_config(size=120, depth_scale=1.0)  # the deep sandbox's world
    at = sandbox.now()
    events = [
        e
        for e in sandbox.world.listed_events(Book.BET9JA, at, sport="football")
        if e.kickoff > at and e.visible_sr_id(Book.BET9JA)
    ][:MATCHES]
    targets = [
        CaptureTarget(e.sr_id, e.kickoff, {b: e.event_id(b) for b in NIGERIA_BOOKS if b in e.listings})
        for e in events
    ]
    capture = asyncio.run(capture_odds(targets, fast_book_settings(sandbox), now=at))
    judged: dict[Book, int] = {}
    no_goal_from_the_family = 0
    for event in events:
        for book, result in capture.results[event.sr_id].items():
            if result.status != "ok":
                continue
            read = {
                (r.market, r.specifier, r.outcome): r.price
                for r in result.rows()
                if r.state == "open" and r.market in KEY_MARKETS
            }
            truth = {
                k: odds for k, odds in prematch_truth(event, book, at, config).items() if k[0] in KEY_MARKETS
            }
            assert read == truth, (event.sr_id, book, set(read) ^ set(truth))
            judged[book] = judged.get(book, 0) + 1
            if book is Book.BET9JA and NO_GOAL in read:
                version = event.price_version(book, at, config.reprice_scale)
                main = book_prices(book, event.match_seed, version, "football", event.depth(book))
                no_goal_from_the_family += NO_GOAL not in main
    assert set(judged) == set(NIGERIA_BOOKS), judged
    assert no_goal_from_the_family  # the case the chaos cell met is here: the check is not vacuous
