"""0046 keys a run's records by the site country without losing a row: the previous version's warehouse,
migrated to the version before 0046 and given a run that read Nigeria then Ghana as that version stored it
(its batch row under Nigeria, Ghana's book runs, metrics, quarantine, unkeyed markets and events under Ghana),
holds the same rows in every relation afterwards; the batch gains Ghana's row, and each country's batch
status follows its own book runs."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import psycopg

from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline.warehouse.migrate import migrate
from palimpsest_pipeline_tests.warehouse.migrations_until import (
    migrations_before,
    relation_figures,
    relations,
)
from palimpsest_pipeline_tests.warehouse.previous_version.load import previous_warehouse

MIGRATION = "0046_run_records_per_country"
RUN = "ng-then-gh"
#: The run's batch as the previous version stored it: started, finished, trigger, first and last date.
BATCH = (
    datetime(2026, 11, 25, 10, 0, tzinfo=UTC),
    datetime(2026, 11, 25, 10, 5, tzinfo=UTC),
    "backfill:b1",
    date(2026, 11, 25),
    date(2026, 11, 26),
)
#: A run that read Nigeria's sites, then Ghana's, as the version before 0046 stored it: one batch row (the
#: first country's), Nigeria's BetPawa run, Ghana's SportyBet (ok) and MSport (failed) runs; and an earlier
#: Nigerian capture's unkeyed market (the dump has none).
_TWO_COUNTRY_RUN = f"""
INSERT INTO core.scrape_batches (batch_id, started_at, finished_at, status, trigger, partition_start,
                                 partition_end, site_country)
VALUES ('{RUN}', '2026-11-25 10:00Z', '2026-11-25 10:05Z', 'partial', 'backfill:b1', '2026-11-25',
        '2026-11-26', 'ng');
INSERT INTO core.book_runs (batch_id, book, status, complete, started_at, finished_at, site_country) VALUES
    ('{RUN}', 'betpawa', 'ok', true, '2026-11-25 10:00Z', '2026-11-25 10:01Z', 'ng'),
    ('{RUN}', 'sportybet', 'ok', true, '2026-11-25 10:03Z', '2026-11-25 10:04Z', 'gh'),
    ('{RUN}', 'msport', 'failed', false, '2026-11-25 10:03Z', '2026-11-25 10:05Z', 'gh');
INSERT INTO core.scrape_metrics (run_id, book, kind, status, started_at, finished_at, requests, attempts,
                                 failed_requests, throttled, site_country) VALUES
    ('{RUN}', 'betpawa', 'catalogue', 'ok', '2026-11-25 10:00Z', '2026-11-25 10:01Z', 9, 9, 0, 0, 'ng'),
    ('{RUN}', 'sportybet', 'catalogue', 'ok', '2026-11-25 10:03Z', '2026-11-25 10:04Z', 7, 7, 0, 0, 'gh');
INSERT INTO core.quarantine (batch_id, book, url, reason, received_at, body, body_bytes, site_country)
VALUES ('{RUN}', 'msport', 'https://x/list', 'not JSON', '2026-11-25 10:05Z', 'x', 1, 'gh');
INSERT INTO core.unmapped_markets (batch_id, book, market_key, outcomes, site_country)
VALUES ('{RUN}', 'sportybet', 'S_X', 2, 'gh'), ('an-earlier-capture', 'bet9ja', 'S_X', 3, 'ng');
INSERT INTO core.quarantined_rows (batch_id, stage, book, kind, event_id, item_key, reason, excerpt,
                                   site_country)
VALUES ('{RUN}', 'catalogue', 'sportybet', 'malformed', 'sr:match:1', 'k1', 'no kick-off', '{{}}', 'gh');
INSERT INTO core.events (book, event_id, home, away, kickoff, tournament_id, tournament_name, sport,
                         first_seen_at, last_seen_at, last_batch_id, site_country)
VALUES ('sportybet', 'sr:match:2', 'Hearts', 'Kotoko', '2026-11-26 15:00Z', 't1', 'Ghana Premier League',
        'football', '2026-11-25 10:04Z', '2026-11-25 10:04Z', '{RUN}', 'gh');
"""
#: Relations whose rows 0046 changes on purpose: the batches (Ghana's row added, statuses per country) and
#: the runs' view, which joins each run to its own country's batch.
_CHANGED = ("core.scrape_batches", "analytics.scrape_runs")
_KEYED = ("core.scrape_batches", "core.book_runs", "core.scrape_metrics", "core.unmapped_markets")


def _batches(conn: psycopg.Connection) -> set[tuple[object, ...]]:
    return set(
        conn.execute(
            "SELECT batch_id, site_country, status, started_at, finished_at, trigger, partition_start, "
            "partition_end FROM core.scrape_batches"
        ).fetchall()
    )


def _run_statuses(conn: psycopg.Connection) -> set[tuple[object, ...]]:
    return set(
        conn.execute(
            "SELECT batch_id, site_country, book, status, batch_status FROM analytics.scrape_runs"
        ).fetchall()
    )


def test_the_previous_warehouse_keeps_every_row_through_0046(
    pg_server_url: str, reader_password: str, tmp_path: Path
) -> None:
    with previous_warehouse(pg_server_url) as url:
        migrate(url, password=reader_password, migrations_dir=migrations_before(tmp_path, MIGRATION))
        with psycopg.connect(libpq_url(url)) as conn:
            conn.execute(_TWO_COUNTRY_RUN)
            old = relations(conn)
            before = {
                relation: relation_figures(conn, relation, columns) for relation, columns in old.items()
            }
            batches, runs = _batches(conn), _run_statuses(conn)
        assert all(before[table][0] > 1 for table in _KEYED), {t: before[t][0] for t in _KEYED}

        migrate(
            url,
            password=reader_password,
            migrations_dir=migrations_before(tmp_path, MIGRATION, including=True),
        )

        with psycopg.connect(libpq_url(url)) as conn:
            new = relations(conn)
            after = {relation: relation_figures(conn, relation, columns) for relation, columns in old.items()}
            batches_after, runs_after = _batches(conn), _run_statuses(conn)
            keys = dict(
                conn.execute(
                    """
                    SELECT c.conrelid::regclass::text,
                           array_agg(a.attname::text ORDER BY array_position(c.conkey, a.attnum))
                    FROM pg_constraint AS c JOIN pg_attribute AS a
                      ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey)
                    WHERE c.conrelid::regclass::text = ANY(%s)
                      AND (c.contype = 'p' OR c.conname = 'quarantined_rows_item_key')
                    GROUP BY c.oid, 1
                    """,
                    ([*_KEYED, "core.quarantined_rows"],),
                ).fetchall()
            )
    print(f"rows per relation, before -> after {MIGRATION} (the relations it keys or changes):")
    for relation in sorted({*_KEYED, *_CHANGED, "core.quarantine", "core.quarantined_rows", "core.events"}):
        print(f"  {relation}: {before[relation][0]} -> {after[relation][0]}")
    assert set(new) == set(old)
    assert all(new[relation] == old[relation] for relation in old)  # no column added or dropped
    unchanged = {relation: figures for relation, figures in before.items() if relation not in _CHANGED}
    assert {relation: after[relation] for relation in unchanged} == unchanged
    # the batches: every earlier row kept as it was but the two-country run's, which now reads Nigeria's runs
    # alone (betpawa ok: ok), and Ghana's row beside it (sportybet ok, msport failed: partial)
    run_rows = {row for row in batches if row[0] == RUN}
    assert len(run_rows) == 1 and next(iter(run_rows))[1:3] == ("ng", "partial")
    assert batches_after - batches == {(RUN, "ng", "ok", *BATCH), (RUN, "gh", "partial", *BATCH)}
    assert batches - batches_after == run_rows
    # each run joined to its own country's batch: the rows as they were, the two-country run's batch status
    # per country
    assert {row for row in runs_after if row[0] != RUN} == {row for row in runs if row[0] != RUN}
    assert {row for row in runs_after if row[0] == RUN} == {
        (RUN, "ng", "betpawa", "ok", "ok"),
        (RUN, "gh", "sportybet", "ok", "partial"),
        (RUN, "gh", "msport", "failed", "partial"),
    }
    assert keys == {
        "core.scrape_batches": ["batch_id", "site_country"],
        "core.book_runs": ["batch_id", "site_country", "book"],
        "core.scrape_metrics": ["run_id", "site_country", "book", "kind"],
        "core.unmapped_markets": ["batch_id", "site_country", "book", "market_key"],
        "core.quarantined_rows": [
            "batch_id", "site_country", "stage", "book", "kind", "sr_id", "event_id", "item_key"
        ],
    }  # fmt: skip
