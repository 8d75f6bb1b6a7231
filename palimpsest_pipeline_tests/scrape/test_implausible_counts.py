"""A list announcing more than any real one holds is read within the bound, refused as suspect, and withdraws
nothing, over real sockets against the sandbox (``implausible_count``) and a real warehouse.

Before the bound, SportyBet's ``totalNum`` and BetPawa's ``UPCOMING`` counts decided how many pages were
fetched, one task each created up front: a count of 10^7 sent some 100,000 requests a sport, and one of
4.1 x 10^9 ran out of memory. The truth is the sandbox world's own listing and the bound the shared flow
documents (``books.adapter.MAX_LIST_PAGES``), never what the code under test counted.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta

import httpx
import psycopg
import pytest

from palimpsest_pipeline.books.adapter import MAX_LIST_EVENTS, MAX_LIST_PAGES
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.catalogue import CatalogueScrape, scrape_catalogue
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline_tests.fixtures_sandbox import FaultSetter, fast_book_settings, sandbox_test_config
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_pipeline_tests.scrape.sandbox_refresh import SPORTS, catalogue_refresher
from palimpsest_sandbox import answer_faults, start_in_thread
from palimpsest_sandbox.server import SandboxHandle

#: The most requests one scrape may send: every sport's list in ``MAX_LIST_PAGES`` pages, and its catalogue.
BOUND = len(SPORTS) * (MAX_LIST_PAGES + 1)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxHandle]:
    """A world smaller than the session's, main markets only: each scrape lists all of it, some twice."""
    with start_in_thread(sandbox_test_config(size=120, depth_scale=0.0)) as handle:
        yield handle


class RanAway(Exception):
    """A scrape sent more requests than any list allows (not a book's error: nothing catches it)."""


class Budget(httpx.AsyncBaseTransport):
    """The network to the sandbox, refused past ``budget`` requests: a scrape that runs away fails its test
    at once instead of sending its 100,000 requests."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.sent = 0
        self._network = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent += 1
        if self.sent > self.budget:
            raise RanAway(f"more than {self.budget} requests: the first past it {request.url}")
        return await self._network.handle_async_request(request)

    async def aclose(self) -> None:
        await self._network.aclose()


def _scrape(sandbox: SandboxHandle, book: Book) -> CatalogueScrape:
    settings = fast_book_settings(sandbox, [book])[book]

    scrape = scrape_catalogue(
        book,
        settings,
        sports=SPORTS,
        horizon=timedelta(days=14),
        now=sandbox.now(),
        transport=Budget(2 * BOUND),
    )  # the client closes the transport it was given
    return asyncio.run(scrape)


@pytest.mark.parametrize("count", [10_000_000, 4_100_000_000])
@pytest.mark.parametrize("book", [Book.SPORTYBET, Book.BETPAWA])
def test_a_count_past_any_real_list_is_read_within_the_bound_and_refused(
    sandbox: SandboxHandle, sandbox_faults: FaultSetter, book: Book, count: int
) -> None:
    clean = _scrape(sandbox, book)
    assert clean.status == "ok" and clean.events
    sandbox_faults(book, implausible_count=1.0, announced_count=count)
    scrape = _scrape(sandbox, book)
    assert sandbox.served(book, outcome="implausible_count") > 0  # the count reached the adapter
    assert scrape.stats.requests <= BOUND, scrape.stats
    # read as a list without a count: its pages to the end, no more than a clean scrape and two empty pages
    assert scrape.stats.requests <= clean.stats.requests + 2 * len(SPORTS), (clean.stats, scrape.stats)
    assert scrape.status == "suspect" and not scrape.complete
    [reason] = [m for m in scrape.error_messages if m.startswith("suspect:")]
    assert f"suspect: {book.value}: football:" in reason  # the book and the sport (the first counted)
    assert f"{count:,}" in reason and f"{MAX_LIST_EVENTS:,}" in reason  # the count and the bound
    assert set(SPORTS) <= scrape.held_sports.keys()  # every sport's list announced it: all held


def _live_of(warehouse_url: str, book: Book) -> tuple[set[str], set[str]]:
    """(live, withdrawn) event ids of ``book`` in the warehouse."""
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        rows = conn.execute(
            "SELECT event_id, deleted_at IS NOT NULL FROM core.events WHERE book = %s", (book.value,)
        ).fetchall()
    return {e for e, gone in rows if not gone}, {e for e, gone in rows if gone}


def _list_requests(sandbox: SandboxHandle, book: Book) -> int:
    return sum(sandbox.served(book, endpoint) for endpoint in answer_faults.LIST_ENDPOINTS)


@pytest.mark.parametrize("book", list(NIGERIA_BOOKS))
def test_every_book_refuses_a_list_past_any_real_one_and_withdraws_nothing(
    sandbox: SandboxHandle, warehouse_url: str, sandbox_faults: FaultSetter, book: Book
) -> None:
    """SportyBet's ``totalNum``, BetPawa's and Bet9ja's catalogue counts at 10^7, MSport's cursor never
    ending, Betway's first region listing 5,000 leagues: two refreshes in a row, each refused, nothing of the
    book withdrawn, and no list read in more than the bound's requests."""
    refresh = catalogue_refresher(sandbox, warehouse_url)
    assert refresh(book, "clean").scrape.status == "ok"
    live = _live_of(warehouse_url, book)[0]
    world = {
        e.event_id(book)
        for sport in SPORTS
        for e in sandbox.world.listed_events(book, sandbox.now(), sport=sport)
    }
    assert live == world
    sandbox_faults(book, implausible_count=1.0)
    for n in (1, 2):
        before = _list_requests(sandbox, book)
        refused = refresh(book, f"implausible-{n}")
        assert _list_requests(sandbox, book) - before <= len(SPORTS) * (MAX_LIST_PAGES + 2)
        assert refused.scrape.status == "suspect" and refused.stats.deleted == 0
        assert any(m.startswith(f"suspect: {book.value}: ") for m in refused.scrape.error_messages)
    assert sandbox.served(book, outcome="implausible_count") > 0
    assert _live_of(warehouse_url, book) == (world, set())
