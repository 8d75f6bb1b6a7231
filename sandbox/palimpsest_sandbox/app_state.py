"""What the sandbox's HTTP app shares between its handlers: the state and the answer a handler returns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson
from starlette.requests import Request

from palimpsest_sandbox.clock import SimulatedClock
from palimpsest_sandbox.config import SandboxConfig
from palimpsest_sandbox.faults import FaultInjector
from palimpsest_sandbox.live_coverage import ForcedLiveGaps
from palimpsest_sandbox.rendering import EventRenderer
from palimpsest_sandbox.stats import ServedStats
from palimpsest_sandbox.world import World

JSON = "application/json"


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    body: bytes
    content_type: str = JSON
    outcome: str = "ok"
    headers: dict[str, str] = field(default_factory=dict)


def json_answer(payload: Any, *, status: int = 200, outcome: str = "ok") -> Answer:
    return Answer(status, orjson.dumps(payload), JSON, outcome)


@dataclass
class SandboxState:
    """Everything the running app shares; the :class:`SandboxHandle` reaches in here too."""

    config: SandboxConfig
    world: World
    clock: SimulatedClock
    faults: FaultInjector
    stats: ServedStats
    renderer: EventRenderer
    live_gaps: ForcedLiveGaps = field(default_factory=ForcedLiveGaps)

    @classmethod
    def from_config(cls, config: SandboxConfig) -> SandboxState:
        return cls(
            config=config,
            world=World(seed=config.seed, size=config.size, days=config.days),
            clock=SimulatedClock(config.frozen_at),
            faults=FaultInjector(config.seed, config.books),
            stats=ServedStats(),
            renderer=EventRenderer(
                cache_bytes=config.cache_mb * 2**20,
                reprice_scale=config.reprice_scale,
                depth_scale=config.depth_scale,
            ),
        )


Handler = Callable[[SandboxState, Request], Answer]
