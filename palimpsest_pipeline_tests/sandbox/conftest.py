from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from palimpsest_pipeline_tests.sandbox.clients import PAWA_HEADERS


@pytest.fixture(scope="module")
def http() -> Iterator[httpx.Client]:
    """A plain client carrying BetPawa's headers (the other books ignore them)."""
    with httpx.Client(timeout=10, headers=PAWA_HEADERS) as client:
        yield client
