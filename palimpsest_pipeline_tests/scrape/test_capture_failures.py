"""A capture whose writes fail, over the real sandbox into a real warehouse: a failed store stops the capture
at once with its finished batches kept, and a failed archive flush keeps its bodies for the next flush or
fails the capture, never dropping them silently.

Failures are real: the store raises on one batch (the warehouse gone away), and a Postgres trigger refuses
writes to the archive's packs. The number of requests is the sandbox's own count of what it served.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime

import psycopg
import pytest

from palimpsest_pipeline.books.settings import BookSettings
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.archive.hooks import odds_archive_hook
from palimpsest_pipeline.scrape.odds.engine import capture_odds
from palimpsest_pipeline.scrape.odds.model import CaptureOptions, CaptureResult, CaptureTarget
from palimpsest_pipeline.warehouse.archive.reader import iter_batch_bodies
from palimpsest_pipeline.warehouse.archive.records import ArchiveError
from palimpsest_pipeline.warehouse.archive.writer import RawArchiveWriter
from palimpsest_pipeline.warehouse.capture_stream import CaptureBatchStore, stored_sr_ids
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_pipeline_tests.scrape.test_odds_sandbox import NOW, sandbox_settings, world_targets
from palimpsest_pipeline_tests.scrape.test_odds_stream import _FailingStore
from palimpsest_sandbox import SandboxHandle

pytestmark = pytest.mark.slow

BATCH = 5
IN_FLIGHT = 2  # per book


def _served(sandbox: SandboxHandle) -> int:
    """Requests the sandbox has answered so far, every book."""
    return sum(sandbox.served(book) for book in NIGERIA_BOOKS)


def _settings(sandbox: SandboxHandle) -> dict[Book, BookSettings]:
    return sandbox_settings(sandbox, max_in_flight=IN_FLIGHT)


Connect = Callable[[], psycopg.Connection]


@pytest.fixture
def connect(warehouse_url: str) -> Iterator[Connect]:
    """Opens autocommit connections to the test warehouse (the archive and the store each have their own)."""
    opened: list[psycopg.Connection] = []

    def open_one() -> psycopg.Connection:
        conn = psycopg.connect(libpq_url(warehouse_url), autocommit=True)
        opened.append(conn)
        return conn

    yield open_one
    for conn in opened:
        conn.close()


def _refuse_archive_writes(conn: psycopg.Connection, first: int) -> None:
    """Make Postgres refuse the first ``first`` writes to the archive's packs (a sequence counts them: it is
    not rolled back with the refused write)."""
    conn.execute("CREATE SEQUENCE public.test_archive_writes")
    conn.execute(
        f"""
        CREATE FUNCTION public.test_refuse_archive() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF nextval('public.test_archive_writes') <= {first} THEN
                RAISE EXCEPTION 'archive storage refused the write (test)';
            END IF;
            RETURN NULL;
        END $$
        """
    )
    conn.execute(
        "CREATE TRIGGER test_refuse_archive BEFORE INSERT ON core.archive_packs"
        " FOR EACH STATEMENT EXECUTE FUNCTION public.test_refuse_archive()"
    )


def _archive_writes_tried(conn: psycopg.Connection) -> int:
    row = conn.execute("SELECT last_value, is_called FROM public.test_archive_writes").fetchone()
    assert row is not None
    return int(row[0]) if row[1] else 0


def _archived_bodies(conn: psycopg.Connection, batch_id: str) -> int:
    return sum(1 for _ in iter_batch_bodies(conn, [batch_id], kinds=("event",), site_country="ng"))


class _StoreFailingAt(_FailingStore):
    """The failing store of test_odds_stream, noting what the sandbox had served when it failed."""

    def __init__(self, *args: object, sandbox: SandboxHandle, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.sandbox = sandbox
        self.served_at_failure: int | None = None

    def write(self, results: Sequence[CaptureResult]) -> None:  # type: ignore[override]
        if len(self.handed) + 1 == self.fail_at:
            self.served_at_failure = _served(self.sandbox)
        super().write(results)


def test_a_failed_store_stops_the_capture_at_once_and_keeps_the_batches_before_it(
    sandbox: SandboxHandle, connect: Connect
) -> None:
    targets = world_targets(sandbox)[:120]
    conn = connect()
    sandbox.reset_stats()  # the counters are the session sandbox's: earlier tests' requests are not ours
    store = _StoreFailingAt(
        conn,
        batch_id="store-fails",
        site_country="ng",
        cycle_at=datetime.now(UTC),
        fail_at=3,
        sandbox=sandbox,
    )
    with pytest.raises(OSError, match="unreachable") as raised:
        asyncio.run(
            capture_odds(
                targets,
                _settings(sandbox),
                now=NOW,
                store=store,
                options=CaptureOptions(parse_workers=0, batch_events=BATCH),
            )
        )
    served_after = _served(sandbox)
    # Requests after the failure: at most those in flight then, and those whose slot freed up before the
    # engine saw the failure (a loop iteration or two), never the events left to capture.
    assert store.served_at_failure is not None
    slots = IN_FLIGHT * len(NIGERIA_BOOKS)
    left_to_capture = sum(len(t.listings) for t in targets) - store.served_at_failure
    assert left_to_capture > 10 * slots  # so the bound below means something
    assert served_after - store.served_at_failure <= 2 * slots
    assert len(store.handed) == 3  # nothing handed over after the failure
    assert stored_sr_ids(conn, ["store-fails"]) == store.handed[0] | store.handed[1]
    assert "storing batch 3" in "\n".join(getattr(raised.value, "__notes__", []))


def _capture_archived(
    sandbox: SandboxHandle,
    targets: list[CaptureTarget],
    writer: RawArchiveWriter,
    store: CaptureBatchStore | None,
) -> None:
    settings = _settings(sandbox)
    options = CaptureOptions(parse_workers=0, batch_events=BATCH)
    on_response = odds_archive_hook(writer, targets, settings)
    asyncio.run(
        capture_odds(targets, settings, now=NOW, store=store, on_response=on_response, options=options)
    )


def test_a_flush_failing_once_is_retried_and_every_body_is_archived(
    sandbox: SandboxHandle, connect: Connect
) -> None:
    targets = world_targets(sandbox)[:20]
    archive_conn, store_conn = connect(), connect()
    _refuse_archive_writes(archive_conn, first=1)
    writer = RawArchiveWriter(
        archive_conn, batch_id="archive-blip", flush_bytes=1, site_country="ng"
    )  # flush per response
    store = CaptureBatchStore(
        store_conn, batch_id="archive-blip", cycle_at=datetime.now(UTC), archive=writer, site_country="ng"
    )
    sandbox.reset_stats()
    _capture_archived(sandbox, targets, writer, store)
    writer.flush()
    assert _archive_writes_tried(archive_conn) > 1  # the first write was refused, later ones went through
    served = _served(sandbox)
    assert served == sum(len(t.listings) for t in targets)
    assert _archived_bodies(archive_conn, "archive-blip") == writer.stats.rows == served
    assert stored_sr_ids(store_conn, ["archive-blip"]) == {t.sr_id for t in targets}


def test_an_archive_that_keeps_failing_fails_the_capture_before_any_price_is_stored(
    sandbox: SandboxHandle, connect: Connect
) -> None:
    targets = world_targets(sandbox)[:20]
    archive_conn, store_conn = connect(), connect()
    _refuse_archive_writes(archive_conn, first=10**9)
    writer = RawArchiveWriter(archive_conn, batch_id="archive-down", flush_bytes=1, site_country="ng")
    store = CaptureBatchStore(
        store_conn, batch_id="archive-down", cycle_at=datetime.now(UTC), archive=writer, site_country="ng"
    )
    with pytest.raises(ArchiveError, match="raw archive of batch archive-down") as raised:
        _capture_archived(sandbox, targets, writer, store)
    assert "storing batch 1" in "\n".join(getattr(raised.value, "__notes__", []))
    assert store.stats.batches == 0
    assert stored_sr_ids(store_conn, ["archive-down"]) == set()
    assert store_conn.execute("SELECT count(*) FROM core.odds_current").fetchone() == (0,)
    assert _archived_bodies(archive_conn, "archive-down") == 0


def test_without_a_store_the_final_flush_raises_when_bodies_were_not_archived(
    sandbox: SandboxHandle, connect: Connect
) -> None:
    targets = world_targets(sandbox)[:10]
    archive_conn = connect()
    _refuse_archive_writes(archive_conn, first=10**9)
    writer = RawArchiveWriter(archive_conn, batch_id="archive-down", flush_bytes=1, site_country="ng")
    sandbox.reset_stats()
    _capture_archived(sandbox, targets, writer, None)
    with pytest.raises(ArchiveError, match="raw archive of batch archive-down: gave up") as raised:
        writer.flush()
    assert f"{_served(sandbox)} bodies are not archived" in str(raised.value)  # every one, counted
    assert _archived_bodies(archive_conn, "archive-down") == 0
