"""Payload drift: event details served, from a chosen moment, in a shape the parsers do not expect.

The books change their payloads without notice (BetPawa's specifiers moved from goals to quarter units in
2026). ``bare_quarter_lines`` serves every total and handicap line in quarter units and ONLY in the book's
specifier field, so no second place can show the parser its mistake: names, row handicaps and line texts
lose their line (each book's kit says where its lines are: ``BookFaults.drift``). A goal number stays a
plain count. Switched per book through ``BookBehaviour.payload_drift`` (configuration, ``PUT
/_sandbox/config``) or ``/_sandbox/payload_drift``.
"""

from __future__ import annotations

import re
from datetime import datetime

import orjson

from palimpsest_pipeline.records import Book
from palimpsest_sandbox.config import PayloadDrift
from palimpsest_sandbox.kit import kit

#: A line in a name: "(2.5)", "(-1.5)", "(0 : 0.5)", or the number after over/under/total/handicap.
NAMED_LINE = re.compile(
    r"\s*\(\s*[+-]?\d+(?:\.\d+)?(?:\s*:\s*\d+(?:\.\d+)?)?\s*\)|(?<=over|nder|otal|icap)\s+[+-]?\d+(?:\.\d+)?",
    re.IGNORECASE,
)


def applies(drift: PayloadDrift | None, at: datetime) -> bool:
    """Whether ``drift`` is in force at the sandbox's instant ``at``."""
    return drift is not None and (drift.since is None or at >= drift.since)


def apply(book: Book, drift: PayloadDrift, body: bytes) -> bytes:
    """The event-detail ``body`` of ``book`` re-served in the drifted shape."""
    document = orjson.loads(body)
    kit(book).faults.drift(document)
    return orjson.dumps(document)


def quarters(text: str) -> str:
    """A line in quarter units: "2.5" -> "10"."""
    return str(round(float(text) * 4))


def in_quarter_units(specifier: str) -> str:
    """A UOF specifier with its total and handicap lines written in quarter units (a score handicap "0:1"
    kept)."""
    parts = []
    for part in specifier.split("|"):
        key, _, value = part.partition("=")
        if key in ("total", "hcp") and ":" not in value:
            value = quarters(value)
        parts.append(f"{key}={value}")
    return "|".join(parts)
