"""The demo's hold on the pipeline's clock: for one run, ``PALIMPSEST_FIXED_NOW`` set to the sandbox's
instant (and any other setting the run needs), the environment as it was once the run is over."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime

FIXED_NOW_VARIABLE = "PALIMPSEST_FIXED_NOW"


@contextmanager
def pinned_clock(at: datetime, also: Mapping[str, str] | None = None) -> Iterator[None]:
    """For one run: the pipeline's clock pinned at ``at``, and the variables of ``also`` set."""
    values = {FIXED_NOW_VARIABLE: at.isoformat(), **(also or {})}
    saved = {name: os.environ.pop(name, None) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
