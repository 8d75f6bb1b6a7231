"""The traders' report as ONE self-contained HTML page: styles, Vega/Vega-Lite/vega-embed and data inline.

Traders open it offline, so nothing may be fetched: the script bundle (from ``vl-convert-python``) is
inlined once, and a switch shows one site country at a time. Chart specs sit in JSON script blocks with
``<`` escaped, so no name can close the block.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from palimpsest_pipeline.report.catalogue_charts import (
    changes_chart,
    coverage_charts,
    history_chart,
    lead_time_chart,
)
from palimpsest_pipeline.report.chart import Chart
from palimpsest_pipeline.report.desk import (
    DESK_SCRIPT,
    desk_tables,
    key_health_families_table,
    key_health_table,
    render_desk_table,
    render_live_panel,
)
from palimpsest_pipeline.report.odds_charts import (
    best_share_chart,
    gap_chart,
    key_health_chart,
    leadership_chart,
    margins_chart,
)
from palimpsest_pipeline.warehouse.live_store import LivePanelData
from palimpsest_pipeline.warehouse.report_reader import BookHealth, ReportData
from palimpsest_pipeline.warehouse.site_books import competitor_names, country_name

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 900px;
       color: #212529; padding: 0 1rem; }
header { border-bottom: 2px solid #2f9e44; margin-bottom: 1.5rem; }
header h1 { margin: 0 0 .3rem 0; font-size: 1.6rem; }
header p { margin: .2rem 0 .8rem 0; color: #495057; }
section.chart, section.desk { margin: 0 0 2.2rem 0; }
section.chart h2, section.desk h2 { font-size: 1.15rem; margin: 0 0 .2rem 0; }
section.chart p.caption, section.desk p.caption { margin: 0 0 .6rem 0; color: #495057; font-size: .92rem; }
p.empty { background: #f1f3f5; padding: .8rem 1rem; border-radius: 4px; color: #495057; }
nav.countries { margin: 0 0 1.5rem 0; display: flex; gap: .4rem; flex-wrap: wrap; }
nav.countries button { border: 1px solid #2f9e44; background: #fff; padding: .3rem .8rem; border-radius: 4px;
                       cursor: pointer; font-size: .95rem; }
nav.countries button[aria-pressed="true"] { background: #2f9e44; color: #fff; }
div.country > h2.country { font-size: 1.3rem; margin: 0 0 1rem 0; }
section.desk .controls { margin: 0 0 .5rem 0; display: flex; gap: .5rem; align-items: center; }
section.desk table { border-collapse: collapse; width: 100%; font-size: .85rem; display: block;
                     max-height: 26rem; overflow: auto; }
section.desk th { cursor: pointer; text-align: left; background: #e9ecef; position: sticky; top: 0; }
section.desk th[data-sorted="asc"]::after { content: " \\25B2"; }
section.desk th[data-sorted="desc"]::after { content: " \\25BC"; }
section.desk th, section.desk td { padding: .25rem .5rem; border-bottom: 1px solid #dee2e6; }
"""


@dataclass(frozen=True)
class CountryReport:
    """What one site country's part of the page shows, every piece read for that country alone."""

    data: ReportData
    health: BookHealth
    live: LivePanelData


@dataclass(frozen=True)
class Page:
    """The rendered page and what it holds."""

    html: str
    charts: int
    drawn: int


def render_page(countries: Sequence[CountryReport], digests: Sequence[tuple[str, str]] = ()) -> Page:
    """The page for ``countries`` (one site country each, the first shown first): a header (data time,
    kick-off range, links to the weekly ``digests``: label and relative link), the country switch, then per
    country its desk, every chart or why it is empty, its live panel and its books' key health, chart and
    tables."""
    if not countries:
        raise ValueError("the report needs at least one site country")
    first = countries[0].data
    numbered: list[tuple[str, Chart]] = []
    parts = []
    for index, country in enumerate(countries):
        charts = [(f"vis-{len(numbered) + i}", chart) for i, chart in enumerate(_charts(country))]
        numbered += charts
        parts.append(_country_part(country, charts, shown=index == 0))
    specs = {vis: chart.spec for vis, chart in numbered if chart.spec is not None}
    latest = _moment(first.latest_run_at) if first.latest_run_at else "no catalogue run yet"
    switch = "".join(
        f'<button type="button" data-country="{html.escape(data.site_country)}" '
        f'aria-pressed="{str(index == 0).lower()}">{html.escape(country_name(data.site_country))}</button>'
        for index, data in enumerate(country.data for country in countries)
    )
    weekly = (
        '<p class="digests">Weekly digests: '
        + " &middot; ".join(
            f'<a href="{html.escape(link)}">{html.escape(label)}</a>' for label, link in digests
        )
        + "</p>"
        if digests
        else ""
    )
    title = "BetPawa against its competitors, " + ", ".join(
        country_name(c.data.site_country) for c in countries
    )
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Palimpsest: {html.escape(title)}</title>
<style>{STYLE}</style>
<script>{javascript_bundle()}</script>
</head>
<body>
<header>
<h1>BetPawa against its competitors</h1>
<p>Kick-off dates {first.first:%Y-%m-%d} to {first.last:%Y-%m-%d} (UTC)
&middot; data read {_moment(first.read_at)} &middot; latest catalogue run {html.escape(latest)}</p>
{weekly}
</header>
<nav class="countries" aria-label="Site country">{switch}</nav>
{"".join(parts)}
<script type="application/json" id="specs">{json_for_script(specs)}</script>
<script>
const specs = JSON.parse(document.getElementById("specs").textContent);
for (const [id, spec] of Object.entries(specs)) {{
  vegaEmbed("#" + id, spec, {{renderer: "svg", actions: false}})
    .then(() => document.getElementById(id).dataset.drawn = "true")
    .catch(error => console.error("chart " + id + " failed: " + error));
}}
</script>
<script>{COUNTRY_SCRIPT}{DESK_SCRIPT}</script>
</body>
</html>
"""
    return Page(html=page, charts=len(numbered), drawn=len(specs))


#: The country switch: one country's part shown at a time (the others hidden, still in the page).
COUNTRY_SCRIPT = """
const switches = [...document.querySelectorAll("nav.countries button")];
for (const button of switches) {
  button.addEventListener("click", () => {
    for (const other of switches) other.setAttribute("aria-pressed", String(other === button));
    for (const part of document.querySelectorAll("div.country")) {
      part.hidden = part.dataset.country !== button.dataset.country;
    }
  });
}
"""


def _charts(country: CountryReport) -> list[Chart]:
    """Every chart of one site country's part of the report, in page order."""
    data, books = country.data, country.data.books
    return [
        *coverage_charts(data),
        history_chart(data.coverage_history),
        best_share_chart(data.price_position),
        gap_chart(data.price_position),
        margins_chart(data.margins, books),
        changes_chart(data),
        lead_time_chart(data.lead_time, books),
        leadership_chart(data.leadership, books),
        key_health_chart(country.health.key_health_series),
    ]


def _country_part(country: CountryReport, charts: list[tuple[str, Chart]], *, shown: bool) -> str:
    """One site country's part of the page: its heading, desk and charts, then its live panel, its books' key
    health chart (the last of ``charts``), key health table and competitor-priced shares per family."""
    data = country.data
    cc = html.escape(data.site_country)
    rivals = competitor_names(list(data.books))
    heading = f"{country_name(data.site_country)}: BetPawa against {rivals}"
    desk = "\n".join(render_desk_table(table, data.site_country) for table in desk_tables(data))
    *figures, (health_id, health_chart) = charts
    sections = "\n".join(_section(vis, chart) for vis, chart in figures)
    live = render_live_panel(country.live, data.site_country, rivals)
    health = "\n".join(
        render_desk_table(table(country.health), data.site_country)
        for table in (key_health_table, key_health_families_table)
    )
    hidden = "" if shown else " hidden"
    return (
        f'<div class="country" data-country="{cc}"{hidden}>\n'
        f'<h2 class="country">{html.escape(heading)}</h2>\n'
        f"{desk}\n{sections}\n{live}\n{_section(health_id, health_chart)}\n{health}\n</div>\n"
    )


def _section(vis: str, chart: Chart) -> str:
    body = (
        f'<div class="vis" id="{vis}"></div>'
        if chart.spec is not None
        else f'<p class="empty">{html.escape(chart.empty)}</p>'
    )
    return (
        f'<section class="chart" data-chart="{chart.key}">\n<h2>{html.escape(chart.title)}</h2>\n'
        f'<p class="caption">{html.escape(chart.caption)}</p>\n{body}\n</section>'
    )


def _moment(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC"


def json_for_script(value: object) -> str:
    """JSON safe inside a <script> block (``</`` could end it, ``<!--`` open a comment): ``<``, ``>`` and
    ``&`` become JSON unicode escapes, the same JSON without any markup."""
    text = json.dumps(value, default=str)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@cache
def javascript_bundle() -> str:
    """Vega, Vega-Lite and vega-embed in one script, for the Vega-Lite version altair writes its specs in."""
    import vl_convert
    from altair.utils._importers import vl_version_for_vl_convert

    bundle: str = vl_convert.javascript_bundle(vl_version=vl_version_for_vl_convert())  # type: ignore[call-arg]
    return bundle.replace("</script", "<\\/script")
