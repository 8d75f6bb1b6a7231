"""Closing prices against the sandbox world's truth: the last captured prices, an independently computed
consensus, and the world's fair probabilities.

Three football matches of the leadership test's world (seed 7, size 120, main markets on balanced lines),
captured on every book every CADENCE of sandbox time over the real sockets, parsers and odds store (each
capture stamped with the sandbox's instant); MSport is down on the first match from DOWN_FROM on, so its last
capture there is older than the window. The truth is the world's own prices (``book_prices``) and fair
probabilities (``fair_lines``), never the code under test.
"""

from __future__ import annotations

import logging
import statistics
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import dagster as dg
import psycopg
import pytest
from psycopg import sql

from palimpsest_pipeline.defs.leadership.closing import closing_prices_asset
from palimpsest_pipeline.defs.resources import ClockResource, WarehouseResource
from palimpsest_pipeline.derive.closing import rebuild_closing_prices
from palimpsest_pipeline.markets.definitions import market_definitions_frame
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline_tests.fixtures_sandbox import sandbox_test_config
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_pipeline_tests.sandbox_captures import capture_matches, world_matches
from palimpsest_pipeline_tests.warehouse.closing_days_recomputed import assert_days_equal_rows
from palimpsest_sandbox import SandboxHandle, start_in_thread
from palimpsest_sandbox.markets import book_prices
from palimpsest_sandbox.markets.fair_lines import fair_lines
from palimpsest_sandbox.markets.moves import SLOTS, market_version
from palimpsest_sandbox.markets.pricing import line_code
from palimpsest_sandbox.world_event import WorldEvent

pytestmark = pytest.mark.slow

KICKOFFS = [datetime(2026, 5, 5, 17, 30, tzinfo=UTC), datetime(2026, 5, 5, 18, 0, tzinfo=UTC),
            datetime(2026, 5, 5, 18, 15, tzinfo=UTC)]  # fmt: skip
START = datetime(2026, 5, 5, 15, 50, tzinfo=UTC)
CADENCE = timedelta(minutes=10)
INSTANTS = [START + k * CADENCE for k in range(15)]  # to 18:10
WINDOW = timedelta(minutes=30)  # the imminent tier's reach
DOWN_FROM = datetime(2026, 5, 5, 16, 51, tzinfo=UTC)  # MSport's last capture of the first match: 16:50
DAY = KICKOFFS[0].date()
COMPETITORS = [book for book in NIGERIA_BOOKS if book is not Book.BETPAWA]
#: The consensus's distance from the world's fair probabilities, relative (see the last test).
TRUTH_TOLERANCE = 0.05
Key = tuple[int, str, int]


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxHandle]:
    with start_in_thread(sandbox_test_config(size=120, depth_scale=0.0)) as handle:
        yield handle


def _matches(sandbox: SandboxHandle) -> dict[int, WorldEvent]:
    return world_matches(sandbox, START, KICKOFFS)


def _down(event: WorldEvent, book: Book, at: datetime) -> bool:
    return book is Book.MSPORT and event.kickoff == KICKOFFS[0] and at >= DOWN_FROM


@pytest.fixture(scope="module")
def captured(sandbox: SandboxHandle, module_warehouse_url: str) -> Iterator[psycopg.Connection]:
    """The warehouse after a catalogue scrape at START and a capture of the matches ahead at each instant."""
    capture_matches(sandbox, module_warehouse_url, _matches(sandbox), DAY, INSTANTS, "closing", down=_down)
    with psycopg.connect(libpq_url(module_warehouse_url), autocommit=True) as conn:
        yield conn


def _complete() -> dict[int, int]:
    """Outcomes per complete market of the vocabulary."""
    defs = market_definitions_frame().filter("complete")
    return dict(defs.group_by("market").len().iter_rows())


def _quoted(event: WorldEvent, book: Book, at: datetime) -> dict[Key, tuple[float | None, str]]:
    """The world's complete-market prices of ``event`` on ``book`` at ``at``, as the sandbox serves them."""
    complete = _complete()
    prices = book_prices(book, event.match_seed, event.price_version(book, at), event.sport, 0.0)
    return {key: value for key, value in prices.items() if key[0] in complete}


def _last_capture(event: WorldEvent, book: Book) -> datetime:
    return max(at for at in INSTANTS if at < event.kickoff and not _down(event, book, at))


def _true_probability(event: WorldEvent, book: Book, at: datetime, key: Key) -> float:
    """The world's fair probability behind ``book``'s price of ``key`` at ``at`` (its own lagged version)."""
    version = event.price_version(book, at)
    low = version // SLOTS
    market, spec, outcome = key
    line_version = market_version(version, event.match_seed, line_code(market, spec))
    entry = fair_lines(event.match_seed, line_version, event.sport).outcomes((market, spec))
    assert entry is not None
    outcomes, probabilities = entry
    assert line_version in (low, low + 1)
    return probabilities[outcomes.index(outcome)]


def _rows(conn: psycopg.Connection) -> dict[tuple[int, str, Key], dict]:
    cursor = conn.execute(
        "SELECT * FROM analytics.closing_prices WHERE kickoff_date = %s AND site_country = 'ng'", (DAY,)
    )
    names = [c.name for c in cursor.description or []]
    rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return {(r["sr_id"], r["book"], (r["market"], r["specifier"], r["outcome"])): r for r in rows}


@pytest.fixture(scope="module")
def built(captured: psycopg.Connection) -> dict[tuple[int, str, Key], dict]:
    """Built with the first match kicked off, then after the last kick-off, then again (writing nothing)."""
    first = rebuild_closing_prices(
        captured, [DAY], KICKOFFS[0] + timedelta(minutes=5), window=WINDOW, site_country="ng"
    )
    assert first.matches_judged == 1 and first.written.inserted == first.rows > 0
    assert {sr_id for sr_id, _book, _key in _rows(captured)} == {
        sr_id for sr_id, e in _matches_of(captured).items() if e == KICKOFFS[0]
    }
    now = KICKOFFS[-1] + timedelta(minutes=5)
    second = rebuild_closing_prices(captured, [DAY], now, window=WINDOW, site_country="ng")
    assert second.matches_judged == 3 and second.written.deleted == 0 and second.written.updated == 0
    again = rebuild_closing_prices(captured, [DAY], now, window=WINDOW, site_country="ng")
    assert again.written.rows == 0 and again.rows == second.rows
    settled = rebuild_closing_prices(
        captured, [DAY], now + WINDOW, window=WINDOW, site_country="ng", settled_after=WINDOW
    )
    assert settled.matches_judged == 0 and settled.written.rows == 0  # every match settled: none read
    return _rows(captured)


def _matches_of(conn: psycopg.Connection) -> dict[int, datetime]:
    return dict(
        conn.execute(
            "SELECT sr_id, kickoff FROM analytics.matches WHERE kickoff_date = %s", (DAY,)
        ).fetchall()
    )


def test_each_closing_price_is_the_books_price_at_its_last_capture_before_kickoff(
    sandbox: SandboxHandle, built: dict[tuple[int, str, Key], dict]
) -> None:
    """Every open complete-market price of the world at each book's last capture is a row with that price and
    time, and nothing else closes open; MSport's first match is stale, the rest is not."""
    for sr_id, event in _matches(sandbox).items():
        for book in NIGERIA_BOOKS:
            last = _last_capture(event, book)
            world = _quoted(event, book, last)
            rows = {key: r for (s, b, key), r in built.items() if s == sr_id and b == book.value}
            opened = {key: price for key, (price, state) in world.items() if state == "open"}
            assert {
                key: r["closing_price"] for key, r in rows.items() if r["closing_price"] is not None
            } == opened
            assert {r["closing_at"] for r in rows.values()} == {last}
            stale = _down(event, book, event.kickoff)
            assert {r["set_aside"] == "stale" for r in rows.values() if r["closing_price"]} == {stale}
            for key, r in rows.items():
                if key not in opened:
                    assert r["set_aside"] in ("stale", "suspended", "closed"), (book, key, r["set_aside"])
                    assert r["set_aside"] != "suspended" or world[key][1] == "suspended"


def test_betpawas_opening_price_is_its_first_captured_open_price(
    sandbox: SandboxHandle, built: dict[tuple[int, str, Key], dict]
) -> None:
    for sr_id, event in _matches(sandbox).items():
        seen: dict[Key, tuple[float, datetime]] = {}
        for at in (at for at in INSTANTS if at < event.kickoff):
            for key, (price, state) in _quoted(event, Book.BETPAWA, at).items():
                if state == "open" and key not in seen and price is not None:
                    seen[key] = (price, at)
        rows = {key: r for (s, b, key), r in built.items() if s == sr_id and b == "betpawa"}
        assert {key: (r["opening_price"], r["opening_at"]) for key, r in rows.items()} == seen
        assert all(r["opening_price"] is None for (s, b, _k), r in built.items() if b != "betpawa")


def _fed(event: WorldEvent, book: Book, key: Key) -> dict[Book, float]:
    """The other competitors' proportional fair probabilities of ``key`` at their last capture, computed
    here from the world's prices: those not stale whose line was complete and open, its sum at least 1."""
    fair: dict[Book, float] = {}
    for other in COMPETITORS:
        if other is book or _down(event, other, event.kickoff):
            continue
        quoted = _quoted(event, other, _last_capture(event, other))
        line = {k: v for k, v in quoted.items() if k[:2] == key[:2]}
        if key not in line or len(line) != _complete()[key[0]]:
            continue
        if any(state != "open" or price is None for price, state in line.values()):
            continue
        total = sum(1 / price for price, _state in line.values() if price is not None)
        price = quoted[key][0]
        if total >= 1 and price is not None:
            fair[other] = 1 / price / total
    return fair


def test_the_consensus_equals_the_median_of_the_other_competitors_fair_probabilities(
    sandbox: SandboxHandle, built: dict[tuple[int, str, Key], dict]
) -> None:
    matches = _matches(sandbox)
    compared = 0
    for (sr_id, book, key), row in built.items():
        fed = _fed(matches[sr_id], Book(book), key)
        assert row["consensus_books"] == len(fed), (sr_id, book, key)
        if len(fed) < 2:
            assert row["consensus_probability"] is None
            continue
        compared += 1
        expected = statistics.median(fed.values())
        assert row["consensus_probability"] == pytest.approx(expected, rel=1e-9)
        if row["set_aside"] is None:
            assert row["gap"] == pytest.approx(row["closing_price"] * expected - 1, rel=1e-9, abs=1e-12)
    assert compared >= 100


def test_the_consensus_lies_near_the_worlds_fair_probability(
    sandbox: SandboxHandle, built: dict[tuple[int, str, Key], dict]
) -> None:
    """Each book prices ``noise / (p (1 + margin))`` rounded to its ladder: the proportional fair probability
    is p times its noise ratio over the line's mean noise (each within 1 %) and a rounding of at most half a
    ladder step over the price (Bet9ja's coarsest: 0.125 at 6, 2.1 %), so each competitor's is within 5 % of
    the p behind its own (lagged) price, and their median within 5 % of the range of those p. Outcomes under
    5 % are left out: their prices reach the 500 cap and the 1e-4 floor."""
    matches = _matches(sandbox)
    worst = 0.0
    for (sr_id, book, key), row in built.items():
        if book != "betpawa" or row["consensus_probability"] is None:
            continue
        event = matches[sr_id]
        fed = _fed(event, Book.BETPAWA, key)
        truths = [_true_probability(event, other, _last_capture(event, other), key) for other in fed]
        if min(truths) < 0.05:
            continue
        consensus = row["consensus_probability"]
        off = max(consensus / max(truths) - 1, 1 - consensus / min(truths), 0.0)
        worst = max(worst, off)
        assert off <= TRUTH_TOLERANCE, (sr_id, key, consensus, truths)
    print(f"closing consensus: worst relative distance from the world's fair range {worst:.4f}")


def _materialize(
    warehouse_url: str, *, rebuild: bool, instance: dg.DagsterInstance | None = None
) -> dict[str, object]:
    """Materialize Nigeria's closing prices for DAY after the last kick-off through Dagster; its metadata."""
    now = KICKOFFS[-1] + timedelta(minutes=5)
    result = dg.materialize(
        [closing_prices_asset("ng")],
        instance=instance,
        resources={
            "warehouse": WarehouseResource(database_url=warehouse_url),
            "clock": ClockResource(fixed_utc=now.isoformat()),
        },
        tags={"dagster/asset_partition_range_start": str(DAY), "dagster/asset_partition_range_end": str(DAY)},
        run_config={"ops": {"ng__closing_prices": {"config": {"rebuild": rebuild}}}},
    )
    assert result.success
    (materialization,) = result.asset_materializations_for_node("ng__closing_prices")
    return {name: value.value for name, value in materialization.metadata.items()}


def test_the_asset_leaves_settled_matches_as_stored_unless_told_to_rebuild(
    sandbox: SandboxHandle,
    captured: psycopg.Connection,
    built: dict[tuple[int, str, Key], dict],
    module_warehouse_url: str,
) -> None:
    """Through Dagster (the settings' imminent tier as window): a run 5 minutes after the last kick-off judges
    the two matches kicked off within the window, writing nothing; the first match, kicked off 50 minutes
    before with its rows stored, is settled and left as stored (a row altered here stays altered) until a
    run with ``rebuild`` judges it again and restores that row alone."""
    first = next(sr_id for sr_id, e in _matches(sandbox).items() if e.kickoff == KICKOFFS[0])
    later = {key: r for key, r in built.items() if key[0] != first}
    (altered,) = captured.execute(
        "UPDATE analytics.closing_prices SET gap = 0.5 WHERE (sr_id, book, market, specifier, outcome) IN "
        "(SELECT sr_id, book, market, specifier, outcome FROM analytics.closing_prices WHERE sr_id = %s "
        "AND gap IS NOT NULL LIMIT 1) RETURNING book, market, specifier, outcome",
        (first,),
    ).fetchall()
    assert _materialize(module_warehouse_url, rebuild=False) == {
        "matches_judged": 2,
        "rows": len(later),
        "set_aside": sum(r["set_aside"] is not None for r in later.values()),
        "rows_written": 0,
        "matches_kept_without_history": 0,
        "matches_kept_with_partial_history": 0,
    }
    key = (first, altered[0], (altered[1], altered[2], altered[3]))
    assert _rows(captured)[key]["gap"] == 0.5
    assert _materialize(module_warehouse_url, rebuild=True) == {
        "matches_judged": 3,
        "rows": len(built),
        "set_aside": sum(r["set_aside"] is not None for r in built.values()),
        "rows_written": 1,
        "matches_kept_without_history": 0,
        "matches_kept_with_partial_history": 0,
    }
    assert _rows(captured)[key]["gap"] == built[key]["gap"]
    assert_days_equal_rows(captured)  # the day sums followed the row altered and restored


def test_the_summary_sums_the_rows_per_competition_market_family_and_book(
    captured: psycopg.Connection, built: dict[tuple[int, str, Key], dict]
) -> None:
    groups: dict[tuple[str, str, str], list[dict]] = {}
    for row in built.values():
        groups.setdefault((row["competition"], row["market_family"], row["book"]), []).append(row)
    summary = captured.execute(
        "SELECT competition, market_family, book, outcomes, stale_outcomes, compared_outcomes, mean_gap, "
        "median_gap, share_above_fair, mean_opening_gap FROM analytics.closing_price_summary "
        "WHERE kickoff_date = %s AND site_country = 'ng'",
        (DAY,),
    ).fetchall()
    assert {row[:3] for row in summary} == set(groups)
    for competition, family, book, outcomes, stale, compared, mean, median, above, opening in summary:
        rows = groups[(competition, family, book)]
        gaps = [r["gap"] for r in rows if r["gap"] is not None]
        openings = [r["opening_gap"] for r in rows if r["opening_gap"] is not None]
        assert (outcomes, stale, compared) == (
            len(rows),
            sum(r["set_aside"] == "stale" for r in rows),
            len(gaps),
        )
        assert mean == (pytest.approx(statistics.mean(gaps)) if gaps else None)
        assert median == (pytest.approx(statistics.median(gaps)) if gaps else None)
        assert above == (pytest.approx(sum(g > 0 for g in gaps) / len(gaps)) if gaps else None)
        assert opening == (pytest.approx(statistics.mean(openings)) if openings else None)
    assert len({row[0] for row in summary}) == 3  # the three matches' competitions


def test_the_day_sums_equal_the_rows_summed_again(
    captured: psycopg.Connection, built: dict[tuple[int, str, Key], dict]
) -> None:
    """The rebuilds wrote the day sums with the rows: what the week's digest reads equals the stored rows
    worked out again, one day row per competition, market family and book."""
    groups = {(r["competition"], r["market_family"], r["book"]) for r in built.values()}
    assert assert_days_equal_rows(captured) == len(groups)


def _day_bounds() -> tuple[datetime, datetime]:
    start = datetime(DAY.year, DAY.month, DAY.day, tzinfo=UTC)
    return start, start + timedelta(days=1)


@pytest.mark.parametrize("inputs", ["core.odds_changes", "core.odds_captures"])
def test_a_rebuild_of_a_date_whose_inputs_are_gone_keeps_its_rows(
    captured: psycopg.Connection, built: dict[tuple[int, str, Key], dict], inputs: str
) -> None:
    """The date's odds history (or its capture log) deleted as their retentions do, weeks later: a rebuild
    judging every match finds no input for any and keeps the three matches' rows as stored."""
    later = KICKOFFS[-1] + timedelta(days=40)
    stored = _rows(captured)
    assert len({sr_id for sr_id, _book, _key in stored}) == 3
    with captured.transaction(force_rollback=True):
        captured.execute(
            f"DELETE FROM {inputs} WHERE site_country = 'ng' AND captured_at >= %s AND captured_at < %s",
            _day_bounds(),
        )
        summary = rebuild_closing_prices(captured, [DAY], later, window=WINDOW, site_country="ng")
        assert _rows(captured) == stored
        assert summary.written.rows == 0
        assert (summary.matches_kept_without_history, summary.matches_kept_with_partial_history) == (3, 0)


def test_a_rebuild_missing_one_books_history_of_a_match_keeps_that_match_as_stored(
    sandbox: SandboxHandle, captured: psycopg.Connection, built: dict[tuple[int, str, Key], dict]
) -> None:
    """SportyBet's history of the second match gone (and BetPawa's first hour of the third): rewriting them
    would drop SportyBet's rows, move BetPawa's openings and every consensus SportyBet fed, so both matches
    keep their stored rows; the first match, whole, is judged again and written as it was."""
    second, third = (sr_id for sr_id, e in _matches(sandbox).items() if e.kickoff in KICKOFFS[1:])
    stored = _rows(captured)
    with captured.transaction(force_rollback=True):
        captured.execute(
            "DELETE FROM core.odds_changes AS c USING core.books AS b WHERE b.history_code = c.book "
            "AND ((b.book = 'sportybet' AND c.sr_id = %s) OR (b.book = 'betpawa' AND c.sr_id = %s "
            "AND c.captured_at < %s))",
            (second, third, START + timedelta(hours=1)),
        )
        summary = rebuild_closing_prices(
            captured, [DAY], KICKOFFS[-1] + timedelta(minutes=5), window=WINDOW, site_country="ng"
        )
        assert _rows(captured) == stored
        assert summary.written.rows == 0
        assert (summary.matches_kept_without_history, summary.matches_kept_with_partial_history) == (0, 2)
        assert summary.matches_judged == 3


def test_the_asset_says_which_matches_it_kept_without_their_history(
    sandbox: SandboxHandle,
    captured: psycopg.Connection,
    built: dict[tuple[int, str, Key], dict],
    module_warehouse_url: str,
) -> None:
    """Through Dagster, the second match's odds history gone (put back after): a rebuild keeps its rows,
    counts it in the metadata and names it in a warning."""
    second = next(sr_id for sr_id, e in _matches(sandbox).items() if e.kickoff == KICKOFFS[1])
    stored = _rows(captured)
    captured.execute(
        sql.SQL("CREATE TEMP TABLE gone AS SELECT * FROM core.odds_changes WHERE sr_id = {}").format(
            sql.Literal(second)
        )
    )
    captured.execute("DELETE FROM core.odds_changes WHERE sr_id = %s", (second,))
    instance = dg.DagsterInstance.ephemeral()
    try:
        metadata = _materialize(module_warehouse_url, rebuild=True, instance=instance)
        after = _rows(captured)
    finally:
        captured.execute("INSERT INTO core.odds_changes SELECT * FROM gone")
        captured.execute("DROP TABLE gone")
    assert after == stored
    assert (metadata["matches_judged"], metadata["rows_written"]) == (3, 0)
    assert metadata["matches_kept_without_history"] == 1
    assert metadata["matches_kept_with_partial_history"] == 0
    (run,) = instance.get_runs()
    warnings = [e.user_message for e in instance.all_logs(run.run_id) if e.level == logging.WARNING]
    assert any(f"{second}: 'without_history'" in message for message in warnings), warnings
