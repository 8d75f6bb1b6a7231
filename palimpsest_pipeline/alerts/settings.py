"""The alert rules' thresholds and the deliveries' retry policy (``PALIMPSEST_ALERT_*``: settings.py)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class AlertSettings(BaseModel):
    """Thresholds of the rules, the cooldown between two alerts on one subject, the retry policy and
    the rules switched off."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    #: list_soon: a match a competitor lists and BetPawa does not, kicking off within this many hours.
    list_within_hours: float = Field(default=6.0, gt=0)
    #: price_out_of_line: BetPawa's price below the best fresh competitor price by more than this share...
    price_gap: float = Field(default=0.05, gt=0, lt=1)
    #: ...for more than this many minutes.
    price_minutes: float = Field(default=15.0, ge=0)
    #: feed_stale: a book's newest good capture or catalogue older than this while another book's is not.
    stale_minutes: float = Field(default=45.0, gt=0)
    #: live_gap: a live gap is current while the live watcher saw it within this many seconds.
    live_seen_seconds: float = Field(default=120.0, gt=0)
    #: keys_drift: a book's keyed share down, or its suspect share up, by more than this many percentage
    #: points against its own last seven days.
    keys_drift_points: float = Field(default=5.0, gt=0, lt=100)
    #: retention_low: BetPawa's market types kept from T-1 to +5 under this share.
    retention_below: float = Field(default=0.5, gt=0, le=1)
    #: One alert per (rule, subject) until the condition clears or this much time passes.
    cooldown_minutes: float = Field(default=60.0, gt=0)
    #: A failed delivery is retried after 5 s, doubling up to this many seconds.
    retry_max_seconds: float = Field(default=60.0, gt=0)
    #: Rules switched off: still evaluated, their alerts recorded with status ``off`` and sent to nobody.
    rules_off: tuple[str, ...] = ()
