"""A value of the wrong type in any field of any book's event-detail (odds) answer costs at most its own
market, named; it never changes a price or a key silently, and never costs the event unless the field is the
event's own.

Each book's detail answers for a few football events (the most markets, players included) are fetched from
the sandbox over a socket; then, for each distinct field name of each answer (its first occurrence), the
answer is parsed again with that one value turned into an object (``make chaos``'s hostile wrong type, here at
every field rather than at a drawn one). Against the clean parse, every row must come back with the same key,
price and state, or be missing with the parse naming what it set aside. A row may differ from the clean
parse only as it does in the parse of the same answer without the value's outcome (the innermost list item
holding it, or the field itself outside lists): an unreadable outcome is as if absent (Bet9ja then prices a
bet by its restatement), never read as another value.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import orjson

from palimpsest_pipeline.books.http import BookClient
from palimpsest_pipeline.books.kits import KITS
from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.books.settings import BookSettings
from palimpsest_pipeline.records import Book, Event
from palimpsest_pipeline.scrape.catalogue import scrape_catalogue
from palimpsest_pipeline.scrape.odds.parsing import ParseFailure, parse_body
from palimpsest_pipeline_tests.conformance.book_kits import book_settings
from palimpsest_pipeline_tests.conformance.hostile_fields import turned_hostile
from palimpsest_sandbox.server import SandboxHandle

#: Football events per book whose answers are turned hostile, field by field.
EVENTS_PER_BOOK = 2


def _events(book: Book, settings: BookSettings, now: datetime) -> list[Event]:
    scrape = asyncio.run(
        scrape_catalogue(book, settings, sports=["football"], horizon=timedelta(days=3), now=now)
    )
    assert scrape.status == "ok", scrape.error_messages
    return [event for event in scrape.events if event.sr_id is not None][:EVENTS_PER_BOOK]


def _detail_bodies(book: Book, settings: BookSettings, events: list[Event]) -> list[tuple[Event, bytes]]:
    """Each event's detail answer as the book sent it (envelope included), read over the socket."""
    adapter = KITS[book].adapter()
    bodies: dict[str, bytes] = {}

    async def fetch_all() -> None:
        def keep(_: Book, url: str, status: int, body: bytes, __: datetime) -> None:
            if status == 200:
                bodies[url] = body

        async with BookClient(settings, adapter.wire(settings), on_response=keep) as client:
            for event in events:
                bodies.clear()
                await client.fetch(adapter.event_detail_request(event.event_id), lambda data: data)
                got.append((event, next(iter(bodies.values()))))

    got: list[tuple[Event, bytes]] = []
    asyncio.run(fetch_all())
    return got


#: A dict with at least this many keys is a map of data (Bet9ja's odds by outcome key), not a schema: its
#: entries are tried as one field, at its first few entries.
MAP_KEYS = 50
MAP_ENTRIES_TRIED = 4


def _fields(node: Any) -> Iterator[tuple[tuple[Any, ...], str]]:
    """(path, field name) of every scalar value (text, number, true/false) held by an object, breadth
    first; each field name once, at its first occurrence (a map's entries under one name, a few times)."""
    seen: dict[str, int] = {}
    queue: list[tuple[Any, tuple[Any, ...]]] = [(node, ())]
    while queue:
        current, at = queue.pop(0)
        items = current.items() if isinstance(current, dict) else enumerate(current)
        is_map = isinstance(current, dict) and len(current) >= MAP_KEYS
        for key, value in items:
            if isinstance(value, dict | list):
                queue.append((value, (*at, key)))
            elif isinstance(current, dict) and value is not None:
                name = f"{'.'.join(map(str, at))}[*]" if is_map else str(key)
                tries = seen.get(name, 0)
                if tries < (MAP_ENTRIES_TRIED if is_map else 1):
                    seen[name] = tries + 1
                    yield (*at, key), name


def _without_outcome(body: bytes, path: tuple[Any, ...]) -> bytes:
    """The answer without the outcome holding the value at ``path``: the innermost list item on the path,
    or the field itself when no list holds it."""
    cut = max((i for i, key in enumerate(path) if isinstance(key, int)), default=len(path) - 1)
    payload = orjson.loads(body)
    container = payload
    for key in path[:cut]:
        container = container[key]
    del container[path[cut]]
    return orjson.dumps(payload)


def _parse(book: Book, event: Event, body: bytes, settings: BookSettings) -> EventOdds | ParseFailure:
    assert event.sr_id is not None
    unwrap = KITS[book].adapter().wire(settings).unwrap
    return parse_body(
        book, body, sr_id=event.sr_id, captured_at=datetime(2026, 11, 26), unwrap=unwrap, with_fields=False
    )


def _is_the_events_own(payload: Any, path: tuple[Any, ...]) -> bool:
    """Whether the value at ``path`` is a fact of the event itself: no list it is reached through holds more
    than one item (Betika's answer is a list of the one match's row)."""
    node = payload
    for key in path[:-1]:
        if isinstance(node, list) and len(node) > 1:
            return False
        node = node[key]
    return True


def _silent_changes(
    clean: EventOdds,
    hostile: EventOdds | ParseFailure,
    absent: EventOdds | ParseFailure,
    event_level: bool,
) -> list[str]:
    """What ``hostile`` changed against ``clean`` without saying so (``absent``: the parse without the
    value's outcome; ``event_level``: whether the value is the event's own)."""
    if isinstance(hostile, ParseFailure):
        if (
            event_level
            and hostile.kind in {"odds_payload", "envelope_malformed", "envelope"}
            and hostile.reason
        ):
            return []  # the event's own fact unreadable: the event is refused, named
        return [f"the whole event failed ({hostile.kind}: {hostile.reason[:200]})"]
    before = {(r.market, r.specifier, r.outcome): (r.price, r.state) for r in clean.rows}
    after = {(r.market, r.specifier, r.outcome): (r.price, r.state) for r in hostile.rows}
    if_absent = (
        {}
        if isinstance(absent, ParseFailure)
        else {(r.market, r.specifier, r.outcome): (r.price, r.state) for r in absent.rows}
    )
    problems = [
        f"{key} {'changed ' + str(before[key]) if key in before else 'appeared'} -> {value}"
        for key, value in after.items()
        if before.get(key) != value and if_absent.get(key) != value
    ]
    lost = [key for key in before if key not in after]
    said = len(hostile.notes) > len(clean.notes) or hostile.set_aside_outcomes > clean.set_aside_outcomes
    if lost and not said:
        problems.append(f"{len(lost)} row(s) lost unnamed, e.g. {lost[0]}")
    if lost and len(lost) == len(before):
        problems.append(f"every row lost ({len(lost)}) for one value inside a market")
    return problems


def test_a_wrong_type_in_any_detail_field_costs_at_most_its_market(
    deep_sandbox: SandboxHandle, book: Book
) -> None:
    sandbox = deep_sandbox  # the world at full depth: every family, players included
    settings = book_settings(sandbox, book)
    answers = _detail_bodies(book, settings, _events(book, settings, sandbox.now()))
    assert answers, f"{book.value}: no football event to fetch"
    failures: list[str] = []
    tried = 0
    for event, body in answers:
        clean = _parse(book, event, body, settings)
        assert isinstance(clean, EventOdds) and clean.rows, clean
        payload = orjson.loads(body)
        for path, name in _fields(payload):
            tried += 1
            hostile = _parse(book, event, turned_hostile(body, path), settings)
            absent = _parse(book, event, _without_outcome(body, path), settings)
            changes = _silent_changes(clean, hostile, absent, _is_the_events_own(payload, path))
            if changes:
                failures.append(f"{event.event_id} field {name!r} at {path}: {'; '.join(changes[:3])}")
    assert tried >= 10, tried
    assert not failures, "\n".join(failures[:15])
