"""The demo's later captures: the soonest matches captured again, the sandbox's clock moved on before each.

One capture sees no price move, so price leadership would stay empty: the demo steps the sandbox's clock
by ``STEP`` and captures again. Captures carry real send times, seconds apart, so leadership is judged over
a real-time ``WINDOW`` and the first run waits two windows (docs/price-leadership.md).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import click
import dagster as dg
import psycopg

from palimpsest_pipeline.cli.running import materialize_range_followed
from palimpsest_pipeline.cli.sandbox_process import SandboxProcess
from palimpsest_pipeline.derive.leadership import WINDOW_VARIABLE
from palimpsest_pipeline.records import DEFAULT_SITE_COUNTRY
from palimpsest_pipeline.warehouse.capture_listings import read_upcoming

#: Sandbox time between two captures: longer than Bet9ja's lag (2-5 min), about BetPawa's (7-12 min).
STEP = timedelta(minutes=10)
#: Captures after the demo's first one.
ROUNDS = 2
#: How many of the soonest matches are captured again.
MATCHES = 30
#: The later runs' leadership window by default, in real time: longer than a capture run of ``MATCHES``.
WINDOW = timedelta(seconds=20)
#: A line at least this often while the demo waits (its progress promise: one every 10 s or less).
WAIT_LINE_S = 5.0
FIXED_NOW_VARIABLE = "PALIMPSEST_FIXED_NOW"

_ODDS = dg.AssetKey("odds_snapshots")
_LEADERSHIP = (dg.AssetKey("price_leadership"), dg.AssetKey("stale_vs_market"))
_REPORT = dg.AssetKey("traders_report")


@dataclass(frozen=True)
class LaterCaptures:
    sr_ids: list[int]
    instants: list[datetime]  # the sandbox's instant at each later capture
    success: bool
    window: timedelta  # the leadership window the later runs judged over

    def note(self) -> str:
        return (
            f"the {len(self.sr_ids)} soonest matches captured {len(self.instants)} more times, "
            f"{STEP.total_seconds() / 60:.0f} sandbox minutes apart but seconds apart on the real clock that "
            f"stamps captures: a {self.window.total_seconds():g} s window, lags in the demo's time, not the "
            "books'"
        )


def capture_again(
    sandbox: SandboxProcess,
    psql_url: str,
    first: date,
    last: date,
    *,
    countries: Sequence[str] = (DEFAULT_SITE_COUNTRY,),
    rounds: int = ROUNDS,
    window: timedelta = WINDOW,
) -> LaterCaptures:
    """``rounds`` more captures of the soonest matches of ``first`` .. ``last`` on each of ``countries``'
    sites (one run covers them all), ``STEP`` of sandbox time apart; the last run recomputes the leadership
    tables and the report over the whole range, judged over ``window`` of real time."""
    instants: list[datetime] = []
    sr_ids: list[int] = []
    for done in range(1, rounds + 1):
        at = sandbox.advance_clock(STEP.total_seconds())
        instants.append(at)
        if not sr_ids:
            found = (soonest(psql_url, at + rounds * STEP, first, last, site_country=cc) for cc in countries)
            sr_ids = list(dict.fromkeys(sr_id for ids in found for sr_id in ids))
            if not sr_ids:
                click.echo("no match left to capture again: who moves first stays as one capture left it")
                return LaterCaptures([], instants, True, window)
            wait_past_first_capture(psql_url, sr_ids, window)
        closing = done == rounds
        click.echo(
            f"sandbox clock moved on to {at:%H:%M:%S} UTC: capture {done + 1} of the {len(sr_ids)} soonest "
            "matches" + (", then who moves first and the report" if closing else "")
        )
        with _demo_clock(at, window):
            result = materialize_range_followed(
                first,
                last,
                run_config={"ops": {"odds_snapshots": {"config": {"sr_ids": sr_ids}}}},
                selection=[_ODDS, *_LEADERSHIP, _REPORT] if closing else [_ODDS],
            )
        if not result.success:
            return LaterCaptures(sr_ids, instants, False, window)
    return LaterCaptures(sr_ids, instants, True, window)


def soonest(
    psql_url: str, after: datetime, first: date, last: date, *, site_country: str, count: int = MATCHES
) -> list[int]:
    """The SR ids of the ``count`` soonest matches listed on ``site_country``'s sites kicking off after
    ``after``, within the dates."""
    until = datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=after.tzinfo)
    with psycopg.connect(psql_url) as conn:
        upcoming = read_upcoming(conn, after, until, site_country=site_country)
    ordered = sorted((kickoff, sr_id) for sr_id, kickoff in upcoming if kickoff.date() >= first)
    return [sr_id for _kickoff, sr_id in ordered[:count]]


def wait_past_first_capture(psql_url: str, sr_ids: Sequence[int], window: timedelta) -> None:
    """Until two windows have passed (real time) since the latest capture of ``sr_ids`` so far."""
    with psycopg.connect(psql_url) as conn:
        row = conn.execute(
            "SELECT max(captured_at), now() FROM core.odds_captures WHERE sr_id = ANY(%s)", (list(sr_ids),)
        ).fetchone()
    if row is None or row[0] is None:
        return
    until = time.monotonic() + (row[0] + 2 * window - row[1]).total_seconds()
    while (left := until - time.monotonic()) > 0:
        click.echo(f"waiting {left:.0f} s: a price move counts two windows after a match's first capture")
        time.sleep(min(left, WAIT_LINE_S))


@contextmanager
def _demo_clock(at: datetime, window: timedelta) -> Iterator[None]:
    """For one run: the pipeline's clock pinned at the sandbox's instant, and the demo's window."""
    saved = {name: os.environ.pop(name, None) for name in (FIXED_NOW_VARIABLE, WINDOW_VARIABLE)}
    os.environ[FIXED_NOW_VARIABLE] = at.isoformat()
    os.environ[WINDOW_VARIABLE] = str(window.total_seconds() / 60)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
