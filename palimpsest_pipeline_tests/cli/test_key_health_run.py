"""Key health end to end: a real capture run against the sandbox fills analytics.key_health, and the demo's
summary, the report's table and the keys_drift alert read it.

Expectations come from the stored captures themselves (core.odds_captures of the run, summed here in Python),
never from the readers under test. The sandbox's payloads read right: with no baseline, then with a week that
read as the run did, keys_drift stays quiet on every book (a drift is driven by rows in test_keys_drift.py).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, timedelta
from pathlib import Path

import dagster as dg
import psycopg
import pytest

from palimpsest_pipeline.alerts.evaluate import evaluate_alerts
from palimpsest_pipeline.alerts.settings import AlertSettings
from palimpsest_pipeline.definitions import ALL_ASSETS
from palimpsest_pipeline.defs.resources import WarehouseResource
from palimpsest_pipeline.partition_keys import partition_key
from palimpsest_pipeline.report.build import build_report
from palimpsest_pipeline.summary import read_key_health
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline_tests.defs.conftest import pipeline_resources
from palimpsest_pipeline_tests.fixtures_sandbox import SANDBOX_TEST_INSTANT
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS

__all__ = ["pipeline_resources"]

pytestmark = pytest.mark.slow

DAY = (SANDBOX_TEST_INSTANT + timedelta(days=1)).date()
#: Nigeria's catalogues, matching and odds capture (the ops' names carry the country).
CAPTURE_STEPS = {
    *(f"ng__{book.value}_catalogue" for book in NIGERIA_BOOKS),
    "ng__matched_events",
    "ng__odds_snapshots",
}


def test_a_capture_run_shows_in_the_summary_the_report_and_the_drift_alert(
    pipeline_resources: dict[str, object], warehouse_url: str, tmp_path: Path
) -> None:
    steps = [asset for asset in ALL_ASSETS if asset.op.name in CAPTURE_STEPS]
    assert len(steps) == len(CAPTURE_STEPS)
    run = dg.materialize(
        steps,
        resources=pipeline_resources,
        tags={
            "dagster/asset_partition_range_start": partition_key(DAY),
            "dagster/asset_partition_range_end": partition_key(DAY),
        },
    )
    assert run.success
    with psycopg.connect(libpq_url(warehouse_url), autocommit=True) as conn:
        captures = conn.execute(
            "SELECT book, captured_at, open_outcomes, mapped_outcomes, set_aside_outcomes, suspect_outcomes"
            " FROM core.odds_captures WHERE batch_id = %s AND status = 'ok'",
            (run.run_id,),
        ).fetchall()
        per_book: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
        for book, _, opened, keyed, set_aside, suspect in captures:
            for place, value in enumerate((1, opened, keyed, set_aside, suspect)):
                per_book[book][place] += value
        assert set(per_book) == {book.value for book in NIGERIA_BOOKS}

        # the demo's summary: each book's captures and shares of the run
        for health in read_key_health(conn, run.run_id, [book.value for book in NIGERIA_BOOKS]):
            count, opened, keyed, set_aside, suspect = per_book[health.book]
            assert (health.captures, health.open_outcomes) == (count, opened)
            assert health.keyed_share == pytest.approx(keyed / opened)
            assert health.set_aside_share == pytest.approx(set_aside / opened)
            assert health.suspect_share == pytest.approx(suspect / keyed)

        # the report: a table row per book for the run's hour (every capture of a run falls in one or two)
        hours = sorted({captured_at.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
                        for _, captured_at, *_ in captures})  # fmt: skip
        built = build_report(conn, DAY, DAY, tmp_path / "report.html")
        page = (tmp_path / "report.html").read_text()
        table = page.split('data-table="key_health"')[1].split("</section>")[0]
        for book, (_, opened, keyed, _, _) in per_book.items():
            assert f"<td>{book}</td>" in table
            if len(hours) == 1:  # one hour: the table's keyed share is the run's
                assert f"<td>{book}</td><td>{hours[0]:%Y-%m-%d %H:%M}</td>" in table.replace("\n", "")
                assert f"<td>{round(100 * keyed / opened, 1):g}</td>" in table
        assert (
            built.drawn >= 1
        )  # the key-health chart at least: an hour of a day's captures holds 200 outcomes

        # no baseline yet: nothing fires
        settings = AlertSettings(keys_drift_points=5)
        connect = WarehouseResource(database_url=warehouse_url).connect
        latest = hours[-1] + timedelta(minutes=59)
        evaluate_alerts(connect, settings, [], latest)
        assert _drift(conn) == {}

        # a week before that read as the run did (each book's keyed and suspect counts): still nothing
        for book, (_, opened, keyed, set_aside, suspect) in per_book.items():
            for hours_before in range(1, 7 * 24 + 1):
                conn.execute(
                    "INSERT INTO analytics.key_health (site_country, book, hour, captures, open_outcomes, "
                    "keyed_outcomes, set_aside_outcomes, suspect_outcomes, keyed_share, set_aside_share, "
                    "suspect_share) VALUES ('ng', %s, %s, 1, %s, %s, %s, %s, %s, %s, %s)",
                    (book, hours[0] - timedelta(hours=hours_before), opened, keyed, set_aside, suspect,
                     keyed / opened, set_aside / opened, suspect / keyed),
                )  # fmt: skip
        evaluate_alerts(connect, settings, [], latest)
        assert _drift(conn) == {}
        judged = conn.execute(
            "SELECT count(*) FROM analytics.alert_conditions WHERE rule = 'keys_drift'"
        ).fetchone()
        assert judged == (0,)


def _drift(conn: psycopg.Connection) -> dict[str, tuple[str, str]]:
    rows = conn.execute(
        "SELECT subject, title, body FROM analytics.alerts WHERE rule = 'keys_drift'"
    ).fetchall()
    return {subject: (title, body) for subject, title, body in rows}
