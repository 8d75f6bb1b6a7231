"""A list answer with fewer events than the book's own counts holds its sport's withdrawals, over real
sockets against the sandbox: half of each answer gone is not half of the catalogue withdrawn."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.catalogue import CatalogueScrape, scrape_catalogue
from palimpsest_pipeline_tests.fixtures_sandbox import FaultSetter, fast_book_settings
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_pipeline_tests.scrape.every_book import BOOKS_WITHOUT_COUNTS
from palimpsest_sandbox.server import SandboxHandle

SPORTS = ["football", "basketball", "tennis"]


def _scrape(sandbox: SandboxHandle, book: Book) -> CatalogueScrape:
    settings = fast_book_settings(sandbox)[book]
    return asyncio.run(
        scrape_catalogue(book, settings, sports=SPORTS, horizon=timedelta(days=14), now=sandbox.now())
    )


@pytest.mark.parametrize("book", list(NIGERIA_BOOKS))
def test_a_clean_list_holds_nothing(sandbox: SandboxHandle, book: Book) -> None:
    scrape = _scrape(sandbox, book)
    assert scrape.status == "ok" and scrape.held_sports == {}, scrape.warnings


@pytest.mark.parametrize("book", [book for book in NIGERIA_BOOKS if book not in BOOKS_WITHOUT_COUNTS])
def test_answers_shorter_than_the_books_counts_hold_their_sports(
    sandbox: SandboxHandle, sandbox_faults: FaultSetter, book: Book
) -> None:
    sandbox_faults(book, shrunken_catalogue=1.0)
    scrape = _scrape(sandbox, book)
    assert "football" in scrape.held_sports, scrape.warnings
    assert scrape.complete  # every page was read: only the counts say something is missing


@pytest.mark.parametrize("book", sorted(BOOKS_WITHOUT_COUNTS & set(NIGERIA_BOOKS)))
def test_a_short_answer_of_a_book_without_counts_reads_as_complete(
    sandbox: SandboxHandle, sandbox_faults: FaultSetter, book: Book
) -> None:
    whole = _scrape(sandbox, book)
    sandbox_faults(book, shrunken_catalogue=1.0)
    scrape = _scrape(sandbox, book)
    # a halved answer lists no event the world does not (MSport's cursor may serve the rest again)
    assert scrape.events and {e.event_id for e in scrape.events} <= {e.event_id for e in whole.events}
    assert scrape.status == "ok" and scrape.complete and scrape.held_sports == {}
