"""A maintenance step that gave way to the captures and readers: left for the next maintenance, with why.

So one long reader costs one partition or table until the next maintenance, never the rest of it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DeferredStep:
    """``step`` (e.g. ``dropping core.raw_archive_p20260419``) was not done today, for ``reason``."""

    step: str
    reason: str
