"""Coverage tables: how much of the competitors' catalogue BetPawa also lists, per day and grouping level.

Input: ``matching.match_events`` after ``crosswalk.place_matches``. Every metric is a plain count over those
rows (re-derivable by hand); the two rates are null, not 0, when their denominator is empty. Groups use the
canonical keys (SportRadar category, ``tournament_key``), never one book's spelling.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

from palimpsest_pipeline.transforms.input_checks import FrameSchemaError, conform
from palimpsest_pipeline.transforms.matching import (
    MATCHED_SCHEMA,
    STATUS_BETPAWA_ONLY,
    STATUS_COMPETITOR_ONLY,
    STATUS_MATCHED,
)

#: The grouping levels the pipeline materialises; each value is the ``by`` passed to ``coverage``.
COVERAGE_LEVELS: Mapping[str, tuple[str, ...]] = {
    "overall": (),
    "sport": ("sport",),
    "country": ("sport", "sr_category_id", "country"),
    "tournament": ("sport", "tournament_key"),
}

#: Coverage column -> the matched-table column it is read from (the canonical names, not the name source's).
_FROM_MATCHED: Mapping[str, str] = {
    "sport": "sport",
    "sr_category_id": "sr_category_id",
    "country": "canonical_country",
    "tournament_key": "tournament_key",
    "tournament": "canonical_tournament",
    "sr_tournament_id": "sr_tournament_id",
    "country_iso": "country_iso",
}
#: Columns ``coverage`` may group by.
GROUPABLE = ("sport", "sr_category_id", "country", "tournament_key", "tournament")
#: Descriptive columns that come with a grouping key (constant within its groups, so taken from any row).
DESCRIBED_BY: Mapping[str, tuple[str, ...]] = {
    "tournament_key": (
        "placed",
        "sr_tournament_id",
        "sr_category_id",
        "country",
        "tournament",
        "country_iso",
    ),
    "sr_category_id": ("country_iso",),
}
_DESCRIPTIVE_TYPES: Mapping[str, pl.DataType] = {
    "placed": pl.Boolean(),
    **{name: pl.String() for name in _FROM_MATCHED},
}

_COVERAGE_INPUT = {
    name: MATCHED_SCHEMA[name]
    for name in (
        "kickoff_date",
        "sr_id",
        *_FROM_MATCHED.values(),
        "on_betpawa",
        "on_sportybet",
        "on_bet9ja",
        "book_count",
        "status",
        "linked_by",
    )
}

_bp = pl.col("on_betpawa")
_sb = pl.col("on_sportybet")
_b9 = pl.col("on_bet9ja")
_status = pl.col("status")

#: Which matches each count metric counts (besides ``total``, which counts them all), in output order.
COUNTED_WHEN: Mapping[str, pl.Expr] = {
    "matched": _status == STATUS_MATCHED,
    "betpawa_only": _status == STATUS_BETPAWA_ONLY,
    "competitor_only": _status == STATUS_COMPETITOR_ONLY,
    "only_sportybet": _sb & ~_bp & ~_b9,
    "only_bet9ja": _b9 & ~_bp & ~_sb,
    "sportybet_and_bet9ja_only": _sb & _b9 & ~_bp,
    "on_all_three": _bp & _sb & _b9,
    "betpawa_events": _bp,
    "sportybet_events": _sb,
    "bet9ja_events": _b9,
    "sportybet_not_betpawa": _sb & ~_bp,
    "bet9ja_not_betpawa": _b9 & ~_bp,
    "betpawa_not_sportybet": _bp & ~_sb,
    "betpawa_not_bet9ja": _bp & ~_b9,
    "without_sr_id": pl.col("sr_id").is_null(),
    "linked_by_genius": pl.col("linked_by") == "genius",
}
COUNT_METRICS: tuple[str, ...] = ("total", *COUNTED_WHEN)

RATE_METRICS = ("match_rate", "betpawa_coverage")


def described(by: Sequence[str]) -> list[str]:
    """The descriptive columns that come with the keys ``by`` (those not already keys), in order."""
    out: list[str] = []
    for key in by:
        out.extend(name for name in DESCRIBED_BY.get(key, ()) if name not in by and name not in out)
    return out


def coverage_schema(by: Sequence[str]) -> dict[str, pl.DataType]:
    """Exact output schema of ``coverage(matched, by)``."""
    return {
        "kickoff_date": pl.Date(),
        **{name: _DESCRIPTIVE_TYPES[name] for name in (*by, *described(by))},
        **{name: pl.Int64() for name in COUNT_METRICS},
        **{name: pl.Float64() for name in RATE_METRICS},
    }


def _ratio(numerator: pl.Expr, denominator: pl.Expr) -> pl.Expr:
    """numerator / denominator as Float64, null when the denominator is 0."""
    return pl.when(denominator > 0).then(numerator.cast(pl.Float64) / denominator.cast(pl.Float64))


def coverage(matched: pl.DataFrame, by: Sequence[str]) -> pl.DataFrame:
    """Coverage counts per ``kickoff_date`` + ``by``; schema ``coverage_schema(by)``, sorted by the keys.

    ``match_rate`` = matched / total; ``betpawa_coverage`` = matched / (matched + competitor_only), i.e. the
    share of the matches some competitor lists that BetPawa lists too. Null group values (no country, no
    tournament) form their own group rather than disappearing; they sort last.
    """
    by = list(by)
    unknown = [name for name in by if name not in GROUPABLE]
    if unknown or len(set(by)) != len(by):
        raise FrameSchemaError(f"coverage: by={by} must be distinct columns from {list(GROUPABLE)}")
    frame = conform(matched, _COVERAGE_INPUT, "matched").with_columns(
        *(pl.col(source).alias(name) for name, source in _FROM_MATCHED.items() if name != source),
        pl.col("sr_tournament_id").is_not_null().alias("placed"),
    )
    keys = ["kickoff_date", *by]
    counts = frame.group_by(keys).agg(
        *(pl.col(name).first() for name in described(by)),
        pl.len().alias("total"),
        *(predicate.cast(pl.Int64).sum().alias(name) for name, predicate in COUNTED_WHEN.items()),
    )
    return (
        counts.with_columns(
            _ratio(pl.col("matched"), pl.col("total")).alias("match_rate"),
            _ratio(pl.col("matched"), pl.col("matched") + pl.col("competitor_only")).alias(
                "betpawa_coverage"
            ),
        )
        .select(pl.col(name).cast(dtype) for name, dtype in coverage_schema(by).items())
        .sort(keys, nulls_last=True)
    )
