"""The one place where the pipeline talks HTTP to a book: a pooled client behind the book's ``Limiter``,
retrying what a retry may fix (``answer_reading.py``) with jittered backoff and ``Retry-After``, and handing
every body to an optional ``on_response`` hook (the archive)."""

from __future__ import annotations

import asyncio
import inspect
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import httpx

from palimpsest_pipeline.books.answer_reading import Retry, read_answer, refuse_status
from palimpsest_pipeline.books.decoding import ACCEPT_ENCODING, Decoder, TooLarge, UnsupportedEncoding
from palimpsest_pipeline.books.errors import FetchError, NotFoundError
from palimpsest_pipeline.books.limits import Limiter, RequestStats, backoff_delay
from palimpsest_pipeline.books.settings import BookSettings
from palimpsest_pipeline.books.transport import AiohttpTransport
from palimpsest_pipeline.books.wire import BookRequest, Decode, Fetched, OnResponse, Wire

T = TypeVar("T")

#: What is kept of an answer over the size limit (for the quarantine; the archive keeps none of it).
_EXCERPT_BYTES = 64 * 1024
#: Below this much decoded, no answer is judged by its inflation ratio (a small answer may compress well).
_INFLATION_JUDGED_FROM = 1024 * 1024


def _size_problem(wire: int, size: int, wire_limit: int, body_limit: int, ratio: int) -> str | None:
    """Why an answer read so far must be abandoned, or None: over the wire or decoded limit, or inflated past
    the floor to more than ``ratio`` times what was read (a bomb). Monotone in ``size`` (the decoder
    bisects it)."""
    if wire > wire_limit or size > body_limit:
        return (
            f"answer over the limit ({wire:,} bytes read, {size:,} inflated; "
            f"{wire_limit:,} and {body_limit:,} allowed)"
        )
    if size > _INFLATION_JUDGED_FROM and size > ratio * wire:
        return (
            f"a compression bomb: {wire:,} bytes read inflated to {size:,} and more "
            f"({size // max(wire, 1):,} times, over the {ratio:,} allowed)"
        )
    return None


class BookClient:
    """A pooled, limited, retrying JSON client for one book: ``async with BookClient(...) as client``."""

    def __init__(
        self,
        settings: BookSettings,
        wire: Wire,
        *,
        on_response: OnResponse | None = None,
        limiter: Limiter | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.book = settings.book
        self.settings = settings
        self.wire = wire
        self.on_response = on_response
        self.limiter = limiter or Limiter(settings.max_in_flight, settings.pause_s, name=settings.book.value)
        self.stats = RequestStats()
        self._rng = random.Random()
        self._transport = transport
        self._http: httpx.AsyncClient | None = None

    async def __aenter__(self) -> BookClient:
        size = self.settings.max_in_flight
        self._http = httpx.AsyncClient(
            base_url=self.settings.base_url,
            # only the encodings decoded step by step are asked for, whatever a wire's headers say
            headers={
                "user-agent": self.settings.user_agent,
                **self.wire.headers,
                "accept-encoding": ACCEPT_ENCODING,
            },
            timeout=httpx.Timeout(
                connect=self.settings.connect_timeout_s,
                read=self.settings.read_timeout_s,
                write=self.settings.read_timeout_s,
                pool=self.settings.attempt_timeout_s,
            ),
            transport=self._transport or AiohttpTransport(size),
        )
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    async def fetch(
        self,
        request: BookRequest,
        parse: Callable[[Any], T],
        *,
        decode: Decode | None = None,
    ) -> Fetched[T]:
        """GET ``request``, strip the envelope, ``parse`` the data, retrying what a retry may fix; raises
        NotFoundError, or FetchError naming the book, the URL, the kind and the attempts. ``decode``: the
        body is decoded elsewhere."""
        if self._http is None:
            raise RuntimeError(f"{self.book.value} client used outside 'async with'")
        self.stats.requests += 1
        params = {**self.wire.common_params, **request.params}
        try:  # the URL without the per-attempt timestamp (stable, for messages and archives)
            url = str(httpx.URL(self.settings.base_url + request.path, params=params))
        except httpx.InvalidURL as error:
            self.stats.failed += 1
            self.stats.errors_by_kind["invalid_request"] += 1
            what = f"no URL can carry this request: {error}"
            raise FetchError(self.book, request.endpoint, what, kind="invalid_request", attempts=0) from None
        ambiguous_seen = 0
        last: Retry | None = None
        attempt = 0
        for attempt in range(1, self.settings.max_attempts + 1):
            try:
                async with self.limiter.slot():
                    status, body, received_at = await self._send(request.path, params, url)
                value = await read_answer(self.book, self.wire, request, url, status, body, parse, decode)
            except Retry as failure:
                last = failure
                self.stats.errors_by_kind[failure.kind] += 1
                if failure.throttled:
                    self.stats.throttled += 1
                if failure.ambiguous:
                    ambiguous_seen += 1
                    if ambiguous_seen >= self.settings.envelope_attempts:
                        break
                if attempt < self.settings.max_attempts:
                    await asyncio.sleep(self._delay(attempt, failure))
                continue
            except NotFoundError:
                self.stats.not_found += 1
                raise
            except FetchError as error:
                self.stats.failed += 1
                self.stats.errors_by_kind[error.kind] += 1
                raise
            self.stats.succeeded += 1
            return Fetched(value=value, url=url, status=status, attempts=attempt, received_at=received_at)

        assert last is not None  # the loop ran at least once and only falls through after a failure
        if last.ambiguous:
            self.stats.not_found += 1
            raise NotFoundError(self.book, url, f"{last.what} (after {attempt} attempts)")
        self.stats.failed += 1
        raise FetchError(
            self.book, url, last.what, kind=last.kind, attempts=attempt, status=last.status, body=last.body
        )

    def _delay(self, attempt: int, failure: Retry) -> float:
        if failure.retry_after_s is not None:
            return min(failure.retry_after_s, self.settings.retry_after_cap_s)
        return backoff_delay(attempt, self.settings.backoff_base_s, self.settings.backoff_cap_s, self._rng)

    async def _send(self, path: str, params: dict[str, str], url: str) -> tuple[int, bytes, datetime]:
        """One attempt on the wire (``params`` given this attempt's timestamp, where the wire sends one);
        transport failures become ``Retry`` (or a FetchError when hopeless)."""
        assert self._http is not None
        if self.wire.timestamp_param:
            params[self.wire.timestamp_param] = str(time.time_ns() // 1_000_000)
        self.stats.attempts += 1
        started = time.perf_counter()
        try:
            async with asyncio.timeout(self.settings.attempt_timeout_s):
                response, body = await self._bounded_get(path, params, url)
        except FetchError:  # too large, or in an encoding not decoded step by step: never retried
            self.stats.record_latency(time.perf_counter() - started)
            raise
        except (httpx.TimeoutException, TimeoutError):
            raise Retry(kind="timeout", what="no complete answer within the timeout") from None
        except httpx.ConnectError as error:
            raise Retry(kind="connect", what=f"could not connect: {error}") from None
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError, httpx.CloseError) as error:
            raise Retry(kind="dropped", what=f"connection dropped: {error or type(error).__name__}") from None
        except httpx.DecodingError as error:
            raise Retry(kind="decoding", what=f"undecodable body: {error}") from None
        except httpx.HTTPError as error:
            raise FetchError(
                self.book, url, f"transport error: {error!r}", kind="transport", attempts=1
            ) from None
        self.stats.record_latency(time.perf_counter() - started)
        received_at = datetime.now(UTC)
        self.stats.bytes_received += len(body)
        await self._notify(str(response.request.url), response.status_code, body, received_at)
        if response.status_code != 200:
            refuse_status(self.book, response, url, body, received_at)
        return response.status_code, body, received_at

    async def _bounded_get(self, path: str, params: dict[str, str], url: str) -> tuple[httpx.Response, bytes]:
        """GET ``path``, streaming the body a bounded step at a time (``decoding.py``) and aborting once it
        passes the book's wire or decoded limit: a bomb is never held whole, nor retried (it comes again)."""
        assert self._http is not None
        wire_limit, body_limit = self.settings.max_wire_bytes, self.settings.max_body_bytes
        ratio = self.settings.max_inflate_ratio
        # send(stream=True) rather than the stream() context manager: an async generator suspended inside
        # a send that an interrupt (Ctrl-C in a Dagster step) abandons cannot be closed cleanly later
        response = await self._http.send(self._http.build_request("GET", path, params=params), stream=True)
        chunks: list[bytes] = []
        try:
            declared = response.headers.get("content-length", "")
            if declared.isascii() and declared.isdigit() and int(declared) > wire_limit:
                raise TooLarge(f"answer of {int(declared):,} bytes, over the {wire_limit:,} allowed")
            decoder = Decoder(
                response.headers.get("content-encoding", ""),
                lambda wire, size: _size_problem(wire, size, wire_limit, body_limit, ratio),
            )
            async for raw in response.aiter_raw():
                for piece in decoder.feed(raw):
                    chunks.append(piece)
        except TooLarge as error:
            excerpt = chunks[0][:_EXCERPT_BYTES] if chunks else b""
            chunks.clear()
            status = response.status_code
            raise FetchError(
                self.book, url, str(error), kind="too_large", attempts=1, status=status, body=excerpt
            ) from None
        except UnsupportedEncoding as error:
            raise FetchError(self.book, url, str(error), kind="unsupported_encoding", attempts=1) from None
        finally:
            await response.aclose()
        return response, b"".join(chunks)

    async def _notify(self, url: str, status: int, body: bytes, received_at: datetime) -> None:
        if self.on_response is None:
            return
        try:
            outcome = self.on_response(self.book, url, status, body, received_at)
            if inspect.isawaitable(outcome):
                await outcome
        except Exception:  # an archive hiccup must not lose the data we just received
            self.stats.errors_by_kind["on_response_hook"] += 1
