"""0042 gives every core table (and the crosswalks and catalogue changes) the site's country without losing
a row or a figure: the previous version's warehouse, migrated to the version before 0042, holds the same
rows in every relation afterwards, each new column 'ng', NOT NULL, without a default and commented."""

from __future__ import annotations

from pathlib import Path

import psycopg

from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline.warehouse.migrate import migrate
from palimpsest_pipeline_tests.warehouse.migrations_until import (
    OPEN_PRICES_ONLY,
    migrations_before,
    relation_figures,
    relations,
)
from palimpsest_pipeline_tests.warehouse.previous_version.load import previous_warehouse

MIGRATION = "0042_site_country_core"
#: The tables 0042 gives ``site_country``, written out by hand from its brief.
GAINING = (
    "core.scrape_batches",
    "core.book_runs",
    "core.quarantine",
    "core.tournaments",
    "core.events",
    "core.raw_archive",
    "core.odds_captures",
    "core.unmapped_markets",
    "core.scrape_metrics",
    "core.quarantined_rows",
    "core.odds_changes",
    "core.archive_events",
    "core.odds_current_prices",
    "core.odds_confirmed",
    "core.market_suspects",
    "core.payload_fields",
    "core.event_rosters",
    "analytics.catalogue_changes",
    "analytics.tournament_crosswalk",
    "analytics.country_crosswalk",
)
#: Tables the previous version's dump must have filled for the comparison to mean something.
FILLED = (
    "core.events",
    "core.tournaments",
    "core.odds_changes",
    "core.odds_current_prices",
    "core.raw_archive",
    "core.market_suspects",
    "core.quarantine",
    "core.unmapped_markets",
)
#: Rows of the tables the dump left empty, written in the previous version's columns.
_EMPTY_IN_DUMP = """
INSERT INTO core.market_suspects (sr_id, book, market, specifier, reason, detail, captured_at)
VALUES (41, 'bet9ja', 18, 'total=2.5', 'ladder', 'by hand', '2026-11-25 10:00Z');
INSERT INTO core.quarantine (batch_id, book, url, reason, received_at, body, body_bytes)
VALUES (NULL, 'sportybet', 'https://x/event', 'unreadable', '2026-11-25 10:00Z', 'x', 1);
INSERT INTO core.unmapped_markets (batch_id, book, market_key, outcomes)
SELECT batch_id, 'bet9ja', 'S_X', 2 FROM core.scrape_batches LIMIT 1;
"""


def test_the_previous_warehouse_keeps_every_row_and_figure_through_0042(
    pg_server_url: str, reader_password: str, tmp_path: Path
) -> None:
    with previous_warehouse(pg_server_url) as url:
        migrate(url, password=reader_password, migrations_dir=migrations_before(tmp_path, MIGRATION))
        with psycopg.connect(libpq_url(url)) as conn:
            assert conn.execute(
                "SELECT count(*) FROM core._yoyo_migration WHERE migration_id = %s", (MIGRATION,)
            ).fetchone() == (0,)
            conn.execute(_EMPTY_IN_DUMP)
            old = relations(conn)
            before = {
                relation: relation_figures(conn, relation, columns) for relation, columns in old.items()
            }
        assert all(before[table][0] > 0 for table in FILLED), {t: before[t][0] for t in FILLED}

        migrate(url, password=reader_password, migrations_dir=migrations_before(tmp_path, OPEN_PRICES_ONLY))

        with psycopg.connect(libpq_url(url)) as conn:
            new = relations(conn)
            after = {relation: relation_figures(conn, relation, columns) for relation, columns in old.items()}
            countries = {
                table: conn.execute(f"SELECT array_agg(DISTINCT site_country) FROM {table}").fetchone()[0]  # type: ignore[index]
                for table in GAINING
            }
            shape = conn.execute(
                """
                SELECT table_schema || '.' || table_name, is_nullable, column_default,
                       col_description((table_schema || '.' || table_name)::regclass, ordinal_position)
                FROM information_schema.columns
                WHERE column_name = 'site_country' AND table_schema || '.' || table_name = ANY(%s)
                """,
                (list(GAINING),),
            ).fetchall()
            unkeyed = conn.execute(
                """
                SELECT c.conrelid::regclass::text FROM pg_constraint AS c
                WHERE c.contype IN ('p', 'u') AND c.conrelid::regclass::text = ANY(%s)
                GROUP BY 1
                HAVING NOT bool_or(EXISTS (SELECT 1 FROM pg_attribute AS a WHERE a.attrelid = c.conrelid
                                           AND a.attnum = ANY(c.conkey) AND a.attname = 'site_country'))
                ORDER BY 1
                """,
                (list(GAINING),),
            ).fetchall()
    print("rows per relation, before -> after 0042:")
    for relation in sorted(old):
        print(f"  {relation}: {before[relation][0]} -> {after[relation][0]}")
    assert after == before  # every relation: the same rows, figure for figure, in its old columns
    assert set(new) == set(old)
    for table in GAINING:
        assert new[table] == [*old[table], "site_country"], table
        assert countries[table] in (["ng"], None), table  # None: a table the previous version left empty
    assert sorted(r[0] for r in shape) == sorted(GAINING)
    for table, nullable, default, comment in shape:
        assert (nullable, default) == ("NO", None), table
        assert comment, table
    # Only the batch- and run-keyed tables (a run reads one country) keep keys without the country.
    assert [r[0] for r in unkeyed] == [
        "core.book_runs",
        "core.quarantine",
        "core.quarantined_rows",
        "core.scrape_batches",
        "core.scrape_metrics",
        "core.unmapped_markets",
    ]
