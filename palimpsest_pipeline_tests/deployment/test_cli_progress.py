"""The CLI shows a run's progress as it works, and Ctrl-C stops it with one line and no traceback.

The demo runs as a real subprocess with its output piped (so the plain, timestamped display is used), on the
suite's Postgres server (a fresh warehouse and Dagster database) and its own sandbox.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest

from palimpsest_pipeline.books.competitors import packaged_competitors
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline_tests.deployment.demo_live_check import check_demo_live

pytestmark = pytest.mark.drill

LINE = re.compile(r"^\[\d\d:\d\d:\d\d\] \+\s*\d+s (?P<text>.*)$")
#: The demo runs Nigeria and Ghana: each country's steps (named after it) on its own books (competitors.toml),
#: then the one report over both.
STEPS = (
    *(
        step
        for country in ("ng", "gh")
        for step in (
            *sorted(
                f"{country}__{book.value}_catalogue" for book in packaged_competitors().scraped_books(country)
            ),
            f"{country}__matched_events",
            f"{country}__coverage",
            f"{country}__odds_snapshots",
            f"{country}__odds_comparison_tables",
        )
    ),
    "traders_report",
)


def _env(tmp_path: Path, warehouse_url: str, dagster_storage_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PALIMPSEST_", "DAGSTER_"))}
    env.update(
        PALIMPSEST_HOME=str(tmp_path / "home"),
        PALIMPSEST_DATABASE_URL=warehouse_url,
        PALIMPSEST_DAGSTER_STORAGE_URL=dagster_storage_url,
    )
    return env


def _demo(*args: str) -> list[str]:
    return [sys.executable, "-m", "palimpsest_pipeline.cli", "demo", *args]


def test_the_demo_shows_each_step_and_the_stored_counts_per_book(
    tmp_path: Path, warehouse_url: str, dagster_storage_url: str
) -> None:
    # Two kick-off dates: late in the UTC day, today alone may have nothing left to kick off (the books list
    # only events not yet started), and the capture's progress line would have no event to count.
    first = datetime.now(UTC).date()  # the demo's first date, read before it starts (a run may pass midnight)
    done = subprocess.run(
        # a short leadership window: the later captures wait two windows after the first, not 40 s
        _demo("--days", "2", "--size", "80", "--window", "4"),
        env=_env(tmp_path, warehouse_url, dagster_storage_url),
        capture_output=True,
        text=True,
        timeout=480,  # a hang guard: the demo ends watching a kick-off go live
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    lines = [m.group("text") for line in done.stdout.splitlines() if (m := LINE.match(line))]
    for step in STEPS:
        assert f"{step} started" in lines, step
        assert any(line.startswith(f"{step} succeeded in ") for line in lines), step
    assert any(re.fullmatch(r"odds capture (ng|gh): \d+/\d+ events \(.*\)", line) for line in lines)
    # one line per site country the demo ran (by default Nigeria and Ghana) and book, naming both
    stored: dict[tuple[str, str], int] = {}
    for line in lines:
        if m := re.fullmatch(r"catalogue ([a-z]{2}) (\w+): ([\d,]+) events \(stored\)", line):
            stored[(m.group(1), m.group(2))] = int(m.group(3).replace(",", ""))
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        in_db = {
            (country, book): count
            for country, book, count in conn.execute(
                "SELECT site_country, book, count(*) FROM core.events "
                "WHERE kickoff_date BETWEEN %s AND %s + 1 AND deleted_at IS NULL GROUP BY book, site_country",
                (first, first),
            ).fetchall()
        }
    assert stored == in_db
    assert {country for country, _ in stored} == {"ng", "gh"} and sum(stored.values()) > 0
    assert stored[("gh", "betika")] > 0 and ("ng", "betika") not in stored  # Betika: Ghana's, not Nigeria's
    assert "Traceback" not in done.stdout + done.stderr

    # The soonest matches captured twice more as the sandbox's clock moved on: who moves first has moves to
    # judge, and the summary shows them per book as the table holds them.
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        moves: dict[str, list[int]] = {}  # per book, one figure per site country (the summary's blocks)
        for book, count in conn.execute(
            "SELECT book, sum(moves)::int FROM analytics.price_leadership GROUP BY book, site_country"
        ).fetchall():
            moves.setdefault(book, []).append(count)
        captures = conn.execute(
            "SELECT max(n) FROM (SELECT count(*) AS n FROM core.odds_captures GROUP BY sr_id, book) AS c"
        ).fetchone()
        ages = conn.execute("SELECT count(hours_listed_by_competitor) FROM analytics.to_list_now").fetchone()
    assert captures is not None and captures[0] >= 3  # the first capture and two more
    assert "a 4 s window" in done.stdout  # the summary says over what window it judged
    assert sum(map(sum, moves.values())) > 0
    shown: dict[str, list[int]] = {}
    for line in done.stdout.splitlines():
        m = re.fullmatch(r"  ([a-z0-9]+) +([\d,]+) +(\d+%|n/a) .*", line)
        if m and m.group(1) in {book.value for book in Book}:
            shown.setdefault(m.group(1), []).append(int(m.group(2).replace(",", "")))
    nonzero = {b: sorted(n for n in c if n) for b, c in shown.items()}
    assert {b: c for b, c in nonzero.items() if c} == {
        b: sorted(n for n in c if n) for b, c in moves.items() if any(c)
    }
    # one catalogue run in a fresh warehouse: no listing can say how long it was listed before
    assert ages == (0,)

    # Then the sandbox's clock moved through a kick-off while the live watch polled: the in-play block per
    # country prints what analytics.live_starts and analytics.market_retention hold, and Nigeria's starts
    # of that kick-off are the world's.
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        assert check_demo_live(done.stdout, conn, seed=7, size=80) > 0


def test_ctrl_c_stops_with_one_line_saying_what_was_kept(
    tmp_path: Path, warehouse_url: str, dagster_storage_url: str
) -> None:
    # The first test's small world: every step still takes seconds, while the signal comes at once.
    process = subprocess.Popen(
        _demo("--days", "2", "--size", "80"),
        env=_env(tmp_path, warehouse_url, dagster_storage_url),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    seen: list[str] = []
    assert process.stdout is not None
    deadline = time.monotonic() + 240
    for line in process.stdout:  # wait until one step has finished and the next is under way
        seen.append(line)
        if "catalogue succeeded" in "".join(seen) and line.rstrip().endswith("started"):
            break
        assert time.monotonic() < deadline, "".join(seen)
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C does: the whole foreground group gets it
    rest, errors = process.communicate(timeout=120)
    output = "".join(seen) + rest + errors
    assert process.returncode == 130, output[-3000:]
    interrupted = [line for line in output.splitlines() if line.startswith("interrupted:")]
    assert len(interrupted) == 1, output[-3000:]
    assert re.search(r"kept [a-z]{2}__\w+_catalogue", interrupted[0])
    assert "Traceback" not in output and "KeyboardInterrupt" not in output
    assert "Palimpsest comparison" not in output  # no summary of a run that did not finish
