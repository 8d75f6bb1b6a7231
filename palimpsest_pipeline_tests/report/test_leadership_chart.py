"""The price leadership chart draws what it is given: per sport and book, the share of moves led, the lag."""

from __future__ import annotations

import polars as pl

from palimpsest_pipeline.report.odds_charts import leadership_chart


def test_the_chart_has_a_bar_per_sport_and_book_at_its_led_share_and_follow_lag() -> None:
    leadership = pl.DataFrame(
        {
            "sport": ["football", "football", "tennis"],
            "book": ["sportybet", "betpawa", "bet9ja"],
            "moves": [40, 10, 8],
            "moves_led": [38, 1, 2],
            "moves_followed": [2, 9, 6],
            "moves_missed": [0, 25, 3],
            "follow_lag_minutes": [3.04, 9.46, None],
        }
    )
    chart = leadership_chart(leadership)
    assert chart.spec is not None
    rows = [row for rows in chart.spec["datasets"].values() for row in rows]
    assert sorted((r["label"], r["led_share"], r["follow_lag_minutes"]) for r in rows) == [
        ("football · betpawa", 0.1, 9.5),
        ("football · sportybet", 0.95, 3.0),
        ("tennis · bet9ja", 0.25, None),
    ]


def test_no_move_seen_says_why() -> None:
    chart = leadership_chart(pl.DataFrame())
    assert chart.spec is None and "No price move" in chart.empty
