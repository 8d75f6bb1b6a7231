"""live_gap, feed_stale and keys_drift per site country, end to end: Nigeria's and Ghana's hand-built rows in
a real warehouse, apprise posting to a local receiver. Each country's condition fires, clears and cools down
on its own; Nigeria's titles read as before, Ghana's name Ghana. The upgrade keeps the previous version's open
conditions (subjects gain ``ng:``) without alerting them again.

Expected by hand from the seeded rows: shares are keyed / open outcomes (a week at 980 of 1,000 is 98.0 %).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import psycopg

from palimpsest_pipeline.alerts.deliver import receivers_from
from palimpsest_pipeline.alerts.evaluate import evaluate_alerts
from palimpsest_pipeline.alerts.rules import find
from palimpsest_pipeline.alerts.settings import AlertSettings
from palimpsest_pipeline.books.editions import countries_of
from palimpsest_pipeline.defs.resources import WarehouseResource
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline.warehouse.migrate import migrate
from palimpsest_pipeline_tests.alerts.receiver import Receiver
from palimpsest_pipeline_tests.alerts.test_keys_drift import HOUR, NOW, _hour, _week
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_pipeline_tests.warehouse.previous_version.load import previous_warehouse

SETTINGS = AlertSettings(keys_drift_points=5, cooldown_minutes=120, stale_minutes=30, live_seen_seconds=120)


def _alerts(conn: psycopg.Connection, rule: str) -> list[tuple[object, ...]]:
    """Each alert of ``rule``: subject, status, its country in details, whether it cleared, the subject of
    the alert that held it back."""
    return conn.execute(
        "SELECT a.subject, a.status, a.details->>'site_country', a.cleared_at IS NOT NULL, s.subject"
        " FROM analytics.alerts AS a LEFT JOIN analytics.alerts AS s ON s.alert_id = a.suppressed_by"
        " WHERE a.rule = %s ORDER BY a.alert_id",
        (rule,),
    ).fetchall()


def _titles(receiver: Receiver) -> list[str]:
    return sorted(str(body["title"]) for body in receiver.bodies)


# ---------------------------------------------------------------------------------------------- live_gap


def _gap(
    conn: psycopg.Connection, site_country: str, sr_id: int, side: str, since: datetime, seen: datetime
) -> None:
    """An open gap of ``sr_id`` on ``site_country``'s sites from ``since``, last seen at ``seen``."""
    conn.execute(
        "INSERT INTO analytics.live_coverage (site_country, sr_id, side, sport, country, tournament, home, "
        "away, live_on, missing_on, since, last_seen_at) VALUES (%s, %s, %s, 'football', 'England', "
        "'Premier League', 'Arsenal', 'Chelsea', %s, %s, %s, %s)",
        (
            site_country,
            sr_id,
            side,
            ["sportybet"] if side == "betpawa_missing" else ["betpawa"],
            ["betpawa"] if side == "betpawa_missing" else ["sportybet"],
            since,
            seen,
        ),
    )


def _close_gap(conn: psycopg.Connection, site_country: str, sr_id: int, at: datetime) -> None:
    conn.execute(
        "UPDATE analytics.live_coverage SET last_seen_at = %s, closed_at = %s"
        " WHERE site_country = %s AND sr_id = %s AND closed_at IS NULL",
        (at, at, site_country, sr_id),
    )


def test_a_live_gap_alerts_clears_and_cools_down_in_its_own_country(
    warehouse_url: str, warehouse_conn: psycopg.Connection, receiver: Receiver
) -> None:
    """Match 1001 is live on SportyBet and not on BetPawa in Nigeria and in Ghana: two alerts. Ghana's gap
    closes: Ghana's clears, Nigeria's holds. Ghana's opens again within the cooldown: held back by Ghana's
    own alert. Ghana's competitor_missing gap on 2001 alerts nothing."""
    connect = WarehouseResource(database_url=warehouse_url).connect
    receivers = receivers_from(receiver.url)
    for country in ("ng", "gh"):
        _gap(warehouse_conn, country, 1001, "betpawa_missing", NOW - timedelta(minutes=5), NOW)
    _gap(warehouse_conn, "gh", 2001, "competitor_missing", NOW - timedelta(minutes=5), NOW)

    first = evaluate_alerts(connect, SETTINGS, receivers, NOW)
    assert (first.raised, first.suppressed) == (2, 0)
    assert sorted(_alerts(warehouse_conn, "live_gap")) == [
        ("gh:1001", "sent", "gh", False, None),
        ("ng:1001", "sent", "ng", False, None),
    ]
    assert _titles(receiver) == [
        "Ghana: Live on SportyBet, not on BetPawa: Arsenal v Chelsea (football / Premier League)",
        "Live on SportyBet, not on BetPawa: Arsenal v Chelsea (football / Premier League)",
    ]
    ghana = next(body for body in receiver.bodies if str(body["title"]).startswith("Ghana"))
    assert "on the Ghana sites" in str(ghana["message"])

    _close_gap(warehouse_conn, "gh", 1001, NOW + timedelta(seconds=30))
    cleared = evaluate_alerts(connect, SETTINGS, receivers, NOW + timedelta(seconds=30))
    assert (cleared.cleared, cleared.raised, cleared.holding) == (1, 0, 1)
    states = {row[0]: row[3] for row in _alerts(warehouse_conn, "live_gap")}
    assert states == {"gh:1001": True, "ng:1001": False}

    again = NOW + timedelta(minutes=2)
    _gap(warehouse_conn, "gh", 1001, "betpawa_missing", again, again)
    warehouse_conn.execute(
        "UPDATE analytics.live_coverage SET last_seen_at = %s WHERE closed_at IS NULL AND site_country = %s",
        (again, "ng"),
    )
    held = evaluate_alerts(connect, SETTINGS, receivers, again)
    assert (held.raised, held.suppressed) == (0, 1)
    assert _alerts(warehouse_conn, "live_gap")[-1] == ("gh:1001", "suppressed", "gh", False, "gh:1001")
    assert len(receiver.bodies) == 2


def test_alert_times_read_in_utc_whatever_the_session_time_zone(
    warehouse_url: str, warehouse_conn: psycopg.Connection
) -> None:
    """A server of the user's own may read instants in Lagos time (UTC+1): the text says UTC and means it."""
    since = NOW - timedelta(minutes=5)
    _gap(warehouse_conn, "ng", 1001, "betpawa_missing", since, NOW)
    with psycopg.connect(libpq_url(warehouse_url), autocommit=True) as lagos:
        lagos.execute("SET TIME ZONE 'Africa/Lagos'")
        (gap,) = [finding for finding in find(lagos, SETTINGS, NOW) if finding.rule == "live_gap"]
    assert gap.details["since"] == "2026-11-25 12:15 UTC"
    assert "since 2026-11-25 12:15 UTC" in gap.body


# -------------------------------------------------------------------------------------------- feed_stale


def _capture(conn: psycopg.Connection, site_country: str, book: str, at: datetime) -> None:
    """A good capture of ``book`` on ``site_country``'s site at ``at`` (each country its own match)."""
    conn.execute(
        "INSERT INTO core.odds_captures (site_country, sr_id, book, captured_at, batch_id, status)"
        " VALUES (%s, %s, %s, %s, 'b', 'ok')",
        (site_country, 1 if site_country == "ng" else 2, book, at),
    )


def _refresh_editions(conn: psycopg.Connection, at: datetime, *, but: tuple[str, ...] = ()) -> None:
    """A capture at ``at`` on every edition the pipeline scrapes in Nigeria and Ghana, but those named in
    ``but`` (``gh:sportybet``): every book, Betika in Ghana among them."""
    for book in Book:
        for country in set(countries_of(book)) & {"ng", "gh"}:
            if f"{country}:{book.value}" not in but:
                _capture(conn, country, book.value, at)


def test_a_stale_feed_in_one_country_never_alerts_the_same_books_feed_in_another(
    warehouse_url: str, warehouse_conn: psycopg.Connection, receiver: Receiver
) -> None:
    """SportyBet's Ghana feed two hours old while every other edition is a minute old: Ghana's SportyBet
    alerts, Nigeria's does not. It catches up: cleared. It falls behind again within the cooldown: held
    back by its own alert. Nigeria's SportyBet falling behind then alerts under Nigeria's own title."""
    connect = WarehouseResource(database_url=warehouse_url).connect
    receivers = receivers_from(receiver.url)
    _refresh_editions(warehouse_conn, NOW - timedelta(minutes=1), but=("gh:sportybet",))
    _capture(warehouse_conn, "gh", "sportybet", NOW - timedelta(hours=2))

    first = evaluate_alerts(connect, SETTINGS, receivers, NOW)
    assert first.raised == 1
    assert _alerts(warehouse_conn, "feed_stale") == [("gh:sportybet", "sent", "gh", False, None)]
    assert _titles(receiver) == ["Ghana: SportyBet's odds feed is stale"]
    assert "Ghana site" in str(receiver.bodies[0]["message"])

    caught_up = NOW + timedelta(minutes=5)
    _capture(warehouse_conn, "gh", "sportybet", caught_up)
    cleared = evaluate_alerts(connect, SETTINGS, receivers, caught_up)
    assert (cleared.cleared, cleared.raised) == (1, 0)

    # forty minutes on every edition but Ghana's SportyBet has refreshed: it is stale again
    later = NOW + timedelta(minutes=40)
    _refresh_editions(warehouse_conn, later, but=("gh:sportybet",))
    again = evaluate_alerts(connect, SETTINGS, receivers, later)
    assert (again.raised, again.suppressed) == (0, 1)
    assert _alerts(warehouse_conn, "feed_stale")[-1] == (
        "gh:sportybet",
        "suppressed",
        "gh",
        False,
        "gh:sportybet",
    )

    # Nigeria's SportyBet now falls behind: its own alert, Nigeria's title as before, not held back by Ghana's
    last = later + timedelta(minutes=40)
    _refresh_editions(warehouse_conn, last, but=("gh:sportybet", "ng:sportybet"))
    nigeria = evaluate_alerts(connect, SETTINGS, receivers, last)
    assert nigeria.raised == 1
    assert _alerts(warehouse_conn, "feed_stale")[-1] == ("ng:sportybet", "sent", "ng", False, None)
    assert _titles(receiver) == ["Ghana: SportyBet's odds feed is stale", "SportyBet's odds feed is stale"]


# -------------------------------------------------------------------------------------------- keys_drift


def test_keys_drift_judges_each_book_against_its_own_countrys_week(
    warehouse_url: str, warehouse_conn: psycopg.Connection, receiver: Receiver
) -> None:
    """Nigeria's BetPawa: a week at 98.0 %, the hour at 80.0 %: drifted. Ghana's BetPawa: a week and the hour
    at 80.0 %: steady (against both countries' weeks together, 89.0 %, it would have drifted 9 points).
    Ghana's SportyBet: a week at 99.0 %, the hour at 90.0 %: drifted. The next hour Nigeria's BetPawa reads
    97.5 % (cleared) while Ghana's SportyBet still reads 90.0 % (holds)."""
    connect = WarehouseResource(database_url=warehouse_url).connect
    receivers = receivers_from(receiver.url)
    _week(warehouse_conn, "betpawa", keyed=980, site_country="ng")
    _hour(warehouse_conn, "betpawa", HOUR, keyed=800, site_country="ng")
    _week(warehouse_conn, "betpawa", keyed=800, site_country="gh")
    _hour(warehouse_conn, "betpawa", HOUR, keyed=800, site_country="gh")
    _week(warehouse_conn, "sportybet", keyed=990, site_country="gh")
    _hour(warehouse_conn, "sportybet", HOUR, keyed=900, site_country="gh")

    first = evaluate_alerts(connect, SETTINGS, receivers, NOW)
    assert first.raised == 2
    assert sorted(_alerts(warehouse_conn, "keys_drift")) == [
        ("gh:sportybet", "sent", "gh", False, None),
        ("ng:betpawa", "sent", "ng", False, None),
    ]
    assert _titles(receiver) == [
        "BetPawa's keys drifted: keyed 80.0% (7 days: 98.0%)",
        "Ghana: SportyBet's keys drifted: keyed 90.0% (7 days: 99.0%)",
    ]

    next_hour = HOUR + timedelta(hours=1)
    _hour(warehouse_conn, "betpawa", next_hour, keyed=975, site_country="ng")
    _hour(warehouse_conn, "sportybet", next_hour, keyed=900, site_country="gh")
    later = evaluate_alerts(connect, SETTINGS, receivers, next_hour + timedelta(minutes=5))
    assert (later.cleared, later.raised, later.holding) == (1, 0, 1)
    states = {row[0]: row[3] for row in _alerts(warehouse_conn, "keys_drift")}
    assert states == {"gh:sportybet": False, "ng:betpawa": True}


# ---------------------------------------------------------------------------------------------- upgrade

#: After the previous version's dump (its newest captures 16:35, its key health 16:00 on 25 November).
UPGRADE_AT = datetime(2026, 11, 25, 17, 20, tzinfo=UTC)
_PREVIOUS_SUBJECTS = (("live_gap", "27400002"), ("feed_stale", "bet9ja"), ("keys_drift", "betpawa"))


def _previous_conditions(conn: psycopg.Connection, since: datetime) -> None:
    """In the previous version's warehouse: a live gap, Bet9ja's stale odds feed and BetPawa's drifted keys,
    each alerted at ``since`` and still holding."""
    conn.execute(
        "INSERT INTO analytics.live_coverage (sr_id, side, sport, tournament, home, away, live_on,"
        " missing_on, since, last_seen_at) VALUES (27400002, 'betpawa_missing', 'football',"
        " 'Premier League', 'Arsenal', 'Chelsea', '{sportybet}', '{betpawa}', %s, %s)",
        (since, UPGRADE_AT - timedelta(seconds=10)),
    )
    conn.execute(
        "INSERT INTO analytics.live_suspension (polled_at, book, status, live_events, markets, suspended,"
        " suspended_share) VALUES (%s, 'sportybet', 'ok', 1, 10, 1, 0.1)",
        (UPGRADE_AT - timedelta(seconds=10),),
    )
    for book in ("betpawa", "sportybet"):
        conn.execute(
            "INSERT INTO core.odds_captures (sr_id, book, captured_at, batch_id, status)"
            " VALUES (1, %s, %s, 'later', 'ok')",
            (book, UPGRADE_AT - timedelta(minutes=1)),
        )
    conn.execute(
        "INSERT INTO analytics.key_health (book, hour, captures, open_outcomes, keyed_outcomes,"
        " set_aside_outcomes, suspect_outcomes, keyed_share, set_aside_share, suspect_share)"
        " VALUES ('betpawa', '2026-11-25 17:00+00', 10, 1000, 500, 0, 0, 0.5, 0, 0)"
    )
    for rule, subject in _PREVIOUS_SUBJECTS:
        conn.execute(
            "INSERT INTO analytics.alert_conditions (rule, subject, first_seen_at, last_seen_at, title)"
            " VALUES (%s, %s, %s, %s, 'then')",
            (rule, subject, since, UPGRADE_AT - timedelta(minutes=1)),
        )
        conn.execute(
            "INSERT INTO analytics.alerts (rule, subject, status, title, body, condition_since, raised_at,"
            " sent_at) VALUES (%s, %s, 'sent', 'then', 'then', %s, %s, %s)",
            (rule, subject, since, since, since),
        )


def test_the_upgrade_keeps_every_open_condition_of_the_previous_version_without_alerting_again(
    pg_server_url: str, reader_password: str
) -> None:
    """The previous version's open live_gap, feed_stale and keys_drift conditions, alerted ten minutes
    before, still hold after the upgrade under their ``ng:`` subjects: same episode (first seen then), no
    alert raised or held back again. The tables' rows are Nigeria's, their keys and comments name the
    country, no default is left."""
    since = UPGRADE_AT - timedelta(minutes=10)
    rules = [rule for rule, _ in _PREVIOUS_SUBJECTS]
    with previous_warehouse(pg_server_url) as url:
        with psycopg.connect(libpq_url(url), autocommit=True) as conn:
            _previous_conditions(conn, since)
            captured = {row[0] for row in conn.execute("SELECT DISTINCT book FROM core.odds_captures")}
            before = {
                table: conn.execute(f"SELECT count(*) FROM analytics.{table}").fetchone()
                for table in ("key_health", "live_coverage", "live_suspension")
            }
        migrate(url, password=reader_password)
        with psycopg.connect(libpq_url(url), autocommit=True) as conn:
            for table, count in before.items():
                countries = conn.execute(
                    f"SELECT site_country, count(*) FROM analytics.{table} GROUP BY site_country"
                ).fetchall()
                assert count is not None and countries == [("ng", count[0])], table
            columns = conn.execute(
                "SELECT c.table_name, c.column_default,"
                " col_description(t.oid, c.ordinal_position) IS NOT NULL FROM information_schema.columns AS c"
                " JOIN pg_class AS t ON t.relname = c.table_name"
                " AND t.relnamespace = 'analytics'::regnamespace"
                " WHERE c.table_schema = 'analytics' AND c.column_name = 'site_country'"
                " AND c.table_name IN ('key_health', 'live_coverage', 'live_suspension') ORDER BY 1"
            ).fetchall()
            assert columns == [
                (table, None, True) for table in ("key_health", "live_coverage", "live_suspension")
            ]
            keys = conn.execute(
                "SELECT indexrelid::regclass::text FROM pg_index"
                " WHERE indisunique AND indrelid IN ('analytics.key_health'::regclass,"
                " 'analytics.live_coverage'::regclass, 'analytics.live_suspension'::regclass)"
                " AND EXISTS (SELECT 1 FROM pg_attribute AS a WHERE a.attrelid = indrelid"
                " AND a.attname = 'site_country' AND a.attnum = ANY(indkey)) ORDER BY 1"
            ).fetchall()
            assert [row[0] for row in keys] == [
                "analytics.key_health_pkey",
                "analytics.live_coverage_open_idx",
                "analytics.live_suspension_pkey",
            ]
            subjects = conn.execute(
                "SELECT rule, subject FROM analytics.alert_conditions WHERE rule = ANY(%(rules)s) UNION ALL "
                "SELECT rule, subject FROM analytics.alerts WHERE rule = ANY(%(rules)s) ORDER BY 1, 2",
                {"rules": rules},
            ).fetchall()
            assert subjects == sorted([(rule, f"ng:{subject}") for rule, subject in _PREVIOUS_SUBJECTS] * 2)

            connect = WarehouseResource(database_url=url).connect
            evaluate_alerts(connect, SETTINGS, [], UPGRADE_AT)
            held = conn.execute(
                "SELECT rule, subject, first_seen_at, last_seen_at FROM analytics.alert_conditions"
                " WHERE rule = ANY(%s) ORDER BY rule, subject",
                (rules,),
            ).fetchall()
            raised = conn.execute(
                "SELECT rule, subject, status FROM analytics.alerts WHERE raised_at = %s AND rule = ANY(%s)",
                (UPGRADE_AT, rules),
            ).fetchall()
    # a scraped book the previous version never captured has a stale Nigerian feed: a new episode, raised once
    never_captured = sorted(f"ng:{book.value}" for book in NIGERIA_BOOKS if book.value not in captured)
    assert held == [
        ("feed_stale", "ng:bet9ja", since, UPGRADE_AT),
        *[("feed_stale", subject, UPGRADE_AT, UPGRADE_AT) for subject in never_captured],
        ("keys_drift", "ng:betpawa", since, UPGRADE_AT),
        ("live_gap", "ng:27400002", since, UPGRADE_AT),
    ]
    assert sorted(raised) == [("feed_stale", subject, "pending") for subject in never_captured]
