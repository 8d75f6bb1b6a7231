"""Retention of the bookkeeping tables, against a real Postgres: each table keeps its setting's days (or its
default), older rows go in small batches, and a bad setting deletes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import psycopg
import pytest

from palimpsest_pipeline.settings import SettingsLoadError, load_settings
from palimpsest_pipeline.warehouse.daily_maintenance import (
    RETENTION_RULES,
    apply_all_table_retention,
    apply_table_retention,
)

COVERAGE_HISTORY_RETENTION_VAR = "PALIMPSEST_COVERAGE_HISTORY_RETENTION_DAYS"
CLOSING_PRICES_RETENTION_VAR = "PALIMPSEST_CLOSING_PRICES_RETENTION_DAYS"

TODAY = date(2026, 5, 20)
AGES = (100, 60, 30, 27, 1)  # days before TODAY, each at noon UTC

INSERTS = {
    "core.odds_captures": "INSERT INTO core.odds_captures "
    "(sr_id, book, captured_at, batch_id, status, site_country) "
    "VALUES (%(n)s, 'betpawa', %(at)s, 'b', 'ok', 'ng')",
    "core.capture_requests": "INSERT INTO core.capture_requests "
    "(site_country, tier, window_start, priority, sr_ids, kickoff_dates, requested_at) "
    "VALUES ('ng', 'imminent', %(at)s, 3, ARRAY[%(n)s]::bigint[], ARRAY[%(day)s]::date[], %(at)s)",
    "core.quarantine": "INSERT INTO core.quarantine "
    "(book, url, reason, received_at, body, body_bytes, site_country) "
    "VALUES ('bet9ja', 'https://x', 'bad', %(at)s, 'x', 1, 'ng')",
    "core.quarantined_rows": "INSERT INTO core.quarantined_rows "
    "(recorded_at, batch_id, stage, book, kind, item_key, reason, excerpt, site_country) "
    "VALUES (%(at)s, 'b', 'odds', 'sportybet', 'outcome', %(n)s::text, 'bad', 'x', 'ng')",
    "core.scrape_metrics": "INSERT INTO core.scrape_metrics "
    "(run_id, book, kind, status, started_at, finished_at, requests, attempts, failed_requests, throttled, "
    "site_country) VALUES (%(n)s::text, 'betpawa', 'odds', 'ok', %(at)s, %(at)s, 1, 1, 0, 0, 'ng')",
    "core.run_failures": "INSERT INTO core.run_failures (run_id, job_name, failed_at, error_message) "
    "VALUES (%(n)s::text, 'odds_job', %(at)s, 'boom')",
    "core.unmapped_markets": "INSERT INTO core.unmapped_markets "
    "(batch_id, book, market_key, outcomes, recorded_at, site_country) "
    "VALUES (%(n)s::text, 'bet9ja', 'S_X', 2, %(at)s, 'ng')",
    "analytics.coverage_history": "INSERT INTO analytics.coverage_history "
    "(computed_at, site_country, kickoff_date, total, matched, betpawa_only, competitor_only) "
    "VALUES (%(at)s, 'ng', %(day)s, 1, 1, 0, 0)",
    "analytics.catalogue_changes": "INSERT INTO analytics.catalogue_changes "
    "(changed_at, book, event_id, change, kickoff, sport, tournament, home, away, site_country) "
    "VALUES (%(at)s, 'betpawa', %(n)s::text, 'added', %(at)s, 'football', 'T', 'H', 'A', 'ng')",
    "analytics.live_coverage": "INSERT INTO analytics.live_coverage "
    "(site_country, sr_id, side, sport, tournament, home, away, live_on, missing_on, since, last_seen_at) "
    "VALUES ('ng', %(n)s, 'betpawa_missing', 'football', 'T', 'H', 'A', '{sportybet}', '{betpawa}', "
    "%(at)s, %(at)s)",
    "analytics.live_starts": "INSERT INTO analytics.live_starts "
    "(kickoff_date, site_country, sr_id, book, event_id, sport, tournament, home, away, kickoff, status) "
    "VALUES (%(day)s, 'ng', %(n)s, 'betpawa', %(n)s::text, 'football', 'T', 'H', 'A', %(at)s, 'on_time')",
    "core.live_sightings": "INSERT INTO core.live_sightings "
    "(site_country, book, sr_id, first_live_at, live_kickoff) "
    "VALUES ('ng', 'betpawa', %(n)s, %(at)s, %(at)s)",
    "core.live_snapshots": "INSERT INTO core.live_snapshots "
    "(site_country, sr_id, book, snapshot, event_id, due_at, status, reason) "
    "VALUES ('ng', %(n)s, 'betpawa', 0, %(n)s::text, %(at)s, 'missed', 'no poll')",
    "analytics.market_retention": "INSERT INTO analytics.market_retention "
    "(kickoff_date, site_country, sr_id, book, prematch_snapshot, live_snapshot, sport, tournament, home, "
    "away, kickoff, provider, prematch_captured_at, live_captured_at, market_types_prematch, "
    "market_types_kept, lines_prematch, lines_kept, selections_prematch, selections_kept, "
    "key_markets_offered, key_markets_dropped, prices_compared, prices_moved) "
    "VALUES (%(day)s, 'ng', %(n)s, 'betpawa', 'T-1', 0, 'football', 'T', 'H', 'A', %(at)s, 'sportradar', "
    "%(at)s, %(at)s, 1, 1, 1, 1, 1, 1, '{}', '{}', 1, 0)",
    "analytics.live_suspension": "INSERT INTO analytics.live_suspension "
    "(polled_at, site_country, book, status, live_events, markets, suspended, suspended_share) "
    "VALUES (%(at)s, 'ng', 'bet9ja', 'ok', 2, 10, 1, 0.1)",
    "core.event_rosters": "INSERT INTO core.event_rosters "
    "(sr_id, book, player_sr_id, name, team, first_seen_at, last_seen_at, site_country) "
    "VALUES (1, 'sportybet', %(n)s, 'Ibanez, Nicolas', '', %(at)s, %(at)s, 'ng')",
    "analytics.key_health_families": "INSERT INTO analytics.key_health_families "
    "(site_country, book, sr_id, family, hour, keyed_outcomes, competitor_priced) "
    "VALUES ('ng', 'betpawa', %(n)s, 'score 1x2', %(at)s, 3, 2)",
    "analytics.key_health_family_hours": "INSERT INTO analytics.key_health_family_hours "
    "(site_country, book, hour, family, keyed_outcomes, competitor_priced) "
    "VALUES ('ng', 'betpawa', %(at)s, 'score 1x2', %(n)s, 1)",
    "analytics.inplay_suspension": "INSERT INTO analytics.inplay_suspension "
    "(site_country, kickoff_date, book, market_family, phase, lines_observed, lines_suspended, matches, "
    "updated_at) VALUES ('ng', %(day)s, 'betpawa', 'score 1x2', 'first_half', %(n)s, 0, 1, %(at)s)",
    "core.inplay_suspension_matches": "INSERT INTO core.inplay_suspension_matches "
    "(site_country, kickoff_date, book, market_family, phase, sr_id) "
    "VALUES ('ng', %(day)s, 'betpawa', 'score 1x2', 'first_half', %(n)s)",
    "analytics.closing_prices": "INSERT INTO analytics.closing_prices "
    "(kickoff_date, site_country, sr_id, kickoff, sport, competition, market_family, market, specifier, "
    "outcome, book, closing_price, closing_at, consensus_books) "
    "VALUES (%(day)s, 'ng', %(n)s, %(at)s, 'football', 'T', 'score 1x2', 1, '', 1, 'betpawa', 1.9, "
    "%(at)s, 0)",
    "analytics.closing_price_days": "INSERT INTO analytics.closing_price_days "
    "(kickoff_date, site_country, sport, competition, market_family, book, outcomes, compared, above_fair, "
    "openings_compared, no_consensus, stale, suspended, closed, kickoff_disagrees, unreadable_price, "
    "negative_margin, gap_bins, gap_bin_counts) "
    "VALUES (%(day)s, 'ng', 'football', 'T' || %(n)s, 'score 1x2', 'betpawa', 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, "
    "0, '{}', '{}')",
}
# Hand-computed: the ages kept by each table's default (14, 28, 56 or 91 days); closing prices by kick-off
# date, 28 days: the last full ISO week (13 days back at most) and at least the two before it.
KEPT_BY_DEFAULT = {
    "core.odds_captures": {27, 1},
    "core.capture_requests": {1},
    "core.quarantine": {27, 1},
    "core.quarantined_rows": {27, 1},
    "core.scrape_metrics": {30, 27, 1},
    "core.run_failures": {30, 27, 1},
    "core.unmapped_markets": {27, 1},
    "analytics.coverage_history": {60, 30, 27, 1},
    "analytics.catalogue_changes": {60, 30, 27, 1},
    "analytics.live_coverage": {60, 30, 27, 1},
    "analytics.live_starts": {60, 30, 27, 1},
    "core.live_sightings": {60, 30, 27, 1},
    "core.live_snapshots": {60, 30, 27, 1},
    "analytics.market_retention": {60, 30, 27, 1},
    "analytics.inplay_suspension": {60, 30, 27, 1},
    "core.inplay_suspension_matches": {60, 30, 27, 1},
    "analytics.live_suspension": {27, 1},
    "core.event_rosters": {27, 1},
    "analytics.key_health_families": {27, 1},
    "analytics.key_health_family_hours": {27, 1},
    "analytics.closing_prices": {27, 1},
    "analytics.closing_price_days": {27, 1},
}


def _fill(conn: psycopg.Connection) -> None:
    for table, insert in INSERTS.items():
        for n, age in enumerate(AGES, start=1):
            day = TODAY - timedelta(days=age)
            conn.execute(insert, {"n": n, "at": datetime.combine(day, time(12), tzinfo=UTC), "day": day})
        assert _ages(conn, table) == set(AGES)


def _ages(conn: psycopg.Connection, table: str) -> set[int]:
    column = next(rule.time_column for rule in RETENTION_RULES if rule.table == table)
    rows = conn.execute(f"SELECT {column} FROM {table}").fetchall()
    days = [at if type(at) is date else at.astimezone(UTC).date() for (at,) in rows]
    return {(TODAY - day).days for day in days}


def test_every_table_that_grows_keeps_its_defaults_weeks(warehouse_conn: psycopg.Connection) -> None:
    assert {rule.table for rule in RETENTION_RULES} == set(INSERTS)
    _fill(warehouse_conn)
    done = apply_all_table_retention(warehouse_conn, today=TODAY, days=load_settings({}).retention_days())
    for table, kept in KEPT_BY_DEFAULT.items():
        assert _ages(warehouse_conn, table) == kept, table
    assert {t.table: t.deleted_rows for t in done} == {
        t: len(AGES) - len(k) for t, k in KEPT_BY_DEFAULT.items()
    }
    again = apply_all_table_retention(warehouse_conn, today=TODAY, days=load_settings({}).retention_days())
    assert all(t.deleted_rows == 0 for t in again)  # idempotent


def test_a_setting_overrides_its_tables_default(warehouse_conn: psycopg.Connection) -> None:
    _fill(warehouse_conn)
    days = load_settings({COVERAGE_HISTORY_RETENTION_VAR: "2"}).retention_days()
    apply_all_table_retention(warehouse_conn, today=TODAY, days=days)
    assert _ages(warehouse_conn, "analytics.coverage_history") == {1}
    assert _ages(warehouse_conn, "core.odds_captures") == {27, 1}


def test_old_rows_go_a_small_batch_at_a_time_until_none_is_left(warehouse_conn: psycopg.Connection) -> None:
    rule = next(rule for rule in RETENTION_RULES if rule.table == "core.odds_captures")
    at = datetime.combine(TODAY - timedelta(days=40), time(12), tzinfo=UTC)
    for n in range(1, 12):
        warehouse_conn.execute(INSERTS[rule.table], {"n": n, "at": at})
    done = apply_table_retention(warehouse_conn, rule, today=TODAY, days=28, batch_rows=3)
    assert done.deleted_rows == 11
    assert warehouse_conn.execute("SELECT count(*) FROM core.odds_captures").fetchone() == (0,)


def test_closing_prices_go_by_their_utc_kickoff_date_in_any_session_time_zone(
    warehouse_conn: psycopg.Connection,
) -> None:
    """Cutoff 2026-05-13 (seven days): the rows of the 12th go, the 13th's stay, read from a session in Tokyo
    (UTC+9), where the 13th's midnight is 15:00 UTC on the 12th."""
    warehouse_conn.execute("SET TimeZone = 'Asia/Tokyo'")
    for n, day in enumerate((date(2026, 5, 12), date(2026, 5, 13)), start=1):
        at = datetime.combine(day, time(0, 30), tzinfo=UTC)
        warehouse_conn.execute(INSERTS["analytics.closing_prices"], {"n": n, "at": at, "day": day})
    days = load_settings({CLOSING_PRICES_RETENTION_VAR: "7"}).retention_days()
    done = apply_all_table_retention(warehouse_conn, today=TODAY, days=days)
    assert _ages(warehouse_conn, "analytics.closing_prices") == {7}
    assert {t.table: t.deleted_rows for t in done}["analytics.closing_prices"] == 1


@pytest.mark.parametrize("value", ["two weeks", "0", "-3"])
def test_a_bad_setting_names_itself(value: str) -> None:
    with pytest.raises(SettingsLoadError, match=f"{COVERAGE_HISTORY_RETENTION_VAR}="):
        load_settings({COVERAGE_HISTORY_RETENTION_VAR: value})
