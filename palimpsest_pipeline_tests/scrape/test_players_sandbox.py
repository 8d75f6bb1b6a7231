"""BetPawa's and SportyBet's goalscorers meeting under one SportRadar player id, captured from the sandbox
over real sockets and stored in Postgres.

The sandbox draws both books' players from one roster per match (sandbox/markets/players.py): BetPawa names
the first ``players_for(depth)`` players in full, SportyBet lists ``roster_for(depth)`` under their ids. So
each BetPawa goalscorer must end up under the id of the roster player it names when SportyBet lists that
player, and be set aside (never stored under its name) when SportyBet does not or does not list the match.
"""

from __future__ import annotations

import asyncio

import psycopg
import pytest

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.odds.engine import capture_odds
from palimpsest_pipeline.scrape.odds.players import UNRESOLVED_KIND
from palimpsest_pipeline.warehouse.capture_log import store_capture_cycle
from palimpsest_pipeline_tests.scrape.test_odds_sandbox import INLINE, NOW, sandbox_settings, world_targets
from palimpsest_sandbox import SandboxHandle
from palimpsest_sandbox.books.betpawa.players import SCORERS_FROM_DEPTH
from palimpsest_sandbox.markets.players import players_for, roster_for

pytestmark = pytest.mark.slow

ANYTIME = 40
SPORTYBET_PLAYERS_FROM_DEPTH = 0.2  # sandbox/markets/sportybet_players.render


@pytest.fixture(scope="module")
def sandbox(deep_sandbox: SandboxHandle) -> SandboxHandle:
    """The world at full depth (``deep_sandbox``): these tests read the details' markets."""
    return deep_sandbox


def test_goalscorers_meet_under_sportradar_ids_across_books(
    sandbox: SandboxHandle, warehouse_conn: psycopg.Connection
) -> None:
    world = {e.sr_id: e for e in sandbox.world.listed_events(Book.BETPAWA, NOW) if e.sport == "football"}
    deep = [t for t in world_targets(sandbox) if t.sr_id in world and Book.BETPAWA in t.listings]
    deep = [t for t in deep if world[t.sr_id].depth(Book.BETPAWA) >= SCORERS_FROM_DEPTH]
    on_both = [t for t in deep if Book.SPORTYBET in t.listings][:6]
    alone = [t for t in deep if Book.SPORTYBET not in t.listings][:2]
    assert len(on_both) == 6 and alone, "the test world lists too few deep football matches"
    capture = asyncio.run(capture_odds(on_both + alone, sandbox_settings(sandbox), now=NOW, options=INLINE))

    met = 0
    for target in on_both + alone:
        event = world[target.sr_id]
        named = {number for number, _name in players_for(event.match_seed, event.depth(Book.BETPAWA))}
        listed: set[int] = set()
        if Book.SPORTYBET in target.listings and event.depth(Book.SPORTYBET) >= SPORTYBET_PLAYERS_FROM_DEPTH:
            listed = {p.sr_id for p in roster_for(event.match_seed, event.depth(Book.SPORTYBET))}
        betpawa = capture.results[target.sr_id][Book.BETPAWA]
        assert betpawa.status == "ok" and betpawa.odds is not None, betpawa.reason
        rows = [r for r in betpawa.rows() if r.market == ANYTIME]
        assert {r.outcome for r in rows} == named & listed, target.sr_id
        unresolved = sum(
            int(reason.split(": ")[1].split()[0])
            for kind, reason in betpawa.odds.notes
            if kind == UNRESOLVED_KIND
        )
        # every player market BetPawa lists (goalscorers, props) sets its unlisted players aside
        assert (unresolved >= len(named - listed)) and (unresolved > 0) == bool(named - listed), (
            target.sr_id,
            betpawa.odds.notes,
        )
        if listed:
            sportybet = capture.results[target.sr_id][Book.SPORTYBET]
            theirs = {(r.specifier, r.outcome) for r in sportybet.rows() if r.market == ANYTIME}
            assert {(r.specifier, r.outcome) for r in rows} <= theirs  # the same keys, spec and all
            met += len(rows)
    assert met > 0

    store_capture_cycle(
        warehouse_conn,
        capture.all_results(),
        capture.started_at,
        capture.unmapped,
        batch_id="run-1",
        site_country="ng",
    )
    stored = warehouse_conn.execute(
        "SELECT count(*) FILTER (WHERE outcome < 0), count(*) FROM core.odds_current "
        "WHERE book = 'betpawa' AND market = %s",
        (ANYTIME,),
    ).fetchone()
    assert stored is not None and stored[0] == 0 and stored[1] >= met
    logged = warehouse_conn.execute(
        "SELECT sr_id, set_aside_outcomes FROM core.odds_captures WHERE book = 'betpawa' AND status = 'ok'"
    ).fetchall()
    assert {sr for sr, _n in logged} == {t.sr_id for t in on_both + alone}
    quarantined = warehouse_conn.execute(
        "SELECT DISTINCT sr_id FROM core.quarantined_rows WHERE kind = %s AND book = 'betpawa'",
        (UNRESOLVED_KIND,),
    ).fetchall()
    assert {t.sr_id for t in alone} <= {r[0] for r in quarantined}
