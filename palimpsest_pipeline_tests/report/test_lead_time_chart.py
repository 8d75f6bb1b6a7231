"""The lead-time chart draws what it is given: one bar per book and sport at the median lead."""

from __future__ import annotations

import polars as pl

from palimpsest_pipeline.report.catalogue_charts import lead_time_chart


def test_the_chart_has_a_bar_per_book_and_sport_at_its_lead() -> None:
    lead = pl.DataFrame(
        {
            "sport": ["football", "football", "tennis"],
            "book": ["betpawa", "sportybet", "betpawa"],
            "events": [10, 12, 3],
            "lead_hours": [30.04, 41.96, 5.0],
            "betpawa_lag_hours": [11.9, 11.9, None],
        }
    )
    chart = lead_time_chart(lead)
    assert chart.spec is not None
    rows = [row for rows in chart.spec["datasets"].values() for row in rows]
    assert sorted((r["sport"], r["book"], r["lead_hours"]) for r in rows) == [
        ("football", "betpawa", 30.0),
        ("football", "sportybet", 42.0),
        ("tennis", "betpawa", 5.0),
    ]


def test_no_timed_listing_says_why() -> None:
    chart = lead_time_chart(pl.DataFrame())
    assert chart.spec is None and "two scrapes" in chart.empty
