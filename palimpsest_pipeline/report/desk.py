"""The desk: tables a trader acts on now (what to list, prices out of line, BetPawa's price anomalies, the
live panel's gaps and suspended shares) and each book's key health, overall and per family, sortable,
filterable, exportable.
Plain HTML tables and a few lines of script: sorting, filters and CSV are all a trader needs offline.
"""

from __future__ import annotations

import html
import re
from datetime import datetime

import polars as pl

from palimpsest_pipeline.alerts.keys_drift import FAMILY_MARGIN, MEASURES, MIN_FAMILY_OUTCOMES
from palimpsest_pipeline.report.table_spec import BOOK, MATCHES, Column, DeskTable, match_columns, number
from palimpsest_pipeline.warehouse.live_store import LivePanelData
from palimpsest_pipeline.warehouse.report_reader import DESK_ROWS, BookHealth, ReportData
from palimpsest_pipeline.warehouse.site_books import competitor_names


def desk_tables(data: ReportData) -> list[DeskTable]:
    """The site country's desk: what to list, BetPawa's prices out of line and its price anomalies, each with
    its own CSV."""
    rivals = competitor_names(list(data.books)).replace(" and ", " or ")
    return [
        DeskTable(
            "to_list",
            "To list now",
            f"Matches {rivals} list and BetPawa does not, soonest kick-off first: how long to "
            "kick-off and how long the competitors have had them (analytics.to_list_now); unknown when a "
            "competitor already listed it at the warehouse's first scrape of its date.",
            (
                *match_columns(country=True),
                Column("listed_by", "Listed by"),
                number("hours_to_kickoff", "Hours to kick-off"),
                number("hours_listed", "Hours listed by them", missing="unknown"),
            ),
            data.to_list if data.to_list.width else None,
            "Nothing to list: every match a competitor lists, BetPawa lists too.",
        ),
        DeskTable(
            "out_of_line",
            "Prices out of line now",
            "BetPawa's fresh prices on main markets below the best competitor price, the widest gap first "
            "(analytics.outcome_comparison).",
            (
                *match_columns(),
                Column("market", "Market"),
                Column("outcome", "Outcome"),
                number("betpawa", "BetPawa"),
                number("best", "Best"),
                Column("best_book", "Best on"),
                number("gap_pct", "Gap %"),
                number("capture_age_min", "Capture age (min)"),
            ),
            data.out_of_line,
            "No BetPawa price on a main market is out of line with the competitors.",
        ),
        DeskTable(
            "price_anomalies",
            "BetPawa price anomalies",
            "BetPawa's markets whose own prices cannot be true: their implied probabilities sum outside the "
            "band their family's layout allows (its winners times 0.98 to 1 plus the margin ceiling), the "
            "newest capture first. Each is shown but left out of best price, rank and gap "
            "(analytics.suspect_markets, reason overround); the detail names the family, the band and the "
            "prices.",
            (
                *match_columns(),
                Column("market", "Market"),
                Column("line", "Line"),
                number("implied_sum", "Implied sum"),
                Column("detail", "Detail", missing="off its margin band on the current prices"),
                Column("captured_at", "Captured (UTC)"),
            ),
            data.price_anomalies,
            "No BetPawa price anomaly found: every checked market's implied sum is within its family's band.",
        ),
    ]


_HOUR = Column("hour", "Hour (UTC)")


def key_health_table(health: BookHealth) -> DeskTable:
    """Per book, the latest hour the keys_drift alert judges against the book's seven days before it."""
    shares = [
        number(f"{base}{column}", f"{measure.capitalize()}{since} %")
        for measure, column, *_ in MEASURES
        for base, since in (("", ""), ("baseline_", ", 7 days"))
    ]
    rows = health.key_health.select(
        "book",
        "hour",
        "captures",
        "open_outcomes",
        *((pl.col(share.name) * 100).round(1) for share in shares),
        pl.col("new_fields").list.join(", "),
    ).sort("book")
    return DeskTable(
        "key_health",
        "Key health per book",
        "Per book, its latest UTC hour with at least 200 open outcomes against its seven days before: the "
        "share of open outcomes keyed and set aside, the share of keyed outcomes suspect on the book's own "
        "prices, and the payload fields first seen in the hour (analytics.key_health). keys_drift alerts on "
        "a keyed share down, or a suspect share up, by more than PALIMPSEST_ALERT_KEYS_DRIFT_POINTS.",
        (
            BOOK,
            _HOUR,
            number("captures", "Captures"),
            number("open_outcomes", "Open outcomes"),
            *shares,
            Column("new_fields", "New payload fields"),
        ),
        rows,
        "No hour with 200 open outcomes captured yet: key health shows after the odds capture.",
        filter_by="book",
    )


def key_health_families_table(health: BookHealth) -> DeskTable:
    """Per book and market family, the share of its keyed outcomes a competitor prices in the book's latest
    hour against its seven days before, the largest drop first: where a drop in what can be compared is."""
    rows = health.key_health_families.select(
        "book",
        "hour",
        "family",
        "keyed_outcomes",
        *(
            ((pl.col(share) * 100).round(1) + 0.0).alias(share)
            for share in ("competitor_share", "baseline_share", "change")
        ),
        "baseline_keyed_outcomes",
    )
    return DeskTable(
        "key_health_families",
        "Priced by a competitor per family",
        "Per book and market family, its latest UTC hour (the events whose newest capture fell in it) "
        "against its seven days before: the open keyed outcomes, the share of them another book of the "
        "country prices openly under the same key, and the change in points, the largest drop first "
        f"(analytics.key_health_families, at most {DESK_ROWS} rows). A drop in one family is that family "
        "keyed differently on this book or a competitor's; keys_drift alerts on a family down by more than "
        f"{FAMILY_MARGIN} times PALIMPSEST_ALERT_KEYS_DRIFT_POINTS, and by that much more than the book's "
        f"other families, with at least {MIN_FAMILY_OUTCOMES} keyed outcomes in the hour and in the week.",
        (
            BOOK,
            _HOUR,
            Column("family", "Family"),
            number("keyed_outcomes", "Keyed outcomes"),
            number("competitor_share", "Competitor-priced %"),
            number("baseline_share", "Competitor-priced %, 7 days"),
            number("change", "Change (points)"),
            number("baseline_keyed_outcomes", "Keyed outcomes, 7 days"),
        ),
        rows,
        "No family compared yet: the shares a competitor prices show after the odds comparison.",
        filter_by="book",
    )


_GAP_COLUMNS = (
    *match_columns(Column("since", "Since (UTC)"), country=True),
    Column("live_on", "Live on"),
    Column("missing_on", "Missing on"),
    number("minutes_open", "Minutes open"),
)


def live_tables(data: LivePanelData, rivals: str) -> list[DeskTable]:
    """The live panel's tables of a site country, whose competitors ``rivals`` names ("A, B and C")."""
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
        ),
        DeskTable(
            "live_missing_on_competitor",
            "Live on BetPawa, not on a competitor",
            f"The reverse: matches in play on BetPawa that {either} do not show live.",
            _GAP_COLUMNS,
            data.competitor_missing,
            "Every match live on BetPawa is live on every competitor.",
        ),
        DeskTable(
            "live_suspension",
            "Live markets suspended",
            "Per book: matches on its live list and live market lines at the latest poll, the share of lines "
            "suspended then and over the hour before (analytics.live_suspension).",
            (
                BOOK,
                number("live_events", "Live matches"),
                number("markets", "Live lines"),
                number("suspended_pct", "Suspended %"),
                number("suspended_pct_hour", "Suspended % (hour)"),
                number("polls_hour", "Polls (hour)"),
            ),
            data.suspension,
            "No usable live poll in the last hour.",
        ),
        DeskTable(
            "live_betpawa_late",
            "BetPawa late, a competitor on time",
            "The day's matches BetPawa put live five minutes or more after kick-off (or not yet) where a "
            "competitor was live in time, the latest first (analytics.betpawa_late_starts).",
            (
                *match_columns(country=True),
                number("minutes_to_live", "Minutes to live"),
                Column("reason", "Reason"),
                Column("on_time_on", "On time on"),
            ),
            data.betpawa_late,
            "No late start of BetPawa's where a competitor was on time today.",
        ),
        DeskTable(
            "live_retention",
            "Kept in play",
            "Per book, of the day's kick-offs: market types and selections offered at T-1 still open at +5 "
            "minutes in play, key markets dropped and prices moved 30 % or more "
            "(analytics.market_retention).",
            (
                BOOK,
                MATCHES,
                number("market_types_kept_pct", "Market types kept %"),
                number("selections_kept_pct", "Selections kept %"),
                number("key_markets_dropped", "Key markets dropped"),
                number("prices_moved", "Prices moved 30 %+"),
            ),
            data.retention,
            "No match with both its T-1 capture and its +5 live snapshot today.",
        ),
    ]


def render_live_panel(data: LivePanelData, site_country: str, rivals: str) -> str:
    """The live panel of ``site_country``'s sites as HTML: its tables under when its live lists were last
    polled."""
    when = (
        f"{data.latest_poll:%Y-%m-%d %H:%M:%S} UTC" if data.latest_poll else "never (the watcher has not run)"
    )
    tables = "\n".join(render_desk_table(table, site_country) for table in live_tables(data, rivals))
    caption = f'<p class="caption">Live lists last polled {html.escape(when)}.</p>'
    cc = html.escape(site_country)
    return f'<div class="live" data-panel="live" data-country="{cc}">\n{caption}\n{tables}\n</div>'


def render_desk_table(table: DeskTable, country: str) -> str:
    """The table as HTML, its CSV named ``<key>_<country>.csv`` after the site country its rows are of."""
    head = f'<h2>{html.escape(table.title)}</h2>\n<p class="caption">{html.escape(table.caption)}</p>'
    where = f' data-country="{html.escape(country)}"'
    if table.rows is None or table.rows.height == 0:
        why = "Not computed yet." if table.rows is None else table.empty
        empty = f'<p class="empty">{why}</p>'
        return f'<section class="desk" data-table="{table.key}"{where}>\n{head}\n{empty}\n</section>'
    names = [c.name for c in table.columns]
    drop_down = ""
    if table.filter_by in names:
        col = names.index(table.filter_by)
        choices = sorted({str(v) for v in table.rows[table.filter_by].to_list()})
        options = "".join(f"<option>{html.escape(choice)}</option>" for choice in choices)
        drop_down = (
            f'\n<select aria-label="{html.escape(table.columns[col].label)}" data-col="{col}">'
            f'<option value="">All {html.escape(table.filter_by)}s</option>{options}</select>'
        )
    header = "".join(
        f'<th data-col="{i}" data-numeric="{str(c.numeric).lower()}">{html.escape(c.label)}</th>'
        for i, c in enumerate(table.columns)
    )
    body = "\n".join(
        "<tr>" + "".join(_td(cell_text(row[c.name], c.missing), c.numeric) for c in table.columns) + "</tr>"
        for row in table.rows.iter_rows(named=True)
    )
    return f"""<section class="desk" data-table="{table.key}"{where}>
{head}
<div class="controls"><input type="search" placeholder="Filter rows" aria-label="Filter rows">{drop_down}
<button type="button">Download CSV</button> <span class="count">{table.rows.height} rows</span></div>
<table><thead><tr>{header}</tr></thead>
<tbody>
{body}
</tbody></table>
</section>"""


def _td(text: str, numeric: bool) -> str:
    """A table cell; where its CSV text must differ from what it shows (a would-be formula), that text rides
    along in ``data-csv`` for the export."""
    exported = csv_cell(text, numeric=numeric)
    carried = "" if exported == text else f' data-csv="{html.escape(exported)}"'
    return f"<td{carried}>{html.escape(text)}</td>"


#: First characters that make a spreadsheet read a CSV cell as a formula (OWASP's CSV injection guidance):
#: a book's team named ``=HYPERLINK(...)`` would send the sheet's cells away when the file is opened.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def csv_cell(text: str, *, numeric: bool) -> str:
    """``text`` as a CSV cell no spreadsheet runs: a leading ``'`` before a formula trigger, except for a
    plain number in a numeric column (a negative gap stays a number)."""
    if not text.startswith(FORMULA_TRIGGERS):
        return text
    if numeric and _PLAIN_NUMBER.fullmatch(text):
        return text
    return "'" + text


def cell_text(value: object, missing: str = "") -> str:
    """How a value reads in a table cell, on the page and in its CSV alike."""
    if value is None:
        return missing
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def table_csv(table: DeskTable) -> str:
    """The table's rows as the page's Download CSV button writes them (labels as header, every cell's
    :func:`csv_cell` text, quoted where it holds a comma, quote or line break)."""

    def quote(text: str) -> str:
        return '"' + text.replace('"', '""') + '"' if re.search(r'[",\n\r]', text) else text

    lines = [",".join(quote(column.label) for column in table.columns)]
    for row in table.rows.iter_rows(named=True) if table.rows is not None else ():
        cells = (
            csv_cell(cell_text(row[column.name], column.missing), numeric=column.numeric)
            for column in table.columns
        )
        lines.append(",".join(quote(cell) for cell in cells))
    return "\n".join(lines) + "\n"


#: Sorting by a column (numbers as numbers), the text and drop-down filters, and the CSV of the rows shown
#: (each cell's ``data-csv`` where it has one, so no cell is a formula).
DESK_SCRIPT = """
for (const desk of document.querySelectorAll("section.desk")) {
  const table = desk.querySelector("table");
  if (!table) continue;
  const body = table.tBodies[0];
  const rows = [...body.rows];
  const search = desk.querySelector("input"), choice = desk.querySelector("select");
  const choiceCol = choice ? +choice.dataset.col : -1;
  const shown = () => rows.filter(r => r.style.display !== "none");
  const apply = () => {
    const q = search.value.toLowerCase();
    for (const r of rows) {
      const ok = (!q || r.textContent.toLowerCase().includes(q))
        && (!choice || !choice.value || r.cells[choiceCol].textContent === choice.value);
      r.style.display = ok ? "" : "none";
    }
    desk.querySelector(".count").textContent = shown().length + " rows";
  };
  search.addEventListener("input", apply);
  if (choice) choice.addEventListener("change", apply);
  for (const th of table.tHead.rows[0].cells) {
    th.addEventListener("click", () => {
      const col = +th.dataset.col, numeric = th.dataset.numeric === "true";
      const dir = th.dataset.sorted === "asc" ? -1 : 1;
      for (const other of table.tHead.rows[0].cells) delete other.dataset.sorted;
      th.dataset.sorted = dir === 1 ? "asc" : "desc";
      // a numeric column's cell without a number ("unknown", empty) sorts as larger than any number
      const number = t => { const v = parseFloat(t); return Number.isNaN(v) ? Infinity : v; };
      const key = r => numeric ? number(r.cells[col].textContent) : r.cells[col].textContent;
      rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0) * dir);
      for (const r of rows) body.appendChild(r);
    });
  }
  desk.querySelector("button").addEventListener("click", () => {
    // a cell's CSV text is its data-csv where the page gives one (desk.py csv_cell: no formulas)
    const quote = t => /[",\\n\\r]/.test(t) ? '"' + t.replaceAll('"', '""') + '"' : t;
    const line = cells => [...cells].map(c => quote(c.dataset.csv ?? c.textContent)).join(",");
    const csv = [line(table.tHead.rows[0].cells), ...shown().map(r => line(r.cells))].join("\\n") + "\\n";
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([csv], {type: "text/csv"}));
    link.download = desk.dataset.table + (desk.dataset.country ? "_" + desk.dataset.country : "") + ".csv";
    link.click();
  });
}
"""
