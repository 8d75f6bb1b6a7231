"""The HTTP layer against a scripted server on 127.0.0.1: retries, Retry-After, limits, faults, envelopes."""

from __future__ import annotations

import asyncio
import itertools
import random
from datetime import UTC, datetime
from typing import Any

import pytest

from palimpsest_pipeline.books.bet9ja import catalogue as bet9ja
from palimpsest_pipeline.books.betpawa import catalogue as betpawa
from palimpsest_pipeline.books.errors import FetchError, NotFoundError, PayloadError
from palimpsest_pipeline.books.http import BookClient
from palimpsest_pipeline.books.limits import (
    Limiter,
    backoff_delay,
    percentile,
    retry_after_seconds,
)
from palimpsest_pipeline.books.settings import BookSettings
from palimpsest_pipeline.books.sportybet import catalogue as sportybet
from palimpsest_pipeline.books.wire import BookRequest, Wire
from palimpsest_pipeline.records import Book
from palimpsest_pipeline_tests.books.scripted_server import Hit, Reply, ScriptedServer, scripted

PATH = "/api/thing"
REQUEST = BookRequest("thing", "thing", {"x": "1"})


def fast_settings(server: ScriptedServer, book: Book = Book.BETPAWA, **overrides: Any) -> BookSettings:
    values: dict[str, Any] = {
        "book": book,
        "base_url": server.url("/api/"),
        "max_in_flight": 10,
        "connect_timeout_s": 2.0,
        "read_timeout_s": 2.0,
        "attempt_timeout_s": 5.0,
        "max_attempts": 4,
        "backoff_base_s": 0.0,
        "backoff_cap_s": 0.0,
    }
    values.update(overrides)
    return BookSettings(**values)


PLAIN = Wire(headers={"accept": "application/json"})


def identity(data: Any) -> Any:
    return data


async def fetch_with(
    routes: dict[str, list[Reply]], *, wire: Wire = PLAIN, book: Book = Book.BETPAWA, **overrides: Any
) -> tuple[ScriptedServer, BookClient, Any]:
    """Fetch REQUEST once against a server scripted with ``routes``; returns the server, client and result."""
    async with (
        ScriptedServer(scripted(routes)) as server,
        BookClient(fast_settings(server, book, **overrides), wire) as client,
    ):
        try:
            result: Any = await client.fetch(REQUEST, identity)
        except Exception as error:  # the caller asserts on it
            result = error
    return server, client, result


def run(coro: Any) -> Any:
    return asyncio.run(coro)


# -------------------------------------------------------------------------------------------- pure parts


def test_retry_after_reads_seconds_and_http_dates() -> None:
    now = datetime(2026, 5, 6, 11, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("7", now) == 7.0
    assert retry_after_seconds(" 1.5 ", now) == 1.5
    assert retry_after_seconds("Wed, 06 May 2026 11:00:30 GMT", now) == 30.0
    assert retry_after_seconds("Wed, 06 May 2026 10:59:00 GMT", now) == 0.0  # in the past: no wait
    assert retry_after_seconds("soon", now) is None
    assert retry_after_seconds(None, now) is None


def test_backoff_is_full_jitter_bounded_by_cap() -> None:
    rng = random.Random(7)
    delays = [backoff_delay(attempt, 0.5, 4.0, rng) for attempt in (1, 2, 3, 4, 5, 6) for _ in range(200)]
    assert all(0.0 <= delay <= 4.0 for delay in delays)
    first = [backoff_delay(1, 0.5, 4.0, rng) for _ in range(200)]
    assert max(first) <= 0.5 and min(first) < 0.1  # uniform from zero, not from the base


def test_percentile_nearest_rank() -> None:
    assert percentile([], 0.5) is None
    assert percentile([3.0, 1.0, 2.0], 0.5) == 2.0
    assert percentile([float(i) for i in range(1, 101)], 0.95) == 95.0


# -------------------------------------------------------------------------------------------- retries


def test_retries_server_errors_then_succeeds() -> None:
    routes = {PATH: [Reply(status=503), Reply(status=502), Reply.json({"ok": 1})]}
    server, client, result = run(fetch_with(routes))
    assert result.value == {"ok": 1}
    assert result.attempts == 3
    assert len(server.hits_on(PATH)) == 3
    assert client.stats.errors_by_kind == {"status_503": 1, "status_502": 1}
    assert client.stats.requests == 1 and client.stats.attempts == 3


def test_summary_counts_the_bytes_of_every_attempt_and_the_p99_latency() -> None:
    error_body, ok_body = b"upstream down", b'{"ok": 1}'
    routes = {PATH: [Reply(status=503, body=error_body), Reply(body=ok_body)]}
    _, client, result = run(fetch_with(routes))
    assert result.value == {"ok": 1}
    summary = client.stats.summary()
    assert summary.bytes_received == len(error_body) + len(ok_body)
    assert summary.latency_p99_ms is not None and summary.latency_p99_ms >= summary.latency_p50_ms


def test_retry_after_is_honoured_between_attempts() -> None:
    routes = {PATH: [Reply(status=429, headers={"retry-after": "1"}), Reply.json({"ok": 1})]}
    server, client, result = run(fetch_with(routes))
    assert result.value == {"ok": 1}
    first, second = server.hits_on(PATH)
    assert second.at - first.at >= 1.0  # server-side clock: the client waited as asked
    assert client.stats.throttled == 1


def test_retry_after_is_capped() -> None:
    routes = {PATH: [Reply(status=503, headers={"retry-after": "3600"}), Reply.json({"ok": 1})]}
    server, _, result = run(fetch_with(routes, retry_after_cap_s=0.05))
    assert result.value == {"ok": 1}
    first, second = server.hits_on(PATH)
    assert second.at - first.at < 30


def test_gives_up_after_max_attempts_naming_book_and_url() -> None:
    server, client, error = run(fetch_with({PATH: [Reply(status=500)]}, max_attempts=3))
    assert isinstance(error, FetchError)
    assert len(server.hits_on(PATH)) == 3
    assert error.book is Book.BETPAWA and error.attempts == 3 and error.kind == "status_500"
    message = str(error)
    assert "betpawa" in message and server.url(PATH) in message and "HTTP 500" in message
    assert client.stats.failed == 1


def test_dropped_connection_is_retried() -> None:
    routes = {
        PATH: [Reply(action="drop"), Reply(action="truncate", body=b'{"a": 1234567890}'), Reply.json([1])]
    }
    server, client, result = run(fetch_with(routes))
    assert result.value == [1]
    assert client.stats.errors_by_kind["dropped"] == 2
    assert len(server.hits_on(PATH)) == 3


def test_hang_past_the_read_timeout_is_retried() -> None:
    routes = {PATH: [Reply(action="hang"), Reply.json({"ok": 1})]}
    _, client, result = run(fetch_with(routes, read_timeout_s=0.2))
    assert result.value == {"ok": 1}
    assert client.stats.errors_by_kind["timeout"] == 1


def test_empty_bodies_block_pages_and_truncated_json_are_retried() -> None:
    routes = {
        PATH: [
            Reply(status=200, body=b""),
            Reply(
                status=200,
                body=b"<html><body>Access denied</body></html>",
                headers={"content-type": "text/html"},
            ),
            Reply(status=200, body=b'{"bizCode": 10000, "da'),
            Reply.json({"ok": 1}),
        ]
    }
    _, client, result = run(fetch_with(routes))
    assert result.value == {"ok": 1}
    assert client.stats.errors_by_kind == {"empty_body": 1, "block_page": 1, "not_json": 1}
    assert client.stats.throttled == 1  # a block page is the book pushing back


def test_not_json_after_retries_carries_the_body() -> None:
    _, _, error = run(fetch_with({PATH: [Reply(status=200, body=b"<html>blocked</html>")]}, max_attempts=2))
    assert isinstance(error, FetchError)
    assert error.kind == "block_page" and error.body == b"<html>blocked</html>"


def test_404_is_not_found_without_retry() -> None:
    server, _, error = run(fetch_with({}))
    assert isinstance(error, NotFoundError)
    assert len(server.hits) == 1


def test_betpawa_redirect_is_not_followed() -> None:
    routes = {PATH: [Reply(status=302, headers={"location": "/elsewhere"})]}
    wire = betpawa.wire(BookSettings(book=Book.BETPAWA, base_url="http://x"))
    server, _, error = run(fetch_with(routes, wire=wire))
    assert isinstance(error, FetchError) and error.kind == "redirect"
    assert "/elsewhere" in str(error)
    assert [hit.path for hit in server.hits] == [PATH]


def test_malformed_payload_is_retried_then_reported() -> None:
    def parse(data: Any) -> int:
        if not isinstance(data, dict) or "n" not in data:
            raise PayloadError(Book.BETPAWA, "thing", "n: missing")
        return int(data["n"])

    async def scenario() -> tuple[Any, Any]:
        routes = {PATH: [Reply.json({}), Reply.json({"n": 5}), Reply.json({})]}
        async with (
            ScriptedServer(scripted(routes)) as server,
            BookClient(fast_settings(server, max_attempts=2), PLAIN) as client,
        ):
            good = await client.fetch(REQUEST, parse)
            with pytest.raises(FetchError) as caught:
                await client.fetch(REQUEST, parse)
        return good, caught.value

    good, error = run(scenario())
    assert good.value == 5 and good.attempts == 2
    assert error.kind == "malformed" and "n: missing" in str(error) and error.body == b"{}"


# -------------------------------------------------------------------------------------------- envelopes


def test_sportybet_envelopes_and_headers() -> None:
    wire = sportybet.wire(BookSettings(book=Book.SPORTYBET, base_url="http://x"))

    async def scenario() -> tuple[ScriptedServer, list[Any]]:
        routes = {
            "/api/ok": [
                Reply.json({"bizCode": 10001, "message": "busy", "data": None}),
                Reply.json({"bizCode": 10000, "message": "0#0", "data": {"v": 1}}),
            ],
            "/api/gone": [Reply.json({"bizCode": 19000, "message": "Event not found", "data": None})],
            "/api/bad": [Reply.json({"bizCode": 4000, "message": "pageSize too large", "data": None})],
        }
        outcomes: list[Any] = []
        async with (
            ScriptedServer(scripted(routes)) as server,
            BookClient(fast_settings(server, Book.SPORTYBET), wire) as client,
        ):
            for name in ("ok", "gone", "bad"):
                try:
                    outcomes.append(await client.fetch(BookRequest(name, name), identity))
                except Exception as error:
                    outcomes.append(error)
        return server, outcomes

    server, (ok, gone, bad) = run(scenario())
    assert ok.value == {"v": 1} and ok.attempts == 2
    assert isinstance(gone, NotFoundError) and "Event not found" in str(gone)
    assert isinstance(bad, FetchError) and bad.kind == "rejected" and "pageSize too large" in str(bad)
    assert len(server.hits_on("/api/gone")) == 1 and len(server.hits_on("/api/bad")) == 1
    for hit in server.hits:
        assert hit.headers["clientid"] == "web" and hit.headers["operid"] == "2"
        assert hit.headers["platform"] == "web" and hit.query["_t"].isdigit()


def test_bet9ja_error_envelope_retried_then_not_found() -> None:
    wire = bet9ja.wire(BookSettings(book=Book.BET9JA, base_url="http://x", v_cache_version="9.9"))
    routes = {PATH: [Reply.json({"R": "E", "D": "not found"})]}
    server, client, error = run(fetch_with(routes, wire=wire, book=Book.BET9JA, envelope_attempts=3))
    assert isinstance(error, NotFoundError)
    assert len(server.hits_on(PATH)) == 3
    assert client.stats.not_found == 1 and client.stats.errors_by_kind == {"envelope": 3}
    assert all(hit.query["v_cache_version"] == "9.9" for hit in server.hits)


def test_bet9ja_error_envelope_then_ok_is_a_success() -> None:
    wire = bet9ja.wire(BookSettings(book=Book.BET9JA, base_url="http://x"))
    routes = {PATH: [Reply.json({"R": "E", "D": ""}), Reply.json({"R": "OK", "D": {"E": []}})]}
    _, _, result = run(fetch_with(routes, wire=wire, book=Book.BET9JA))
    assert result.value == {"E": []}


# -------------------------------------------------------------------------------------------- limits, hook


def test_limiter_never_exceeds_max_in_flight() -> None:
    async def scenario() -> tuple[ScriptedServer, Limiter]:
        routes = {PATH: [Reply.json({"ok": 1}, delay_s=0.03)]}
        async with ScriptedServer(scripted(routes)) as server:
            limiter = Limiter(3, name="betpawa")
            # The pool allows 20 connections: only the limiter can hold the server at 3.
            settings = fast_settings(server, max_in_flight=20)
            async with BookClient(settings, PLAIN, limiter=limiter) as client:
                await asyncio.gather(*(client.fetch(REQUEST, identity) for _ in range(24)))
        return server, limiter

    server, limiter = run(scenario())
    assert len(server.hits) == 24
    assert 2 <= server.peak_in_flight <= 3
    assert limiter.peak_in_flight <= 3 and limiter.in_flight == 0


def test_pause_holds_the_slot_after_each_request() -> None:
    async def scenario() -> ScriptedServer:
        async with ScriptedServer(scripted({PATH: [Reply.json({"ok": 1})]})) as server:
            settings = fast_settings(server, max_in_flight=1, pause_s=0.1)
            async with BookClient(settings, PLAIN) as client:
                for _ in range(3):
                    await client.fetch(REQUEST, identity)
        return server

    hits = run(scenario()).hits
    assert all(later.at - earlier.at >= 0.1 for earlier, later in itertools.pairwise(hits))


def test_on_response_hook_sees_every_body() -> None:
    seen: list[tuple[Book, str, int, bytes, datetime]] = []

    async def scenario() -> None:
        routes = {PATH: [Reply(status=503, body=b"busy"), Reply.json({"ok": 1})]}
        async with (
            ScriptedServer(scripted(routes)) as server,
            BookClient(fast_settings(server), PLAIN, on_response=lambda *args: seen.append(args)) as client,
        ):
            await client.fetch(REQUEST, identity)

    run(scenario())
    assert [(status, body) for _, _, status, body, _ in seen] == [(503, b"busy"), (200, b'{"ok":1}')]
    assert all(
        book is Book.BETPAWA and "/api/thing?x=1" in url and at.tzinfo is UTC for book, url, _, _, at in seen
    )


def test_every_attempt_carries_the_book_headers() -> None:
    def echo(hit: Hit) -> Reply:
        return Reply.json(hit.headers)

    async def scenario() -> dict[str, str]:
        async with ScriptedServer(echo) as server:
            settings = fast_settings(server)
            async with BookClient(settings, betpawa.wire(settings)) as client:
                return (await client.fetch(REQUEST, identity)).value

    headers = run(scenario())
    assert headers["accept"] == "application/json"
    assert headers["x-pawa-brand"] == "betpawa-nigeria" and headers["devicetype"] == "web"
    assert "Mozilla" in headers["user-agent"]
