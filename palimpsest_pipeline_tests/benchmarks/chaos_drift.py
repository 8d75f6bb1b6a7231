"""The ``payload_drift`` chaos cell: a book's event details switch to a shape the parsers do not expect.

Part of the chaos benchmark (chaos.py), beside the truth matrix (chaos_truth.py). From a copy of the clean
run's database, the sandbox serves one book's details as ``bare_quarter_lines`` (sandbox/payload_drift.py:
every line in quarter units and only in the book's line field, so the parser keys each line at four times its
value), and the pipeline runs twice with its clock an hour after the clean run's. Captures are stamped
with the wall clock, so the copy's clean captures are first moved back an hour (``backdate_captures``):
the clean hour is the book's key-health baseline. The sandbox's own clock stays frozen, so every price
served is the clean run's, under keys read wrong. Figures (``ok`` needs the first three zero, the last
true):

- ``wrong_prices_in_comparison``: prices of the drifted book in ``analytics.outcome_prices`` that differ from
  the clean run's (a key the clean run did not have, or another price) and still take part in best price,
  rank and gap (not suspect, not stale);
- ``rows_lost``: events or current prices of the clean run that a reader no longer sees at all;
- ``healthy_runs_failed``: steps failed (nothing here may fail one);
- ``drift_alerted``: ``alerts.rules.find`` just after the runs (the captures' own clock) finds
  ``keys_drift`` for the drifted book and for no other.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Final

import psycopg

from palimpsest_pipeline.alerts import keys_drift
from palimpsest_pipeline.alerts.rules import find
from palimpsest_pipeline.alerts.settings import AlertSettings
from palimpsest_pipeline.records import DEFAULT_SITE_COUNTRY, Book
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline.warehouse.key_health import refresh_key_health
from palimpsest_pipeline_tests.benchmarks.chaos_truth import TruthState, read_truth_state
from palimpsest_sandbox import answer_faults
from palimpsest_sandbox.config import PayloadDrift
from palimpsest_sandbox.server import SandboxHandle

CELL = "payload_drift"
SHAPE: Final = "bare_quarter_lines"
#: The drifted runs' clocks, in minutes after the clean run's (an hour later, as the drill).
RUN_MINUTES = (61, 62)
#: How far back the clean run's captures are moved (:func:`backdate_captures`).
BACKDATE = timedelta(hours=1)


@dataclass
class DriftFigures:
    """The payload_drift cell of one book: the four figures ``ok`` reads, and what explains them."""

    cell: str
    book: str
    wrong_prices_in_comparison: int = 0
    rows_lost: int = 0
    healthy_runs_failed: int = 0
    drift_alerted: bool = False
    #: the drifted book's current prices that differ from the clean run's (misread keys, and the clean
    #: keys the drift closed): what the checks had to keep out of the comparison
    drifted_prices: int = 0
    #: of the drifted book's prices in the comparison that differ from the clean run's, those left out as
    #: suspect (or stale)
    left_out: int = 0
    #: the drifted book's suspect markets after the drift, per reason (core.market_suspects)
    suspects: dict[str, int] = field(default_factory=dict)
    #: books keys_drift names, and the drifted book's alert (title, example)
    alerted_books: list[str] = field(default_factory=list)
    alert: list[str] = field(default_factory=list)
    failed_steps: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: event details the sandbox served the book while the drift was in force
    faults_served: int = 0
    wall_s: float = 0.0

    def zero(self) -> bool:
        return (
            not (self.wrong_prices_in_comparison or self.rows_lost or self.healthy_runs_failed)
            and self.drift_alerted
        )


def backdate_captures(url: str, by: timedelta = BACKDATE) -> None:
    """Move every capture stored in ``url`` back ``by`` and recompute ``analytics.key_health`` from them.

    The capture account stamps a capture with the moment its book was asked (the wall clock, not the
    pipeline's ClockResource), so runs minutes apart share an hour of key health. Moving the clean run's
    captures back an hour makes its hour the baseline the next hour is judged against, as keys_drift judges
    a payload that drifted an hour after a clean one."""
    with psycopg.connect(libpq_url(url)) as conn:
        conn.execute("UPDATE core.odds_captures SET captured_at = captured_at - %s", (by,))
        conn.execute("DELETE FROM analytics.key_health")
        touched = conn.execute("SELECT site_country, book, captured_at FROM core.odds_captures").fetchall()
        refresh_key_health(conn, touched)


def run_payload_drift_cell(
    book: Book,
    sandbox: SandboxHandle,
    clean_copy: Callable[[], AbstractContextManager[str]],
    run_pipeline: Callable[[str, int], list[str]],
    clean: TruthState,
) -> DriftFigures:
    """The cell on ``book``: ``clean_copy()`` gives a copy of the clean run's database (its captures moved
    back an hour here, :func:`backdate_captures`); ``run_pipeline(url, n)`` runs the pipeline with its clock
    ``n`` minutes after the clean run's and returns its failed steps."""
    figures = DriftFigures(CELL, book.value)
    started = time.monotonic()
    previous = sandbox.set_payload_drift(book, PayloadDrift(shape=SHAPE))
    served_before = _details_served(sandbox, book)
    try:
        with clean_copy() as url:
            backdate_captures(url)
            for n in RUN_MINUTES:
                figures.failed_steps += run_pipeline(url, n)
            seen = read_truth_state(url)
            with psycopg.connect(libpq_url(url)) as conn:
                _compare_comparison(conn, book, clean, figures)
                figures.suspects = _suspects(conn, book)
                _alerted(conn, book, datetime.now(UTC), figures)
    finally:
        sandbox.set_behaviour(book, previous)
    figures.faults_served = _details_served(sandbox, book) - served_before
    figures.healthy_runs_failed = len(figures.failed_steps)
    _lost_and_drifted(clean, seen, book, figures)
    figures.wall_s = round(time.monotonic() - started, 1)
    return figures


def _details_served(sandbox: SandboxHandle, book: Book) -> int:
    return sum(sandbox.served(book, endpoint) for endpoint in answer_faults.DETAIL_ENDPOINTS)


def _lost_and_drifted(clean: TruthState, seen: TruthState, book: Book, figures: DriftFigures) -> None:
    """Rows of the clean run a reader no longer sees (a drifted price is closed, not lost), the drifted book's
    prices that moved, and any other book's price that moved (a note: the drift must cost its book only)."""
    elsewhere = 0
    for name in clean.live:
        figures.rows_lost += len(clean.live[name] - seen.live[name] - seen.withdrawn[name])
    for key, truth in clean.prices.items():
        got = seen.prices.get(key)
        if got is None:
            figures.rows_lost += 1
        elif got != truth:
            figures.drifted_prices += key[0] == book.value
            elsewhere += key[0] != book.value
    figures.drifted_prices += sum(
        1 for key in seen.prices.keys() - clean.prices.keys() if key[0] == book.value
    )
    figures.notes.append(f"other books' current prices changed: {elsewhere}")


def _compare_comparison(
    conn: psycopg.Connection, book: Book, clean: TruthState, figures: DriftFigures
) -> None:
    """The drifted book's prices in the comparison that are not the clean run's: counted wrong where they
    take part in best price, rank and gap, else left out."""
    rows = conn.execute(
        "SELECT sr_id, market, specifier, outcome, price, coalesce(stale, false) OR coalesce(suspect, false) "
        "FROM analytics.outcome_prices WHERE book = %s AND price IS NOT NULL",
        (book.value,),
    ).fetchall()
    for sr_id, market, specifier, outcome, value, left_out in rows:
        truth = clean.prices.get((book.value, sr_id, market, specifier, outcome))
        if truth == (value, "open"):
            continue
        if left_out:
            figures.left_out += 1
        else:
            figures.wrong_prices_in_comparison += 1
            if len(figures.notes) < 5:
                figures.notes.append(
                    f"in the comparison: sr {sr_id} market {market} {specifier!r} outcome {outcome} at "
                    f"{value} (clean: {truth})"
                )


def _suspects(conn: psycopg.Connection, book: Book) -> dict[str, int]:
    return {
        reason: count
        for reason, count in conn.execute(
            "SELECT reason, count(*) FROM core.market_suspects WHERE book = %s "
            "GROUP BY reason ORDER BY reason",
            (book.value,),
        )
    }


def _alerted(conn: psycopg.Connection, book: Book, now: datetime, figures: DriftFigures) -> None:
    findings = find(conn, AlertSettings(), now)
    drifts = [f for f in findings if f.rule == keys_drift.RULE]
    figures.alerted_books = sorted(f.details["book"] for f in drifts)
    subject = f"{DEFAULT_SITE_COUNTRY}:{book.value}"
    figures.drift_alerted = [f.subject for f in drifts] == [subject]
    for found in drifts:
        if found.subject == subject:
            figures.alert = [found.title, str(found.details.get("example", ""))]
