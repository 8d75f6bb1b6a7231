"""When a stored price stops being current: older than ``factor`` x its event's capture cadence, or captured
before a newer failed attempt of its book, the stricter rule winning (docs/odds-comparison.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

import polars as pl

from palimpsest_pipeline.frames import CAPTURE_LOG_SCHEMA, book_rank
from palimpsest_pipeline.transforms.input_checks import FrameSchemaError, conform, require_not_null

#: Twice the cadence: one missed capture is tolerated (a slow cycle, a retry), two are not.
DEFAULT_STALE_FACTOR = 2.0

KICKOFFS_SCHEMA: dict[str, pl.DataType] = {"sr_id": pl.Int64(), "kickoff": pl.Datetime("us", "UTC")}

STALE_BEFORE_SCHEMA: dict[str, pl.DataType] = {
    "sr_id": pl.Int64(),
    "book": pl.String(),
    "max_age_s": pl.Float64(),
    "stale_before": pl.Datetime("us", "UTC"),
    "stale_reason": pl.String(),
}

STALE_COUNTS_SCHEMA: dict[str, pl.DataType] = {
    "book": pl.String(),
    "prices": pl.Int64(),
    "stale": pl.Int64(),
    "oldest_capture": pl.Datetime("us", "UTC"),
}

REASON_AGE = "older_than_bound"
REASON_FAILED = "capture_failed"


def stale_before(
    kickoffs: pl.DataFrame,
    capture_log: pl.DataFrame,
    *,
    now: datetime,
    tiers: Sequence[tuple[timedelta, timedelta]],
    factor: float = DEFAULT_STALE_FACTOR,
) -> pl.DataFrame:
    """Per (sr_id, book) in ``capture_log``, ``STALE_BEFORE_SCHEMA``: prices captured before ``stale_before``
    are stale, ``stale_reason`` the rule; ``tiers``: (reach, cadence) pairs, no kick-off using the last."""
    if not tiers:
        raise FrameSchemaError("stale_before: at least one (reach, cadence) tier is needed")
    if factor <= 0:
        raise FrameSchemaError(f"stale_before: factor must be positive, got {factor}")
    if now.tzinfo is None:
        raise FrameSchemaError("stale_before: now must be timezone-aware (UTC)")
    events = conform(kickoffs, KICKOFFS_SCHEMA, "kickoffs")
    require_not_null(events, KICKOFFS_SCHEMA, "kickoffs")
    log = conform(capture_log, CAPTURE_LOG_SCHEMA, "capture_log")
    require_not_null(log, ("sr_id", "book", "last_attempt_at", "last_attempt_status"), "capture_log")

    ordered = sorted(tiers)
    lead_s = (pl.col("kickoff") - pl.lit(now).cast(pl.Datetime("us", "UTC"))).dt.total_seconds()
    last_cadence_s = ordered[-1][1].total_seconds()
    cadence: pl.Expr = pl.lit(last_cadence_s)
    for reach, tier_cadence in reversed(ordered):
        cadence = (
            pl.when(lead_s < reach.total_seconds()).then(tier_cadence.total_seconds()).otherwise(cadence)
        )
    cadence = pl.when(pl.col("kickoff").is_null()).then(last_cadence_s).otherwise(cadence)

    max_age_s = (cadence * factor).cast(pl.Float64)
    by_age = pl.lit(now).cast(pl.Datetime("us", "UTC")) - pl.duration(
        microseconds=(pl.col("max_age_s") * 1_000_000).cast(pl.Int64)
    )
    failed_later = (pl.col("last_attempt_status") != "ok") & (
        pl.col("last_ok_at").is_null() | (pl.col("last_attempt_at") > pl.col("last_ok_at"))
    )
    by_failure = pl.when(failed_later).then(pl.col("last_attempt_at"))
    return (
        log.join(events.unique("sr_id"), on="sr_id", how="left")
        .with_columns(max_age_s.alias("max_age_s"))
        .with_columns(by_age.alias("_by_age"), by_failure.alias("_by_failure"))
        .with_columns(
            pl.max_horizontal("_by_age", "_by_failure").alias("stale_before"),
            pl.when(pl.col("_by_failure") > pl.col("_by_age"))
            .then(pl.lit(REASON_FAILED))
            .otherwise(pl.lit(REASON_AGE))
            .alias("stale_reason"),
        )
        .select(pl.col(name).cast(dtype) for name, dtype in STALE_BEFORE_SCHEMA.items())
        .sort("sr_id", "book")
    )


def stale_counts(prices: pl.DataFrame) -> pl.DataFrame:
    """Per book (in ``BOOK_ORDER``): its shown open prices (``compare_prices(...).prices``), the stale ones
    and its oldest capture; the counts of several slices add up."""
    shown = pl.col("price").is_not_null()
    return (
        prices.group_by("book")
        .agg(
            prices=shown.sum(),
            stale=(shown & pl.col("stale")).sum(),
            oldest_capture=pl.col("captured_at").filter(shown).min(),
        )
        .sort(book_rank())
        .select(pl.col(name).cast(dtype) for name, dtype in STALE_COUNTS_SCHEMA.items())
    )


def stale_shares(
    counts: Iterable[pl.DataFrame], *, limit: float
) -> tuple[bool, dict[str, dict[str, object]]]:
    """Per book, how many of its shown open prices are stale (the ``stale_counts`` of every slice summed), and
    whether every book's share stays within ``limit`` (above: its captures are late or failing)."""
    summed = (
        pl.concat([pl.DataFrame(schema=STALE_COUNTS_SCHEMA), *counts])
        .group_by("book", maintain_order=True)
        .agg(pl.col("prices", "stale").sum(), pl.col("oldest_capture").min())
    )
    details: dict[str, dict[str, object]] = {}
    passed = True
    for book, prices, stale, oldest in summed.iter_rows():
        share = stale / prices if prices else 0.0
        details[book] = {
            "prices": prices,
            "stale": stale,
            "stale_share": round(share, 4),
            "oldest_capture": None if oldest is None else str(oldest),
        }
        passed = passed and share <= limit
    return passed, details
