"""Loading test payloads: our own small fixtures, and the real captures in ../shared (skipped when absent)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

TESTS_ROOT = Path(__file__).resolve().parents[1]
FIXTURES = TESTS_ROOT / "fixtures"
CAPTURED = TESTS_ROOT.parent / ".." / "shared" / "fixtures" / "captured"


def fixture(book: str, name: str) -> Any:
    """One of our own fixture payloads (palimpsest_pipeline_tests/fixtures/<book>/<name>.json)."""
    return json.loads((FIXTURES / book / f"{name}.json").read_text(encoding="utf-8"))


def fixture_bytes(book: str, name: str) -> bytes:
    return (FIXTURES / book / f"{name}.json").read_bytes()


def captured(book: str, name: str) -> Any:
    """A real captured response from ../shared/fixtures/captured; skips the test when it is not there."""
    path = CAPTURED / book / name
    if not path.is_file():
        pytest.skip(f"captured response {book}/{name} not available (../shared/fixtures/captured is absent)")
    return json.loads(path.read_text(encoding="utf-8"))
