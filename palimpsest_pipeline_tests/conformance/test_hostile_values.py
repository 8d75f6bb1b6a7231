"""Hostile values in copies of every book's real captures (read in place). One where a book writes one
outcome's price costs that outcome and nothing else: its key alone is lost, no other row changes, the parse
names the one value it set aside (the book's name first) and the outcome's line is marked as not read whole.
A NUL in the middle of every text changes nothing and is recorded once. A 10 kB id changes nothing or is set
aside with a reason naming the book (never copied whole), or refuses the event with one: never a row lost
silently, never a 10 kB key counted as unknown."""

from __future__ import annotations

import copy
import json
import math
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import orjson
import pytest

from palimpsest_pipeline.books.kits import KITS
from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.odds.parsing import ParseFailure, parse_body
from palimpsest_pipeline_tests.books.payloads import CAPTURED
from palimpsest_pipeline_tests.conformance.book_kits import TestKit, captures

AT = datetime(2026, 5, 20, 9, 0, tzinfo=UTC)

pytestmark = pytest.mark.skipif(
    not CAPTURED.is_dir(), reason=f"captured responses not found at {CAPTURED} (../shared is absent)"
)

#: Each value no price may be read from, by name: ``make chaos``'s hostile kinds and the standard library's
#: misreadings (a 40,000-digit text reads as infinity).
HOSTILE: dict[str, Any] = {
    "nan number": math.nan,
    "'NaN' text": "NaN",
    "a list": ["2.40"],
    "an object": {"unexpected": ["2.40"]},
    "40,000 digits": "1" * 40_000,
    "true": True,
    "null": None,
}


def _rows(body: Any, book: Book, sr_id: int) -> tuple[dict[Any, Any], Any]:
    parsed = KITS[book].parse_odds(body, sr_id=sr_id, captured_at=AT)
    return {(r.market, r.specifier, r.outcome): (r.price, r.state) for r in parsed.rows}, parsed


@pytest.mark.parametrize("value", list(HOSTILE), ids=list(HOSTILE))
def test_a_hostile_price_costs_its_outcome_named(book: Book, kit: TestKit, value: str) -> None:
    path = CAPTURED / book.value / kit.hostile.capture
    body = json.loads(path.read_text(encoding="utf-8"))
    clean, clean_parse = _rows(body, book, kit.hostile.sr_id)
    assert kit.hostile.key in clean and clean[kit.hostile.key][1] == "open"
    edited = copy.deepcopy(body)
    container, field = kit.hostile.price_at(edited)
    container[field] = HOSTILE[value]
    hostile, parsed = _rows(edited, book, kit.hostile.sr_id)
    assert set(clean) - set(hostile) == {kit.hostile.key}
    assert hostile.items() <= clean.items()  # no other row changed
    # the capture's own (two listings of one key at different prices, named) stay; one reason more
    added = [reason for reason in parsed.malformed if reason not in clean_parse.malformed]
    assert len(added) == 1 and added[0].startswith(book.value), parsed.malformed
    assert kit.hostile.key[:2] in parsed.unread_lines


def _all_rows(parsed: EventOdds) -> Counter[tuple[Any, ...]]:
    return Counter((r.market, r.specifier, r.outcome, r.price, r.state) for r in parsed.rows)


def _nul_in_every_text(node: Any) -> Any:
    """Every text and object key with a NUL in its middle."""

    def cut(text: str) -> str:
        return text[: len(text) // 2] + "\x00" + text[len(text) // 2 :]

    if isinstance(node, str):
        return cut(node) if node else node
    if isinstance(node, dict):
        return {(cut(k) if k else k): _nul_in_every_text(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_nul_in_every_text(v) for v in node]
    return node


def test_a_nul_anywhere_costs_nothing_and_is_recorded(book: Book) -> None:
    for path, sr_id in captures(book):
        body = path.read_bytes()
        reference = parse_body(book, body, sr_id=sr_id, captured_at=AT)
        assert isinstance(reference, EventOdds), (path.name, reference)
        hostile = orjson.dumps(_nul_in_every_text(orjson.loads(body)))
        assert b"\\u0000" in hostile
        parsed = parse_body(book, hostile, sr_id=sr_id, captured_at=AT)
        assert isinstance(parsed, EventOdds), (path.name, parsed)
        # ids, lines, prices and names read as the book meant them: the same rows, the same account
        assert _all_rows(parsed) == _all_rows(reference), path.name
        counts = (parsed.open_outcomes, parsed.mapped_outcomes)
        assert counts == (reference.open_outcomes, reference.mapped_outcomes), path.name
        kinds = [kind for kind, _ in parsed.notes]
        assert kinds.count("nul_removed") == 1 and str(sr_id) in dict(parsed.notes)["nul_removed"], path.name


#: An id no book writes.
OVER_LONG_ID = "x" * 10_240
#: About this many ids of each book's captures are made over long (shared out over its captures), markets
#: and outcomes alike.
IDS_PER_BOOK = 160


def _id_paths(node: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths to every text under a key naming an id (``id``, ``typeId``, ``outcome_id``, ``ID``...)."""
    found: list[tuple[Any, ...]] = []
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    for key, value in items:
        if isinstance(node, dict) and str(key).lower().endswith("id") and isinstance(value, str):
            found.append((*at, key))
        found.extend(_id_paths(value, (*at, key)))
    return found


def _with_value(body: bytes, at: tuple[Any, ...], value: Any) -> bytes:
    payload = orjson.loads(body)
    container = payload
    for key in at[:-1]:
        container = container[key]
    container[at[-1]] = value
    return orjson.dumps(payload)


def test_an_over_long_id_is_set_aside_with_its_reason_never_dropped_silently(book: Book) -> None:
    found = captures(book)
    for path, sr_id in found:
        body = path.read_bytes()
        reference = parse_body(book, body, sr_id=sr_id, captured_at=AT)
        assert isinstance(reference, EventOdds), (path.name, reference)
        # a real capture's only reasons: two listings of one key at different prices, each named
        assert all(reason.endswith("at different prices") for reason in reference.malformed), path.name
        paths = _id_paths(orjson.loads(body))
        assert paths, f"{path.name}: no id to make over long"
        for at in paths[:: max(1, len(paths) * len(found) // IDS_PER_BOOK)]:
            parsed = parse_body(book, _with_value(body, at, OVER_LONG_ID), sr_id=sr_id, captured_at=AT)
            where = (path.name, at)
            if isinstance(parsed, ParseFailure):  # the event's own id: the event is refused, named
                assert parsed.kind == "odds_payload" and parsed.reason.startswith(book.value), where
                assert OVER_LONG_ID not in parsed.reason, where
                continue
            lost = _all_rows(reference) - _all_rows(parsed)
            assert not lost or parsed.malformed, (where, len(lost))
            assert all(r.startswith(book.value) and OVER_LONG_ID not in r for r in parsed.malformed), where
            assert all(len(key) <= 200 for key in parsed.unmapped), where
