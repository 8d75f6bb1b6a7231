"""SportyBet's event ids are the same on every country's site: the same event read in Nigeria and in Ghana is
two rows of each core table, neither overwrites nor withdraws the other, each country's readers see only
their own, and a replay of one country's archive writes that country's rows."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, date, datetime, timedelta

import psycopg
import pytest

from palimpsest_pipeline.books.settings import default_settings
from palimpsest_pipeline.records import Book, Event, OddsRow, Tournament
from palimpsest_pipeline.scrape.archive.odds_replay import rebuild_odds_from_archive
from palimpsest_pipeline.warehouse.archive.reader import iter_event_bodies
from palimpsest_pipeline.warehouse.archive.records import RawResponse
from palimpsest_pipeline.warehouse.archive.writer import RawArchiveWriter
from palimpsest_pipeline.warehouse.batches import catalogue_scraped_since, last_good_catalogues, record_scrape
from palimpsest_pipeline.warehouse.capture_listings import (
    read_earliest_kickoffs,
    read_upcoming,
    read_upcoming_between,
)
from palimpsest_pipeline.warehouse.catalogue_store import read_live_events, store_catalogue
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline.warehouse.odds_store import read_current_odds, store_odds
from palimpsest_pipeline_tests.books.payloads import captured
from palimpsest_pipeline_tests.warehouse.test_catalogue_store import _Scrape

NOW = datetime(2026, 5, 6, 9, 0, tzinfo=UTC)
TOMORROW = NOW.date() + timedelta(days=1)
SR_ID = 4242
EVENT_ID = f"sr:match:{SR_ID}"
#: The same match on both sites, kicking off at different times (hand-chosen, so a mixed read shows).
KICKOFF = {"ng": NOW + timedelta(hours=30), "gh": NOW + timedelta(hours=31)}


def _event(country: str) -> Event:
    return Event(
        book=Book.SPORTYBET,
        event_id=EVENT_ID,
        sr_id=SR_ID,
        home=f"Home {country}",
        away="Away",
        kickoff=KICKOFF[country],
        tournament_id="sr:tournament:17",
        tournament_name="Premier League",
        country="England",
        sport="football",
    )


def _store(conn: psycopg.Connection, country: str, events: list[Event], *, at: datetime = NOW) -> None:
    tournament = Tournament(
        Book.SPORTYBET, "sr:tournament:17", f"Premier League {country}", "England", "football"
    )
    store_catalogue(
        conn,
        book=Book.SPORTYBET,
        site_country=country,
        tournaments=[tournament] if events else [],
        events=events,
        dates=[TOMORROW],
        captured_at=at,
        batch_id=None,
        complete=True,
        withdraw_after=1,
    )


def test_the_same_event_read_in_two_countries_is_two_rows_each_read_by_its_own_country(
    warehouse_conn: psycopg.Connection,
) -> None:
    conn = warehouse_conn
    _store(conn, "ng", [_event("ng")])
    _store(conn, "gh", [_event("gh")])
    rows = conn.execute(
        "SELECT site_country, home, kickoff, deleted_at FROM core.events WHERE event_id = %s ORDER BY 1",
        (EVENT_ID,),
    ).fetchall()
    assert rows == [("gh", "Home gh", KICKOFF["gh"], None), ("ng", "Home ng", KICKOFF["ng"], None)]
    names = conn.execute("SELECT site_country, name FROM core.tournaments ORDER BY 1").fetchall()
    assert names == [("gh", "Premier League gh"), ("ng", "Premier League ng")]

    # A complete Ghana scrape that no longer lists the match withdraws Ghana's row only.
    _store(conn, "gh", [], at=NOW + timedelta(hours=1))
    live = conn.execute("SELECT site_country FROM core.events WHERE deleted_at IS NULL").fetchall()
    assert live == [("ng",)]
    changes = conn.execute(
        "SELECT site_country, change FROM analytics.catalogue_changes ORDER BY changed_at, site_country"
    ).fetchall()
    assert changes == [("gh", "added"), ("ng", "added"), ("gh", "withdrawn")]
    _store(conn, "gh", [_event("gh")], at=NOW + timedelta(hours=2))  # listed again: revived

    for country in ("ng", "gh"):
        events = read_live_events(conn, TOMORROW, TOMORROW, site_country=country)
        assert events["home"].to_list() == [f"Home {country}"]
        until = NOW + timedelta(days=2)
        assert read_upcoming(conn, NOW, until, site_country=country) == [(SR_ID, KICKOFF[country])]
        since = NOW + timedelta(hours=1)
        assert read_upcoming_between(conn, NOW, since, until, site_country=country) == [
            (SR_ID, KICKOFF[country])
        ]
        assert read_earliest_kickoffs(conn, [SR_ID], site_country=country) == {SR_ID: KICKOFF[country]}
    assert read_live_events(conn, TOMORROW, TOMORROW, site_country="ke").is_empty()


def test_a_scrape_finished_in_one_country_is_not_another_countrys(warehouse_conn: psycopg.Connection) -> None:
    conn = warehouse_conn
    scrape = _Scrape(Book.SPORTYBET, "ok", True, NOW, NOW + timedelta(minutes=1), site_country="gh")
    record_scrape(conn, batch_id="gh-run", scrape=scrape)
    assert catalogue_scraped_since(conn, NOW, site_country="gh")
    assert not catalogue_scraped_since(conn, NOW, site_country="ng")
    ghana = last_good_catalogues(conn, [Book.BETPAWA, Book.SPORTYBET], site_country="gh")
    assert ghana == {Book.BETPAWA: None, Book.SPORTYBET: NOW + timedelta(minutes=1)}
    assert last_good_catalogues(conn, [Book.SPORTYBET], site_country="ng") == {Book.SPORTYBET: None}


def test_the_same_pair_priced_in_two_countries_keeps_both_prices(warehouse_conn: psycopg.Connection) -> None:
    conn = warehouse_conn
    prices = {"ng": (2.40, 2.50), "gh": (2.55, 2.45)}  # (first capture, second capture) per country
    for step in (0, 1):
        at = NOW + timedelta(minutes=step)
        for country, (first, second) in prices.items():
            row = OddsRow(SR_ID, Book.SPORTYBET, 1, "", 1, (first, second)[step], "open", at)
            store_odds(conn, [row], site_country=country, captured={(SR_ID, Book.SPORTYBET): at})
    for country, (first, second) in prices.items():
        current = read_current_odds(conn, site_country=country, sr_ids=[SR_ID])
        assert current.select("price", "captured_at").rows() == [(second, NOW + timedelta(minutes=1))]
        history = conn.execute(
            "SELECT price FROM core.odds_history WHERE site_country = %s ORDER BY captured_at", (country,)
        ).fetchall()
        assert history == [(first,), (second,)]


#: A real SportyBet event detail; its 1X2 home price (market 1, outcome 1) is 2.40 on Nigeria's site.
CAPTURE = "event_sr68995116_prematch.json"
REAL_SR_ID = 68995116
HOME_PRICE = {"ng": 2.40, "gh": 2.55}  # Ghana's body: the same answer with that one price changed by hand


def _body(country: str) -> bytes:
    payload = captured("sportybet", CAPTURE)
    market = next(m for m in payload["data"]["markets"] if m["id"] == "1" and not m.get("specifier"))
    outcome = next(o for o in market["outcomes"] if o["id"] == "1")
    assert outcome["odds"] == "2.40"
    outcome["odds"] = f"{HOME_PRICE[country]:.2f}"
    return json.dumps(payload).encode()


def _home_prices(conn: psycopg.Connection) -> dict[str, float]:
    rows = conn.execute(
        "SELECT site_country, price FROM core.odds_current "
        "WHERE sr_id = %s AND market = 1 AND specifier = '' AND outcome = 1",
        (REAL_SR_ID,),
    ).fetchall()
    return dict(rows)


@pytest.mark.parametrize("first", ["ng", "gh"])
def test_a_replay_of_one_countrys_archive_writes_that_countrys_rows(
    warehouse_url: str, warehouse_conn: psycopg.Connection, first: str
) -> None:
    kickoff_day = date(2026, 5, 6)
    captured_at = datetime(2026, 5, 6, 8, 0, tzinfo=UTC)
    for country in ("ng", "gh"):
        writer = RawArchiveWriter(warehouse_conn, batch_id=f"capture-{country}", site_country=country)
        writer.add(
            RawResponse(
                book=Book.SPORTYBET,
                kind="event",
                url=f"https://www.sportybet.com/api/{country}/factsCenter/event?eventId=sr:match:{REAL_SR_ID}",
                status=200,
                body=_body(country),
                captured_at=captured_at,
                sr_id=REAL_SR_ID,
                event_id=f"sr:match:{REAL_SR_ID}",
                kickoff_date=kickoff_day,
            )
        )
        writer.flush()
    for country in ("ng", "gh"):  # the same event id and capture time: each country's body read back
        (body,) = iter_event_bodies(warehouse_conn, kickoff_day, kickoff_day, site_country=country)
        assert body.body == _body(country) and body.batch_id == f"capture-{country}"

    second = "gh" if first == "ng" else "ng"
    counts: dict[str, int] = {}
    for country in (first, second):
        settings = {Book.SPORTYBET: default_settings(Book.SPORTYBET, country)}
        with (
            psycopg.connect(libpq_url(warehouse_url)) as read,
            psycopg.connect(libpq_url(warehouse_url)) as write,
        ):
            replay = asyncio.run(rebuild_odds_from_archive(read, write, kickoff_day, kickoff_day, settings))
        assert replay.bodies == 1 and replay.by_status == {"ok": 1}
        counts[country] = warehouse_conn.execute(
            "SELECT count(*) FROM core.odds_current WHERE site_country = %s", (country,)
        ).fetchone()[0]  # type: ignore[index]
        if country == first:  # the other country has nothing yet
            assert _home_prices(warehouse_conn) == {first: HOME_PRICE[first]}
    assert _home_prices(warehouse_conn) == HOME_PRICE
    assert counts["ng"] == counts["gh"] > 100  # the same answer, but for one price: as many outcomes
    logged = warehouse_conn.execute(
        "SELECT site_country, batch_id, status FROM core.odds_captures ORDER BY 1"
    ).fetchall()
    assert logged == [("gh", "capture-gh", "ok"), ("ng", "capture-ng", "ok")]
