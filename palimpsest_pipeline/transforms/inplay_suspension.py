"""In-play suspension from one live poll: each book's football row placed in a phase (its half as the row
gives it, or ``after_goal`` when its score differs from the one the book showed ``AFTER_GOAL`` earlier) and
its live lines counted per market family, observed and suspended; a row that names no half takes the one
the other books' rows of the match agree on. A row whose phase cannot be told is set aside with its
reason, never placed by a guess.
"""

from __future__ import annotations

from datetime import timedelta

import polars as pl

#: How long after a goal a poll counts as ``after_goal``: the longest spell books are seen to suspend for
#: after a goal is two minutes (the sandbox's kits: 30 to 120 s), and the first poll to show the new score is
#: up to one interval (30 s) later, so three minutes hold the whole spell and the prices' settling after it
#: without stretching into the half's ordinary play.
AFTER_GOAL = timedelta(minutes=3)
#: The earlier score compared is the book's last one at or before ``AFTER_GOAL`` ago, and no older than this
#: beyond it (a poll interval and a half): without one the row cannot tell a goal and is set aside.
EARLIER_SLACK = timedelta(seconds=45)

ROWS = {
    "book": pl.String(),
    "sr_id": pl.Int64(),
    "kickoff_date": pl.Date(),
    "sport": pl.String(),
    "home_score": pl.Int32(),
    "away_score": pl.Int32(),
    "half": pl.String(),
}
LINES = {"book": pl.String(), "sr_id": pl.Int64(), "market_family": pl.String(), "suspended": pl.Boolean()}
EARLIER = {"book": pl.String(), "sr_id": pl.Int64(), "home_score": pl.Int32(), "away_score": pl.Int32()}
COUNTS = {
    "kickoff_date": pl.Date(),
    "book": pl.String(),
    "market_family": pl.String(),
    "phase": pl.String(),
    "sr_id": pl.Int64(),
    "lines_observed": pl.Int64(),
    "lines_suspended": pl.Int64(),
}
SET_ASIDE = {"book": pl.String(), "reason": pl.String(), "rows": pl.Int64()}


def row_phases(rows: pl.DataFrame, earlier: pl.DataFrame) -> pl.DataFrame:
    """Each football row with its ``phase`` (None: set aside) and the ``reason`` it was set aside. A row
    naming no half takes the half the other books' rows of the match name this poll, when they agree."""
    football = rows.filter(pl.col("sport") == "football")
    agreed = (
        football.filter(pl.col("half").is_not_null())
        .group_by("sr_id")
        .agg(pl.col("half").unique())
        .filter(pl.col("half").list.len() == 1)
        .select("sr_id", others_half=pl.col("half").list.first())
    )
    joined = (
        football.join(agreed, on="sr_id", how="left")
        .with_columns(half=pl.coalesce("half", "others_half"))
        .join(earlier, on=["book", "sr_id"], how="left", suffix="_before")
        .with_columns(
            scored=(pl.col("home_score") != pl.col("home_score_before"))
            | (pl.col("away_score") != pl.col("away_score_before"))
        )
    )
    reason = (
        pl.when(pl.col("home_score").is_null())
        .then(pl.lit("the row shows no readable score"))
        .when(pl.col("home_score_before").is_null())
        .then(pl.lit("no score of the book's from 3 minutes before"))
        .when(~pl.col("scored") & pl.col("half").is_null())
        .then(pl.lit("the row shows no readable half"))
    )
    phase = pl.when(reason.is_not_null()).then(None).when(pl.col("scored")).then(pl.lit("after_goal"))
    return joined.with_columns(reason=reason, phase=phase.otherwise(pl.col("half"))).select(
        "book", "sr_id", "kickoff_date", "phase", "reason"
    )


def poll_suspension(
    rows: pl.DataFrame, lines: pl.DataFrame, earlier: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One poll's lines observed and suspended per (kick-off date, book, family, phase, match), and the rows
    set aside per book and reason."""
    phases = row_phases(rows, earlier)
    counts = (
        lines.join(phases.filter(pl.col("phase").is_not_null()), on=["book", "sr_id"])
        .group_by("kickoff_date", "book", "market_family", "phase", "sr_id")
        .agg(lines_observed=pl.len().cast(pl.Int64), lines_suspended=pl.col("suspended").sum().cast(pl.Int64))
        .select(list(COUNTS))
        .sort(list(COUNTS)[:5])
    )
    set_aside = (
        phases.filter(pl.col("reason").is_not_null())
        .group_by("book", "reason")
        .agg(rows=pl.len().cast(pl.Int64))
        .sort("book", "reason")
    )
    return counts, set_aside
