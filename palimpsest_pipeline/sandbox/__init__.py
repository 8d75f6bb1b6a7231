"""The bookmaker sandbox: a local HTTP server imitating BetPawa, SportyBet, Bet9ja, MSport and Betway over a
synthetic world.

Real clients run against it by changing only their base URLs (see :func:`base_urls`). Entry points:
:func:`serve` (blocking, for the CLI) and :func:`start_in_thread` (tests, benchmarks).
"""

from palimpsest_pipeline.sandbox.config import (
    BookBehaviour,
    FaultConfig,
    LatencyConfig,
    SandboxConfig,
    fast_behaviour,
)
from palimpsest_pipeline.sandbox.server import (
    SandboxHandle,
    base_urls,
    bet9ja_live_base_url,
    serve,
    start_in_thread,
)
from palimpsest_pipeline.sandbox.world import World, WorldEvent

__all__ = [
    "BookBehaviour",
    "FaultConfig",
    "LatencyConfig",
    "SandboxConfig",
    "SandboxHandle",
    "World",
    "WorldEvent",
    "base_urls",
    "bet9ja_live_base_url",
    "fast_behaviour",
    "serve",
    "start_in_thread",
]
