"""The keys_drift drill: BetPawa starts serving its lines in a shape the parser misreads, and within one
capture cycle the single-book checks flag the misread markets, none of their prices reaches best price, rank
or gap, and keys_drift names BetPawa.

The real Dagster pipeline captures the sandbox world clean, the drift is switched on through the sandbox's
control API over its socket (``POST /_sandbox/payload_drift``, as in the make-dev drill of docs/sandbox.md),
and one more capture runs an hour later by the pipeline's clock (the sandbox's clock stays frozen: its prices
are the clean capture's). Captures are stamped with the wall clock, so the clean capture is moved back an
hour first (``chaos_drift.backdate_captures``), as the clean hour would be. What is misread is derived from
the two captures themselves: a BetPawa key or price the clean capture did not store.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import dagster as dg
import httpx
import psycopg
import pytest

from palimpsest_pipeline.alerts.rules import find
from palimpsest_pipeline.alerts.settings import AlertSettings
from palimpsest_pipeline.definitions import ALL_ASSETS
from palimpsest_pipeline.defs.report.assets import traders_report
from palimpsest_pipeline.defs.resources import BooksResource, ClockResource, WarehouseResource
from palimpsest_pipeline.markets.checks.event import check_markets
from palimpsest_pipeline.partition_keys import partition_key
from palimpsest_pipeline.records import Book, OddsRow
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline_tests.benchmarks.chaos_drift import backdate_captures
from palimpsest_pipeline_tests.fixtures_sandbox import SANDBOX_TEST_INSTANT
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_sandbox import SandboxHandle

pytestmark = pytest.mark.slow

CLEAN_AT = SANDBOX_TEST_INSTANT
DRIFTED_AT = SANDBOX_TEST_INSTANT + timedelta(minutes=61)
DAY = (SANDBOX_TEST_INSTANT + timedelta(days=1)).date()
PIPELINE = [asset for asset in ALL_ASSETS if asset is not traders_report]


def _checks_present() -> bool:
    """Whether this tree holds the single-book checks (a 1X2 priced 1.2 / 1.2 / 1.2 cannot be true)."""
    rows = [OddsRow(1, Book.BETPAWA, 1, "", o, 1.2, "open", CLEAN_AT) for o in (1, 2, 3)]
    return bool(check_markets(rows).suspects)


def _capture(url: str, sandbox_urls: dict[Book, str], at: object) -> None:
    run = dg.materialize(
        PIPELINE,
        resources={
            "warehouse": WarehouseResource(database_url=url),
            "books": BooksResource(
                base_urls={f"ng/{book.value}": sandbox_urls[book] for book in NIGERIA_BOOKS}
            ),
            "clock": ClockResource(fixed_utc=str(at)),
        },
        tags={
            "dagster/asset_partition_range_start": partition_key(DAY),
            "dagster/asset_partition_range_end": partition_key(DAY),
        },
    )
    assert run.success


Prices = dict[tuple[int, int, str, int], float]


def _open_prices(conn: psycopg.Connection) -> Prices:
    return {
        (sr_id, market, specifier, outcome): price
        for sr_id, market, specifier, outcome, price in conn.execute(
            "SELECT sr_id, market, specifier, outcome, price FROM core.odds_current "
            "WHERE book = 'betpawa' AND state = 'open'"
        )
    }


def test_a_misread_payload_is_caught_alone_and_raises_keys_drift_within_one_capture(
    warehouse_url: str, deep_sandbox: SandboxHandle
) -> None:
    if not _checks_present():
        pytest.skip("the single-book checks (markets/checks/) are not in this tree yet")
    sandbox = deep_sandbox
    with httpx.Client(timeout=10) as http:
        _capture(warehouse_url, sandbox.base_urls, CLEAN_AT.isoformat())
        backdate_captures(warehouse_url)  # captures carry the wall clock: the clean hour becomes the last
        with psycopg.connect(libpq_url(warehouse_url)) as conn:
            clean = _open_prices(conn)
        try:
            switched = http.post(sandbox.url + "/_sandbox/payload_drift", json={"book": "betpawa"})
            assert switched.status_code == 200 and switched.json()["betpawa"]["shape"] == "bare_quarter_lines"
            _capture(warehouse_url, sandbox.base_urls, DRIFTED_AT.isoformat())
        finally:  # the session's sandbox: every book back to its own shapes
            assert http.delete(sandbox.url + "/_sandbox/payload_drift").status_code == 200

    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        drifted = _open_prices(conn)
        misread = {key for key, price in drifted.items() if clean.get(key) != price}
        misread_markets = {(sr_id, market, specifier) for sr_id, market, specifier, _ in misread}
        assert len(misread_markets) > 20  # the drift really reached the parser
        suspects = {
            (sr_id, market, specifier): reason
            for sr_id, market, specifier, reason in conn.execute(
                "SELECT sr_id, market, specifier, reason FROM core.market_suspects WHERE book = 'betpawa'"
            )
        }
        # every misread market is suspect on BetPawa's own prices, for a reason the checks name
        caught = misread_markets & suspects.keys()
        assert caught and {suspects[m] for m in caught} <= {"units", "ladder", "identity"}
        assert "units" in {suspects[m] for m in caught}
        escaped = sorted(misread_markets - caught)

        # none of the misread prices takes part in best price, rank or gap
        compared = conn.execute(
            "SELECT sr_id, market, specifier, outcome FROM analytics.odds_comparison "
            "WHERE price_betpawa IS NOT NULL AND NOT coalesce(suspect_betpawa, false) "
            "AND NOT coalesce(stale_betpawa, false)"
        ).fetchall()
        leaked = misread & set(compared)

        # keys_drift names BetPawa (and no other book), a market and an example
        findings = find(conn, AlertSettings(), datetime.now(UTC))
    drifts = {f.subject: f for f in findings if f.rule == "keys_drift"}
    assert set(drifts) == {"ng:betpawa"}
    alert = drifts["ng:betpawa"]
    assert alert.details["markets"], alert.body
    example = str(alert.details["example"])
    assert "market " in example and "SportRadar" in example, example
    # the goal: every misread market flagged, no misread price in best price, rank or gap
    assert not escaped, (
        f"{len(escaped)} of {len(misread_markets)} misread markets unflagged: {sorted(escaped)[:5]}"
    )
    assert not leaked, f"{len(leaked)} of {len(misread)} misread prices compared: {sorted(leaked)[:5]}"
