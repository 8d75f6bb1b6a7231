"""A hostile value in a Bet9ja event detail as the sandbox serves it costs only rows set aside with a reason.

The bodies are fetched from the sandbox over a socket; each of their market catalogue's values (``D.MK``:
market ids, names, outcome keys and labels) is made hostile in turn by the sandbox's own ``hostile``
module. The expectation is the unmutated body's parse: every one of its rows is kept with its price and
state, or is counted among the outcomes the parser set aside with a reason (never silently unmapped).
"""

from __future__ import annotations

import random
import urllib.request
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

import orjson
import pytest

from palimpsest_pipeline.books.editions import edition
from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.markets.players import player_shape
from palimpsest_pipeline.records import DEFAULT_SITE_COUNTRY, Book
from palimpsest_pipeline.scrape.odds.parsing import parse_body
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_sandbox import hostile
from palimpsest_sandbox.config import BookBehaviour, FaultConfig, LatencyConfig, SandboxConfig
from palimpsest_sandbox.server import start_in_thread

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
T = TypeVar("T")


class _Pick(random.Random):
    """Makes ``hostile.mutate`` corrupt the ``index``-th string of the body rather than a random one."""

    def __init__(self, index: int) -> None:
        super().__init__(0)
        self.index = index

    def choice(self, seq: Sequence[T]) -> T:
        return seq[self.index]


def _catalogue_leaves(body: bytes) -> list[int]:
    """Indexes (in ``hostile``'s own order) of the string values inside the market catalogue ``D.MK``."""
    payload = orjson.loads(body)
    catalogue = payload["D"]["MK"]
    inside: set[int] = set()
    stack: list[Any] = [catalogue]
    while stack:
        node = stack.pop()
        inside.add(id(node))
        stack.extend(
            v for v in (node.values() if isinstance(node, dict) else node) if isinstance(v, dict | list)
        )
    return [i for i, (container, _k) in enumerate(hostile._string_leaves(payload)) if id(container) in inside]


def _rows(parsed: EventOdds) -> dict[tuple[int, str, int], tuple[float | None, str]]:
    return {(row.market, row.specifier, row.outcome): (row.price, row.state) for row in parsed.rows}


@pytest.fixture(scope="module")
def bet9ja_bodies() -> list[tuple[bytes, int]]:
    quiet = BookBehaviour(latency=LatencyConfig(median_ms=0.0, sigma=0.0), faults=FaultConfig())
    config = SandboxConfig(seed=11, size=60, port=0, frozen_at=NOW, books={b: quiet for b in NIGERIA_BOOKS})
    with start_in_thread(config) as sandbox:
        football = [e for e in sandbox.world.listed_events(Book.BET9JA, NOW) if e.sport == "football"][:1]
        others = [e for e in sandbox.world.listed_events(Book.BET9JA, NOW) if e.sport != "football"][:1]
        base = sandbox.base_urls[Book.BET9JA]
        return [
            (
                urllib.request.urlopen(
                    f"{base}GetEvent?EVENTID={event.event_id(Book.BET9JA)}", timeout=30
                ).read(),
                event.sr_id,
            )
            for event in football + others
        ]


@pytest.mark.parametrize("kind", ["wrong_type", "long_text"])
def test_a_hostile_catalogue_value_costs_only_rows_set_aside_with_a_reason(
    bet9ja_bodies: list[tuple[bytes, int]], kind: str
) -> None:
    """Every Bet9ja row a hostile catalogue value costs is set aside with a reason, and is on a line the
    capture says it did not read whole (``unread_lines``), so its stored price is not closed by the outcome's
    absence."""
    checked = 0
    for body, sr_id in bet9ja_bodies:
        clean = parse_body(Book.BET9JA, body, sr_id=sr_id, captured_at=NOW)
        assert isinstance(clean, EventOdds) and len(clean) > 0, clean
        reference = _rows(clean)
        for index in _catalogue_leaves(body):
            mutated, applied = hostile.mutate(Book.BET9JA, body, _Pick(index), kind)
            assert applied == kind
            parsed = parse_body(Book.BET9JA, mutated, sr_id=sr_id, captured_at=NOW)
            assert isinstance(parsed, EventOdds), parsed
            seen = _rows(parsed)
            lost = [key for key, value in reference.items() if seen.get(key) != value]
            # each outcome set aside raised its own reason; a row lost beyond them was lost silently
            assert len(lost) <= parsed.set_aside_outcomes, (index, lost[:3], parsed.unmapped)
            assert not lost or parsed.notes, (index, lost[:3])
            missing = [key for key in reference if key not in seen]
            assert all(_covered(key, parsed.unread_lines) for key in missing), (index, missing[:3])
            checked += 1
    assert checked > 50  # the catalogues were really walked


def _detail(book: Book) -> tuple[bytes, int]:
    """One football match's detail on ``book`` as the sandbox serves it (player markets included), and its SR
    id."""
    quiet = BookBehaviour(latency=LatencyConfig(median_ms=0.0, sigma=0.0), faults=FaultConfig())
    config = SandboxConfig(seed=11, size=60, port=0, frozen_at=NOW, books={b: quiet for b in NIGERIA_BOOKS})
    with start_in_thread(config) as sandbox:
        event = next(e for e in sandbox.world.listed_events(book, NOW) if e.sport == "football")
        base = sandbox.base_urls[book]
        path = (
            f"events/{event.event_id(Book.BETPAWA)}"
            if book is Book.BETPAWA
            else f"event?eventId=sr:match:{event.sr_id}&productId=3"
        )
        # the request names Nigeria's site as the real client does (BetPawa by its brand header)
        headers = dict(edition(book, DEFAULT_SITE_COUNTRY).headers)
        request = urllib.request.Request(f"{base}{path}", headers=headers)
        body: bytes = urllib.request.urlopen(request, timeout=30).read()
        return body, event.sr_id


#: Each kind on a sample of the values it applies to: any string for a wrong type, names for the digits.
_SAMPLED = 80


@pytest.mark.parametrize("book", [Book.BETPAWA, Book.SPORTYBET])
@pytest.mark.parametrize("kind", ["wrong_type", "long_digits"])
def test_a_hostile_value_anywhere_in_a_detail_costs_only_rows_set_aside_with_a_reason(
    book: Book, kind: str
) -> None:
    """BetPawa's and SportyBet's details, a value made hostile in turn across the body (names, ids, lines,
    player markets): every row of the clean parse is kept as it was or set aside with a reason. Before, one
    wrong-typed price name dropped a BetPawa player market whole (its reading could not be remembered, so it
    was not read at all), and one over-long SportyBet name re-keyed a whole player market, silently."""
    body, sr_id = _detail(book)
    clean = parse_body(book, body, sr_id=sr_id, captured_at=NOW)
    assert isinstance(clean, EventOdds) and len(clean) > 300, clean
    reference = _rows(clean)
    finder = hostile._name_leaves if kind == "long_digits" else hostile._string_leaves
    leaves = len(finder(orjson.loads(body)))
    for index in range(0, leaves, max(1, leaves // _SAMPLED)):
        mutated, applied = hostile.mutate(book, body, _Pick(index), kind)
        assert applied == kind
        parsed = parse_body(book, mutated, sr_id=sr_id, captured_at=NOW)
        if not isinstance(parsed, EventOdds):  # the event itself unreadable: a failed capture with a reason
            continue
        seen = _rows(parsed)
        lost = [key for key, value in reference.items() if seen.get(key) != value]
        assert not lost or parsed.notes, (index, lost[:3])


def _covered(key: tuple[int, str, int], unread: tuple[tuple[int, str], ...]) -> bool:
    """Whether the store would leave ``key``'s stored price open for this capture (odds_store's rule)."""
    market, specifier, _outcome = key
    for u_market, shape in unread:
        if shape == "*":
            return True
        if u_market != market:
            continue
        if player_shape(specifier) == shape:
            return True
        if shape.endswith("|*") and f"|{shape[:-2]}|" in f"|{specifier}|":
            return True
    return False
