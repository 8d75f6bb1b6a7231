"""Nigeria's tournament crosswalk asset's checks on a hand-built catalogue in a real warehouse, in Dagster.

(On the sandbox world both checks pass: test_palimpsest_assets asserts every check of a full run passed.)
"""

from __future__ import annotations

from datetime import timedelta

import dagster as dg
import psycopg

from palimpsest_pipeline.definitions import ALL_ASSETS
from palimpsest_pipeline.defs.resources import ClockResource, WarehouseResource
from palimpsest_pipeline.partition_keys import partition_key
from palimpsest_pipeline.records import Book, Event
from palimpsest_pipeline.warehouse.catalogue_store import store_catalogue
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline_tests.fixtures_sandbox import SANDBOX_TEST_INSTANT

NOW = SANDBOX_TEST_INSTANT
KICKOFF = NOW + timedelta(days=1)
CROSSWALK = dg.AssetKey(["ng", "tournament_crosswalk"])
EPL, LIGA = ("sr:tournament:17", "England", "sr:category:1"), ("sr:tournament:8", "Spain", "sr:category:32")


def _event(book: Book, n: int, tournament: str, country: str, country_id: str | None = None) -> Event:
    event_id = f"sr:match:{n}" if book is Book.SPORTYBET else f"{book.value}-{n}"
    return Event(book, event_id, n, "h", "a", KICKOFF, tournament, f"{tournament} name", country, "football",
                 country_id=country_id)  # fmt: skip


def test_checks_flag_a_split_competition_and_a_country_conflict(warehouse_url: str) -> None:
    sporty = [
        _event(Book.SPORTYBET, n, t, c, cid) for n, (t, c, cid) in [(1, EPL), (2, EPL), (3, LIGA), (4, LIGA)]
    ]
    # BetPawa's "bp-mixed" holds an EPL match and a LaLiga match (split); Bet9ja files LaLiga under England,
    # where its other group is the Premier League (country conflict).
    pawa = [_event(Book.BETPAWA, 1, "bp-mixed", "England"), _event(Book.BETPAWA, 3, "bp-mixed", "England")]
    b9 = [
        _event(Book.BET9JA, 1, "b9-epl", "England"),
        _event(Book.BET9JA, 2, "b9-epl", "England"),
        _event(Book.BET9JA, 3, "b9-liga", "England"),
    ]
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        for book, events in ((Book.SPORTYBET, sporty), (Book.BETPAWA, pawa), (Book.BET9JA, b9)):
            store_catalogue(conn, book=book, tournaments=[], events=events, dates=[KICKOFF.date()],
                            captured_at=NOW, batch_id=None, complete=True, site_country="ng")  # fmt: skip
    result = dg.materialize(
        [next(a for a in ALL_ASSETS if CROSSWALK in a.keys)],  # the code location's own
        resources={
            "warehouse": WarehouseResource(database_url=warehouse_url),
            "clock": ClockResource(fixed_utc=NOW.isoformat()),
        },
        partition_key=partition_key(KICKOFF.date()),
    )
    checks = {e.check_name: e for e in result.get_asset_check_evaluations()}
    assert {e.asset_key.to_user_string() for e in checks.values()} == {"ng/tournament_crosswalk"}
    assert [m.asset_key for m in result.get_asset_materialization_events()] == [CROSSWALK]
    split, country = checks["tournaments_not_split"], checks["books_agree_on_country"]
    assert not split.passed and split.metadata["violations"].value == 1
    assert split.metadata["examples"].value[0]["tournament_id"] == "bp-mixed"
    assert not country.passed and country.metadata["violations"].value == 1
    assert country.metadata["examples"].value[0]["tournament_id"] == "b9-liga"
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        stored = dict(
            conn.execute(
                "SELECT tournament_id, sr_tournament_id FROM analytics.tournament_crosswalk"
            ).fetchall()
        )
    assert stored == {
        "sr:tournament:17": "sr:tournament:17",
        "sr:tournament:8": "sr:tournament:8",
        "bp-mixed": "sr:tournament:17",  # 1-1 tie: the lowest id (text order "…17" < "…8")
        "b9-epl": "sr:tournament:17",
        "b9-liga": "sr:tournament:8",
    }
