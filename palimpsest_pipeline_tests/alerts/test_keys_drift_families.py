"""keys_drift on a market family whose share of keyed outcomes a competitor prices dropped, on rows of a real
warehouse through the whole alert machinery. Every book's ``analytics.key_health`` reads as its week (0.98
keyed), so only the families can fire it; each family's rows are an event in the hour judged and one a day
before, and the expected shares and points are worked out here from those counts.

At the default threshold (5 points) a family fires when its share fell by more than 20 points (4 x 5), and by
20 more than the book's other families, with at least 200 keyed outcomes in the hour and in the week.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import polars as pl
import psycopg

from palimpsest_pipeline.alerts.evaluate import evaluate_alerts
from palimpsest_pipeline.alerts.settings import AlertSettings
from palimpsest_pipeline.defs.resources import WarehouseResource
from palimpsest_pipeline.transforms.key_sharing import FAMILY_SHARING_SCHEMA
from palimpsest_pipeline.warehouse.key_health import write_family_sharing
from palimpsest_pipeline_tests.alerts.test_keys_drift import HOUR, NOW, SETTINGS, _drift_alerts, _hour, _week

#: (family, keyed in the hour, priced by a competitor, keyed in the week, priced)
Families = list[tuple[str, int, int, int, int]]

#: BetPawa: player goals 100 of 400 (25.0 %) against 900 of 1,000 (90.0 %), -65 points; its other families
#: together 900 + 425 + 0 of 1,000 + 500 + 100 (82.8125 %) against 3,600 + 1,800 + 900 of 4,000 + 2,000 +
#: 1,000 (90 %), -7.1875 points: net, 57.8 points down. Score total -5 points (under 20); corners total 100
#: of 100 lost, but only 100 keyed in the hour: not judged.
BETPAWA: Families = [
    ("player goals", 400, 100, 1000, 900),
    ("score 1x2", 1000, 900, 4000, 3600),
    ("score total", 500, 425, 2000, 1800),
    ("corners total", 100, 0, 1000, 900),
]
#: SportyBet: every family 30 points down alike (60 % against 90 %): the hour's events, not a key; net of
#: the other families (also 30 down) each is 0.
SPORTYBET: Families = [
    ("score 1x2", 1000, 600, 4000, 3600),
    ("score total", 500, 300, 2000, 1800),
    ("player goals", 400, 240, 1000, 900),
]
#: Bet9ja: player cards 0 of 150 in the hour (under 200), player shots 600 of 1,000 against 135 of 150 in the
#: week (under 200): neither judged. MSport: score total 75 % against 90 %, 15 points down: under 20.
BET9JA: Families = [
    ("score 1x2", 1000, 900, 4000, 3600),
    ("player cards", 150, 0, 5000, 4500),
    ("player shots", 1000, 600, 150, 135),
]
MSPORT: Families = [("score 1x2", 1000, 900, 4000, 3600), ("score total", 1000, 750, 4000, 3600)]


def _families(
    conn: psycopg.Connection,
    book: str,
    families: Families,
    *,
    hour: datetime = HOUR,
    site_country: str = "ng",
) -> None:
    """Each family as one event in ``hour`` and one a day before it."""
    rows = [
        row
        for index, (family, keyed, priced, week_keyed, week_priced) in enumerate(families)
        for row in (
            (1000 + index, book, family, hour, keyed, priced),
            (2000 + index, book, family, hour - timedelta(days=1), week_keyed, week_priced),
        )
    ]
    frame = pl.DataFrame(rows, schema=FAMILY_SHARING_SCHEMA, orient="row")
    write_family_sharing(conn, frame, site_country=site_country)  # with the hourly sums, as the comparison


def _steady(conn: psycopg.Connection, book: str, site_country: str = "ng") -> None:
    _week(conn, book, site_country=site_country)
    _hour(conn, book, HOUR, keyed=980, set_aside=10, site_country=site_country)


def test_a_family_drop_fires_naming_the_family_and_noise_or_the_hours_mix_does_not(
    warehouse_url: str, warehouse_conn: psycopg.Connection
) -> None:
    connect = WarehouseResource(database_url=warehouse_url).connect
    for book, families in (
        ("betpawa", BETPAWA),
        ("sportybet", SPORTYBET),
        ("bet9ja", BET9JA),
        ("msport", MSPORT),
    ):
        _steady(warehouse_conn, book)
        _families(warehouse_conn, book, families)
    for seconds in (0, 15):
        evaluate_alerts(connect, SETTINGS, [], NOW + timedelta(seconds=seconds))
    alerts = _drift_alerts(warehouse_conn)
    assert [subject for subject, *_ in alerts] == ["ng:betpawa"]  # once: the second evaluation holds it
    _, _, title, body, details = alerts[0]
    assert title == "BetPawa's keys drifted: priced by a competitor in player goals 25.0% (7 days: 90.0%)"
    assert "Keyed 98.0% of open outcomes (7-day baseline 98.0%, +0.0 points)" in body
    assert (
        "Families whose share of keyed outcomes priced by a competitor dropped by more than 20 points, net "
        "of the book's other families (at least 200 keyed outcomes in the hour and in the 7 days before), in "
        "the hour from 2026-11-25 12:00 UTC:\n"
        "  player goals: 25.0% of 400 keyed outcomes (7-day baseline 90.0% of 1,000, -65.0 points; other "
        "families -7.2 points)\n"
        "Markets that moved:"
    ) in body
    assert details["families"] == [
        {
            "family": "player goals",
            "hour": "2026-11-25 12:00 UTC",
            "keyed_outcomes": 400,
            "competitor_share": 0.25,
            "baseline_keyed_outcomes": 1000,
            "baseline_share": 0.9,
            "points": -65.0,
            "rest_points": -7.2,
        }
    ]

    # The same rows at a threshold of 20 points: a family must fall by more than 80; none does.
    warehouse_conn.execute("DELETE FROM analytics.alerts; DELETE FROM analytics.alert_conditions")
    later = NOW + timedelta(minutes=5)
    assert evaluate_alerts(connect, AlertSettings(keys_drift_points=20), [], later).holding == 0


def test_a_family_drop_joins_a_keyed_fall_and_an_old_hour_or_another_country_is_apart(
    warehouse_url: str, warehouse_conn: psycopg.Connection
) -> None:
    """Bet9ja's keyed share falls (98 % to 80 %) while its player goals drop as BetPawa's do: one alert naming
    both. BetPawa's dropped families are of an hour thirty hours back: not recent, not judged. Ghana's
    SportyBet drops its player goals as Nigeria's BetPawa does: Ghana's alert alone."""
    connect = WarehouseResource(database_url=warehouse_url).connect
    _week(warehouse_conn, "bet9ja")
    _hour(warehouse_conn, "bet9ja", HOUR, keyed=800)
    _families(warehouse_conn, "bet9ja", BETPAWA)
    _steady(warehouse_conn, "betpawa")
    _families(warehouse_conn, "betpawa", BETPAWA, hour=HOUR - timedelta(hours=30))
    _steady(warehouse_conn, "sportybet", "gh")
    _families(warehouse_conn, "sportybet", BETPAWA, site_country="gh")
    _steady(warehouse_conn, "sportybet")
    evaluate_alerts(connect, SETTINGS, [], NOW)
    alerts = _drift_alerts(warehouse_conn)
    assert [(subject, title) for subject, _status, title, *_ in alerts] == [
        (
            "gh:sportybet",
            "Ghana: SportyBet's keys drifted: priced by a competitor in player goals 25.0% (7 days: 90.0%)",
        ),
        (
            "ng:bet9ja",
            "Bet9ja's keys drifted: keyed 80.0% (7 days: 98.0%), priced by a competitor in player goals "
            "25.0% (7 days: 90.0%)",
        ),
    ]
    assert [family["family"] for family in alerts[1][4]["families"]] == ["player goals"]
