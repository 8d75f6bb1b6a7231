"""The sandbox serves event details as bombs in other encodings (FaultConfig ``zstd_bomb``,
``stacked_encoding_bomb``, beside ``gzip_bomb``) over real sockets, and the pipeline's client abandons each as
``too_large`` without retrying it (issue 33 item 3)."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from palimpsest_pipeline.books.betpawa.catalogue import event_detail_request, wire
from palimpsest_pipeline.books.errors import FetchError
from palimpsest_pipeline.books.http import BookClient
from palimpsest_pipeline.books.settings import BookSettings
from palimpsest_pipeline.books.wire import BookRequest
from palimpsest_pipeline.records import Book
from palimpsest_pipeline_tests.fixtures_sandbox import FaultSetter
from palimpsest_sandbox import SandboxHandle


@pytest.mark.parametrize(
    ("fault", "encoding"), [("zstd_bomb", "zstd"), ("stacked_encoding_bomb", "gzip, gzip")]
)
def test_an_event_detail_served_as_a_bomb_is_too_large_for_the_client(
    sandbox: SandboxHandle, sandbox_faults: FaultSetter, fault: str, encoding: str
) -> None:
    event = sandbox.world.listed_events(Book.BETPAWA, sandbox.now(), sport="football")[0]
    settings = BookSettings(book=Book.BETPAWA, base_url=sandbox.base_urls[Book.BETPAWA], max_attempts=3)
    request = event_detail_request(event.event_id(Book.BETPAWA))

    async def fetch() -> FetchError:
        async with BookClient(settings, wire(settings)) as client:
            try:
                await client.fetch(request, lambda data: data)
            except FetchError as error:
                return error
        raise AssertionError("the bomb was read")

    sandbox_faults(Book.BETPAWA, **{fault: 1.0})
    headers = dict(settings.edition.headers)  # the edition's brand: without it BetPawa answers 400
    with httpx.stream(
        "GET", client_url(settings, request), headers=headers, timeout=120
    ) as raw:  # headers only; building the bomb takes seconds on a busy machine
        assert raw.headers["content-encoding"] == encoding
    error = asyncio.run(fetch())
    assert error.kind == "too_large" and error.attempts == 1, error
    assert sandbox.served(Book.BETPAWA, "events/{id}", fault) == 2  # once raw, once to the client: no retry


def client_url(settings: BookSettings, request: BookRequest) -> str:
    return str(httpx.URL(settings.base_url + request.path, params=request.params))
