"""The desk: tables a trader acts on now (what to list, prices out of line), sortable, filterable, exportable.

Plain HTML tables and a few lines of script in the page (no library: sorting, a text and a sport filter, and a
CSV of the rows shown are all a trader needs, and the page must open offline).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime

import polars as pl

from palimpsest_pipeline.warehouse.report_reader import ReportData


@dataclass(frozen=True)
class Column:
    name: str  # the frame's column
    label: str
    numeric: bool = False


@dataclass(frozen=True)
class DeskTable:
    key: str
    title: str
    caption: str
    columns: tuple[Column, ...]
    rows: pl.DataFrame | None  # None: the table is not computed yet
    empty: str


def desk_tables(data: ReportData) -> list[DeskTable]:
    return [
        DeskTable(
            "to_list",
            "To list now",
            "Matches SportyBet or Bet9ja list and BetPawa does not, soonest kick-off first: how long to "
            "kick-off and how long the competitors have had them (analytics.to_list_now).",
            (
                Column("kickoff", "Kick-off (UTC)"),
                Column("sport", "Sport"),
                Column("country", "Country"),
                Column("tournament", "Tournament"),
                Column("match", "Match"),
                Column("listed_by", "Listed by"),
                Column("hours_to_kickoff", "Hours to kick-off", numeric=True),
                Column("hours_listed", "Hours listed by them", numeric=True),
            ),
            data.to_list if data.to_list.width else None,
            "Nothing to list: every match a competitor lists, BetPawa lists too.",
        ),
        DeskTable(
            "out_of_line",
            "Prices out of line now",
            "BetPawa's fresh prices on main markets below the best competitor price, the widest gap first "
            "(analytics.odds_comparison).",
            (
                Column("kickoff", "Kick-off (UTC)"),
                Column("sport", "Sport"),
                Column("tournament", "Tournament"),
                Column("match", "Match"),
                Column("market", "Market"),
                Column("outcome", "Outcome"),
                Column("betpawa", "BetPawa", numeric=True),
                Column("best", "Best", numeric=True),
                Column("best_book", "Best on"),
                Column("gap_pct", "Gap %", numeric=True),
                Column("capture_age_min", "Capture age (min)", numeric=True),
            ),
            data.out_of_line,
            "No BetPawa price on a main market is out of line with the competitors.",
        ),
    ]


def render_desk_table(table: DeskTable) -> str:
    head = f'<h2>{html.escape(table.title)}</h2>\n<p class="caption">{html.escape(table.caption)}</p>'
    if table.rows is None or table.rows.height == 0:
        why = "Not computed yet." if table.rows is None else table.empty
        empty = f'<p class="empty">{why}</p>'
        return f'<section class="desk" data-table="{table.key}">\n{head}\n{empty}\n</section>'
    sports = sorted(set(table.rows["sport"].to_list())) if "sport" in table.rows.columns else []
    options = "".join(f"<option>{html.escape(str(s))}</option>" for s in sports)
    header = "".join(
        f'<th data-col="{i}" data-numeric="{str(c.numeric).lower()}">{html.escape(c.label)}</th>'
        for i, c in enumerate(table.columns)
    )
    body = "\n".join(
        "<tr>" + "".join(f"<td>{html.escape(_cell(row[c.name]))}</td>" for c in table.columns) + "</tr>"
        for row in table.rows.iter_rows(named=True)
    )
    return f"""<section class="desk" data-table="{table.key}">
{head}
<div class="controls"><input type="search" placeholder="Filter rows" aria-label="Filter rows">
<select aria-label="Sport"><option value="">All sports</option>{options}</select>
<button type="button">Download CSV</button> <span class="count">{table.rows.height} rows</span></div>
<table><thead><tr>{header}</tr></thead>
<tbody>
{body}
</tbody></table>
</section>"""


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


#: Sorting by a column (numbers as numbers), the text and sport filters, and the CSV of the rows shown.
DESK_SCRIPT = """
for (const desk of document.querySelectorAll("section.desk")) {
  const table = desk.querySelector("table");
  if (!table) continue;
  const body = table.tBodies[0];
  const rows = [...body.rows];
  const search = desk.querySelector("input"), sport = desk.querySelector("select");
  const sportCol = [...table.tHead.rows[0].cells].findIndex(th => th.textContent === "Sport");
  const shown = () => rows.filter(r => r.style.display !== "none");
  const apply = () => {
    const q = search.value.toLowerCase();
    for (const r of rows) {
      const ok = (!q || r.textContent.toLowerCase().includes(q))
        && (!sport.value || r.cells[sportCol].textContent === sport.value);
      r.style.display = ok ? "" : "none";
    }
    desk.querySelector(".count").textContent = shown().length + " rows";
  };
  search.addEventListener("input", apply);
  sport.addEventListener("change", apply);
  for (const th of table.tHead.rows[0].cells) {
    th.addEventListener("click", () => {
      const col = +th.dataset.col, numeric = th.dataset.numeric === "true";
      const dir = th.dataset.sorted === "asc" ? -1 : 1;
      for (const other of table.tHead.rows[0].cells) delete other.dataset.sorted;
      th.dataset.sorted = dir === 1 ? "asc" : "desc";
      const key = r => numeric ? parseFloat(r.cells[col].textContent) : r.cells[col].textContent;
      rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0) * dir);
      for (const r of rows) body.appendChild(r);
    });
  }
  desk.querySelector("button").addEventListener("click", () => {
    const quote = t => /[",\\n]/.test(t) ? '"' + t.replaceAll('"', '""') + '"' : t;
    const line = cells => [...cells].map(c => quote(c.textContent)).join(",");
    const csv = [line(table.tHead.rows[0].cells), ...shown().map(r => line(r.cells))].join("\\n") + "\\n";
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([csv], {type: "text/csv"}));
    link.download = desk.dataset.table + ".csv";
    link.click();
  });
}
"""
