"""Hostile values in real payloads: under random mutations (hypothesis) the parsers never crash and the store
keeps every row it can and sets aside, with a reason, every row it cannot; what must hold is stated as
invariants of the outputs, checked against Postgres itself. The payloads are the real captures in ../shared
(the test skips with the reason when they are absent). A NUL anywhere and an over-long id are judged for
every book in conformance/test_hostile_values.py; here, Bet9ja's own over-long odds key.
"""

from __future__ import annotations

import copy
import itertools
from datetime import UTC, datetime
from typing import Any

import orjson
import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.odds.parsing import ParseFailure, parse_body
from palimpsest_pipeline.warehouse.odds_store import store_odds
from palimpsest_pipeline.warehouse.quarantine import MAX_SPECIFIER_CHARS
from palimpsest_pipeline_tests.books.payloads import CAPTURED

AT = datetime(2026, 5, 5, 12, 0, tzinfo=UTC)
SR = 68995116

#: Detail payloads by book: every real capture of an event page.
DETAIL_FILES: dict[Book, tuple[str, ...]] = {
    Book.BETPAWA: ("v3_event_*.json", "v4_event_*.json"),
    Book.SPORTYBET: ("event_*.json",),
    Book.BET9JA: ("GetEvent_*.json", "GetLiveEvent_*.json"),
}
CAPTURED_DETAILS = [
    (book, path)
    for book, patterns in DETAIL_FILES.items()
    for pattern in patterns
    for path in sorted((CAPTURED / book.value).glob(pattern))
]
needs_captures = pytest.mark.skipif(
    not CAPTURED_DETAILS, reason="../shared/fixtures/captured is absent: no real payloads to mutate"
)


def _parse(book: Book, body: bytes) -> EventOdds | ParseFailure:
    return parse_body(book, body, sr_id=SR, captured_at=AT)


def test_an_over_long_bet9ja_key_is_set_aside_with_its_reason() -> None:
    odds = {"S_1X2_1": "1.50", "S_1X2_" + "9" * 10_000: "2.10", "S_1X2_2": "4.20"}
    parsed = _parse(Book.BET9JA, orjson.dumps({"R": "OK", "D": {"O": odds}}))
    assert isinstance(parsed, EventOdds)
    assert len(parsed.rows) == 2
    (reason,) = parsed.malformed
    assert "10006 characters (limit 200)" in reason


# ------------------------------------------------------------------------------------- property-based fuzz

_HOSTILE_VALUES = [
    "\x00",
    "x" * 10_240,
    "",
    None,
    {"unexpected": ["value"]},
    [],
    -1,
    0,
    1e308,
    "NaN",
    "Infinity",
    "1.5e400",
    True,
    "🇧🇷\u202e",  # a flag and a right-to-left override
]


def _leaves(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths to every value in the payload (containers included), depth first."""
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found.extend(_leaves(value, (*path, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_leaves(value, (*path, index)))
    return found


def _mutate(payload: Any, path: tuple[Any, ...], how: str, value: Any) -> Any:
    """``payload`` with the value at ``path`` replaced by ``value``, deleted, or (a list item) duplicated.
    ``value`` goes in as a copy: a later mutation inside it must not change the hostile values themselves
    (hypothesis then sees another example's data change under it)."""
    value = copy.deepcopy(value)
    if not path:
        return value if how == "replace" else payload
    parent = payload
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if how == "delete":
        del parent[last]
    elif how == "duplicate" and isinstance(parent, list):
        parent.insert(last, orjson.loads(orjson.dumps(parent[last])))
    else:
        parent[last] = value
    return payload


_sr_ids = itertools.count(900_000_000)


@needs_captures
@settings(
    max_examples=150,
    deadline=None,
    database=None,  # nothing written into the checkout
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_mutated_real_payloads_never_crash_the_parsers_or_the_store(
    warehouse_conn: psycopg.Connection, data: st.DataObject
) -> None:
    book, path = data.draw(st.sampled_from(CAPTURED_DETAILS), label="payload")
    payload = orjson.loads(path.read_bytes())
    leaves = _leaves(payload)
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        where = data.draw(st.sampled_from(leaves), label="path")
        how = data.draw(st.sampled_from(["replace", "delete", "duplicate"]), label="how")
        value = data.draw(st.sampled_from(_HOSTILE_VALUES), label="value")
        try:
            payload = _mutate(payload, where, how, value)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed or replaced the path's parent
        leaves = _leaves(payload)
    parsed = _parse(book, orjson.dumps(payload))

    # The parser either reads the event or rejects it with a reason naming the book; it never crashes.
    if isinstance(parsed, ParseFailure):
        assert parsed.kind in ("odds_payload", "not_json"), parsed
        assert book.value in parsed.reason
        return
    # Its account adds up: every open row it keyed was counted as keyed, and keyed <= open.
    assert sum(row.state == "open" for row in parsed.rows) == parsed.mapped_outcomes <= parsed.open_outcomes

    # The store keeps every row it can hold, sets aside (with a reason) every row it cannot, and never raises:
    # each distinct outcome key ends up in exactly one of the two.
    sr_id = next(_sr_ids)
    rows = [row._replace(sr_id=sr_id) for row in parsed.rows]
    stats = store_odds(
        warehouse_conn, rows, captured={(sr_id, book): AT}, batch_id=f"fuzz-{sr_id}", site_country="ng"
    )
    stored = set(
        warehouse_conn.execute(
            "SELECT market, specifier, outcome FROM core.odds_current WHERE sr_id = %s", (sr_id,)
        ).fetchall()
    )
    set_aside = {_quarantined_key(q.key) for q in stats.quarantined}
    keys = {(r.market, r.specifier[:MAX_SPECIFIER_CHARS], r.outcome) for r in rows}
    stored_keys = {(m, s[:MAX_SPECIFIER_CHARS], o) for m, s, o in stored}
    assert stored_keys | set_aside == keys
    assert not stored_keys & set_aside
    assert all(q.reason and q.book == book.value and q.sr_id == sr_id for q in stats.quarantined)


def _quarantined_key(key: str) -> tuple[int, str, int]:
    """(market, specifier, outcome) of an odds quarantine item key: ``market|specifier|outcome[|kind]``."""
    market, _, rest = key.partition("|")
    head, _, last = rest.rpartition("|")
    if not last.lstrip("-").isdigit():  # a kind: the outcome is the field before it
        head, _, last = head.rpartition("|")
    return int(market), head, int(last)
