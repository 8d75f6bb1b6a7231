"""keys_drift: a book's keys reading worse than its own last seven days, as a changed payload read wrong does.

Pure. Fires on the keyed share falling, or the set-aside or suspect share rising, past the threshold (a
refused shape is set aside, leaving the keyed share unmoved). New payload fields never fire it alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from palimpsest_pipeline.alerts.decide import Finding
from palimpsest_pipeline.markets.vocabulary import VOCABULARY
from palimpsest_pipeline.records import DEFAULT_SITE_COUNTRY
from palimpsest_pipeline.warehouse.site_books import book_name, country_name

RULE = "keys_drift"
#: Markets named per kind (suspect, set aside, unkeyed), and new payload fields shown, at most.
MARKETS_SHOWN = 5
FIELDS_SHOWN = 10

Row = Mapping[str, Any]


#: The judged shares: the name shown, the column (its baseline ``baseline_<column>``), what it is a share of,
#: and the way a drift moves it (-1: down).
MEASURES = (
    ("keyed", "keyed_share", "of open outcomes", -1),
    ("set aside", "set_aside_share", "of open outcomes", 1),
    ("suspect", "suspect_share", "of keyed outcomes", 1),
)


def title_prefix(country: str) -> str:
    """An alert title's country prefix outside Nigeria (``Ghana: ``); none for Nigeria."""
    return "" if country == DEFAULT_SITE_COUNTRY else f"{country_name(country)}: "


def drift(hour: Row, points: float) -> tuple[str, ...]:
    """The measures of a judged hour (a ``judged_hours`` row) that moved the wrong way by more than
    ``points`` against the baseline; none when the book has no baseline yet."""
    return tuple(
        name
        for name, column, _, way in MEASURES
        if hour[column] is not None
        and hour[f"baseline_{column}"] is not None
        and way * 100 * (hour[column] - hour[f"baseline_{column}"]) > points
    )


def finding(
    hour: Row, moved: tuple[str, ...], points: float, evidence: Mapping[str, list[dict[str, Any]]]
) -> Finding:
    """The alert of a drifted book edition (subject ``<site country>:<book>``, its title naming the country
    outside Nigeria): its figures against the baseline, the markets that moved in the hour, one example,
    and the payload fields first seen in the hour."""
    book = book_name(hour["book"])
    country = hour["site_country"]
    where = title_prefix(country)
    markets = moved_markets(evidence)
    example = _example(moved, evidence)
    fields = list(hour["new_fields"] or [])
    what = [
        f"{name} {hour[column]:.1%} (7 days: {hour[f'baseline_{column}']:.1%})"
        for name, column, *_ in MEASURES
        if name in moved
    ]
    lines = [
        f"{where}Hour from {in_utc(hour['hour'])}: {hour['open_outcomes']:,} open outcomes in "
        f"{hour['captures']:,} capture(s) against {hour['baseline_open_outcomes']:,} in the 7 days before.",
        *(
            _figure(name.capitalize(), hour[column], hour[f"baseline_{column}"], of)
            for name, column, of, _ in MEASURES
        ),
        f"Threshold: {points:g} points.",
        "Markets that moved:" if markets else "Markets that moved: none recorded in the hour.",
        *(f"  {market}" for market in markets),
        f"Example: {example}",
    ]
    if fields:
        shown = ", ".join(fields[:FIELDS_SHOWN]) + (
            f" and {len(fields) - FIELDS_SHOWN} more" if len(fields) > FIELDS_SHOWN else ""
        )
        lines.append(f"New payload fields in the hour: {shown}")
    return Finding(
        RULE,
        f"{country}:{hour['book']}",
        f"{where}{book}'s keys drifted: " + ", ".join(what),
        "\n".join(lines),
        {
            "site_country": country,
            "book": hour["book"],
            "hour": in_utc(hour["hour"]),
            **{key: hour[key] for _, column, *_ in MEASURES for key in (column, f"baseline_{column}")},
            "markets": markets,
            "example": example,
            "new_fields": fields,
        },
        since=hour["hour"],
    )


def moved_markets(evidence: Mapping[str, list[dict[str, Any]]]) -> list[str]:
    """The hour's suspect markets (per market and reason), set-aside kinds, and unkeyed markets whose share
    of the open outcomes grew against the day before, each the largest first."""
    suspects = [
        f"suspect: {_market(row['market'])}, {row['reason']} on {row['lines']} line(s) of "
        f"{row['matches']} match(es)"
        for row in evidence.get("suspects", [])[:MARKETS_SHOWN]
    ]
    set_aside = [
        f"set aside: {row['kind']}, {row['items']} item(s)"
        for row in evidence.get("set_aside", [])[:MARKETS_SHOWN]
    ]
    unkeyed = [
        f"unkeyed: {row['market_key']}, {row['outcomes']:,} open outcome(s), "
        f"{_share(row['outcomes'], row['open_outcomes']):.1%} of open (day before: "
        f"{_share(row['before_outcomes'], row['before_open_outcomes']):.1%})"
        for row in _grown(evidence)[:MARKETS_SHOWN]
    ]
    return suspects + set_aside + unkeyed


def _grown(evidence: Mapping[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The unkeyed markets whose share of the open outcomes grew against the day before, most first."""
    return sorted(
        (row for row in evidence.get("unmapped", []) if _growth(row) > 0), key=_growth, reverse=True
    )


def _growth(row: Row) -> float:
    return _share(row["outcomes"], row["open_outcomes"]) - _share(
        row["before_outcomes"], row["before_open_outcomes"]
    )


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _example(moved: tuple[str, ...], evidence: Mapping[str, list[dict[str, Any]]]) -> str:
    """A suspect market with its prices when suspects rose (or nothing was set aside), else a set-aside
    reason, else the unkeyed market that grew most."""
    suspect = next(iter(evidence.get("example", [])), None)
    set_aside = next(iter(evidence.get("set_aside", [])), None)
    if suspect is not None and ("suspect" in moved or set_aside is None):
        line = f" {suspect['specifier']}" if suspect["specifier"] else ""
        return (
            f"{_match(suspect)}, {_market(suspect['market'])}{line}: {suspect['reason']}: {suspect['detail']}"
        )
    if set_aside is not None:
        where = f"{_match(set_aside)}: " if set_aside["sr_id"] is not None else ""
        return f"{where}set aside ({set_aside['kind']}): {set_aside['reason']} [{set_aside['excerpt']}]"
    grown = _grown(evidence)
    if grown:
        return (
            f"unkeyed market {grown[0]['market_key']}: {grown[0]['outcomes']:,} open outcome(s) in the hour"
        )
    return "none: no suspect, set-aside or newly unkeyed market was recorded in the hour"


def _figure(name: str, share: float | None, baseline: float | None, of: str) -> str:
    def pct(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.1%}"

    change = "" if share is None or baseline is None else f", {100 * (share - baseline):+.1f} points"
    return f"{name} {pct(share)} {of} (7-day baseline {pct(baseline)}{change})"


def _market(market_id: int) -> str:
    definition = VOCABULARY.get(market_id)
    return f"{definition.name} (market {market_id})" if definition is not None else f"market {market_id}"


def _match(row: Row) -> str:
    names = f"{row['home']} v {row['away']} " if row.get("home") and row.get("away") else ""
    return f"{names}(SportRadar {row['sr_id']})"


def in_utc(moment: datetime | None) -> str:
    """A stored instant in UTC, whatever time zone the database session reads it in."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if moment is not None else "unknown"
