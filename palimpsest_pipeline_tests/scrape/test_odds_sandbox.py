"""Odds captures of the sandbox over real sockets: statuses, faults, throttling, parsing in a process pool."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from palimpsest_pipeline.books.settings import BookSettings
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.odds.engine import capture_odds
from palimpsest_pipeline.scrape.odds.model import CaptureOptions, CaptureTarget, OddsCapture
from palimpsest_pipeline_tests.fixtures_sandbox import SANDBOX_TEST_INSTANT, FaultSetter, fast_book_settings
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_pipeline_tests.scrape.every_book import targets_from_events
from palimpsest_sandbox import SandboxHandle

pytestmark = pytest.mark.slow

NOW = SANDBOX_TEST_INSTANT
INLINE = CaptureOptions(parse_workers=0)


def sandbox_settings(sandbox: SandboxHandle, **overrides: Any) -> dict[Book, BookSettings]:
    """The fast sandbox settings, with at most 8 requests in flight per book unless overridden."""
    return fast_book_settings(sandbox, **{"max_in_flight": 8, **overrides})


def world_targets(sandbox: SandboxHandle) -> list[CaptureTarget]:
    events = [event for book in NIGERIA_BOOKS for event in sandbox.world.listed(book, NOW)]
    return sorted(targets_from_events(events), key=lambda t: t.sr_id)


def some_targets(sandbox: SandboxHandle, everywhere: int = 12, pairs: int = 4) -> list[CaptureTarget]:
    """A few targets listed on every scraped book and a few listed on exactly two."""
    targets = world_targets(sandbox)
    on_all = [t for t in targets if len(t.listings) == len(NIGERIA_BOOKS)][:everywhere]
    on_two = [t for t in targets if len(t.listings) == 2][:pairs]
    assert len(on_all) == everywhere and len(on_two) == pairs, "the test world lists too few such events"
    return on_all + on_two


def capture(
    sandbox: SandboxHandle, targets: list[CaptureTarget], options: CaptureOptions = INLINE, **overrides: Any
) -> OddsCapture:
    return asyncio.run(
        capture_odds(targets, sandbox_settings(sandbox, **overrides), now=NOW, options=options)
    )


def test_every_listing_book_is_captured_and_the_others_are_not_listed(sandbox: SandboxHandle) -> None:
    targets = some_targets(sandbox)
    result = capture(sandbox, targets)
    assert set(result.results) == {t.sr_id for t in targets}
    for t in targets:
        by_book = result.results[t.sr_id]
        assert set(by_book) == set(NIGERIA_BOOKS)
        for book in NIGERIA_BOOKS:
            outcome = by_book[book]
            if book not in t.listings:
                assert outcome.status == "not_listed" and outcome.sent_at is None and outcome.odds is None
                continue
            assert outcome.status == "ok", outcome.reason
            assert outcome.event_id == t.listings[book]
            assert outcome.sent_at is not None and outcome.received_at is not None
            assert outcome.sent_at <= outcome.received_at
            rows = outcome.rows()
            assert rows, f"{book.value} event {outcome.event_id} gave no prices"
            assert {(r.sr_id, r.book, r.captured_at) for r in rows} == {(t.sr_id, book, outcome.sent_at)}
            assert (
                outcome.odds is not None
                and outcome.odds.mapped_outcomes > 0
                and len(outcome.odds) == len(rows)
            )
    stats = result.stats
    listed = {book: sum(book in t.listings for t in targets) for book in NIGERIA_BOOKS}
    for book in NIGERIA_BOOKS:
        assert stats[book].requests == stats[book].ok == listed[book]
        assert stats[book].not_listed == len(targets) - listed[book]
        assert stats[book].bytes_received > 0 and stats[book].rows > 0
        assert stats[book].latency_p50_ms is not None


def test_skew_is_computed_from_send_times(sandbox: SandboxHandle) -> None:
    result = capture(sandbox, some_targets(sandbox, everywhere=6, pairs=2))
    skews = result.skews_ms()
    assert set(skews) == set(result.results)
    for sr_id, skew in skews.items():
        sent = [r.sent_at for r in result.results[sr_id].values() if r.sent_at is not None]
        assert skew == pytest.approx((max(sent) - min(sent)).total_seconds() * 1000)
    summary = result.skew_summary()
    assert summary["events"] == len(skews) and summary["max_ms"] == pytest.approx(
        max(skews.values()), abs=1e-3
    )


def test_parsing_in_a_process_pool_gives_the_same_prices(deep_sandbox: SandboxHandle) -> None:
    sandbox = deep_sandbox  # the world at full depth: every family, players included
    targets = some_targets(sandbox, everywhere=3, pairs=1)
    inline = capture(sandbox, targets)
    pooled = capture(sandbox, targets, CaptureOptions(parse_workers=1))
    for t in targets:
        for book in t.listings:
            a, b = inline.results[t.sr_id][book], pooled.results[t.sr_id][book]
            assert a.status == b.status == "ok"
            strip = [(r.market, r.specifier, r.outcome, r.price, r.state) for r in a.rows()]
            assert strip == [(r.market, r.specifier, r.outcome, r.price, r.state) for r in b.rows()]
    assert sum(s.parse_cpu_s for s in pooled.stats.values()) > 0


def test_one_book_failing_every_request_leaves_the_others_ok(
    sandbox: SandboxHandle, sandbox_faults: FaultSetter
) -> None:
    sandbox_faults(Book.BET9JA, fail_status=503, retry_after_s=0)
    targets = some_targets(sandbox)
    result = capture(sandbox, targets, CaptureOptions(parse_workers=0, breaker_threshold=0), max_attempts=2)
    for t in targets:
        for book, outcome in result.results[t.sr_id].items():
            if book not in t.listings:
                assert outcome.status == "not_listed"
            elif book is Book.BET9JA:
                assert outcome.status == "failed" and outcome.odds is None
                assert outcome.error_kind == "status_503"
                assert outcome.reason and "HTTP 503" in outcome.reason and "2 attempts" in outcome.reason
            else:
                assert outcome.status == "ok", outcome.reason
    bet9ja = result.stats[Book.BET9JA]
    assert bet9ja.failed == bet9ja.requests and bet9ja.errors == {"status_503": 2 * bet9ja.requests}
    assert sandbox.served(Book.BET9JA, "GetEvent", "fail_status") == 2 * bet9ja.requests


def test_a_failing_book_is_left_out_once_the_breaker_opens(
    sandbox: SandboxHandle, sandbox_faults: FaultSetter
) -> None:
    sandbox_faults(Book.SPORTYBET, fail_status=500)
    targets = some_targets(sandbox, everywhere=16, pairs=0)
    options = CaptureOptions(parse_workers=0, breaker_threshold=3, breaker_cooldown_s=60)
    result = capture(sandbox, targets, options, max_attempts=1, max_in_flight=1)
    sporty = [result.results[t.sr_id][Book.SPORTYBET] for t in targets]
    assert all(r.status == "failed" for r in sporty)
    skipped = [r for r in sporty if r.error_kind == "skipped"]
    assert skipped and all(r.reason and "in a row" in r.reason and "HTTP 500" in r.reason for r in skipped)
    assert sandbox.served(Book.SPORTYBET, "event") == len(targets) - len(skipped) < len(targets)
    assert all(result.results[t.sr_id][Book.BETPAWA].status == "ok" for t in targets)


def test_captures_complete_through_throttling(sandbox: SandboxHandle, sandbox_faults: FaultSetter) -> None:
    for book in NIGERIA_BOOKS:
        sandbox_faults(book, throttle_429=0.3, retry_after_s=0)
    targets = some_targets(sandbox, everywhere=10, pairs=2)
    result = capture(sandbox, targets, max_attempts=10)
    assert all(r.status in ("ok", "not_listed") for r in result.all_results()), [
        r.reason for r in result.all_results() if r.status == "failed"
    ]
    throttled = sum(stats.throttled for stats in result.stats.values())
    assert throttled > 0 and throttled == sum(
        sandbox.served(book, outcome="throttle_429") for book in NIGERIA_BOOKS
    )


def test_events_that_left_a_book_are_gone(sandbox: SandboxHandle) -> None:
    unknown = CaptureTarget(
        99,
        NOW,
        {
            Book.BETPAWA: "99999999",
            Book.SPORTYBET: "sr:match:99999999",
            Book.BET9JA: "99999999",
            Book.MSPORT: "sr:match:99999999",
            Book.BETWAY: "99999999",
        },
    )
    result = capture(sandbox, [unknown], envelope_attempts=2)
    for book in NIGERIA_BOOKS:
        outcome = result.results[99][book]
        assert outcome.status == "gone" and outcome.error_kind == "not_found", outcome.reason
        assert outcome.sent_at is not None and outcome.odds is None
    assert result.stats[Book.BET9JA].gone == 1 and result.stats[Book.BET9JA].attempts == 2


def test_raw_answers_reach_the_on_response_hook(sandbox: SandboxHandle) -> None:
    seen: list[tuple[Book, int, int]] = []
    targets = some_targets(sandbox, everywhere=2, pairs=1)

    def hook(book: Book, url: str, status: int, body: bytes, received_at: Any) -> None:
        seen.append((book, status, len(body)))

    result = asyncio.run(
        capture_odds(targets, sandbox_settings(sandbox), now=NOW, on_response=hook, options=INLINE)
    )
    assert len(seen) == sum(len(t.listings) for t in targets)
    for book in NIGERIA_BOOKS:
        assert sum(size for b, _, size in seen if b is book) == result.stats[book].bytes_received


POOLED = CaptureOptions(parse_workers=1)


def test_an_error_envelope_decoded_in_a_parse_worker_fails_with_its_reason_after_retries(
    sandbox: SandboxHandle, sandbox_faults: FaultSetter
) -> None:
    # Bodies are decoded once, in the worker: the envelope's verdict still reaches the HTTP layer's retries.
    sandbox_faults(Book.SPORTYBET, error_envelope=1.0)
    targets = some_targets(sandbox, everywhere=3, pairs=0)
    options = CaptureOptions(parse_workers=1, breaker_threshold=0)
    result = capture(sandbox, targets, options, max_attempts=2, retry_after_cap_s=0, backoff_base_s=0)
    for t in targets:
        sporty = result.results[t.sr_id][Book.SPORTYBET]
        assert sporty.status == "failed" and sporty.error_kind == "envelope" and sporty.odds is None
        # the sandbox's throttling envelope: bizCode + message, as the book sends it
        assert sporty.reason and "error envelope: bizCode" in sporty.reason
        assert "Too many requests" in sporty.reason
        assert "2 attempts" in sporty.reason
        assert result.results[t.sr_id][Book.BETPAWA].status == "ok"
    stats = result.stats[Book.SPORTYBET]
    assert stats.throttled == 2 * len(targets) == sandbox.served(Book.SPORTYBET, "event", "error_envelope")


def test_events_that_left_a_book_are_gone_when_parsed_in_a_worker(sandbox: SandboxHandle) -> None:
    unknown = CaptureTarget(
        99,
        NOW,
        {
            Book.BETPAWA: "99999999",
            Book.SPORTYBET: "sr:match:99999999",
            Book.BET9JA: "99999999",
            Book.MSPORT: "sr:match:99999999",
            Book.BETWAY: "99999999",
        },
    )
    result = capture(sandbox, [unknown], POOLED, envelope_attempts=2)
    for book in NIGERIA_BOOKS:
        outcome = result.results[99][book]
        assert outcome.status == "gone" and outcome.error_kind == "not_found", outcome.reason
    # Bet9ja's "R": "E" is ambiguous: retried envelope_attempts times, then not found
    assert result.stats[Book.BET9JA].gone == 1 and result.stats[Book.BET9JA].attempts == 2
