"""Every book's real captured event-detail answers (../shared/fixtures/captured) parse to rows an independent
walk of the JSON (``walks.py``, not the parser's code) confirms: every price the walk keys by UOF's ids is
stored under that key at that price, every price stored open is one the walk found open, nothing is set
aside, and at least the book's share of open outcomes is keyed. Asked for another match, an answer is
refused, or every market of it set aside, each naming the match asked for: no price is stored under it."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from palimpsest_pipeline.books.kits import KITS
from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.odds.parsing import ParseFailure, parse_body
from palimpsest_pipeline_tests.books.payloads import CAPTURED
from palimpsest_pipeline_tests.conformance.book_kits import TestKit, captures
from palimpsest_pipeline_tests.conformance.walks import Key, Walked, uof_markets

AT = datetime(2026, 5, 20, 9, 0, tzinfo=UTC)

pytestmark = pytest.mark.skipif(
    not CAPTURED.is_dir(), reason=f"captured responses not found at {CAPTURED} (../shared is absent)"
)


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _open(parsed: EventOdds) -> dict[Key, float | None]:
    return {(r.market, r.specifier, r.outcome): r.price for r in parsed.rows if r.state == "open"}


def keyed_share(stored: dict[Key, float | None], walked: Walked) -> float:
    """Walked open outcomes stored under their own UOF key at their price, or (no UOF key) stored open at
    their price under a key no walked UOF key claims, over every walked open outcome."""
    keyed = walked.keyed()
    met = sum(1 for key, price in walked.open if key is not None and stored.get(key) == price)
    unclaimed = Counter(price for key, price in stored.items() if key not in keyed)
    for key, price in walked.open:
        if key is None and unclaimed[price] > 0:
            unclaimed[price] -= 1
            met += 1
    return met / len(walked.open)


def test_every_capture_parses_to_the_rows_its_walk_confirms(book: Book, kit: TestKit) -> None:
    parse = KITS[book].parse_odds
    judged = 0
    for path, sr_id in captures(book):
        body = _load(path)
        parsed, walked = parse(body, sr_id=sr_id, captured_at=AT), kit.walk(body)
        stored = _open(parsed)
        where = path.name
        # the only reasons: two listings of one key at different prices, each named
        assert all(reason.endswith("at different prices") for reason in parsed.malformed), (
            where,
            parsed.malformed,
        )
        assert all(row.sr_id == sr_id and row.book is book for row in parsed.rows), where
        keyed = walked.keyed()
        assert {key: stored.get(key) for key in keyed} == keyed, where  # every keyed price, under its key
        assert not Counter(stored.values()) - Counter(price for _, price in walked.open), (
            where
        )  # none invented
        if kit.keys_every_uof_outcome:  # nothing else stored under a UOF market
            assert {key: p for key, p in stored.items() if key[0] in uof_markets()} == keyed, where
        if kit.counts_every_open_outcome:
            # the same bet listed twice at one price counts once
            assert parsed.open_outcomes + parsed.duplicate_listings == len(walked.open), where
        if walked.open:
            judged += 1
            assert keyed_share(stored, walked) >= kit.keyed_share, (where, keyed_share(stored, walked))
        else:
            assert stored == {} and parsed.open_outcomes == 0, where
    assert judged, f"no capture of {book.value} has an open outcome to judge"


def test_an_answer_asked_for_another_match_stores_nothing_under_it(book: Book) -> None:
    found = captures(book)
    for (path, sr_id), (_, other) in zip(found, [*found[1:], found[0]], strict=True):
        assert other != sr_id, path.name
        parsed = parse_body(book, path.read_bytes(), sr_id=other, captured_at=AT)
        if isinstance(parsed, ParseFailure):
            assert parsed.kind == "odds_payload" and parsed.reason.startswith(book.value), parsed
            assert str(other) in parsed.reason, (path.name, parsed.reason)
        else:
            assert parsed.rows == [] and parsed.malformed, (path.name, len(parsed.rows))
            assert all(str(other) in reason for reason in parsed.malformed), parsed.malformed[:2]
