"""A site country's live panel on the report: gaps open at its latest live poll, both ways, and each book's
suspended share.
Drawn as desk tables under a caption saying when the country's live lists were last polled.
"""

from __future__ import annotations

import html

from palimpsest_pipeline.report.desk import Column, DeskTable, render_desk_table
from palimpsest_pipeline.warehouse.live_store import LivePanelData

_GAP_COLUMNS = (
    Column("since", "Since (UTC)"),
    Column("sport", "Sport"),
    Column("country", "Country"),
    Column("tournament", "Tournament"),
    Column("match", "Match"),
    Column("live_on", "Live on"),
    Column("missing_on", "Missing on"),
    Column("minutes_open", "Minutes open", numeric=True),
)


def live_tables(data: LivePanelData, site_country: str, rivals: str) -> list[DeskTable]:
    """The panel's tables of ``site_country``'s sites, whose competitors ``rivals`` names ("A, B and C")."""
    either = rivals.replace(" and ", " or ")
    return [
        DeskTable(
            "live_missing_on_betpawa",
            "Live elsewhere, not on BetPawa",
            f"Matches in play on {either} and missing from BetPawa's live list at the latest poll, "
            "the oldest gap first (analytics.live_coverage).",
            _GAP_COLUMNS,
            data.betpawa_missing,
            "No gap: every match live on a competitor is live on BetPawa too.",
            country=site_country,
        ),
        DeskTable(
            "live_missing_on_competitor",
            "Live on BetPawa, not on a competitor",
            f"The reverse: matches in play on BetPawa that {either} do not show live.",
            _GAP_COLUMNS,
            data.competitor_missing,
            "Every match live on BetPawa is live on every competitor.",
            country=site_country,
        ),
        DeskTable(
            "live_suspension",
            "Live markets suspended",
            "Per book: matches on its live list and live market lines at the latest poll, the share of lines "
            "suspended then and over the hour before (analytics.live_suspension).",
            (
                Column("book", "Book"),
                Column("live_events", "Live matches", numeric=True),
                Column("markets", "Live lines", numeric=True),
                Column("suspended_pct", "Suspended %", numeric=True),
                Column("suspended_pct_hour", "Suspended % (hour)", numeric=True),
                Column("polls_hour", "Polls (hour)", numeric=True),
            ),
            data.suspension,
            "No usable live poll in the last hour.",
            country=site_country,
        ),
    ]


def render_live_panel(data: LivePanelData, site_country: str, rivals: str) -> str:
    """The panel of ``site_country``'s sites as HTML (see ``live_tables``)."""
    when = (
        f"{data.latest_poll:%Y-%m-%d %H:%M:%S} UTC" if data.latest_poll else "never (the watcher has not run)"
    )
    tables = "\n".join(render_desk_table(table) for table in live_tables(data, site_country, rivals))
    caption = f'<p class="caption">Live lists last polled {html.escape(when)}.</p>'
    cc = html.escape(site_country)
    return f'<div class="live" data-panel="live" data-country="{cc}">\n{caption}\n{tables}\n</div>'
