"""The raw-response archive: exact round trips, dictionaries, the async hook, retention."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.settings import SettingsLoadError, load_settings
from palimpsest_pipeline.warehouse.archive.dictionaries import newest_dictionaries, train_archive_dictionary
from palimpsest_pipeline.warehouse.archive.packs import ENTRIES_SQL
from palimpsest_pipeline.warehouse.archive.reader import iter_batch_bodies, iter_event_bodies
from palimpsest_pipeline.warehouse.archive.records import (
    ArchiveError,
    ArchiveLabels,
    RawResponse,
)
from palimpsest_pipeline.warehouse.archive.writer import RawArchiveWriter
from palimpsest_pipeline.warehouse.daily_maintenance import apply_archive_retention
from palimpsest_pipeline_tests.archived import LegacyRows, archive_responses
from palimpsest_pipeline_tests.warehouse.stored import day_partitions

CAPTURED = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "captured"
KICKOFF_DAY = date(2026, 5, 8)
AT = datetime(2026, 5, 6, 23, 58, tzinfo=UTC)


def _event_body(rng: random.Random, sr_id: int) -> bytes:
    """A detail-like JSON body: the same keys every time, numbers that differ (like a book's markets)."""
    markets = [
        {
            "id": m,
            "name": f"market {m}",
            "status": 0,
            "outcomes": [
                {"id": o, "odds": f"{rng.uniform(1.05, 15):.2f}", "isActive": rng.random() > 0.1}
                for o in range(3)
            ],
        }
        for m in range(40)
    ]
    return json.dumps(
        {"bizCode": 10000, "data": {"eventId": f"sr:match:{sr_id}", "markets": markets}}
    ).encode()


def _event(book: Book, sr_id: int, at: datetime, body: bytes, status: int = 200) -> RawResponse:
    return RawResponse(
        book=book,
        kind="event",
        url=f"https://books.example/{book}/event/{sr_id}",
        status=status,
        body=body,
        captured_at=at,
        sr_id=sr_id,
        event_id=f"e{sr_id}",
        kickoff_date=KICKOFF_DAY,
    )


def test_bodies_round_trip_byte_for_byte_across_midnight(warehouse_conn: psycopg.Connection) -> None:
    rng = random.Random(1)
    sent = [
        _event(Book.SPORTYBET, 1, AT, _event_body(rng, 1)),
        _event(Book.BETPAWA, 2, AT + timedelta(minutes=3), _event_body(rng, 2)),  # the next day
        _event(Book.BET9JA, 3, AT + timedelta(minutes=4), b"", status=404),
        RawResponse(Book.BETPAWA, "list", "https://books.example/list?page=1", 200, b'{"rows": []}', AT),
    ]
    stats = archive_responses(warehouse_conn, batch_id="b1", responses=sent)
    assert stats.rows == 4 and stats.raw_bytes == sum(len(r.body) for r in sent)
    assert stats.stored_bytes < stats.raw_bytes / 3
    assert list(day_partitions(warehouse_conn, "core.raw_archive")) == [date(2026, 5, 6)]  # the list page
    assert sorted(day_partitions(warehouse_conn, "core.archive_packs")) == [
        date(2026, 5, 6),
        date(2026, 5, 7),
    ]

    events = list(iter_event_bodies(warehouse_conn, KICKOFF_DAY, KICKOFF_DAY, site_country="ng"))
    assert [(e.book, e.sr_id, e.status, e.body) for e in events] == [
        (r.book, r.sr_id, r.status, r.body) for r in sent[:3]
    ]
    assert events[0].captured_at == AT and events[0].event_id == "e1" and events[0].batch_id == "b1"
    bet9ja_only = iter_event_bodies(
        warehouse_conn, KICKOFF_DAY, KICKOFF_DAY, books=[Book.BET9JA], site_country="ng"
    )
    assert [e.sr_id for e in bet9ja_only] == [3]
    assert (
        list(iter_event_bodies(warehouse_conn, date(2026, 5, 9), date(2026, 5, 10), site_country="ng")) == []
    )
    lists = list(iter_batch_bodies(warehouse_conn, ["b1"], site_country="ng"))
    assert [(item.kind, item.body) for item in lists] == [("list", b'{"rows": []}')]


@pytest.mark.skipif(not CAPTURED.is_dir(), reason=f"captured fixtures not found at {CAPTURED}")
def test_real_captured_bodies_round_trip(warehouse_conn: psycopg.Connection) -> None:
    bodies = [path.read_bytes() for path in sorted(CAPTURED.rglob("*.json"))]
    sent = [_event(Book.SPORTYBET, index + 1, AT, body) for index, body in enumerate(bodies)]
    archive_responses(warehouse_conn, batch_id="real", responses=sent)
    got = sorted(
        (e.sr_id, e.body)
        for e in iter_event_bodies(warehouse_conn, KICKOFF_DAY, KICKOFF_DAY, site_country="ng")
    )
    assert got == [(r.sr_id, r.body) for r in sent]


def test_dictionary_shrinks_bodies_and_old_rows_stay_readable(warehouse_conn: psycopg.Connection) -> None:
    rng = random.Random(2)
    plain = [_event(Book.BET9JA, i, AT, _event_body(rng, i)) for i in range(1, 41)]
    plain_stats = archive_responses(warehouse_conn, batch_id="plain", responses=plain)
    dict_id = train_archive_dictionary(warehouse_conn, Book.BET9JA, "event", samples=40)
    assert dict_id is not None
    assert train_archive_dictionary(warehouse_conn, Book.BETPAWA, "event") is None  # nothing to learn from
    assert set(newest_dictionaries(warehouse_conn)) == {(Book.BET9JA, "event")}

    later = [_event(Book.BET9JA, i, AT + timedelta(hours=1), _event_body(rng, i)) for i in range(41, 81)]
    dict_stats = archive_responses(warehouse_conn, batch_id="dict", responses=later)
    assert dict_stats.stored_bytes < plain_stats.stored_bytes * 0.9
    used = warehouse_conn.execute(
        "SELECT DISTINCT p.batch_id, d FROM core.archive_packs AS p, unnest(p.dict_ids) AS d ORDER BY 1"
    ).fetchall()
    assert used == [("dict", dict_id), ("plain", None)]
    read = {
        e.sr_id: e.body
        for e in iter_event_bodies(warehouse_conn, KICKOFF_DAY, KICKOFF_DAY, site_country="ng")
    }
    assert read == {r.sr_id: r.body for r in plain + later}


def test_rows_written_before_packs_and_packed_entries_read_back_together(
    warehouse_conn: psycopg.Connection,
) -> None:
    """An archive upgraded mid-day: an event's earlier bodies are rows (as older versions wrote them), its
    later ones packed entries (the first of them a keyframe, as its chain cannot continue a row); every read
    sees both, in capture order."""
    rng = random.Random(3)
    moments = [AT + timedelta(minutes=10 + i) for i in range(6)]  # all on 2026-05-07
    sent = [_event(Book.BETPAWA, sr, at, _event_body(rng, sr)) for at in moments for sr in (1, 2)]
    legacy = LegacyRows(warehouse_conn)
    for i, at in enumerate(moments):
        batch = [r for r in sent if r.captured_at == at]
        if i < 3:
            legacy.write(f"m{i}", batch)
            continue
        writer = RawArchiveWriter(warehouse_conn, batch_id=f"m{i}", site_country="ng")
        for response in batch:
            writer.add(response)
        writer.flush()
    assert warehouse_conn.execute("SELECT count(*) FROM core.raw_archive").fetchone() == (6,)
    entries = warehouse_conn.execute(
        f"SELECT chain_pos FROM ({ENTRIES_SQL.format(where='true')}) AS e ORDER BY captured_at, sr_id"
    ).fetchall()
    assert [pos for (pos,) in entries] == [0, 0, 1, 1, 2, 2]
    read = [
        (b.captured_at, b.sr_id, b.body)
        for b in iter_event_bodies(warehouse_conn, KICKOFF_DAY, KICKOFF_DAY, site_country="ng")
    ]
    assert read == [(r.captured_at, r.sr_id, r.body) for r in sent]
    by_event = [
        b.body
        for b in iter_event_bodies(warehouse_conn, KICKOFF_DAY, KICKOFF_DAY, by_event=True, site_country="ng")
    ]
    assert by_event == [r.body for r in sent if r.sr_id == 1] + [r.body for r in sent if r.sr_id == 2]
    assert [
        b.body for b in iter_batch_bodies(warehouse_conn, ["m5"], kinds=("event",), site_country="ng")
    ] == [r.body for r in sent[-2:]]


def test_async_hook_archives_with_labels_and_flushes_off_the_loop(warehouse_conn: psycopg.Connection) -> None:
    writer = RawArchiveWriter(
        warehouse_conn, batch_id="hooked", flush_bytes=1, site_country="ng"
    )  # flush on every response
    labels = {
        "/catalogue": ArchiveLabels("catalogue"),
        "/event/7": ArchiveLabels("event", sr_id=7, event_id="e7", kickoff_date=KICKOFF_DAY),
    }
    hook = writer.on_response(
        lambda book, url: labels.get(url.removeprefix("https://books.example"), ArchiveLabels("list"))
    )

    async def capture() -> None:
        await asyncio.gather(
            hook(Book.SPORTYBET, "https://books.example/event/7", 200, b'{"event": 7}', AT),
            hook(Book.SPORTYBET, "https://books.example/list?page=2", 200, b'{"page": 2}', AT),
            hook(Book.SPORTYBET, "https://books.example/catalogue", 200, b'{"sports": []}', AT),
        )

    asyncio.run(capture())
    writer.flush()
    assert writer.stats.rows == 3
    rows = warehouse_conn.execute(
        "SELECT kind, sr_id, event_id, kickoff_date FROM core.raw_archive UNION ALL"
        f" SELECT kind, sr_id, event_id, kickoff_date FROM ({ENTRIES_SQL.format(where='true')}) AS e"
        " ORDER BY kind"
    ).fetchall()
    assert rows == [
        ("catalogue", None, None, None),
        ("event", 7, "e7", KICKOFF_DAY),
        ("list", None, None, None),
    ]


def test_hook_stamps_the_send_instant_else_the_receive_time(warehouse_conn: psycopg.Connection) -> None:
    sent_at = AT - timedelta(seconds=2)
    stamps = iter([sent_at, None])  # an attempt's send time, then a body received outside any attempt
    writer = RawArchiveWriter(warehouse_conn, batch_id="stamped", site_country="ng")
    hook = writer.on_response(lambda book, url: ArchiveLabels("event"), captured_at=lambda: next(stamps))

    async def capture() -> None:
        await hook(Book.BET9JA, "https://books.example/event/1", 200, b'{"event": 1}', AT)
        await hook(Book.BET9JA, "https://books.example/event/2", 200, b'{"event": 2}', AT)

    asyncio.run(capture())
    writer.flush()
    rows = warehouse_conn.execute("SELECT url, captured_at FROM core.raw_archive ORDER BY url").fetchall()
    assert rows == [("https://books.example/event/1", sent_at), ("https://books.example/event/2", AT)]


def test_bad_responses_are_rejected_with_the_url(warehouse_conn: psycopg.Connection) -> None:
    writer = RawArchiveWriter(warehouse_conn, batch_id="b", site_country="ng")
    naive = RawResponse(Book.BETPAWA, "event", "https://x/1", 200, b"{}", datetime(2026, 5, 6))
    with pytest.raises(ArchiveError, match=r"https://x/1.*timezone-aware"):
        writer.add(naive)
    with pytest.raises(ArchiveError, match="kind must be one of"):
        writer.add(RawResponse(Book.BETPAWA, "page", "https://x/2", 200, b"{}", AT))  # type: ignore[arg-type]
    with pytest.raises(ArchiveError, match="batch_id"):
        RawArchiveWriter(warehouse_conn, batch_id="", site_country="ng")


def test_retention_drops_only_days_older_than_the_window(warehouse_conn: psycopg.Connection) -> None:
    today = date(2026, 5, 20)
    days = [today - timedelta(days=n) for n in (20, 15, 14, 13, 0)]
    archive_responses(
        warehouse_conn,
        batch_id="r",
        responses=[
            RawResponse(
                Book.BETPAWA,
                "list",
                f"https://x/{d}",
                200,
                b"{}",
                datetime(d.year, d.month, d.day, 12, tzinfo=UTC),
            )
            for d in days
        ],
    )
    result = apply_archive_retention(
        warehouse_conn, today=today, retention_days=load_settings({}).archive_retention_days
    )
    assert result.cutoff == date(2026, 5, 6)
    assert sorted(result.dropped_partitions) == ["raw_archive_p20260430", "raw_archive_p20260505"]
    assert sorted(day_partitions(warehouse_conn, "core.raw_archive")) == sorted(days[2:])
    assert warehouse_conn.execute("SELECT count(*) FROM core.raw_archive").fetchone() == (3,)
    again = apply_archive_retention(warehouse_conn, today=today, retention_days=14)
    assert again.dropped_partitions == ()


def test_a_dictionary_is_kept_while_a_packed_keyframe_needs_it(warehouse_conn: psycopg.Connection) -> None:
    rng = random.Random(4)
    first = [_event(Book.BET9JA, i, AT, _event_body(rng, i)) for i in range(1, 41)]
    archive_responses(warehouse_conn, batch_id="first", responses=first)
    old = train_archive_dictionary(warehouse_conn, Book.BET9JA, "event", samples=40)
    later = [_event(Book.BET9JA, i, AT + timedelta(hours=1), _event_body(rng, i)) for i in range(41, 61)]
    archive_responses(warehouse_conn, batch_id="later", responses=later)  # keyframes with ``old``
    new = train_archive_dictionary(warehouse_conn, Book.BET9JA, "event", samples=40)
    assert old is not None and new is not None and new > old
    warehouse_conn.execute("UPDATE core.archive_dictionaries SET trained_at = now() - interval '2 days'")
    kept = apply_archive_retention(warehouse_conn, today=date(2026, 5, 8), retention_days=2)
    assert kept.dropped_partitions == () and kept.dropped_dictionaries == 0  # packed keyframes name ``old``
    read = {
        e.sr_id: e.body
        for e in iter_event_bodies(warehouse_conn, KICKOFF_DAY, KICKOFF_DAY, site_country="ng")
    }
    assert read == {r.sr_id: r.body for r in first + later}
    gone = apply_archive_retention(warehouse_conn, today=date(2026, 5, 20), retention_days=2)
    assert sorted(gone.dropped_partitions) == ["archive_packs_p20260506", "archive_packs_p20260507"]
    assert gone.dropped_dictionaries == 1  # ``old``; ``new`` is the newest, kept
    assert set(newest_dictionaries(warehouse_conn)) == {(Book.BET9JA, "event")}


def test_retention_drops_the_event_labels_no_kept_pack_names(warehouse_conn: psycopg.Connection) -> None:
    """Labels (``core.archive_events``) go with the last pack that names them, never before: events 1-3 were
    captured only on a dropped day; event 4 kicked off as long ago but was captured again on a kept day;
    event 5 kicks off after the cutoff."""
    rng = random.Random(9)
    long_ago, later = date(2026, 5, 8), date(2026, 5, 21)

    def captured(sr_id: int, day: int, kickoff: date) -> RawResponse:
        at = datetime(2026, 5, day, 12, tzinfo=UTC)
        response = _event(Book.SPORTYBET, sr_id, at, _event_body(rng, sr_id))
        return dataclasses.replace(response, kickoff_date=kickoff)

    archive_responses(
        warehouse_conn, batch_id="old", responses=[captured(i, 7, long_ago) for i in (1, 2, 3, 4)]
    )
    kept = [captured(4, 19, long_ago), captured(5, 19, later)]
    archive_responses(warehouse_conn, batch_id="new", responses=kept)

    def labels() -> set[str]:
        return {e for (e,) in warehouse_conn.execute("SELECT event_id FROM core.archive_events")}

    assert labels() == {"e1", "e2", "e3", "e4", "e5"}
    result = apply_archive_retention(warehouse_conn, today=date(2026, 5, 20), retention_days=2)
    assert result.dropped_partitions == ("archive_packs_p20260507",)
    assert result.dropped_event_labels == 3
    assert labels() == {"e4", "e5"}
    # what is kept still reads back whole, labels included
    read = [
        (b.event_id, b.body) for b in iter_event_bodies(warehouse_conn, long_ago, later, site_country="ng")
    ]
    assert sorted(read) == sorted((r.event_id, r.body) for r in kept)
    again = apply_archive_retention(warehouse_conn, today=date(2026, 5, 20), retention_days=2)
    assert again.dropped_event_labels == 0 and labels() == {"e4", "e5"}


def test_retention_setting_is_validated() -> None:
    assert load_settings({}).archive_retention_days == 14
    assert load_settings({"PALIMPSEST_ARCHIVE_RETENTION_DAYS": " 3 "}).archive_retention_days == 3
    for bad in ("0", "-1", "two weeks"):
        with pytest.raises(SettingsLoadError, match="PALIMPSEST_ARCHIVE_RETENTION_DAYS"):
            load_settings({"PALIMPSEST_ARCHIVE_RETENTION_DAYS": bad})
