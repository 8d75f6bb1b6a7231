"""BetPawa's price anomalies on the desk: its markets the single-book checks found off their family's band
(``analytics.suspect_markets``, reason overround), per site country and kick-off date, newest capture first.

Seeded on the two countries' hand-built rows (``two_countries.py``). Nigeria: BetPawa's one-line double chance
& total on 1001 (Arsenal v Chelsea), 1.25 1.64 1.64 1.24 1.08 2.38, implied sum 0.8 + 0.6098 + 0.6098 + 0.8065
+ 0.9259 + 0.4202 = 4.172 where two is the norm, captured 11:55 (BetPawa's confirmation of 1001 in
``two_countries.py``); a basketball line on 1003 (Real Madrid v Barcelona) at 2.15 and 2.15, implied sum
2 / 2.15 = 0.930, below the floor, captured 11:58 (so first), with no detail (found by the comparison) and no
market name known (shown by id). Left out:
BetPawa's ladder suspect, SportyBet's overround, BetPawa's overround of the next day. Ghana has only a
disagreement and the next day's overround: its table is empty.
"""

from __future__ import annotations

import csv
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import psycopg

from palimpsest_pipeline.markets.vocabulary import MAIN_MARKETS
from palimpsest_pipeline.report.build import build_report
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline.warehouse.report_reader import read_report_data
from palimpsest_pipeline_tests.report.test_report import browser
from palimpsest_pipeline_tests.two_countries import AT, DAY, seed_two_countries

__all__ = ["browser"]

MARKETS = sorted(MAIN_MARKETS)
NEXT_DAY = DAY + timedelta(days=1)

#: BetPawa's one-line double chance & total (UOF 547) on 1001, by outcome.
DC_TOTAL = {1724: 1.25, 1725: 1.64, 1726: 1.64, 1727: 1.24, 1728: 1.08, 1729: 2.38}
DC_DETAIL = (
    "implied sum 4.172 over 6 outcomes where the layout of Double chance & total implies 2 (band 1.96-2.60); "
    "1724@1.25 1725@1.64 1726@1.64 1727@1.24 1728@1.08 1729@2.38"
)
#: A basketball line on 1003 whose implied sum is below the floor (a market id no comparison row names).
LOW = {1: 2.15, 2: 2.15}
EMPTY = "No BetPawa price anomaly found: every checked market's implied sum is within its family's band."
MISSING_DETAIL = "off its margin band on the current prices"


def _suspect(
    conn: psycopg.Connection,
    cc: str,
    sr_id: int,
    market: int,
    specifier: str,
    book: str,
    reason: str,
    prices: dict[int, float] | None,
    detail: str | None,
    day: date = DAY,
) -> None:
    conn.execute(
        "INSERT INTO analytics.suspect_markets (kickoff_date, site_country, sr_id, market, specifier, book, "
        "reason, implied_sum, outcomes_compared, outcomes_disagreeing, detail, computed_at) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, 0, 0, %s, %s)",
        (
            day, cc, sr_id, market, specifier, book, reason,
            None if prices is None else sum(1 / p for p in prices.values()), detail, AT,
        ),
    )  # fmt: skip


def _prices(conn: psycopg.Connection, sr_id: int, market: int, spec: str, prices: dict[int, float]) -> None:
    """BetPawa's Nigerian prices of one market (captured when BetPawa last confirmed the event's prices)."""
    for outcome, price in prices.items():
        conn.execute(
            "INSERT INTO analytics.outcome_prices_stored (kickoff_date, site_country, sr_id, market, "
            "specifier, outcome, book, price, stale, suspect, computed_at) "
            "VALUES (%s, 'ng', %s, %s, %s, %s, 'betpawa', %s, false, true, %s)",
            (DAY, sr_id, market, spec, outcome, price, AT),
        )


def _seed(conn: psycopg.Connection) -> None:
    seed_two_countries(conn)  # BetPawa's prices of 1001 confirmed 5 minutes before AT
    _prices(conn, 1001, 547, "total=2.5", DC_TOTAL)
    _prices(conn, 1003, 236, "total=40.5", LOW)
    conn.execute(
        "INSERT INTO analytics.comparison_confirmations (kickoff_date, site_country, sr_id, book, "
        "captured_at) VALUES (%s, 'ng', 1003, 'betpawa', %s)",
        (DAY, AT - timedelta(minutes=2)),
    )
    conn.execute(
        "INSERT INTO analytics.outcome_comparison (kickoff_date, site_country, sr_id, market, specifier, "
        "outcome, market_name, outcome_name, best_price, best_book, books_offering, fair_books, computed_at) "
        "VALUES (%s, 'ng', 1001, 547, 'total=2.5', 1724, 'Double chance & total', '1X & under', 1.25, "
        "'betpawa', 1, 0, %s)",
        (DAY, AT),
    )
    _suspect(conn, "ng", 1001, 547, "total=2.5", "betpawa", "overround", DC_TOTAL, DC_DETAIL)
    _suspect(conn, "ng", 1003, 236, "total=40.5", "betpawa", "overround", LOW, None)
    # not BetPawa's overround on the day: none of these shows
    _suspect(conn, "ng", 1001, 18, "total=2.5", "betpawa", "ladder", {12: 1.9, 13: 1.9}, "a ladder break")
    _suspect(conn, "ng", 1001, 547, "total=2.5", "sportybet", "overround", DC_TOTAL, DC_DETAIL)
    _suspect(conn, "ng", 1001, 547, "total=2.5", "betpawa", "overround", DC_TOTAL, DC_DETAIL, NEXT_DAY)
    _suspect(conn, "gh", 1001, 547, "total=2.5", "betpawa", "disagrees", {1724: 1.3}, None)
    _suspect(conn, "gh", 1001, 547, "total=2.5", "betpawa", "overround", DC_TOTAL, DC_DETAIL, NEXT_DAY)


def _at(hour: int, minute: int) -> datetime:
    return AT.replace(hour=hour, minute=minute)


def test_the_reader_lists_betpawas_overround_markets_of_the_country_and_dates_newest_first(
    warehouse_url: str,
) -> None:
    with psycopg.connect(libpq_url(warehouse_url), autocommit=True) as conn:
        _seed(conn)
        ng = read_report_data(conn, "ng", DAY, DAY, MARKETS).price_anomalies
        gh = read_report_data(conn, "gh", DAY, DAY, MARKETS).price_anomalies
        both_days = read_report_data(conn, "ng", DAY, NEXT_DAY, MARKETS).price_anomalies
    columns = [
        "kickoff", "sport", "tournament", "match", "market", "line", "implied_sum", "detail", "captured_at",
    ]  # fmt: skip
    assert ng.select(columns).rows() == [
        (
            _at(17, 0), "basketball", "ACB", "Real Madrid v Barcelona", "236", "total=40.5", 0.93, None,
            _at(11, 58),
        ),
        (
            _at(15, 0), "football", "Premier League", "Arsenal v Chelsea", "Double chance & total",
            "total=2.5", 4.172, DC_DETAIL, _at(11, 55),
        ),
    ]  # fmt: skip
    assert ng["market_id"].to_list() == [236, 547] and ng["sr_id"].to_list() == [1003, 1001]
    assert gh.height == 0 and gh.columns == ng.columns
    # the next day's row, with no match row, capture nor comparison row of its own: the match and market by
    # id, after those captured
    assert both_days.height == 3
    assert both_days.row(2, named=True) == {
        **dict.fromkeys(columns, None), "tournament": "", "match": "sr:match:1001",
        "market": "547", "line": "total=2.5", "implied_sum": 4.172, "detail": DC_DETAIL,
        "market_id": 547, "sr_id": 1001,
    }  # fmt: skip


def _rows(page: object, country: str) -> list[list[str]]:
    return page.evaluate(  # type: ignore[attr-defined,no-any-return]
        f"""() => [...document.querySelectorAll(
                'div.country[data-country="{country}"] section[data-table="price_anomalies"] tbody tr')]
            .filter(r => r.style.display !== "none").map(r => [...r.cells].map(c => c.textContent))"""
    )


def test_the_desk_shows_exports_and_sorts_betpawas_price_anomalies_in_a_real_browser(
    warehouse_url: str, tmp_path: Path, browser: object
) -> None:
    with psycopg.connect(libpq_url(warehouse_url), autocommit=True) as conn:
        _seed(conn)
        build_report(conn, DAY, DAY, tmp_path / "anomalies.html")
    html_text = (tmp_path / "anomalies.html").read_text()
    ghana = html_text.split('<div class="country" data-country="gh"')[1]
    section = re.search(r'<section class="desk" data-table="price_anomalies".*?</section>', ghana, re.S)
    assert section and f'<p class="empty">{EMPTY}</p>' in section.group(0)

    context = browser.new_context(offline=True, accept_downloads=True)  # type: ignore[attr-defined]
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto((tmp_path / "anomalies.html").as_uri())
    assert page.inner_text('div.country[data-country="ng"] section[data-table="price_anomalies"] h2') == (
        "BetPawa price anomalies"
    )
    basketball = [
        "2026-11-25 17:00", "basketball", "ACB", "Real Madrid v Barcelona", "236", "total=40.5", "0.93",
        MISSING_DETAIL, "2026-11-25 11:58",
    ]  # fmt: skip
    football = [
        "2026-11-25 15:00", "football", "Premier League", "Arsenal v Chelsea", "Double chance & total",
        "total=2.5", "4.172", DC_DETAIL, "2026-11-25 11:55",
    ]  # fmt: skip
    assert _rows(page, "ng") == [basketball, football]
    table = 'div.country[data-country="ng"] section[data-table="price_anomalies"]'
    page.click(f"{table} th[data-col='6']")  # implied sum, descending on the second click
    page.click(f"{table} th[data-col='6']")
    assert _rows(page, "ng") == [football, basketball]
    page.select_option(f"{table} select", "football")
    assert _rows(page, "ng") == [football]
    with page.expect_download() as download:
        page.click(f"{table} button")
    assert download.value.suggested_filename == "price_anomalies_ng.csv"
    lines = list(csv.reader(Path(download.value.path()).read_text().splitlines()))
    context.close()
    assert lines == [
        [
            "Kick-off (UTC)", "Sport", "Tournament", "Match", "Market", "Line", "Implied sum", "Detail",
            "Captured (UTC)",
        ],
        football,
    ]  # fmt: skip
    assert problems == []


def test_no_anomaly_says_so(warehouse_url: str, tmp_path: Path) -> None:
    with psycopg.connect(libpq_url(warehouse_url), autocommit=True) as conn:
        seed_two_countries(conn)
        build_report(conn, DAY, DAY, tmp_path / "none.html")
    html_text = (tmp_path / "none.html").read_text()
    sections = re.findall(r'<section class="desk" data-table="price_anomalies".*?</section>', html_text, re.S)
    assert len(sections) == 2  # Nigeria's and Ghana's
    assert all(f'<p class="empty">{EMPTY}</p>' in section for section in sections)
