"""The replay's building blocks without a database: request identity, manifests, the archive transport and
how an archived detail attempt is judged."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import httpx
import orjson
import pytest

from palimpsest_pipeline.books.errors import FetchError
from palimpsest_pipeline.books.http import BookClient
from palimpsest_pipeline.books.kits import KITS
from palimpsest_pipeline.books.settings import default_settings
from palimpsest_pipeline.books.sportybet.catalogue import event_detail_request
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.archive.odds_replay import DetailReplayer
from palimpsest_pipeline.scrape.archive.requests import (
    NOT_ARCHIVED_STATUS,
    ArchiveTransport,
    ReplayError,
    ScrapeManifest,
    replay_settings,
    request_key,
    volatile_params,
)
from palimpsest_pipeline.warehouse.archive.records import ArchivedBody
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS

SPORTY_BASE = "https://www.sportybet.com/api/ng/factsCenter/"
AT = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)


def sporty_url(base: str, **params: str) -> str:
    return str(httpx.URL(base + "event", params=params))


def test_request_key_ignores_host_timestamp_and_parameter_order() -> None:
    volatile = volatile_params(KITS[Book.SPORTYBET].adapter().wire(default_settings(Book.SPORTYBET)))
    archived = sporty_url(SPORTY_BASE, eventId="sr:match:1", productId="3", _t="1714824000000")
    replayed = sporty_url(
        "http://127.0.0.1:9/api/ng/factsCenter/", productId="3", eventId="sr:match:1", _t="9"
    )
    assert request_key(archived, SPORTY_BASE, volatile) == "event?eventId=sr%3Amatch%3A1&productId=3"
    assert request_key(replayed, "http://127.0.0.1:9/api/ng/factsCenter/", volatile) == request_key(
        archived, SPORTY_BASE, volatile
    )
    other_event = sporty_url(SPORTY_BASE, eventId="sr:match:2", productId="3")
    assert request_key(other_event, SPORTY_BASE, volatile) != request_key(archived, SPORTY_BASE, volatile)


def test_bet9ja_client_version_is_not_part_of_a_request() -> None:
    base = "https://sports.bet9ja.com/desktop/feapi/PalimpsestAjax/"
    volatile = volatile_params(KITS[Book.BET9JA].adapter().wire(default_settings(Book.BET9JA)))
    old = base + "GetSports?DISP=0&v_cache_version=1.301.2.225"
    new = base + "GetSports?v_cache_version=1.326.2.248&DISP=0"
    assert request_key(old, base, volatile) == request_key(new, base, volatile) == "GetSports?DISP=0"


def test_manifest_round_trips_through_its_url() -> None:
    manifest = ScrapeManifest(Book.BETPAWA, AT, timedelta(days=14), ("football", "tennis"), "http://x/a/b/")
    assert ScrapeManifest.from_url(Book.BETPAWA, manifest.url) == manifest
    assert manifest.window_dates() == (date(2026, 5, 4), date(2026, 5, 18))
    row = manifest.response(AT)
    assert row.kind == "catalogue" and row.url == manifest.url
    assert orjson.loads(row.body)["sports"] == "football,tennis"


def test_bad_manifests_are_named() -> None:
    with pytest.raises(ReplayError, match="not a catalogue scrape manifest"):
        ScrapeManifest.from_url(Book.BET9JA, "https://example/GetSports")
    with pytest.raises(ReplayError, match="unreadable"):
        ScrapeManifest.from_url(Book.BET9JA, "palimpsest:catalogue-scrape?now=yesterday&horizon_s=1")
    with pytest.raises(ReplayError, match="timezone-aware"):
        ScrapeManifest(Book.BET9JA, datetime(2026, 5, 4), timedelta(days=1), ("football",), "http://x/")


def test_transport_serves_archived_attempts_in_order_and_404_for_the_rest() -> None:
    asyncio.run(_transport_serves_in_order())


async def _transport_serves_in_order() -> None:
    settings = replay_settings(default_settings(Book.SPORTYBET))
    wire = KITS[Book.SPORTYBET].adapter().wire(settings)
    ok = orjson.dumps({"bizCode": 10000, "message": "0#0", "data": {"eventId": "sr:match:1"}})
    archived = sporty_url(SPORTY_BASE, eventId="sr:match:1", productId="3", _t="1")
    key = request_key(archived, SPORTY_BASE, volatile_params(wire))
    transport = ArchiveTransport(
        {key: [(503, b"busy"), (200, ok)]}, base_url=settings.base_url, volatile=volatile_params(wire)
    )
    async with BookClient(settings, wire, transport=transport) as client:
        fetched = await client.fetch(event_detail_request("sr:match:1"), lambda data: data)
        assert fetched.value == {"eventId": "sr:match:1"}
        assert fetched.attempts == 2  # the archived 503 was replayed, then the archived answer
        with pytest.raises(FetchError, match="not in the archive") as missing:
            await client.fetch(event_detail_request("sr:match:2"), lambda data: data)
        assert missing.value.kind == f"status_{NOT_ARCHIVED_STATUS}" and missing.value.attempts == 1
    assert transport.served == 2
    assert transport.missing == ["event?eventId=sr%3Amatch%3A2&productId=3"]


def attempt(book: Book, status: int, body: bytes) -> ArchivedBody:
    return ArchivedBody(
        batch_id="b1",
        book=book,
        kind="event",
        url="https://example/event",
        status=status,
        captured_at=AT,
        sr_id=42,
        event_id="sr:match:42" if book is Book.SPORTYBET else "42",
        kickoff_date=AT.date(),
        body=body,
    )


def test_detail_attempts_are_judged_as_the_capture_engine_judged_them() -> None:
    asyncio.run(_detail_attempts_judged())


async def _detail_attempts_judged() -> None:
    settings = {book: default_settings(book) for book in NIGERIA_BOOKS}
    not_found = orjson.dumps({"bizCode": 19000, "message": "Event not found", "data": None})
    async with DetailReplayer(settings) as replayer:
        gone_404 = await replayer.replay(attempt(Book.BETPAWA, 404, b"{}"))
        gone_envelope = await replayer.replay(attempt(Book.SPORTYBET, 200, not_found))
        throttled = await replayer.replay(attempt(Book.BET9JA, 503, b"busy"))
        garbled = await replayer.replay(attempt(Book.BETPAWA, 200, b"<html>blocked</html>"))
        bet9ja_gone = await replayer.replay(attempt(Book.BET9JA, 200, b'{"R": "E", "D": null}'))
    assert (gone_404.status, gone_404.sent_at) == ("gone", AT)
    assert gone_envelope.status == "gone"
    assert (throttled.status, throttled.error_kind) == ("failed", "status_503")
    assert (garbled.status, garbled.error_kind) == ("failed", "block_page")
    assert bet9ja_gone.status == "gone"


def test_an_unlabelled_body_cannot_be_replayed() -> None:
    unlabelled = replace(attempt(Book.BETPAWA, 200, b"{}"), sr_id=None)

    async def run() -> None:
        async with DetailReplayer({Book.BETPAWA: default_settings(Book.BETPAWA)}) as replayer:
            await replayer.replay(unlabelled)

    with pytest.raises(ReplayError, match="has no SR id"):
        asyncio.run(run())
