"""The sandbox's MSport and Betway answers carry the keys and value types of the real captures.

Each JSON document is walked into its paths (``data.markets[].outcomes[].odds``) and the types seen at each
(str, int, float, bool, null, object, array). Every path the sandbox serves is one the real answers carry,
with a type they carry there; every path the real answers carry is served, except the few listed below with
why. The captures are read in place (../shared/fixtures/captured, see its README).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from palimpsest_pipeline.records import Book
from palimpsest_sandbox import SandboxHandle, fast_behaviour

CAPTURED = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "captured"
MSPORT_DETAILS = [
    "match_detail_sr68995116_prematch.json",
    "match_detail_sr71583282_asian_handicap.json",
    "match_detail_sr71549302_next_goal.json",
    "match_detail_sr70505032_basketball.json",
    "match_detail_sr71529092_tennis.json",
]
BETWAY_MARKETS = [
    "markets_sr71583282_asian_handicap.json",
    "markets_sr71427986_basketball.json",
    "markets_sr71529092_tennis.json",
]
#: Paths of the captures the sandbox does not serve, and why.
NOT_SERVED = {
    # MSport's early-payout badges (marketLabels) hang on its own 1Up/2Up markets, which the world does not
    # price.
    "data.markets[].marketLabels[]",
    "data.markets[].marketLabels[].iconDesc",
    "data.markets[].marketLabels[].iconUrl",
    "data.markets[].marketLabels[].id",
    "data.markets[].marketLabels[].moreUrl",
    # Betway's "ProviderMarketGroups" tags of a market: its UI's tabs.
    "marketsInGroup[].additionalInfo.ProviderMarketGroups",
}


def _walk(node: Any, path: str, into: dict[str, set[str]]) -> None:
    kind = (
        "null"
        if node is None
        else "bool"
        if isinstance(node, bool)
        else "object"
        if isinstance(node, dict)
        else "array"
        if isinstance(node, list)
        else type(node).__name__
    )
    into.setdefault(path, set()).add(kind)
    if isinstance(node, dict):
        for key, value in node.items():
            _walk(value, f"{path}.{key}" if path else key, into)
    elif isinstance(node, list):
        for item in node:
            _walk(item, f"{path}[]", into)


def _shape(documents: list[Any], *, numbers: bool = True) -> dict[str, set[str]]:
    """Every path of ``documents`` and the types seen there (int and float both read as a JSON number)."""
    shape: dict[str, set[str]] = {}
    for document in documents:
        _walk(document, "", shape)
    if numbers:
        shape = {
            path: {"number" if t in ("int", "float") else t for t in kinds} for path, kinds in shape.items()
        }
    return shape


def _captured(book: str, names: list[str]) -> list[Any]:
    folder = CAPTURED / book
    if not folder.is_dir():
        pytest.skip(f"no captures at {folder} (../shared is not mounted)")
    return [json.loads((folder / name).read_text()) for name in names]


@pytest.fixture(scope="module")
def sandbox(deep_sandbox: SandboxHandle) -> SandboxHandle:
    """The world at full depth (``deep_sandbox``): these tests read the details' markets."""
    return deep_sandbox


@pytest.fixture
def served(sandbox: SandboxHandle) -> SandboxHandle:
    assert all(sandbox.behaviour(book) == fast_behaviour() for book in (Book.MSPORT, Book.BETWAY))
    return sandbox


def _one_per_sport(sandbox: SandboxHandle, book: Book) -> list[Any]:
    events = sandbox.world.listed_events(book, sandbox.now())
    chosen: dict[str, Any] = {}
    for event in sorted(events, key=lambda e: -e.prominence):  # the deepest of each sport
        chosen.setdefault(event.sport, event)
    return list(chosen.values())


def _compare(real: dict[str, set[str]], ours: dict[str, set[str]]) -> None:
    invented = {path: kinds for path, kinds in ours.items() if path not in real}
    assert not invented, f"the sandbox serves paths no capture has: {sorted(invented)[:10]}"
    wrong = {path: (kinds, real[path]) for path, kinds in ours.items() if not kinds <= real[path]}
    assert not wrong, f"types the captures never carry there: {sorted(wrong.items())[:10]}"
    missing = sorted(set(real) - set(ours) - NOT_SERVED)
    assert not missing, f"capture paths the sandbox does not serve: {missing[:20]}"


def test_msport_match_detail_has_the_captured_keys_and_types(served: SandboxHandle) -> None:
    real = _shape(_captured("msport", MSPORT_DETAILS))
    headers = {"operid": "2", "clientid": "web", "platform": "web"}
    url = served.base_urls[Book.MSPORT] + "match/detail"
    answers = [
        httpx.get(url, params={"eventId": e.event_id(Book.MSPORT), "productId": "3"}, headers=headers).json()
        for e in _one_per_sport(served, Book.MSPORT)
    ]
    ours = _shape(answers)
    assert ours["data.markets[].id"] == {"number"} and ours["data.markets[].outcomes[].odds"] == {"str"}
    _compare(real, ours)


def test_betway_markets_answer_has_the_captured_keys_and_types(served: SandboxHandle) -> None:
    real = _shape(_captured("betway", BETWAY_MARKETS))
    url = served.base_urls[Book.BETWAY] + "MarketGroupings/MarketGroupNamesAndMarketsForEvent"
    answers = [
        httpx.get(
            url, params={"eventId": str(e.sr_id), "skip": "0", "take": "1000", "countryCode": "NG"}
        ).json()
        for e in _one_per_sport(served, Book.BETWAY)
    ]
    ours = _shape(answers)
    assert {"marketsInGroup[].squashedMarketIds[]", "outcomes[].originalMarketId"} <= set(ours)  # squashed
    _compare(real, ours)


def test_betway_event_state_has_the_captured_keys_and_types(served: SandboxHandle) -> None:
    real = _shape(_captured("betway", ["event_state_sr68995116_prematch.json"]))
    url = served.base_urls[Book.BETWAY] + "Feeds/Events/EventAndGameState"
    event = _one_per_sport(served, Book.BETWAY)[0]
    ours = _shape([httpx.get(url, params={"eventId": str(event.sr_id), "countryCode": "NG"}).json()])
    assert ours["sportEvent.expectedStartEpoch"] == {"number"}
    _compare(real, ours)
