"""httpx over aiohttp (books/transport.py) against a raw socket server on 127.0.0.1: each failure raised as
the httpx exception the client's retry rules read, bodies passed through raw, each request the client's."""

from __future__ import annotations

import asyncio
import gzip
import socket
import ssl
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from unittest import mock

import httpx
import pytest
import trustme

from palimpsest_pipeline.books import transport as transport_module
from palimpsest_pipeline.books.transport import AiohttpTransport

#: What the server does with one connection: read its request heads and write whatever it likes.
Serve = Callable[[asyncio.StreamReader, asyncio.StreamWriter, "RawServer"], Awaitable[None]]


@dataclass
class RawServer:
    serve: Serve
    heads: list[bytes] = field(default_factory=list)
    connections: int = 0
    port: int = 0

    async def read_head(self, reader: asyncio.StreamReader) -> bytes | None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError):
            return None
        self.heads.append(head)
        return head

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            await self.serve(reader, writer, self)
        finally:
            writer.close()

    async def __aenter__(self) -> RawServer:
        self._server = await asyncio.start_server(self._connection, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._server.close()


def answer(body: bytes, *headers: str, status: str = "200 OK") -> bytes:
    lines = [f"HTTP/1.1 {status}", f"content-length: {len(body)}", *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def get_all(serve: Serve, *paths: str, read_s: float = 5.0) -> tuple[RawServer, list[object]]:
    """GET each path in turn through one client; each result is the response's body or the exception."""
    results: list[object] = []
    async with RawServer(serve) as server:
        transport = AiohttpTransport(2)
        timeout = httpx.Timeout(5.0, read=read_s)
        async with httpx.AsyncClient(transport=transport, timeout=timeout) as client:
            for path in paths:
                try:
                    response = await client.get(f"http://127.0.0.1:{server.port}{path}")
                    results.append(response.content)
                except httpx.HTTPError as error:
                    results.append(error)
    return server, results


async def keep_answering(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, server: RawServer
) -> None:
    while await server.read_head(reader) is not None:
        writer.write(answer(b'{"n": %d}' % len(server.heads)))
        await writer.drain()


def test_a_dropped_connection_is_one_request_raised_as_a_protocol_error_never_resent() -> None:
    async def drop(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, server: RawServer) -> None:
        await server.read_head(reader)
        writer.transport.abort()

    server, [result] = asyncio.run(get_all(drop, "/a"))
    assert isinstance(result, httpx.RemoteProtocolError)
    assert len(server.heads) == 1  # aiohttp would resend an idempotent request once, unseen


def test_a_malformed_status_line_is_a_protocol_error() -> None:
    async def garbage(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, server: RawServer) -> None:
        await server.read_head(reader)
        writer.write(b"HTTP/1.1 two hundred\r\ncontent-length: 2\r\n\r\n{}")
        await writer.drain()

    _, [result] = asyncio.run(get_all(garbage, "/a"))
    assert isinstance(result, httpx.RemoteProtocolError)


def test_a_body_cut_short_is_a_protocol_error() -> None:
    async def cut(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, server: RawServer) -> None:
        await server.read_head(reader)
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n" + b"x" * 10)
        await writer.drain()

    _, [result] = asyncio.run(get_all(cut, "/a"))
    assert isinstance(result, httpx.RemoteProtocolError)


def test_silence_past_the_read_timeout_is_a_read_timeout() -> None:
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, server: RawServer) -> None:
        await server.read_head(reader)
        await reader.read()  # until the client gives up and closes

    _, [result] = asyncio.run(get_all(silent, "/a", read_s=0.2))
    assert isinstance(result, httpx.ReadTimeout)


def test_a_refused_connection_is_a_connect_error() -> None:
    with socket.socket() as probe:  # a port with nothing listening on it
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    async def fetch() -> object:
        async with httpx.AsyncClient(transport=AiohttpTransport(1)) as client:
            try:
                return await client.get(f"http://127.0.0.1:{port}/a")
            except httpx.HTTPError as error:
                return error

    assert isinstance(asyncio.run(fetch()), httpx.ConnectError)


def test_bodies_arrive_raw_and_connections_are_kept_alive() -> None:
    packed = gzip.compress(b'{"a": 1}')

    async def gzipped(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, server: RawServer) -> None:
        while await server.read_head(reader) is not None:
            writer.write(answer(packed, "content-encoding: gzip"))
            await writer.drain()

    async def fetch_raw() -> tuple[RawServer, list[bytes]]:
        async with (
            RawServer(gzipped) as server,
            httpx.AsyncClient(transport=AiohttpTransport(1)) as client,
        ):
            bodies = []
            for _ in range(3):
                async with client.stream("GET", f"http://127.0.0.1:{server.port}/a") as response:
                    bodies.append(b"".join([chunk async for chunk in response.aiter_raw()]))
            return server, bodies

    server, bodies = asyncio.run(fetch_raw())
    assert bodies == [packed] * 3  # the client's own decoder, bounded, decodes them (books/decoding.py)
    assert server.connections == 1


def test_a_body_left_half_read_costs_its_connection_not_the_next_answer() -> None:
    big = b"y" * 300_000

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, server: RawServer) -> None:
        while (head := await server.read_head(reader)) is not None:
            writer.write(answer(big if head.startswith(b"GET /big") else b"small"))
            await writer.drain()

    async def fetch() -> tuple[RawServer, bytes]:
        async with (
            RawServer(serve) as server,
            httpx.AsyncClient(transport=AiohttpTransport(1)) as client,
        ):
            async with client.stream("GET", f"http://127.0.0.1:{server.port}/big") as response:
                async for _chunk in response.aiter_raw():
                    break  # abandoned, as an answer over the book's size limit is
            small = await client.get(f"http://127.0.0.1:{server.port}/small")
            return server, small.content

    server, small = asyncio.run(fetch())
    assert small == b"small"
    assert server.connections == 2


def test_cookies_are_httpx_s_sent_once() -> None:
    async def cookie(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, server: RawServer) -> None:
        while await server.read_head(reader) is not None:
            writer.write(answer(b"{}", "set-cookie: session=abc; Path=/"))
            await writer.drain()

    server, results = asyncio.run(get_all(cookie, "/a", "/b"))
    assert results == [b"{}", b"{}"]
    second = server.heads[1].decode().lower()
    assert second.count("cookie: session=abc") == 1


def test_a_transport_needs_a_connection() -> None:
    with pytest.raises(ValueError, match="need >= 1 connection"):
        AiohttpTransport(0)


def test_answers_keep_their_order_on_one_connection() -> None:
    _, results = asyncio.run(get_all(keep_answering, "/a", "/b", "/c"))
    assert results == [b'{"n": 1}', b'{"n": 2}', b'{"n": 3}']


# ------------------------------------------------------------------------------------------------------- TLS


async def _tls_get(certified_for: str, trust: ssl.SSLContext | None) -> object:
    """GET over TLS from a server on 127.0.0.1 whose certificate a test CA issued for ``certified_for``;
    ``trust``: the client's trusted certificates (None: the transport's default, the system's bundle)."""
    authority = trustme.CA()
    served = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert(certified_for).configure_cert(served)

    async def answer_once(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await reader.readuntil(b"\r\n\r\n")
            writer.write(answer(b'{"tls": true}'))
            await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, ssl.SSLError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(answer_once, "127.0.0.1", 0, ssl=served)
    port = server.sockets[0].getsockname()[1]
    if trust is not None:
        authority.configure_trust(trust)
    tls = trust or transport_module.shared_tls()
    try:
        with mock.patch.object(transport_module, "shared_tls", lambda: tls):
            async with httpx.AsyncClient(transport=AiohttpTransport(1)) as client:
                return (await client.get(f"https://127.0.0.1:{port}/a")).content
    except httpx.HTTPError as error:
        return error
    finally:
        server.close()


def test_tls_answers_come_through_from_a_certificate_the_client_trusts() -> None:
    assert asyncio.run(_tls_get("127.0.0.1", ssl.create_default_context())) == b'{"tls": true}'


def test_a_certificate_no_trusted_authority_signed_is_refused() -> None:
    assert isinstance(asyncio.run(_tls_get("127.0.0.1", None)), httpx.ConnectError)


def test_a_certificate_for_another_host_is_refused() -> None:
    result = asyncio.run(_tls_get("books.example", ssl.create_default_context()))
    assert isinstance(result, httpx.ConnectError)


def test_a_request_left_pending_when_its_loop_closes_is_let_go_quietly() -> None:
    """An interrupt (Ctrl-C in a Dagster step) can close the event loop under a request still waiting for its
    answer; the request is collected later. Closing it then must not raise (Python would print a traceback
    at exit), nor closing its client."""
    asked = threading.Event()
    listener = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []

    def silent_server() -> None:
        connection, _ = listener.accept()
        held.append(connection)
        connection.recv(65536)
        asked.set()  # the request is on the wire; no answer ever comes

    threading.Thread(target=silent_server, daemon=True).start()
    port = listener.getsockname()[1]
    loop = asyncio.new_event_loop()
    client = httpx.AsyncClient(transport=AiohttpTransport(1))
    pending = loop.create_task(client.get(f"http://127.0.0.1:{port}/a"))

    assert loop.run_until_complete(loop.run_in_executor(None, asked.wait, 30))
    loop.close()  # the task still pending, as an interrupted step leaves it
    try:
        pending.get_coro().close()  # raises if the request's clean-up raised or waited instead of ending
        closing = client.aclose()
        with pytest.raises(StopIteration):
            closing.send(None)  # ends at once: nothing left to wait for on a closed loop
    finally:
        listener.close()
        for connection in held:
            connection.close()
