"""Contract: the sandbox's event-detail payloads have the STRUCTURE of the real captured responses.

Headers (everything but the markets) and the market-level parts (sandbox/markets) are compared strictly.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from palimpsest_pipeline.records import Book
from palimpsest_pipeline_tests.contract.shapes import differences, shape
from palimpsest_sandbox import SandboxHandle
from palimpsest_sandbox.books.betpawa.markets import detail_shape

CAPTURED = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "captured"

pytestmark = pytest.mark.skipif(
    not CAPTURED.is_dir(), reason=f"captured responses not found at {CAPTURED} (../shared is absent)"
)

#: (book, sport, captured file, where the event object sits in the body, its market-level keys)
CASES = [
    (Book.SPORTYBET, "football", "sportybet/event_sr68995116_prematch.json", "data", ("markets",)),
    (Book.SPORTYBET, "tennis", "sportybet/event_sr71529092_tennis.json", "data", ("markets",)),
    (
        Book.BET9JA,
        "football",
        "bet9ja/GetEvent_sr68995116_prematch.json",
        "D",
        ("O", "MK", "AUX", "TRANS", "CATMARKET"),
    ),
    (
        Book.BET9JA,
        "tennis",
        "bet9ja/GetEvent_sr71543524_tennis.json",
        "D",
        ("O", "MK", "AUX", "TRANS", "CATMARKET"),
    ),
    (Book.BETPAWA, "football", "betpawa/v4_event_sr67691078_prematch.json", None, ("markets",)),
]
CASE_IDS = [f"{book.value}-{sport}" for book, sport, *_ in CASES]


@pytest.fixture(scope="module")
def http() -> Iterator[httpx.Client]:
    # BetPawa's edition is its brand: Nigeria's, as the captures are
    headers = {"accept": "application/json", "x-pawa-brand": "betpawa-nigeria"}
    with httpx.Client(timeout=10, headers=headers) as client:
        yield client


@pytest.fixture(scope="module")
def sandbox(deep_sandbox: SandboxHandle) -> SandboxHandle:
    """The world at full depth (``deep_sandbox``): these tests read the details' markets."""
    return deep_sandbox


def _served(sandbox: SandboxHandle, http: httpx.Client, book: Book, sport: str) -> dict[str, Any]:
    # The captures are of well-followed matches: compare with the deepest match the book lists (a minor one
    # lacks whole families, and so keys such as SportyBet's cashOutIsActive, by design). BetPawa's capture is
    # of the v4 shape (specifier in goals): compare with a match the sandbox serves in that shape.
    listed = [
        e
        for e in sandbox.world.listed_events(book, sandbox.now(), sport=sport)
        if e.visible_sr_id(book) and (book is not Book.BETPAWA or detail_shape(e.match_seed) == "goals")
    ]
    event = max(listed, key=lambda e: (e.depth(book), -e.uid)).record(book)
    base = sandbox.base_urls[book]
    if book is Book.SPORTYBET:
        response = http.get(base + "event", params={"eventId": event.event_id, "productId": 3})
    elif book is Book.BET9JA:
        response = http.get(base + "GetEvent", params={"EVENTID": event.event_id})
    else:
        response = http.get(base + f"events/{event.event_id}")
    response.raise_for_status()
    body: dict[str, Any] = response.json()
    return body


def _split(document: dict[str, Any], container: str | None, market_keys: tuple[str, ...]) -> tuple[Any, Any]:
    """(the document without its market-level parts, just those parts)."""
    event = document[container] if container else document
    header = {k: v for k, v in event.items() if k not in market_keys}
    markets = {k: v for k, v in event.items() if k in market_keys}
    envelope = {k: v for k, v in document.items() if k != container} if container else {}
    return {**envelope, "event": header}, markets


@pytest.mark.parametrize(("book", "sport", "capture", "container", "market_keys"), CASES, ids=CASE_IDS)
def test_event_header_structure_matches_capture(
    sandbox: SandboxHandle,
    http: httpx.Client,
    book: Book,
    sport: str,
    capture: str,
    container: str | None,
    market_keys: tuple[str, ...],
) -> None:
    captured = json.loads((CAPTURED / capture).read_text())
    served = _served(sandbox, http, book, sport)
    captured_header, _ = _split(captured, container, market_keys)
    served_header, _ = _split(served, container, market_keys)
    assert differences(shape(captured_header), shape(served_header)) == []


@pytest.mark.parametrize(("book", "sport", "capture", "container", "market_keys"), CASES, ids=CASE_IDS)
def test_event_markets_structure_matches_capture(
    sandbox: SandboxHandle,
    http: httpx.Client,
    book: Book,
    sport: str,
    capture: str,
    container: str | None,
    market_keys: tuple[str, ...],
) -> None:
    captured = json.loads((CAPTURED / capture).read_text())
    served = _served(sandbox, http, book, sport)
    _, captured_markets = _split(captured, container, market_keys)
    _, served_markets = _split(served, container, market_keys)
    assert set(served_markets) == set(market_keys)
    assert differences(shape(captured_markets), shape(served_markets)) == []


def test_shape_comparison_catches_what_it_should() -> None:
    """The comparison itself: missing/extra keys, wrong types, nulls, maps and merged lists."""
    capture = shape({"a": 1, "b": None, "c": [{"x": "s"}, {"y": 2}], "O": {"k1": "1.5", "k2": "2"}})
    assert (
        differences(capture, shape({"a": 2, "b": "text", "c": [{"x": "t", "y": 3}], "O": {"z": "9"}})) == []
    )
    assert differences(capture, shape({"a": "1", "b": None, "c": [], "O": {}})) == [
        "$.a: type ['str'] where the capture has ['int']"
    ]
    assert differences(capture, shape({"a": 1, "b": 1, "c": [{"x": "t"}], "O": {}})) == [
        "$.c[*]: missing keys ['y']"
    ]
    found = differences(shape({"a": 1}), shape({"a": None, "extra": 1}))
    assert found == ["$: extra keys ['extra']", "$.a: type ['null'] where the capture has ['int']"]
