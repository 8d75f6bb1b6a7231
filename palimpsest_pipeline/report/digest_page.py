"""The weekly digest as one self-contained HTML page (the traders' report's styles, script bundle and tables):
a summary, then each section's charts and tables, or why it is not measured yet."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from palimpsest_pipeline.report.chart import Chart
from palimpsest_pipeline.report.desk import DESK_SCRIPT, render_desk_table
from palimpsest_pipeline.report.digest_sections import Section, SectionContent
from palimpsest_pipeline.report.page import STYLE, javascript_bundle, json_for_script
from palimpsest_pipeline.warehouse.digest_reader import DigestWeek
from palimpsest_pipeline.warehouse.site_books import country_name


@dataclass(frozen=True)
class BuiltSection:
    """A section as built: its content, or the relations it lacks (then it is not measured yet)."""

    section: Section
    content: SectionContent | None
    missing: tuple[str, ...] = ()


def digest_title(week: DigestWeek) -> str:
    return f"{country_name(week.site_country)}: weekly digest {week.week}"


def render_digest(week: DigestWeek, sections: Sequence[BuiltSection], built_at: datetime) -> tuple[str, int]:
    """The page, and how many charts it draws."""
    specs: dict[str, object] = {}
    parts = []
    for built in sections:
        parts.append(_section(built, specs, week.site_country))
    summary = "".join(
        f"<li>{html.escape(built.content.summary)}</li>"
        for built in sections
        if built.content is not None and built.content.summary
    )
    not_measured = [built.section.title for built in sections if built.content is None]
    if not_measured:
        summary += f"<li>not measured yet: {html.escape(', '.join(not_measured))}</li>"
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Palimpsest: {html.escape(digest_title(week))}</title>
<style>{STYLE}</style>
<script>{javascript_bundle()}</script>
</head>
<body>
<header>
<h1>{html.escape(digest_title(week))}</h1>
<p>Kick-offs and changes of {week.first:%a %d %b} to {week.last:%a %d %b %Y} (UTC) on the
{html.escape(country_name(week.site_country))} sites &middot; built {built_at:%Y-%m-%d %H:%M} UTC</p>
</header>
<section class="summary" data-summary="{html.escape(week.site_country)}"><ul>{summary}</ul></section>
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
<script>{DESK_SCRIPT}</script>
</body>
</html>
"""
    return page, len(specs)


def _section(built: BuiltSection, specs: dict[str, object], country: str) -> str:
    measured = str(built.content is not None).lower()
    opening = f'<div class="digest-section" data-section="{html.escape(built.section.key)}" '
    head = f'{opening}data-measured="{measured}">\n<h2>{html.escape(built.section.title)}</h2>'
    if built.content is None:
        lacking = html.escape(", ".join(built.missing))
        return f'{head}\n<p class="empty">Not measured yet: {lacking} is not in the warehouse.</p>\n</div>\n'
    charts = "\n".join(_chart(chart, specs) for chart in built.content.charts)
    tables = "\n".join(render_desk_table(table, country) for table in built.content.tables)
    return f"{head}\n{charts}\n{tables}\n</div>\n"


def _chart(chart: Chart, specs: dict[str, object]) -> str:
    if chart.spec is None:
        body = f'<p class="empty">{html.escape(chart.empty)}</p>'
    else:
        vis = f"vis-{len(specs)}"
        specs[vis] = chart.spec
        body = f'<div class="vis" id="{vis}"></div>'
    title, caption = html.escape(chart.title), html.escape(chart.caption)
    return (
        f'<section class="chart" data-chart="{html.escape(chart.key)}">\n<h3>{title}</h3>\n'
        f'<p class="caption">{caption}</p>\n{body}\n</section>'
    )
