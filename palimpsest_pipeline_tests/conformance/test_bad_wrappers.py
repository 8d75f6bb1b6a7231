"""Every book's list wrapper that cannot be read (a tournament, a region, a group without its name: the
sandbox's ``bad_wrapper``) costs itself, never its sport's list: over real sockets and a real warehouse the
sport's other events are stored, the wrapper is set aside named, the sport is held and nothing is withdrawn.
Where the wrapper's rows cannot be read without it, exactly that one wrapper's events are missing (all of one
tournament or one country of the world, per sport). Which books have a wrapper is the sandbox's own routes'
say; the truth is the sandbox world's own listing."""

from __future__ import annotations

import psycopg

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline_tests.conformance.book_kits import TestKit
from palimpsest_pipeline_tests.conformance.refresh import SPORTS, refresh, stored_events, world_events
from palimpsest_pipeline_tests.fixtures_sandbox import FaultSetter
from palimpsest_sandbox import SandboxHandle
from palimpsest_sandbox.books import KITS as SANDBOX_KITS


def _wrapper_endpoints(book: Book) -> list[str]:
    """The book's sandbox endpoints whose answers hold events in wrappers (``bad_wrapper`` rewrites them)."""
    return [route.name for route in SANDBOX_KITS[book].serving.routes if "wrapper" in route.answers]


def _set_aside(warehouse_url: str, book: Book) -> list[str]:
    """The reasons of ``book``'s list rows set aside in the warehouse."""
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        rows = conn.execute(
            "SELECT reason FROM core.quarantined_rows WHERE book = %s AND stage = 'catalogue'", (book.value,)
        ).fetchall()
    return [reason for (reason,) in rows]


def test_a_bad_wrapper_costs_itself_and_the_sports_other_events_are_stored(
    sandbox: SandboxHandle, warehouse_url: str, sandbox_faults: FaultSetter, book: Book, kit: TestKit
) -> None:
    endpoints = _wrapper_endpoints(book)
    assert (kit.wrapper is None) == (not endpoints), f"{book.value}'s test kit and sandbox routes disagree"
    if kit.wrapper is None:
        return  # its lists hold their rows in no wrapper: nothing for the fault to unname
    world = world_events(sandbox, book)
    assert refresh(sandbox, warehouse_url, book, "clean").scrape.status == "ok"
    assert stored_events(warehouse_url, book) == (set(world), set())

    sandbox_faults(book, bad_wrapper=1.0)
    for n in (1, 2):  # a second miss would withdraw an event the sport did not hold
        faulted = refresh(sandbox, warehouse_url, book, f"bad-wrapper-{n}")
        assert faulted.scrape.status == "ok" and faulted.refreshed, faulted.scrape.error_messages
        assert set(SPORTS) <= faulted.scrape.held_sports.keys() and faulted.stats.deleted == 0
        read = {event.event_id: event for event in faulted.scrape.events}
        assert read.items() <= world.items()  # every event read is the world's, unchanged
        lost = set(world) - set(read)
        if kit.wrapper.lost_by is None:
            assert not lost
        else:  # all the events of one wrapper, none other
            groups = {getattr(world[event_id], kit.wrapper.lost_by) for event_id in lost}
            assert len(groups) == 1, groups
            assert lost == {i for i, e in world.items() if getattr(e, kit.wrapper.lost_by) in groups}
    assert sum(sandbox.served(book, endpoint, "bad_wrapper") for endpoint in endpoints) > 0
    assert stored_events(warehouse_url, book) == (set(world), set())  # nothing withdrawn
    wrappers = [reason for reason in _set_aside(warehouse_url, book) if reason.startswith(kit.wrapper.label)]
    assert wrappers and all(kit.wrapper.missing in reason for reason in wrappers), wrappers[:3]
