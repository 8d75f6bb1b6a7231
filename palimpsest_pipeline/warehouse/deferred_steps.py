"""A maintenance step that gave way to the captures and readers: left for the next maintenance, with why.

Maintenance waits for its locks briefly (``brief_locks``). A step whose locks never came in its attempts is
named with its reason and the maintenance goes on with the rest, so one long reader costs one partition or
one table until the next maintenance, never the day's other retention or the dictionary training.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DeferredStep:
    """``step`` (e.g. ``dropping core.raw_archive_p20260419``) was not done today, for ``reason``."""

    step: str
    reason: str
