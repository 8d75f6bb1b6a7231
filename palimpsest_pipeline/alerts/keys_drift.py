"""keys_drift: a book's keys reading worse than its own last seven days, as a changed payload read wrong does.

Pure. Fires on the keyed share falling, or the set-aside or suspect share rising, past the threshold (a
refused shape is set aside, leaving the keyed share unmoved), or on a market family whose share of keyed
outcomes a competitor prices fell (``dropped_families``): both books still key, but no longer alike. New
payload fields never fire it alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from palimpsest_pipeline.alerts.decide import Finding
from palimpsest_pipeline.markets.vocabulary import VOCABULARY
from palimpsest_pipeline.records import DEFAULT_SITE_COUNTRY
from palimpsest_pipeline.warehouse.site_books import book_name, country_name

RULE = "keys_drift"
#: Markets named per kind (suspect, set aside, unkeyed), families dropped, and new payload fields shown, at
#: most.
MARKETS_SHOWN = 5
FAMILIES_SHOWN = 5
FIELDS_SHOWN = 10
#: A family's competitor-priced share must fall by this many times the book-wide threshold
#: (``PALIMPSEST_ALERT_KEYS_DRIFT_POINTS``, so one setting tunes every measure): see ``dropped_families``.
FAMILY_MARGIN = 4
#: Keyed outcomes a family needs in the hour and in its seven days before to be judged.
MIN_FAMILY_OUTCOMES = 200

Row = Mapping[str, Any]


#: How a trader reads a suspect's reason: an implied sum off what the market's family implies is the book's
#: price anomaly (a layout priced wrong, as BetPawa's one-line double chance & total is), not a misread key.
REASON_WORDS = {"overround": "price anomaly (implied sum off its family's)"}

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


def dropped_families(families: Sequence[Row], points: float) -> list[dict[str, Any]]:
    """The families of one book edition (its ``judged_families`` rows) whose share of keyed outcomes a
    competitor prices fell by more than ``FAMILY_MARGIN`` times ``points``, both against the family's own
    seven days and net of the book's other families over the same hours; the largest drop first.

    Why this measure: when one book or a competitor starts keying a family differently (a player by name on
    one book and by id on the other, a line in other units), both still key it and the book-wide shares hold;
    only the share priced by a competitor falls, and only in that family. Why a wider margin than the book's:
    a family is a small part of the book, and which competitors price it moves with the events of the hour
    (a lesser league's player markets are priced by fewer books). Why net of the other families: an hour whose
    events the competitors price less widely, or a competitor not captured, lowers every family alike; that
    is the events' mix or feed_stale's, not a key read differently (the other families count only with
    ``MIN_FAMILY_OUTCOMES`` of their own in the hour and the week; fewer, the family is judged alone). Why
    ``MIN_FAMILY_OUTCOMES`` in the hour and the week: below it, one deep market (a correct-score list) met or
    missed on one event moves the family's share by most of the margin alone."""
    margin = FAMILY_MARGIN * points
    book = _sums(families)
    dropped = []
    for row in families:
        own = _sums([row])
        drop = _drop(own)
        if drop is None or drop <= margin:
            continue
        rest = _drop(tuple(whole - part for whole, part in zip(book, own, strict=True)))
        if drop - max(rest or 0.0, 0.0) > margin:
            dropped.append(
                {
                    "family": row["family"],
                    "hour": in_utc(row["hour"]),
                    "keyed_outcomes": row["keyed_outcomes"],
                    "competitor_share": row["competitor_share"],
                    "baseline_keyed_outcomes": row["baseline_keyed_outcomes"],
                    "baseline_share": row["baseline_share"],
                    "points": round(-drop, 1),
                    "rest_points": None if rest is None else round(-rest, 1),
                }
            )
    return sorted(dropped, key=lambda family: (family["points"], family["family"]))


#: The sums a family's share is judged on, in ``judged_families``' columns.
_SUMS = ("keyed_outcomes", "competitor_priced", "baseline_keyed_outcomes", "baseline_competitor_priced")


def _sums(rows: Sequence[Row]) -> tuple[int, ...]:
    return tuple(sum(row[column] or 0 for row in rows) for column in _SUMS)


def _drop(sums: tuple[int, ...]) -> float | None:
    """Points the competitor-priced share fell from the seven days to the hour (a rise is negative); none
    with fewer than ``MIN_FAMILY_OUTCOMES`` keyed outcomes on either side."""
    keyed, priced, base_keyed, base_priced = sums
    if min(keyed, base_keyed) < MIN_FAMILY_OUTCOMES:
        return None
    return 100 * (base_priced / base_keyed - priced / keyed)


def _more(count: int) -> str:
    return f" and {count} more famil{'y' if count == 1 else 'ies'}" if count else ""


def finding(
    hour: Row,
    moved: tuple[str, ...],
    points: float,
    evidence: Mapping[str, list[dict[str, Any]]],
    families: Sequence[Mapping[str, Any]] = (),
) -> Finding:
    """The alert of a drifted book edition (subject ``<site country>:<book>``, its title naming the country
    outside Nigeria): its figures against the baseline, the families whose competitor-priced share dropped
    (``dropped_families``), the markets that moved in the hour, one example, and the payload fields first
    seen in the hour."""
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
    if families:
        top, more = families[0], len(families) - 1
        what.append(
            f"priced by a competitor in {top['family']} {top['competitor_share']:.1%} "
            f"(7 days: {top['baseline_share']:.1%})" + _more(more)
        )
    lines = [
        f"{where}Hour from {in_utc(hour['hour'])}: {hour['open_outcomes']:,} open outcomes in "
        f"{hour['captures']:,} capture(s) against {hour['baseline_open_outcomes']:,} in the 7 days before.",
        *(
            _figure(name.capitalize(), hour[column], hour[f"baseline_{column}"], of)
            for name, column, of, _ in MEASURES
        ),
        f"Threshold: {points:g} points.",
        *_family_lines(families, points),
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
            "families": list(families[:FAMILIES_SHOWN]),
        },
        since=hour["hour"],
    )


def _family_lines(families: Sequence[Mapping[str, Any]], points: float) -> list[str]:
    """The families dropped, the largest drop first, each against its seven days and the book's other
    families' change over the same hours."""
    if not families:
        return []
    shown = families[:FAMILIES_SHOWN]
    lines = [
        f"Families whose share of keyed outcomes priced by a competitor dropped by more than "
        f"{FAMILY_MARGIN * points:g} points, net of the book's other families (at least "
        f"{MIN_FAMILY_OUTCOMES} keyed outcomes in the hour and in the 7 days before), in the hour from "
        f"{shown[0]['hour']}:",
        *(
            f"  {f['family']}: {f['competitor_share']:.1%} of {f['keyed_outcomes']:,} keyed outcomes "
            f"(7-day baseline {f['baseline_share']:.1%} of {f['baseline_keyed_outcomes']:,}, "
            f"{f['points']:+.1f} points; other families "
            + ("too few to compare" if f["rest_points"] is None else f"{f['rest_points']:+.1f} points")
            + ")"
            for f in shown
        ),
    ]
    if len(families) > FAMILIES_SHOWN:
        lines.append(" " + _more(len(families) - FAMILIES_SHOWN))
    return lines


def moved_markets(evidence: Mapping[str, list[dict[str, Any]]]) -> list[str]:
    """The hour's suspect markets (per market and reason), set-aside kinds, and unkeyed markets whose share
    of the open outcomes grew against the day before, each the largest first."""
    suspects = [
        f"suspect: {_market(row['market'])}, {_reason(row['reason'])} on {row['lines']} line(s) of "
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
            f"{_match(suspect)}, {_market(suspect['market'])}{line}: {_reason(suspect['reason'])}: "
            f"{suspect['detail']}"
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


def _reason(reason: str) -> str:
    return REASON_WORDS.get(reason, reason)


def _market(market_id: int) -> str:
    definition = VOCABULARY.get(market_id)
    return f"{definition.name} (market {market_id})" if definition is not None else f"market {market_id}"


def _match(row: Row) -> str:
    names = f"{row['home']} v {row['away']} " if row.get("home") and row.get("away") else ""
    return f"{names}(SportRadar {row['sr_id']})"


def in_utc(moment: datetime | None) -> str:
    """A stored instant in UTC, whatever time zone the database session reads it in."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if moment is not None else "unknown"
