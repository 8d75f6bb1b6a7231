"""``palimpsest backfill --country``: one run of one site country's assets (``gh/...``) over the dates, its
books only, a book without a site there skipped with a note; a country not configured is refused naming the
configured ones."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import psycopg
import pytest
from click.testing import CliRunner

from palimpsest_pipeline.books.settings import env_var_name
from palimpsest_pipeline.cli import main
from palimpsest_pipeline.defs.automation import COUNTRY_TAG, RANGE_END_TAG, RANGE_START_TAG
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline_tests.fixtures_sandbox import SANDBOX_TEST_INSTANT
from palimpsest_sandbox import SandboxHandle

pytestmark = pytest.mark.slow

DAY = SANDBOX_TEST_INSTANT.date().isoformat()


def test_a_country_not_configured_is_refused_naming_the_configured_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PALIMPSEST_COUNTRIES", "ng,gh")
    for command in (["backfill", DAY, DAY, "--country", "ke"], ["refresh", "1", "--country", "ke"]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 2, result.output
        assert "'ke' is not a configured site country (PALIMPSEST_COUNTRIES: ng gh)" in result.output


@pytest.mark.drill
def test_a_backfill_of_ghana_runs_ghanas_assets_on_ghanas_books(
    tmp_path: Path,
    sandbox: SandboxHandle,
    warehouse_url: str,
    dagster_storage_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PALIMPSEST_", "DAGSTER_"))}
    env.update(
        PALIMPSEST_HOME=str(tmp_path / "home"),
        PALIMPSEST_DATABASE_URL=warehouse_url,
        PALIMPSEST_DAGSTER_STORAGE_URL=dagster_storage_url,
        PALIMPSEST_FIXED_NOW=SANDBOX_TEST_INSTANT.isoformat(),
        PALIMPSEST_COUNTRIES="ng,gh",
        # every edition at the sandbox's (Ghana's among them)
        **{env_var_name(book, "base_url", cc): url for (book, cc), url in sandbox.edition_urls.items()},
    )
    done = subprocess.run(
        [sys.executable, "-m", "palimpsest_pipeline.cli", "backfill", DAY, DAY, "--country", "gh"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "gh: bet9ja is not scraped there (no gh edition or not a competitor): skipped" in done.stdout
    assert f"backfilling kick-off dates {DAY} .. {DAY} of gh from the books" in done.stdout

    monkeypatch.setenv("PALIMPSEST_DAGSTER_STORAGE_URL", dagster_storage_url)  # the instance's storage
    with dg.DagsterInstance.from_config(str(tmp_path / "home" / "dagster_home")) as instance:
        (run,) = instance.get_runs()
        started = instance.all_logs(run.run_id, of_type=dg.DagsterEventType.STEP_START)
    assert (run.tags[RANGE_START_TAG], run.tags[RANGE_END_TAG], run.tags[COUNTRY_TAG]) == (DAY, DAY, "gh")
    # the run's steps are Ghana's own ops (and the report over every country): none of Nigeria's
    steps = {record.step_key for record in started}
    assert {"gh__betpawa_catalogue", "gh__betika_catalogue", "gh__odds_snapshots"} <= steps
    assert not {step for step in steps if step is not None and step.startswith("ng__")}, steps
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        asked = conn.execute(
            "SELECT book FROM core.book_runs WHERE batch_id = %s ORDER BY book", (run.run_id,)
        ).fetchall()
        countries = conn.execute("SELECT DISTINCT site_country FROM analytics.coverage").fetchall()
    # Ghana's books: BetPawa and its competitors there (competitors.toml), Betika among them
    assert asked == [("betika",), ("betpawa",), ("betway",), ("msport",), ("sportybet",)]
    assert countries == [("gh",)]
