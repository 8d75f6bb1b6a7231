"""The demo's in-play block per site country, read back from ``analytics.live_starts``,
``analytics.betpawa_late_starts`` and ``analytics.market_retention``: starts by status per book, BetPawa's
late starts where a competitor was on time, and what each book kept in play (T-1 against +5, the weekly
figure)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import psycopg

from palimpsest_pipeline.warehouse.site_books import country_name, ordered_books

STATUSES = ("on_time", "late", "never_live", "removed", "unmonitored", "rescheduled")


@dataclass(frozen=True)
class BetpawaLate:
    kickoff: datetime
    match: str  # "home - away (tournament)"
    minutes_to_live: float | None
    reason: str | None
    on_time_on: list[str]


@dataclass(frozen=True)
class BookRetention:
    matches: int
    market_types_prematch: int
    market_types_kept: int
    key_markets_dropped: int
    prices_compared: int
    prices_moved: int


@dataclass(frozen=True)
class LiveSummary:
    site_country: str
    since: datetime
    until: datetime
    starts: dict[str, dict[str, int]]  # book -> status -> matches
    betpawa_late: list[BetpawaLate]
    retention: dict[str, BookRetention]  # book -> T-1 against +5


def read_live_summary(
    conn: psycopg.Connection, since: datetime, until: datetime, *, site_country: str
) -> LiveSummary:
    """``site_country``'s live starts and retention of the matches kicking off in [since, until]."""
    where = {"cc": site_country, "since": since, "until": until}
    starts: dict[str, dict[str, int]] = {}
    for book, status, count in conn.execute(
        "SELECT book, status, count(*) FROM analytics.live_starts WHERE site_country = %(cc)s"
        " AND kickoff BETWEEN %(since)s AND %(until)s GROUP BY book, status",
        where,
    ):
        starts.setdefault(book, {})[status] = count
    late = [
        BetpawaLate(kickoff, f"{home} - {away} ({tournament})", minutes, reason, list(on_time_on))
        for kickoff, home, away, tournament, minutes, reason, on_time_on in conn.execute(
            "SELECT kickoff, home, away, tournament, minutes_to_live, reason, on_time_on"
            " FROM analytics.betpawa_late_starts WHERE site_country = %(cc)s"
            " AND kickoff BETWEEN %(since)s AND %(until)s ORDER BY kickoff, sr_id",
            where,
        )
    ]
    retention = {
        book: BookRetention(*(int(value) for value in figures))
        for book, *figures in conn.execute(
            "SELECT book, count(*), sum(market_types_prematch), sum(market_types_kept),"
            " sum(cardinality(key_markets_dropped)), sum(prices_compared), sum(prices_moved)"
            " FROM analytics.market_retention WHERE site_country = %(cc)s AND prematch_snapshot = 'T-1'"
            " AND live_snapshot = 5 AND kickoff BETWEEN %(since)s AND %(until)s GROUP BY book",
            where,
        )
    }
    return LiveSummary(site_country, since, until, starts, late, retention)


def format_live(summary: LiveSummary) -> str:
    """The block as the demo prints it."""
    name = country_name(summary.site_country)
    lines = [
        f"{name}: in play, kick-offs {summary.since:%Y-%m-%d %H:%M} .. {summary.until:%H:%M} UTC "
        "(analytics.live_starts)",
        f"  {'book':<10}" + "".join(f"{status.replace('_', ' '):>13}" for status in STATUSES),
    ]
    for book in ordered_books(summary.starts):
        counts = summary.starts.get(book, {})
        lines.append(f"  {book:<10}" + "".join(f"{counts.get(status, 0):>13}" for status in STATUSES))
    if not summary.starts:
        lines.append("  (no start judged)")
    lines.append(f"  BetPawa late where a competitor was on time: {len(summary.betpawa_late)}")
    for late in summary.betpawa_late:
        when = (
            "not live yet" if late.minutes_to_live is None else f"live after {late.minutes_to_live:.1f} min"
        )
        why = f", {late.reason}" if late.reason else ""
        lines.append(
            f"    {late.kickoff:%H:%M} {late.match}: {when}{why}; on time on {', '.join(late.on_time_on)}"
        )
    lines.append("  Kept in play, T-1 against +5 (analytics.market_retention):")
    if not summary.retention:
        lines.append("    (no match with both snapshots)")
    else:
        lines.append(
            f"  {'book':<10}{'matches':>9}{'market types kept':>19}{'key markets dropped':>21}"
            f"{'prices moved 30%+':>19}"
        )
    for book in ordered_books(summary.retention) if summary.retention else ():
        r = summary.retention.get(book)
        if r is None:
            lines.append(f"  {book:<10}{0:>9}{'-':>19}{'-':>21}{'-':>19}")
            continue
        kept = f"{r.market_types_kept}/{r.market_types_prematch}"
        moved = f"{r.prices_moved}/{r.prices_compared}"
        lines.append(f"  {book:<10}{r.matches:>9}{kept:>19}{r.key_markets_dropped:>21}{moved:>19}")
    return "\n".join(lines)


def format_live_countries(
    conn: psycopg.Connection, since: datetime, until: datetime, countries: Sequence[str]
) -> str:
    """The in-play block of each of ``countries``."""
    return "\n\n".join(
        format_live(read_live_summary(conn, since, until, site_country=country)) for country in countries
    )
