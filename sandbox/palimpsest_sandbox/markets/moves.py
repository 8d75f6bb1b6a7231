"""When the sandbox's prices move: a market group at a time, faster as kick-off nears.

Real books re-price one market or a few at a time, rarely days ahead and often just before kick-off, so most
outcomes are unchanged between two captures. Each market's version is a pure function of (seed, match,
instant): no state (the rates and the construction: docs/sandbox.md).
"""

from __future__ import annotations

import zlib
from datetime import datetime
from functools import lru_cache

#: Market groups per event: an event's body changes at most SLOTS times per unit of Λ.
SLOTS = 64
#: (lead in minutes below which the rate applies, share of markets re-priced per minute), nearest first.
RATE_TIERS: tuple[tuple[float, float], ...] = ((30.0, 0.06), (120.0, 0.016), (1_440.0, 0.004))
FAR_RATE = 0.002  # per minute, beyond the last tier
_MASK = (1 << 64) - 1


def mix(*parts: int) -> int:
    """A stable 64-bit hash of integers, the same in every process: Python's tuple hash (salted only for
    str and bytes, never for ints) finished with a multiply-xorshift so every bit, low ones included, mixes.
    Cheap on purpose: the renderers call it for every market of every body."""
    z = (hash(parts) * 0x9E3779B97F4A7C15) & _MASK
    z ^= z >> 29
    z = (z * 0xBF58476D1CE4E5B9) & _MASK
    return z ^ (z >> 32)


def unit(*parts: int) -> float:
    """A stable uniform draw in [0, 1) from integers."""
    return mix(*parts) / 18_446_744_073_709_551_616.0


_SPEC_CODES: dict[str, int] = {}


def spec_code(spec: str) -> int:
    """A stable integer for a specifier text (memoised: a few thousand distinct specifiers exist)."""
    code = _SPEC_CODES.get(spec)
    if code is None:
        code = zlib.crc32(spec.encode())
        if len(_SPEC_CODES) < 100_000:
            _SPEC_CODES[spec] = code
    return code


def cumulative_reprices(kickoff_s: float, at_s: float, scale: float = 1.0) -> float:
    """Λ: expected re-prices of one market from the epoch to ``at_s`` (seconds), constant after kick-off."""
    at_s = min(at_s, kickoff_s)
    lead = (kickoff_s - at_s) / 60.0
    total = FAR_RATE * at_s / 60.0
    low = 0.0
    for bound, rate in RATE_TIERS:
        if lead < bound:
            total += (rate - FAR_RATE) * (bound - max(lead, low))
        low = bound
    return total * scale


def price_version(match_seed: int, kickoff: datetime, at: datetime, scale: float = 1.0) -> int:
    """The event's price version at ``at``: changes whenever one of its market groups re-prices."""
    phase = unit(match_seed, 0x51A7) * 1_000.0  # events do not step together
    return int(SLOTS * (cumulative_reprices(kickoff.timestamp(), at.timestamp(), scale) + phase))


def market_slot(match_seed: int, market_code: int) -> int:
    """The slot in ``[0, SLOTS)`` of one market of a match, remembered per recent match.

    Every render asks the slot of each of its hundreds of lines, and a match's books are asked at the same
    moment (captures ask every book per SR id together), so recent matches' slots are kept
    (:func:`match_slots`): a few hundred matches cover what a capture has in flight.
    """
    slots = match_slots(match_seed)
    slot = slots.get(market_code)
    if slot is None:
        slot = slots[market_code] = mix(match_seed, market_code, 0x5107) % SLOTS
    return slot


@lru_cache(maxsize=256)
def match_slots(match_seed: int) -> dict[int, int]:
    """A match's market slots, filled as :func:`market_slot` computes them."""
    return {}


def market_version(version: int, match_seed: int, market_code: int) -> int:
    """The version of one market's prices: steps once per ``SLOTS`` event versions, on its own slot."""
    return (version + market_slot(match_seed, market_code)) // SLOTS
