"""What the sandbox's HTTP app shares between its handlers: the state and the answer a handler returns."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson
from starlette.requests import Request

from palimpsest_pipeline.records import DEFAULT_SITE_COUNTRY, Book
from palimpsest_sandbox.clock import SimulatedClock
from palimpsest_sandbox.config import SandboxConfig
from palimpsest_sandbox.country_editions import Editions, EditionWorld
from palimpsest_sandbox.faults import FaultInjector
from palimpsest_sandbox.live_coverage import ForcedLiveGaps, ForcedLiveStarts, ForcedSuspensions
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
    #: The world this state's requests see: the shared one, or one country's editions' (country_editions.py).
    world: World | EditionWorld
    clock: SimulatedClock
    faults: FaultInjector
    stats: ServedStats
    renderer: EventRenderer
    editions: Editions
    live_gaps: ForcedLiveGaps = field(default_factory=ForcedLiveGaps)
    live_starts: ForcedLiveStarts = field(default_factory=ForcedLiveStarts)
    live_suspensions: ForcedSuspensions = field(default_factory=ForcedSuspensions)
    #: The country whose edition this state answers for (the app's own state: Nigeria's).
    site_country: str = DEFAULT_SITE_COUNTRY

    @classmethod
    def from_config(cls, config: SandboxConfig) -> SandboxState:
        world = World(seed=config.seed, size=config.size, days=config.days)
        return cls(
            config=config,
            world=world,
            clock=SimulatedClock(config.frozen_at),
            faults=FaultInjector(config.seed, config.books),
            stats=ServedStats(),
            renderer=EventRenderer(
                cache_bytes=config.cache_mb * 2**20,
                reprice_scale=config.reprice_scale,
                depth_scale=config.depth_scale,
            ),
            editions=Editions(config.seed, world, config.editions),
        )

    def for_edition(self, book: Book, country: str) -> SandboxState:
        """This state as ``book``'s ``country`` edition answers: that country's world and the edition's own
        faults where it has them; itself for an edition serving the shared world as it is."""
        if self.editions.is_plain(book, country) and self.editions.injector(book, country) is None:
            return self
        return dataclasses.replace(
            self,
            world=self.editions.world_of(country),
            faults=self.editions.injector(book, country) or self.faults,
            site_country=country,
        )


Handler = Callable[[SandboxState, Request], Answer]
