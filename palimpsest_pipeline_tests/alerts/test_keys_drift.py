"""keys_drift on rows of a real warehouse, through the whole alert machinery (rules, decide, store, apprise to
a local receiver). Each book's history is seeded by hand; the expected shares and points are worked out from
those counts here, not read back from the code (baseline = the seven days' keyed / open outcomes)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import psycopg

from palimpsest_pipeline.alerts.deliver import receivers_from
from palimpsest_pipeline.alerts.evaluate import evaluate_alerts
from palimpsest_pipeline.alerts.settings import AlertSettings
from palimpsest_pipeline.defs.resources import WarehouseResource
from palimpsest_pipeline.settings import SettingsLoadError, load_settings
from palimpsest_pipeline_tests.alerts.receiver import Receiver
from palimpsest_pipeline_tests.warehouse.match_rows import insert_match

NOW = datetime(2026, 11, 25, 12, 20, tzinfo=UTC)
HOUR = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # the current hour: the one judged
SETTINGS = AlertSettings(keys_drift_points=5, cooldown_minutes=60)


def _hour(
    conn: psycopg.Connection,
    book: str,
    hour: datetime,
    *,
    open_outcomes: int = 1000,
    keyed: int,
    set_aside: int = 0,
    suspect: int = 0,
    new_fields: Sequence[str] = (),
    site_country: str = "ng",
) -> None:
    conn.execute(
        "INSERT INTO analytics.key_health (site_country, book, hour, captures, open_outcomes, "
        "keyed_outcomes, set_aside_outcomes, suspect_outcomes, keyed_share, set_aside_share, suspect_share, "
        "new_fields) "
        "VALUES (%s, %s, %s, 10, %s, %s, %s, %s, %s, %s, %s, %s)",
        (
            site_country,
            book,
            hour,
            open_outcomes,
            keyed,
            set_aside,
            suspect,
            keyed / open_outcomes,
            set_aside / open_outcomes,
            suspect / keyed if keyed else None,
            list(new_fields),
        ),
    )


def _week(
    conn: psycopg.Connection, book: str, *, keyed: int = 980, suspect: int = 0, site_country: str = "ng"
) -> None:
    """The seven days before HOUR, every hour alike: 1,000 open outcomes, ``keyed`` of them keyed."""
    for hours_before in range(1, 7 * 24 + 1):
        _hour(
            conn,
            book,
            HOUR - timedelta(hours=hours_before),
            keyed=keyed,
            set_aside=10,
            suspect=suspect,
            site_country=site_country,
        )


def _match(conn: psycopg.Connection, sr_id: int, home: str, away: str) -> None:
    insert_match(conn, sr_id, NOW + timedelta(hours=3), {"betpawa": f"e{sr_id}"}, home=home, away=away)


def _capture(conn: psycopg.Connection, book: str, batch: str, at: datetime, unmapped: dict[str, int]) -> None:
    conn.execute(
        "INSERT INTO core.odds_captures (sr_id, book, captured_at, batch_id, status, open_outcomes, "
        "mapped_outcomes, site_country) VALUES (51, %s, %s, %s, 'ok', 1000, 900, 'ng')",
        (book, at, batch),
    )
    for market_key, outcomes in unmapped.items():
        conn.execute(
            "INSERT INTO core.unmapped_markets (batch_id, book, market_key, outcomes, recorded_at, "
            "site_country) VALUES (%s, %s, %s, %s, %s, 'ng')",
            (batch, book, market_key, outcomes, at),
        )


def _seed_betpawa_keyed_falls(conn: psycopg.Connection) -> None:
    """0.98 keyed for seven days, then 800 of 1,000 (0.80): 18 points down, with what moved in the hour."""
    _week(conn, "betpawa")
    _hour(conn, "betpawa", HOUR, keyed=800, set_aside=150, new_fields=["data.markets[].row[].specifier.hcp"])
    _match(conn, 51, "Lions", "Tigers")
    for item in range(3):
        conn.execute(
            "INSERT INTO core.quarantined_rows (recorded_at, batch_id, stage, book, kind, sr_id, item_key, "
            "reason, excerpt, site_country) "
            "VALUES (%s, 'b-hour', 'odds', 'betpawa', 'line_disagrees', 51, %s, %s, %s, 'ng')",
            (
                HOUR + timedelta(minutes=5 + item),
                f"row{item}",
                "Asian handicap: the specifier's hcp=-2 and the price's handicap -0.5 disagree",
                '{"hcp": "-2"}',
            ),
        )
    # the capture batches: the day before, Bookings 10 and Player Shots 5 of 1,000 open; in the hour,
    # Bookings 10 (no change) and Player Shots 60 (0.5% -> 6.0%)
    _capture(conn, "betpawa", "b-before", HOUR - timedelta(hours=3), {"Bookings": 10, "Player Shots": 5})
    _capture(conn, "betpawa", "b-hour", HOUR + timedelta(minutes=5), {"Bookings": 10, "Player Shots": 60})


def _seed_bet9ja_suspect_rises(conn: psycopg.Connection) -> None:
    """Suspect share 0.00 for seven days, then 98 of 980 keyed (0.10): 10 points up, keyed unchanged."""
    _week(conn, "bet9ja")
    _hour(conn, "bet9ja", HOUR, keyed=980, set_aside=10, suspect=98)
    _match(conn, 52, "Eagles", "Hawks")
    for market, specifier, reason, detail, minute in (
        (16, "hcp=-2", "units", "home hcp=-2 at 4.54 beside the 1X2 home win at 4.71", 10),
        (16, "hcp=4", "units", "away hcp=4 at 1.02 beside the 1X2 away win at 1.90", 9),
        (18, "total=2", "ladder", "over 2 at 1.50 beside over 1 at 1.60", 8),
    ):
        conn.execute(
            "INSERT INTO core.market_suspects (sr_id, book, market, specifier, reason, detail, captured_at, "
            "site_country) VALUES (52, 'bet9ja', %s, %s, %s, %s, %s, 'ng')",
            (market, specifier, reason, detail, HOUR + timedelta(minutes=minute)),
        )


def _drift_alerts(conn: psycopg.Connection) -> list[tuple[object, ...]]:
    return conn.execute(
        "SELECT subject, status, title, body, details FROM analytics.alerts WHERE rule = 'keys_drift'"
        " ORDER BY subject, alert_id"
    ).fetchall()


def test_a_keyed_fall_and_a_suspect_rise_fire_once_and_a_small_fall_does_not(
    warehouse_url: str, warehouse_conn: psycopg.Connection, receiver: Receiver
) -> None:
    connect = WarehouseResource(database_url=warehouse_url).connect
    receivers = receivers_from(receiver.url)
    _seed_betpawa_keyed_falls(warehouse_conn)
    _seed_bet9ja_suspect_rises(warehouse_conn)
    _week(warehouse_conn, "sportybet")
    _hour(warehouse_conn, "sportybet", HOUR, keyed=960)  # 0.98 -> 0.96: 2 points, under 5

    for seconds in (0, 15, 300, 1800, 3000):  # within the 60-minute cooldown: one alert per book
        evaluate_alerts(connect, SETTINGS, receivers, NOW + timedelta(seconds=seconds))
    alerts = _drift_alerts(warehouse_conn)
    assert [(subject, status) for subject, status, *_ in alerts] == [
        ("ng:bet9ja", "sent"),
        ("ng:betpawa", "sent"),
    ]
    titles = {alerts[0][2], alerts[1][2]}
    sent = {body["title"]: body["message"] for body in receiver.bodies if body["title"] in titles}
    assert len(sent) == 2 and len(receiver.bodies) == len({b["title"] for b in receiver.bodies})

    _, _, title, body, details = alerts[1]  # BetPawa
    assert title == "BetPawa's keys drifted: keyed 80.0% (7 days: 98.0%), set aside 15.0% (7 days: 1.0%)"
    assert "Keyed 80.0% of open outcomes (7-day baseline 98.0%, -18.0 points)" in body
    assert "Set aside 15.0% of open outcomes (7-day baseline 1.0%, +14.0 points)" in body
    assert details["markets"] == [
        "set aside: line_disagrees, 3 item(s)",
        "unkeyed: Player Shots, 60 open outcome(s), 6.0% of open (day before: 0.5%)",
    ]  # Bookings kept its share: it did not move
    assert details["example"] == (
        "Lions v Tigers (SportRadar 51): set aside (line_disagrees): Asian handicap: the specifier's hcp=-2 "
        'and the price\'s handicap -0.5 disagree [{"hcp": "-2"}]'
    )
    assert "New payload fields in the hour: data.markets[].row[].specifier.hcp" in body
    assert details["example"] in sent[title]

    _, _, title, body, details = alerts[0]  # Bet9ja
    assert title == "Bet9ja's keys drifted: suspect 10.0% (7 days: 0.0%)"
    assert details["markets"] == [
        "suspect: Asian handicap (market 16), units on 2 line(s) of 1 match(es)",
        "suspect: Total goals (market 18), ladder on 1 line(s) of 1 match(es)",
    ]
    assert details["example"] == (
        "Eagles v Hawks (SportRadar 52), Asian handicap (market 16) hcp=-2: units: "
        "home hcp=-2 at 4.54 beside the 1X2 home win at 4.71"
    )
    assert "New payload fields" not in body  # none in the hour: nothing shown


def test_outcomes_set_aside_fire_it_while_what_was_read_keys_as_before(
    warehouse_url: str, warehouse_conn: psycopg.Connection
) -> None:
    """A parser refusing a changed shape (Betway's lines moved to quarter units in its ids alone, as
    ``make chaos``'s payload drift serves them) sets the outcomes aside: the keyed share of what it read stays
    98 %, 600 outcomes a thousand open ones are set aside (60.0 %, against 1.0 % for seven days)."""
    connect = WarehouseResource(database_url=warehouse_url).connect
    _week(warehouse_conn, "betway")
    _hour(warehouse_conn, "betway", HOUR, keyed=980, set_aside=600)
    _week(warehouse_conn, "msport")
    _hour(warehouse_conn, "msport", HOUR, keyed=980, set_aside=50)  # 1.0 % -> 5.0 %: 4 points, under 5
    evaluate_alerts(connect, SETTINGS, [], NOW)
    alerts = _drift_alerts(warehouse_conn)
    assert [(subject, title) for subject, _status, title, *_ in alerts] == [
        ("ng:betway", "Betway's keys drifted: set aside 60.0% (7 days: 1.0%)")
    ]
    assert "Set aside 60.0% of open outcomes (7-day baseline 1.0%, +59.0 points)" in alerts[0][3]


def test_no_baseline_no_alert_and_a_thin_hour_is_not_judged(
    warehouse_url: str, warehouse_conn: psycopg.Connection
) -> None:
    connect = WarehouseResource(database_url=warehouse_url).connect
    # BetPawa: only the hour judged, at 0.80: nothing to compare it with
    _hour(warehouse_conn, "betpawa", HOUR, keyed=800)
    # Bet9ja: a healthy week and previous hour, then a current hour of 150 open outcomes (under 200) at 0.50:
    # the hour judged is the previous one, which matches the week
    _week(warehouse_conn, "bet9ja")
    _hour(warehouse_conn, "bet9ja", HOUR, open_outcomes=150, keyed=75)
    # SportyBet: a week of one open outcome an hour (168 in all, under 200) is no baseline
    for hours_before in range(1, 7 * 24 + 1):
        _hour(warehouse_conn, "sportybet", HOUR - timedelta(hours=hours_before), open_outcomes=1, keyed=1)
    _hour(warehouse_conn, "sportybet", HOUR, keyed=500)
    for seconds in (0, 15):
        evaluate_alerts(connect, SETTINGS, [], NOW + timedelta(seconds=seconds))
    assert _drift_alerts(warehouse_conn) == []
    held = warehouse_conn.execute(
        "SELECT count(*) FROM analytics.alert_conditions WHERE rule = 'keys_drift'"
    ).fetchone()
    assert held == (0,)


def test_a_drift_clears_when_the_next_hour_reads_right_and_an_old_hour_is_not_judged(
    warehouse_url: str, warehouse_conn: psycopg.Connection
) -> None:
    connect = WarehouseResource(database_url=warehouse_url).connect
    _week(warehouse_conn, "betpawa")
    _hour(warehouse_conn, "betpawa", HOUR, keyed=800)
    first = evaluate_alerts(connect, SETTINGS, [], NOW)
    assert first.raised == 1 and first.holding == 1
    _hour(warehouse_conn, "betpawa", HOUR + timedelta(hours=1), keyed=975)  # 0.975 against its week
    later = NOW + timedelta(hours=1)
    cleared = evaluate_alerts(connect, SETTINGS, [], later)
    assert (cleared.cleared, cleared.raised) == (1, 0)
    # a day and more later, with nothing captured since, no hour is recent enough to judge
    warehouse_conn.execute("DELETE FROM analytics.key_health WHERE hour > %s", (HOUR,))
    assert evaluate_alerts(connect, SETTINGS, [], NOW + timedelta(hours=25)).raised == 0


def test_the_threshold_is_a_validated_setting() -> None:
    assert load_settings({}).alert_settings().keys_drift_points == 5.0
    drift = load_settings({"PALIMPSEST_ALERT_KEYS_DRIFT_POINTS": "2.5"}).alert_settings().keys_drift_points
    assert drift == 2.5
    for bad in ("0", "-1", "100", "five"):
        try:
            load_settings({"PALIMPSEST_ALERT_KEYS_DRIFT_POINTS": bad})
        except SettingsLoadError as error:
            assert "PALIMPSEST_ALERT_KEYS_DRIFT_POINTS" in str(error)
        else:
            raise AssertionError(f"{bad!r} was accepted")
