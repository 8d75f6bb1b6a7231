"""The share of each book's keyed outcomes a competitor prices, per market family, in the key health part of
the traders' page: each book's latest hour of ``analytics.key_health_families`` against its seven days before,
the largest drop first, with the desk's filter, sort and CSV.

Rows are written by hand beside ``two_countries.py``'s; every expected cell below is worked out from them.
Nigeria, BetPawa's latest hour 10:00 (event 1001), against events 2001 (09:00) and 2002 (three days before):
  player goals  10 of 40 priced (25 %), before 72 + 18 of 80 + 20 (90 %): -65 points
  score 1x2     20 of 40 (50 %), before 60 of 80 (75 %): -25; event 2003's 0 of 100 eight days before is out
  score total   36 of 40 (90 %), before 40 of 50 (80 %): +10
  corners total 0 of 10, no baseline: after every drop
  score cs      only before (event 2001): not in the hour, not shown
SportyBet's latest hour 09:00 (event 1001): score 1x2 10 of 20 (50 %), before 15 of 20 two days before (75 %):
-25, the same drop as BetPawa's on a smaller family, so after it. Ghana's BetPawa: score 1x2 10 of 10, on its
own part alone.
"""

from __future__ import annotations

import csv
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
import psycopg
import pytest

from palimpsest_pipeline.report.build import build_report
from palimpsest_pipeline.transforms.key_sharing import FAMILY_SHARING_SCHEMA
from palimpsest_pipeline.warehouse import report_reader
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline.warehouse.key_health import write_family_sharing
from palimpsest_pipeline.warehouse.report_reader import read_book_health
from palimpsest_pipeline_tests.report.test_report import browser
from palimpsest_pipeline_tests.two_countries import DAY, seed_two_countries

__all__ = ["browser"]

HOUR = datetime(2026, 11, 25, 10, tzinfo=UTC)
H, D = timedelta(hours=1), timedelta(days=1)

#: (site country, sr id, book, family, hour, keyed outcomes, competitor-priced)
FAMILIES = [
    ("ng", 1001, "betpawa", "player goals", HOUR, 40, 10),
    ("ng", 2001, "betpawa", "player goals", HOUR - H, 80, 72),
    ("ng", 2002, "betpawa", "player goals", HOUR - 3 * D, 20, 18),
    ("ng", 1001, "betpawa", "score 1x2", HOUR, 40, 20),
    ("ng", 2001, "betpawa", "score 1x2", HOUR - H, 80, 60),
    ("ng", 2003, "betpawa", "score 1x2", HOUR - 8 * D, 100, 0),
    ("ng", 1001, "betpawa", "score total", HOUR, 40, 36),
    ("ng", 2001, "betpawa", "score total", HOUR - H, 50, 40),
    ("ng", 1001, "betpawa", "corners total", HOUR, 10, 0),
    ("ng", 2001, "betpawa", "score cs", HOUR - H, 25, 25),
    ("ng", 1001, "sportybet", "score 1x2", HOUR - H, 20, 10),
    ("ng", 2001, "sportybet", "score 1x2", HOUR - 2 * D, 20, 15),
    ("gh", 1001, "betpawa", "score 1x2", HOUR, 10, 10),
]
TEN, NINE = "2026-11-25 10:00", "2026-11-25 09:00"
#: Book, hour, family, keyed, priced %, its 7 days %, change (points), keyed in the 7 days.
PLAYER_GOALS = ["betpawa", TEN, "player goals", "40", "25", "90", "-65", "100"]
BETPAWA_1X2 = ["betpawa", TEN, "score 1x2", "40", "50", "75", "-25", "80"]
SPORTYBET_1X2 = ["sportybet", NINE, "score 1x2", "20", "50", "75", "-25", "20"]
TOTAL = ["betpawa", TEN, "score total", "40", "90", "80", "10", "50"]
CORNERS = ["betpawa", TEN, "corners total", "10", "0", "", "", ""]
NIGERIA = [PLAYER_GOALS, BETPAWA_1X2, SPORTYBET_1X2, TOTAL, CORNERS]
GHANA = [["betpawa", TEN, "score 1x2", "10", "100", "", "", ""]]
HEADER = [
    "Book", "Hour (UTC)", "Family", "Keyed outcomes", "Competitor-priced %", "Competitor-priced %, 7 days",
    "Change (points)", "Keyed outcomes, 7 days",
]  # fmt: skip
EMPTY = "No family compared yet: the shares a competitor prices show after the odds comparison."


def _seed(conn: psycopg.Connection) -> None:
    seed_two_countries(conn)
    for country in ("ng", "gh"):  # as the comparison writes them: the hourly sums with them
        rows = [row[1:] for row in FAMILIES if row[0] == country]
        frame = pl.DataFrame(rows, schema=FAMILY_SHARING_SCHEMA, orient="row")
        write_family_sharing(conn, frame, site_country=country)


def test_the_reader_puts_the_largest_drop_first_and_keeps_at_most_the_desks_rows(
    warehouse_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with psycopg.connect(libpq_url(warehouse_url), autocommit=True) as conn:
        _seed(conn)
        ng = read_book_health(conn, "ng").key_health_families
        monkeypatch.setattr(report_reader, "DESK_ROWS", 2)
        bounded = read_book_health(conn, "ng").key_health_families
    columns = ["book", "family", "keyed_outcomes", "competitor_share", "baseline_share", "change"]
    assert ng.select(columns).rows() == [
        ("betpawa", "player goals", 40, 0.25, 0.9, pytest.approx(-0.65)),
        ("betpawa", "score 1x2", 40, 0.5, 0.75, -0.25),
        ("sportybet", "score 1x2", 20, 0.5, 0.75, -0.25),
        ("betpawa", "score total", 40, 0.9, 0.8, pytest.approx(0.1)),
        ("betpawa", "corners total", 10, 0.0, None, None),
    ]
    assert ng["baseline_keyed_outcomes"].to_list() == [100, 80, 20, 50, None]
    assert bounded.select("book", "family").rows() == [("betpawa", "player goals"), ("betpawa", "score 1x2")]


def _rows(page: object, country: str) -> list[list[str]]:
    return page.evaluate(  # type: ignore[attr-defined,no-any-return]
        f"""() => [...document.querySelectorAll(
                'div.country[data-country="{country}"] section[data-table="key_health_families"] tbody tr')]
            .filter(r => r.style.display !== "none").map(r => [...r.cells].map(c => c.textContent))"""
    )


def test_each_country_shows_sorts_filters_and_exports_its_families_in_a_real_browser(
    warehouse_url: str, tmp_path: Path, browser: object
) -> None:
    with psycopg.connect(libpq_url(warehouse_url), autocommit=True) as conn:
        _seed(conn)
        build_report(conn, DAY, DAY, tmp_path / "families.html")
    html_text = (tmp_path / "families.html").read_text()
    ghana = html_text.split('<div class="country" data-country="gh"')[1]
    # the table follows the key health table in each country's part
    assert re.search(r'data-table="key_health".*?data-table="key_health_families"', ghana, re.S)

    context = browser.new_context(offline=True, accept_downloads=True)  # type: ignore[attr-defined]
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto((tmp_path / "families.html").as_uri())
    table = 'div.country[data-country="ng"] section[data-table="key_health_families"]'
    assert page.inner_text(f"{table} h2") == "Priced by a competitor per family"
    assert _rows(page, "ng") == NIGERIA
    assert _rows(page, "gh") == GHANA
    page.click(f"{table} th[data-col='6']")  # change, ascending: the drops first, no baseline last
    assert _rows(page, "ng") == NIGERIA
    page.click(f"{table} th[data-col='6']")  # descending: no baseline (sorts as largest) first
    assert _rows(page, "ng") == [CORNERS, TOTAL, BETPAWA_1X2, SPORTYBET_1X2, PLAYER_GOALS]
    page.click(f"{table} th[data-col='3']")  # keyed outcomes, ascending
    assert [row[3] for row in _rows(page, "ng")] == ["10", "20", "40", "40", "40"]
    page.select_option(f"{table} select", "sportybet")
    assert _rows(page, "ng") == [SPORTYBET_1X2]
    page.select_option(f"{table} select", "betpawa")
    page.fill(f"{table} input", "score")
    assert sorted(_rows(page, "ng")) == sorted([BETPAWA_1X2, TOTAL])
    assert page.inner_text(f"{table} .count") == "2 rows"
    with page.expect_download() as download:
        page.click(f"{table} button")
    assert download.value.suggested_filename == "key_health_families_ng.csv"
    lines = list(csv.reader(Path(download.value.path()).read_text().splitlines()))
    context.close()
    assert lines[0] == HEADER and sorted(lines[1:]) == sorted([BETPAWA_1X2, TOTAL])
    assert problems == []


def test_no_family_compared_says_so(warehouse_url: str, tmp_path: Path) -> None:
    with psycopg.connect(libpq_url(warehouse_url), autocommit=True) as conn:
        seed_two_countries(conn)
        build_report(conn, DAY, DAY, tmp_path / "none.html")
    html_text = (tmp_path / "none.html").read_text()
    sections = re.findall(
        r'<section class="desk" data-table="key_health_families".*?</section>', html_text, re.S
    )
    assert len(sections) == 2  # Nigeria's and Ghana's
    assert all(f'<p class="empty">{EMPTY}</p>' in section for section in sections)
