"""Faults fire as configured, are counted, and are restored; the fault sequence replays from the seed."""

from __future__ import annotations

import json

import httpx
import pytest

from palimpsest_pipeline.records import Book
from palimpsest_pipeline_tests.fixtures_sandbox import FaultSetter
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_sandbox import BookBehaviour, FaultConfig, LatencyConfig, SandboxHandle
from palimpsest_sandbox.faults import FaultInjector

CATALOGUE = {
    Book.BETPAWA: "categories/list/all",
    Book.SPORTYBET: "popularAndSportList",
    Book.BET9JA: "GetSports",
    Book.MSPORT: "sports-matches-list",
    Book.BETWAY: "Feeds/RegionsAndLeagues/soccer",
}
#: The name the sandbox counts each catalogue call under (its path, but for Betway's path with the sport).
ENDPOINTS = {**CATALOGUE, Book.BETWAY: "RegionsAndLeagues"}
#: The parameters a catalogue call cannot go without (the country, the sport).
PARAMS = {Book.MSPORT: {"sportId": "sr:sport:1"}, Book.BETWAY: {"countryCode": "NG"}}


def _get(sandbox: SandboxHandle, http: httpx.Client, book: Book) -> httpx.Response:
    return http.get(sandbox.base_urls[book] + CATALOGUE[book], params=PARAMS.get(book))


@pytest.mark.parametrize("book", list(NIGERIA_BOOKS))
def test_throttling_carries_retry_after(
    sandbox: SandboxHandle, sandbox_faults: FaultSetter, http: httpx.Client, book: Book
) -> None:
    sandbox_faults(book, throttle_429=1.0, retry_after_s=7)
    response = _get(sandbox, http, book)
    assert response.status_code == 429 and response.headers["retry-after"] == "7"
    sandbox_faults(book, throttle_403=1.0, retry_after_s=3)
    response = _get(sandbox, http, book)
    assert response.status_code == 403 and response.headers["retry-after"] == "3"
    assert sandbox.served(book, ENDPOINTS[book], "throttle_429") == 1
    assert sandbox.served(book, ENDPOINTS[book], "throttle_403") == 1


def test_fail_every_request_then_restore(
    sandbox: SandboxHandle, sandbox_faults: FaultSetter, http: httpx.Client
) -> None:
    sandbox_faults(Book.BET9JA, fail_status=503)
    assert [_get(sandbox, http, Book.BET9JA).status_code for _ in range(3)] == [503] * 3
    assert _get(sandbox, http, Book.SPORTYBET).status_code == 200  # other books unaffected
    sandbox_faults(Book.BET9JA, FaultConfig())
    assert _get(sandbox, http, Book.BET9JA).json()["R"] == "OK"
    stats = http.get(sandbox.url + "/_sandbox/stats").json()
    assert stats["books"]["bet9ja"]["GetSports"] == {"fail_status": 3, "ok": 1}


def test_server_errors(sandbox: SandboxHandle, sandbox_faults: FaultSetter, http: httpx.Client) -> None:
    sandbox_faults(Book.SPORTYBET, server_error=1.0)
    statuses = {_get(sandbox, http, Book.SPORTYBET).status_code for _ in range(12)}
    assert statuses <= {500, 502, 503} and len(statuses) > 1


@pytest.mark.parametrize("book", list(NIGERIA_BOOKS))
def test_bodies_that_are_not_data(
    sandbox: SandboxHandle, sandbox_faults: FaultSetter, http: httpx.Client, book: Book
) -> None:
    sandbox_faults(book, truncated_json=1.0)
    truncated = _get(sandbox, http, book)
    assert truncated.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(truncated.content)
    sandbox_faults(book, html_block_page=1.0)
    block = _get(sandbox, http, book)
    assert block.status_code == 200 and block.headers["content-type"].startswith("text/html")
    assert block.text.lstrip().startswith("<!DOCTYPE html>")
    sandbox_faults(book, empty_body=1.0)
    empty = _get(sandbox, http, book)
    assert empty.status_code == 200 and empty.content == b""


def test_error_envelopes(sandbox: SandboxHandle, sandbox_faults: FaultSetter, http: httpx.Client) -> None:
    for book in NIGERIA_BOOKS:
        sandbox_faults(book, error_envelope=1.0)
    sporty = _get(sandbox, http, Book.SPORTYBET).json()
    assert sporty["bizCode"] != 10_000 and sporty["data"] is None and sporty["message"]
    assert _get(sandbox, http, Book.BET9JA).json()["R"] == "E"
    assert "errorCode" in _get(sandbox, http, Book.BETPAWA).json()


def test_dropped_connection(sandbox: SandboxHandle, sandbox_faults: FaultSetter) -> None:
    sandbox_faults(Book.BETPAWA, dropped_connection=1.0)
    with httpx.Client(timeout=5) as client, pytest.raises(httpx.RemoteProtocolError):
        client.get(sandbox.base_urls[Book.BETPAWA] + "categories/list/all")
    assert sandbox.served(Book.BETPAWA, outcome="dropped_connection") == 1


def test_hang_outlasts_the_client_timeout(sandbox: SandboxHandle, sandbox_faults: FaultSetter) -> None:
    sandbox_faults(Book.SPORTYBET, hang=1.0, hang_s=5.0)
    with httpx.Client(timeout=0.3) as client, pytest.raises(httpx.ReadTimeout):
        client.get(sandbox.base_urls[Book.SPORTYBET] + "popularAndSportList")


def test_partial_rates_mix_faults_and_answers(
    sandbox: SandboxHandle, sandbox_faults: FaultSetter, http: httpx.Client
) -> None:
    sandbox_faults(Book.BET9JA, throttle_429=0.3, server_error=0.2)
    statuses = [_get(sandbox, http, Book.BET9JA).status_code for _ in range(60)]
    assert statuses.count(200) > 10 and statuses.count(429) > 5
    assert sandbox.served(Book.BET9JA) == 60


def test_fault_sequence_replays_from_the_seed() -> None:
    behaviour = BookBehaviour(faults=FaultConfig(throttle_429=0.2, server_error=0.2, hang=0.1))

    def sequence(seed: int) -> list[str | None]:
        injector = FaultInjector(seed, {book: behaviour for book in NIGERIA_BOOKS})
        return [injector.decide(Book.BET9JA).fault for _ in range(200)]

    assert sequence(1) == sequence(1)
    assert sequence(1) != sequence(2)
    assert {None, "throttle_429", "server_error", "hang"} == set(sequence(1))


def test_latency_draws_follow_the_configured_median() -> None:
    behaviour = BookBehaviour(latency=LatencyConfig(median_ms=150, sigma=0.5))
    injector = FaultInjector(1, {book: behaviour for book in NIGERIA_BOOKS})
    delays = sorted(injector.decide(Book.BETPAWA).delay_s for _ in range(2_001))
    assert 0.13 < delays[1_000] < 0.17
    assert delays[0] < delays[-1]


def test_fault_rates_must_fit_in_one_draw() -> None:
    with pytest.raises(ValueError, match="sum to"):
        FaultConfig(throttle_429=0.6, server_error=0.6)
