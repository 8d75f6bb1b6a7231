"""A tiny scripted HTTP/1.1 server on 127.0.0.1 for testing the client's behaviour on real sockets.

Written on raw asyncio streams rather than an ASGI stack because the tests need faults an ASGI app cannot
produce on purpose: closing the connection without any answer, hanging, or sending a truncated body. It runs
in the test's own event loop and records, server-side, when each request arrived and how many were being
served at once, so tests assert on what the server saw rather than on client wall-clock time.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import parse_qsl, urlsplit

import orjson

Action = Literal["respond", "drop", "hang", "truncate"]


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    action: Action = "respond"

    @staticmethod
    def json(payload: object, status: int = 200, **kwargs: object) -> Reply:
        headers = {"content-type": "application/json"}
        return Reply(status=status, body=orjson.dumps(payload), headers=headers, **kwargs)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Hit:
    """One request as the server received it; ``at`` is the server loop's clock."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    at: float


Handler = Callable[[Hit], Reply | Awaitable[Reply]]

_REASONS = {
    200: "OK",
    302: "Found",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


class ScriptedServer:
    """``async with ScriptedServer(handler) as server:`` then ``server.url("/path/")``."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.hits: list[Hit] = []
        self.in_flight = 0
        self.peak_in_flight = 0
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.port = 0

    async def __aenter__(self) -> ScriptedServer:
        self._server = await asyncio.start_server(self._connection, host="127.0.0.1", port=0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._server is not None
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await self._server.wait_closed()

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def hits_on(self, path: str) -> list[Hit]:
        return [hit for hit in self.hits if hit.path == path]

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                hit = self._parse(head)
                length = int(hit.headers.get("content-length", "0") or 0)
                if length:
                    await reader.readexactly(length)
                self.hits.append(hit)
                self.in_flight += 1
                self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
                try:
                    keep_open = await self._answer(hit, writer)
                finally:
                    self.in_flight -= 1
                if not keep_open:
                    return
        finally:
            self._tasks.discard(task)
            writer.close()

    def _parse(self, head: bytes) -> Hit:
        request_line, *header_lines = head.decode("latin-1").rstrip("\r\n").split("\r\n")
        method, target, _version = request_line.split(" ", 2)
        headers = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        parts = urlsplit(target)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        return Hit(method, parts.path, query, headers, asyncio.get_running_loop().time())

    async def _answer(self, hit: Hit, writer: asyncio.StreamWriter) -> bool:
        outcome = self.handler(hit)
        reply = await outcome if inspect.isawaitable(outcome) else outcome
        if reply.delay_s:
            await asyncio.sleep(reply.delay_s)
        if reply.action == "drop":
            writer.transport.abort()
            return False
        if reply.action == "hang":
            await asyncio.sleep(3600)
            return False
        head = [f"HTTP/1.1 {reply.status} {_REASONS.get(reply.status, 'Status')}"]
        headers = {"content-length": str(len(reply.body)), **reply.headers}
        head += [f"{name}: {value}" for name, value in headers.items()]
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
        if reply.action == "truncate":
            writer.write(reply.body[: len(reply.body) // 2])
            await writer.drain()
            writer.transport.abort()
            return False
        writer.write(reply.body)
        await writer.drain()
        return True


def scripted(routes: Mapping[str, list[Reply]]) -> Handler:
    """A handler answering each path with its replies in order, repeating the last one; 404 elsewhere."""
    queues = {path: list(replies) for path, replies in routes.items()}

    def handle(hit: Hit) -> Reply:
        replies = queues.get(hit.path)
        if not replies:
            return Reply(status=404, body=b'{"error":"no such route"}')
        return replies.pop(0) if len(replies) > 1 else replies[0]

    return handle
