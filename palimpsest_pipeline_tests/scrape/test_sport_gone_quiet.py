"""One sport gone quiet withdraws nothing (issue 33 item 1), over real sockets against the sandbox and a real
warehouse: a sport whose lists answer the book's well-formed empty shape while its catalogue still announces
events, twice in a row, is held and named stale; the rest of the book is refreshed and judged as usual.

The truth is the sandbox world's own listing (``World.listed_events``), never the code under test.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import orjson
import psycopg
import pytest

from palimpsest_pipeline.books.sports import sport_by_key
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline_tests.fixtures_sandbox import FaultSetter, sandbox_test_config
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_pipeline_tests.scrape.sandbox_refresh import SPORTS, catalogue_refresher
from palimpsest_sandbox import start_in_thread
from palimpsest_sandbox.server import SandboxHandle


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxHandle]:
    """The same world, smaller than the session's (each refresh lists all of it): every book still lists
    basketball and tennis in it (asserted by the tests); main markets only (the lists are the same at any
    depth)."""
    with start_in_thread(sandbox_test_config(size=120, depth_scale=0.0)) as handle:
        yield handle


def _world(sandbox: SandboxHandle, sport: str) -> set[str]:
    """SportyBet's event ids of ``sport`` the world lists now: the truth."""
    listed = sandbox.world.listed_events(Book.SPORTYBET, sandbox.now(), sport=sport)
    return {event.record(Book.SPORTYBET).event_id for event in listed}


def _live_of(warehouse_url: str, book: Book, sport: str) -> tuple[set[str], set[str]]:
    """(live, withdrawn) event ids of ``book``'s ``sport`` in the warehouse."""
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        rows = conn.execute(
            "SELECT event_id, deleted_at IS NOT NULL FROM core.events WHERE book = %s AND sport = %s",
            (book.value, sport),
        ).fetchall()
    return {e for e, gone in rows if not gone}, {e for e, gone in rows if gone}


def test_sportybet_tennis_answering_empty_while_its_catalogue_announces_events_withdraws_nothing(
    sandbox: SandboxHandle, warehouse_url: str, sandbox_faults: FaultSetter
) -> None:
    refresh = catalogue_refresher(sandbox, warehouse_url)
    truth = _world(sandbox, "tennis")
    assert len(truth) >= 5, "the world must list some tennis on SportyBet"
    assert refresh(Book.SPORTYBET, "clean").scrape.status == "ok"
    assert _live_of(warehouse_url, Book.SPORTYBET, "tennis") == (truth, set())

    sandbox_faults(Book.SPORTYBET, quiet_sports=["tennis"])
    tennis = sport_by_key("tennis")
    url = sandbox.base_urls[Book.SPORTYBET] + "pcUpcomingEvents"
    answer = httpx.get(url, params={"sportId": tennis.sr_sport, "pageSize": "100", "pageNum": "1"})
    assert orjson.loads(answer.content)["data"] == {"totalNum": 0, "tournaments": []}  # the shape
    catalogue = httpx.get(
        sandbox.base_urls[Book.SPORTYBET] + "popularAndSportList", params={"sportId": tennis.sr_sport}
    )
    announced = sum(
        t["eventSize"]
        for s in orjson.loads(catalogue.content)["data"]["sportList"]
        for c in s["categories"]
        for t in c["tournaments"]
    )
    assert announced == len(truth)  # while the catalogue still announces every one of them

    for n in (1, 2):
        quiet = refresh(Book.SPORTYBET, f"quiet-{n}")
        assert quiet.scrape.status == "ok" and quiet.refreshed  # the rest of the book is stored
        assert "tennis" in quiet.scrape.held_sports
        assert any(m.startswith("stale sport tennis:") for m in quiet.scrape.error_messages)
        assert quiet.stats.deleted == 0
    assert _live_of(warehouse_url, Book.SPORTYBET, "tennis") == (truth, set())
    assert _live_of(warehouse_url, Book.SPORTYBET, "football")[0] == _world(sandbox, "football")
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        (messages,) = conn.execute(
            "SELECT error_messages FROM core.book_runs WHERE batch_id = 'quiet-2' AND book = 'sportybet'"
        ).fetchone() or (None,)
    assert messages is not None and any(m.startswith("stale sport tennis:") for m in messages)


@pytest.mark.parametrize("book", list(NIGERIA_BOOKS))
def test_every_book_holds_a_quiet_sport_and_refreshes_the_rest(
    sandbox: SandboxHandle, warehouse_url: str, sandbox_faults: FaultSetter, book: Book
) -> None:
    """The same on each book, by its own counts (BetPawa's ``eventCounts``, Bet9ja's ``NUM``) or failing
    them the warehouse's live events: basketball and tennis quiet for two scrapes, none of theirs
    withdrawn."""
    refresh = catalogue_refresher(sandbox, warehouse_url)
    assert refresh(book, "clean").scrape.status == "ok"
    before = {sport: _live_of(warehouse_url, book, sport)[0] for sport in SPORTS}
    assert before["basketball"] and before["tennis"]
    sandbox_faults(book, quiet_sports=["basketball", "tennis"])
    for n in (1, 2):
        quiet = refresh(book, f"quiet-{n}")
        assert quiet.refreshed, quiet.scrape.error_messages
        assert {"basketball", "tennis"} <= quiet.scrape.held_sports.keys()
        assert quiet.stats.deleted == 0
    assert sandbox.served(book, outcome="quiet_sports") > 0
    for sport in ("basketball", "tennis"):
        assert _live_of(warehouse_url, book, sport) == (before[sport], set())
