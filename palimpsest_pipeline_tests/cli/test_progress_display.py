"""The progress records and the plain display: parsing, throttling, lines and heartbeats, on a fake clock."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from palimpsest_pipeline.cli.progress import PlainDisplay, describe
from palimpsest_pipeline.deploy.progress_log import ProgressRecord, ProgressThrottle, parse_progress


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_records_survive_the_log_and_other_messages_are_not_records() -> None:
    record = ProgressRecord("odds capture", 250, 1000, detail="ok 740, failed 2")
    assert parse_progress(record.message()) == record
    assert parse_progress(ProgressRecord("catalogue", 12, book="bet9ja", unit="responses").message()) == (
        ProgressRecord("catalogue", 12, book="bet9ja", unit="responses")
    )
    for message in ("scraping bet9ja at http://x", "progress {not json", 'progress {"step": "x"}', ""):
        assert parse_progress(message) is None


def test_describe_reads_like_a_sentence() -> None:
    assert describe(ProgressRecord("odds capture", 250, 1000, detail="ok 740")) == (
        "odds capture: 250/1,000 events (ok 740)"
    )
    assert describe(ProgressRecord("catalogue", 1200, book="bet9ja", unit="responses")) == (
        "catalogue bet9ja: 1,200 responses"
    )
    assert describe(ProgressRecord("catalogue", 1, book="bet9ja", unit="responses")) == (
        "catalogue bet9ja: 1 response"
    )


def test_a_line_names_its_site_country_and_each_country_keeps_its_own_bar() -> None:
    ghana = ProgressRecord("catalogue", 40, book="sportybet", unit="responses", site_country="gh")
    assert parse_progress(ghana.message()) == ghana
    assert describe(ghana) == "catalogue gh sportybet: 40 responses"
    assert describe(ProgressRecord("odds capture", 3, 9, site_country="ng")) == "odds capture ng: 3/9 events"
    lines: list[str] = []
    display = PlainDisplay(lines.append, clock=FakeClock())
    nigeria = ProgressRecord("catalogue", 70, book="sportybet", unit="responses", site_country="ng")
    display.progress(nigeria)
    display.progress(ghana)
    assert (nigeria.key(), ghana.key()) == (
        ("catalogue", "ng", "sportybet"),
        ("catalogue", "gh", "sportybet"),
    )
    assert lines[-1].endswith("catalogue gh sportybet: 40 responses")


def test_the_throttle_lets_one_record_through_per_interval() -> None:
    clock, sent = FakeClock(), []
    throttle = ProgressThrottle(sent.append, interval_s=2.0, clock=clock)
    record = ProgressRecord("catalogue", 1)
    assert throttle(record)  # the first always
    clock.now += 1.9
    assert not throttle(record)
    clock.now += 0.1
    assert throttle(record)
    assert throttle(record, force=True)  # an end-of-step record is never held back
    assert len(sent) == 3


def test_plain_lines_are_timestamped_and_a_quiet_run_gets_heartbeats() -> None:
    clock, lines = FakeClock(), []
    wall = datetime(2026, 11, 22, 12, 0, 0, tzinfo=UTC)
    display = PlainDisplay(lines.append, clock=clock, wall=lambda: wall, heartbeat_s=5.0)
    display.step("bet9ja_catalogue", "started")
    clock.now += 4.0
    display.tick()  # said something 4 s ago: quiet
    assert len(lines) == 1
    clock.now += 1.5
    display.tick()  # 5.5 s of silence: a heartbeat naming the running step
    assert lines[-1] == "[12:00:00] +    6s working: bet9ja_catalogue (6s)"
    display.progress(ProgressRecord("catalogue", 120, book="bet9ja", unit="responses"))
    display.step("bet9ja_catalogue", "succeeded")
    display.step("odds_snapshots", "started")
    display.step("odds_snapshots", "failed", "book down")
    assert lines[0] == "[12:00:00] +    0s bet9ja_catalogue started"
    assert lines[-3] == "[12:00:00] +    6s bet9ja_catalogue succeeded in 5.5s"
    assert lines[-1] == "[12:00:00] +    6s odds_snapshots failed in 0.0s: book down"
    assert display.state.kept() == "bet9ja_catalogue"


@pytest.mark.parametrize("silence", [0.0, 4.9])
def test_no_heartbeat_before_the_interval(silence: float) -> None:
    clock, lines = FakeClock(), []
    display = PlainDisplay(lines.append, clock=clock, heartbeat_s=5.0)
    clock.now += silence
    display.tick()
    assert lines == []
