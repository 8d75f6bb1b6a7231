"""What a site country's automation asks of Dagster at one tick, decided without Dagster: the kick-off
sensor's due windows as capture queue requests, a capture worker run when work waits and no worker is
queued or running, a live watch run when none is; the sensors and schedules call these, and so can a
simulated day that counts the runs they would request."""

from __future__ import annotations

from palimpsest_pipeline.scrape.cadence import CadenceDecision, CadencePolicy
from palimpsest_pipeline.warehouse.capture_requests import NewRequest, RequestKey

#: A live watch run stops this long before its minutes are up, so the schedule's next tick finds it ended.
LIVE_RUN_MARGIN_S = 20.0


def tier_priority(policy: CadencePolicy, tier: str) -> int:
    """The queue priority of ``tier``: the fastest tier highest (imminent 3, soon 2, later 1)."""
    names = [t.name for t in policy.tiers]
    return len(names) - names.index(tier)


def capture_requests(decision: CadenceDecision, policy: CadencePolicy, country: str) -> list[NewRequest]:
    """One queue request per tier ``decision`` found due for site ``country``."""
    return [
        NewRequest(
            RequestKey(country, due.tier, due.window_start, due.resets),
            tier_priority(policy, due.tier),
            due.sr_ids,
            due.kickoff_dates,
        )
        for due in decision.due
    ]


def worker_wanted(*, undone_requests: int, worker_active: bool) -> bool:
    """Whether to request a capture worker run: requests wait or are in progress (a dead worker's, given
    back) and no worker run is queued or running."""
    return undone_requests > 0 and not worker_active


def live_watch_wanted(*, watch_active: bool) -> bool:
    """Whether a live schedule tick requests a watch run: none of the country's is queued or running."""
    return not watch_active


def live_run_seconds(run_minutes: float) -> float:
    """How long a live watch run of ``run_minutes`` polls: just under them, so runs follow each other."""
    return max(run_minutes * 60 - LIVE_RUN_MARGIN_S, 1.0)
