"""The traders' page per site country: Nigeria and Ghana from hand-built long rows (``two_countries.py``).

Nigeria's coverage is the same as the wide views (Nigeria's three books as columns, which the page read
before) give, its prices (every Nigerian book's, where the wide views keep three) worked out by hand, and all
unchanged when Ghana's rows are taken away. Ghana's figures are its own, worked out by
hand. In a real browser (Debian's chromium, offline) the country switch shows one country at a time, every
chart draws, and each country's desk exports its own rows as its own CSV.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import polars as pl
import psycopg
import pytest
from polars.testing import assert_frame_equal

from palimpsest_pipeline.markets.vocabulary import MAIN_MARKETS
from palimpsest_pipeline.report.build import build_report
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline.warehouse.report_reader import ReportData, read_report_data
from palimpsest_pipeline.warehouse.table_io import read_frame
from palimpsest_pipeline_tests.report.test_report import browser
from palimpsest_pipeline_tests.two_countries import DAY, EXPECTED, MARGINS, seed_two_countries

__all__ = ["browser"]

MARKETS = sorted(MAIN_MARKETS)
#: The long tables holding both countries' rows.
TABLES = (
    "matches", "match_listings", "coverage_groups", "coverage", "coverage_history", "to_list_now",
    "outcome_comparison", "outcome_prices_stored", "market_margins_stored", "comparison_confirmations",
    "price_leadership",
)  # fmt: skip
_SUMS = (
    "sum(total)::bigint AS total, sum(matched)::bigint AS matched, "
    "sum(betpawa_only)::bigint AS betpawa_only, sum(competitor_only)::bigint AS competitor_only"
)


def _read(conn: psycopg.Connection, country: str) -> ReportData:
    return read_report_data(conn, country, DAY, DAY, MARKETS, price_gap=0.02)


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort(frame.columns, nulls_last=True)


def _interpolated(values: list[float], quantile: float) -> float:
    """The ``quantile`` of ``values``, interpolated linearly between the nearest two (as percentile_cont)."""
    ordered = sorted(values)
    position = quantile * (len(ordered) - 1)
    below = int(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (position - below) * (ordered[above] - ordered[below])


def _wide(conn: psycopg.Connection, query: str) -> pl.DataFrame:
    return read_frame(conn, query, {"first": DAY, "last": DAY, "markets": MARKETS})


def test_nigerias_figures_are_the_wide_views_and_ghanas_rows_change_none(
    warehouse_conn: psycopg.Connection,
) -> None:
    seed_two_countries(warehouse_conn)
    # the wide views group by the canonical country, which the pipeline fills and the seed leaves empty
    warehouse_conn.execute("UPDATE analytics.matches SET canonical_country = country")
    ng = _read(warehouse_conn, "ng")
    # What the page read before: the wide views, Nigeria's only (the sport level summed over the countries
    # view: its own wide view is gone, 0050, and a match is in one country of its sport)
    where = "WHERE kickoff_date BETWEEN %(first)s AND %(last)s"
    for frame, view, keys in (
        (ng.coverage_by_sport, "coverage_by_country", "sport"),
        (ng.coverage_by_country, "coverage_by_country", "sport, country"),
        (ng.coverage_by_tournament, "coverage_by_tournament", "sport, country, tournament"),
    ):
        today = _wide(warehouse_conn, f"SELECT {keys}, {_SUMS} FROM analytics.{view} {where} GROUP BY {keys}")
        assert frame.height > 0
        assert_frame_equal(_sorted(frame), _sorted(today))
    # Prices: since 0039 the wide views rank BetPawa, SportyBet and Bet9ja alone, the page every Nigerian
    # book (MSport too): BetPawa's 1X2 gaps worked out by hand instead, 2.00 against MSport's 2.20, best on
    # the draw, 3.60 against SportyBet's 3.70; the quantiles interpolate between the three.
    (position,) = ng.price_position.iter_rows(named=True)
    assert (position["market"], position["compared"], position["betpawa_best"]) == (1, 3, 1)
    assert position["gap_quantiles"] == pytest.approx(
        [_interpolated([2.00 / 2.20 - 1, 3.60 / 3.70 - 1, 0.0], q) for q in (0.05, 0.25, 0.5, 0.75, 0.95)]
    )
    assert ng.out_of_line.select("match", "betpawa", "best", "best_book").rows() == [
        ("Arsenal v Chelsea", 2.00, 2.20, "msport"),
        ("Arsenal v Chelsea", 3.60, 3.70, "sportybet"),
    ]

    # Ghana's rows taken away, Nigeria's page reads the same.
    for table in TABLES:
        warehouse_conn.execute(f"DELETE FROM analytics.{table} WHERE site_country = 'gh'")
    alone = _read(warehouse_conn, "ng")
    for name in (
        "books", "coverage_by_sport", "coverage_by_country", "coverage_by_tournament", "coverage_history",
        "price_position", "margins", "to_list", "lead_time", "leadership",
    ):  # fmt: skip
        before, after = getattr(ng, name), getattr(alone, name)
        if isinstance(before, pl.DataFrame):
            assert_frame_equal(before, after)
        else:
            assert before == after
    assert_frame_equal(ng.out_of_line.drop("capture_age_min"), alone.out_of_line.drop("capture_age_min"))


@pytest.mark.parametrize("country", ["ng", "gh"])
def test_each_country_reads_its_own_books_and_figures(
    warehouse_conn: psycopg.Connection, country: str
) -> None:
    seed_two_countries(warehouse_conn)
    data = _read(warehouse_conn, country)
    expected = EXPECTED[country]
    assert list(data.books) == expected["books"]
    by_tournament = {
        row["tournament"]: (row["matched"], row["competitor_only"], row["betpawa_only"])
        for row in data.coverage_by_tournament.iter_rows(named=True)
    }
    assert by_tournament == expected["coverage_by_tournament"]
    assert data.coverage_history["total"].to_list() == [expected["total"]]
    (position,) = data.price_position.iter_rows(named=True)
    assert position["betpawa_best"] / position["compared"] == pytest.approx(expected["best_share"])
    assert position["gap_quantiles"][2] == pytest.approx(expected["median_gap"])
    assert data.out_of_line.select("match", "best_book", "gap_pct").rows() == expected["out_of_line"]
    assert sorted(data.to_list["sr_id"].to_list()) == expected["to_list"]
    assert dict(data.margins.select("book", "median_margin").rows()) == pytest.approx(MARGINS[country])
    assert data.leadership["book"].to_list() == (["sportybet"] if country == "ng" else ["msport"])


def _specs(page: str) -> dict[str, dict]:
    match = re.search(r'<script type="application/json" id="specs">(.*?)</script>', page, re.S)
    assert match
    return json.loads(match.group(1))


def _rows(page: object, country: str, table: str) -> list[list[str]]:
    return page.evaluate(  # type: ignore[attr-defined,no-any-return]
        f"""() => [...document.querySelectorAll(
                'div.country[data-country="{country}"] section[data-table="{table}"] tbody tr')]
            .filter(r => r.style.display !== "none").map(r => [...r.cells].map(c => c.textContent))"""
    )


def _visible(page: object, country: str) -> bool:
    return page.evaluate(  # type: ignore[attr-defined,no-any-return]
        f"""() => document.querySelector('div.country[data-country="{country}"]').offsetParent !== null"""
    )


def test_the_page_switches_country_and_each_desk_exports_its_own_csv(
    warehouse_url: str, tmp_path: Path, browser: object
) -> None:
    with psycopg.connect(libpq_url(warehouse_url), autocommit=True) as conn:
        seed_two_countries(conn)
        built = build_report(conn, DAY, DAY, tmp_path / "countries.html")
    html_text = (tmp_path / "countries.html").read_text()
    specs = _specs(html_text)
    # Each country's tournament chart holds its own tournaments only.
    for country, tournaments in (
        ("ng", {"Premier League", "ACB"}),
        ("gh", {"Premier League", "Ghana Premier League"}),
    ):
        part = html_text.split(f'<div class="country" data-country="{country}"')[1].split(
            '<div class="country"'
        )[0]
        vis = re.search(r'data-chart="coverage_tournament">.*?<div class="vis" id="(vis-\d+)"', part, re.S)
        assert vis
        labels = {
            row["label"].split(" · ")[0] for rows in specs[vis.group(1)]["datasets"].values() for row in rows
        }
        assert labels == tournaments

    context = browser.new_context(offline=True, accept_downloads=True)  # type: ignore[attr-defined]
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto((tmp_path / "countries.html").as_uri())
    page.wait_for_function(
        f"document.querySelectorAll('.vis[data-drawn=\"true\"]').length === {built.drawn}", timeout=60_000
    )
    assert built.drawn == len(specs) > 0
    assert page.evaluate(
        "() => [...document.querySelectorAll('nav.countries button')].map(b => b.textContent)"
    ) == [
        "Nigeria",
        "Ghana",
    ]
    assert _visible(page, "ng") and not _visible(page, "gh")
    assert page.inner_text('div.country[data-country="ng"] h2.country') == (
        "Nigeria: BetPawa against SportyBet, Bet9ja and MSport"
    )
    assert [(row[3], row[8], row[9]) for row in _rows(page, "ng", "out_of_line")] == [
        ("Arsenal v Chelsea", "msport", "9.1"),
        ("Arsenal v Chelsea", "sportybet", "2.7"),
    ]
    assert [row[4] for row in _rows(page, "ng", "to_list")] == ["Everton v Fulham"]

    page.click('nav.countries button[data-country="gh"]')
    assert _visible(page, "gh") and not _visible(page, "ng")
    assert page.inner_text('div.country[data-country="gh"] h2.country') == (
        "Ghana: BetPawa against SportyBet, MSport and Betika"
    )
    assert [(row[3], row[8], row[9]) for row in _rows(page, "gh", "out_of_line")] == [
        ("Arsenal v Chelsea", "sportybet", "14.3")
    ]
    shown = _rows(page, "gh", "to_list")
    assert [row[4] for row in shown] == ["Hearts v Kotoko", "Aduana v Medeama"]
    assert [row[5] for row in shown] == ["msport", "sportybet, msport"]
    with page.expect_download() as download:
        page.click('div.country[data-country="gh"] section[data-table="to_list"] button')
    assert download.value.suggested_filename == "to_list_gh.csv"
    lines = list(csv.reader(Path(download.value.path()).read_text().splitlines()))
    assert lines[0][0] == "Kick-off (UTC)" and lines[1:] == shown
    page.screenshot(path=str(tmp_path / "countries.png"), full_page=True)
    context.close()
    assert problems == []
