"""Full catalogue scrapes of the sandbox, compared with its ground truth (``World.listed``)."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from palimpsest_pipeline.records import Book, Tournament
from palimpsest_pipeline.scrape.catalogue import CatalogueScrape
from palimpsest_pipeline_tests.fixtures_sandbox import SANDBOX_TEST_INSTANT, FaultSetter, fast_book_settings
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_pipeline_tests.scrape.every_book import BOOKS_WITHOUT_COUNTS, scrape_every_book
from palimpsest_sandbox import FaultConfig, SandboxHandle

pytestmark = pytest.mark.slow

SPORTS = ["football", "basketball", "tennis"]
HORIZON = timedelta(days=14)


def scrape(sandbox: SandboxHandle, **overrides: Any) -> dict[Book, CatalogueScrape]:
    return asyncio.run(
        scrape_every_book(
            fast_book_settings(sandbox, **overrides), sports=SPORTS, horizon=HORIZON, now=SANDBOX_TEST_INSTANT
        )
    )


def without_country(tournaments: list[Tournament]) -> set[Tournament]:
    return {replace(tournament, country=None) for tournament in tournaments}


def listed_tournaments(sandbox: SandboxHandle, book: Book) -> list[Tournament]:
    """The world's tournaments of ``book`` as its lists give them: no event count where they give none."""
    truth = sandbox.world.listed_tournaments(book, SANDBOX_TEST_INSTANT)
    return [replace(t, event_count=None) for t in truth] if book in BOOKS_WITHOUT_COUNTS else truth


def assert_matches_ground_truth(sandbox: SandboxHandle, result: CatalogueScrape) -> None:
    truth = sandbox.world.listed(result.book, SANDBOX_TEST_INSTANT)
    assert result.status == "ok" and result.complete, result.error_messages
    assert len(result.events) == len(truth)
    assert set(result.events) == set(truth)
    assert without_country(result.tournaments) == without_country(listed_tournaments(sandbox, result.book))


def test_the_world_lists_some_events_without_an_sr_id(sandbox: SandboxHandle) -> None:
    """What every book's scrape is held to (conformance/test_round_trip.py) includes events without one."""
    listed = [e for book in NIGERIA_BOOKS for e in sandbox.world.listed(book, SANDBOX_TEST_INSTANT)]
    assert any(e.sr_id is None for e in listed)


def test_one_book_down_leaves_the_others_ok(sandbox: SandboxHandle, sandbox_faults: FaultSetter) -> None:
    sandbox_faults(Book.SPORTYBET, fail_status=503)
    results = scrape(sandbox, max_attempts=2)
    down = results[Book.SPORTYBET]
    assert down.status == "failed" and not down.complete and down.events == []
    assert down.error_messages and all("HTTP 503" in message for message in down.error_messages)
    for book in (Book.BETPAWA, Book.BET9JA):
        assert_matches_ground_truth(sandbox, results[book])


def test_scrape_survives_the_books_misbehaving(sandbox: SandboxHandle, sandbox_faults: FaultSetter) -> None:
    faults = FaultConfig(
        throttle_429=0.015,
        throttle_403=0.01,
        retry_after_s=0,
        server_error=0.02,
        dropped_connection=0.015,
        truncated_json=0.01,
        html_block_page=0.01,
        error_envelope=0.01,
        empty_body=0.01,
    )
    for book in NIGERIA_BOOKS:
        sandbox_faults(book, faults)
    results = scrape(sandbox)
    for book in NIGERIA_BOOKS:
        assert_matches_ground_truth(sandbox, results[book])
    retried = sum(result.stats.attempts - result.stats.requests for result in results.values())
    assert retried > 0, "faults were injected, so some requests must have been retried"
