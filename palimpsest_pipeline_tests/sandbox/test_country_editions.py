"""Every country edition of every book, over real sockets: each answers its own country's matches (the shared
world's it covers and its domestic leagues, never another country's), a request naming no edition is refused,
and an edition's coverage, lag and faults are its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from palimpsest_pipeline.books.editions import EDITIONS
from palimpsest_pipeline.records import Book
from palimpsest_pipeline_tests.sandbox.clients import PAWA_HEADERS, pawa_rows
from palimpsest_sandbox import BookBehaviour, FaultConfig, SandboxHandle
from palimpsest_sandbox.config import EditionConfig
from palimpsest_sandbox.country_editions import EditionWorld
from palimpsest_sandbox.domestic import LEAGUES, DomesticLeagues
from palimpsest_sandbox.world import WorldEvent

GHANA_BRAND = {**PAWA_HEADERS, "x-pawa-brand": "betpawa-ghana"}


EditionSetter = Callable[[Book, str, EditionConfig], None]


@pytest.fixture
def set_edition(sandbox: SandboxHandle) -> Iterator[EditionSetter]:
    """``set_edition(book, country, config)`` for this test only: each edition is put back afterwards."""
    previous: dict[tuple[Book, str], EditionConfig] = {}

    def apply(book: Book, country: str, config: EditionConfig) -> None:
        previous.setdefault((book, country), sandbox.set_edition(book, country, config))

    yield apply
    for (book, country), config in previous.items():
        sandbox.set_edition(book, country, config)


def _domestic(world: EditionWorld, country: str) -> set[int]:
    return {t.key for t in world.tournaments if t.country == LEAGUES[country].name}


def _msport_events(client: httpx.Client, base: str, operid: str) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    params: dict[str, str] = {"sportId": "sr:sport:1"}
    for _ in range(1_000):
        data = client.get(base + "sports-matches-list", params=params, headers={"operid": operid}).json()[
            "data"
        ]
        events.extend(e for t in data["tournaments"] for e in t["events"])
        if data["lastEventId"] is None:
            return events
        params["lastEventId"] = data["lastEventId"]
    raise AssertionError("MSport paging never ended")


def test_ghana_s_editions_list_the_shared_world_they_cover_and_ghana_s_leagues_never_kenya_s(
    sandbox: SandboxHandle,
) -> None:
    now = sandbox.now()
    ghana, kenya = sandbox.world_of("gh"), sandbox.world_of("ke")
    for book in (Book.BETPAWA, Book.SPORTYBET, Book.MSPORT, Book.BETWAY, Book.BETIKA):
        listed = ghana.listed_events(book, now)
        shared = sandbox.world.listed_events(book, now)
        own = [e for e in listed if e.tournament.key in _domestic(ghana, "gh")]
        assert own, f"{book} lists none of Ghana's matches"
        assert not [e for e in listed if e.tournament.key in _domestic(kenya, "ke")]
        assert not [e for e in listed if e.tournament.country == "Nigeria" and e.sport == "football"]
        from_world = {e.uid for e in listed} - {e.uid for e in own}
        # coverage 0.9 of the shared world (less Nigeria's own league): a share, drawn per event and edition
        assert from_world < {e.uid for e in shared}
        assert 0.8 < len(from_world) / len(shared) < 0.97
    assert {e.uid for e in kenya.listed_events(Book.BETPAWA, now)} != {
        e.uid for e in ghana.listed_events(Book.BETPAWA, now)
    }


def test_sr_ids_are_unique_across_the_world_and_every_country_s_leagues(sandbox: SandboxHandle) -> None:
    domestic = DomesticLeagues(sandbox.world)
    day = sandbox.now().date()
    events: list[WorldEvent] = []
    for offset in range(14):
        events.extend(sandbox.world._day(day + timedelta(days=offset)))
        for country in LEAGUES:
            events.extend(domestic.day(country, day + timedelta(days=offset)))
    assert sum(1 for e in events if e.tournament.country in {s.name for s in LEAGUES.values()}) > 100
    assert len({e.sr_id for e in events}) == len(events)
    assert len({e.event_id(Book.BETPAWA) for e in events}) == len(events)


def test_betpawa_answers_per_brand_and_refuses_a_missing_or_unknown_one(
    sandbox: SandboxHandle, http: httpx.Client
) -> None:
    now = sandbox.now()
    with httpx.Client(timeout=60, headers=GHANA_BRAND) as ghana:
        rows = pawa_rows(ghana, sandbox)
    expected = {
        e.event_id(Book.BETPAWA)
        for e in sandbox.world_of("gh").listed_events(Book.BETPAWA, now, sport="football")
    }
    assert {row["id"] for row in rows} == expected
    nigeria = {row["id"] for row in pawa_rows(http, sandbox)}
    assert nigeria == {
        e.event_id(Book.BETPAWA) for e in sandbox.world.listed_events(Book.BETPAWA, now, sport="football")
    }
    assert nigeria != expected
    url = sandbox.base_urls[Book.BETPAWA] + "categories/list/all"
    for brand in (None, "betpawa-atlantis", "betpawa-ng"):
        headers = {} if brand is None else {"x-pawa-brand": brand}
        answer = httpx.get(url, headers=headers, timeout=10)
        assert answer.status_code == 400 and "x-pawa-brand" in answer.json()["message"]


def test_msport_answers_per_path_and_operid(sandbox: SandboxHandle, http: httpx.Client) -> None:
    now = sandbox.now()
    base = sandbox.edition_urls[(Book.MSPORT, "gh")]
    assert "/api/gh/" in base
    ids = {e["eventId"] for e in _msport_events(http, base, EDITIONS[(Book.MSPORT, "gh")].headers["operid"])}
    world = sandbox.world_of("gh").listed_events(Book.MSPORT, now, sport="football")
    assert ids == {e.event_id(Book.MSPORT) for e in world}
    refused = http.get(base + "sports", headers={"operid": "2"}).json()  # Nigeria's operid on Ghana's path
    assert refused["bizCode"] == 19_000
    unknown = http.get(base.replace("/api/gh/", "/api/xx/") + "sports", headers={"operid": "3"})
    assert unknown.status_code == 404


def test_betway_answers_per_country_code(sandbox: SandboxHandle, http: httpx.Client) -> None:
    now = sandbox.now()
    url = sandbox.edition_urls[(Book.BETWAY, "tz")]
    assert url == sandbox.edition_urls[(Book.BETWAY, "ng")]  # one host: the country is countryCode
    for code, country in (("NG", "ng"), ("TZ", "tz")):
        body = http.get(url + "Feeds/RegionsAndLeagues/soccer", params={"countryCode": code}).json()
        served = {(r["regionId"], league["leagueId"]) for r in body["regions"] for league in r["leagues"]}
        listed = sandbox.world_of(country) if country != "ng" else sandbox.world
        expected = {
            tuple(e.tournament.tournament_id(Book.BETWAY).split("::")[1:])
            for e in listed.listed_events(Book.BETWAY, now, sport="football")
        }
        assert served == expected
        assert (("tanzania", "ligi-kuu-bara") in served) is (country == "tz")
    assert http.get(url + "Feeds/RegionsAndLeagues/soccer", params={"countryCode": "KE"}).status_code == 400


def test_an_edition_s_faults_coverage_and_lag_are_its_own(
    sandbox: SandboxHandle, http: httpx.Client, set_edition: EditionSetter
) -> None:
    now = sandbox.now()
    down = BookBehaviour(latency=sandbox.behaviour(Book.MSPORT).latency, faults=FaultConfig(fail_status=503))
    set_edition(Book.MSPORT, "gh", EditionConfig(behaviour=down))
    ghana = sandbox.edition_urls[(Book.MSPORT, "gh")] + "sports"
    assert http.get(ghana, headers={"operid": "3"}).status_code == 503
    nigeria = sandbox.edition_urls[(Book.MSPORT, "ng")] + "sports"
    assert http.get(nigeria, headers={"operid": "2"}).json()["bizCode"] == 10_000

    before = sandbox.world_of("gh").listed_events(Book.MSPORT, now)
    set_edition(Book.MSPORT, "gh", EditionConfig(coverage=0.5, listing_lag_min=24 * 60))
    after = sandbox.world_of("gh").listed_events(Book.MSPORT, now)
    base = sandbox.edition_urls[(Book.MSPORT, "gh")]
    served = {e["eventId"] for e in _msport_events(http, base, "3")}
    assert served == {e.event_id(Book.MSPORT) for e in after if e.sport == "football"}
    assert {e.uid for e in after} < {e.uid for e in before}
    assert all(e.listings[Book.MSPORT].appear_at <= now - timedelta(days=1) for e in after)
    assert len(after) < 0.6 * len(before)


def test_the_control_api_configures_an_edition_and_refuses_an_unknown_one(
    sandbox: SandboxHandle, http: httpx.Client, set_edition: EditionSetter
) -> None:
    set_edition(Book.BETWAY, "mz", EditionConfig())  # restored afterwards, whatever the API sets
    control = sandbox.url + "/_sandbox/editions"
    answer = http.put(control, json={"betway.mz": {"coverage": 0.25, "listing_lag_min": 90}})
    assert answer.status_code == 200
    assert answer.json()["betway.mz"]["coverage"] == 0.25
    assert sandbox.state.editions.config(Book.BETWAY, "mz") == EditionConfig(
        coverage=0.25, listing_lag_min=90
    )
    assert http.put(control, json={"bet9ja.gh": {}}).status_code == 400  # Bet9ja has no Ghana site
    assert http.put(control, json={"betway.mz": {"coverage": 1.5}}).status_code == 400
