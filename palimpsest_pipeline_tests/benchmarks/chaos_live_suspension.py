"""The live-starts chaos cell's in-play suspension check: goal-suspension spells forced on chosen books
through the sandbox's control API as the cell polls, and every stored ``analytics.inplay_suspension`` row
(per kick-off date, book, market family and phase) compared with the world's truth at the polled instants
(``live_coverage.suspension_truth``, forced spells included). Judged over whichever books have rows: a book
whose rows are all set aside with a reason has none, and each poll's set-aside rows of every book must be
the world's rows it could not place (no earlier score of its own, no half). The down book's failing polls
add nothing for it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx
import psycopg

from palimpsest_pipeline.markets.families import market_family
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.transforms.inplay_suspension import AFTER_GOAL, EARLIER_SLACK
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_sandbox import SandboxHandle, WorldEvent
from palimpsest_sandbox.live_coverage import PHASES, ForcedSuspensions, state_at, suspension_truth
from palimpsest_sandbox.live_prices import strengths
from palimpsest_sandbox.live_timeline import goal_instants

#: How long each forced spell holds every market of its match suspended on its book, and how long after the
#: poll it follows it starts (so that poll and the snapshots taken at it see the match as before).
FORCED_S = 120
SPELL_AFTER_POLL = timedelta(seconds=1)
#: Spells fall in the first this-long of each kick-off's polls every 30 s, where no goal falls this long into
#: the match.
WATCHED = timedelta(minutes=20)
FIRST_HALF_AT = timedelta(minutes=10)
SUSPENSION_MISMATCHES = ("inplay_suspension_mismatches", "inplay_set_aside_wrong", "inplay_rows_while_down")
#: The reason the transform gives a row that names no half and shows no goal.
NO_HALF = "the row shows no readable half"
Key = tuple[str, str, str, str]  # kick-off date, book, family, phase


@dataclass(frozen=True)
class Spell:
    """A spell to force: ``book`` suspends every market of match ``sr_id`` from ``at`` for ``FORCED_S``."""

    at: datetime
    sr_id: int
    book: Book


def spells_at_goals(
    events: Sequence[WorldEvent], kickoffs: Sequence[datetime], polls: Sequence[datetime]
) -> list[Spell]:
    """One spell per judged kick-off, the books taken in turn from one kick-off to the next: on the first of
    its football matches the book shows live with its SR id, at the first poll after the match's first goal
    inside the watch's 30 s polls (``FIRST_HALF_AT`` into the match where none falls there),
    ``SPELL_AFTER_POLL`` past that poll."""
    spells = []
    for n, kickoff in enumerate(sorted(kickoffs)):
        span = [at for at in polls if kickoff <= at <= kickoff + WATCHED]
        books = NIGERIA_BOOKS[n % len(NIGERIA_BOOKS) :] + NIGERIA_BOOKS[: n % len(NIGERIA_BOOKS)]
        chosen = None
        for goals_only in (True, False):  # a goal's poll where one falls in the span, else the fallback
            for book, event in ((b, e) for b in books for e in events if e.kickoff == kickoff):
                if chosen is not None or event.sport != "football" or event.visible_sr_id(book) is None:
                    continue
                goals = goal_instants(event.sport, event.match_seed, strengths(event.sport, event.match_seed))
                moments = [event.played_from + timedelta(seconds=s) for s in goals]
                moments = moments if goals_only else [event.played_from + FIRST_HALF_AT]
                at = min((p for p in span for m in moments if p >= m), default=None)
                if at is not None and event.live_on(book, at):
                    chosen = Spell(at + SPELL_AFTER_POLL, event.sr_id, book)
        if chosen is not None:
            spells.append(chosen)
    return spells


def force(sandbox: SandboxHandle, spell: Spell, forced: ForcedSuspensions) -> None:
    """Force ``spell`` through ``POST /_sandbox/live_suspensions`` (the clock frozen at its instant) and
    note it in ``forced``, the truth's copy, with the start and end the sandbox answered."""
    sandbox.set_clock(spell.at, frozen=True)
    answer = httpx.post(
        f"http://127.0.0.1:{sandbox.port}/_sandbox/live_suspensions",
        json={"sr_id": spell.sr_id, "book": spell.book.value, "seconds": FORCED_S},
    )
    answer.raise_for_status()
    start, end = (datetime.fromisoformat(answer.json()[k]) for k in ("start", "end"))
    forced.add(spell.sr_id, spell.book, start, (end - start).total_seconds())


def clear_forced(sandbox: SandboxHandle) -> None:
    """Remove every forced spell from the sandbox (``DELETE /_sandbox/live_suspensions``)."""
    httpx.delete(f"http://127.0.0.1:{sandbox.port}/_sandbox/live_suspensions").raise_for_status()


@dataclass
class SuspensionJudgement:
    """The check's figures and its mismatches by kind."""

    figures: dict[str, int] = field(default_factory=dict)
    mismatches: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SUSPENSION_MISMATCHES, 0))
    examples: list[str] = field(default_factory=list)

    def count(self, kind: str, example: str) -> None:
        self.mismatches[kind] += 1
        if len(self.examples) < 10:
            self.examples.append(f"{kind}: {example}")


def judge_suspension(
    conn: psycopg.Connection,
    sandbox: SandboxHandle,
    polls: Sequence[datetime],
    polled: Callable[[Book, datetime], bool],
    forced: ForcedSuspensions,
) -> SuspensionJudgement:
    """Every stored row against the world's at ``polls`` (``polled(book, at)``: whether the book answered
    that poll), and every poll's set-aside rows per book against the world's rows it could not place."""
    judgement = SuspensionJudgement()
    stored = {
        (str(d), book, family, phase): (observed, suspended, n)
        for d, book, family, phase, observed, suspended, n in conn.execute(
            "SELECT kickoff_date, book, market_family, phase, lines_observed, lines_suspended, matches"
            " FROM analytics.inplay_suspension WHERE site_country = 'ng'"
        ).fetchall()
    }
    set_aside: dict[tuple[Book, datetime], dict[str, int]] = {
        (Book(book), at): reasons or {}
        for book, at, reasons in conn.execute(
            "SELECT book, polled_at, inplay_set_aside FROM analytics.live_suspension"
            " WHERE site_country = 'ng'"
        ).fetchall()
    }
    read = {Book(key[1]) for key in stored}
    no_half = {book for (book, _), reasons in set_aside.items() if book in read and NO_HALF in reasons}
    world = _WorldRows(sandbox, polls, polled)
    counts: dict[Key, list[int]] = defaultdict(lambda: [0, 0])
    matches: dict[Key, set[int]] = defaultdict(set)
    withheld = by_spell = 0
    for at in polls:
        for book in NIGERIA_BOOKS:
            if not polled(book, at):
                withheld += sum(
                    lines for e in world.rows(book, at) for lines, _ in suspension_truth(e, book, at).values()
                )
                continue
            rows = world.rows(book, at)
            placed = 0
            for event in rows if book in read else ():
                phase = _phase(world, event, book, at, no_half, read)
                if phase is None:
                    continue
                placed += 1
                truth = suspension_truth(event, book, at, forced)
                if forced.markets(event, book, at) is not None:
                    plain = suspension_truth(event, book, at)
                    by_spell += sum(s for _, s in truth.values()) - sum(s for _, s in plain.values())
                for market, (lines, suspended) in truth.items():
                    key = (event.kickoff.date().isoformat(), book.value, market_family(market, ""), phase)
                    counts[key][0] += lines
                    counts[key][1] += suspended
                    matches[key].add(event.sr_id)
            found = sum(set_aside.get((book, at), {}).values())
            if found != len(rows) - placed:
                judgement.count(
                    "inplay_set_aside_wrong",
                    f"{book.value} {at:%H:%M:%S} set aside {found}, world {len(rows) - placed}",
                )
    expected = {key: (o, s, len(matches[key])) for key, (o, s) in counts.items()}
    for key in sorted(stored.keys() | expected.keys()):
        if stored.get(key) != expected.get(key):
            judgement.count(
                "inplay_suspension_mismatches", f"{key} stored {stored.get(key)} world {expected.get(key)}"
            )
    for (book, at), reasons in set_aside.items():
        if not polled(book, at) and reasons:
            judgement.count("inplay_rows_while_down", f"{book.value} {at:%H:%M:%S} {reasons}")
    judgement.figures = {
        "suspension_rows": len(stored),
        "suspension_books": len(read),
        "suspension_lines_observed": sum(o for o, _, _ in stored.values()),
        "suspension_lines_suspended": sum(s for _, s, _ in stored.values()),
        "suspension_forced_spells": len(forced.snapshot()),
        "suspension_lines_suspended_by_spells": by_spell,
        "suspension_rows_set_aside": sum(sum(r.values()) for r in set_aside.values()),
        "suspension_lines_withheld_down": withheld,
    }
    for book, phase in sorted({(key[1], key[3]) for key in stored}):
        name = f"suspension_rows_{book}_{phase}"
        judgement.figures[name] = judgement.figures.get(name, 0) + sum(
            1 for key in stored if key[1] == book and key[3] == phase
        )
    return judgement


class _WorldRows:
    """The world's linked football rows of each book's live list at each poll (memoised)."""

    def __init__(
        self, sandbox: SandboxHandle, polls: Sequence[datetime], polled: Callable[[Book, datetime], bool]
    ):
        self._sandbox, self._polls, self.polled = sandbox, sorted(polls), polled
        self._listed: dict[tuple[Book, datetime], list[WorldEvent]] = {}
        self._rows: dict[tuple[Book, datetime], list[WorldEvent]] = {}

    def listed(self, book: Book, at: datetime) -> list[WorldEvent]:
        """Every match on ``book``'s live list at ``at``, every sport."""
        if (book, at) not in self._listed:
            self._listed[(book, at)] = self._sandbox.world.live_events(book, at)
        return self._listed[(book, at)]

    def rows(self, book: Book, at: datetime) -> list[WorldEvent]:
        """``book``'s football rows at ``at`` the poll links to a match: its SR id shown, or its Genius id
        where another answering book's row shows both."""
        if (book, at) not in self._rows:
            both = {
                e.genius_id
                for other in NIGERIA_BOOKS
                if self.polled(other, at)
                for e in self.listed(other, at)
                if e.visible_sr_id(other) is not None and e.visible_genius_id(other) is not None
            }
            self._rows[(book, at)] = [
                e
                for e in self.listed(book, at)
                if e.sport == "football"
                and (e.visible_sr_id(book) is not None or e.visible_genius_id(book) in both - {None})
            ]
        return self._rows[(book, at)]

    def earlier(self, book: Book, event: WorldEvent, at: datetime) -> datetime | None:
        """The poll whose score the transform compares: ``book``'s last showing the match at or before
        ``AFTER_GOAL`` earlier, no older than ``EARLIER_SLACK`` beyond."""
        window = [p for p in self._polls if at - AFTER_GOAL - EARLIER_SLACK <= p <= at - AFTER_GOAL]
        shown = [p for p in window if self.polled(book, p) and event in self.rows(book, p)]
        return max(shown, default=None)


def _phase(
    world: _WorldRows, event: WorldEvent, book: Book, at: datetime, no_half: set[Book], read: set[Book]
) -> str | None:
    """The world's phase of the book's row, as the row and the others' rows let it be told (None: set
    aside): ``after_goal`` when the score differs from the earlier poll's, else the half where the row or
    another book's row names it."""
    before = world.earlier(book, event, at)
    now = state_at(event, at)
    if before is None or now is None:
        return None
    then = state_at(event, before)
    if then is None or then.score != now.score:
        return "after_goal"
    half = PHASES.get(now.phase.code)
    named = book not in no_half or any(
        event in world.rows(other, at) for other in read - no_half if world.polled(other, at)
    )
    return half if named else None
