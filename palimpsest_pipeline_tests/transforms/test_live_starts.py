"""Each match's live start on each book, worked out by hand: on time, late (the threshold at exactly five
minutes), never live (at exactly ninety), removed, rescheduled, unmonitored (a book down through the
kick-off), and the late reason from the feed's match minute."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import polars as pl

from palimpsest_pipeline.transforms.live_starts import judged_window, kickoff_dates, live_starts

K = datetime(2026, 5, 4, 18, 0, tzinfo=UTC)
POLL = timedelta(seconds=30)
TS = pl.Datetime("us", "UTC")


def m(minutes: float) -> datetime:
    return K + timedelta(minutes=minutes)


def events(*rows: tuple[str, int, datetime, datetime, datetime | None]) -> pl.DataFrame:
    """(book, sr_id, kickoff, last_seen_at, deleted_at) rows."""
    return pl.DataFrame(
        [
            {
                "book": book, "event_id": f"{book}-{sr_id}", "sr_id": sr_id, "kickoff": kickoff,
                "sport": "football", "country": "X", "tournament_name": "Cup", "home": "H", "away": "A",
                "last_seen_at": last_seen, "deleted_at": deleted,
            }
            for book, sr_id, kickoff, last_seen, deleted in rows
        ],
        schema_overrides={"kickoff": TS, "last_seen_at": TS, "deleted_at": TS},
    )  # fmt: skip


def listed(book: str, sr_id: int, kickoff: datetime = K) -> tuple[str, int, datetime, datetime, None]:
    return (book, sr_id, kickoff, kickoff - timedelta(minutes=10), None)


def moves(*rows: tuple[str, int, datetime, datetime]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "book": [r[0] for r in rows],
            "event_id": [f"{r[0]}-{r[1]}" for r in rows],
            "kickoff": [r[2] for r in rows],
            "previous_kickoff": [r[3] for r in rows],
        },
        schema={"book": pl.String, "event_id": pl.String, "kickoff": TS, "previous_kickoff": TS},
    )


def sightings(*rows: tuple[str, int, datetime, int | None]) -> pl.DataFrame:
    """(book, sr_id, first_live_at, match_minute); the live row's kick-off is K."""
    return pl.DataFrame(
        {
            "book": [r[0] for r in rows],
            "sr_id": [r[1] for r in rows],
            "first_live_at": [r[2] for r in rows],
            "match_minute": [r[3] for r in rows],
            "live_kickoff": [K for _ in rows],
        },
        schema={
            "book": pl.String, "sr_id": pl.Int64, "first_live_at": TS, "match_minute": pl.Int32,
            "live_kickoff": TS,
        },
    )  # fmt: skip


def polls(book: str, start: datetime, end: datetime, down: tuple[datetime, datetime] | None = None) -> list:
    rows = []
    at = start
    while at <= end:
        ok = down is None or not down[0] <= at < down[1]
        rows.append({"book": book, "polled_at": at, "ok": ok})
        at += POLL
    return rows


def poll_frame(*parts: list) -> pl.DataFrame:
    return pl.DataFrame(
        [row for part in parts for row in part], schema={"book": pl.String, "polled_at": TS, "ok": pl.Boolean}
    )


def judge(frame: pl.DataFrame, seen: pl.DataFrame, start: float, now: float) -> dict[tuple[int, str], tuple]:
    """BetPawa polled every 30 s from ``start`` to ``now`` minutes after kick-off, all usable."""
    return judged(live_starts(frame, moves(), seen, poll_frame(polls("betpawa", m(start), m(now))), m(now)))


def judged(frame: pl.DataFrame) -> dict[tuple[int, str], tuple]:
    return {
        (row["sr_id"], row["book"]): (row["status"], row["minutes_to_live"], row["reason"])
        for row in frame.iter_rows(named=True)
    }


def test_on_time_late_at_the_threshold_and_the_reason_from_the_minute() -> None:
    found = live_starts(
        events(*(listed("betpawa", sr) for sr in (1, 2, 3, 4, 5))),
        moves(),
        sightings(
            ("betpawa", 1, m(2), 2),  # on time
            ("betpawa", 2, m(5), 5),  # first seen by the poll at exactly five minutes: not proven late
            ("betpawa", 3, m(5.5), 6),  # the poll at five minutes missed it: late, the match under way
            ("betpawa", 4, m(12), 3),  # late, the feed at minute 3: the match itself started late
            ("betpawa", 5, m(9), None),  # late, no minute in the row: no reason guessed
        ),
        poll_frame(polls("betpawa", m(-10), m(20))),
        m(20),
    )
    assert judged(found) == {
        (1, "betpawa"): ("on_time", 2.0, None),
        (2, "betpawa"): ("on_time", 5.0, None),
        (3, "betpawa"): ("late", 5.5, "coverage_late"),
        (4, "betpawa"): ("late", 12.0, "match_delayed"),
        (5, "betpawa"): ("late", 9.0, None),
    }
    assert found["kickoff_date"].to_list() == [K.date()] * 5


def test_late_within_one_poll_and_undecided_before() -> None:
    """Not live at kick-off plus four minutes: no row yet; the first poll at five minutes finds it late."""
    frame = events(listed("betpawa", 1))
    assert live_starts(
        frame, moves(), sightings(), poll_frame(polls("betpawa", m(-5), m(4.5))), m(4.5)
    ).is_empty()
    found = live_starts(frame, moves(), sightings(), poll_frame(polls("betpawa", m(-5), m(5))), m(5))
    assert judged(found) == {(1, "betpawa"): ("late", None, None)}


def test_never_live_at_exactly_ninety_minutes() -> None:
    frame = events(listed("betpawa", 1), listed("betpawa", 2))
    seen = sightings(("betpawa", 2, m(90), 91))  # seen only at ninety minutes: too late to count
    before = live_starts(frame, moves(), seen, poll_frame(polls("betpawa", m(-5), m(89.5))), m(89.5))
    assert judged(before) == {(1, "betpawa"): ("late", None, None), (2, "betpawa"): ("late", None, None)}
    after = live_starts(frame, moves(), seen, poll_frame(polls("betpawa", m(-5), m(90))), m(90))
    assert judged(after) == {
        (1, "betpawa"): ("never_live", None, None),
        (2, "betpawa"): ("never_live", None, None),
    }


def test_removed_more_than_thirty_minutes_before_kickoff() -> None:
    frame = events(
        ("betpawa", 1, K, m(-31), m(-1)),  # last listed 31 minutes before: removed
        ("betpawa", 2, K, m(-29), m(-1)),  # 29 minutes before: judged as any other (never live here)
        ("betpawa", 3, K, m(-60), None),  # last seen long ago but never withdrawn: not removed
    )
    found = live_starts(frame, moves(), sightings(), poll_frame(polls("betpawa", m(-5), m(95))), m(95))
    assert judged(found) == {
        (1, "betpawa"): ("removed", None, None),
        (2, "betpawa"): ("never_live", None, None),
        (3, "betpawa"): ("never_live", None, None),
    }


def test_a_withdrawn_row_left_behind_by_a_relisting_does_not_count() -> None:
    frame = pl.concat(
        [
            events(("betpawa", 1, K, m(-120), m(-100))),
            events(listed("betpawa", 1)).with_columns(pl.lit("betpawa-1b").alias("event_id")),
        ]
    )
    found = live_starts(
        frame, moves(), sightings(("betpawa", 1, m(1), 1)), poll_frame(polls("betpawa", m(-5), m(10))), m(10)
    )
    assert judged(found) == {(1, "betpawa"): ("on_time", 1.0, None)}
    assert found["event_id"].to_list() == ["betpawa-1b"]


def test_a_reschedule_raises_no_late_alarm() -> None:
    frame = events(listed("betpawa", 1), listed("betpawa", 2), listed("betpawa", 3))
    found = live_starts(
        frame,
        moves(("betpawa", 1, K, m(-120)), ("betpawa", 2, K, m(-1))),  # moved two hours; moved one minute
        sightings(),
        poll_frame(polls("betpawa", m(-5), m(20))),
        m(20),
    )
    assert judged(found) == {
        (1, "betpawa"): ("rescheduled", None, None),
        (2, "betpawa"): ("late", None, None),  # a minute is not a reschedule
        (3, "betpawa"): ("late", None, None),
    }


def test_a_live_row_showing_another_kickoff_is_a_reschedule() -> None:
    seen = sightings(("betpawa", 1, m(20), 5)).with_columns(pl.lit(m(15)).cast(TS).alias("live_kickoff"))
    found = live_starts(
        events(listed("betpawa", 1)), moves(), seen, poll_frame(polls("betpawa", m(-5), m(25))), m(25)
    )
    assert judged(found) == {(1, "betpawa"): ("rescheduled", 20.0, None)}


def test_a_book_down_through_the_kickoff_is_unmonitored_not_late() -> None:
    frame = events(listed("betpawa", 1), listed("sportybet", 1), listed("betpawa", 2), listed("betpawa", 3))
    found = live_starts(
        frame,
        moves(),
        sightings(
            ("betpawa", 1, m(8), 8),
            ("sportybet", 1, m(1), 1),
            ("betpawa", 2, m(4), 4),
            ("betpawa", 3, m(5), 5),
        ),
        poll_frame(
            polls("betpawa", m(-10), m(20), down=(m(-3), m(4))),  # failing from three minutes before kick-off
            polls("sportybet", m(-10), m(20)),
        ),
        m(20),
    )
    assert judged(found) == {
        (1, "betpawa"): ("unmonitored", 8.0, None),
        (1, "sportybet"): ("on_time", 1.0, None),
        (2, "betpawa"): ("on_time", 4.0, None),  # seen within five minutes once back: on time all the same
        (3, "betpawa"): ("unmonitored", 5.0, None),  # first seen at five minutes, unwatched before: unknown
    }


def test_no_poll_at_all_around_the_kickoff_is_unmonitored_and_a_short_blip_is_not() -> None:
    frame = events(listed("betpawa", 1))
    gone = poll_frame(polls("betpawa", m(-30), m(-10)), polls("betpawa", m(6), m(20)))
    assert judged(live_starts(frame, moves(), sightings(), gone, m(20))) == {
        (1, "betpawa"): ("unmonitored", None, None)
    }
    blip = poll_frame(polls("betpawa", m(-10), m(20), down=(m(-0.5), m(0.5))))
    assert judged(live_starts(frame, moves(), sightings(), blip, m(20))) == {
        (1, "betpawa"): ("late", None, None)
    }


def test_before_kickoff_nothing() -> None:
    frame = events(listed("betpawa", 1, m(10)))
    assert live_starts(
        frame, moves(), sightings(), poll_frame(polls("betpawa", m(-5), m(5))), m(5)
    ).is_empty()


def test_a_poll_judges_the_kickoffs_not_final_at_the_previous_poll() -> None:
    now = datetime(2026, 5, 5, 0, 30, tzinfo=UTC)
    # by hand: final 90 minutes (never live) and 90 seconds (the watch) after kick-off
    assert judged_window(now, now - timedelta(seconds=30)) == (
        datetime(2026, 5, 4, 22, 58, tzinfo=UTC),
        now,
    )
    assert kickoff_dates(judged_window(now, now - timedelta(seconds=30))) == [
        date(2026, 5, 4),
        date(2026, 5, 5),
    ]
    # after a silence, every kick-off since the last poll's window; a country's first poll, a day back
    assert judged_window(now, now - timedelta(hours=5))[0] == datetime(2026, 5, 4, 17, 58, 30, tzinfo=UTC)
    assert judged_window(now, None)[0] == datetime(2026, 5, 3, 22, 58, 30, tzinfo=UTC)
    assert judged_window(now, now + timedelta(hours=1))[0] == now - timedelta(minutes=91, seconds=30)
