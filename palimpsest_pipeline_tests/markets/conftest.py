"""Shared helpers for the markets tests: the captured responses (skipped when ../shared is absent)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

CAPTURED = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "captured"
CAPTURED_AT = datetime(2026, 5, 6, 9, 0, tzinfo=UTC)


def load_capture(relative: str) -> Any:
    path = CAPTURED / relative
    if not path.exists():
        pytest.skip(f"captured responses not available ({path} is absent: ../shared is not mounted)")
    return json.loads(path.read_text(encoding="utf-8"))
