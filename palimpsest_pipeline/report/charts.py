"""The traders' charts, as Vega-Lite specs built with altair from the report's frames (pure: no I/O).

Each builder returns a :class:`Chart` (title, a one-line caption saying how to read it, and the spec), or a
chart with ``spec=None`` and a reason when there is nothing to draw yet, so the page says so instead of
failing. Vega-Lite through altair rather than hand-made SVG: axes, legends, tooltips and layout come from a
maintained library, and the specs render offline from the bundled JavaScript (see ``page``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import altair as alt
import polars as pl

from palimpsest_pipeline.books.kits import KITS
from palimpsest_pipeline.markets.vocabulary import VOCABULARY
from palimpsest_pipeline.warehouse.report_reader import ReportData
from palimpsest_pipeline.warehouse.site_books import competitor_names

#: Colours of the coverage statuses and of the books (each kit's), the same on every chart.
STATUS_COLOURS = {"matched": "#4c78a8", "competitor only": "#e45756", "BetPawa only": "#72b7b2"}
BOOK_COLOURS = {book.value: kit.colour for book, kit in KITS.items()}
#: Colours for a book no kit names (rows of a book since removed), in the order such books appear.
_OTHER_BOOK_COLOURS = ("#0ca678", "#f783ac", "#74c0fc", "#a9e34b", "#fab005")
WIDTH = 640
#: Coverage bars leave room for long tournament labels and the legend within the page's 900 px.
COVERAGE_WIDTH = 480
TOP_TOURNAMENTS = 25
TOP_COUNTRIES = 20
#: Stack order of the coverage bars: what BetPawa misses first, where the eye starts.
_STATUS_ORDER = "indexof(['competitor only', 'matched', 'BetPawa only'], datum.status)"


@dataclass(frozen=True)
class Chart:
    """One chart of the page: ``spec`` is a Vega-Lite dict, or None with ``empty`` saying why."""

    key: str
    title: str
    caption: str
    spec: dict[str, Any] | None
    empty: str = ""


def build_charts(data: ReportData) -> list[Chart]:
    """Every chart of one site country's part of the report, in page order (key health is page-wide:
    ``key_health_chart``)."""
    rivals = competitor_names(list(data.books)).replace(" and ", " or ")
    books = data.books
    return [
        coverage_chart(
            "coverage_tournament",
            "Tournaments with the most events missing on BetPawa",
            f"The {TOP_TOURNAMENTS} tournaments with the most competitor-only events over the kick-off "
            f"range: red is what {rivals} offer and BetPawa does not.",
            data.coverage_by_tournament,
            label=_tournament_label(),
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
        history_chart(data.coverage_history),
        best_share_chart(data.price_position),
        gap_chart(data.price_position),
        margins_chart(data.margins, books),
        changes_chart(data),
        lead_time_chart(data.lead_time, books),
        leadership_chart(data.leadership, books),
    ]


def _tournament_label() -> pl.Expr:
    return pl.concat_str(
        pl.col("tournament").fill_null("(no tournament)"),
        pl.lit(" · "),
        pl.col("country").fill_null(pl.col("sport")),
    ).str.slice(0, 60)


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
        pl.col("matched").alias("matched"),
        pl.col("competitor_only").alias("competitor only"),
        pl.col("betpawa_only").alias("BetPawa only"),
    ).unpivot(index="label", variable_name="status", value_name="events")
    chart = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=320)),
            x=alt.X("events:Q", stack="zero", title="events", axis=alt.Axis(format="d", tickMinStep=1)),
            color=_status_colour(),
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
            x=alt.X(
                "computed_at:T",
                title="computed at (UTC)",
                scale=alt.Scale(type="utc"),
                axis=alt.Axis(format="%d %b %H:%M", labelAngle=-30),
            ),
            y=alt.Y("share:Q", title=None, axis=alt.Axis(format="%"), scale=alt.Scale(zero=False)),
            color=alt.Color("measure:N", title=None),
            tooltip=["computed_at:T", "measure:N", alt.Tooltip("share:Q", format=".1%")],
        )
        .properties(width=WIDTH, height=220)
    )
    return Chart("history", title, caption, chart.to_dict())


def best_share_chart(position: pl.DataFrame) -> Chart:
    """Share of compared outcomes on which BetPawa has the best (fresh) price, per main market."""
    title = "Where BetPawa has the best price"
    caption = (
        "Per main market: the share of outcomes priced by BetPawa and at least one competitor on which "
        "BetPawa's price is the best (ties count as best)."
    )
    if position.is_empty():
        return Chart("best_share", title, caption, None, "No odds compared yet: run the odds capture.")
    frame = position.with_columns(
        _market_label(), (pl.col("betpawa_best") / pl.col("compared")).alias("best share")
    )
    chart = (
        alt.Chart(frame)
        .mark_bar(color=BOOK_COLOURS["betpawa"])
        .encode(
            y=alt.Y("market_label:N", sort="-x", title=None, axis=alt.Axis(labelLimit=280)),
            x=alt.X("best share:Q", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
            tooltip=["market_label:N", alt.Tooltip("best share:Q", format=".1%"), "compared:Q"],
        )
        .properties(width=WIDTH, height=max(22 * frame.height, 60))
    )
    return Chart("best_share", title, caption, chart.to_dict())


def gap_chart(position: pl.DataFrame) -> Chart:
    """BetPawa's gap to the best price per main market: 5-95 % whisker, quartile box, median tick."""
    title = "BetPawa's gap to the best price"
    caption = (
        "Per main market, BetPawa's price / best price - 1 (0 = BetPawa is best): the line spans the 5th to "
        "95th percentile, the box the middle half, the tick is the median."
    )
    if position.is_empty():
        return Chart("gap", title, caption, None, "No odds compared yet: run the odds capture.")
    frame = position.with_columns(
        _market_label(),
        *(
            pl.col("gap_quantiles").list.get(i).alias(name)
            for i, name in enumerate(("p05", "q1", "median", "q3", "p95"))
        ),
    ).drop("gap_quantiles")
    base = alt.Chart(frame).encode(
        y=alt.Y("market_label:N", title=None, axis=alt.Axis(labelLimit=280)),
        tooltip=[
            "market_label:N",
            *(alt.Tooltip(f"{name}:Q", format=".1%") for name in ("p05", "q1", "median", "q3", "p95")),
        ],
    )
    whisker = base.mark_rule().encode(
        x=alt.X("p05:Q", title="gap to the best price", axis=alt.Axis(format="%")), x2="p95:Q"
    )
    box = base.mark_bar(size=12, color="#a5d8ff").encode(x="q1:Q", x2="q3:Q")
    median = base.mark_tick(color="#1864ab", thickness=3, size=14).encode(x="median:Q")
    chart = (whisker + box + median).properties(width=WIDTH, height=max(24 * frame.height, 60))
    return Chart("gap", title, caption, chart.to_dict())


def margins_chart(margins: pl.DataFrame, books: Sequence[str] = ()) -> Chart:
    """Median margin per book per main market (complete, fresh markets only)."""
    title = "Margins per book"
    caption = (
        "Median margin (sum of 1/odds - 1) per book on each main market, over every event where the book "
        "prices the whole market with fresh prices. Lower is better for bettors."
    )
    if margins.is_empty():
        return Chart("margins", title, caption, None, "No margins computed yet: run the odds capture.")
    frame = margins.with_columns(_market_label())
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("market_label:N", title=None, axis=alt.Axis(labelLimit=280)),
            yOffset="book:N",
            x=alt.X("median_margin:Q", title="median margin", axis=alt.Axis(format="%")),
            color=alt.Color("book:N", scale=book_scale(books, margins), title="book"),
            tooltip=["market_label:N", "book:N", alt.Tooltip("median_margin:Q", format=".2%"), "markets:Q"],
        )
        .properties(width=WIDTH, height=max(42 * frame["market"].n_unique(), 60))
    )
    return Chart("margins", title, caption, chart.to_dict())


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


def leadership_chart(leadership: pl.DataFrame, books: Sequence[str] = ()) -> Chart:
    """Who moves first: per sport and book, the share of main-market price moves it led, and how late it
    follows the others."""
    title = "Who moves prices first"
    caption = (
        "Per sport and book, over main markets: the share of its price moves no other book had made first "
        "(led), and the minutes it takes to copy another book's move when it does (the mean of the "
        "per-market medians, weighted by moves followed; analytics.price_leadership). Moves missed in the "
        "tooltip."
    )
    if leadership.is_empty():
        return Chart(
            "price_leadership", title, caption, None, "No price move has been seen yet (it takes captures "
            "that see prices move on the same matches).",
        )  # fmt: skip
    frame = leadership.with_columns(
        label=pl.concat_str(pl.col("sport"), pl.lit(" · "), pl.col("book")),
        led_share=(pl.col("moves_led") / pl.col("moves")).round(3),
        follow_lag_minutes=pl.col("follow_lag_minutes").round(1),
    )
    order = frame.sort("sport", "book")["label"].to_list()
    colour = alt.Color("book:N", scale=book_scale(books, leadership), legend=None)
    tooltip = ["sport:N", "book:N", "moves:Q", "moves_led:Q", "led_share:Q", "moves_followed:Q",
               "follow_lag_minutes:Q", "moves_missed:Q"]  # fmt: skip
    base = alt.Chart(frame).encode(y=alt.Y("label:N", title=None, sort=order), color=colour, tooltip=tooltip)
    led = base.mark_bar().encode(
        x=alt.X("led_share:Q", title="share of moves led", axis=alt.Axis(format="%"))
    )
    lag = base.mark_bar().encode(x=alt.X("follow_lag_minutes:Q", title="minutes to follow another book"))
    size = {"width": (WIDTH - 160) // 2, "height": 22 * len(order)}
    if frame["follow_lag_minutes"].is_null().all():  # no book followed: a lag axis would span nothing
        return Chart("price_leadership", title, caption, led.properties(**size).to_dict())
    chart = alt.hconcat(led.properties(**size), lag.properties(**size))
    return Chart("price_leadership", title, caption, chart.to_dict())


#: The key-health measures, in the chart's row order, and the column each is read from.
KEY_HEALTH_MEASURES = {"keyed": "keyed_share", "set aside": "set_aside_share", "suspect": "suspect_share"}


def key_health_chart(series: pl.DataFrame) -> Chart:
    """Each book's keyed, set-aside and suspect shares per hour: a row per measure, a line per book."""
    title = "How well each book's prices key"
    caption = (
        "Per book and UTC hour with at least 200 open outcomes, over the last seven days of "
        "analytics.key_health: the share of open outcomes keyed, the share set aside with a reason, and the "
        "share of keyed outcomes in markets the book's own prices show impossible (suspect). A book whose "
        "payloads change shape drops on the first line or climbs on the others; the keys_drift alert "
        "compares each hour with the book's seven days before it."
    )
    if series.is_empty():
        return Chart(
            "key_health",
            title,
            caption,
            None,
            "No hour with 200 open outcomes captured yet: run the odds capture.",
        )
    long = series.select(
        "book",
        "hour",
        "open_outcomes",
        "new_fields",
        *(pl.col(column).alias(measure) for measure, column in KEY_HEALTH_MEASURES.items()),
    ).unpivot(
        index=["book", "hour", "open_outcomes", "new_fields"], variable_name="measure", value_name="share"
    )
    chart = (
        alt.Chart(long.drop_nulls("share"))
        .mark_line(point=True)
        .encode(
            x=alt.X(
                "hour:T",
                title="hour (UTC)",
                scale=alt.Scale(type="utc"),
                axis=alt.Axis(format="%d %b %H:%M", labelAngle=-30),
            ),
            y=alt.Y("share:Q", title=None, axis=alt.Axis(format="%"), scale=alt.Scale(zero=False)),
            color=alt.Color("book:N", scale=book_scale((), series)),
            tooltip=[
                "book:N",
                alt.Tooltip("hour:T", format="%Y-%m-%d %H:%M", formatType="utc"),
                "measure:N",
                alt.Tooltip("share:Q", format=".1%"),
                "open_outcomes:Q",
                alt.Tooltip("new_fields:Q", title="new payload fields"),
            ],
        )
        .properties(width=WIDTH - 120, height=130)
        .facet(row=alt.Row("measure:N", title=None, sort=list(KEY_HEALTH_MEASURES)))
        .resolve_scale(y="independent")
    )
    return Chart("key_health", title, caption, chart.to_dict())


def book_scale(books: Sequence[str], frame: pl.DataFrame) -> alt.Scale:
    """One colour per book: ``books`` (the country's, in order) then any other the frame's ``book`` column
    names, each known book in its own colour on every chart and page."""
    known = list(BOOK_COLOURS)
    found = sorted(
        (str(book) for book in frame["book"].unique().to_list()) if "book" in frame.columns else (),
        key=lambda book: (known.index(book) if book in known else len(known), book),
    )
    domain = list(dict.fromkeys([*books, *found]))
    others = iter(_OTHER_BOOK_COLOURS * (1 + len(domain) // len(_OTHER_BOOK_COLOURS)))
    return alt.Scale(domain=domain, range=[BOOK_COLOURS.get(book) or next(others) for book in domain])


def _status_colour() -> alt.Color:
    return alt.Color(
        "status:N",
        scale=alt.Scale(domain=list(STATUS_COLOURS), range=list(STATUS_COLOURS.values())),
        title=None,
    )


def _market_label() -> pl.Expr:
    """The sport, then the market's name: basketball's "Winner" is not tennis's."""
    sport = pl.col("market").replace_strict(_SPORT_OF_MARKET, default="", return_dtype=pl.String)
    name = pl.coalesce(pl.col("market_name"), pl.format("market {}", pl.col("market")))
    return pl.concat_str([sport, name], separator=" ").str.strip_chars().alias("market_label")


_SPORT_OF_MARKET = {market: definition.sport for market, definition in VOCABULARY.items()}
