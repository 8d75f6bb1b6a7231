"""The comparison computed a slice of events of one kick-off date at a time gives exactly the tables and
checks computed over the whole range at once (the computation the odds asset used before, reproduced here
as the reference)."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from palimpsest_pipeline.books.saved_response import read_saved_response
from palimpsest_pipeline.frames import ODDS_SCHEMA
from palimpsest_pipeline.markets.definitions import market_definitions_frame
from palimpsest_pipeline.markets.vocabulary import MAIN_MARKETS
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.transforms.comparison_chunks import RangeSummary, comparison_tables, event_slices
from palimpsest_pipeline.transforms.freshness import STALE_BEFORE_SCHEMA, stale_counts, stale_shares
from palimpsest_pipeline.transforms.market_availability import availability
from palimpsest_pipeline.transforms.odds_checks import (
    margin_check,
    price_check,
    screen_margins,
    screen_prices,
)
from palimpsest_pipeline.transforms.odds_compare import compare_prices, margins
from palimpsest_pipeline.transforms.suspect_markets import suspect_markets
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_pipeline_tests.transforms.odds_frames import side_by_side

AT = datetime(2026, 5, 6, 9, tzinfo=UTC)
COUNTRY = "gh"  # any site country: the tables carry the one they are given
CAPTURED = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "captured"
DEFS = market_definitions_frame()
FILES = {
    Book.SPORTYBET: "sportybet/event_sr68995116_prematch.json",
    Book.BETPAWA: "betpawa/v3_event_sr68995116_prematch.json",
    Book.BET9JA: "bet9ja/GetEvent_sr68995116_prematch.json",
    Book.MSPORT: "msport/match_detail_sr68995116_prematch.json",
}  # no Betway capture of this match: Betway lists one event (below) and prices none
DAYS = [date(2026, 5, 6), date(2026, 5, 7), date(2026, 5, 9)]


@pytest.fixture(scope="module")
def world() -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Nine events over three dates built from the captured books: prices perturbed (some far enough to be
    flagged), some books not listing an event, some outcomes suspended, some captures stale."""
    base: list[dict[str, object]] = []
    for book, relative in FILES.items():
        path = CAPTURED / relative
        if not path.exists():
            pytest.skip(f"captured responses not available ({path} is absent: ../shared is not mounted)")
        for r in read_saved_response(book, path, captured_at=AT).odds.rows:
            base.append({**r._asdict(), "book": r.book.value})
    rng = random.Random(10)
    odds: list[dict[str, object]] = []
    matched: list[dict[str, object]] = []
    bounds: list[dict[str, object]] = []
    for n in range(9):
        sr_id = 1_000 + n
        day = DAYS[n % 3]
        books = [b.value for b in FILES if not (n == 4 and b is Book.BET9JA)]
        matched.append(
            {
                "kickoff_date": day,
                "sr_id": sr_id,
                "kickoff": datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=18),
                **{f"on_{b.value}": b.value in books or n == 4 for b in NIGERIA_BOOKS},
            }
        )
        for row in base:
            if row["book"] not in books:
                continue
            price = row["price"]
            if isinstance(price, float):
                factor = rng.choice([1.0, 1.0, 0.97, 1.04, 2.5 if n == 7 else 1.0])
                price = max(1.01, round(price * factor, 2))
            state = "suspended" if rng.random() < 0.02 else row["state"]
            odds.append({**row, "sr_id": sr_id, "price": price, "state": state})
        stale = AT + timedelta(minutes=5) if n in (2, 6) else AT - timedelta(hours=1)
        bounds += [
            {"sr_id": sr_id, "book": b, "max_age_s": 600.0, "stale_before": stale, "stale_reason": "late"}
            for b in books
        ]
    matched_frame = pl.DataFrame(matched).with_columns(pl.col("sr_id").cast(pl.Int64))
    return (
        pl.DataFrame(odds, schema=ODDS_SCHEMA),
        matched_frame,
        pl.DataFrame(bounds, schema=STALE_BEFORE_SCHEMA),
    )


def _all_at_once(odds: pl.DataFrame, matched: pl.DataFrame, bounds: pl.DataFrame) -> tuple[pl.DataFrame, ...]:
    """The computation ``defs/odds/assets.py`` made over every date at once before it went per date."""
    stamp = (
        pl.lit(AT).cast(pl.Datetime("us", "UTC")).alias("computed_at"),
        pl.lit(COUNTRY).alias("site_country"),
    )
    day = matched.select("sr_id", "kickoff_date")
    listed = matched.unpivot(
        index="sr_id", on=[f"on_{b.value}" for b in NIGERIA_BOOKS], variable_name="book", value_name="on"
    ).filter(pl.col("on"))
    listed = listed.select("sr_id", pl.col("book").str.strip_prefix("on_"))
    names = DEFS.select("market", "outcome", "market_name", "outcome_name")
    suspects = suspect_markets(odds, DEFS, bounds)
    compared = compare_prices(odds, DEFS, bounds, suspects)
    outcomes = (
        compared.outcomes.join(day, on="sr_id")
        .join(names, on=["market", "outcome"], how="left")
        .with_columns(*stamp)
    )
    prices = compared.prices.join(day, on="sr_id").with_columns(*stamp)
    book_margins = margins(odds, DEFS, bounds).join(day, on="sr_id").with_columns(*stamp)
    offered = availability(odds, listed).join(day, on="sr_id").with_columns(*stamp)
    suspects = suspects.join(day, on="sr_id").with_columns(*stamp)
    return outcomes, prices, book_margins, offered, suspects


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort(frame.columns, nulls_last=True)


# Three events per date: whole dates, two slices per date (2 + 1), one event per slice.
@pytest.mark.parametrize(("max_events", "slices"), [(3, 3), (2, 6), (1, 9)])
def test_per_slice_tables_and_checks_equal_the_all_at_once_computation(
    world: tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame], max_events: int, slices: int
) -> None:
    odds, matched, bounds = world
    outcomes, prices, book_margins, offered, suspects = _all_at_once(odds, matched, bounds)

    summary = RangeSummary()  # over the vocabulary's main markets
    parts: list[list[pl.DataFrame]] = [[], [], [], [], []]
    chunks = list(event_slices(matched, max_events))
    assert len(chunks) == slices
    # Each slice holds one date; the first slice of each date (and only it) is marked so.
    assert all(c.matched["kickoff_date"].n_unique() == 1 for c in chunks)
    firsts = [c.matched["kickoff_date"][0] for c in chunks if c.first_of_date]
    assert firsts == DAYS
    assert sorted(pl.concat([c.matched for c in chunks])["sr_id"].to_list()) == list(range(1_000, 1_009))
    for slice_ in chunks:
        chunk = slice_.matched
        ids = chunk["sr_id"].to_list()
        tables = comparison_tables(
            odds.filter(pl.col("sr_id").is_in(ids)),
            chunk,
            DEFS,
            bounds.filter(pl.col("sr_id").is_in(ids)),
            AT,
            site_country=COUNTRY,
        )
        summary.add(tables)
        computed = (tables.outcomes, tables.prices, tables.margins, tables.availability, tables.suspects)
        for into, frame in zip(parts, computed, strict=True):
            into.append(frame)
    assert len(parts[0]) == slices

    for whole, pieces in zip((outcomes, prices, book_margins, offered, suspects), parts, strict=True):
        # Floats to 1e-9: the power method iterates until every market of its frame converges, so a market
        # may get one more (or one fewer) Newton step in a smaller frame.
        assert_frame_equal(_sorted(pl.concat(pieces)), _sorted(whole), check_exact=False, rel_tol=1e-9)

    # The checks and metadata over the kept summaries equal the checks over the whole frames; and they are
    # not vacuous: the world has flagged margins, flagged prices and stale prices.
    by_margin = margin_check([screen_margins(book_margins, MAIN_MARKETS)])
    assert summary.margin_check() == by_margin
    assert not by_margin.passed and by_margin.details["flagged"] > 0
    # the median margin per book, over every market, from the margin values kept
    whole_medians = book_margins.drop_nulls("margin").group_by("book").agg(pl.col("margin").median())
    assert whole_medians.height == len(FILES)  # every priced book
    assert summary.median_margins() == {
        book.value: round(whole_medians.filter(pl.col("book") == book.value)["margin"].item(), 4)
        for book in NIGERIA_BOOKS
        if book in FILES
    }
    by_price = price_check([screen_prices(prices, MAIN_MARKETS)])
    assert summary.price_check() == by_price
    assert not by_price.passed and by_price.details["flagged"] > 0
    assert summary.stale_shares(limit=0.2) == stale_shares([stale_counts(prices)], limit=0.2)
    assert any(figures["stale"] for figures in summary.stale_shares(limit=0.2)[1].values())
    assert (summary.rows, summary.events, summary.margin_rows) == (
        outcomes.height,
        outcomes["sr_id"].n_unique(),
        book_margins.height,
    )
    wide = side_by_side(compare_prices(odds, DEFS, bounds, suspect_markets(odds, DEFS, bounds)))
    priced = wide.filter(pl.col("price_betpawa").is_not_null())
    assert summary.betpawa_best_share() == priced.filter(pl.col("betpawa_rank") == 1).height / priced.height
    counts = {row[0]: row[1] for row in offered.group_by("availability").len().iter_rows()}
    assert dict(summary.by_availability) == counts
    # the world's wrong prices make suspect markets, counted per book the same way slice by slice
    assert suspects.height > 0 and not summary.suspect_check().passed
    by_book = {row[0]: row[1] for row in suspects.group_by("book").len().iter_rows()}
    assert summary.suspect_check().details["suspect_by_book"] == {
        book.value: by_book[book.value] for book in NIGERIA_BOOKS if book.value in by_book
    }


def test_no_matched_event_still_yields_one_empty_slice_and_a_bad_size_is_refused() -> None:
    empty = pl.DataFrame(schema={"kickoff_date": pl.Date(), "sr_id": pl.Int64()})
    only = list(event_slices(empty, 5))
    assert len(only) == 1 and only[0].first_of_date and only[0].matched.is_empty()
    with pytest.raises(ValueError, match="max_events must be >= 1, got 0"):
        list(event_slices(empty, 0))


def test_each_book_s_confirmation_is_stored_once_and_not_with_its_prices() -> None:
    later = AT + timedelta(minutes=3)
    odds = pl.DataFrame(
        [
            (7, "betpawa", 1, "", 1, 2.0, "open", later),
            (7, "betpawa", 1, "", 2, 3.5, "open", later),
            (7, "betpawa", 1, "", 3, 4.0, "suspended", later),
            (7, "sportybet", 1, "", 1, 2.1, "open", AT),
            (7, "sportybet", 1, "", 2, None, "suspended", AT),
            (8, "bet9ja", 18, "total=2.5", 12, 1.9, "open", AT),
        ],
        schema=ODDS_SCHEMA,
        orient="row",
    )
    matched = pl.DataFrame(
        {
            "kickoff_date": DAYS[:2],
            "sr_id": [7, 8],
            "kickoff": [datetime.combine(d, datetime.min.time(), UTC) for d in DAYS[:2]],
            **{f"on_{b.value}": [True, True] for b in NIGERIA_BOOKS},
        }
    )
    tables = comparison_tables(odds, matched, DEFS, None, later, site_country=COUNTRY)
    assert tables.confirmations.select("kickoff_date", "sr_id", "book", "captured_at").rows() == [
        (DAYS[0], 7, "betpawa", later),
        (DAYS[0], 7, "sportybet", AT),
        (DAYS[1], 8, "bet9ja", AT),
    ]
    stored = tables.frames()
    computed = (tables.outcomes, tables.margins, tables.availability, tables.suspects)
    assert [frame.height for frame in stored] == [computed[0].height, 4, *(f.height for f in computed[1:]), 3]
    assert "captured_at" in tables.prices.columns and "captured_at" in tables.margins.columns
    assert all("captured_at" not in frame.columns for frame in stored[:5])
