"""Build the traders' report from the warehouse: the one entry point the CLI and the Dagster asset share."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import psycopg

from palimpsest_pipeline.markets.vocabulary import MAIN_MARKETS
from palimpsest_pipeline.report.page import CountryReport, render_page
from palimpsest_pipeline.warehouse.embedded.private_files import write_own_file
from palimpsest_pipeline.warehouse.live_store import read_live_panel
from palimpsest_pipeline.warehouse.report_reader import read_book_health, read_report_data
from palimpsest_pipeline.warehouse.site_books import country_name, page_countries

REPORT_FILE = "traders_report.html"


def default_report_path(home: Path) -> Path:
    """Where the page goes unless told otherwise: ``<PALIMPSEST_HOME>/reports/traders_report.html`` (the CLI,
    the demo and the asset must agree, so the demo can print what the asset wrote)."""
    return home / "reports" / REPORT_FILE


#: Weekly digests linked from the page, per site country (the latest).
LINKED_DIGESTS = 8


def digest_links(reports: Path) -> list[tuple[str, str]]:
    """The weekly digests written beside the page (``digests/<cc>/<week>/digest.html``), as (label, link
    relative to the page): per site country its latest :data:`LINKED_DIGESTS` weeks, the newest first."""
    links = []
    for country in sorted(p for p in (reports / "digests").glob("*") if p.is_dir()):
        weeks = sorted((p for p in country.glob("*/digest.html")), key=lambda p: p.parent.name, reverse=True)
        for page in weeks[:LINKED_DIGESTS]:
            label = f"{country_name(country.name)} {page.parent.name}"
            links.append((label, page.relative_to(reports).as_posix()))
    return links


@dataclass(frozen=True)
class BuiltReport:
    """Where the page went and what it cost."""

    path: Path
    bytes: int
    charts: int
    drawn: int
    seconds: float


def build_report(
    conn: psycopg.Connection, first: date, last: date, path: Path, *, price_gap: float = 0.02
) -> BuiltReport:
    """Read the warehouse for kick-off dates ``first`` .. ``last`` and write the page to ``path``, a part per
    site country the analytics tables hold (its desk, charts, live panel and books' key health, each read for
    it alone); the desk lists BetPawa's prices more than ``price_gap`` below the best competitor's."""
    started = time.perf_counter()
    countries = [
        CountryReport(
            data=read_report_data(conn, country, first, last, sorted(MAIN_MARKETS), price_gap=price_gap),
            health=read_book_health(conn, country),
            live=read_live_panel(conn, country),
        )
        for country in page_countries(conn, first, last)
    ]
    page = render_page(countries, digest_links(path.parent))
    path.parent.mkdir(parents=True, exist_ok=True)
    # a fresh private file renamed over the page: never half a page, never through a planted link
    write_own_file(path, page.html, 0o644)
    return BuiltReport(
        path=path,
        bytes=path.stat().st_size,
        charts=page.charts,
        drawn=page.drawn,
        seconds=round(time.perf_counter() - started, 2),
    )
