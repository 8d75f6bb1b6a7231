"""One poll's in-play suspension, worked out by hand: a row is in its half unless its score differs from
the book's 3 minutes before (after_goal, whatever the half), a row naming no half takes the one the other
books' rows of the match name, a row without a readable score, an earlier score or (without a goal) any
half is set aside with its reason, other sports are not counted, lines count per family."""

from __future__ import annotations

from datetime import date

import polars as pl

from palimpsest_pipeline.transforms.inplay_suspension import EARLIER, LINES, ROWS, poll_suspension

DAY = date(2026, 11, 24)


def test_rows_are_placed_in_phases_and_their_lines_counted_per_family() -> None:
    rows = pl.DataFrame(
        [
            ("betpawa", 1, DAY, "football", 1, 0, "first_half"),  # 0:0 three minutes before: a goal
            ("betpawa", 2, DAY, "football", 0, 0, "half_time"),  # unchanged: half time
            ("betpawa", 3, DAY, "football", None, None, "second_half"),  # no score: set aside
            ("sportybet", 1, DAY, "football", 1, 0, None),  # a goal, no half: after_goal all the same
            ("sportybet", 2, DAY, "football", 0, 0, None),  # no goal, no half: BetPawa's half time
            ("sportybet", 6, DAY, "football", 0, 0, None),  # no goal, no half on any book: set aside
            ("sportybet", 4, DAY, "football", 0, 0, "first_half"),  # not live 3 minutes before: set aside
            ("sportybet", 5, DAY, "basketball", 50, 48, None),  # not football: not counted
        ],
        schema=ROWS,
        orient="row",
    )
    earlier = pl.DataFrame(
        [
            ("betpawa", 1, 0, 0),
            ("betpawa", 2, 0, 0),
            ("sportybet", 1, 0, 0),
            ("sportybet", 2, 0, 0),
            ("sportybet", 6, 0, 0),
        ],
        schema=EARLIER,
        orient="row",
    )
    lines = pl.DataFrame(
        [
            ("betpawa", 1, "score 1x2", True),
            ("betpawa", 1, "score total", True),
            ("betpawa", 1, "score total", False),
            ("betpawa", 2, "score 1x2", False),
            ("betpawa", 3, "score 1x2", True),
            ("sportybet", 1, "score 1x2", True),
            ("sportybet", 2, "score 1x2", True),
            ("sportybet", 6, "score 1x2", True),
            ("sportybet", 4, "score 1x2", False),
            ("sportybet", 5, "points total", True),
        ],
        schema=LINES,
        orient="row",
    )
    counts, set_aside = poll_suspension(rows, lines, earlier)
    assert counts.rows() == [
        (DAY, "betpawa", "score 1x2", "after_goal", 1, 1, 1),
        (DAY, "betpawa", "score 1x2", "half_time", 2, 1, 0),
        (DAY, "betpawa", "score total", "after_goal", 1, 2, 1),
        (DAY, "sportybet", "score 1x2", "after_goal", 1, 1, 1),
        (DAY, "sportybet", "score 1x2", "half_time", 2, 1, 1),
    ]
    assert set_aside.rows() == [
        ("betpawa", "the row shows no readable score", 1),
        ("sportybet", "no score of the book's from 3 minutes before", 1),
        ("sportybet", "the row shows no readable half", 1),
    ]
