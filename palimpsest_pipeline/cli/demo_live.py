"""The demo's kick-off: the sandbox's clock stepped through the busiest kick-off of its next hours, their odds
captured at T-1 (``PREMATCH``), then one ``watch_live`` run per country polling its books every ``POLL`` of
sandbox time from before the kick-off to past the +5 snapshots of the books live at once. The run's clock
is the sandbox's: each poll's reading moves the sandbox on to the poll's instant, where it stands still
while the books are asked, so the live starts and the retention into live are judged on a world that moved
by the pipeline's own watch, in seconds of real time. Imported once the demo has chosen its countries (it
loads the definitions)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import click
import dagster as dg
import httpx
import psycopg
from pydantic import PrivateAttr

from palimpsest_pipeline.cli.demo_clock import pinned_clock
from palimpsest_pipeline.cli.running import materialize_range_followed, run_followed
from palimpsest_pipeline.cli.sandbox_process import SandboxProcess
from palimpsest_pipeline.defs.resources import ClockResource
from palimpsest_pipeline.warehouse.capture_listings import read_upcoming

#: Sandbox time between two polls: the watch's own interval (PALIMPSEST_LIVE_POLL_SECONDS' default).
POLL = timedelta(seconds=30)

#: Polls before the kick-off: the book is watched at it when a usable poll came within 90 s before.
POLLS_BEFORE = 3
#: Polls from the kick-off on, to twelve minutes after it: past the five minutes that make a start late,
#: and the +5 snapshot of a book going live up to seven minutes late (BetPawa's slowest in the sandbox).
POLLS_AFTER = 24
#: Before the kick-off, the prematch capture that is its T-1 snapshot (within two minutes before T-1).
PREMATCH = timedelta(seconds=90)
#: The kick-off is chosen among those this long after the earliest possible one.
CHOICE_WINDOW = timedelta(hours=3)
#: The kick-off is chosen at least this far after the sandbox's now, so the first poll is still before it.
LEAD = POLL * (POLLS_BEFORE + 1)


@dataclass(frozen=True)
class KickoffWatch:
    kickoff: datetime | None  # the kick-off watched (None: no match left to watch)
    polls: list[datetime]  # the sandbox's instant at each poll
    success: bool

    def note(self) -> str:
        if self.kickoff is None:
            return "no match left to watch go live"
        return (
            f"the live watch polled every {POLL.total_seconds():g} s of sandbox time from "
            f"{self.polls[0]:%H:%M:%S} to {self.polls[-1]:%H:%M:%S} UTC through the {self.kickoff:%H:%M} "
            f"kick-off ({len(self.polls)} polls per country, in one watch_live run each)"
        )


def busiest_kickoff(psql_url: str, after: datetime, last: date, countries: Sequence[str]) -> datetime | None:
    """The kick-off within ``CHOICE_WINDOW`` after ``after`` (up to ``last``) with the most matches on every
    one of ``countries``' sites (the soonest of those), else the one with the most on any: a kick-off of
    several matches shows starts on time and late, where one match may be a match delayed on every book."""
    until = min(
        after + CHOICE_WINDOW,
        datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=after.tzinfo),
    )
    with psycopg.connect(psql_url) as conn:
        per_country = [
            Counter(k for _sr_id, k in read_upcoming(conn, after, until, site_country=cc)) for cc in countries
        ]
    shared = set.intersection(*(set(counts) for counts in per_country)) if per_country else set()
    matches = Counter[datetime]()
    for counts in per_country:
        matches.update(counts)
    candidates = shared or set(matches)
    return min(candidates, key=lambda at: (-matches[at], at), default=None)


def kicking_off(psql_url: str, kickoff: datetime, countries: Sequence[str]) -> list[int]:
    """The SR ids of the matches of ``countries``' sites whose earliest kick-off is ``kickoff``."""
    with psycopg.connect(psql_url) as conn:
        found = (read_upcoming(conn, kickoff - POLL, kickoff, site_country=cc) for cc in countries)
        return sorted({sr_id for upcoming in found for sr_id, at in upcoming if at == kickoff})


def watch_kickoff(
    sandbox: SandboxProcess, psql_url: str, first: date, last: date, *, countries: Sequence[str]
) -> KickoffWatch:
    """Poll ``countries``' live lists every ``POLL`` of sandbox time from ``POLLS_BEFORE`` polls before the
    busiest kick-off to ``POLLS_AFTER`` after it, in a ``watch_live`` run per country with its live
    snapshots; the sandbox's clock stands still at each poll and runs on from the last. Then the traders'
    report again, its live panel showing them."""
    now = sandbox.advance_clock(0)
    kickoff = busiest_kickoff(psql_url, now + LEAD, last, countries)
    if kickoff is None:
        click.echo("no match left to watch go live: no live starts nor retention")
        return KickoffWatch(None, [], True)
    polls = [kickoff + POLL * n for n in range(-POLLS_BEFORE, POLLS_AFTER + 1)]
    sr_ids = kicking_off(psql_url, kickoff, countries)
    try:
        at = sandbox.set_clock(kickoff - PREMATCH, frozen=True)
        click.echo(
            f"sandbox clock moved on to {at:%H:%M:%S} UTC: odds of the {len(sr_ids)} matches kicking off at "
            f"{kickoff:%H:%M} (their T-1), then the live watch every {POLL.total_seconds():g} s of sandbox "
            "time"
        )
        with pinned_clock(at):
            captured = _capture_at_clock(kickoff, sr_ids, countries)
        if not captured.success:
            return KickoffWatch(kickoff, polls, False)
        for country in countries:
            if not _watch(sandbox.url, polls, country).success:
                return KickoffWatch(kickoff, polls, False)
    finally:
        sandbox.set_clock(polls[-1], frozen=False)
    click.echo("the live watch is done: the traders' report again, its live panel showing it")
    report = materialize_range_followed(first, last, selection=[dg.AssetKey("traders_report")])
    return KickoffWatch(kickoff, polls, report.success)


def _capture_at_clock(
    kickoff: datetime, sr_ids: Sequence[int], countries: Sequence[str]
) -> dg.ExecuteInProcessResult:
    """``countries``' capture of ``sr_ids``, stamped at the run's (pinned) clock."""
    from palimpsest_pipeline.defs.countries import capture_op, country_key

    config = {"sr_ids": list(sr_ids), "stamp_at_clock": True}
    return materialize_range_followed(
        kickoff.date(),
        kickoff.date(),
        run_config={"ops": {capture_op(cc): {"config": config} for cc in countries}},
        selection=[country_key(cc, "odds_snapshots") for cc in countries],
    )


class SandboxStepClock(ClockResource):
    """The demo watch's clock: each reading is the next of ``polls`` (ISO instants), the sandbox's clock
    moved there first and standing still."""

    sandbox_url: str
    polls: list[str]
    _read: int = PrivateAttr(default=0)

    def now(self) -> datetime:
        at = self.polls[self._read]
        self._read += 1
        answer = httpx.post(f"{self.sandbox_url}/_sandbox/clock", json={"at": at, "frozen": True}, timeout=30)
        answer.raise_for_status()
        return datetime.fromisoformat(at)


def _watch(sandbox_url: str, polls: Sequence[datetime], country: str) -> dg.ExecuteInProcessResult:
    """One ``watch_live`` run of ``country`` polling at each of ``polls`` (sandbox time), taking the live
    snapshots each poll makes due."""
    from palimpsest_pipeline.defs.live.watch import watch_live_job
    from palimpsest_pipeline.defs.resources import resources_from_env
    from palimpsest_pipeline.deploy.progress_log import FOLLOWED_RUN_LOGS

    clock = SandboxStepClock(sandbox_url=sandbox_url, polls=[at.isoformat() for at in polls])
    # one poll after the other: the sandbox stands still between them
    config = {"site_country": country, "polls": len(polls), "duration_s": 0.0, "interval_s": 0.0}
    return run_followed(
        dg.DagsterInstance.get(),
        lambda follow: watch_live_job.execute_in_process(
            run_config={**FOLLOWED_RUN_LOGS, "ops": {"watch_live_lists": {"config": config}}},
            instance=dg.DagsterInstance.get(),
            resources={**resources_from_env(), "clock": clock},
            tags={"palimpsest/site_country": country, **follow},
            raise_on_error=False,
        ),
    )
