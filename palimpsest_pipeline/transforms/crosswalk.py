"""One identity per tournament across the books: the crosswalk to SportRadar tournament ids.

Books spell the same competition differently ("FIFA World Cup" on BetPawa, "FIFA World Cup 2026" on Bet9ja,
"World Cup" on SportyBet), so coverage grouped by the source book's spelling splits one league into rows at
100 % and at 0 %. SportyBet names each tournament by its SportRadar id (``sr:tournament:N``); a BetPawa
competition or a Bet9ja group is placed on the SportRadar tournament its events belong to, by **majority
vote** over its events that SportyBet also lists (same SportRadar match id):

- ``agreement`` = the winning tournament's share of those linked events; ``candidates`` how many tournaments
  they spread over (more than one is a conflict the asset check reports);
- a tie keeps the previous placement when it is among the tied, else the smallest id (deterministic);
- with no linked event now, the previous placement is **kept** (status ``kept``): a quiet week of a league
  does not unplace it; with none ever, the tournament stays ``unplaced`` and keeps its own spelling.

The canonical tournament takes SportyBet's name and country (SportyBet speaks SportRadar's vocabulary).
``canonical_events`` rewrites the events' tournament and country to the canonical ones before matching, so
every table downstream groups one competition under one name. Pure: frames in, frames out.
"""

from __future__ import annotations

import polars as pl

from palimpsest_pipeline.frames import EVENTS_SCHEMA
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.transforms._frames import conform

SPORTYBET = Book.SPORTYBET.value

STATUS_SPORTYBET = "sportybet"  # SportyBet's own tournament: the SportRadar id itself
STATUS_PLACED = "placed"  # placed by this run's linked events
STATUS_KEPT = "kept"  # no linked event now: the previous placement stands
STATUS_UNPLACED = "unplaced"  # no linked event, ever

CROSSWALK_SCHEMA: dict[str, pl.DataType] = {
    "book": pl.String(),
    "tournament_id": pl.String(),
    "tournament_name": pl.String(),
    "country": pl.String(),
    "sport": pl.String(),
    "sr_tournament_id": pl.String(),
    "canonical_name": pl.String(),
    "canonical_country": pl.String(),
    "events": pl.Int64(),
    "linked_events": pl.Int64(),
    "agreement": pl.Float64(),
    "candidates": pl.Int64(),
    "status": pl.String(),
}

#: The columns of a previous crosswalk this module reads back (for stability across runs).
PREVIOUS_SCHEMA = {
    k: CROSSWALK_SCHEMA[k]
    for k in ("book", "tournament_id", "sr_tournament_id", "canonical_name", "canonical_country")
}

_BOOK_TOURNAMENT = ["book", "tournament_id"]


def tournament_crosswalk(events: pl.DataFrame, previous: pl.DataFrame | None = None) -> pl.DataFrame:
    """One row per (book, tournament) listed in ``events``: its SportRadar tournament and the evidence."""
    frame = conform(events, EVENTS_SCHEMA, "events")
    prior = conform(
        previous if previous is not None else pl.DataFrame(schema=PREVIOUS_SCHEMA),
        PREVIOUS_SCHEMA,
        "previous",
    ).unique(_BOOK_TOURNAMENT, keep="last")
    sportybet = frame.filter((pl.col("book") == SPORTYBET) & pl.col("tournament_id").str.starts_with("sr:"))
    canonical = (
        sportybet.group_by("tournament_id")
        .agg(
            pl.col("tournament_name").mode().sort().first().alias("canonical_name"),
            pl.col("country").drop_nulls().mode().sort().first().alias("canonical_country"),
        )
        .rename({"tournament_id": "sr_tournament_id"})
    )
    by_match = (
        sportybet.filter(pl.col("sr_id").is_not_null())
        .select("sr_id", pl.col("tournament_id").alias("candidate"))
        .unique("sr_id")
    )

    listed = frame.group_by(_BOOK_TOURNAMENT).agg(
        pl.col("tournament_name").mode().sort().first(),
        pl.col("country").drop_nulls().mode().sort().first(),
        pl.col("sport").mode().sort().first(),
        pl.len().cast(pl.Int64).alias("events"),
    )
    votes = (
        frame.filter(pl.col("book") != SPORTYBET)
        .join(by_match, on="sr_id", how="inner")
        .group_by(*_BOOK_TOURNAMENT, "candidate")
        .len(name="votes")
        .join(
            prior.select(*_BOOK_TOURNAMENT, pl.col("sr_tournament_id").alias("_prior")),
            on=_BOOK_TOURNAMENT,
            how="left",
        )
        .with_columns((pl.col("candidate") == pl.col("_prior")).fill_null(False).alias("_is_prior"))
        .sort(["votes", "_is_prior", "candidate"], descending=[True, True, False])
        .group_by(_BOOK_TOURNAMENT, maintain_order=True)
        .agg(
            pl.col("candidate").first().alias("_voted"),
            pl.col("votes").sum().cast(pl.Int64).alias("linked_events"),
            (pl.col("votes").first() / pl.col("votes").sum()).alias("agreement"),
            pl.len().cast(pl.Int64).alias("candidates"),
        )
    )
    own = pl.col("book") == SPORTYBET
    placed = (
        listed.join(votes, on=_BOOK_TOURNAMENT, how="left")
        .join(
            prior.select(*_BOOK_TOURNAMENT, pl.col("sr_tournament_id").alias("_prior")),
            on=_BOOK_TOURNAMENT,
            how="left",
        )
        .with_columns(
            pl.when(own & pl.col("tournament_id").str.starts_with("sr:"))
            .then(pl.col("tournament_id"))
            .when(pl.col("_voted").is_not_null())
            .then(pl.col("_voted"))
            .otherwise(pl.col("_prior"))
            .alias("sr_tournament_id"),
            pl.when(own)
            .then(pl.lit(STATUS_SPORTYBET))
            .when(pl.col("_voted").is_not_null())
            .then(pl.lit(STATUS_PLACED))
            .when(pl.col("_prior").is_not_null())
            .then(pl.lit(STATUS_KEPT))
            .otherwise(pl.lit(STATUS_UNPLACED))
            .alias("status"),
            pl.col("linked_events").fill_null(0),
            pl.col("candidates").fill_null(0),
        )
        .with_columns(
            pl.when(own).then(pl.col("events")).otherwise(pl.col("linked_events")).alias("linked_events"),
            pl.when(own).then(1.0).otherwise(pl.col("agreement")).alias("agreement"),
            pl.when(own).then(1).otherwise(pl.col("candidates")).alias("candidates"),
        )
    )
    names = pl.concat(
        [
            canonical,
            prior.select("sr_tournament_id", "canonical_name", "canonical_country").drop_nulls(
                "sr_tournament_id"
            ),
        ]
    ).unique("sr_tournament_id", keep="first")
    return (
        placed.join(names, on="sr_tournament_id", how="left")
        .select(pl.col(name).cast(dtype) for name, dtype in CROSSWALK_SCHEMA.items())
        .sort(_BOOK_TOURNAMENT)
    )


def canonical_events(events: pl.DataFrame, crosswalk: pl.DataFrame) -> pl.DataFrame:
    """``events`` with each placed tournament's canonical name and country (unplaced ones unchanged)."""
    frame = conform(events, EVENTS_SCHEMA, "events")
    names = conform(crosswalk, CROSSWALK_SCHEMA, "crosswalk").select(
        *_BOOK_TOURNAMENT, "canonical_name", "canonical_country"
    )
    return (
        frame.join(names, on=_BOOK_TOURNAMENT, how="left")
        .with_columns(
            pl.coalesce("canonical_name", "tournament_name").alias("tournament_name"),
            pl.coalesce("canonical_country", "country").alias("country"),
        )
        .select(list(EVENTS_SCHEMA))
    )


def split_tournaments(crosswalk: pl.DataFrame) -> pl.DataFrame:
    """Book tournaments whose linked events spread over more than one SportRadar tournament."""
    return crosswalk.filter(pl.col("candidates") > 1).sort("agreement")


def country_conflicts(crosswalk: pl.DataFrame) -> pl.DataFrame:
    """Canonical tournaments whose books name different countries (case and accents aside)."""
    placed = crosswalk.filter(pl.col("sr_tournament_id").is_not_null() & pl.col("country").is_not_null())
    return (
        placed.with_columns(pl.col("country").str.to_lowercase().str.strip_chars().alias("_country"))
        .group_by("sr_tournament_id")
        .agg(pl.col("_country").n_unique().alias("countries"), pl.col("country").unique().sort())
        .filter(pl.col("countries") > 1)
        .sort("sr_tournament_id")
    )
