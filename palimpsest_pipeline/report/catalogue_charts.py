"""The report's charts of the catalogue: coverage (what each competitor offers that BetPawa does not), its
history, what the latest catalogue run changed, and how early each book lists (pure: frames in, specs out).
A builder with nothing to draw yet returns ``spec=None`` and a reason, which the page shows.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import polars as pl

from palimpsest_pipeline.report.chart import SHARE_AXIS, WIDTH, Chart, book_scale, utc_time_axis
from palimpsest_pipeline.warehouse.report_reader import ReportData
from palimpsest_pipeline.warehouse.site_books import competitor_names

#: Colours of the coverage statuses, the same on every chart.
STATUS_COLOURS = {"matched": "#4c78a8", "competitor only": "#e45756", "BetPawa only": "#72b7b2"}
#: Coverage bars leave room for long tournament labels and the legend within the page's 900 px.
COVERAGE_WIDTH = 480
TOP_TOURNAMENTS = 25
TOP_COUNTRIES = 20
#: Stack order of the coverage bars: what BetPawa misses first, where the eye starts.
_STATUS_ORDER = "indexof(['competitor only', 'matched', 'BetPawa only'], datum.status)"


def coverage_charts(data: ReportData) -> list[Chart]:
    """The coverage by tournament, by country and by sport, in page order."""
    rivals = competitor_names(list(data.books)).replace(" and ", " or ")
    return [
        coverage_chart(
            "coverage_tournament",
            "Tournaments with the most events missing on BetPawa",
            f"The {TOP_TOURNAMENTS} tournaments with the most competitor-only events over the kick-off "
            f"range: red is what {rivals} offer and BetPawa does not.",
            data.coverage_by_tournament,
            # its tournament, then its country (or sport), cut to fit the axis
            label=pl.concat_str(
                pl.col("tournament").fill_null("(no tournament)"),
                pl.lit(" · "),
                pl.col("country").fill_null(pl.col("sport")),
            ).str.slice(0, 60),
            top=TOP_TOURNAMENTS,
        ),
        coverage_chart(
            "coverage_country",
            "Coverage by country",
            f"The {TOP_COUNTRIES} countries with the most competitor-only events: matched, "
            "competitor-only and BetPawa-only events.",
            data.coverage_by_country,
            label=pl.concat_str(pl.col("country").fill_null("(no country)"), pl.lit(" · "), pl.col("sport")),
            top=TOP_COUNTRIES,
        ),
        coverage_chart(
            "coverage_sport",
            "Coverage by sport",
            "Every sport: matched, competitor-only and BetPawa-only events over the kick-off range.",
            data.coverage_by_sport,
            label=pl.col("sport"),
            top=None,
        ),
    ]


def coverage_chart(
    key: str, title: str, caption: str, frame: pl.DataFrame, *, label: pl.Expr, top: int | None
) -> Chart:
    """Horizontal stacked bars per row of a coverage aggregate, most competitor-only events first."""
    if frame.is_empty():
        return Chart(key, title, caption, None, "No coverage computed yet: run the catalogue job.")
    ranked = frame.with_columns(label.alias("label")).sort(["competitor_only", "total"], descending=True)
    if top is not None:
        ranked = ranked.head(top)
    order = ranked["label"].to_list()
    long = ranked.select(
        "label",
        "matched",
        pl.col("competitor_only").alias("competitor only"),
        pl.col("betpawa_only").alias("BetPawa only"),
    ).unpivot(index="label", variable_name="status", value_name="events")
    chart = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=320)),
            x=alt.X("events:Q", stack="zero", title="events", axis=alt.Axis(format="d", tickMinStep=1)),
            color=alt.Color(
                "status:N",
                scale=alt.Scale(domain=list(STATUS_COLOURS), range=list(STATUS_COLOURS.values())),
                title=None,
            ),
            order=alt.Order("status_order:Q"),
            tooltip=["label:N", "status:N", "events:Q"],
        )
        .transform_calculate(status_order=_STATUS_ORDER)
        .properties(width=COVERAGE_WIDTH, height=max(18 * len(order), 60))
    )
    return Chart(key, title, caption, chart.to_dict())


def history_chart(history: pl.DataFrame) -> Chart:
    """Match rate and BetPawa coverage of each computation (summed over its kick-off dates), over time."""
    title = "Match rate and BetPawa coverage over time"
    caption = (
        "Each point is one coverage computation (a catalogue run), over all the kick-off dates it covered: "
        "match rate = matched / all events; BetPawa coverage = matched / (matched + competitor-only)."
    )
    if history.is_empty():
        return Chart("history", title, caption, None, "No coverage history yet.")
    long = history.select(
        "computed_at",
        (pl.col("matched") / pl.col("total")).alias("match rate"),
        (pl.col("matched") / (pl.col("matched") + pl.col("competitor_only"))).alias("BetPawa coverage"),
    ).unpivot(index="computed_at", variable_name="measure", value_name="share")
    chart = (
        alt.Chart(long)
        .mark_line(point=True)
        .encode(
            x=utc_time_axis("computed_at", "computed at (UTC)"),
            y=SHARE_AXIS,
            color=alt.Color("measure:N", title=None),
            tooltip=["computed_at:T", "measure:N", alt.Tooltip("share:Q", format=".1%")],
        )
        .properties(width=WIDTH, height=220)
    )
    return Chart("history", title, caption, chart.to_dict())


def changes_chart(data: ReportData) -> Chart:
    """Events each book added and withdrew in the latest catalogue run."""
    title = "What changed in the latest catalogue run"
    since = (
        "its first run"
        if data.previous_run_at is None
        else f"the run of {data.previous_run_at:%Y-%m-%d %H:%M} UTC"
    )
    caption = (
        "Per book, events first seen (added, right) and withdrawn (left) in the latest catalogue run, "
        f"compared with {since}."
    )
    if data.changes.is_empty():
        return Chart("changes", title, caption, None, "No catalogue run recorded yet.")
    long = data.changes.select("book", pl.col("added"), (-pl.col("withdrawn")).alias("withdrawn")).unpivot(
        index="book", variable_name="change", value_name="events"
    )
    chart = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y("book:N", title=None, sort=book_scale(data.books, data.changes).domain),
            x=alt.X("events:Q", title="events (withdrawn < 0 < added)"),
            color=alt.Color(
                "change:N", scale=alt.Scale(domain=["added", "withdrawn"], range=["#2f9e44", "#e03131"])
            ),
            tooltip=["book:N", "change:N", "events:Q"],
        )
        .properties(width=WIDTH, height=120)
    )
    return Chart("changes", title, caption, chart.to_dict())


def lead_time_chart(lead: pl.DataFrame, books: Sequence[str] = ()) -> Chart:
    """How long before kick-off each book lists its matches, per sport."""
    title = "How early each book lists"
    caption = (
        "Per sport and book, the median hours a match is listed before kick-off (the median over tournaments "
        "of each tournament's median), for listings first seen after the book's first scrape "
        "(analytics.listing_lead_time); BetPawa's median lag behind the first competitor is in the tooltip."
    )
    if lead.is_empty():
        return Chart(
            "lead_time", title, caption, None, "No listing has been timed yet (it takes two scrapes)."
        )
    chart = (
        alt.Chart(lead.with_columns(pl.col("betpawa_lag_hours").round(1), pl.col("lead_hours").round(1)))
        .mark_bar()
        .encode(
            y=alt.Y("book:N", title=None, sort=book_scale(books, lead).domain),
            x=alt.X("lead_hours:Q", title="median hours listed before kick-off"),
            color=alt.Color("book:N", scale=book_scale(books, lead)),
            row=alt.Row("sport:N", title=None),
            tooltip=["sport:N", "book:N", "lead_hours:Q", "events:Q", "betpawa_lag_hours:Q"],
        )
        .properties(width=WIDTH - 120, height=70)
    )
    return Chart("lead_time", title, caption, chart.to_dict())
