"""A small ``make chaos``: a few cells of the fault matrix and one kill -9 round, at test scale.

The figures are the benchmark's (benchmarks/chaos.py): nothing lost outside the faulted book, nothing lost
inside it without a recorded reason, no crashed step, no duplicate, no partial partition seen, and a killed
run's rerun equal to the reference. The module's tests share one sandbox, one migrated template and one
clean run (each only copies it), and check that every fault reached the pipeline and found something to
corrupt in the small world.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import psycopg
import pytest

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline.warehouse.migrate import migrate
from palimpsest_pipeline_tests.benchmarks import chaos
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_sandbox.config import BookBehaviour, FaultConfig, LatencyConfig, SandboxConfig
from palimpsest_sandbox.server import SandboxHandle, start_in_thread

pytestmark = pytest.mark.drill

#: Events each book lists: the smallest world where every fault below still finds its target.
SIZE = 60
DAYS = (chaos.NOW.date(), chaos.NOW.date())


@dataclass(frozen=True)
class ChaosWorld:
    """The frozen sandbox and a migrated template database the cells copy."""

    server: str
    template: str
    sandbox: SandboxHandle
    days: tuple[date, date]


@pytest.fixture(scope="module")
def world(pg_server_url: str) -> Iterator[ChaosWorld]:
    quiet = BookBehaviour(latency=LatencyConfig(median_ms=0.0, sigma=0.0), faults=FaultConfig())
    config = SandboxConfig(
        seed=11, size=SIZE, port=0, frozen_at=chaos.NOW, books={b: quiet for b in NIGERIA_BOOKS}
    )
    template = f"palimpsest_test_chaos_template_{random.randrange(1 << 30)}"
    with chaos.scratch_database(pg_server_url, template) as template_url, start_in_thread(config) as sandbox:
        migrate(template_url)
        yield ChaosWorld(pg_server_url, template, sandbox, DAYS)


@pytest.fixture(scope="module")
def clean(world: ChaosWorld) -> Iterator[chaos.CleanCapture]:
    """The truth matrix's clean run, shared: every truth cell starts from a copy of it."""
    with chaos.clean_capture(world.server, world.template, world.sandbox, world.days) as made:
        yield made


def _live_events(url: str, book: Book) -> int:
    with psycopg.connect(libpq_url(url)) as conn:
        row = conn.execute(
            "SELECT count(*) FROM core.events WHERE book = %s AND deleted_at IS NULL", (book.value,)
        ).fetchone()
    return int(row[0]) if row else 0


def _served(sandbox: SandboxHandle, book: Book, cell: str) -> int:
    """Answers the sandbox has served ``book`` with the fault of the matrix's ``cell``."""
    return sandbox.served(book, outcome="hostile_values" if cell.startswith("hostile_") else cell)


CELLS = [
    ("server_error", Book.BET9JA),
    ("truncated_json", Book.BETPAWA),
    ("hostile_nul", Book.BETPAWA),
    ("hostile_conflicting_duplicate", Book.SPORTYBET),
    ("hostile_long_text", Book.BET9JA),
    ("hostile_wrong_type", Book.BET9JA),
    ("hostile_long_digits", Book.SPORTYBET),
    ("hostile_huge_number", Book.BETWAY),
]


def test_faults_cost_only_their_book_and_a_killed_run_reruns_to_the_reference(world: ChaosWorld) -> None:
    server, template, sandbox, days = world.server, world.template, world.sandbox, world.days
    ref, reference = chaos.run_cell(server, template, sandbox, days, "reference", None, None, None)
    assert not ref.failed_steps and sum(len(v) for v in reference.odds.values()) > 1000
    cells = chaos.fault_cells(0.3)
    for name, book in CELLS:
        served_before = _served(sandbox, book, name)
        figures, _ = chaos.run_cell(server, template, sandbox, days, name, book, cells[name], reference)
        assert _served(sandbox, book, name) > served_before, figures  # the fault reached the pipeline
        assert (figures.lost_outside, figures.unexplained, figures.crashes) == (0, 0, 0), figures
        assert (figures.duplicates, figures.partial_partitions) == (0, 0), figures
    killed = chaos.real_kill(
        server, template, sandbox, days, reference, ref.wall_s / 2, "kill", random.Random(3)
    )
    assert any(step.startswith("killed in") for step in killed.failed_steps), killed
    assert (killed.lost_outside, killed.duplicates, killed.partial_partitions) == (0, 0, 0), killed
    assert killed.crashes == 0, killed


#: Each data fault of the truth matrix on one book (the books taken in turn), at test scale.
TRUTH_CELLS = [
    ("empty_answer", Book.BET9JA),
    ("shrunken_catalogue", Book.SPORTYBET),
    ("bad_list_row", Book.BETPAWA),
    ("moved_event", Book.BET9JA),
    ("oversized_body", Book.SPORTYBET),
    ("gzip_bomb", Book.BETPAWA),
    ("sport_gone_quiet", Book.SPORTYBET),
    ("bad_wrapper", Book.BET9JA),
    ("bad_wrapper", Book.BETWAY),
    ("implausible_count", Book.SPORTYBET),
]


def _truth_cells(
    world: ChaosWorld, clean: chaos.CleanCapture, names: set[str], pairs: list[tuple[str, Book]]
) -> list[chaos.TruthFigures | chaos.DriftFigures]:
    """The truth matrix's cells ``names`` (data faults on the ``pairs``) from copies of the shared clean
    run."""
    return chaos.truth_cells(
        world.server, world.template, world.sandbox, world.days, names.__contains__, pairs, clean
    )


def test_data_faults_that_used_to_lie_leave_the_tables_true(
    world: ChaosWorld, clean: chaos.CleanCapture
) -> None:
    # the clean run has what each fault could withdraw, lose or misprice: live events and prices on every book
    for book in NIGERIA_BOOKS:
        assert _live_events(clean.url, book) > 0 and any(key[0] == book.value for key in clean.state.prices)
    cells = _truth_cells(world, clean, {name for name, _ in TRUTH_CELLS}, TRUTH_CELLS)
    assert {(c.cell, c.book) for c in cells} == {(n, b.value) for n, b in TRUTH_CELLS}
    for figures in cells:
        assert figures.zero(), figures
        assert figures.faults_served > 0, figures  # the fault really reached the pipeline
        # a memory-bound cell's runs were measured, each a fresh process as the clean capture was
        assert (figures.peak_rss_mb > 0) == (figures.cell in chaos.MEMORY_BOUND_CELLS), figures
        assert not figures.over_memory(), figures
    # the quiet sport is one the book lists on the day: the cell had live events to withdraw falsely
    [quiet] = [c for c in cells if c.cell == "sport_gone_quiet"]
    assert quiet.events_at_risk > 0, quiet


def test_machine_faults_leave_the_tables_true(world: ChaosWorld, clean: chaos.CleanCapture) -> None:
    # the multi-process cell's small version is test_dead_runs' four-step run under a sweep every 0.2 s
    machine = {"postgres_restart", "clock_step_back", "concurrent_refresh"}
    cells = _truth_cells(world, clean, machine, [])
    assert {(c.cell, c.book) for c in cells} == {(n, None) for n in machine}
    for figures in cells:
        assert figures.zero(), figures
    [restart] = [c for c in cells if c.cell == "postgres_restart"]
    assert "restarted mid-capture: True" in restart.notes[0], restart
    [clock] = [c for c in cells if c.cell == "clock_step_back"]
    assert "due at the true time []" not in clock.notes[0], clock  # a tier was due: one could be left silent
    [refresh] = [c for c in cells if c.cell == "concurrent_refresh"]
    # the refresh started while the capture stored, both times; with a pool of one slot the two runs never
    # held it at once, whenever the refresh's op came to claim it (with two they may)
    one_slot, two_slots = (note.split(": ", 1)[1] for note in refresh.notes)
    assert (
        "started while the capture stored: True" in one_slot
        and "started while the capture stored: True" in two_slots
    )
    assert one_slot.endswith("both runs held the capture pool at once: False")


def test_a_payload_drift_is_alerted_and_costs_nothing_else(
    world: ChaosWorld, clean: chaos.CleanCapture
) -> None:
    """make chaos's payload_drift cell on BetPawa at test scale. Its misread prices that still reach best
    price, rank or gap (``wrong_prices_in_comparison``) are the single-book checks' to catch: none may."""
    [figures] = _truth_cells(world, clean, {"payload_drift"}, [("payload_drift", Book.BETPAWA)])
    assert isinstance(figures, chaos.DriftFigures)
    assert figures.faults_served > 0 and figures.drifted_prices > 0, figures  # the drift reached the parser
    assert (figures.rows_lost, figures.healthy_runs_failed) == (0, 0), figures
    assert figures.drift_alerted and figures.alerted_books == ["betpawa"], figures
    assert figures.suspects.get("units", 0) > 0, figures
    assert figures.wrong_prices_in_comparison == 0, figures


def test_an_archive_backfill_of_a_refused_outage_leaves_the_tables_true(
    world: ChaosWorld, clean: chaos.CleanCapture
) -> None:
    """make chaos's archive_replay_of_outage cell on SportyBet at test scale: football quiet for two runs,
    every list empty for two more, then the backfill from the archive replays them all."""
    [figures] = _truth_cells(world, clean, {chaos.REPLAY_CELL}, [(chaos.REPLAY_CELL, Book.SPORTYBET)])
    assert isinstance(figures, chaos.ReplayFigures)
    assert figures.zero(), figures
    assert figures.served_by_fault["quiet_sports"] > 0 and figures.served_by_fault["empty_answer"] > 0
    # the clean run's scrape and the four outage scrapes, the two empty ones refused as the live runs did
    assert (figures.outage_scrapes_archived, figures.scrapes_replayed) == (4, 5), figures
    assert (figures.refused_replays, figures.outage_replays_missing) == (2, 0), figures
    assert figures.peak_rss_mb > 0 and not figures.over_memory(), figures
