"""A value the standard library refuses, anywhere in any book's answer, is that book's bad value.

Every reader of every book's answers (its envelope, list, event-detail, live-list and odds parsers, found
through the registries and fed the sandbox's answers as the real flows ask for them) is given, one scalar
position at a time, each value the standard library refuses or misreads: a 4,301-digit number as text and
as a number (``int()`` and ``str()`` refuse past 4,300 digits), 1e308 and "1e309", NaN, "-0" and -0.0, a
100 kB id and a 5,000-level nested list and object (past Python's recursion limit). A reader must read the
value or refuse it as the book's own error: never let ValueError, OverflowError, RecursionError, KeyError or
TypeError escape. A row whose id is such a value costs that row; the others are still read.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import pytest

from palimpsest_pipeline.books.adapter import Window
from palimpsest_pipeline.books.bet9ja import catalogue as bet9ja
from palimpsest_pipeline.books.betpawa import catalogue as betpawa
from palimpsest_pipeline.books.errors import BookError, FetchError
from palimpsest_pipeline.books.http import BookClient
from palimpsest_pipeline.books.kits import KITS
from palimpsest_pipeline.books.list_rows import BadRow
from palimpsest_pipeline.books.settings import BookSettings
from palimpsest_pipeline.books.sports import SPORTS
from palimpsest_pipeline.books.sportybet import catalogue as sportybet
from palimpsest_pipeline.books.wire import BookRequest, EnvelopeError, Fetched, Wire
from palimpsest_pipeline.records import Book, Event, LiveEvent, Tournament
from palimpsest_pipeline.scrape.odds.parsing import ParseFailure, parse_body, parse_decoded
from palimpsest_pipeline_tests.books.scripted_server import Reply, ScriptedServer, scripted
from palimpsest_pipeline_tests.fixtures_sandbox import SANDBOX_TEST_INSTANT, fast_book_settings
from palimpsest_sandbox import SandboxHandle

#: An evening of the test world with matches in play on every book (their live lists are not empty).
EVENING = SANDBOX_TEST_INSTANT.replace(hour=18, minute=30)
#: Each list in an answer is cut to this many items: every shape is kept, and a parse costs little.
ITEMS_KEPT = 3
#: Scalar positions tried per answer, spread evenly over the answer.
POSITIONS = 40
#: Requests each flow may make per endpoint (one per sport, three groups...): the first answers are kept.
ASKED_PER_ENDPOINT = 1
LONG_NUMBER = "1" * 4_301


def _nested(depth: int, container: Callable[[Any], Any]) -> Any:
    value: Any = "deep"
    for _ in range(depth):
        value = container(value)
    return value


#: Each value the standard library refuses or misreads, by name.
REFUSED: dict[str, Any] = {
    "4,301-digit text": LONG_NUMBER,
    "4,301-digit number": 10**4_300,
    "1e308": 1e308,
    "'1e309'": "1e309",
    "NaN": math.nan,
    "'-0'": "-0",
    "-0.0": -0.0,
    "100 kB id": "9" * 100_000,
    "5,000-level list": _nested(5_000, lambda inner: [inner]),
    "5,000-level object": _nested(5_000, lambda inner: {"v": inner}),
}
#: The ids of a row, when a row's id is replaced: a number too long to convert, and a 100 kB id.
ROW_IDS = {"4,301-digit text": LONG_NUMBER, "100 kB id": "9" * 100_000}


@dataclass(frozen=True)
class Answer:
    """One answer of a book as a flow read it: what read it, and the decoded value it was handed."""

    book: Book
    what: str
    read: Callable[[Any], Any]
    payload: bytes


class _Recorder(BookClient):
    """A client that keeps every answer with the function that read it (and the envelope with the book's
    ``unwrap``), asking each endpoint at most ``ASKED_PER_ENDPOINT`` times: a later request fails as the
    book's error, which every flow survives."""

    def __init__(self, settings: BookSettings, wire: Wire, kind: str, answers: list[Answer]) -> None:
        unwrap = wire.unwrap

        def kept_unwrap(payload: Any, where: str) -> Any:
            answers.append(
                Answer(settings.book, f"envelope {where}", lambda p: unwrap(p, where), _dump(payload))
            )
            return unwrap(payload, where)

        super().__init__(settings, replace(wire, unwrap=kept_unwrap))
        self.kind = kind
        self.answers = answers
        self.asked: dict[str, int] = {}

    async def fetch(self, request: BookRequest, parse: Callable[[Any], Any], **kwargs: Any) -> Fetched[Any]:
        asked = self.asked[request.endpoint] = self.asked.get(request.endpoint, 0) + 1
        if asked > ASKED_PER_ENDPOINT:
            raise FetchError(
                self.book, request.endpoint, "not asked by this test", kind="skipped", attempts=0
            )

        def kept_parse(data: Any) -> Any:
            self.answers.append(Answer(self.book, f"{self.kind} {request.endpoint}", parse, _dump(data)))
            return parse(data)

        return await super().fetch(request, kept_parse, **kwargs)


def _dump(value: Any) -> bytes:
    return orjson.dumps(_cut(value))


def _cut(value: Any) -> Any:
    """``value`` with every list cut to its first ``ITEMS_KEPT`` items."""
    if isinstance(value, list):
        return [_cut(item) for item in value[:ITEMS_KEPT]]
    if isinstance(value, dict):
        return {key: _cut(item) for key, item in value.items()}
    return value


async def _record(sandbox: SandboxHandle) -> list[Answer]:
    """Every book's answers: its catalogue and one event's detail at the sandbox's frozen instant (the
    answers other tests ask for, rendered once), its live list in the evening (when matches are in play)."""
    settings = fast_book_settings(sandbox)
    settings[Book.BETIKA] = fast_book_settings(sandbox, [Book.BETIKA], site_country="ke")[Book.BETIKA]
    answers: list[Answer] = []
    for book, kit in KITS.items():
        adapter = kit.adapter()
        wire = adapter.wire(settings[book])
        async with _Recorder(settings[book], wire, "list", answers) as client:
            parts = await adapter.list_catalogue(client, SPORTS, Window(sandbox.now(), timedelta(days=3)))
        assert parts.events, (book, [str(error) for error in parts.failures][:3])
        async with _Recorder(settings[book], wire, "detail", answers) as client:
            await client.fetch(
                adapter.event_detail_request(parts.events[0].event_id), adapter.parse_event_detail
            )
    sandbox.set_clock(EVENING, frozen=True)
    try:
        for book, kit in KITS.items():
            live = kit.live_adapter()
            live_settings = live.live_settings(settings[book])
            async with _Recorder(live_settings, live.wire(settings[book]), "live", answers) as client:
                with contextlib.suppress(BookError):  # a request past ASKED_PER_ENDPOINT: the others are kept
                    await live.list_live(client, SPORTS)
    finally:
        sandbox.set_clock(SANDBOX_TEST_INSTANT, frozen=True)
    return answers


@pytest.fixture(scope="module")
def answers(sandbox: SandboxHandle) -> list[Answer]:
    return asyncio.run(_record(sandbox))


def _scalar_paths(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _scalar_paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _scalar_paths(value, (*path, index))
    else:
        yield path


def _spread(paths: list[tuple[Any, ...]], most: int) -> list[tuple[Any, ...]]:
    step = max(1, math.ceil(len(paths) / most))
    return paths[::step]


def _with(payload: bytes, path: tuple[Any, ...], value: Any) -> Any:
    """A fresh decoding of ``payload`` with ``value`` (itself, not a copy) at ``path``."""
    decoded = orjson.loads(payload)
    if not path:
        return value
    parent = decoded
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value
    return decoded


#: What a reader may raise for a value it refuses: the book's own errors (an envelope's error included).
BOOK_ERRORS = (BookError, EnvelopeError)


def _escaped(read: Callable[[Any], Any], payload: Any) -> BaseException | None:
    """What escaped ``read(payload)`` that is not the book's own error, or None."""
    try:
        read(payload)
    except BOOK_ERRORS:
        return None
    except Exception as error:  # what escapes is what the test reports
        return error
    return None


def _distinct(answers: list[Answer]) -> list[Answer]:
    """The first answer of each (book, what) that reads: one of each kind is enough."""
    kept: dict[tuple[Book, str], Answer] = {}
    for answer in answers:
        if (answer.book, answer.what) not in kept and _escaped(
            answer.read, orjson.loads(answer.payload)
        ) is None:
            kept[(answer.book, answer.what)] = answer
    return list(kept.values())


def test_every_reader_of_every_book_meets_each_refused_value_with_its_own_error(
    answers: list[Answer],
) -> None:
    kept = _distinct(answers)
    assert {answer.book for answer in kept} == set(Book)
    kinds = {(answer.book, answer.what.split()[0]) for answer in kept}
    assert kinds >= {(book, kind) for book in Book for kind in ("envelope", "list", "detail", "live")} - {
        (Book.BETWAY, "envelope")  # Betway's answers carry no envelope
    }
    escaped: list[str] = []
    for answer in kept:
        paths = _spread(list(_scalar_paths(orjson.loads(answer.payload))), POSITIONS)
        for path in paths:
            for name, value in REFUSED.items():
                error = _escaped(answer.read, _with(answer.payload, path, value))
                if error is not None:
                    escaped.append(f"{answer.book.value} {answer.what} at {path}: {name}: {error!r:.200}")
    assert not escaped, f"{len(escaped)} escaped, e.g.\n" + "\n".join(escaped[:15])


def test_every_odds_parser_meets_each_refused_value_as_the_events_parse_error(answers: list[Answer]) -> None:
    details = [answer for answer in _distinct(answers) if answer.what.startswith("detail ")]
    assert {answer.book for answer in details} == set(Book)
    at = datetime(2026, 5, 4, 18, 30, tzinfo=UTC)
    crashed: list[str] = []
    for answer in details:
        sr_id = answer.read(orjson.loads(answer.payload)).sr_id
        reference = parse_decoded(answer.book, orjson.loads(answer.payload), sr_id=sr_id, captured_at=at)
        assert not isinstance(reference, ParseFailure), reference
        for path in _spread(list(_scalar_paths(orjson.loads(answer.payload))), POSITIONS):
            for name, value in REFUSED.items():
                payload = _with(answer.payload, path, value)
                parsed = parse_decoded(answer.book, payload, sr_id=sr_id, captured_at=at, with_fields=True)
                if isinstance(parsed, ParseFailure) and parsed.kind != "odds_payload":
                    crashed.append(
                        f"{answer.book.value} at {path}: {name}: {parsed.kind}: {parsed.reason:.200}"
                    )
    assert not crashed, f"{len(crashed)} crashed, e.g.\n" + "\n".join(crashed[:15])


def _rows(result: Any) -> tuple[list[Any], list[BadRow]]:
    """The records a list or live parse read (events, live events, tournaments) and its rows set aside."""
    parts = result if isinstance(result, tuple) else (result,)
    records: list[Any] = []
    bad: list[BadRow] = []
    for part in parts:
        items = part if isinstance(part, list) else [part]
        records += [item for item in items if isinstance(item, Event | LiveEvent | Tournament)]
        bad += [item for item in items if isinstance(item, BadRow)]
    return records, bad


def _event_id(record: Any) -> str | None:
    event = record.event if isinstance(record, LiveEvent) else record
    return event.event_id if isinstance(event, Event) else None


def _id_path(node: Any, event_id: str, path: tuple[Any, ...] = ()) -> tuple[Any, ...] | None:
    """Where the payload writes ``event_id`` (or its last part: Betika's match id), under an id's key."""
    if isinstance(node, dict):
        for key, value in node.items():
            if "id" in key.lower() and isinstance(value, str | int) and not isinstance(value, bool):
                text = str(value)
                if text == event_id or (event_id.endswith(f":{text}") and len(text) > 3):
                    return (*path, key)
        items: Any = node.items()
    elif isinstance(node, list):
        items = enumerate(node)
    else:
        return None
    for key, value in items:
        found = _id_path(value, event_id, (*path, key))
        if found is not None:
            return found
    return None


@pytest.mark.parametrize("name", sorted(ROW_IDS))
def test_a_row_whose_id_is_refused_costs_that_row_and_the_others_are_read(
    answers: list[Answer], name: str
) -> None:
    checked: set[tuple[Book, str]] = set()
    for answer in _distinct(answers):
        if not answer.what.startswith(("list ", "live ")):
            continue
        records, bad = _rows(answer.read(orjson.loads(answer.payload)))
        ids = [_event_id(record) for record in records]
        if len([i for i in ids if i is not None]) < 2 or bad:
            continue
        path = _id_path(orjson.loads(answer.payload), ids[0] or "")
        assert path is not None, (answer.book, answer.what, ids[0])
        hostile_records, hostile_bad = _rows(answer.read(_with(answer.payload, path, ROW_IDS[name])))
        assert [_event_id(r) for r in hostile_records] == ids[1:], (answer.book, answer.what, path)
        assert len(hostile_bad) == 1 and f"{path[-1]}: " in hostile_bad[0].reason, hostile_bad
        checked.add((answer.book, answer.what.split()[0]))
    assert {book for book, _ in checked} == set(Book), checked


# ----------------------------------------------------------------------------- where an answer is handed over

#: A list nested a thousand levels: JSON a book may send (orjson reads 1,024 levels), which ``repr`` and
#: ``str`` refuse (past Python's recursion limit).
DEEP_JSON = b"[" * 1_000 + b"]" * 1_000


def _fetch(request: BookRequest, parse: Callable[[Any], Any], wire: Wire, replies: list[Reply]) -> Any:
    """``request`` fetched once from a server answering ``replies``: the server, the client and what came
    back (the answer, or the error raised)."""

    async def run() -> tuple[ScriptedServer, BookClient, Any]:
        async with ScriptedServer(scripted({f"/api/{request.path}": replies})) as server:
            settings = BookSettings(
                book=Book.BET9JA,
                base_url=server.url("/api/"),
                max_attempts=2,
                backoff_base_s=0.0,
                backoff_cap_s=0.0,
            )
            async with BookClient(settings, wire) as client:
                try:
                    result: Any = await client.fetch(request, parse)
                except BookError as error:
                    result = error
        return server, client, result

    return asyncio.run(run())


@pytest.mark.parametrize(
    ("where", "parse"),
    [("envelope", lambda data: data), ("payload", repr)],
    ids=["unwrap", "parse"],
)
def test_a_value_refused_while_reading_an_answer_is_a_malformed_answer_kept_with_its_body(
    where: str, parse: Callable[[Any], Any]
) -> None:
    """Bet9ja's envelope quotes ``D`` when ``R`` is "E": a ``D`` nested a thousand levels is refused by
    ``str()``; a parse meeting such a value likewise. Each is the answer's fault: retried, then given up on
    as malformed with its body (for the quarantine), never an exception escaping the client."""
    body = (
        b'{"R": "E", "D": ' + DEEP_JSON + b"}"
        if where == "envelope"
        else b'{"R": "OK", "D": ' + DEEP_JSON + b"}"
    )
    wire = Wire(headers={}, unwrap=bet9ja.unwrap)
    server, client, result = _fetch(BookRequest("GetEvent", "GetEvent"), parse, wire, [Reply(body=body)])
    assert isinstance(result, FetchError), result
    assert (result.kind, result.attempts, result.body) == ("malformed", 2, body)
    assert f"malformed {where}: a value the reader refused (RecursionError" in result.what
    assert len(server.hits) == 2 and client.stats.errors_by_kind == {"malformed": 2}


@pytest.mark.parametrize(
    "request_",
    [betpawa.event_detail_request("3300\x01"), sportybet.event_detail_request("9" * 100_000)],
    ids=["control character in the path", "100 kB id in the query"],
)
def test_a_request_no_url_can_carry_fails_as_the_books_error_unsent(request_: BookRequest) -> None:
    server, client, result = _fetch(request_, lambda data: data, Wire(headers={}), [Reply.json({})])
    assert isinstance(result, FetchError), result
    assert (result.kind, result.attempts, result.where) == ("invalid_request", 0, request_.endpoint)
    assert server.hits == [] and client.stats.errors_by_kind == {"invalid_request": 1}


def test_a_value_refused_while_unwrapping_in_a_parse_worker_comes_back_as_a_malformed_envelope() -> None:
    body = b'{"R": "E", "D": ' + DEEP_JSON + b"}"
    parsed = parse_body(
        Book.BET9JA, body, sr_id=1, captured_at=EVENING, unwrap=bet9ja.unwrap, where="GetEvent"
    )
    assert isinstance(parsed, ParseFailure)
    assert parsed.kind == "envelope_malformed" and "RecursionError" in parsed.reason
