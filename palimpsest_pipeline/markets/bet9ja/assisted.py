"""Bet9ja's table rows accepted through ``palimpsest markets suggest --write`` (reviewed as any row), appended
before the closing parenthesis; move them to their sport's module when editing."""

from __future__ import annotations

from palimpsest_pipeline.markets.bet9ja.rows import Bet9jaMarket, market  # noqa: F401  (used by appended rows)

ASSISTED: tuple[Bet9jaMarket, ...] = ()
