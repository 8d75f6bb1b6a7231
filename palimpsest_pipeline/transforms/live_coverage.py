"""Live gaps from one poll of a country's books' live lists: which episodes (match, side: betpawa_missing or
competitor_missing) open, continue and close. An unusable answer changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from palimpsest_pipeline.records import Book, Gap, GapChanges, LiveEvent, Suspension

COMPETITORS = tuple(book for book in Book if book is not Book.BETPAWA)
#: Whose names a gap carries: the first of these showing the match live.
NAME_ORDER = (Book.BETPAWA, *COMPETITORS)
#: An empty live list right after one with at least this many matches is not believed (an outage's answer).
IMPLAUSIBLE_AFTER = 3


def judge_answer(events: Sequence[LiveEvent] | None, previous_count: int | None) -> str | None:
    """Why a book's answer cannot be used (None: it can): no answer, or an implausible empty list."""
    if events is None:
        return "no answer"
    if not events and previous_count is not None and previous_count >= IMPLAUSIBLE_AFTER:
        return f"an empty live list right after one of {previous_count} matches"
    return None


def link_sr_ids(
    views: Mapping[Book, Sequence[LiveEvent] | None],
) -> tuple[dict[Book, dict[int, LiveEvent]], int]:
    """Each usable book's live rows by SportRadar id; a row without one is linked through its Genius id when
    another row shows both ids (a book's Genius-fed rows). Also the count of rows left unlinked."""
    genius_to_sr = {
        live.event.genius_id: live.event.sr_id
        for events in views.values()
        for live in events or ()
        if live.event.sr_id is not None and live.event.genius_id is not None
    }
    linked: dict[Book, dict[int, LiveEvent]] = {}
    unlinked = 0
    for book, events in views.items():
        if events is None:
            continue
        rows = linked.setdefault(book, {})
        for live in events:
            sr_id = live.event.sr_id
            if sr_id is None and live.event.genius_id is not None:
                sr_id = genius_to_sr.get(live.event.genius_id)
            if sr_id is None:
                unlinked += 1
            else:
                rows.setdefault(sr_id, live)
    return linked, unlinked


def gap_changes(
    views: Mapping[Book, Sequence[LiveEvent] | None],
    open_gaps: Sequence[Gap],
    polled_at: datetime,
    partial: frozenset[Book] = frozenset(),
) -> GapChanges:
    """The episodes this poll opens, continues and closes, given the usable answers (None: unusable); a match
    a ``partial`` book (rows unread) does not show counts as unknown there."""
    linked, unlinked = link_sr_ids(views)
    if Book.BETPAWA not in linked:
        return GapChanges([], [], [], unlinked)
    open_by_match: dict[int, list[Gap]] = {}
    for gap in open_gaps:
        open_by_match.setdefault(gap.sr_id, []).append(gap)
    opened: list[Gap] = []
    continued: list[Gap] = []
    closed: list[Gap] = []
    for sr_id in sorted(set(open_by_match).union(*(rows.keys() for rows in linked.values()))):
        previous = open_by_match.get(sr_id, [])
        state = _states(sr_id, linked, previous, partial)
        side, live_on, missing_on = _side(state)
        current = next((gap for gap in previous if gap.side == side), None)
        closed.extend(gap for gap in previous if gap is not current)
        if side is None:
            continue
        rows = [linked[book][sr_id] for book in NAME_ORDER if sr_id in linked.get(book, {})]
        if current is not None:
            named = _named(current, rows[0]) if rows else current
            continued.append(replace(named, live_on=live_on, missing_on=missing_on, last_seen_at=polled_at))
        elif rows:
            event = rows[0].event
            opened.append(
                Gap(sr_id, side, event.sport, event.country, event.tournament_name, event.home, event.away,
                    live_on, missing_on, polled_at, polled_at)
            )  # fmt: skip
    return GapChanges(opened, continued, closed, unlinked)


def _states(
    sr_id: int,
    linked: Mapping[Book, Mapping[int, LiveEvent]],
    previous: Sequence[Gap],
    partial: frozenset[Book],
) -> dict[Book, bool]:
    """Whether each book shows the match live: its answer, or (unusable) its state in the open episode."""
    state: dict[Book, bool] = {}
    for book in Book:
        if book in linked and (sr_id in linked[book] or book not in partial):
            state[book] = sr_id in linked[book]
            continue
        for gap in previous:
            if book.value in gap.live_on or book.value in gap.missing_on:
                state[book] = book.value in gap.live_on
                break
    return state


def _side(state: Mapping[Book, bool]) -> tuple[str | None, tuple[str, ...], tuple[str, ...]]:
    live = [book.value for book in NAME_ORDER if state.get(book) is True]
    missing = [book.value for book in NAME_ORDER if state.get(book) is False]
    competitors_live = any(state.get(book) is True for book in COMPETITORS)
    competitors_missing = any(state.get(book) is False for book in COMPETITORS)
    if state.get(Book.BETPAWA) is False and competitors_live:
        return "betpawa_missing", tuple(live), tuple(missing)
    if state.get(Book.BETPAWA) is True and competitors_missing:
        return "competitor_missing", tuple(live), tuple(missing)
    return None, (), ()


def _named(gap: Gap, live: LiveEvent) -> Gap:
    event = live.event
    return replace(
        gap, sport=event.sport, country=event.country, tournament=event.tournament_name, home=event.home,
        away=event.away,
    )  # fmt: skip


def suspension(
    book: Book, events: Sequence[LiveEvent] | None, status: str, error: str | None, bad_rows: int = 0
) -> Suspension:
    """The book's suspended share this poll, or its failure."""
    if status != "ok" or events is None:
        return Suspension(book, status, None, None, None, error, bad_rows)
    markets = sum(live.markets for live in events)
    suspended = sum(live.suspended for live in events)
    return Suspension(book, "ok", len(events), markets, suspended, None, bad_rows)
