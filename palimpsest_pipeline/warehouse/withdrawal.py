"""When absence from a scrape means an event is gone: the withdrawal policy, and whether a complete scrape
can be true against the book's live events in the warehouse (one that cannot withdraws nothing)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import psycopg

from palimpsest_pipeline.records import Book, Event
from palimpsest_pipeline.warehouse.partitions import utc_day
from palimpsest_pipeline.warehouse.store_inputs import Counts, checked_book

# The book's live events of the site's country kicking off on the dates, after the capture instant (``e``):
# one condition for judging, missing and confirming, so the three never disagree.
LIVE_OF_DATES = """e.book = %(book)s AND e.site_country = %(cc)s AND e.deleted_at IS NULL
  AND e.kickoff_date = ANY(%(dates)s::date[]) AND e.kickoff > %(captured)s"""


@dataclass(frozen=True)
class WithdrawalPolicy:
    """When absence from a scrape means an event is gone: ``withdraw_after`` consecutive complete scrapes
    miss it; a scrape missing more than ``max_drop_share`` of the live events withdraws nothing."""

    withdraw_after: int = 2
    max_drop_share: float = 0.3


#: The policy when the settings say nothing.
DEFAULT_WITHDRAWAL = WithdrawalPolicy()

#: A drop of fewer live events than this is never suspect on its share alone (a small book lists few).
MIN_SUSPECT_DROP = 3


def drop_verdict(live: int, missing: int, listed_in_dates: int, max_drop_share: float) -> str | None:
    """Why a complete scrape cannot be true, or None: nothing listed where ``live`` events are, or more than
    ``max_drop_share`` of them missing at once."""
    if live and not listed_in_dates:
        return f"listed no event on the run's dates, where {live} are live"
    if live and missing >= MIN_SUSPECT_DROP and missing > max_drop_share * live:
        return (
            f"{missing} of the {live} live events of the run's dates are missing ({missing / live:.0%}), "
            f"more than the {max_drop_share:.0%} a scrape may drop at once"
        )
    return None


@dataclass(frozen=True)
class SportCounts(Counts):
    """One sport of a scrape against the warehouse: its ``live`` future events of the dates, those the scrape
    did not list in any form (``missing``), and the scrape's events on the dates (``listed``)."""

    live: int = 0
    missing: int = 0
    listed: int = 0


def counts_by_sport(
    conn: psycopg.Connection,
    *,
    book: Book | str,
    site_country: str,
    events: Iterable[Event],
    dates: Sequence[date],
    captured_at: datetime,
    sports: Sequence[str] | None,
) -> dict[str, SportCounts]:
    """:class:`SportCounts` of a scrape of ``book``'s ``site_country`` site listing ``events``, per sport of
    ``sports`` (default: every sport the book has live there or the scrape lists), in one query."""
    book = checked_book(book, "counts_by_sport")
    listed = {e.event_id: e for e in events}
    rows = conn.execute(
        f"""
        SELECT e.sport, count(*), count(*) FILTER (WHERE NOT e.event_id = ANY(%(listed)s::text[]))
        FROM core.events AS e
        WHERE {LIVE_OF_DATES}
          AND (%(sports)s::text[] IS NULL OR e.sport = ANY(%(sports)s::text[]))
        GROUP BY e.sport
        """,
        {
            "book": book.value,
            "cc": site_country,
            "listed": list(listed),
            "dates": sorted(set(dates)),
            "captured": captured_at,
            "sports": list(sports) if sports is not None else None,
        },
    ).fetchall()
    counts = {sport: SportCounts() for sport in sports or ()}
    for sport, live, missing in rows:
        counts[sport] = SportCounts(int(live), int(missing))
    wanted = set(dates)
    for event in listed.values():
        if utc_day(event.kickoff) in wanted and (sports is None or event.sport in counts):
            counts[event.sport] = counts.get(event.sport, SportCounts()) + SportCounts(listed=1)
    return counts


def at_risk_of_withdrawal(
    conn: psycopg.Connection,
    *,
    book: Book | str,
    site_country: str,
    dates: Sequence[date],
    captured_at: datetime,
    withdraw_after: int,
) -> dict[str, str]:
    """The live future events of ``dates`` (event id -> sport) that a complete scrape at ``captured_at``
    withdraws if it does not list them: each has already missed ``withdraw_after - 1`` scrapes in a row."""
    book = checked_book(book, "at_risk_of_withdrawal")
    rows = conn.execute(
        f"SELECT e.event_id, e.sport FROM core.events AS e "
        f"WHERE {LIVE_OF_DATES} AND e.missed_scrapes + 1 >= %(after)s",
        {
            "book": book.value,
            "cc": site_country,
            "dates": sorted(set(dates)),
            "captured": captured_at,
            "after": withdraw_after,
        },
    ).fetchall()
    return {event_id: sport for event_id, sport in rows}
