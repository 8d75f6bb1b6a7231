"""How each match listed prematch went live on each book: on time, late, never live, removed before kick-off,
unmonitored (the book not watched at kick-off) or rescheduled, from the catalogue, the live polls' statuses
and each book's first live sighting. A status is claimed only on evidence: late needs a usable poll that
missed the match after the threshold, never a poll that was not made or failed.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import polars as pl

#: Not live this long after kick-off: late.
LATE_AFTER = timedelta(minutes=5)
#: Not live this long after kick-off: never live (a sighting later than this does not count).
NEVER_AFTER = timedelta(minutes=90)
#: Gone from the prematch list more than this long before kick-off: removed.
REMOVED_BEFORE = timedelta(minutes=30)
#: A kick-off moved by more than this (in the prematch list, or the live row against it): a reschedule.
MOVED_BY = timedelta(minutes=1)
#: The book is watched at kick-off when it had a usable poll within this long before and after it.
WATCH_GAP = timedelta(seconds=90)
#: The highest match minute the feed shows for a match that itself started late.
DELAYED_MINUTE = 5

STATUSES = ("on_time", "late", "never_live", "removed", "unmonitored", "rescheduled")

#: The columns of analytics.live_starts the transform fills (site_country added by the caller).
COLUMNS = (
    "kickoff_date", "sr_id", "book", "event_id", "sport", "country", "tournament", "home", "away", "kickoff",
    "status", "first_live_at", "minutes_to_live", "match_minute", "reason",
)  # fmt: skip


#: A start this long after its kick-off is final: every poll that can change it is older.
FINAL_AFTER = NEVER_AFTER + WATCH_GAP
#: A country's first poll judges the kick-offs this far back.
FIRST_LOOKBACK = timedelta(days=1)


def judged_window(now: datetime, previous: datetime | None) -> tuple[datetime, datetime]:
    """The kick-offs (after, up to] whose starts a poll at ``now`` can change: those not yet final at the
    country's previous poll (``previous``; None: its first poll, a day back), up to ``now``."""
    after = now - FIRST_LOOKBACK - FINAL_AFTER if previous is None else previous - FINAL_AFTER
    return min(after, now - FINAL_AFTER), now


def kickoff_dates(window: tuple[datetime, datetime]) -> list[date]:
    """The kick-off dates (UTC) ``window`` spans."""
    first, last = (at.astimezone(UTC).date() for at in window)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def prematch_events(events: pl.DataFrame) -> pl.DataFrame:
    """One prematch row per (book, sr_id): the one still listed, else the one seen last (a match re-listed
    under another id leaves its withdrawn row behind)."""
    return (
        events.filter(pl.col("sr_id").is_not_null())
        .sort(
            [pl.col("deleted_at").is_null(), pl.col("last_seen_at"), pl.col("event_id")],
            descending=[True, True, False],
        )
        .unique(["book", "sr_id"], keep="first", maintain_order=True)
    )


def live_starts(
    events: pl.DataFrame,
    moves: pl.DataFrame,
    sightings: pl.DataFrame,
    polls: pl.DataFrame,
    now: datetime,
) -> pl.DataFrame:
    """Each judgeable (match, book)'s start, as :data:`COLUMNS`.

    ``events``: core.events rows (book, event_id, sr_id, kickoff, sport, country, tournament_name, home, away,
    last_seen_at, deleted_at); ``moves``: the catalogue's kick-off changes (book, event_id, kickoff,
    previous_kickoff); ``sightings``: each book's first live sighting (book, sr_id, first_live_at,
    match_minute, live_kickoff); ``polls``: every live poll of each book (book, polled_at, ok). A match whose
    kick-off has not passed, or whose start no poll can yet tell, has no row.
    """
    prematch = prematch_events(events).filter(pl.col("kickoff") <= now)
    moved = (
        moves.filter((pl.col("kickoff") - pl.col("previous_kickoff")).abs() > MOVED_BY)
        .select("book", "event_id")
        .unique()
        .with_columns(pl.lit(True).alias("moved"))
    )
    ok = polls.filter(pl.col("ok")).select("book", pl.col("polled_at").alias("at"))
    frame = (
        prematch.join(moved, on=["book", "event_id"], how="left")
        .join(sightings, on=["book", "sr_id"], how="left")
        .with_columns(
            (pl.col("kickoff") + LATE_AFTER).alias("late_at"),
            (pl.col("kickoff") + NEVER_AFTER).alias("never_at"),
            (pl.col("kickoff") - WATCH_GAP).alias("watch_from"),
        )
        .sort("kickoff")
    )
    frame = _poll_after(frame, ok, "watch_from", "watched_from")
    frame = _poll_after(frame, ok, "kickoff", "first_after_kickoff")
    frame = _poll_after(frame, ok, "late_at", "late_poll")
    frame = _poll_after(frame, ok, "never_at", "never_poll")
    seen = pl.when(pl.col("first_live_at") < pl.col("never_at")).then(pl.col("first_live_at")).otherwise(None)
    frame = frame.with_columns(seen.alias("seen_at"))
    watched = (pl.col("watched_from") <= pl.col("kickoff")) & (
        pl.col("first_after_kickoff") <= pl.col("kickoff") + WATCH_GAP
    )
    watch_known = pl.col("first_after_kickoff").is_not_null() | (pl.lit(now) >= pl.col("kickoff") + WATCH_GAP)
    removed = pl.col("deleted_at").is_not_null() & (
        pl.col("last_seen_at") < pl.col("kickoff") - REMOVED_BEFORE
    )
    rescheduled = pl.col("moved").fill_null(False) | (
        (pl.col("live_kickoff") - pl.col("kickoff")).abs() > MOVED_BY
    ).fill_null(False)
    late_poll_missed = (
        pl.col("late_poll").is_not_null()
        & (pl.col("late_poll") < pl.col("never_at"))
        & (pl.col("seen_at").is_null() | (pl.col("late_poll") < pl.col("seen_at")))
    )
    # seen by the first usable poll after the threshold: on time only when the book was watched at kick-off
    on_time = (
        pl.col("seen_at").is_not_null()
        & ~late_poll_missed
        & ((pl.col("seen_at") < pl.col("late_at")) | watched.fill_null(False))
    )
    never = pl.col("seen_at").is_null() & pl.col("never_poll").is_not_null()
    status = (
        pl.when(removed)
        .then(pl.lit("removed"))
        .when(rescheduled)
        .then(pl.lit("rescheduled"))
        .when(on_time)
        .then(pl.lit("on_time"))
        .when(watch_known & ~watched.fill_null(False))
        .then(pl.lit("unmonitored"))
        .when(never)
        .then(pl.lit("never_live"))
        .when(late_poll_missed)
        .then(pl.lit("late"))
        .otherwise(None)
    )
    minute = pl.when(pl.col("seen_at").is_not_null()).then(pl.col("match_minute")).otherwise(None)
    frame = frame.with_columns(status.alias("status"), minute.alias("match_minute")).filter(
        pl.col("status").is_not_null()
    )
    reason = (
        pl.when((pl.col("status") == "late") & pl.col("match_minute").is_not_null())
        .then(
            pl.when(pl.col("match_minute") <= DELAYED_MINUTE)
            .then(pl.lit("match_delayed"))
            .otherwise(pl.lit("coverage_late"))
        )
        .otherwise(None)
    )
    return (
        frame.with_columns(
            pl.col("kickoff").dt.convert_time_zone("UTC").dt.date().alias("kickoff_date"),
            pl.col("tournament_name").alias("tournament"),
            pl.col("seen_at").alias("first_live_at"),
            ((pl.col("seen_at") - pl.col("kickoff")).dt.total_seconds() / 60)
            .round(2)
            .alias("minutes_to_live"),
            reason.alias("reason"),
        )
        .select(COLUMNS)
        .sort("kickoff", "sr_id", "book")
    )


def _poll_after(frame: pl.DataFrame, ok: pl.DataFrame, on: str, name: str) -> pl.DataFrame:
    """``frame`` with ``name``: the book's first usable poll at or after ``on`` (None: none yet)."""
    polls = ok.with_columns(pl.col("at").alias(name)).rename({"at": on}).sort(on)
    return frame.sort(on).join_asof(polls, on=on, by="book", strategy="forward", check_sortedness=False)
