"""The baseline: a fresh warehouse gets from it the schema the replaced migrations built; a warehouse
through some or all of them finishes them and is marked at the baseline, every row kept; one that cannot is
refused."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest

from palimpsest_pipeline.warehouse.config import (
    create_database,
    libpq_url,
    with_database,
)
from palimpsest_pipeline.warehouse.embedded.binaries import wheel_bin_dir
from palimpsest_pipeline.warehouse.migrate import migrate
from palimpsest_pipeline.warehouse.schema_migrations import (
    MIGRATIONS_DIR,
    MigrationError,
)
from palimpsest_pipeline_tests.fixtures_pg import TEST_DB_PREFIX, drop_database
from palimpsest_pipeline_tests.warehouse.migrations_until import (
    REPLACED_DIR,
    migrations_before,
    relation_figures,
    relations,
)
from palimpsest_pipeline_tests.warehouse.previous_version.load import previous_warehouse

BASELINE = "0046_baseline"
REPLACED = sorted(path.stem for path in REPLACED_DIR.glob("*.sql"))
#: The migrations written after the baseline, and what a warehouse at the head has recorded.
AFTER = sorted(path.stem for path in MIGRATIONS_DIR.glob("*.sql") if path.stem > BASELINE)
HEAD = [BASELINE, *AFTER]
#: A migration written after the last one, as the next one will be.
NEXT = f"{int(HEAD[-1][:4]) + 1:04d}_probe"


def _declared_replaced() -> list[str]:
    """The ids the baseline's ``-- replaces:`` lines name, read as a reader of the file would."""
    lines = (MIGRATIONS_DIR / f"{BASELINE}.sql").read_text().splitlines()
    return sorted(
        i for line in lines if line.startswith("-- replaces:") for i in line.split(":", 1)[1].split()
    )


def _schema(url: str) -> str:
    """pg_dump's account of every object, grant and comment of the database (no rows)."""
    dumped = subprocess.run(
        [str(wheel_bin_dir() / "pg_dump"), "--schema-only", "--dbname", libpq_url(url)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return "\n".join(line for line in dumped.splitlines() if not line.startswith("\\"))


def _tables(conn: psycopg.Connection) -> set[str]:
    """The tables of core and analytics (partitioned parents, not their partitions) but yoyo's."""
    rows = conn.execute(
        "SELECT n.nspname || '.' || c.relname"
        " FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace"
        " WHERE n.nspname IN ('core', 'analytics') AND c.relkind IN ('r', 'p') AND NOT c.relispartition"
        " AND c.relname NOT LIKE '%yoyo%'"
    ).fetchall()
    return {row[0] for row in rows}


def _figures(url: str) -> dict[str, tuple[int, str | None]]:
    """Row count and digest of every table of core and analytics (the views read nothing else)."""
    with psycopg.connect(libpq_url(url)) as conn:
        tables = _tables(conn)
        return {
            rel: relation_figures(conn, rel, cols) for rel, cols in relations(conn).items() if rel in tables
        }


def _counts(url: str, relations: Iterable[str]) -> dict[str, int]:
    """Each relation's rows by its name, a table or a view (a later migration may make a table a view over
    others)."""
    with psycopg.connect(libpq_url(url)) as conn:
        counted = {rel: conn.execute(f"SELECT count(*) FROM {rel}").fetchone() for rel in relations}
    return {rel: int(row[0]) for rel, row in counted.items() if row is not None}


def _history(url: str) -> list[tuple[str, int]]:
    """Each recorded migration with how often it is recorded."""
    with psycopg.connect(libpq_url(url)) as conn:
        rows = conn.execute(
            "SELECT migration_id, count(*) FROM core._yoyo_migration GROUP BY 1 ORDER BY 1"
        ).fetchall()
    return [(str(i), int(n)) for i, n in rows]


def _folder(
    tmp_path: Path, name: str, extra: dict[str, str], *, replaced: bool = True, after: bool = True
) -> Path:
    """A migrations folder: the baseline, its replaced migrations (when ``replaced``), the migrations after it
    (when ``after``) and ``extra`` files."""
    folder = tmp_path / name
    folder.mkdir()
    for migration in HEAD if after else [BASELINE]:
        (folder / f"{migration}.sql").symlink_to(MIGRATIONS_DIR / f"{migration}.sql")
    if replaced:
        (folder / REPLACED_DIR.name).symlink_to(REPLACED_DIR)
    for file, text in extra.items():
        (folder / file).write_text(text)
    return folder


_PROBE = f"-- depends: {HEAD[-1]}\nCREATE TABLE core.probe (n integer PRIMARY KEY);\n"
_FAILING = f"-- depends: {HEAD[-1]}\nCREATE TABLE core.probe (n integer PRIMARY KEY);\nSELECT 1 / 0;\n"


@contextmanager
def _empty_database(server_url: str, label: str) -> Iterator[str]:
    name = f"{TEST_DB_PREFIX}{os.getpid()}_{label}"  # the pid: an orphan of a killed run is dropped
    drop_database(server_url, name)
    create_database(server_url, name)
    try:
        yield with_database(server_url, name)
    finally:
        drop_database(server_url, name)


def test_the_baseline_declares_it_replaces_the_folder_beside_it() -> None:
    assert len(REPLACED) == 41
    assert _declared_replaced() == REPLACED


def test_the_baseline_builds_what_the_replaced_migrations_built(
    pg_server_url: str, reader_password: str, warehouse_url: str
) -> None:
    """Schema (tables, columns, defaults, constraints, indexes, partitioning, views, comments, grants),
    seeded rows and sequences alike, the migrations after the baseline applied to both; the fresh warehouse
    recorded the baseline and those alone."""
    with _empty_database(pg_server_url, "replaced_only") as old:
        assert sorted(migrate(old, password=reader_password, migrations_dir=REPLACED_DIR).applied) == REPLACED
        assert migrate(old, password=reader_password).applied == tuple(AFTER)
        assert _schema(old) == _schema(warehouse_url)
        assert _figures(old) == _figures(warehouse_url)
        catalogue = (
            "SELECT schemaname, sequencename, last_value FROM pg_sequences"
            " WHERE schemaname IN ('core', 'analytics') ORDER BY 1, 2",
            "SELECT indexrelid::regclass::text, indisvalid, indisready FROM pg_index"
            " WHERE indrelid::regclass::text ~ '^(core|analytics)\\.' ORDER BY 1",
        )
        seen = []
        for url in (old, warehouse_url):
            with psycopg.connect(libpq_url(url)) as conn:
                seen.append([conn.execute(query).fetchall() for query in catalogue])
        assert seen[0] == seen[1]
        assert all(valid and ready for _, valid, ready in seen[1][1])
        assert _history(warehouse_url) == [(m, 1) for m in HEAD]


def _fill_the_tables_the_pipeline_left_empty(url: str) -> None:
    """A row or two in each table the previous version's run wrote nothing to (alerts, live gaps, ...)."""
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        conn.execute(
            """
            INSERT INTO analytics.alert_conditions (rule, subject, first_seen_at, last_seen_at, title)
            VALUES ('feed_stale', 'ng:bet9ja', '2026-05-06 10:00Z', '2026-05-06 10:05Z', 'bet9ja is stale');
            INSERT INTO analytics.alerts (alert_id, rule, subject, status, title, body, condition_since,
                                          raised_at, sent_at, suppressed_by)
            OVERRIDING SYSTEM VALUE
            VALUES (1, 'feed_stale', 'ng:bet9ja', 'sent', 't', 'b', '2026-05-06 10:00Z', '2026-05-06 10:05Z',
                    '2026-05-06 10:06Z', NULL),
                   (2, 'feed_stale', 'ng:bet9ja', 'suppressed', 't', 'b', '2026-05-06 10:00Z',
                    '2026-05-06 10:15Z', NULL, 1);
            INSERT INTO analytics.alert_deliveries (alert_id, receiver, status, attempts, sent_at)
            VALUES (1, 'slack', 'sent', 1, '2026-05-06 10:06Z');
            INSERT INTO analytics.live_coverage (sr_id, side, sport, tournament, home, away, live_on,
                                                 missing_on, since, last_seen_at, site_country)
            VALUES (68995116, 'betpawa_missing', 'Football', 'Premier League', 'A', 'B', '{sportybet}',
                    '{betpawa}', '2026-05-06 10:00Z', '2026-05-06 10:01Z', 'ng');
            INSERT INTO analytics.live_suspension (polled_at, book, status, live_events, markets, suspended,
                                                   suspended_share, site_country)
            VALUES ('2026-05-06 10:00Z', 'sportybet', 'ok', 4, 80, 8, 0.1, 'ng');
            INSERT INTO analytics.price_leadership (kickoff_date, sport, country, tournament, market, book,
                                                    moves, moves_led, led_moves_followed, moves_followed,
                                                    moves_late, median_follow_lag_minutes, moves_missed,
                                                    window_minutes, computed_at, site_country)
            VALUES ('2026-05-06', 'Football', 'England', 'Premier League', 1, 'bet9ja', 3, 1, 1, 1, 1, 4.0, 0,
                    30, '2026-05-06 10:00Z', 'ng');
            INSERT INTO analytics.stale_outcomes (kickoff_date, site_country, sr_id, sport, country,
                                                  tournament, market, specifier, outcome, price_betpawa,
                                                  betpawa_since, direction, moved_books, first_moved_at,
                                                  computed_at)
            VALUES ('2026-05-06', 'ng', 68995116, 'Football', 'England', 'Premier League', 1, '', 1, 2.1,
                    '2026-05-06 09:00Z', 'down', '{bet9ja,sportybet}', '2026-05-06 09:30Z',
                    '2026-05-06 10:00Z');
            INSERT INTO analytics.stale_outcome_prices (kickoff_date, site_country, sr_id, market, specifier,
                                                        outcome, book, price_then, price, computed_at)
            VALUES ('2026-05-06', 'ng', 68995116, 1, '', 1, 'bet9ja', 2.1, 1.9, '2026-05-06 10:00Z');
            INSERT INTO analytics.suspect_markets (kickoff_date, sr_id, market, specifier, book, reason,
                                                   implied_sum, outcomes_compared, outcomes_disagreeing,
                                                   site_country)
            VALUES ('2026-05-06', 68995116, 1, '', 'betway', 'overround', 0.9, 3, 0, 'ng');
            INSERT INTO core.run_failures (run_id, job_name, failed_at, error_message)
            VALUES ('run-1', 'capture', '2026-05-06 10:00Z', 'boom');
            INSERT INTO core.archive_dictionaries (book, kind, samples, dict, dict_bytes)
            VALUES ('betpawa', 'event', 3, '\\x0102', 2);
            INSERT INTO core.market_suspects (sr_id, book, market, specifier, reason, detail, captured_at,
                                              site_country)
            VALUES (68995116, 'bet9ja', 18, 'total=2.5', 'overround', '0.8', '2026-05-06 10:00Z', 'ng');
            INSERT INTO core.quarantine (book, url, reason, body, body_bytes, site_country)
            VALUES ('msport', '/odds', 'bad json', '\\x7b', 1, 'ng');
            INSERT INTO core.unmapped_markets (batch_id, book, market_key, outcomes, site_country)
            VALUES ('b-1', 'betway', 'corners', 3, 'ng');
            """
        )


def test_a_warehouse_through_some_or_all_replaced_migrations_upgrades_keeping_every_row(
    pg_server_url: str, reader_password: str, tmp_path: Path
) -> None:
    """The previous version's warehouse, filled by its pipeline at 0035 (events, prices, runs, rosters, ...):
    migrated to the baseline it finishes the replaced migrations exactly as they alone would, and is marked at
    the baseline; one through all of them, a row in every table, is marked and nothing else. Both then take
    the migrations after the baseline, every row kept, and a later one as a fresh warehouse does."""
    kept = ("core.events", "core.odds_current_prices", "core.book_runs", "core.event_rosters")
    at_baseline = _folder(tmp_path, "baseline", {}, after=False)
    next_folder = _folder(tmp_path, "next", {f"{NEXT}.sql": _PROBE})
    marked = [(m, 1) for m in sorted([*REPLACED, BASELINE])]
    with previous_warehouse(pg_server_url) as through, previous_warehouse(pg_server_url) as part_way:
        held = _figures(part_way)
        assert all(held[table][0] for table in kept), held  # the dump holds a filled warehouse
        migrate(through, password=reader_password, migrations_dir=REPLACED_DIR)
        report = migrate(part_way, password=reader_password, migrations_dir=at_baseline)
        assert sorted(report.applied) == [m for m in REPLACED if m >= "0036"]
        assert _history(part_way) == marked
        upgraded = _figures(part_way)
        assert upgraded == _figures(through)
        assert [upgraded[table][0] for table in kept] == [held[table][0] for table in kept]
        assert _schema(part_way) == _schema(through)

        _fill_the_tables_the_pipeline_left_empty(through)
        before = _figures(through)
        assert [table for table, (rows, _) in before.items() if not rows] == []
        assert migrate(through, password=reader_password, migrations_dir=at_baseline).applied == ()
        assert _figures(through) == before
        assert _history(through) == marked

        for url, rows in ((through, before), (part_way, upgraded)):
            assert migrate(url, password=reader_password).applied == tuple(AFTER)
            assert _counts(url, rows) == {table: n for table, (n, _) in rows.items()}
            assert _history(url) == sorted([*marked, *((m, 1) for m in AFTER)])
            assert migrate(url, password=reader_password, migrations_dir=next_folder).applied == (NEXT,)
            assert _history(url)[-1] == (NEXT, 1)
        assert _schema(part_way) == _schema(through)


def test_a_warehouse_part_way_without_the_replaced_folder_is_refused_untouched(
    pg_server_url: str, reader_password: str, tmp_path: Path
) -> None:
    with _empty_database(pg_server_url, "part_way") as url:
        migrate(url, password=reader_password, migrations_dir=migrations_before(tmp_path, "0002"))
        history, schema = _history(url), _schema(url)
        assert history == [("0001_core", 1)]
        bare = _folder(tmp_path, "bare", {}, replaced=False)
        with pytest.raises(MigrationError, match=r"0001_core.*0002_analytics_tables.*replaced"):
            migrate(url, password=reader_password, migrations_dir=bare)
        assert (_history(url), _schema(url)) == (history, schema)


def test_a_failing_migration_after_the_baseline_leaves_neither_its_work_nor_its_record(
    warehouse_url: str, reader_password: str, tmp_path: Path
) -> None:
    failing = _folder(tmp_path, "failing", {f"{NEXT}.sql": _FAILING})
    with pytest.raises(MigrationError, match=f"migration {NEXT} failed"):
        migrate(warehouse_url, password=reader_password, migrations_dir=failing)
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        assert conn.execute("SELECT to_regclass('core.probe')").fetchone() == (None,)
    assert _history(warehouse_url) == [(m, 1) for m in HEAD]


def test_a_migration_declared_outside_a_transaction_applies_statement_by_statement(
    warehouse_url: str, reader_password: str, tmp_path: Path
) -> None:
    """CREATE INDEX CONCURRENTLY runs in no transaction: such a migration is yoyo's to apply, step by step."""
    concurrent = (
        f"-- depends: {BASELINE}\n-- transactional: false\n"
        "CREATE INDEX CONCURRENTLY probe_idx ON core.books (history_code, book);\n"
    )
    folder = _folder(tmp_path, "concurrent", {f"{NEXT}.sql": concurrent})
    assert migrate(warehouse_url, password=reader_password, migrations_dir=folder).applied == (NEXT,)
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        assert conn.execute("SELECT to_regclass('core.probe_idx') IS NOT NULL").fetchone() == (True,)
    assert _history(warehouse_url) == [(m, 1) for m in [*HEAD, NEXT]]
