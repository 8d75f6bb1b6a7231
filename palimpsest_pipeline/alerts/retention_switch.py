"""The retention rules: what BetPawa lost at a match's switch into live, judged on the weekly pair of
snapshots (its last prematch capture at T-1 against its live snapshot at +5, analytics.market_retention).

Pure. Three rules, each one alert per site country and match (subject ``<site country>:<match>``):
``retention_low`` (market types kept under the threshold), ``key_market_dropped`` (a key market offered
at T-1 with no open outcome at +5), ``switch_price_moved`` (an outcome open on both sides whose odds moved
by 30 % or more of the prematch odds).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from palimpsest_pipeline.alerts.decide import Finding
from palimpsest_pipeline.alerts.keys_drift import in_utc, title_prefix
from palimpsest_pipeline.transforms.market_retention import MOVED_SHARE

RULES = ("retention_low", "key_market_dropped", "switch_price_moved")
#: A switch is judged while its +5 snapshot is this recent: long enough for the sensor to see it however the
#: live watch's runs fall, short enough that it clears within the cooldown (one alert per match).
RECENT = timedelta(minutes=30)

Row = Mapping[str, Any]


def findings(rows: Sequence[Row], below: float) -> list[Finding]:
    """The findings of BetPawa's switches (``alert_findings.retention_switches`` rows): a match can raise
    every rule at once, each its own alert."""
    found = []
    for row in rows:
        if row["market_retention"] is not None and row["market_retention"] < below:
            found.append(_retention_low(row, below))
        if row["key_markets_dropped"]:
            found.append(_key_market_dropped(row))
        if row["prices_moved"]:
            found.append(_price_moved(row))
    return found


def _match(row: Row) -> str:
    return f"{row['home']} v {row['away']} ({row['sport']} / {row['tournament']})"


def _switch(row: Row) -> str:
    return (
        f"SportRadar match {row['sr_id']}, kick-off {in_utc(row['kickoff'])}, {row['provider']} feed; "
        f"BetPawa's prematch at T-1 against its live snapshot at +5 ({in_utc(row['live_captured_at'])})"
    )


def _details(row: Row) -> dict[str, Any]:
    return {
        "site_country": row["site_country"],
        "sr_id": row["sr_id"],
        "provider": row["provider"],
        "market_types_prematch": row["market_types_prematch"],
        "market_types_kept": row["market_types_kept"],
        "market_retention": row["market_retention"],
        "key_markets_dropped": list(row["key_markets_dropped"] or []),
        "prices_compared": row["prices_compared"],
        "prices_moved": row["prices_moved"],
    }


def _finding(rule: str, row: Row, title: str, line: str) -> Finding:
    return Finding(
        rule,
        f"{row['site_country']}:{row['sr_id']}",
        f"{title_prefix(row['site_country'])}{title}: {_match(row)}",
        f"{_switch(row)}: {line}",
        _details(row),
        since=row["live_captured_at"],
    )


def _retention_low(row: Row, below: float) -> Finding:
    return _finding(
        "retention_low",
        row,
        f"BetPawa kept {row['market_retention']:.0%} of its markets into live",
        f"{row['market_types_kept']} of {row['market_types_prematch']} market types kept "
        f"(under {below:.0%}).",
    )


def _key_market_dropped(row: Row) -> Finding:
    dropped = ", ".join(row["key_markets_dropped"])
    return _finding(
        "key_market_dropped",
        row,
        f"BetPawa dropped {dropped} at the switch",
        f"key markets offered {', '.join(row['key_markets_offered'])}; dropped {dropped}.",
    )


def _price_moved(row: Row) -> Finding:
    return _finding(
        "switch_price_moved",
        row,
        f"BetPawa moved {row['prices_moved']} price(s) by {MOVED_SHARE:.0%} or more at the switch",
        f"{row['prices_moved']} of {row['prices_compared']} outcomes open on both sides moved by "
        f"{MOVED_SHARE:.0%} or more of the prematch odds.",
    )
