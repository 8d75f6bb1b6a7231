"""Hostile values in real payloads: the parsers never crash and lose no more than the value's own outcomes,
and the store keeps every row it can and sets aside, with a reason, every row it cannot.

The payloads are the real captures in ../shared (each test skips with the reason when they are absent) and
the project's own BetPawa fixture. Expectations are independent of the code under test: a NUL anywhere must
change nothing (the unmutated parse is the reference); under random mutations (hypothesis), what must hold is
stated as invariants of the outputs, checked against Postgres itself.
"""

from __future__ import annotations

import copy
import itertools
from datetime import UTC, datetime
from pathlib import Path
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
from palimpsest_pipeline_tests.books.payloads import CAPTURED, FIXTURES

AT = datetime(2026, 5, 5, 12, 0, tzinfo=UTC)
SR = 68995116

#: Detail payloads by book: every real capture of an event page, plus our own BetPawa fixture.
DETAIL_FILES: dict[Book, tuple[str, ...]] = {
    Book.BETPAWA: ("v3_event_*.json", "v4_event_*.json"),
    Book.SPORTYBET: ("event_*.json",),
    Book.BET9JA: ("GetEvent_*.json", "GetLiveEvent_*.json"),
}


def _details() -> list[tuple[Book, Path]]:
    found = [(Book.BETPAWA, FIXTURES / "betpawa" / "event_33289995.json")]
    for book, patterns in DETAIL_FILES.items():
        for pattern in patterns:
            found.extend((book, path) for path in sorted((CAPTURED / book.value).glob(pattern)))
    return found


DETAILS = _details()
CAPTURED_DETAILS = [(book, path) for book, path in DETAILS if CAPTURED.resolve() in path.resolve().parents]
needs_captures = pytest.mark.skipif(
    not CAPTURED_DETAILS, reason="../shared/fixtures/captured is absent: no real payloads to mutate"
)


def _parse(book: Book, body: bytes) -> EventOdds | ParseFailure:
    return parse_body(book, body, sr_id=SR, captured_at=AT)


def _rows(parsed: EventOdds) -> list[tuple[Any, ...]]:
    return sorted(
        ((row.market, row.specifier, row.outcome, row.price, row.state) for row in parsed.rows),
        key=repr,
    )


def _nul_in_every_string(node: Any) -> Any:
    """Every string and object key with a NUL in its middle."""

    def cut(text: str) -> str:
        return text[: len(text) // 2] + "\x00" + text[len(text) // 2 :]

    if isinstance(node, str):
        return cut(node) if node else node
    if isinstance(node, dict):
        return {(cut(k) if k else k): _nul_in_every_string(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_nul_in_every_string(v) for v in node]
    return node


@pytest.mark.parametrize(("book", "path"), DETAILS, ids=[p.name for _, p in DETAILS])
def test_a_nul_anywhere_costs_nothing_and_is_recorded(book: Book, path: Path) -> None:
    body = path.read_bytes()
    reference = _parse(book, body)
    assert isinstance(reference, EventOdds)
    hostile = orjson.dumps(_nul_in_every_string(orjson.loads(body)))
    assert b"\\u0000" in hostile
    parsed = _parse(book, hostile)
    assert isinstance(parsed, EventOdds), parsed
    # ids, specifiers, prices and names read as the book meant them: the same rows, the same account
    assert _rows(parsed) == _rows(reference)
    assert (parsed.open_outcomes, parsed.mapped_outcomes) == (
        reference.open_outcomes,
        reference.mapped_outcomes,
    )
    kinds = [kind for kind, _ in parsed.notes]
    assert kinds.count("nul_removed") == 1 and str(SR) in dict(parsed.notes)["nul_removed"]


def _id_paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths to every string id a parser keys on: values under "id" or "typeId" (SportyBet, BetPawa)."""
    found: list[tuple[Any, ...]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("id", "typeId") and isinstance(value, str):
                found.append((*path, key))
            found.extend(_id_paths(value, (*path, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_id_paths(value, (*path, index)))
    return found


@needs_captures
@pytest.mark.parametrize(
    ("book", "path"),
    [d for d in CAPTURED_DETAILS if d[0] is not Book.BET9JA],
    ids=[p.name for b, p in CAPTURED_DETAILS if b is not Book.BET9JA],
)
def test_an_over_long_id_is_set_aside_with_its_reason_never_dropped_silently(book: Book, path: Path) -> None:
    """A 10 kB market, outcome or sport id used to read as an unknown market: its rows vanished, counted only
    as "unmapped" under a 10 kB key. Each one must now either change nothing or be set aside with a reason
    (a ``malformed`` note, quarantined by the store) or fail the event with one."""
    body = path.read_bytes()
    reference = _parse(book, body)
    assert isinstance(reference, EventOdds)
    paths = _id_paths(orjson.loads(body))
    for where in paths[:: max(1, len(paths) // 40)]:  # about 40 ids per payload, markets and outcomes alike
        hostile = orjson.dumps(_mutate(orjson.loads(body), where, "replace", "x" * 10_240))
        parsed = _parse(book, hostile)
        if isinstance(parsed, ParseFailure):
            assert parsed.kind == "odds_payload" and "characters (limit" in parsed.reason, parsed
            continue
        lost = set(_rows(reference)) - set(_rows(parsed))
        reasons = parsed.malformed
        assert not lost or any("characters (limit" in r for r in reasons), (where, len(lost))
        assert all(len(key) <= 200 for key in parsed.unmapped), where


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
