"""The capture queue (``core.capture_requests``) against a real Postgres: idempotent per window, a newer
window supersedes the untaken older ones, takes by priority and never twice at once, chunks recorded, given
back and released requests taken again for what is left, and a notification for every change that leaves
something to take."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import psycopg
import pytest

from palimpsest_pipeline.warehouse.capture_requests import (
    CaptureRequestError,
    NewRequest,
    RequestKey,
    enqueue,
    finish,
    give_back,
    listen,
    record_captured,
    release_orphans,
    take_next,
    undone_requests,
    wait_for_notice,
)
from palimpsest_pipeline.warehouse.config import libpq_url

T0 = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
DAY = date(2026, 5, 4)
PRIORITY = {"imminent": 3, "soon": 2, "later": 1}


def request(tier: str, window: datetime, *sr_ids: int, country: str = "ng", resets: int = 0) -> NewRequest:
    return NewRequest(RequestKey(country, tier, window, resets), PRIORITY[tier], sr_ids or (1,), (DAY,))


def rows(conn: psycopg.Connection) -> list[tuple[object, ...]]:
    return conn.execute(
        "SELECT tier, window_start, outcome, taken_by, takes, captured_sr_ids FROM core.capture_requests "
        "ORDER BY window_start, tier"
    ).fetchall()


def test_a_window_is_enqueued_once(warehouse_conn: psycopg.Connection) -> None:
    first = enqueue(warehouse_conn, [request("imminent", T0, 1, 2)], now=T0)
    again = enqueue(warehouse_conn, [request("imminent", T0, 1, 2, 3)], now=T0 + timedelta(seconds=15))
    assert first.added == (RequestKey("ng", "imminent", T0),) and again.added == ()
    assert again.superseded == 0
    assert warehouse_conn.execute("SELECT sr_ids, requested_at FROM core.capture_requests").fetchall() == [
        ([1, 2], T0)
    ]


def test_a_newer_window_supersedes_the_untaken_older_ones_of_its_tier_only(
    warehouse_conn: psycopg.Connection,
) -> None:
    minute = timedelta(minutes=1)
    enqueue(warehouse_conn, [request("imminent", T0), request("later", T0)], now=T0)
    enqueue(warehouse_conn, [request("imminent", T0 + minute)], now=T0 + minute)
    taken = take_next(warehouse_conn, "ng", "worker-1", now=T0 + minute)
    assert taken is not None and taken.key.window_start == T0 + minute  # imminent before later
    done = enqueue(warehouse_conn, [request("imminent", T0 + 2 * minute)], now=T0 + 2 * minute)
    # the 12:00 window waited and is superseded; the 12:01 one is in progress and finishes as taken
    assert done.superseded == 0
    assert [(tier, window, outcome, taker) for tier, window, outcome, taker, *_ in rows(warehouse_conn)] == [
        ("imminent", T0, "superseded", None),
        ("later", T0, None, None),
        ("imminent", T0 + minute, None, "worker-1"),
        ("imminent", T0 + 2 * minute, None, None),
    ]
    reason = warehouse_conn.execute(
        "SELECT reason FROM core.capture_requests WHERE outcome = 'superseded'"
    ).fetchone()
    assert reason is not None and "ng imminent 2026-05-04T12:01:00Z requested" in reason[0]


def test_a_window_met_again_after_a_clock_step_is_a_new_request(warehouse_conn: psycopg.Connection) -> None:
    enqueue(warehouse_conn, [request("soon", T0)], now=T0)
    again = enqueue(warehouse_conn, [request("soon", T0, resets=1)], now=T0)
    assert again.added == (RequestKey("ng", "soon", T0, 1),) and again.superseded == 1


def test_takes_go_by_priority_then_the_oldest_window_and_only_above_a_priority_when_asked(
    warehouse_conn: psycopg.Connection,
) -> None:
    enqueue(
        warehouse_conn,
        [request("later", T0), request("soon", T0), request("imminent", T0, country="gh")],
        now=T0,
    )
    taken = take_next(warehouse_conn, "ng", "w", now=T0, above_priority=2)
    assert taken is None  # Ghana's imminent request is not Nigeria's
    order = []
    while (next_one := take_next(warehouse_conn, "ng", "w", now=T0)) is not None:
        order.append(next_one.key.tier)
    assert order == ["soon", "later"]
    assert undone_requests(warehouse_conn, "ng") == 2 and undone_requests(warehouse_conn, "gh") == 1


def test_two_takers_never_take_the_same_request(
    warehouse_url: str, warehouse_conn: psycopg.Connection
) -> None:
    enqueue(warehouse_conn, [request("imminent", T0), request("soon", T0)], now=T0)
    with psycopg.connect(libpq_url(warehouse_url)) as holder:
        # another taker's transaction holds the imminent row while this one takes
        holder.execute("SELECT 1 FROM core.capture_requests WHERE tier = 'imminent' FOR UPDATE")
        taken = take_next(warehouse_conn, "ng", "worker-2", now=T0)
        holder.rollback()
    assert taken is not None and taken.key.tier == "soon"


def test_what_a_taker_captured_stays_when_it_gives_back_and_the_next_takes_the_rest(
    warehouse_conn: psycopg.Connection,
) -> None:
    enqueue(warehouse_conn, [request("later", T0, 5, 3, 9, 7)], now=T0)
    first = take_next(warehouse_conn, "ng", "worker-1", now=T0 + timedelta(seconds=4))
    assert first is not None and first.remaining == (5, 3, 9, 7) and first.takes == 1
    assert first.start_delay == timedelta(seconds=4)
    assert record_captured(warehouse_conn, first.key, "worker-1", [5, 3])
    assert not record_captured(warehouse_conn, first.key, "worker-9", [9])  # not its request
    assert give_back(warehouse_conn, first.key, "worker-1")
    assert not finish(warehouse_conn, first.key, "worker-1", now=T0, outcome="done")  # no longer its
    second = take_next(warehouse_conn, "ng", "worker-2", now=T0 + timedelta(minutes=20))
    assert second is not None and second.remaining == (9, 7) and second.takes == 2
    assert second.start_delay == timedelta(seconds=4)  # from its first take
    assert record_captured(warehouse_conn, second.key, "worker-2", [9, 7, 5])
    assert finish(warehouse_conn, second.key, "worker-2", now=T0, outcome="done")
    assert rows(warehouse_conn) == [("later", T0, "done", "worker-2", 2, [3, 5, 7, 9])]
    assert take_next(warehouse_conn, "ng", "worker-2", now=T0) is None


def test_requests_of_a_taker_no_longer_alive_are_released(warehouse_conn: psycopg.Connection) -> None:
    enqueue(warehouse_conn, [request("imminent", T0), request("soon", T0), request("later", T0)], now=T0)
    dead = take_next(warehouse_conn, "ng", "dead-run", now=T0)
    alive = take_next(warehouse_conn, "ng", "live-run", now=T0)
    assert dead is not None and alive is not None
    released = release_orphans(warehouse_conn, "ng", {"live-run", "queued-run"})
    assert released == [(dead.key, "dead-run")]
    assert release_orphans(warehouse_conn, "ng", {"live-run"}) == []
    again = take_next(warehouse_conn, "ng", "new-run", now=T0)
    assert again is not None and again.key == dead.key and again.takes == 2


def test_every_change_leaving_work_notifies_the_countrys_channel(
    warehouse_url: str, warehouse_conn: psycopg.Connection
) -> None:
    with psycopg.connect(libpq_url(warehouse_url), autocommit=True) as listener:
        listen(listener, "ng")
        assert not wait_for_notice(listener, 0)
        enqueue(warehouse_conn, [request("imminent", T0, country="gh")], now=T0)
        assert not wait_for_notice(listener, 0)  # Ghana's queue, not Nigeria's
        enqueue(warehouse_conn, [request("imminent", T0)], now=T0)
        assert wait_for_notice(listener, 30)
        taken = take_next(warehouse_conn, "ng", "w", now=T0)
        assert taken is not None and give_back(warehouse_conn, taken.key, "w")
        assert wait_for_notice(listener, 30)
        take_next(warehouse_conn, "ng", "w", now=T0)
        assert release_orphans(warehouse_conn, "ng", set())
        assert wait_for_notice(listener, 30)


def test_the_analyst_view_says_how_long_after_falling_due_a_capture_started(
    warehouse_conn: psycopg.Connection,
) -> None:
    enqueue(warehouse_conn, [request("imminent", T0, 1, 2, 3)], now=T0 + timedelta(seconds=2))
    taken = take_next(warehouse_conn, "ng", "w", now=T0 + timedelta(seconds=7.5))
    assert taken is not None
    record_captured(warehouse_conn, taken.key, "w", [1, 2])
    view = warehouse_conn.execute(
        "SELECT events, captured_events, start_delay_s, outcome FROM analytics.capture_requests"
    ).fetchone()
    assert view == (3, 2, 7.5, None)


@pytest.mark.parametrize(
    "bad",
    [
        lambda: NewRequest(RequestKey("ng", "soon", T0), 2, (), (DAY,)),
        lambda: NewRequest(RequestKey("ng", "soon", T0), 0, (1,), (DAY,)),
        lambda: NewRequest(RequestKey("ng", "soon", T0.replace(tzinfo=None)), 2, (1,), (DAY,)),
    ],
)
def test_a_bad_request_is_refused_naming_it(bad: object) -> None:
    with pytest.raises(CaptureRequestError, match="capture request ng soon"):
        bad()  # type: ignore[operator]
