"""The tournament and country crosswalk: each book tournament on the SportRadar tournament id its events'
links to the tournament-keys book vote for (carried while evidence is absent); countries follow the
canonical tournament's category (docs/tables.md), with their ISO 3166 codes so analysts can join coverage to
other data (a category that is no country gets none).
"""

from __future__ import annotations

import functools
from datetime import datetime

import polars as pl
import pycountry

from palimpsest_pipeline.books.kits import TOURNAMENT_KEYS_BOOK
from palimpsest_pipeline.frames import COUNTRY_CROSSWALK_SCHEMA, CROSSWALK_SCHEMA, UTC_MICROS
from palimpsest_pipeline.transforms.input_checks import conform
from palimpsest_pipeline.transforms.invariants import CheckResult, verdict
from palimpsest_pipeline.transforms.matching import SR_CATEGORY_PATTERN, SR_TOURNAMENT_PATTERN, link_events

PLACEMENT_SPORTRADAR = "sportradar"
PLACEMENT_VOTED = "voted"
PLACEMENT_CARRIED = "carried"
PLACEMENT_UNPLACED = "unplaced"

_KEY = ["book", "tournament_id"]
_CANONICAL = ("canonical_tournament", "sr_category_id", "canonical_country", "country_iso")
#: The book whose own tournament ids are the canonical ones.
_KEYS_BOOK = TOURNAMENT_KEYS_BOOK.value
#: SportRadar names pycountry does not resolve, and their ISO codes.
_ALIASES = {
    "korea republic": "KR",
    "south korea": "KR",
    "turkey": "TR",
    "russia": "RU",
    "iran": "IR",
    "vietnam": "VN",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "moldova": "MD",
    "kosovo": "XK",
    "ivory coast": "CI",
    "dr congo": "CD",
}
#: The home nations, ISO 3166-2 subdivisions of GB.
_HOME_NATIONS = {"england": "GB-ENG", "scotland": "GB-SCT", "wales": "GB-WLS", "northern ireland": "GB-NIR"}


@functools.cache
def country_iso(name: str | None) -> str | None:
    """The ISO 3166 code of a country name: alpha-2 ("ES"), a GB home nation ("GB-ENG"), else None."""
    if not name:
        return None
    key = name.strip().casefold()
    if key in _HOME_NATIONS:
        return _HOME_NATIONS[key]
    if key in _ALIASES:
        return _ALIASES[key]
    try:
        return str(pycountry.countries.lookup(name.strip()).alpha_2)
    except LookupError:
        return None


def iso_of(frame: pl.DataFrame, column: str = "canonical_country") -> pl.Expr:
    """ISO codes of the names in ``frame``'s ``column`` (looked up once per distinct name)."""
    names = frame.get_column(column).drop_nulls().unique().to_list()
    return pl.col(column).replace_strict(
        {name: country_iso(name) for name in names}, default=None, return_dtype=pl.String
    )


def _is_sr_tournament(column: str = "tournament_id") -> pl.Expr:
    return pl.col(column).str.contains(SR_TOURNAMENT_PATTERN).fill_null(False)


def tournament_votes(linked: pl.DataFrame) -> pl.DataFrame:
    """(book, tournament_id, sr_tournament_id, votes): each event of ``linked`` (``link_events``) linked to
    one of the tournament-keys book votes for its SportRadar tournament."""
    own = linked.filter((pl.col("book") == _KEYS_BOOK) & _is_sr_tournament()).select(
        "match_key", pl.col("tournament_id").alias("sr_tournament_id")
    )
    return (
        linked.filter(pl.col("book") != _KEYS_BOOK)
        .join(own, on="match_key", how="inner")
        .group_by(*_KEY, "sr_tournament_id")
        .agg(pl.len().cast(pl.Int64).alias("votes"))
    )


def elect(votes: pl.DataFrame, previous: pl.DataFrame) -> pl.DataFrame:
    """The winner of each book tournament's vote: most votes; a tie goes to the previous placement when it is
    among the leaders, else to the lowest id. Columns: book, tournament_id, sr_tournament_id, votes (all),
    agreeing (the winner's), candidates, tied, votes_by_tournament ("id=n, ..." most votes first)."""
    before = previous.select(*_KEY, pl.col("sr_tournament_id").alias("_previous"))
    ranked = (
        votes.join(before, on=_KEY, how="left")
        .with_columns((pl.col("sr_tournament_id") == pl.col("_previous")).fill_null(False).alias("_was"))
        .sort([*_KEY, "votes", "_was", "sr_tournament_id"], descending=[False, False, True, True, False])
    )
    return ranked.group_by(_KEY, maintain_order=True).agg(
        pl.col("sr_tournament_id").first(),
        pl.col("votes").sum().alias("votes"),
        pl.col("votes").first().alias("agreeing"),
        pl.len().cast(pl.Int64).alias("candidates"),
        (pl.col("votes").slice(1, 1).first() == pl.col("votes").first()).fill_null(False).alias("tied"),
        pl.format("{}={}", "sr_tournament_id", "votes").str.join(", ").alias("votes_by_tournament"),
    )


def _book_tournaments(linked: pl.DataFrame) -> pl.DataFrame:
    """Each book tournament listed now: sport, latest name and country (by kick-off), live event count."""
    return (
        linked.sort("kickoff", "event_id")
        .group_by(_KEY)
        .agg(
            pl.col("sport", "tournament_name", "country", "country_id").last(),
            pl.len().cast(pl.Int64).alias("events"),
        )
    )


def build_crosswalk(events: pl.DataFrame, previous: pl.DataFrame, now: datetime) -> pl.DataFrame:
    """The tournament crosswalk (``CROSSWALK_SCHEMA``) from the live events and the previous crosswalk: a
    row per book tournament of either, those only in ``previous`` carried with zero events."""
    previous = conform(previous, CROSSWALK_SCHEMA, "previous crosswalk")
    linked = link_events(events)
    elected = elect(tournament_votes(linked), previous)
    before = previous.select(
        *_KEY, pl.col("sr_tournament_id").alias("_previous"), pl.col("placed_at").alias("_previous_at")
    )
    rows = _book_tournaments(linked).join(elected, on=_KEY, how="left").join(before, on=_KEY, how="left")
    own = (pl.col("book") == _KEYS_BOOK) & _is_sr_tournament()
    voted = pl.col("votes").fill_null(0) > 0
    carried = pl.col("_previous").is_not_null()
    current = rows.with_columns(
        pl.when(own)
        .then(pl.lit(PLACEMENT_SPORTRADAR))
        .when(voted)
        .then(pl.lit(PLACEMENT_VOTED))
        .when(carried)
        .then(pl.lit(PLACEMENT_CARRIED))
        .otherwise(pl.lit(PLACEMENT_UNPLACED))
        .alias("placement"),
        pl.when(own)
        .then(pl.col("tournament_id"))
        .when(voted)
        .then(pl.col("sr_tournament_id"))
        .otherwise(pl.col("_previous"))
        .alias("sr_tournament_id"),
        pl.when(own).then(pl.col("events")).otherwise(pl.col("votes").fill_null(0)).alias("votes"),
        pl.when(own).then(pl.col("events")).otherwise(pl.col("agreeing").fill_null(0)).alias("agreeing"),
        pl.when(own).then(1).otherwise(pl.col("candidates").fill_null(0)).cast(pl.Int64).alias("candidates"),
        (pl.col("tied").fill_null(False) & ~own).alias("tied"),
        pl.when(~own).then(pl.col("votes_by_tournament")).alias("votes_by_tournament"),
        pl.when(own | voted)
        .then(pl.lit(now).cast(UTC_MICROS))
        .otherwise(pl.col("_previous_at"))
        .alias("placed_at"),
    )
    gone = previous.join(current.select(_KEY), on=_KEY, how="anti").with_columns(
        pl.when(pl.col("sr_tournament_id").is_not_null())
        .then(pl.lit(PLACEMENT_CARRIED))
        .otherwise(pl.lit(PLACEMENT_UNPLACED))
        .alias("placement"),
        *(pl.lit(0, dtype=pl.Int64).alias(name) for name in ("events", "votes", "agreeing", "candidates")),
        pl.lit(False).alias("tied"),
        pl.lit(None, dtype=pl.String).alias("votes_by_tournament"),
    )
    derived = (*_CANONICAL, "agreement_share", "conflict")
    stored = [pl.col(n).cast(t) for n, t in CROSSWALK_SCHEMA.items() if n not in derived]
    frame = pl.concat([current.select(stored), gone.select(stored)])
    # the tournament-keys book's own tournament names each canonical one, and its country the category
    canonical = frame.filter(
        (pl.col("book") == _KEYS_BOOK) & (pl.col("tournament_id") == pl.col("sr_tournament_id"))
    ).select(
        "sr_tournament_id",
        pl.col("tournament_name").alias("canonical_tournament"),
        pl.when(pl.col("country_id").str.contains(SR_CATEGORY_PATTERN))
        .then(pl.col("country_id"))
        .alias("sr_category_id"),
        pl.col("country").alias("canonical_country"),
    )
    frame = frame.join(canonical, on="sr_tournament_id", how="left").with_columns(
        (pl.col("candidates") > 1).alias("conflict"),
        pl.when(pl.col("votes") > 0).then(pl.col("agreeing") / pl.col("votes")).alias("agreement_share"),
    )
    frame = frame.with_columns(iso_of(frame).alias("country_iso"))
    return frame.select(pl.col(n).cast(t) for n, t in CROSSWALK_SCHEMA.items()).sort(_KEY)


def build_country_crosswalk(crosswalk: pl.DataFrame) -> pl.DataFrame:
    """Each book's (sport, country) placed on the SportRadar category most of its placed tournaments are in
    (ties to the lowest id). Schema ``COUNTRY_CROSSWALK_SCHEMA``, sorted by book, sport, country."""
    frame = conform(crosswalk, CROSSWALK_SCHEMA, "crosswalk")
    keys = ["book", "sport", "country"]
    counted = (
        frame.filter(pl.col("sr_category_id").is_not_null())
        .group_by(*keys, "sr_category_id")
        .agg(pl.len().cast(pl.Int64).alias("n"), pl.col("canonical_country").first())
        .sort([*keys, "n", "sr_category_id"], descending=[False, False, False, True, False], nulls_last=True)
        .group_by(keys, maintain_order=True)
        .agg(
            pl.col("sr_category_id", "canonical_country").first(),
            pl.col("n").sum().alias("tournaments"),
            pl.col("n").first().alias("agreeing"),
        )
    )
    unplaced = (
        frame.select(keys)
        .unique()
        .join(counted.select(keys), on=keys, how="anti", nulls_equal=True)
        .with_columns(
            pl.lit(None, dtype=pl.String).alias("sr_category_id"),
            pl.lit(None, dtype=pl.String).alias("canonical_country"),
            pl.lit(0, dtype=pl.Int64).alias("tournaments"),
            pl.lit(0, dtype=pl.Int64).alias("agreeing"),
        )
    )
    out = pl.concat([counted, unplaced.select(counted.columns)]).with_columns(
        pl.when(pl.col("tournaments") > 0)
        .then(pl.col("agreeing") / pl.col("tournaments"))
        .alias("agreement_share")
    )
    out = out.with_columns(iso_of(out).alias("country_iso"))
    return out.select(pl.col(n).cast(t) for n, t in COUNTRY_CROSSWALK_SCHEMA.items()).sort(
        keys, nulls_last=True
    )


# ------------------------------------------------------------------------------------------------- checks


def tournaments_not_split(crosswalk: pl.DataFrame) -> CheckResult:
    """No book tournament's events split across canonical tournaments (its votes went to one SR id)."""
    frame = conform(crosswalk, CROSSWALK_SCHEMA, "crosswalk")
    bad = frame.filter(pl.col("conflict")).select(
        "book",
        "tournament_id",
        "tournament_name",
        "sr_tournament_id",
        "agreement_share",
        "votes_by_tournament",
    )
    return verdict(frame.filter(pl.col("votes") > 0).height, bad)


def books_agree_on_country(crosswalk: pl.DataFrame, countries: pl.DataFrame) -> CheckResult:
    """Every placed book tournament sits in a country the book places on its canonical tournament's category:
    a mismatch means a book files the competition under another country (or the tournament is misplaced)."""
    frame = conform(crosswalk, CROSSWALK_SCHEMA, "crosswalk")
    placed_countries = conform(countries, COUNTRY_CROSSWALK_SCHEMA, "country crosswalk").select(
        "book", "sport", "country", pl.col("sr_category_id").alias("book_category")
    )
    judged = frame.filter(pl.col("sr_category_id").is_not_null() & (pl.col("book") != _KEYS_BOOK)).join(
        placed_countries, on=["book", "sport", "country"], how="inner"
    )
    bad = judged.filter(
        pl.col("book_category").is_not_null() & (pl.col("book_category") != pl.col("sr_category_id"))
    ).select(
        "sr_tournament_id",
        "canonical_tournament",
        "sr_category_id",
        "book",
        "tournament_id",
        "country",
        "book_category",
    )
    return verdict(judged.height, bad)
