"""The delta archive: every body read back exactly as received across keyframes and deltas, chains bounded
and confined to their UTC day, concurrent writers, corrupted rows named, retention of older days.

Expectations come from the bodies the tests send (kept in the test) and from the rules the archive states
(first body of a (book, event) in a day is a keyframe, at most N rows per chain), never from the codec.
Event details stored as rows of ``core.raw_archive`` by older versions are read alike (the last tests)."""

from __future__ import annotations

import json
import random
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from typing import Any

import psycopg
import pytest

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.warehouse.archive.codec import (
    CHAIN_LENGTH,
    decode_packed_delta,
    encode_packed_delta,
)
from palimpsest_pipeline.warehouse.archive.packs import ENTRIES_SQL
from palimpsest_pipeline.warehouse.archive.reader import iter_batch_bodies, iter_event_bodies
from palimpsest_pipeline.warehouse.archive.records import ArchiveCorruptError, RawResponse
from palimpsest_pipeline.warehouse.archive.writer import RawArchiveWriter
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline.warehouse.daily_maintenance import apply_archive_retention
from palimpsest_pipeline_tests.archived import LegacyRows
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS

KICKOFF = date(2026, 5, 8)
AT = datetime(2026, 5, 7, 9, 0, tzinfo=UTC)


class Prices:
    """A detail-like JSON body whose prices move a few at a time, as a book's do minutes apart."""

    def __init__(self, seed: int, markets: int = 60) -> None:
        self._rng = random.Random(seed)
        self.seed = seed
        self.odds = [[round(self._rng.uniform(1.05, 15), 2) for _ in range(3)] for _ in range(markets)]

    def move(self, markets: int = 3) -> None:
        for m in self._rng.sample(range(len(self.odds)), markets):
            self.odds[m] = [round(o * self._rng.uniform(0.96, 1.04), 2) for o in self.odds[m]]

    def body(self) -> bytes:
        return json.dumps(
            {"event": self.seed, "markets": [{"id": m, "odds": odds} for m, odds in enumerate(self.odds)]}
        ).encode()


def _event(book: Book, sr_id: int, at: datetime, body: bytes) -> RawResponse:
    return RawResponse(
        book, "event", f"https://books.example/{book}/{sr_id}", 200, body, at, sr_id, f"e{sr_id}", KICKOFF
    )


def _write(conn: psycopg.Connection, batch: str, responses: list[RawResponse]) -> RawArchiveWriter:
    writer = RawArchiveWriter(conn, batch_id=batch, site_country="ng")
    for response in responses:
        writer.add(response)
    writer.flush()
    return writer


def _stored(conn: psycopg.Connection, sr_id: int, columns: str) -> list[tuple[Any, ...]]:
    """``columns`` of each stored body of the event (``core.raw_archive``'s names), in capture order."""
    query = (
        f"SELECT {columns} FROM ({ENTRIES_SQL.format(where='true')}) AS e"
        " WHERE sr_id = %s ORDER BY captured_at, book"
    )
    return conn.execute(query, (sr_id,)).fetchall()  # type: ignore[arg-type]


def _shape(conn: psycopg.Connection, sr_id: int) -> list[tuple[bool, int, int]]:
    """Per stored body of the event, in capture order: (is a delta, chain position, stored bytes)."""
    rows = _stored(conn, sr_id, "chain_pos > 0, chain_pos, length(body)")
    return [(bool(a), int(b), int(c)) for a, b, c in rows]


def _damage(conn: psycopg.Connection, sr_id: int, at: datetime, column: str, start: int, data: bytes) -> None:
    """Overwrite bytes of the packed body (``column`` body) or checksum (raw_hash) of the event at ``at``
    from ``start`` (1-based), in place."""
    row = conn.execute(
        """
        SELECT p.start_at, p.ctid::text, COALESCE(p.ends[e.i - 1], 0), (e.i - 1) * 8
        FROM core.archive_packs AS p CROSS JOIN LATERAL generate_subscripts(p.event_keys, 1) AS e(i)
        JOIN core.archive_events AS d ON d.event_key = p.event_keys[e.i]
        WHERE d.sr_id = %s AND p.start_at + p.at_us[e.i] * interval '1 microsecond' = %s
        """,
        (sr_id, at),
    ).fetchone()
    assert row is not None
    target, offset = ("body", row[2]) if column == "body" else ("raw_hashes", row[3])
    conn.execute(
        f"UPDATE core.archive_packs SET {target} = overlay({target} placing %s from %s for %s)"  # type: ignore[arg-type]
        " WHERE start_at = %s AND ctid = %s::tid",
        (data, offset + start, len(data), row[0], row[1]),
    )


def test_runs_store_deltas_against_the_previous_run_and_read_back_exactly(
    warehouse_conn: psycopg.Connection,
) -> None:
    events = {(book, sr): Prices(sr * 10 + i) for i, book in enumerate(NIGERIA_BOOKS) for sr in (1, 2, 3)}
    sent: list[RawResponse] = []
    for cycle in range(8):  # one writer per cycle, like one Dagster capture run per process
        at = AT + timedelta(minutes=5 * cycle)
        batch = []
        for (book, sr), prices in events.items():
            if cycle % 3 != 2:  # every third cycle nothing moved: the same bytes again
                prices.move()
            batch.append(_event(book, sr, at, prices.body()))
        writer = _write(warehouse_conn, f"run{cycle}", batch)
        sent.extend(batch)
        if cycle:
            assert writer.stats.keyframes == 0 and writer.stats.deltas == len(batch)
            assert writer.stats.bases_read == len(batch)  # a new writer finds its bases in the database
    got = [
        (b.book, b.sr_id, b.captured_at, b.body)
        for b in iter_event_bodies(warehouse_conn, KICKOFF, KICKOFF, site_country="ng")
    ]
    key = lambda r: (r.captured_at, r.book.value, r.sr_id)  # noqa: E731 - the reader's capture order
    assert got == [(r.book, r.sr_id, r.captured_at, r.body) for r in sorted(sent, key=key)]
    by_event = [
        (b.book, b.sr_id, b.body)
        for b in iter_event_bodies(warehouse_conn, KICKOFF, KICKOFF, by_event=True, site_country="ng")
    ]
    assert sorted(by_event, key=lambda x: (x[1], x[0].value)) == sorted(
        [(r.book, r.sr_id, r.body) for r in sent], key=lambda x: (x[1], x[0].value)
    )
    shape = _shape(warehouse_conn, 1)
    books = len(NIGERIA_BOOKS)
    assert [row[0] for row in shape] == [False] * books + [True] * 7 * books  # a keyframe per book, deltas
    for book_rows in (shape[i::books] for i in range(books)):  # unchanged bodies cost nothing but their row
        assert [row[2] for row in book_rows if row[1] in (2, 5)] == [0, 0]
    raw = len(sent[0].body)
    keyframe_bytes = max(row[2] for row in shape if not row[0])
    assert all(row[2] < keyframe_bytes / 3 for row in shape if row[0]), (raw, shape)


def test_first_body_of_a_day_is_a_keyframe_and_dropping_the_old_day_keeps_the_new(
    warehouse_conn: psycopg.Connection,
) -> None:
    prices = Prices(7)
    sent = []
    for at in (datetime(2026, 5, 6, 23, 50, tzinfo=UTC), datetime(2026, 5, 6, 23, 58, tzinfo=UTC),
               datetime(2026, 5, 7, 0, 2, tzinfo=UTC), datetime(2026, 5, 7, 0, 6, tzinfo=UTC)):  # fmt: skip
        prices.move()
        sent.append(_event(Book.BETPAWA, 7, at, prices.body()))
    _write(warehouse_conn, "first", sent[:2])
    _write(warehouse_conn, "second", sent[2:])  # its base would be in the previous day: a keyframe
    assert [(d, pos) for d, pos, _ in _shape(warehouse_conn, 7)] == [
        (False, 0),
        (True, 1),
        (False, 0),
        (True, 1),
    ]
    result = apply_archive_retention(warehouse_conn, today=date(2026, 5, 8), retention_days=1)
    assert len(result.dropped_partitions) == 1
    assert [b.body for b in iter_event_bodies(warehouse_conn, KICKOFF, KICKOFF, site_country="ng")] == [
        r.body for r in sent[2:]
    ]
    prices.move()  # and the chain of the kept day goes on
    later = _event(Book.BETPAWA, 7, datetime(2026, 5, 7, 0, 10, tzinfo=UTC), prices.body())
    _write(warehouse_conn, "third", [later])
    assert [b.body for b in iter_event_bodies(warehouse_conn, KICKOFF, KICKOFF, site_country="ng")] == [
        r.body for r in sent[2:]
    ] + [later.body]


def test_chains_are_bounded_and_one_row_reads_alone(warehouse_conn: psycopg.Connection) -> None:
    prices = Prices(3)
    sent = []
    for i in range(CHAIN_LENGTH + 4):
        prices.move()
        sent.append(_event(Book.SPORTYBET, 3, AT + timedelta(seconds=i), prices.body()))
    _write(warehouse_conn, "chain", sent[:-2])
    for i in (-2, -1):
        _write(warehouse_conn, f"b{i}", [sent[i]])
    assert [pos for _, pos, _ in _shape(warehouse_conn, 3)] == [*range(CHAIN_LENGTH), 0, 1, 2, 3]
    assert [b.body for b in iter_event_bodies(warehouse_conn, KICKOFF, KICKOFF, site_country="ng")] == [
        r.body for r in sent
    ]
    # one delta selected alone: its base chain is read back from the database
    assert [
        b.body for b in iter_batch_bodies(warehouse_conn, ["b-1"], kinds=("event",), site_country="ng")
    ] == [sent[-1].body]


def test_a_delta_asked_at_its_bases_url_stores_none_and_reads_back_with_it(
    warehouse_conn: psycopg.Connection,
) -> None:
    prices = Prices(4)
    urls = ["https://books.example/e4?v=1"] * 3 + ["https://books.example/e4?v=2"] * 3  # the book changed it
    sent = []
    for i, url in enumerate(urls):
        prices.move()
        at = AT + timedelta(minutes=i)
        sent.append(RawResponse(Book.BET9JA, "event", url, 200, prices.body(), at, 4, "e4", KICKOFF))
        _write(
            warehouse_conn, f"u{i}", sent[-1:]
        )  # a writer per run: bases (and their URLs) from the database
    stored = _stored(warehouse_conn, 4, "url")
    assert [u for (u,) in stored] == [urls[0], None, None, urls[3], None, None]
    read = [(b.url, b.body) for b in iter_event_bodies(warehouse_conn, KICKOFF, KICKOFF, site_country="ng")]
    assert read == [(r.url, r.body) for r in sent]
    # each delta selected alone: its URL comes from its chain, read back from the database
    for i in (2, 5):
        assert [
            (b.url, b.body)
            for b in iter_batch_bodies(warehouse_conn, [f"u{i}"], kinds=("event",), site_country="ng")
        ] == [(sent[i].url, sent[i].body)]


def test_concurrent_writers_on_one_event_never_make_an_undecodable_row(warehouse_url: str) -> None:
    prices = Prices(5)
    with (
        psycopg.connect(libpq_url(warehouse_url), autocommit=True) as one,
        psycopg.connect(libpq_url(warehouse_url), autocommit=True) as two,
    ):
        first = _event(Book.BET9JA, 5, AT, prices.body())
        _write(one, "one-a", [first])
        prices.move()
        by_two = _event(Book.BET9JA, 5, AT + timedelta(minutes=1), prices.body())
        with two.transaction():  # run two has written but not committed when run one writes again
            _write(two, "two", [by_two])
            prices.move()
            by_one = _event(Book.BET9JA, 5, AT + timedelta(minutes=2), prices.body())
            _write(one, "one-b", [by_one])  # cannot see run two's row: its base is the first body
        prices.move()
        same_instant = [  # two runs stamp different bodies with the same instant
            _event(Book.BET9JA, 5, AT + timedelta(minutes=3), prices.body()),
            _event(Book.BET9JA, 5, AT + timedelta(minutes=3), Prices(99).body()),
        ]
        _write(one, "one-c", same_instant[:1])
        _write(two, "two-b", same_instant[1:])
        prices.move()
        last = _event(Book.BET9JA, 5, AT + timedelta(minutes=4), prices.body())
        _write(two, "two-c", [last])
        sent = [first, by_two, by_one, *same_instant, last]
        got = sorted(b.body for b in iter_event_bodies(one, KICKOFF, KICKOFF, site_country="ng"))
        assert got == sorted(r.body for r in sent)
        assert sum(d for d, _, _ in _shape(one, 5)) == 5  # all but the first are deltas


def test_a_corrupted_delta_is_named_and_costs_only_its_chain(warehouse_conn: psycopg.Connection) -> None:
    good, bad = Prices(1), Prices(2)
    sent = []
    for i in range(3):
        good.move()
        bad.move()
        at = AT + timedelta(minutes=i)
        batch = [_event(Book.BETPAWA, 1, at, good.body()), _event(Book.BETPAWA, 2, at, bad.body())]
        _write(warehouse_conn, f"c{i}", batch)
        sent.extend(batch)
    broken_at = AT + timedelta(minutes=2)
    _damage(warehouse_conn, 2, broken_at, "body", 8, b"\xff")  # flip a byte of the last delta of event 2
    with pytest.raises(ArchiveCorruptError) as raised:
        list(iter_event_bodies(warehouse_conn, KICKOFF, KICKOFF, site_country="ng"))
    assert "betpawa event 'e2'" in str(raised.value) and broken_at.isoformat() in str(raised.value)
    errors: list[ArchiveCorruptError] = []
    got = [
        (b.sr_id, b.body)
        for b in iter_event_bodies(
            warehouse_conn, KICKOFF, KICKOFF, on_corrupt=errors.append, site_country="ng"
        )
    ]
    assert got == [(r.sr_id, r.body) for r in sent if not (r.sr_id == 2 and r.captured_at == broken_at)]
    assert len(errors) == 1 and "'c2'" in str(errors[0])
    # a row that decodes to other bytes than it recorded is caught by its checksum
    _damage(warehouse_conn, 1, AT, "raw_hash", 1, b"\0\0\0\0\0\0\0\0")
    errors.clear()
    ids = [
        b.sr_id
        for b in iter_event_bodies(
            warehouse_conn, KICKOFF, KICKOFF, on_corrupt=errors.append, site_country="ng"
        )
    ]
    assert ids == [2, 2]  # event 1's keyframe fails its checksum; its deltas need that keyframe
    assert "checksum" in str(errors[0]) and "event 'e1'" in str(errors[0])


def test_a_body_read_alone_names_the_corrupted_row_of_its_chain(warehouse_conn: psycopg.Connection) -> None:
    prices = Prices(5)
    sent = []
    for i in range(5):
        prices.move()
        sent.append(_event(Book.SPORTYBET, 5, AT + timedelta(minutes=i), prices.body()))
        _write(warehouse_conn, f"r{i}", sent[-1:])
    broken_at = AT + timedelta(minutes=2)
    _damage(warehouse_conn, 5, broken_at, "body", 12, b"\0\0")  # the middle delta now decodes otherwise
    with pytest.raises(ArchiveCorruptError) as raised:  # the last body, read alone, decodes its chain
        list(iter_batch_bodies(warehouse_conn, ["r4"], kinds=("event",), site_country="ng"))
    assert broken_at.isoformat() in str(raised.value) and "'r2'" in str(raised.value)
    # the rows before it still read back exactly
    assert [
        b.body for b in iter_batch_bodies(warehouse_conn, ["r1"], kinds=("event",), site_country="ng")
    ] == [sent[1].body]


def test_a_stored_delta_holds_only_its_own_bytes() -> None:
    """A writer holds every encoded body of a flush until its COPY: each costs its size, not its input's."""
    base = Prices(9).body() * 20
    body = base.replace(b'"event": 9', b'"event": 8', 1)
    tracemalloc.start()
    try:
        delta = encode_packed_delta(body, base)
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert decode_packed_delta(delta, base) == body and len(delta) < 200
    assert held < len(body) / 10  # python-zstandard's own output keeps an allocation of about len(body)


# ------------------------------------------------------------------- event details stored as rows (older)


def _damage_row(
    conn: psycopg.Connection, sr_id: int, at: datetime, column: str, start: int, data: bytes
) -> None:
    """Overwrite bytes of a ``core.raw_archive`` row's ``column`` (body or raw_hash) from ``start``."""
    conn.execute(
        f"UPDATE core.raw_archive SET {column} = overlay({column} placing %s from %s for %s)"  # type: ignore[arg-type]
        " WHERE sr_id = %s AND captured_at = %s",
        (data, start, len(data), sr_id, at),
    )


def test_rows_of_older_versions_read_back_with_their_chains_and_urls(
    warehouse_conn: psycopg.Connection,
) -> None:
    """Rows (keyframe, deltas, an unchanged body, a URL the book changed) read back exactly, in capture order,
    by event, and each delta alone (its chain read back from the database, its URL from the chain)."""
    legacy = LegacyRows(warehouse_conn)
    one, two = Prices(11), Prices(12)
    urls = ["https://books.example/e11?v=1"] * 3 + ["https://books.example/e11?v=2"] * 3
    sent = []
    for i, url in enumerate(urls):
        at = AT + timedelta(minutes=i)
        if i != 2:  # the third body of each event is the second again: an empty delta
            one.move()
            two.move()
        batch = [
            RawResponse(Book.BET9JA, "event", url, 200, one.body(), at, 11, "e11", KICKOFF),
            _event(Book.BETPAWA, 12, at, two.body()),
        ]
        legacy.write(f"old{i}", batch)
        sent.extend(batch)
    assert warehouse_conn.execute(
        "SELECT url FROM core.raw_archive WHERE sr_id = 11 ORDER BY captured_at"
    ).fetchall() == [(urls[0],), (None,), (None,), (urls[3],), (None,), (None,)]
    read = [
        (b.book, b.url, b.body)
        for b in iter_event_bodies(warehouse_conn, KICKOFF, KICKOFF, site_country="ng")
    ]
    assert read == [(r.book, r.url, r.body) for r in sent]
    by_event = [
        b.body for b in iter_event_bodies(warehouse_conn, KICKOFF, KICKOFF, by_event=True, site_country="ng")
    ]
    assert by_event == [r.body for r in sent if r.sr_id == 11] + [r.body for r in sent if r.sr_id == 12]
    for i in range(len(urls)):
        alone = [
            (b.url, b.body)
            for b in iter_batch_bodies(warehouse_conn, [f"old{i}"], kinds=("event",), site_country="ng")
        ]
        assert sorted(alone) == sorted((r.url, r.body) for r in sent[2 * i : 2 * i + 2])


def test_a_corrupted_row_of_an_older_version_is_named_and_costs_only_its_chain(
    warehouse_conn: psycopg.Connection,
) -> None:
    legacy = LegacyRows(warehouse_conn)
    good, bad = Prices(1), Prices(2)
    sent = []
    for i in range(5):
        good.move()
        bad.move()
        at = AT + timedelta(minutes=i)
        batch = [_event(Book.BETPAWA, 1, at, good.body()), _event(Book.BETPAWA, 2, at, bad.body())]
        legacy.write(f"c{i}", batch)
        sent.extend(batch)
    broken_at = AT + timedelta(minutes=2)
    _damage_row(warehouse_conn, 2, broken_at, "body", 12, b"\0\0")  # a middle delta now decodes otherwise
    errors: list[ArchiveCorruptError] = []
    got = [
        (b.sr_id, b.body)
        for b in iter_event_bodies(
            warehouse_conn, KICKOFF, KICKOFF, on_corrupt=errors.append, site_country="ng"
        )
    ]
    assert got == [(r.sr_id, r.body) for r in sent if r.sr_id == 1 or r.captured_at < broken_at]
    assert "betpawa event 'e2'" in str(errors[0]) and broken_at.isoformat() in str(errors[0])
    with pytest.raises(ArchiveCorruptError) as raised:  # the last body, read alone, decodes its chain
        list(iter_batch_bodies(warehouse_conn, ["c4"], kinds=("event",), site_country="ng"))
    assert broken_at.isoformat() in str(raised.value) and "'c2'" in str(raised.value)
    # a keyframe that decodes to other bytes than it recorded is caught by its checksum
    _damage_row(warehouse_conn, 1, AT, "raw_hash", 1, b"\0" * 16)
    errors.clear()
    ids = [
        b.sr_id
        for b in iter_event_bodies(
            warehouse_conn, KICKOFF, KICKOFF, on_corrupt=errors.append, site_country="ng"
        )
    ]
    assert 1 not in ids and "checksum" in str(errors[0]) and "event 'e1'" in str(errors[0])
