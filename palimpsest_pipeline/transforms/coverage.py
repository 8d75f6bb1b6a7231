"""Coverage tables: how much of the competitors' catalogue BetPawa also lists, per day and grouping level.

Input is the output of ``matching.match_events`` after ``crosswalk.place_matches`` (one row per match, with
its canonical tournament and country). Every metric is a plain count over those rows so each one can be
re-derived by hand from the matched table; the two rates are derived from the counts and are null (not 0,
not NaN) when their denominator is empty, so a day without competitor events does not look like a day with
0% coverage.

Grouping is by the canonical keys, never by one book's spelling: a country is its SportRadar category
(``sr_category_id``, with the canonical name in ``country``), a tournament its ``tournament_key`` (the
SportRadar tournament id, or the name source's own tournament when the crosswalk cannot place it). The
names that go with a key are carried along (``DESCRIBED_BY``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

from palimpsest_pipeline.transforms._frames import FrameSchemaError, conform
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


def coverage_levels(matched: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """``coverage`` at every level of ``COVERAGE_LEVELS``, keyed by level name."""
    return {level: coverage(matched, by) for level, by in COVERAGE_LEVELS.items()}


TOP_MISSING_SCHEMA: dict[str, pl.DataType] = {
    "sport": pl.String(),
    "country": pl.String(),
    "tournament": pl.String(),
    "tournament_key": pl.String(),
    "competitor_only": pl.Int64(),
    "only_sportybet": pl.Int64(),
    "only_bet9ja": pl.Int64(),
    "sportybet_and_bet9ja_only": pl.Int64(),
    "matched": pl.Int64(),
    "total": pl.Int64(),
    "betpawa_coverage": pl.Float64(),
}


def top_missing_tournaments(coverage_by_tournament: pl.DataFrame, n: int = 10) -> pl.DataFrame:
    """The ``n`` tournaments with the most competitor-only matches, summed over every date in the input.

    This is the "what should BetPawa add first" list of the demo summary. Tournaments with no
    competitor-only match are left out; ties are broken by sport and tournament key so output is stable.
    Tournaments are summed by their canonical key; the names shown are those of the key's latest date.
    Schema ``TOP_MISSING_SCHEMA``.
    """
    if n < 0:
        raise ValueError(f"top_missing_tournaments: n must be >= 0, got {n}")
    names = ("sport", "country", "tournament", "tournament_key")
    needed = {
        name: pl.Int64() for name in TOP_MISSING_SCHEMA if name not in names and name != "betpawa_coverage"
    }
    frame = conform(
        coverage_by_tournament,
        {"kickoff_date": pl.Date(), **{g: pl.String() for g in names}, **needed},
        "coverage_by_tournament",
    )
    summed = (
        frame.sort("kickoff_date")
        .group_by("sport", "tournament_key")
        .agg(
            pl.col("country", "tournament").last(),
            *(pl.col(name).sum().cast(pl.Int64) for name in needed),
        )
    )
    return (
        summed.filter(pl.col("competitor_only") > 0)
        .with_columns(
            _ratio(pl.col("matched"), pl.col("matched") + pl.col("competitor_only")).alias("betpawa_coverage")
        )
        .sort(["competitor_only", "sport", "tournament_key"], descending=[True, False, False])
        .head(n)
        .select(pl.col(name).cast(dtype) for name, dtype in TOP_MISSING_SCHEMA.items())
    )
