"""When to capture odds: each tier of time-to-kick-off is due once per epoch-aligned window of its cadence
(prices move fastest near kick-off); only the current window counts, so a restart never replays missed
ones. Pure: the sensor does the I/O.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

CURSOR_VERSION = 1


class CadenceError(ValueError):
    """A cadence policy, an event or a cursor handed to this module is invalid; the message says which."""


@dataclass(frozen=True, slots=True)
class Tier:
    """Events with ``lead < max_lead`` (and not in an earlier tier) are captured once per ``every``."""

    name: str
    max_lead: timedelta
    every: timedelta


@dataclass(frozen=True, slots=True)
class CadencePolicy:
    """Tiers ordered by ``max_lead``; the last tier's ``max_lead`` is the horizon, and is inclusive:
    events kicking off in ``(now, now + horizon]`` are considered, later ones wait until they come closer."""

    tiers: tuple[Tier, ...]

    def __post_init__(self) -> None:
        if not self.tiers:
            raise CadenceError("cadence policy: at least one tier is needed")
        names = [t.name for t in self.tiers]
        if len(set(names)) != len(names):
            raise CadenceError(f"cadence policy: tier names must be unique, got {names}")
        previous = timedelta(0)
        for tier in self.tiers:
            if not tier.name or not tier.name.replace("_", "").isalnum():
                raise CadenceError(f"cadence policy: tier name {tier.name!r} must be a non-empty word")
            if tier.max_lead <= previous:
                raise CadenceError(
                    f"cadence policy: tier {tier.name!r} reaches {tier.max_lead}, which must be more than "
                    f"the previous tier's {previous}"
                )
            seconds = tier.every.total_seconds()
            if seconds < 1 or seconds != int(seconds):
                raise CadenceError(
                    f"cadence policy: tier {tier.name!r} cadence {tier.every} must be a whole number of "
                    "seconds, at least 1"
                )
            previous = tier.max_lead

    @property
    def horizon(self) -> timedelta:
        return self.tiers[-1].max_lead

    def tier_for(self, lead: timedelta) -> Tier | None:
        """The tier of an event ``lead`` before kick-off; None once it kicked off or beyond the horizon."""
        if lead <= timedelta(0):
            return None
        for tier in self.tiers:
            if lead < tier.max_lead:
                return tier
        return self.tiers[-1] if lead == self.horizon else None


#: Imminent (< 30 min) every minute, soon (30-120 min) every 5 minutes, later (up to a day) every 30 minutes.
DEFAULT_POLICY = CadencePolicy(
    (
        Tier("imminent", timedelta(minutes=30), timedelta(seconds=60)),
        Tier("soon", timedelta(minutes=120), timedelta(seconds=300)),
        Tier("later", timedelta(hours=24), timedelta(seconds=1800)),
    )
)


def window_start(now: datetime, every: timedelta) -> datetime:
    """Start of the window of length ``every`` that contains ``now``, windows aligned to epoch multiples."""
    _require_aware(now, "now")
    period = int(every.total_seconds())
    epoch = int(now.timestamp() // 1)  # whole seconds, floor (also for instants before 1970)
    return datetime.fromtimestamp(epoch - epoch % period, UTC)


@dataclass(frozen=True, slots=True)
class DueCapture:
    """One capture to request now: every upcoming event of ``tier`` for the window at ``window_start``;
    ``run_key`` names both, so even a lost cursor cannot request them twice."""

    tier: str
    window_start: datetime
    sr_ids: tuple[int, ...]
    kickoff_dates: tuple[date, ...]
    #: How many times the clock stepped back under the cursor: windows met again after a step get new keys.
    resets: int = 0

    @property
    def run_key(self) -> str:
        suffix = f":reset{self.resets}" if self.resets else ""
        return f"odds:{self.tier}:{_iso(self.window_start)}{suffix}"


@dataclass(frozen=True, slots=True)
class CadenceDecision:
    """What to request now (fastest tier first) and the cursor to store with it."""

    due: tuple[DueCapture, ...]
    cursor: str
    upcoming_by_tier: dict[str, int]


def due_leads(
    *, now: datetime, policy: CadencePolicy = DEFAULT_POLICY, cursor: str | None = None
) -> tuple[timedelta, timedelta] | None:
    """The span of leads (time to kick-off) of every tier that may be due now (None: none), so the sensor
    reads only those tiers' events: ``decide`` on them decides exactly what it would on all."""
    last_requested, _ = _after_clock_steps(cursor, now, policy)
    low = timedelta(0)
    span: tuple[timedelta, timedelta] | None = None
    for tier in policy.tiers:
        previous = last_requested.get(tier.name)
        if previous is None or window_start(now, tier.every) > previous:
            span = (span[0] if span else low, tier.max_lead)
        low = tier.max_lead
    return span


def decide(
    events: Iterable[tuple[int, datetime]],
    *,
    now: datetime,
    policy: CadencePolicy = DEFAULT_POLICY,
    cursor: str | None = None,
) -> CadenceDecision:
    """Which tiers are due now, with which SR ids (each at its earliest kick-off), and the new cursor; a tier
    with no events keeps its cursor, so an event entering it mid-window is requested at once."""
    last_requested, resets = _after_clock_steps(cursor, now, policy)
    kickoffs: dict[int, datetime] = {}
    for sr_id, kickoff in events:
        if kickoff.tzinfo is None:
            raise CadenceError(f"event sr_id={sr_id}: kickoff {kickoff.isoformat()} has no timezone")
        known = kickoffs.get(sr_id)
        if known is None or kickoff < known:
            kickoffs[sr_id] = kickoff

    by_tier: dict[str, list[tuple[int, datetime]]] = {tier.name: [] for tier in policy.tiers}
    for sr_id, kickoff in kickoffs.items():
        tier = policy.tier_for(kickoff - now)
        if tier is not None:
            by_tier[tier.name].append((sr_id, kickoff))

    due: list[DueCapture] = []
    new_cursor = dict(last_requested)
    for tier in policy.tiers:
        current = window_start(now, tier.every)
        previous = last_requested.get(tier.name)
        members = by_tier[tier.name]
        if not members or (previous is not None and current <= previous):
            continue
        due.append(
            DueCapture(
                tier=tier.name,
                window_start=current,
                sr_ids=tuple(sorted(sr_id for sr_id, _ in members)),
                kickoff_dates=tuple(sorted({k.astimezone(UTC).date() for _, k in members})),
                resets=resets,
            )
        )
        new_cursor[tier.name] = current
    return CadenceDecision(
        due=tuple(due),
        cursor=format_cursor(new_cursor, resets),
        upcoming_by_tier={name: len(members) for name, members in by_tier.items()},
    )


def format_cursor(last_requested: Mapping[str, datetime], resets: int = 0) -> str:
    """The cursor as JSON: the start of the last window requested per tier, as ISO 8601 UTC, and how many
    times the clock stepped back under it."""
    windows = {name: _iso(moment) for name, moment in sorted(last_requested.items())}
    data: dict[str, object] = {"version": CURSOR_VERSION, "last_window": windows}
    if resets:
        data["resets"] = resets
    return json.dumps(data, separators=(",", ":"))


def stepped_back_tiers(
    cursor: str | None, now: datetime, policy: CadencePolicy = DEFAULT_POLICY
) -> list[str]:
    """Tiers whose last requested window lies ahead of ``now`` by more than their cadence: the clock stepped
    back (NTP, a restored machine), and waiting for real time to catch up would silence them."""
    last_requested = parse_cursor(cursor, policy)
    return [
        tier.name
        for tier in policy.tiers
        if tier.name in last_requested and last_requested[tier.name] - now > tier.every
    ]


def _after_clock_steps(
    cursor: str | None, now: datetime, policy: CadencePolicy
) -> tuple[dict[str, datetime], int]:
    """The cursor's windows with the stepped-back tiers forgotten (due again now), and its reset count."""
    _require_aware(now, "now")
    last_requested = parse_cursor(cursor, policy)
    resets = json.loads(cursor).get("resets", 0) if cursor else 0
    if not isinstance(resets, int) or resets < 0:
        raise CadenceError(f"sensor cursor: 'resets' must be a count, got {resets!r}")
    stepped = stepped_back_tiers(cursor, now, policy)
    for name in stepped:
        del last_requested[name]
    return last_requested, resets + (1 if stepped else 0)


def parse_cursor(cursor: str | None, policy: CadencePolicy = DEFAULT_POLICY) -> dict[str, datetime]:
    """The last window requested per tier. Empty/None: nothing requested yet. Tiers the policy no longer has
    are dropped (a changed configuration is not an error); a cursor that is not ours raises CadenceError."""
    if not cursor:
        return {}
    try:
        data = json.loads(cursor)
    except json.JSONDecodeError as error:
        raise CadenceError(f"sensor cursor is not JSON ({error}): {cursor[:80]!r}") from None
    if not isinstance(data, dict) or data.get("version") != CURSOR_VERSION:
        raise CadenceError(
            f"sensor cursor is not a version-{CURSOR_VERSION} cadence cursor: {cursor[:80]!r} "
            "(reset the sensor's cursor to start afresh)"
        )
    windows = data.get("last_window")
    if not isinstance(windows, dict):
        raise CadenceError(f"sensor cursor: 'last_window' must be an object, got {windows!r}")
    names = {tier.name for tier in policy.tiers}
    parsed: dict[str, datetime] = {}
    for name, text in windows.items():
        if name not in names:
            continue
        try:
            moment = datetime.fromisoformat(text) if isinstance(text, str) else None
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            raise CadenceError(f"sensor cursor: window of tier {name!r} is not an ISO UTC instant: {text!r}")
        parsed[name] = moment.astimezone(UTC)
    return parsed


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _require_aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None:
        raise CadenceError(f"{name} {moment.isoformat()} has no timezone (UTC expected)")
