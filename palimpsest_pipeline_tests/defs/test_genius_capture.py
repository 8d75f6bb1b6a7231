"""Odds of listings linked only by the Genius id: catalogue + odds capture against the sandbox, expectations
from the sandbox world's own ground truth (which listings are the same match, and what each book shows).

A BetPawa listing without its SportRadar widget but with the Genius id SportyBet shows for the same match is
one match with SportyBet's listing (``world_truth.truth_matches``); its prices must be captured under that
match's SR id, and every other capture must be exactly what it would be without the Genius bridge: each
listing that shows an SR id, captured under it.
"""

from __future__ import annotations

from datetime import timedelta

import psycopg
import pytest

from palimpsest_pipeline.definitions import ALL_ASSETS
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.warehouse.capture_listings import read_upcoming
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline_tests.defs.conftest import Materialize
from palimpsest_pipeline_tests.defs.world_truth import truth_matches
from palimpsest_pipeline_tests.fixtures_sandbox import SANDBOX_TEST_INSTANT, sandbox_test_config
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_sandbox import SandboxHandle, WorldEvent
from palimpsest_sandbox.markets import book_prices

pytestmark = pytest.mark.slow

NOW = SANDBOX_TEST_INSTANT
#: Two kick-off dates (five and six days ahead): in the test world they hold several BetPawa listings linked
#: only by the Genius id and a Genius-only BetPawa listing SportyBet does not link (the test checks both are
#: there, several of the first).
DATES = [NOW.date() + timedelta(days=i) for i in range(5, 7)]

Pair = tuple[int, str]

#: Nigeria's catalogues, matching and odds: what the capture and its comparison need (no crosswalk, no
#: report).
STEPS = {
    *(f"ng__{book.value}_catalogue" for book in NIGERIA_BOOKS),
    "ng__matched_events",
    "ng__odds_snapshots",
    "ng__odds_comparison_tables",
}


def expected_captures(sandbox: SandboxHandle) -> tuple[set[Pair], dict[Pair, WorldEvent], int]:
    """From the world: every (SR id, book) the capture should ask, the pairs only the Genius id reaches (with
    their world match), and how many BetPawa listings show a Genius id but link to nothing."""
    shown: set[Pair] = set()
    via_genius: dict[Pair, WorldEvent] = {}
    for match in truth_matches(sandbox.world, NOW, DATES):
        event = match.world_event
        if not any(event.visible_sr_id(book) is not None for book in match.books):
            continue  # a listing nothing links: no SR id to ask it under
        for book in match.books:
            pair = (event.sr_id, book.value)
            if event.visible_sr_id(book) is not None:
                shown.add(pair)
            else:
                via_genius[pair] = event
    unlinked = sum(
        1
        for event in sandbox.world.listed_events(Book.BETPAWA, NOW)
        if event.kickoff.date() in DATES
        and event.visible_sr_id(Book.BETPAWA) is None
        and event.visible_genius_id(Book.BETPAWA) is not None
        and (event.sr_id, Book.BETPAWA.value) not in via_genius
    )
    return shown | set(via_genius), via_genius, unlinked


def test_genius_linked_listings_are_captured_under_the_matchs_sr_id_and_nothing_else_changes(
    sandbox: SandboxHandle, warehouse_url: str, materialize_range: Materialize
) -> None:
    expected, via_genius, unlinked = expected_captures(sandbox)
    assert via_genius and unlinked, "the test world has no Genius-only BetPawa listings of both kinds"
    assert len(via_genius) > 1, "the test world's dates hold a single listing linked by the Genius id"
    assert {book for _, book in via_genius} == {"betpawa"}

    steps = [asset for asset in ALL_ASSETS if asset.op.name in STEPS]
    assert len(steps) == len(STEPS)
    result = materialize_range(DATES[0].isoformat(), DATES[-1].isoformat(), assets=steps)
    assert result.success

    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        captured = conn.execute(
            "SELECT sr_id, book, status FROM core.odds_captures WHERE status <> 'not_listed'"
        ).fetchall()
        priced = {
            (sr_id, book): prices
            for sr_id, book, prices in conn.execute(
                "SELECT sr_id, book, array_agg(ARRAY[market::text, specifier, outcome::text, price::text]) "
                "FROM core.odds_current WHERE state = 'open' AND sr_id = ANY(%s) GROUP BY sr_id, book",
                ([sr_id for sr_id, _ in via_genius],),
            )
        }
        compared = dict(
            conn.execute(
                "SELECT sr_id, count(price_betpawa) FROM analytics.odds_comparison "
                "WHERE sr_id = ANY(%s) GROUP BY sr_id",
                ([sr_id for sr_id, _ in via_genius],),
            ).fetchall()
        )
        # every book's listings (the long tables: the wide matched_events view is three books' since 0039)
        matched = {
            (sr_id, book)
            for sr_id, book in conn.execute(
                "SELECT m.sr_id, l.book FROM analytics.matches AS m JOIN analytics.match_listings AS l "
                "USING (kickoff_date, site_country, match_key) "
                "WHERE m.site_country = 'ng' AND m.sr_id IS NOT NULL AND m.kickoff_date = ANY(%s)",
                (DATES,),
            )
        }
        until = NOW + timedelta(days=(DATES[-1] - NOW.date()).days + 1)
        upcoming = dict(read_upcoming(conn, NOW, until, site_country="ng"))

    # Every listing the world links is asked under its match's SR id, and nothing else is asked.
    assert {(sr_id, book) for sr_id, book, _ in captured} == expected
    assert {status for _, _, status in captured} == {"ok"}
    # The capture agrees with the matching's result: the same books per SR id.
    assert matched == expected

    scale = sandbox_test_config().reprice_scale
    for (sr_id, book), event in via_genius.items():
        # BetPawa's own prices for the match, stored under the match's SR id ...
        quoted = book_prices(
            Book.BETPAWA, event.match_seed, event.price_version(Book.BETPAWA, NOW, scale), event.sport
        )
        stored = {(int(m), s, int(o)): float(p) for m, s, o, p in priced[(sr_id, book)]}
        common = set(stored) & set(quoted)
        assert common, f"sr {sr_id}: no stored BetPawa price the sandbox quoted"
        assert all(stored[key] == pytest.approx(quoted[key][0]) for key in common)
        # ... take part in the comparison ...
        assert compared.get(sr_id, 0) > 0
        # ... and the kick-off-window sensor sees the match through the listing that carries the SR id.
        assert upcoming[sr_id] == event.kickoff

    snapshot = next(
        m for m in result.asset_materializations_for_node("ng__odds_snapshots") if m.metadata is not None
    )
    assert snapshot.metadata["listings_via_genius"].value == len(via_genius)
    assert snapshot.metadata["listings_via_genius_by_book"].value == {"betpawa": len(via_genius)}
    assert snapshot.metadata["genius_skipped"].value == {}
