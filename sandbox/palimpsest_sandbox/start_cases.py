"""Matches that do not start as their prematch listing first said: a kick-off moved later some hours before it
(a reschedule: every book shows the new time from the move on, and the match is played then), and a match that
itself starts some minutes after its listed kick-off (a delayed match: the books keep the listed time, the
match clock and the live lists follow the real start).

Pure functions of (seed, match), drawn from keys of their own, so no other figure of the world shifts for a
match without a case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from palimpsest_sandbox.names import unit

#: Share of the day stream's matches whose kick-off is moved later, by how many minutes (quarter hours) and
#: how many hours before the original kick-off the books show the move.
RESCHEDULED_SHARE = 0.02
RESCHEDULE_BY_MIN = (30, 180)
MOVED_BEFORE_H = (1, 8)
#: Share of the day stream's matches that start late themselves, and by how many minutes.
DELAYED_SHARE = 0.03
DELAY_MIN = (6, 15)


@dataclass(frozen=True, slots=True)
class Reschedule:
    """A kick-off moved: the books show ``listed_before`` until ``moved_at``, the new one from then on."""

    listed_before: datetime
    moved_at: datetime


def reschedule(seed: int, uid: int, kickoff: datetime) -> tuple[datetime, Reschedule] | None:
    """The new kick-off of match ``uid`` and its move (None: not rescheduled, or a move would cross the UTC
    date the match is generated on)."""
    if unit(seed, "reschedule", uid) >= RESCHEDULED_SHARE:
        return None
    low, high = RESCHEDULE_BY_MIN
    steps = (high - low) // 15
    by = timedelta(minutes=low + 15 * min(steps, int(unit(seed, "reschedule-by", uid) * (steps + 1))))
    new = kickoff + by
    if new.date() != kickoff.date():
        return None
    hours_low, hours_high = MOVED_BEFORE_H
    before = timedelta(
        minutes=round(60 * (hours_low + unit(seed, "reschedule-at", uid) * (hours_high - hours_low)))
    )
    return new, Reschedule(listed_before=kickoff, moved_at=kickoff - before)


def play_delay(seed: int, uid: int) -> timedelta:
    """How long after its listed kick-off match ``uid`` really starts (zero for most)."""
    if unit(seed, "delayed", uid) >= DELAYED_SHARE:
        return timedelta(0)
    low, high = DELAY_MIN
    return timedelta(minutes=low + round(unit(seed, "delayed-by", uid) * (high - low)))
