"""The share of BetPawa's open outcomes that a competitor prices under the same key, counted by hand."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl

from palimpsest_pipeline.frames import ODDS_SCHEMA
from palimpsest_pipeline.transforms.market_availability import comparable_share

AT = datetime(2026, 5, 6, 9, tzinfo=UTC)


def _odds(rows: list[tuple[int, str, int, str, int, float | None, str]]) -> pl.DataFrame:
    return pl.DataFrame([(*r, AT) for r in rows], schema=ODDS_SCHEMA, orient="row")


def test_only_open_outcomes_on_the_same_key_count() -> None:
    odds = _odds(
        [
            # event 1: BetPawa prices four outcomes openly, one more suspended.
            (1, "betpawa", 1, "", 1, 2.4, "open"),
            (1, "betpawa", 1, "", 2, 3.2, "open"),
            (1, "betpawa", 18, "total=2.5", 12, 1.9, "open"),
            (1, "betpawa", 18, "total=3.5", 12, 2.9, "open"),
            (1, "betpawa", 1, "", 3, 3.0, "suspended"),
            (1, "sportybet", 1, "", 1, 2.41, "open"),  # same key: comparable
            (1, "bet9ja", 1, "", 2, 3.3, "open"),  # same key on the other competitor: comparable
            (1, "sportybet", 18, "total=3.5", 12, 2.8, "suspended"),  # not open there: not comparable
            (1, "sportybet", 18, "total=2.5", 13, 1.9, "open"),  # another outcome: not comparable
            (1, "sportybet", 1, "", 3, 3.1, "open"),  # BetPawa's is suspended: not counted at all
            # event 2: nothing on BetPawa, left out.
            (2, "sportybet", 1, "", 1, 2.0, "open"),
        ]
    )
    got = comparable_share(odds)
    assert got.rows() == [(1, 4, 2, 0.5)]
