"""CPU per request of the books' HTTP transport (aiohttp under httpx) against httpx's own, in the same run.

A server in another process answers every GET with the same body; one httpx client per transport makes
``BENCH_TRANSPORT_REQUESTS`` requests, 8 at a time over 8 connections, after a warm-up. What is timed is the
CPU of the client's thread only. Two body sizes: an empty JSON object and a 150 kB one (a typical event
detail). The last line printed is one JSON object: microseconds per request and the ratio to httpx's own.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import resource
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from palimpsest_pipeline.books.transport import AiohttpTransport

REQUESTS = int(os.environ.get("BENCH_TRANSPORT_REQUESTS", "600"))
CONCURRENCY = 8
BODIES = {"small": b"{}", "detail": b'{"a":"' + b"x" * 150_000 + b'"}'}


def _serve(body: bytes, ready: Any, port_out: Any) -> None:

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port_out.value = server.server_address[1]
    ready.set()
    server.serve_forever()


def _thread_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_THREAD)
    return usage.ru_utime + usage.ru_stime


async def _cpu_per_request(url: str, transport: Callable[[], httpx.AsyncBaseTransport | None]) -> float:
    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    async with httpx.AsyncClient(transport=transport(), limits=limits) as client:
        gate = asyncio.Semaphore(CONCURRENCY)

        async def one(index: int) -> int:
            async with gate:
                response = await client.get(url, params={"eventId": index})
                return len(response.content)

        await asyncio.gather(*(one(i) for i in range(50)))
        started = _thread_cpu_s()
        await asyncio.gather(*(one(i) for i in range(REQUESTS)))
        return (_thread_cpu_s() - started) / REQUESTS


def main() -> None:
    figures: dict[str, float] = {}
    for name in BODIES:
        context = multiprocessing.get_context("spawn")
        ready, port = context.Event(), context.Value("i", 0)
        server = context.Process(target=_serve, args=(BODIES[name], ready, port), daemon=True)
        server.start()
        try:
            ready.wait(30)
            url = f"http://127.0.0.1:{port.value}/api/event"
            for _round in range(2):  # the second round's figures stand: both transports warm
                own = asyncio.run(_cpu_per_request(url, lambda: None))
                ours = asyncio.run(_cpu_per_request(url, lambda: AiohttpTransport(CONCURRENCY)))
            figures[f"{name}_httpx_us"] = round(own * 1e6, 1)
            figures[f"{name}_aiohttp_us"] = round(ours * 1e6, 1)
            figures[f"{name}_ratio"] = round(ours / own, 3)
            print(name, f"httpx's transport {own * 1e6:.0f} us, aiohttp's {ours * 1e6:.0f} us per request")
        finally:
            server.terminate()
            server.join(10)
    print(json.dumps({"requests": REQUESTS, **figures}))


if __name__ == "__main__":
    main()
