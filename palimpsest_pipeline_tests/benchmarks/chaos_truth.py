"""Chaos cells where the tables must stay true: faults that used to withdraw, misprice or fail healthy work.

Part of the chaos benchmark (chaos.py). A data cell starts from a database holding a clean run of the pipeline
(the frozen sandbox's truth), turns one fault on for one book, runs the pipeline twice (a withdrawal needs two
consecutive misses), and compares what a reader sees with the clean run. Machine cells (a racing refresh, a
Postgres restart, a clock step back, a multi-process run under the dead-run sweep) report the same figures.
Every figure must be zero:

- ``false_withdrawals``: events live in the clean run that the faulted runs withdrew (none was withdrawn);
- ``wrong_current_prices``: current prices (or states) that differ from the clean run's for the same outcome;
- ``rows_lost``: events or current prices of the clean run that a reader no longer sees at all;
- ``healthy_runs_failed``: steps or runs failed that nothing made fail (the faulted book's own catalogue step
  may fail; nothing else);
- ``unexpected_status``: runs of the faulted book recording another status than the cell's fault calls for
  (``EXPECTED_STATUSES``: a list past any real one refused as ``suspect``, a bad wrapper never ``failed``);
- ``requests_past_bound``: list requests the faulted book was sent past the bound every list is read within
  (``implausible_count``: ``books.adapter.MAX_LIST_PAGES`` per sport and run, whatever the book announces).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy.engine import make_url

from palimpsest_pipeline.books.adapter import MAX_LIST_PAGES
from palimpsest_pipeline.books.sports import SPORTS
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.warehouse.config import create_database, libpq_url, with_database
from palimpsest_pipeline.warehouse.embedded.server import (
    ensure_embedded_server,
    remove_embedded_server,
    stop_embedded_server,
)
from palimpsest_pipeline_tests.fixtures_pg import drop_database
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_sandbox import answer_faults
from palimpsest_sandbox.config import FaultConfig
from palimpsest_sandbox.server import SandboxHandle

#: Data cells: the sandbox fault each turns on (FaultConfig fields), at every request it applies to.
DATA_FAULTS: dict[str, dict[str, Any]] = {
    "empty_answer": {"empty_answer": 1.0},
    "shrunken_catalogue": {"shrunken_catalogue": 1.0},
    "bad_list_row": {"bad_list_row": 1.0},
    "moved_event": {"moved_event": 1.0},
    "oversized_body": {"oversized_body": 1.0},
    "gzip_bomb": {"gzip_bomb": 1.0},
    # one sport's lists answer empty while the catalogue announces it; two runs: twice in a row. The sport:
    # the book's smallest with live events in the clean run (quiet_sport_at_risk), so some are at risk
    "sport_gone_quiet": {"quiet_sports": []},
    "bad_wrapper": {"bad_wrapper": 1.0},
    # every list announces more than any real one (the 4.1 x 10^9: SportyBet's totalNum, BetPawa's
    # and Bet9ja's catalogue counts); MSport's cursor never ends, Betway's first region lists 5,000 leagues
    "implausible_count": {"implausible_count": 1.0, "announced_count": 4_100_000_000},
    # a 40 kB run of digits in one name of every answer: the grammar's patterns linear, the names capped
    "hostile_long_digits": {"hostile_values": 1.0, "hostile_kind": "long_digits"},
    # the client's step-by-step zstd and stacked decoding, once the sandbox serves those bombs
    **{
        bomb: {bomb: 1.0}
        for bomb in ("zstd_bomb", "stacked_encoding_bomb")
        if bomb in FaultConfig.model_fields
    },
}
#: Data cells that apply only to some books (BetPawa's lists have no named wrapper).
CELL_BOOKS: dict[str, tuple[Book, ...]] = {
    "bad_wrapper": (Book.SPORTYBET, Book.BET9JA, Book.MSPORT, Book.BETWAY)
}
#: The statuses a cell's runs must record for the faulted book (``core.book_runs``).
EXPECTED_STATUSES: dict[str, frozenset[str]] = {
    "implausible_count": frozenset({"suspect"}),
    "bad_wrapper": frozenset({"ok", "partial"}),
}
#: The list requests one run may send one sport's list in a cell of a bounded list: its pages, and the few
#: that confirm its end.
LIST_REQUESTS_PER_SPORT = MAX_LIST_PAGES + 2
#: Cells whose faulted book's list requests are held to ``LIST_REQUESTS_PER_SPORT``.
BOUNDED_CELLS = frozenset({"implausible_count"})
#: A cell's peak memory may be at most this many times the clean capture's...
MAX_MEMORY_RATIO = 1.5
#: ...in the cells whose fault is a bomb or a hostile answer the pipeline must not hold whole. Not in
#: oversized_body: the sandbox, inside the measured process, builds its tens of megabytes itself.
MEMORY_BOUND_CELLS = frozenset(
    {
        "gzip_bomb",
        "zstd_bomb",
        "stacked_encoding_bomb",
        "sport_gone_quiet",
        "bad_wrapper",
        "hostile_long_digits",
        "implausible_count",
    }
)
MACHINE_CELLS = ("concurrent_refresh", "postgres_restart", "clock_step_back", "live_multiprocess_run")


@dataclass
class TruthFigures:
    """One cell of the truth matrix: the four figures the issue names, and what explains a step failure."""

    cell: str
    book: str | None
    false_withdrawals: int = 0
    wrong_current_prices: int = 0
    rows_lost: int = 0
    healthy_runs_failed: int = 0
    unexpected_status: int = 0
    requests_past_bound: int = 0
    failed_steps: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: data cells: how many answers the sandbox served with the cell's fault (a cell whose fault never fired
    #: tested nothing)
    faults_served: int = 0
    #: cells whose fault takes a part of the book's catalogue (sport_gone_quiet: the quiet sport's): the clean
    #: run's live events in that part, which the cell must not withdraw (none: the cell tested nothing)
    events_at_risk: int = 0
    #: the faulted book's runs in the cell: their statuses, and the list requests it was sent
    statuses: list[str] = field(default_factory=list)
    list_requests: int = 0
    #: memory-bound cells: peak RSS of the runs' processes, each run a fresh process (chaos_memory.py), and
    #: its ratio to the clean capture's, measured alike
    peak_rss_mb: float = 0.0
    memory_ratio: float = 0.0
    wall_s: float = 0.0

    def zero(self) -> bool:
        """The tables stayed true (memory is judged apart: :meth:`over_memory`, in ``make chaos``'s ok)."""
        return not (
            self.false_withdrawals
            or self.wrong_current_prices
            or self.rows_lost
            or self.healthy_runs_failed
            or self.unexpected_status
            or self.requests_past_bound
        )

    def over_memory(self) -> bool:
        return self.cell in MEMORY_BOUND_CELLS and self.memory_ratio > MAX_MEMORY_RATIO

    def measure_memory(self, peak_mb: float, clean_peak_mb: float) -> None:
        self.peak_rss_mb = peak_mb
        self.memory_ratio = round(peak_mb / clean_peak_mb, 2) if clean_peak_mb else 0.0


@dataclass(frozen=True)
class TruthState:
    """What a reader sees: live and withdrawn events per book, and each outcome's current price and state."""

    live: dict[str, set[str]]
    withdrawn: dict[str, set[str]]
    prices: dict[tuple[str, int, str, str, str], tuple[Any, str]]
    #: (book, event id) -> sport, of every event
    sports: dict[tuple[str, str], str] = field(default_factory=dict)


def read_truth_state(url: str) -> TruthState:
    live: dict[str, set[str]] = {b.value: set() for b in NIGERIA_BOOKS}
    withdrawn: dict[str, set[str]] = {b.value: set() for b in NIGERIA_BOOKS}
    sports: dict[tuple[str, str], str] = {}
    with psycopg.connect(libpq_url(url)) as conn:
        for book, event_id, deleted, sport in conn.execute(
            "SELECT book, event_id, deleted_at IS NOT NULL, sport FROM core.events"
        ):
            (withdrawn if deleted else live)[book].add(event_id)
            sports[book, event_id] = sport
        prices = {
            (book, int(sr_id), market, specifier, outcome): (price, state)
            for book, sr_id, market, specifier, outcome, price, state in conn.execute(
                "SELECT book, sr_id, market, specifier, outcome, price, state FROM core.odds_current"
            )
        }
    return TruthState(live, withdrawn, prices, sports)


def quiet_sport_at_risk(clean: TruthState, book: Book) -> tuple[str | None, int]:
    """The sport ``sport_gone_quiet`` quiets on ``book``: of the sports with live events in the clean run, the
    one with the fewest (ties by name), and how many it has; (None, 0) for a book with none."""
    counts = Counter(clean.sports[book.value, event_id] for event_id in clean.live[book.value])
    if not counts:
        return None, 0
    sport, at_risk = min(counts.items(), key=lambda item: (item[1], item[0]))
    return sport, at_risk


def compare_truth(clean: TruthState, seen: TruthState, figures: TruthFigures) -> None:
    """Fill ``figures`` with what ``seen`` says falsely or lost against the ``clean`` run."""
    for book in clean.live:
        figures.false_withdrawals += len(clean.live[book] & seen.withdrawn[book])
        figures.rows_lost += len(clean.live[book] - seen.live[book] - seen.withdrawn[book])
    for key, (price, state) in clean.prices.items():
        got = seen.prices.get(key)
        if got is None:
            figures.rows_lost += 1
        elif got != (price, state):
            figures.wrong_current_prices += 1
            if figures.wrong_current_prices <= 3:  # a few, to show where to look
                figures.notes.append(f"wrong current price {key}: {got}, clean {(price, state)}")


def run_data_cell(
    name: str,
    book: Book,
    sandbox: SandboxHandle,
    clean_copy: Callable[[], AbstractContextManager[str]],
    run_pipeline: Callable[[str, int], list[str]],
    clean: TruthState,
    clean_peak_mb: float = 0.0,
    peak_mb: Callable[[], float] | None = None,
) -> TruthFigures:
    """One data cell: ``clean_copy()`` gives a copy of the clean run's database; ``run_pipeline(url, n)`` runs
    the pipeline the ``n``-th time after the clean run (its clock ``n`` minutes later) and returns its failed
    steps. ``peak_mb()``, when given, is the peak RSS of the runs since its last call (chaos_memory.py),
    measured against the clean capture's ``clean_peak_mb``."""
    figures = TruthFigures(name, book.value)
    started = time.monotonic()
    fault = next(iter(DATA_FAULTS[name]))  # the FaultConfig field: the sandbox counts what it served by it
    settings = dict(DATA_FAULTS[name])
    if name == "sport_gone_quiet":
        sport, figures.events_at_risk = quiet_sport_at_risk(clean, book)
        settings["quiet_sports"] = [sport] if sport else []
        figures.notes.append(f"{sport or 'no sport'} quiet: {figures.events_at_risk} live events at risk")
    previous = sandbox.set_faults(book, FaultConfig(**settings))
    served_before = served_where_it_applies(sandbox, book, fault)
    lists_before = list_requests(sandbox, book)
    if peak_mb is not None:
        peak_mb()  # what ran before the cell is not the cell's
    try:
        with clean_copy() as url:
            runs_before = book_runs(url, book)
            for n in (1, 2):
                figures.failed_steps += run_pipeline(url, n)
            seen = read_truth_state(url)
            figures.statuses = [s for batch, s in book_runs(url, book).items() if batch not in runs_before]
    finally:
        sandbox.set_behaviour(book, previous)
    figures.faults_served = served_where_it_applies(sandbox, book, fault) - served_before
    figures.list_requests = list_requests(sandbox, book) - lists_before
    if name in BOUNDED_CELLS:
        allowed = 2 * len(SPORTS) * LIST_REQUESTS_PER_SPORT
        figures.requests_past_bound = max(0, figures.list_requests - allowed)
        figures.notes.append(f"{figures.list_requests} list requests in two runs (bound {allowed})")
    if name in EXPECTED_STATUSES:
        figures.unexpected_status = sum(s not in EXPECTED_STATUSES[name] for s in figures.statuses)
    if peak_mb is not None:
        figures.measure_memory(peak_mb(), clean_peak_mb)
    own = f"ng__{book.value}_catalogue"  # the faulted book's Nigerian catalogue: the one step it may fail
    figures.healthy_runs_failed = sum(1 for step in figures.failed_steps if step != own)
    compare_truth(clean, seen, figures)
    figures.wall_s = round(time.monotonic() - started, 1)
    return figures


def book_runs(url: str, book: Book) -> dict[str, str]:
    """Each catalogue run of ``book`` recorded in ``url``'s warehouse: batch id -> its status, ``suspect``
    for a run refused as one (stored as ``failed``, its first message saying why)."""
    with psycopg.connect(libpq_url(url)) as conn:
        rows = conn.execute(
            "SELECT batch_id, status, error_messages FROM core.book_runs WHERE book = %s", (book.value,)
        )
        return {
            batch: "suspect" if any(str(m).startswith("suspect:") for m in messages or ()) else status
            for batch, status, messages in rows
        }


def list_requests(sandbox: SandboxHandle, book: Book) -> int:
    """How many requests the sandbox has answered ``book`` on its list endpoints (pages, groups, leagues)."""
    return sum(sandbox.served(book, endpoint) for endpoint in answer_faults.LIST_ENDPOINTS)


def served_where_it_applies(sandbox: SandboxHandle, book: Book, fault: str) -> int:
    """How many answers the sandbox has served ``book`` with ``fault``, on the endpoints it applies to."""
    endpoints = (
        answer_faults.LIST_ENDPOINTS
        | answer_faults.DETAIL_ENDPOINTS
        | answer_faults.WRAPPER_ENDPOINTS
        | answer_faults.COUNT_ENDPOINTS
    )
    return sum(
        sandbox.served(book, endpoint, fault)
        for endpoint in endpoints
        if fault == "hostile_values" or answer_faults.applies(fault, endpoint)  # any answer may carry one
    )


def run_postgres_restart(
    migrate_into: Callable[[str], None],
    run_pipeline: Callable[[str, int], list[str]],
    home: Path,
) -> TruthFigures:
    """The warehouse's server restarted in the middle of a capture, on a private embedded server in ``home``:
    the interrupted run may fail (its note says where), the next run must bring every table back to the
    clean run's truth with nothing withdrawn, lost or mispriced."""
    figures = TruthFigures("postgres_restart", None)
    started = time.monotonic()
    server = ensure_embedded_server(home)
    try:
        cell_url = with_database(server, "palimpsest_chaos_restart")
        drop_database(server, database_of(cell_url))
        create_database(server, database_of(cell_url))
        migrate_into(cell_url)
        if failed := run_pipeline(cell_url, 0):
            figures.notes.append(f"clean run failed: {failed}")
        clean = read_truth_state(cell_url)
        interrupted: list[str] = []
        runner = threading.Thread(target=lambda: interrupted.extend(run_pipeline(cell_url, 1)))
        runner.start()
        restarted = _restart_once_capturing(home, cell_url, runner)
        runner.join()
        figures.notes.append(
            f"restarted mid-capture: {restarted}; the interrupted run's failed steps: {interrupted or 'none'}"
        )
        figures.failed_steps = run_pipeline(cell_url, 2)
        figures.healthy_runs_failed = len(figures.failed_steps)
        compare_truth(clean, read_truth_state(cell_url), figures)
    finally:
        stop_embedded_server(home)
        remove_embedded_server(home)
    figures.wall_s = round(time.monotonic() - started, 1)
    return figures


def _restart_once_capturing(home: Path, url: str, runner: threading.Thread) -> bool:
    """Restart the server as soon as the run has stored its first capture of this run; False when the run
    ended first."""
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        (before,) = conn.execute("SELECT count(*) FROM core.odds_captures").fetchone() or (0,)
        while runner.is_alive():
            (now,) = conn.execute("SELECT count(*) FROM core.odds_captures").fetchone() or (0,)
            if now > before:
                break
            time.sleep(0.05)
        else:
            return False
    stop_embedded_server(home)
    ensure_embedded_server(home)
    return True


def database_of(url: str) -> str:
    return make_url(url).database or ""
