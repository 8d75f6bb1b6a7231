"""Gap episodes from one poll, worked out by hand: opened, continued, closed; a side that flips; a row linked
through its Genius id; a book without a usable answer keeping its last known state; BetPawa's missing answer
judging nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from palimpsest_pipeline.records import Book, Event, Gap, LiveEvent
from palimpsest_pipeline.transforms.live_coverage import gap_changes, judge_answer

T0 = datetime(2026, 5, 4, 18, 0, tzinfo=UTC)
T1 = T0 + timedelta(seconds=30)


def live(book: Book, sr_id: int | None, genius_id: int | None = None) -> LiveEvent:
    event_id = f"{book.value}-{sr_id}-{genius_id}"
    event = Event(book, event_id, sr_id, "Home", "Away", T0, "t", "Cup", "X", "football", genius_id=genius_id)
    return LiveEvent(event, markets=10, suspended=1)


def gap(sr_id: int, side: str, live_on: tuple[str, ...], missing_on: tuple[str, ...], gap_id: int) -> Gap:
    return Gap(sr_id, side, "football", "X", "Cup", "Home", "Away", live_on, missing_on, T0, T0, gap_id)


def test_new_continued_closed_and_a_side_that_flips() -> None:
    open_gaps = [
        gap(1, "betpawa_missing", ("sportybet",), ("betpawa", "bet9ja"), 11),  # still missing on BetPawa
        gap(2, "betpawa_missing", ("sportybet",), ("betpawa", "bet9ja"), 12),  # BetPawa now live, Bet9ja not
        gap(3, "betpawa_missing", ("bet9ja",), ("betpawa", "sportybet"), 13),  # left every list
    ]
    views = {
        Book.BETPAWA: [live(Book.BETPAWA, 2), live(Book.BETPAWA, 4)],
        Book.SPORTYBET: [live(Book.SPORTYBET, 1), live(Book.SPORTYBET, 2), live(Book.SPORTYBET, 4)],
        Book.BET9JA: [live(Book.BET9JA, 1), live(Book.BET9JA, 4), live(Book.BET9JA, 5)],
    }
    changes = gap_changes(views, open_gaps, T1)
    assert [(g.gap_id, g.live_on, g.missing_on, g.last_seen_at) for g in changes.continued] == [
        (11, ("sportybet", "bet9ja"), ("betpawa",), T1)
    ]
    assert sorted(g.gap_id for g in changes.closed) == [12, 13]
    assert [(g.sr_id, g.side, g.live_on, g.missing_on, g.since) for g in changes.opened] == [
        (2, "competitor_missing", ("betpawa", "sportybet"), ("bet9ja",), T1),
        (5, "betpawa_missing", ("bet9ja",), ("betpawa", "sportybet"), T1),
    ]  # 4 is live everywhere: no gap


def test_a_betpawa_row_without_sr_id_is_linked_through_its_genius_id() -> None:
    views = {
        Book.BETPAWA: [
            live(Book.BETPAWA, None, genius_id=13_000_001),
            live(Book.BETPAWA, None, genius_id=99),
        ],
        Book.SPORTYBET: [live(Book.SPORTYBET, 7, genius_id=13_000_001)],
        Book.BET9JA: [live(Book.BET9JA, 7)],
    }
    changes = gap_changes(views, [], T1)
    assert changes.opened == [] and changes.unlinked == 1


def test_a_book_without_a_usable_answer_keeps_its_last_state_and_betpawas_missing_answer_judges_nothing() -> (
    None
):
    open_gaps = [gap(1, "betpawa_missing", ("sportybet",), ("betpawa", "bet9ja"), 11)]
    views = {Book.BETPAWA: [], Book.SPORTYBET: [live(Book.SPORTYBET, 1)], Book.BET9JA: None}
    changes = gap_changes(views, open_gaps, T1)
    assert [(g.gap_id, g.missing_on) for g in changes.continued] == [(11, ("betpawa", "bet9ja"))]
    assert changes.opened == changes.closed == []
    blind = gap_changes({**views, Book.BETPAWA: None}, open_gaps, T1)
    assert blind.opened == blind.continued == blind.closed == []


def test_an_empty_list_right_after_a_full_one_is_not_believed() -> None:
    assert judge_answer([], 3) is not None and judge_answer([], 2) is None and judge_answer([], None) is None
    assert judge_answer(None, 0) == "no answer"


def test_a_book_with_unreadable_rows_proves_nothing_by_leaving_a_match_out() -> None:
    open_gaps = [gap(1, "competitor_missing", ("betpawa", "sportybet"), ("bet9ja",), 11)]
    views = {
        Book.BETPAWA: [live(Book.BETPAWA, 1)],  # 2 may be among BetPawa's unreadable rows
        Book.SPORTYBET: [live(Book.SPORTYBET, 1), live(Book.SPORTYBET, 2)],
        Book.BET9JA: [live(Book.BET9JA, 1), live(Book.BET9JA, 2)],
    }
    changes = gap_changes(views, open_gaps, T1, partial=frozenset({Book.BETPAWA}))
    assert changes.opened == [] and [g.gap_id for g in changes.closed] == [11]  # what it shows still counts
    trusted = gap_changes(views, open_gaps, T1)
    assert [(g.sr_id, g.side) for g in trusted.opened] == [(2, "betpawa_missing")]
