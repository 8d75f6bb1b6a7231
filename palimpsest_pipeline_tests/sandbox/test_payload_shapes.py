"""BetPawa's event detail comes in each shape seen (specifier in goals, in quarter units with the null keys,
none), per event; and a book can be switched, from a given moment, to a shape the parsers do not expect.

Expectations come from the served bodies themselves: a row's line as its prices' own text says it (goals,
../shared/PLATFORMS.md), its row ``handicap`` in quarter units, and the drifted body of the same event.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

import httpx
import pytest

from palimpsest_pipeline.records import Book
from palimpsest_pipeline_tests.fixtures_sandbox import SANDBOX_TEST_INSTANT, sandbox_test_config
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_sandbox import SandboxHandle, fast_behaviour, start_in_thread
from palimpsest_sandbox.books import SERVED_BOOKS
from palimpsest_sandbox.config import PayloadDrift

NULL_KEYS = {"hcp", "total", "player", "score", "number", "group"}


def _pawa_detail(http: httpx.Client, sandbox: SandboxHandle, event_id: str) -> dict[str, Any]:
    response = http.get(sandbox.base_urls[Book.BETPAWA] + f"events/{event_id}")
    response.raise_for_status()
    body: dict[str, Any] = response.json()
    return body


def _football(sandbox: SandboxHandle, book: Book) -> list[Any]:
    return [e for e in sandbox.world.listed_events(book, sandbox.now(), sport="football")]


def _text_line(row: dict[str, Any]) -> float | None:
    """The row's line in goals as the first price's own text gives it ("2.5", "-0.5", "Home -1")."""
    for price in row["prices"]:
        text = price.get("handicap")
        if isinstance(text, str) and text:
            return abs(float(text.rpartition(" ")[2]))
    return None


def _shape_of(body: dict[str, Any]) -> str:
    """Which shape a served body's lined rows are in, told from the rows alone."""
    found = set()
    for market in body["markets"]:
        for row in market["row"]:
            line = _text_line(row)
            if line is None or line == 0:
                continue
            specifier = row.get("specifier")
            if specifier is None:
                found.add("no_specifier")
                continue
            key = next(k for k, v in specifier.items() if v is not None)
            value = abs(float(specifier[key]))
            if set(specifier) == NULL_KEYS and value == line * 4:
                found.add("quarters")
            elif value == line:
                found.add("goals")
            else:
                found.add(f"unexpected {specifier} for {line}")
    assert len(found) == 1, found
    return found.pop()


def test_betpawa_serves_each_shape_seen_and_every_row_keeps_its_quarter_handicap(
    sandbox: SandboxHandle, http: httpx.Client
) -> None:
    shapes: Counter[str] = Counter()
    for event in _football(sandbox, Book.BETPAWA)[:60]:
        body = _pawa_detail(http, sandbox, event.record(Book.BETPAWA).event_id)
        shapes[_shape_of(body)] += 1
        for market in body["markets"]:
            for row in market["row"]:
                line = _text_line(row)
                if line is not None:
                    assert abs(row["handicap"]) == line * 4, row
    assert set(shapes) == {"goals", "quarters", "no_specifier"}, shapes
    # the documented shares (docs/sandbox.md: half, three in ten, one in five), loosely on 60 events
    assert shapes["goals"] > shapes["quarters"] > 0 and shapes["no_specifier"] > 0, shapes


def test_payload_drift_switches_a_book_from_a_given_moment_through_the_control_api(
    sandbox_clock: SandboxHandle, http: httpx.Client
) -> None:
    sandbox = sandbox_clock
    event = _football(sandbox, Book.BETPAWA)[0]
    event_id = event.record(Book.BETPAWA).event_id
    before = _pawa_detail(http, sandbox, event_id)
    since = SANDBOX_TEST_INSTANT + timedelta(seconds=60)
    control = sandbox.url + "/_sandbox/payload_drift"
    try:
        answer = http.post(control, json={"book": "betpawa", "since": since.isoformat()})
        assert answer.status_code == 200, answer.text
        assert answer.json()["betpawa"]["shape"] == "bare_quarter_lines"
        assert answer.json()["sportybet"] is None
        assert _pawa_detail(http, sandbox, event_id) == before  # not yet: the drift starts at ``since``
        sandbox.set_clock(since, frozen=True)
        after = _pawa_detail(http, sandbox, event_id)
    finally:
        cleared = http.delete(control)
    assert cleared.json() == {book.value: None for book in SERVED_BOOKS}
    lined = 0
    for old_market, new_market in zip(before["markets"], after["markets"], strict=True):
        for old, new in zip(old_market["row"], new_market["row"], strict=True):
            line = _text_line(old)
            if line is None:
                continue
            lined += 1
            assert "handicap" not in new and "formattedHandicap" not in new
            assert all("handicap" not in p and "specifier" not in p for p in new["prices"])
            ((key, value),) = new["specifier"].items()  # one key, no null keys
            assert abs(float(value)) == line * 4, (key, value, line)
            assert [p["odds"] for p in new["prices"]] == [p["odds"] for p in old["prices"]]
    assert lined > 0


def test_payload_drift_by_configuration_and_on_every_book(http: httpx.Client) -> None:
    """A sandbox configured with a drift serves it at once; SportyBet's and Bet9ja's lines go to quarter
    units in their one line field, with no name carrying the line."""
    plain = sandbox_test_config()
    drifted = sandbox_test_config(
        books={
            book: fast_behaviour().model_copy(update={"payload_drift": PayloadDrift()})
            for book in NIGERIA_BOOKS
        }
    )
    with start_in_thread(plain) as normal, start_in_thread(drifted) as changed:
        event = _football(normal, Book.SPORTYBET)[0].record(Book.SPORTYBET)
        params = {"eventId": event.event_id, "productId": 3}
        path = "event"
        old = http.get(normal.base_urls[Book.SPORTYBET] + path, params=params).json()["data"]["markets"]
        new = http.get(changed.base_urls[Book.SPORTYBET] + path, params=params).json()["data"]["markets"]
        checked = 0
        for a, b in zip(old, new, strict=True):
            if a.get("specifier", "").startswith("total=") and a["id"] == "18":
                line = float(a["specifier"].partition("=")[2])
                assert b["specifier"] == f"total={round(line * 4)}"
                assert [o["desc"] for o in b["outcomes"]] == ["Over", "Under"]
                checked += 1
        assert checked > 0
        b9 = _football(normal, Book.BET9JA)[0].record(Book.BET9JA)
        old_o = http.get(normal.base_urls[Book.BET9JA] + "GetEvent", params={"EVENTID": b9.event_id}).json()
        new_o = http.get(changed.base_urls[Book.BET9JA] + "GetEvent", params={"EVENTID": b9.event_id}).json()
        lined = [k for k in old_o["D"]["O"] if k.startswith("S_OU@")]
        assert lined
        for key in lined:
            head, _, rest = key.partition("@")
            line, _, outcome = rest.rpartition("_")
            assert new_o["D"]["O"][f"{head}@{round(float(line) * 4)}_{outcome}"] == old_o["D"]["O"][key]


@pytest.mark.parametrize("body", [{"book": "betpawa", "shape": "goals_upside_down"}, {"book": "bet10ja"}, {}])
def test_payload_drift_control_refuses_nonsense(
    sandbox: SandboxHandle, http: httpx.Client, body: Any
) -> None:
    answer = http.post(sandbox.url + "/_sandbox/payload_drift", json=body)
    assert answer.status_code == 400 and "error" in answer.json()
    assert http.get(sandbox.url + "/_sandbox/payload_drift").json()["betpawa"] is None


def test_betpawa_lists_its_correct_scores_on_every_football_match_however_shallow(
    sandbox: SandboxHandle, http: httpx.Client
) -> None:
    # every football capture in ../shared lists them (PLATFORMS.md's v3/v4 BetPawa captures): the references
    # the single-book checks bound a book's own lines with
    wanted = {"Correct Score (26 Outcomes)", "Correct Score - 1H", "Correct Score - 2H"}
    events = _football(sandbox, Book.BETPAWA)[:30]
    depths = [event.depth(Book.BETPAWA) for event in events]
    assert min(depths) < 0.9  # shallow matches are among them
    for event in events:
        body = _pawa_detail(http, sandbox, event.record(Book.BETPAWA).event_id)
        names = {market["marketType"]["name"] for market in body["markets"]}
        assert wanted <= names, (event.depth(Book.BETPAWA), sorted(names))
