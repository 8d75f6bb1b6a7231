"""Each site country's part of the traders' page holds its own live panel and its own books' key health.

Nigeria's and Ghana's rows of ``analytics.key_health``, ``live_coverage`` and ``live_suspension`` are built
by hand beside ``two_countries.py``'s long rows, with figures that differ per country; every expected cell
below is worked out from those rows by hand. In a real browser (Debian's chromium, offline) the switch shows
one country's panel and key health and hides the other's.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg

from palimpsest_pipeline.report.build import build_report
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline_tests.report.test_report import browser
from palimpsest_pipeline_tests.two_countries import DAY, seed_two_countries

__all__ = ["browser"]

#: The hour key health judges, and Nigeria's latest live poll (Ghana's is ten minutes earlier).
HOUR = datetime(2026, 11, 25, 10, tzinfo=UTC)
POLL = datetime(2026, 11, 25, 12, tzinfo=UTC)

#: (site country, book, hour, open, keyed, set aside, suspect, new payload fields)
KEY_HEALTH = [
    ("ng", "betpawa", HOUR - timedelta(hours=1), 1000, 980, 10, 0, []),
    ("ng", "betpawa", HOUR, 1000, 900, 20, 18, []),
    ("ng", "sportybet", HOUR, 400, 380, 0, 0, []),
    ("gh", "betpawa", HOUR - timedelta(hours=2), 500, 450, 25, 0, []),
    ("gh", "betpawa", HOUR, 600, 510, 30, 51, []),
    ("gh", "msport", HOUR, 300, 240, 60, 6, ["data.odds[].cashout"]),
]
#: Per country, the key-health table's rows: keyed %, its 7 days %, set aside %, its 7 days %, suspect %,
#: its 7 days %, new fields. Nigeria's BetPawa 900/1000 keyed against 980/1000 the hour before, 20/1000 set
#: aside against 10/1000, 18/900 suspect against 0; SportyBet 380/400 with no hour before (no baseline).
#: Ghana's BetPawa 510/600 against 450/500, 30/600 against 25/500, 51/510 against 0; MSport 240/300, 60/300,
#: 6/240, no baseline.
HEALTH_ROWS = {
    "ng": [
        ["betpawa", "2026-11-25 10:00", "10", "1000", "90", "98", "2", "1", "2", "0", ""],
        ["sportybet", "2026-11-25 10:00", "10", "400", "95", "", "0", "", "0", "", ""],
    ],
    "gh": [
        ["betpawa", "2026-11-25 10:00", "10", "600", "85", "90", "5", "5", "10", "0", ""],
        ["msport", "2026-11-25 10:00", "10", "300", "80", "", "20", "", "2.5", "", "data.odds[].cashout"],
    ],
}

#: (site country, sr id, side, country, tournament, home, away, live on, missing on, since, last seen)
GAPS = [
    ("ng", 1001, "betpawa_missing", "England", "Premier League", "Arsenal", "Chelsea", ["sportybet"],
     ["betpawa"], POLL - timedelta(minutes=20), POLL),
    ("gh", 2002, "betpawa_missing", "Ghana", "Ghana Premier League", "Hearts", "Kotoko", ["msport"],
     ["betpawa"], POLL - timedelta(minutes=30), POLL - timedelta(minutes=10)),
    ("gh", 1001, "competitor_missing", "England", "Premier League", "Arsenal", "Chelsea", ["betpawa"],
     ["sportybet", "msport"], POLL - timedelta(minutes=15), POLL - timedelta(minutes=10)),
]  # fmt: skip
#: (site country, polled at, book, live matches, live lines, suspended lines)
POLLS = [
    ("ng", POLL, "betpawa", 4, 200, 20),
    ("ng", POLL, "sportybet", 5, 250, 50),
    ("gh", POLL - timedelta(minutes=10), "betpawa", 2, 100, 5),
    ("gh", POLL - timedelta(minutes=10), "sportybet", 3, 120, 30),
    ("gh", POLL - timedelta(minutes=40), "betpawa", 2, 100, 15),
]
#: Per country and panel table, its rows. Gaps: since, sport, country, tournament, match, live on, missing
#: on, minutes open (last seen less since). Suspension: book, live matches, lines, suspended % at the latest
#: poll, over the hour (Ghana's BetPawa: 5 + 15 of 100 + 100 lines), polls in the hour.
LIVE_ROWS = {
    "ng": {
        "live_missing_on_betpawa": [
            ["2026-11-25 11:40", "football", "England", "Premier League", "Arsenal v Chelsea", "sportybet",
             "betpawa", "20"],
        ],
        "live_missing_on_competitor": [],
        "live_suspension": [
            ["betpawa", "4", "200", "10", "10", "1"], ["sportybet", "5", "250", "20", "20", "1"],
        ],
    },
    "gh": {
        "live_missing_on_betpawa": [
            ["2026-11-25 11:30", "football", "Ghana", "Ghana Premier League", "Hearts v Kotoko", "msport",
             "betpawa", "20"],
        ],
        "live_missing_on_competitor": [
            ["2026-11-25 11:45", "football", "England", "Premier League", "Arsenal v Chelsea", "betpawa",
             "sportybet, msport", "5"],
        ],
        "live_suspension": [
            ["betpawa", "2", "100", "5", "10", "2"], ["sportybet", "3", "120", "25", "25", "1"],
        ],
    },
}  # fmt: skip
POLLED = {"ng": "2026-11-25 12:00:00", "gh": "2026-11-25 11:50:00"}
LEGEND = {"ng": ["betpawa", "sportybet"], "gh": ["betpawa", "msport"]}


def _seed(conn: psycopg.Connection) -> None:
    seed_two_countries(conn)
    for country, book, hour, open_outcomes, keyed, set_aside, suspect, fields in KEY_HEALTH:
        conn.execute(
            "INSERT INTO analytics.key_health (site_country, book, hour, captures, open_outcomes, "
            "keyed_outcomes, set_aside_outcomes, suspect_outcomes, keyed_share, set_aside_share, "
            "suspect_share, new_fields) "
            "VALUES (%s, %s, %s, 10, %s, %s, %s, %s, %s, %s, %s, %s)",
            (country, book, hour, open_outcomes, keyed, set_aside, suspect, keyed / open_outcomes,
             set_aside / open_outcomes, suspect / keyed, fields),
        )  # fmt: skip
    for country, sr_id, side, where, tournament, home, away, live_on, missing_on, since, seen in GAPS:
        conn.execute(
            "INSERT INTO analytics.live_coverage (site_country, sr_id, side, sport, country, tournament, "
            "home, away, live_on, missing_on, since, last_seen_at) "
            "VALUES (%s, %s, %s, 'football', %s, %s, %s, %s, %s, %s, %s, %s)",
            (country, sr_id, side, where, tournament, home, away, live_on, missing_on, since, seen),
        )
    for country, polled_at, book, events, markets, suspended in POLLS:
        conn.execute(
            "INSERT INTO analytics.live_suspension (site_country, polled_at, book, status, live_events, "
            "markets, suspended, suspended_share) VALUES (%s, %s, %s, 'ok', %s, %s, %s, %s)",
            (country, polled_at, book, events, markets, suspended, suspended / markets),
        )


def _part(page: str, country: str) -> str:
    return page.split(f'<div class="country" data-country="{country}"')[1].split('<div class="country"')[0]


def _health_and_live(part: str) -> str:
    """A part's live panel and key-health table as the page writes them (no chart: its id is numbered)."""
    live = re.search(r'<div class="live".*?\n</div>', part, re.S)
    table = re.search(r'<section class="desk" data-table="key_health".*?</section>', part, re.S)
    assert live and table
    return live.group(0) + table.group(0)


def _rows(page: object, country: str, table: str) -> list[list[str]]:
    return page.evaluate(  # type: ignore[attr-defined,no-any-return]
        f"""() => [...document.querySelectorAll(
                'div.country[data-country="{country}"] section[data-table="{table}"] tbody tr')]
            .map(r => [...r.cells].map(c => c.textContent))"""
    )


def _shown(page: object, selector: str) -> bool:
    return page.evaluate(  # type: ignore[attr-defined,no-any-return]
        f"""() => document.querySelector('{selector}').offsetParent !== null"""
    )


def test_a_country_with_live_gaps_and_key_health_but_no_match_on_the_dates_keeps_its_part(
    warehouse_url: str, tmp_path: Path
) -> None:
    with psycopg.connect(libpq_url(warehouse_url), autocommit=True) as conn:
        _seed(conn)
        both = build_report(conn, DAY, DAY, tmp_path / "both.html").path.read_text()
        for table in ("matches", "coverage_groups"):  # Ghana's matches of the day gone, its desk kept
            conn.execute(f"DELETE FROM analytics.{table} WHERE site_country = 'gh'")
        live_only = build_report(conn, DAY, DAY, tmp_path / "live.html").path.read_text()
        # Its open gaps closed too: its books' key health alone still gives it a part.
        conn.execute("UPDATE analytics.live_coverage SET closed_at = last_seen_at WHERE site_country = 'gh'")
        health_only = build_report(conn, DAY, DAY, tmp_path / "health.html").path.read_text()
        conn.execute("DELETE FROM analytics.key_health WHERE site_country = 'gh'")
        neither = build_report(conn, DAY, DAY, tmp_path / "neither.html").path.read_text()
    assert _health_and_live(_part(live_only, "gh")) == _health_and_live(_part(both, "gh"))
    health = re.search(r'<section class="desk" data-table="key_health".*?</section>', _part(both, "gh"), re.S)
    assert health and health.group(0) in _part(health_only, "gh")
    assert 'data-country="gh"' not in neither


def test_each_country_shows_its_own_live_panel_and_key_health(
    warehouse_url: str, tmp_path: Path, browser: object
) -> None:
    with psycopg.connect(libpq_url(warehouse_url), autocommit=True) as conn:
        _seed(conn)
        built = build_report(conn, DAY, DAY, tmp_path / "health.html")
        both = (tmp_path / "health.html").read_text()
        # Ghana's rows taken away: Nigeria's panel and key health read the same, on a page of Nigeria alone.
        for table in ("key_health", "live_coverage", "live_suspension", "matches", "coverage_groups"):
            conn.execute(f"DELETE FROM analytics.{table} WHERE site_country = 'gh'")
        alone = build_report(conn, DAY, DAY, tmp_path / "alone.html").path.read_text()
    assert 'data-country="gh"' not in alone
    assert _health_and_live(_part(alone, "ng")) == _health_and_live(_part(both, "ng"))
    assert built.charts == 2 * 11  # ten charts and key health per country
    # Nothing of the panel or key health outside the countries' parts.
    outside = both.split('<div class="country"')[0] + both.rsplit("</div>\n", 1)[1]
    assert 'data-panel="live"' not in outside and 'data-chart="key_health"' not in outside
    for country in ("ng", "gh"):
        part = _part(both, country)
        assert part.count('data-panel="live"') == part.count('data-chart="key_health"') == 1
        assert f"Live lists last polled {POLLED[country]} UTC." in part
    assert "Matches in play on SportyBet, Bet9ja or MSport" in _part(both, "ng")
    assert "Matches in play on SportyBet, MSport or Betika" in _part(both, "gh")

    context = browser.new_context(offline=True, accept_downloads=True)  # type: ignore[attr-defined]
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto((tmp_path / "health.html").as_uri())
    page.wait_for_function(
        f"document.querySelectorAll('.vis[data-drawn=\"true\"]').length === {built.drawn}", timeout=60_000
    )
    for country in ("ng", "gh"):
        assert _rows(page, country, "key_health") == HEALTH_ROWS[country]
        for table, rows in LIVE_ROWS[country].items():
            assert _rows(page, country, table) == rows, (country, table)
        chart = f'div.country[data-country="{country}"] section[data-chart="key_health"]'
        legend = page.evaluate(
            f"() => [...document.querySelectorAll('{chart} .role-legend-label text')].map(t => t.textContent)"
        )
        assert sorted(legend) == LEGEND[country]

    live = 'div.country[data-country="{}"] div.live'
    health = 'div.country[data-country="{}"] section[data-chart="key_health"]'
    assert _shown(page, live.format("ng")) and _shown(page, health.format("ng"))
    assert not _shown(page, live.format("gh")) and not _shown(page, health.format("gh"))
    page.click('nav.countries button[data-country="gh"]')
    assert _shown(page, live.format("gh")) and _shown(page, health.format("gh"))
    assert not _shown(page, live.format("ng")) and not _shown(page, health.format("ng"))
    with page.expect_download() as download:
        page.click('div.country[data-country="gh"] section[data-table="live_missing_on_betpawa"] button')
    assert download.value.suggested_filename == "live_missing_on_betpawa_gh.csv"
    assert (
        Path(download.value.path()).read_text().splitlines()[1].startswith("2026-11-25 11:30,football,Ghana")
    )
    page.screenshot(path=str(tmp_path / "health.png"), full_page=True)
    context.close()
    assert problems == []
