"""What a reader of the warehouse sees after a chaos run, and what it lost against the reference run.

Part of the chaos benchmark (chaos.py): a snapshot of each book's events and current prices (times aside),
with every reason the pipeline recorded for a missing row (a failed capture, a catalogue error, a
quarantined value), and the comparison that turns two snapshots into a cell's figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import psycopg

from palimpsest_pipeline.books.odds_parse import GOALSCORER_MARKETS
from palimpsest_pipeline.scrape.odds.players import NO_ROSTER, UNRESOLVED_KIND
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS


@dataclass
class Snapshot:
    """What a reader of the warehouse sees of each book, times aside."""

    events: dict[str, set[tuple[Any, ...]]]
    odds: dict[str, set[tuple[Any, ...]]]
    failed_events: dict[
        str, set[str]
    ]  # book -> event ids whose capture failed (with a reason) or quarantined
    failed_catalogue: dict[str, bool]  # book -> its catalogue run recorded errors
    quarantined_ids: dict[str, set[str]]  # book -> event ids set aside by the catalogue quarantine
    duplicates: int
    comparison_rows: int
    #: (book, sr_id): the book's players of the event set aside for want of any roster (a recorded reason)
    rosterless: set[tuple[str, str]] = field(default_factory=set)


def snapshot(conn: psycopg.Connection) -> Snapshot:
    events: dict[str, set[tuple[Any, ...]]] = {b.value: set() for b in NIGERIA_BOOKS}
    for row in conn.execute(
        "SELECT book, event_id, sr_id, home, away, kickoff, tournament_name FROM core.events "
        "WHERE deleted_at IS NULL"
    ):
        events[row[0]].add(tuple(row[1:]))
    odds: dict[str, set[tuple[Any, ...]]] = {b.value: set() for b in NIGERIA_BOOKS}
    for row in conn.execute(
        "SELECT book, sr_id, market, specifier, outcome, price, state FROM core.odds_current"
    ):
        odds[row[0]].add(tuple(row[1:]))
    failed: dict[str, set[str]] = {b.value: set() for b in NIGERIA_BOOKS}
    for book, sr_id in conn.execute(
        "SELECT book, sr_id::text FROM core.odds_captures WHERE status = 'failed' AND reason IS NOT NULL"
    ):
        failed[book].add(sr_id)
    if _has_column(conn, "core", "quarantine", "sr_id"):
        for book, sr_id in conn.execute(
            "SELECT book, sr_id::text FROM core.quarantine WHERE sr_id IS NOT NULL"
        ):
            failed[book].add(sr_id)
    catalogue = {
        book: bool(errors)
        for book, errors in conn.execute(
            "SELECT book, bool_or(errors <> '{}'::jsonb OR NOT complete) FROM core.book_runs GROUP BY book"
        )
    }
    (duplicates,) = conn.execute(
        "SELECT count(*) - count(DISTINCT (sr_id, book, market, specifier, outcome, captured_at)) "
        "FROM core.odds_history"
    ).fetchone() or (0,)
    (comparison,) = conn.execute("SELECT count(*) FROM analytics.outcome_comparison").fetchone() or (0,)
    quarantined_ids: dict[str, set[str]] = {b.value: set() for b in NIGERIA_BOOKS}
    if _has_column(conn, "core", "quarantined_rows", "event_id"):
        # an odds row set aside (or a malformed outcome) costs its event on that book, no more
        for book, sr_id in conn.execute(
            "SELECT book, sr_id::text FROM core.quarantined_rows "
            "WHERE stage = 'odds' AND kind <> 'nul_removed' AND sr_id IS NOT NULL"
        ):
            failed[book].add(sr_id)
        for book, event_id, sr_id in conn.execute(
            "SELECT book, event_id, sr_id::text FROM core.quarantined_rows "
            "WHERE stage = 'catalogue' AND kind <> 'nul_removed'"
        ):
            quarantined_ids[book].add(event_id)
            if sr_id is not None:  # a listing set aside is never captured on that book: its prices go with it
                failed[book].add(sr_id)
    rosterless: set[tuple[str, str]] = set()
    if _has_column(conn, "core", "quarantined_rows", "event_id"):
        rosterless = {
            (book, sr_id)
            for book, sr_id in conn.execute(
                "SELECT book, sr_id::text FROM core.quarantined_rows "
                "WHERE stage = 'odds' AND kind = %s AND reason LIKE %s AND sr_id IS NOT NULL",
                (UNRESOLVED_KIND, f"%: {NO_ROSTER}%"),
            )
        }
    return Snapshot(
        events, odds, failed, catalogue, quarantined_ids, int(duplicates), int(comparison), rosterless
    )


def _is_player_row(row: tuple[Any, ...]) -> bool:
    """An odds row (sr_id, market, specifier, outcome, ...) keyed by a SportRadar player id."""
    _sr_id, market, specifier, outcome = row[:4]
    return (market in GOALSCORER_MARKETS and outcome > 0) or any(
        part.startswith("player=") for part in str(specifier).split("|")
    )


def _has_column(conn: psycopg.Connection, schema: str, table: str, column: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM information_schema.columns "
        "WHERE table_schema = %s AND table_name = %s AND column_name = %s",
        (schema, table, column),
    ).fetchone()
    return row is not None


@dataclass
class CellFigures:
    cell: str
    book: str | None
    lost_outside: int = 0
    #: another book's player prices lost because the faulted book, which lends their roster, gave none
    lost_for_faulted_roster: int = 0
    unexplained: int = 0
    explained: int = 0
    crashes: int = 0
    duplicates: int = 0
    partial_partitions: int = 0
    failed_steps: list[str] = field(default_factory=list)
    #: a few of the rows lost without a reason, to show where to look
    unexplained_examples: list[str] = field(default_factory=list)
    wall_s: float = 0.0


def compare(reference: Snapshot, seen: Snapshot, faulted: str | None, figures: CellFigures) -> None:
    """Fill ``figures`` with what ``seen`` lost against ``reference``, inside and outside the faulted book.

    Another book's player prices set aside for want of a roster, on an event whose prices the faulted book
    had in the reference and has none of now (its capture failed, or its catalogue did not list the event),
    are the faulted book's loss: its roster is what keys them."""
    lender_lost: set[Any] = set()
    if faulted is not None:
        lender_lost = {row[0] for row in reference.odds[faulted]} - {row[0] for row in seen.odds[faulted]}
    for book in (b.value for b in NIGERIA_BOOKS):
        ref_events, got_events = reference.events[book], seen.events[book]
        ref_odds, got_odds = reference.odds[book], seen.odds[book]
        if book != faulted:
            lost_odds = ref_odds ^ got_odds
            missing = ref_odds - got_odds  # (a row added beside them is no loss)
            lent = {
                row
                for row in missing
                if _is_player_row(row) and (book, str(row[0])) in seen.rosterless and row[0] in lender_lost
            }
            figures.lost_for_faulted_roster += len(lent)
            figures.lost_outside += len(ref_events ^ got_events) + len(lost_odds - lent)
            continue
        # lost = a reference row missing, or changed (same key, another price or state); a row the book sent
        # beside them (the hostile unknown market keyed natively) is not a loss
        got_keys = {row[:4]: row for row in got_odds}
        missing_odds = {row for row in ref_odds if got_keys.get(row[:4]) != row}
        # a listing set aside whose SR id was the hostile value is recorded without it: its id links it
        set_aside_sr = {
            str(e[1]) for e in ref_events if e[0] in seen.quarantined_ids[book] and e[1] is not None
        }
        explained = {
            row
            for row in missing_odds
            if str(row[0]) in seen.failed_events[book] | set_aside_sr or seen.failed_catalogue.get(book)
        }
        figures.explained += len(explained)
        figures.unexplained += len(missing_odds - explained)
        figures.unexplained_examples += [
            f"odds {row}" for row in sorted(missing_odds - explained, key=str)[:3]
        ]
        missing_events = {e for e in ref_events - got_events if e[0] not in {g[0] for g in got_events}}
        renamed = len(ref_events - got_events) - len(missing_events)  # names cleaned of a NUL: kept, recorded
        figures.explained += renamed
        if not seen.failed_catalogue.get(book):
            set_aside = {e for e in missing_events if e[0] in seen.quarantined_ids[book]}
            figures.explained += len(set_aside)
            figures.unexplained += len(missing_events - set_aside)
            figures.unexplained_examples += [
                f"event {e}" for e in sorted(missing_events - set_aside, key=str)[:3]
            ]
        else:
            figures.explained += len(missing_events)
    figures.duplicates = seen.duplicates
