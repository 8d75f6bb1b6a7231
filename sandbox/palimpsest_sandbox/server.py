"""Running the sandbox: blocking (``palimpsest-sandbox``) or in a background thread (tests, benchmarks).

The listening socket is bound before uvicorn starts, so ``port=0`` yields a real free port immediately and a
port already in use fails here with a clear error instead of inside a thread.
"""

from __future__ import annotations

import gc
import json
import socket
import sys
import threading
import time
from datetime import datetime
from types import TracebackType
from typing import Any

import uvicorn

from palimpsest_pipeline.books.editions import EDITIONS
from palimpsest_pipeline.records import Book
from palimpsest_sandbox.app import SandboxState, create_app
from palimpsest_sandbox.books import KITS
from palimpsest_sandbox.config import BookBehaviour, EditionConfig, FaultConfig, PayloadDrift, SandboxConfig
from palimpsest_sandbox.country_editions import EditionWorld
from palimpsest_sandbox.world import World

_START_TIMEOUT_S = 15.0


def base_urls(host: str, port: int) -> dict[Book, str]:
    """Each book's base URL on the sandbox: ``http://HOST:PORT`` + the book's real path prefix."""
    return {book: f"http://{host}:{port}{k.serving.base_path}" for book, k in KITS.items()}


def edition_urls(host: str, port: int) -> dict[tuple[Book, str], str]:
    """Each country edition's base URL on the sandbox (a request to it still carries the edition's headers
    and parameters: a brand header, an operid, a countryCode...)."""
    return {
        (book, country): f"http://{host}:{port}{_edition_path(book).format(cc=country)}"
        for book, country in sorted(EDITIONS, key=lambda key: (key[0].value, key[1]))
    }


def _edition_path(book: Book) -> str:
    serving = KITS[book].serving
    return serving.edition_path or serving.base_path


def extra_urls(host: str, port: int) -> dict[str, str]:
    """The other bases books announce, by name (an API of its own for live events, as on the real site)."""
    return {
        name: f"http://{host}:{port}{path}"
        for k in KITS.values()
        for name, path in k.serving.extra_paths.items()
    }


def announcement(host: str, port: int) -> dict[str, Any]:
    """What a parent process needs to talk to the sandbox: its URL, control URL and each book's base URLs."""
    return {
        "url": f"http://{host}:{port}",
        "control": f"http://{host}:{port}/_sandbox/health",
        "base_urls": {book.value: url for book, url in base_urls(host, port).items()},
        "edition_urls": _nested(edition_urls(host, port)),
        **extra_urls(host, port),
    }


def _nested(urls: dict[tuple[Book, str], str]) -> dict[str, dict[str, str]]:
    nested: dict[str, dict[str, str]] = {}
    for (book, country), url in urls.items():
        nested.setdefault(book.value, {})[country] = url
    return nested


def _bind(config: SandboxConfig) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((config.host, config.port))
    except OSError as error:
        sock.close()
        raise OSError(f"sandbox cannot listen on {config.host}:{config.port}: {error}") from error
    sock.listen(2048)
    return sock


def _server(state: SandboxState) -> uvicorn.Server:
    uv_config = uvicorn.Config(
        create_app(state),
        log_level="warning",
        lifespan="off",
        access_log=False,
        timeout_graceful_shutdown=1,
        timeout_keep_alive=30,
    )
    return uvicorn.Server(uv_config)


def serve(config: SandboxConfig, *, json_line: bool = False, stop_on_eof: bool = False) -> None:
    """Run the sandbox in the foreground until interrupted, once listening printing its URLs: one per line
    for a reader, or (``json_line``) one JSON object of :func:`announcement` for the process that started it.

    ``stop_on_eof``: stop when standard input closes, so the sandbox ends with the process that started it
    (however that one ends) and never outlives it.
    """
    state = SandboxState.from_config(config)
    _collect_less()
    sock = _bind(config)
    port = sock.getsockname()[1]
    if json_line:
        print(json.dumps(announcement(config.host, port)), flush=True)
    else:
        for book, url in base_urls(config.host, port).items():
            print(f"{book.value:<10} {url}")
        for name, url in extra_urls(config.host, port).items():
            print(f"{name.replace('_', ' '):<10} {url}")
        print(f"control    http://{config.host}:{port}/_sandbox/health", flush=True)
    server = _server(state)
    if stop_on_eof:
        threading.Thread(target=_stop_on_eof, args=(server,), name="sandbox:stdin", daemon=True).start()
    server.run(sockets=[sock])


#: Allocations between young-generation collections in the sandbox's own process (CPython's default: 700).
_GC_THRESHOLD0 = 50_000


def _collect_less() -> None:
    """The world lives as long as the process: frozen out of the collector's scans, and the young generation
    collected less often, so a render (many short-lived, acyclic objects) does not pay for re-scanning the
    world's heap; only for the sandbox's own process, never a host running it in a thread."""
    gc.freeze()
    gc.set_threshold(_GC_THRESHOLD0, *gc.get_threshold()[1:])


def _stop_on_eof(server: uvicorn.Server) -> None:
    """Read standard input to its end (the parent closed it or died), then stop the server."""
    while sys.stdin.buffer.read(4096):
        pass
    server.should_exit = True


class SandboxHandle:
    """A sandbox running in a background thread. Use as a context manager, or call :meth:`stop`."""

    def __init__(
        self, state: SandboxState, server: uvicorn.Server, thread: threading.Thread, port: int
    ) -> None:
        self._state = state
        self._server = server
        self._thread = thread
        self.port = port
        self.host = state.config.host
        self.url = f"http://{self.host}:{port}"
        self.base_urls: dict[Book, str] = base_urls(self.host, port)
        self.extra_urls = extra_urls(self.host, port)
        self.edition_urls: dict[tuple[Book, str], str] = edition_urls(self.host, port)

    @property
    def world(self) -> World:
        world = self._state.world
        assert isinstance(world, World), "the app's own state holds the shared world"
        return world

    def world_of(self, country: str) -> EditionWorld:
        """The world as ``country``'s editions list it (coverage, lag, domestic leagues): ground truth."""
        return self._state.editions.world_of(country)

    def set_edition(self, book: Book, country: str, config: EditionConfig) -> EditionConfig:
        """Replace one country edition's coverage, lag and faults; returns the previous configuration."""
        return self._state.editions.set_config(book, country, config)

    @property
    def state(self) -> SandboxState:
        return self._state

    def now(self) -> datetime:
        return self._state.clock.now()

    def set_clock(
        self, at: datetime | None = None, *, advance_s: float | None = None, frozen: bool | None = None
    ) -> datetime:
        """Jump to ``at`` or move by ``advance_s`` seconds; returns the new simulated now."""
        if (at is None) == (advance_s is None):
            raise ValueError("set_clock needs exactly one of at= or advance_s=")
        clock = self._state.clock
        if at is not None:
            return clock.set(at, frozen=frozen)
        assert advance_s is not None
        moved = clock.advance(advance_s)
        return moved if frozen is None else clock.set(moved, frozen=frozen)

    def behaviour(self, book: Book) -> BookBehaviour:
        return self._state.faults.behaviour(book)

    def set_behaviour(self, book: Book, behaviour: BookBehaviour) -> BookBehaviour:
        """Replace ``book``'s latency and faults; returns the previous behaviour (to restore it)."""
        previous = self._state.faults.behaviour(book)
        self._state.faults.set_behaviour(book, behaviour)
        return previous

    def set_faults(self, book: Book, faults: FaultConfig | None = None, **fields: Any) -> BookBehaviour:
        """Replace ``book``'s faults (a FaultConfig, or its fields as keywords); latency and payload drift are
        kept.

        Returns the previous behaviour, e.g. ``old = h.set_faults(book, fail_status=503)`` then
        ``h.set_behaviour(book, old)``.
        """
        if faults is not None and fields:
            raise ValueError("pass either a FaultConfig or its fields, not both")
        new_faults = faults if faults is not None else FaultConfig(**fields)
        current = self.behaviour(book)
        return self.set_behaviour(book, current.model_copy(update={"faults": new_faults}))

    def set_payload_drift(self, book: Book, drift: PayloadDrift | None) -> BookBehaviour:
        """Serve ``book``'s event details in ``drift``'s shape from its ``since`` (None: back to the book's
        own shapes); returns the previous behaviour."""
        current = self.behaviour(book)
        return self.set_behaviour(book, current.model_copy(update={"payload_drift": drift}))

    def stats(self) -> dict[str, Any]:
        return self._state.stats.snapshot()

    def served(self, book: Book, endpoint: str | None = None, outcome: str | None = None) -> int:
        """How many requests ``book`` answered (optionally: on ``endpoint``, with ``outcome``)."""
        return self._state.stats.get(book, endpoint, outcome)

    def reset_stats(self) -> None:
        self._state.stats.reset()

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)

    def __enter__(self) -> SandboxHandle:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def start_in_thread(config: SandboxConfig) -> SandboxHandle:
    """Start the sandbox on a daemon thread and return once it accepts connections."""
    state = SandboxState.from_config(config)
    sock = _bind(config)
    port = sock.getsockname()[1]
    server = _server(state)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name=f"sandbox:{port}", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + _START_TIMEOUT_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            sock.close()
            raise RuntimeError(
                f"sandbox did not start on {config.host}:{port} within {_START_TIMEOUT_S:.0f} s"
            )
        time.sleep(0.01)
    return SandboxHandle(state, server, thread, port)
