"""The report's charts of the odds: where BetPawa has the best price and its gap to it, each book's margins,
who moves prices first, and how well each book's prices key (pure: frames in, specs out).
A builder with nothing to draw yet returns ``spec=None`` and a reason, which the page shows.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import polars as pl

from palimpsest_pipeline.alerts.keys_drift import MEASURES
from palimpsest_pipeline.markets.vocabulary import VOCABULARY
from palimpsest_pipeline.report.chart import BOOK_COLOURS, SHARE_AXIS, WIDTH, Chart, book_scale, utc_time_axis

#: The names of the gap percentiles (5th, 25th, 50th, 75th, 95th), in the order of ``gap_quantiles``.
_GAP_QUANTILES = ("p05", "q1", "median", "q3", "p95")


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
        *(pl.col("gap_quantiles").list.get(i).alias(name) for i, name in enumerate(_GAP_QUANTILES)),
    ).drop("gap_quantiles")
    base = alt.Chart(frame).encode(
        y=alt.Y("market_label:N", title=None, axis=alt.Axis(labelLimit=280)),
        tooltip=["market_label:N", *(alt.Tooltip(f"{name}:Q", format=".1%") for name in _GAP_QUANTILES)],
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
        *(pl.col(column).alias(measure) for measure, column, *_ in MEASURES),
    ).unpivot(
        index=["book", "hour", "open_outcomes", "new_fields"], variable_name="measure", value_name="share"
    )
    chart = (
        alt.Chart(long.drop_nulls("share"))
        .mark_line(point=True)
        .encode(
            x=utc_time_axis("hour", "hour (UTC)"),
            y=SHARE_AXIS,
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
        .facet(row=alt.Row("measure:N", title=None, sort=[measure for measure, *_ in MEASURES]))
        .resolve_scale(y="independent")
    )
    return Chart("key_health", title, caption, chart.to_dict())


def _market_label() -> pl.Expr:
    """The sport, then the market's name: basketball's "Winner" is not tennis's."""
    sport = pl.col("market").replace_strict(_SPORT_OF_MARKET, default="", return_dtype=pl.String)
    name = pl.coalesce(pl.col("market_name"), pl.format("market {}", pl.col("market")))
    return pl.concat_str([sport, name], separator=" ").str.strip_chars().alias("market_label")


_SPORT_OF_MARKET = {market: definition.sport for market, definition in VOCABULARY.items()}
