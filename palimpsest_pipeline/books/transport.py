"""An httpx transport sending each request through aiohttp, whose C parser does the HTTP/1.1 work for far
less CPU (docs/capture-engine.md): httpx stays the client, bodies pass raw, and aiohttp's failures are raised
as the httpx exceptions httpx's own transport raises for the same event."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import ssl
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any

import aiohttp
import httpx

#: How long an idle connection is kept for reuse (httpx's default keep-alive expiry).
KEEPALIVE_S = 5.0


@functools.cache
def shared_tls() -> ssl.SSLContext:
    """One TLS context for every book's connections in this process: building one loads the CA bundle, a CPU
    cost paid once instead of once per client (a context is safe to share between connections)."""
    return httpx.create_ssl_context()


#: aiohttp's failures and the httpx exception httpx's transport raises for the same event; the first match
#: wins, so a subclass comes before its base.
_AS_HTTPX: tuple[tuple[type[BaseException], type[httpx.TransportError]], ...] = (
    (aiohttp.ConnectionTimeoutError, httpx.ConnectTimeout),
    (aiohttp.ServerTimeoutError, httpx.ReadTimeout),
    (TimeoutError, httpx.PoolTimeout),  # aiohttp's ``connect`` limit: waiting for a pooled connection
    (aiohttp.ClientConnectorError, httpx.ConnectError),  # refused, DNS, TLS handshake, certificate
    (aiohttp.ServerDisconnectedError, httpx.RemoteProtocolError),
    (aiohttp.ClientPayloadError, httpx.RemoteProtocolError),  # a body cut short or badly framed
    (aiohttp.ClientResponseError, httpx.RemoteProtocolError),  # a malformed status line or header
    (aiohttp.InvalidURL, httpx.UnsupportedProtocol),
    (aiohttp.NonHttpUrlClientError, httpx.UnsupportedProtocol),
    (aiohttp.ClientConnectionError, httpx.ReadError),  # reset or closed under a request
    (OSError, httpx.ReadError),
    (aiohttp.ClientError, httpx.TransportError),
)


@contextlib.contextmanager
def _httpx_errors(request: httpx.Request) -> Iterator[None]:
    """Re-raise aiohttp's failures as httpx's (cancellation and other exceptions pass through)."""
    try:
        yield
    except Exception as error:
        mapped = next((to for origin, to in _AS_HTTPX if isinstance(error, origin)), None)
        if mapped is None:
            raise
        raise mapped(str(error) or type(error).__name__, request=request) from error


@contextlib.contextmanager
def _quiet_once_abandoned(loop: asyncio.AbstractEventLoop | None) -> Iterator[None]:
    """Around aiohttp's clean-up: once ``loop`` is closed (an interrupt left this request pending, and it is
    being collected), that clean-up needs the loop and raises; the request is then let go as abandoned
    (``GeneratorExit``, what its collection expects) instead of printing a traceback at exit."""
    try:
        yield
    except RuntimeError:
        if loop is None or not loop.is_closed():
            raise
        raise GeneratorExit from None


class AiohttpTransport(httpx.AsyncBaseTransport):
    """At most ``max_connections`` HTTP/1.1 connections kept alive :data:`KEEPALIVE_S`, in one aiohttp session
    made on first use (inside the running loop); proxies from the environment are not read, as httpx reads
    none for a client given its own transport."""

    def __init__(
        self,
        max_connections: int,
        *,
        trace_configs: Sequence[aiohttp.TraceConfig] = (),
    ) -> None:
        if max_connections < 1:
            raise ValueError(f"need >= 1 connection, got {max_connections}")
        self.max_connections = max_connections
        self._trace_configs = list(trace_configs)
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _open(self) -> aiohttp.ClientSession:
        if self._session is None:
            self._loop = asyncio.get_running_loop()
            connector = aiohttp.TCPConnector(
                limit=self.max_connections, keepalive_timeout=KEEPALIVE_S, ssl=shared_tls()
            )
            self._session = aiohttp.ClientSession(
                connector=connector,
                auto_decompress=False,  # the client decodes, bounded (books/decoding.py)
                cookie_jar=aiohttp.DummyCookieJar(),  # httpx keeps the cookies and sends them itself
                trust_env=False,
                trace_configs=self._trace_configs or None,
                timeout=aiohttp.ClientTimeout(total=None),
            )
            # aiohttp resends an idempotent request once, unseen, when its connection drops: a second request
            # to the book outside the limiter and the attempt count. Every attempt is the client's to make.
            self._session._retry_connection = False
        return self._session

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        session = self._open()
        timeout = request.extensions.get("timeout", {})
        with _quiet_once_abandoned(self._loop), _httpx_errors(request):
            response = await session.request(
                request.method,
                str(request.url),
                headers=request.headers.multi_items(),
                data=request.content or None,
                allow_redirects=False,  # redirects are httpx's, which follows none
                timeout=aiohttp.ClientTimeout(
                    total=None,
                    connect=timeout.get("pool"),
                    sock_connect=timeout.get("connect"),
                    sock_read=timeout.get("read"),
                ),
            )
        extensions: dict[str, Any] = {"http_version": b"HTTP/1.1"}
        if response.reason:
            extensions["reason_phrase"] = response.reason.encode("latin-1", "replace")
        return httpx.Response(
            status_code=response.status,
            headers=list(response.raw_headers),
            stream=_AiohttpBody(response, request, self._loop),
            request=request,
            extensions=extensions,
        )

    async def aclose(self) -> None:
        if self._session is not None:
            session, self._session = self._session, None
            if self._loop is not None and self._loop.is_closed():
                session.detach()  # abandoned: its sockets close as they are collected, without the loop
                return
            await session.close()


class _AiohttpBody(httpx.AsyncByteStream):
    """A response body as aiohttp receives it, raw; closing it before the end drops the connection."""

    def __init__(
        self, response: aiohttp.ClientResponse, request: httpx.Request, loop: asyncio.AbstractEventLoop | None
    ) -> None:
        self._response = response
        self._request = request
        self._loop = loop

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with _quiet_once_abandoned(self._loop), _httpx_errors(self._request):
            async for chunk in self._response.content.iter_any():
                yield chunk

    async def aclose(self) -> None:
        with contextlib.suppress(GeneratorExit), _quiet_once_abandoned(self._loop):
            self._response.release()
