"""One stored live start (``analytics.live_starts``) judged against the sandbox world's truth
(``live_coverage.start_truth``), for the integration test and the chaos cell alike: what it checked, and the
mismatch if any. Late must be found by the first poll after the world's start (5 minutes or more late), with
the reason the world's match minute at that poll gives; never late where the book was down at kick-off
(unmonitored) nor for a rescheduled match."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

import psycopg

from palimpsest_pipeline.records import Book
from palimpsest_sandbox import WorldEvent
from palimpsest_sandbox.live_coverage import ForcedLiveStarts, StartTruth, start_truth, state_at

#: The live poll interval the judge allows between the world's start and the poll that saw it.
POLL = timedelta(seconds=30)
#: A book failing this close before kick-off was not watched at it (the pipeline's rule, restated).
WATCH = timedelta(seconds=90)
LATE_AFTER = timedelta(minutes=5)


@dataclass(frozen=True)
class Stored:
    """A row of ``analytics.live_starts`` (None fields: no row)."""

    status: str | None
    first_live_at: datetime | None
    reason: str | None


def read_stored(conn: psycopg.Connection, kickoff_date: date) -> dict[tuple[int, Book], Stored]:
    """Nigeria's stored live starts of ``kickoff_date``, by (match, book)."""
    rows = conn.execute(
        "SELECT sr_id, book, status, first_live_at, reason FROM analytics.live_starts"
        " WHERE site_country = 'ng' AND kickoff_date = %s",
        (kickoff_date,),
    ).fetchall()
    return {(sr_id, Book(book)): Stored(status, first, reason) for sr_id, book, status, first, reason in rows}


def expected_truth(
    event: WorldEvent, book: Book, refreshes: Sequence[datetime], forced: ForcedLiveStarts | None = None
) -> StartTruth | None:
    """The world's start of ``event`` on ``book`` as a catalogue refreshed at ``refreshes`` can know it: a
    reschedule no refresh saw on both sides of its move is a match at its new kick-off."""
    truth = start_truth(event, book, forced)
    moved, listing = event.rescheduled, event.listings.get(book)
    if truth is None or truth.status != "rescheduled" or moved is None or listing is None:
        return truth
    before = any(listing.appear_at <= at < moved.moved_at for at in refreshes)
    after = any(moved.moved_at <= at < event.kickoff for at in refreshes)
    return truth if before and after else start_truth(replace(event, rescheduled=None), book, forced)


def judge(
    event: WorldEvent, book: Book, truth: StartTruth, stored: Stored, down: bool
) -> tuple[str, str | None]:
    """(what was checked, the mismatch or None) for one (match, book) the catalogue knew."""
    status, first_live_at = stored.status, stored.first_live_at
    if down:
        if status == "late":
            return "unmonitored", "late_while_down"
        if truth.status in ("rescheduled", "removed"):  # known from the catalogue, down or not
            return truth.status, None if status == truth.status else "status_wrong"
        return "unmonitored", None if status == "unmonitored" else "unmonitored_missing"
    if status == "late" and truth.status not in ("late", "never_live"):
        return truth.status, "late_invented"
    if truth.status in ("rescheduled", "removed", "never_live"):
        return truth.status, None if status == truth.status else "status_wrong"
    if truth.live_at is None:
        return truth.status, "truth_without_start"
    seen_in_time = first_live_at is not None and timedelta(0) <= first_live_at - truth.live_at <= POLL
    if truth.status == "on_time" or truth.live_at < truth.kickoff + LATE_AFTER + POLL:
        allowed = ("on_time",) if truth.status == "on_time" else ("on_time", "late")
        if status not in allowed:
            return "on_time", "status_wrong"
        return "on_time", None if seen_in_time else "first_live_wrong"
    if status != "late":
        return "late", "late_missed"
    if not seen_in_time or first_live_at is None:
        return "late", "first_live_wrong"
    state = state_at(event, first_live_at)  # the reason from the minute the world shows at that poll
    expected = None if state is None else ("match_delayed" if state.minute <= 5 else "coverage_late")
    if book is Book.BETWAY and event.sport != "football":
        expected = None  # Betway's clock is read for football's halves only
    return expected or "late", None if stored.reason == expected else "reason_wrong"


def was_down(truth: StartTruth, spells: Sequence[tuple[datetime, datetime]]) -> bool:
    """Whether the book failed through ``WATCH`` before or after the kick-off it showed: no usable poll of it
    there, so the pipeline cannot have watched the kick-off."""
    kickoff = truth.kickoff
    return any(
        (start <= kickoff - WATCH and end > kickoff) or (start <= kickoff and end > kickoff + WATCH)
        for start, end in spells
    )
