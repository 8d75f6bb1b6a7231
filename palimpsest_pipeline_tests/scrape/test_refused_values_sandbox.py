"""A value the standard library refuses, in one book's answer over real sockets, costs that answer (or its
row), recorded like any malformed answer; the other books' catalogues and live lists are stored.

A small proxy on 127.0.0.1 forwards each request to the test sandbox and changes one value of one book's
answer: a count sent as 4,301 digits (``int()`` refuses past 4,300), or a row's event id made of them. Before,
the ValueError escaped the book's reading: the catalogue step failed with nothing recorded nor archived, and
the country's live poll was lost for every book.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
import orjson
import psycopg
import pytest

from palimpsest_pipeline.books.settings import BookSettings
from palimpsest_pipeline.defs.resources import WarehouseResource
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.catalogue_refresh import CatalogueRefresh, refresh_catalogue
from palimpsest_pipeline.scrape.live import PollOutcome, live_clients, poll_once
from palimpsest_pipeline.warehouse.archive.reader import iter_batch_bodies
from palimpsest_pipeline_tests.books.scripted_server import Hit, Reply, ScriptedServer
from palimpsest_pipeline_tests.fixtures_sandbox import SANDBOX_TEST_INSTANT, fast_book_settings
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_pipeline_tests.warehouse.stored import read_quarantined_body
from palimpsest_sandbox import SandboxHandle

SPORTS = ["football", "basketball", "tennis"]
HORIZON = timedelta(days=3)
DATES = [(SANDBOX_TEST_INSTANT + timedelta(days=d)).date() for d in range(4)]
DIGITS = "1" * 4_301
#: Headers the proxy does not pass on: its own connection's, and the encoding (it answers unencoded).
_HOP_HEADERS = frozenset({"host", "connection", "content-length", "accept-encoding"})

#: Changes one decoded answer in place (given the request it answers); True when it changed something.
Change = Callable[[Hit, Any], bool]


class Proxy:
    """What the proxy changed: each body it sent changed, and the event ids it replaced."""

    def __init__(self, change: Change) -> None:
        self.change = change
        self.sent: list[bytes] = []
        self.replaced_ids: list[str] = []


@asynccontextmanager
async def _proxy(sandbox: SandboxHandle, proxy: Proxy) -> AsyncIterator[ScriptedServer]:
    """A server forwarding every request to the sandbox, each answer changed by ``proxy.change``."""
    parts = urlsplit(sandbox.base_urls[Book.SPORTYBET])
    async with httpx.AsyncClient(base_url=f"{parts.scheme}://{parts.netloc}", timeout=60.0) as http:

        async def forward(hit: Hit) -> Reply:
            headers = {name: value for name, value in hit.headers.items() if name not in _HOP_HEADERS}
            answer = await http.get(hit.path, params=hit.query, headers=headers)
            body = answer.content
            if answer.status_code == 200:
                payload = orjson.loads(body)
                if proxy.change(hit, payload):
                    body = json.dumps(payload).encode()  # the standard library writes what orjson will not
                    proxy.sent.append(body)
            return Reply(answer.status_code, body, {"content-type": "application/json"})

        async with ScriptedServer(forward) as server:
            yield server


def _through(server: ScriptedServer, settings: BookSettings) -> BookSettings:
    return settings.model_copy(update={"base_url": server.url(urlsplit(settings.base_url).path)})


def _sportybet_football_count(hit: Hit, payload: Any) -> bool:
    """SportyBet's first page of football announces its events in 4,301 digits."""
    if not hit.path.endswith("/pcUpcomingEvents") or hit.query.get("sportId") != "sr:sport:1":
        return False
    payload["data"]["totalNum"] = DIGITS
    return True


def _first_row(proxy: Proxy, edit: Callable[[dict[str, Any]], None]) -> Change:
    """``edit`` applied to the first row of the first answer listing one (SportyBet's platform:
    ``data.tournaments[].events[]``, or live ``data[].events[]``), whose event id is kept."""

    def change(hit: Hit, payload: Any) -> bool:
        data = payload.get("data") if isinstance(payload, dict) else None
        wrappers = data.get("tournaments") if isinstance(data, dict) else data
        if proxy.replaced_ids or not isinstance(wrappers, list):
            return False
        for wrapper in wrappers:
            for row in wrapper.get("events") or []:
                proxy.replaced_ids.append(row["eventId"])
                edit(row)
                return True
        return False

    return change


def _digits_id(row: dict[str, Any]) -> None:
    """An event id of 4,301 digits, which no reader takes."""
    row["eventId"] = f"sr:match:{DIGITS}"


def _sr_id_past_bigint(row: dict[str, Any]) -> None:
    """An event id read well, naming an SR id of 30 digits that no store takes (its sources removed, so the
    id is the one read)."""
    row["eventId"] = f"sr:match:{'9' * 30}"
    row.pop("eventSource", None)


@pytest.fixture
def connect(warehouse_url: str) -> Callable[..., psycopg.Connection]:
    return WarehouseResource(database_url=warehouse_url).connect


def _refresh_every_book(
    sandbox: SandboxHandle, connect: Callable[..., psycopg.Connection], proxied: dict[Book, Proxy]
) -> dict[Book, CatalogueRefresh]:
    """Every book's catalogue refreshed at once into the warehouse (batch "refused"), as the catalogue
    steps do; the books of ``proxied`` through a proxy changing their answers."""
    settings = fast_book_settings(sandbox)

    async def refresh(book: Book) -> CatalogueRefresh:
        async def run(book_settings: BookSettings) -> CatalogueRefresh:
            return await refresh_catalogue(
                connect, book, book_settings, sports=SPORTS, horizon=HORIZON, now=sandbox.now(),
                dates=DATES, batch_id="refused", trigger="test",
            )  # fmt: skip

        if book not in proxied:
            return await run(settings[book])
        async with _proxy(sandbox, proxied[book]) as server:
            return await run(_through(server, settings[book]))

    async def every_book() -> list[CatalogueRefresh]:
        return await asyncio.gather(*(refresh(book) for book in NIGERIA_BOOKS))

    return dict(zip(NIGERIA_BOOKS, asyncio.run(every_book()), strict=True))


@pytest.mark.slow
def test_a_refused_count_or_row_id_costs_its_answer_or_row_and_every_catalogue_is_recorded(
    sandbox: SandboxHandle, connect: Callable[..., psycopg.Connection], warehouse_conn: psycopg.Connection
) -> None:
    count = Proxy(_sportybet_football_count)
    row = Proxy(lambda hit, payload: False)
    row.change = _first_row(row, _digits_id)
    refreshed = _refresh_every_book(sandbox, connect, {Book.SPORTYBET: count, Book.MSPORT: row})
    assert count.sent and len(row.replaced_ids) == 1

    runs = {
        book: (status, messages)
        for book, status, messages in warehouse_conn.execute(
            "SELECT book, status, error_messages FROM core.book_runs WHERE batch_id = 'refused'"
        )
    }
    assert set(runs) == {book.value for book in NIGERIA_BOOKS}  # every book's run recorded, none lost
    # SportyBet: football's answer is malformed (retried, then given up on), the other sports are stored
    status, messages = runs["sportybet"]
    assert status == "partial", messages
    assert any("malformed payload: data.totalNum: expected an integer" in m for m in messages), messages
    assert {e.sport for e in refreshed[Book.SPORTYBET].scrape.events} == {"basketball", "tennis"}
    quarantined = warehouse_conn.execute(
        "SELECT id FROM core.quarantine WHERE batch_id = 'refused' AND book = 'sportybet'"
    ).fetchall()
    assert [read_quarantined_body(warehouse_conn, q) for (q,) in quarantined] == [count.sent[-1]]
    archived = [b.body for b in iter_batch_bodies(warehouse_conn, ["refused"], site_country="ng")]
    assert count.sent[-1] in archived  # the answer read is archived like any other
    # MSport: the row is set aside naming why, the rest of its list is stored
    assert runs["msport"][0] == "ok", runs["msport"]
    msport = refreshed[Book.MSPORT].scrape
    (set_aside,) = msport.set_aside_rows
    assert "eventId: text of 4,310 characters" in set_aside.reason
    assert row.replaced_ids[0] not in {e.event_id for e in msport.events}
    for book in NIGERIA_BOOKS:
        stored = warehouse_conn.execute(
            "SELECT count(*) FROM core.events WHERE book = %s", (book.value,)
        ).fetchone()
        assert stored is not None and stored[0] == len(refreshed[book].scrape.events) > 0, book
    for book in (Book.BETPAWA, Book.BET9JA, Book.BETWAY):
        assert runs[book.value][0] == "ok", runs[book.value]


def _deep_team(row: dict[str, Any]) -> None:
    """A home team nested 300 lists deep: read past what orjson writes (255), below what it reads (1,024)."""
    deep: Any = "x"
    for _ in range(300):
        deep = [deep]
    row["homeTeam"] = deep


@pytest.mark.slow
def test_a_row_nested_deeper_than_json_can_be_written_is_set_aside_described(
    sandbox: SandboxHandle, connect: Callable[..., psycopg.Connection], warehouse_conn: psycopg.Connection
) -> None:
    row = Proxy(lambda hit, payload: False)
    row.change = _first_row(row, _deep_team)
    refreshed = _refresh_every_book(sandbox, connect, {Book.MSPORT: row})
    assert len(row.replaced_ids) == 1
    msport = refreshed[Book.MSPORT].scrape
    assert msport.status == "ok", msport.error_messages
    (set_aside,) = msport.set_aside_rows
    assert "homeTeam" in set_aside.reason and set_aside.excerpt.startswith('"dict {')
    assert row.replaced_ids[0] not in {e.event_id for e in msport.events}
    (kept,) = warehouse_conn.execute(
        "SELECT id FROM core.quarantine WHERE batch_id = 'refused' AND book = 'msport' AND reason = %s",
        (set_aside.reason,),
    ).fetchall()
    assert read_quarantined_body(warehouse_conn, kept[0]).startswith(b'"dict {')


#: An evening of the test world with matches in play on every book but Betway.
EVENING = SANDBOX_TEST_INSTANT.replace(hour=18, minute=30)


def _poll_with(
    sandbox: SandboxHandle, connect: Callable[..., psycopg.Connection], proxy: Proxy
) -> PollOutcome:
    """One live poll of every book at ``EVENING``, SportyBet's answers through ``proxy``."""
    sandbox.set_clock(EVENING, frozen=True)

    async def poll() -> PollOutcome:
        settings = fast_book_settings(sandbox)
        async with _proxy(sandbox, proxy) as server:
            settings[Book.SPORTYBET] = _through(server, settings[Book.SPORTYBET])
            async with live_clients(settings) as clients:
                return await poll_once(connect, clients, SPORTS, lambda: EVENING, "ng")

    return asyncio.run(poll())


def _refused_envelope(hit: Hit, payload: Any) -> bool:
    """SportyBet's live envelope says its ``bizCode`` in 4,301 digits."""
    payload["bizCode"] = DIGITS
    return True


@pytest.mark.parametrize("where", ["envelope", "row id", "row SR id"])
def test_a_refused_value_in_one_books_live_list_leaves_the_others_stored(
    sandbox_clock: SandboxHandle,
    connect: Callable[..., psycopg.Connection],
    warehouse_conn: psycopg.Connection,
    where: str,
) -> None:
    proxy = Proxy(_refused_envelope)
    if where != "envelope":
        proxy.change = _first_row(proxy, _digits_id if where == "row id" else _sr_id_past_bigint)
    outcome = _poll_with(sandbox_clock, connect, proxy)
    assert proxy.sent
    truth = {book: len(sandbox_clock.world.live_events(book, EVENING)) for book in NIGERIA_BOOKS}
    stored = {
        book: (status, live_events, bad_rows, error)
        for book, status, live_events, bad_rows, error in warehouse_conn.execute(
            "SELECT book, status, live_events, bad_rows, error FROM analytics.live_suspension "
            "WHERE polled_at = %s",
            (EVENING,),
        )
    }
    assert outcome.stored and set(stored) == {book.value for book in NIGERIA_BOOKS}
    for book in NIGERIA_BOOKS:
        if book is not Book.SPORTYBET:
            assert stored[book.value] == ("ok", truth[book], 0, None), book
    status, live_events, bad_rows, error = stored["sportybet"]
    if where == "envelope":  # the answer is malformed: the book's poll failed, with the reason
        assert (status, live_events) == ("failed", None)
        assert error is not None and "malformed envelope: bizCode: expected an integer" in error, error
    else:  # the row costs itself
        assert (status, live_events, bad_rows, error) == ("ok", truth[Book.SPORTYBET] - 1, 1, None)
