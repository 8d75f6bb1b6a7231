"""The bookmaker sandbox: a local HTTP server imitating the books (one folder each under ``books/``) over a
synthetic world.

Real clients run against it by changing only their base URLs (see :func:`base_urls`). Entry points: the
``palimpsest-sandbox`` program (``__main__``, what the pipeline's CLI starts), :func:`serve` (blocking) and
:func:`start_in_thread` (tests, benchmarks). A distribution of its own: the pipeline never imports it.
"""

from palimpsest_sandbox.config import (
    BookBehaviour,
    FaultConfig,
    LatencyConfig,
    SandboxConfig,
    fast_behaviour,
)
from palimpsest_sandbox.server import (
    SandboxHandle,
    base_urls,
    serve,
    start_in_thread,
)
from palimpsest_sandbox.world import World, WorldEvent

__all__ = [
    "BookBehaviour",
    "FaultConfig",
    "LatencyConfig",
    "SandboxConfig",
    "SandboxHandle",
    "World",
    "WorldEvent",
    "base_urls",
    "fast_behaviour",
    "serve",
    "start_in_thread",
]
