"""A value of the wrong type in any field of any book's list answers costs at most its own row, and says so.

Each book's catalogue is scraped once from the sandbox over a socket, its answers recorded; then, for each
distinct field of each answer, the same scrape is replayed from the recording with that one value turned into
an object (``make chaos``'s hostile wrong type, here at every field rather than at a drawn one). Against the
clean scrape, every event must come back the same, or be named by a row set aside, or be in a sport the
scrape holds, or the scrape must not be whole (failed, partial, suspect): an event lost or changed silently
(Bet9ja's ``EXTID`` once read as "no SR id") fails the test.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import orjson

from palimpsest_pipeline.books.kits import KITS
from palimpsest_pipeline.books.settings import BookSettings
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.archive.requests import (
    ArchiveTransport,
    replay_settings,
    request_key,
    volatile_params,
)
from palimpsest_pipeline.scrape.catalogue import CatalogueScrape, scrape_catalogue
from palimpsest_pipeline_tests.conformance.book_kits import book_settings
from palimpsest_pipeline_tests.conformance.hostile_fields import turned_hostile
from palimpsest_sandbox.server import SandboxHandle

SPORTS = ["football", "basketball", "tennis"]
HORIZON = timedelta(days=3)

Recording = dict[str, list[tuple[int, bytes]]]


def _record(book: Book, settings: BookSettings, now: datetime) -> tuple[CatalogueScrape, Recording]:
    volatile = volatile_params(KITS[book].adapter().wire(settings))
    answers: Recording = {}

    def keep(_: Book, url: str, status: int, body: bytes, __: datetime) -> None:
        answers.setdefault(request_key(url, settings.base_url, volatile), []).append((status, body))

    scrape = asyncio.run(
        scrape_catalogue(book, settings, sports=SPORTS, horizon=HORIZON, now=now, on_response=keep)
    )
    return scrape, answers


def _replay(book: Book, settings: BookSettings, now: datetime, answers: Recording) -> CatalogueScrape:
    quiet = replay_settings(settings)
    volatile = volatile_params(KITS[book].adapter().wire(quiet))
    transport = ArchiveTransport(answers, base_url=quiet.base_url, volatile=volatile)
    return asyncio.run(
        scrape_catalogue(book, quiet, sports=SPORTS, horizon=HORIZON, now=now, transport=transport)
    )


def _fields(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """(path, field name) of every non-empty text value; a field name's first occurrence only."""
    seen: set[str] = set()
    stack = [(node, path)]
    while stack:
        current, at = stack.pop(0)
        items = current.items() if isinstance(current, dict) else enumerate(current)
        for key, value in items:
            name = str(key) if isinstance(current, dict) else "[]"
            if isinstance(value, str) and value and isinstance(current, dict) and name not in seen:
                seen.add(name)
                yield (*at, key), name
            elif isinstance(value, dict | list):
                stack.append((value, (*at, key)))


def _silent_losses(clean: CatalogueScrape, hostile: CatalogueScrape) -> list[str]:
    """Events of ``clean`` that ``hostile`` lost or changed without saying so."""
    if hostile.status != "ok" or not hostile.complete:
        return []  # nothing of it is trusted: it withdraws nothing
    named = {row.event_id for row in hostile.set_aside_rows}
    got = {event.event_id: event for event in hostile.events}
    lost = []
    for event in clean.events:
        if event.sport in hostile.held_sports or event.event_id in named:
            continue
        if got.get(event.event_id) != event:
            lost.append(f"{event.event_id}: {event!r:.200} -> {got.get(event.event_id)!r:.200}")
    return lost


def test_a_wrong_type_in_any_list_field_costs_at_most_its_row(sandbox: SandboxHandle, book: Book) -> None:
    settings = book_settings(sandbox, book)
    now = sandbox.now()
    clean, answers = _record(book, settings, now)
    assert clean.status == "ok" and clean.events, clean.error_messages
    assert _replay(book, settings, now, answers).events == clean.events  # the recording replays whole
    failures: list[str] = []
    tried: set[tuple[str, str]] = set()  # (endpoint, field name): each once, in the first answer holding it
    for key, attempts in answers.items():
        status, body = attempts[-1]
        if status != 200:
            continue
        endpoint = key.split("?")[0]
        for path, name in _fields(orjson.loads(body)):
            if (endpoint, name) in tried:
                continue
            tried.add((endpoint, name))
            hostile = {**answers, key: [(status, turned_hostile(body, path))]}
            losses = _silent_losses(clean, _replay(book, settings, now, hostile))
            if losses:
                failures.append(f"{key} field {name!r} at {path}: {len(losses)} lost, e.g. {losses[0]}")
    assert len(tried) >= 5, tried
    assert not failures, "\n".join(failures[:10])
