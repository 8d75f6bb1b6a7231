"""The one test kit for all books: what the conformance suite needs of each book that its ``BookKit`` does
not say (the edition it is scraped in, its captures and their walk, the outcome a hostile value is put in,
how its archived requests are labelled, what its wrappers are called).

``test_kit(book)`` fails the test of a book without an entry: a new book passes the suite or does not pass.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pytest

from palimpsest_pipeline.books.settings import BookSettings
from palimpsest_pipeline.records import Book
from palimpsest_pipeline_tests.books.payloads import CAPTURED
from palimpsest_pipeline_tests.conformance import walks
from palimpsest_pipeline_tests.conformance.walks import Key, Walked
from palimpsest_pipeline_tests.fixtures_sandbox import fast_book_settings
from palimpsest_sandbox import SandboxHandle

#: Where a hostile value goes: the outcome's container in a decoded answer, and the field holding its price.
PriceAt = Callable[[Any], tuple[dict[str, Any], str]]


@dataclass(frozen=True, kw_only=True)
class HostileTarget:
    """One open outcome of a real capture, read by hand: where its price is written and the key it has."""

    capture: str
    sr_id: int
    price_at: PriceAt
    key: Key


@dataclass(frozen=True, kw_only=True)
class Wrapper:
    """A wrapper of list rows (a tournament, a region, a group) with the sandbox's ``bad_wrapper`` on: the
    name it is set aside under, what the fault took from it, and the event field its rows share where they
    cannot be read without it (None: each row names its own tournament, and every one is still read)."""

    label: str
    missing: str
    lost_by: Literal["country_id", "tournament_id"] | None


@dataclass(frozen=True, kw_only=True)
class TestKit:
    """What the conformance suite asks of one book besides its ``BookKit``."""

    #: The edition the sandbox tests scrape (a book without a Nigerian edition is scraped elsewhere).
    site_country: str
    #: Its event-detail captures judged, in ../shared/fixtures/captured/<book>/ (the SR id in each name).
    captures: tuple[str, ...]
    walk: Callable[[dict[str, Any]], Walked]
    #: Whether the walk counts every open outcome the parser counts.
    counts_every_open_outcome: bool
    #: Whether the walk keys every outcome the parser stores under a UOF market (nothing else stored there).
    keys_every_uof_outcome: bool
    #: The least share of walked open outcomes stored at their key (or, unkeyed, at their price).
    keyed_share: float
    hostile: HostileTarget
    #: Request paths (relative to the base URL) and the archive kind each is labelled with.
    archive_labels: tuple[tuple[str, str], ...]
    #: Whether its list rows name their country's id (Betika's carry it on live rows only).
    lists_name_country_id: bool
    #: Whether its lists count each tournament's events (MSport's, Betway's and Betika's do not).
    tournaments_counted: bool
    #: Two event ids in the book's own form, neither of an event the sandbox world lists.
    unknown_event_ids: tuple[str, str]
    #: The list wrapper the sandbox's ``bad_wrapper`` unnames; None where its lists hold their events in no
    #: wrapper (no sandbox route of the book answers one).
    wrapper: Wrapper | None


def _market(markets: list[dict[str, Any]], **fields: Any) -> dict[str, Any]:
    found: dict[str, Any] = next(m for m in markets if all(m.get(k) == v for k, v in fields.items()))
    return found


def _sportybet_home(body: Any) -> tuple[dict[str, Any], str]:
    return _market(body["data"]["markets"], id="1")["outcomes"][0], "odds"


def _msport_home(body: Any) -> tuple[dict[str, Any], str]:
    return _market(body["data"]["markets"], id=1, specifiers="")["outcomes"][0], "odds"


def _betpawa_home(body: Any) -> tuple[dict[str, Any], str]:
    market = next(m for m in body["markets"] if m["marketType"]["id"] == "3743")  # "1X2 - FT"
    return market["row"][0]["prices"][0], "price"


def _bet9ja_home(body: Any) -> tuple[dict[str, Any], str]:
    return body["D"]["O"], "S_1X2_1"


def _betway_home(body: Any) -> tuple[dict[str, Any], str]:
    return _market(body["prices"], outcomeId="7158328211"), "priceDecimal"


def _betika_home(body: Any) -> tuple[dict[str, Any], str]:
    group = _market(body["data"][0]["odds"], sub_type_id="1")
    return _market(group["odds"], outcome_id="1"), "odd_value"


#: The 1X2's home win, read by hand: 2.40 on SportyBet, 2.41 BetPawa, 2.42 Bet9ja, 2.45 MSport (Wuhan v
#: Qingdao); 1.65 Betway, 1.76 Betika (Cruz Azul v Pumas).
HOME_WIN: Key = (1, "", 1)

TEST_KITS: dict[Book, TestKit] = {
    Book.BETPAWA: TestKit(
        site_country="ng",
        captures=(
            "v3_event_sr62384158_live_2026-04.json",
            "v3_event_sr67645534_live.json",
            "v3_event_sr68995116_prematch.json",
            "v3_event_sr69340218_prematch_2026-04.json",
            "v3_event_sr71453210_basketball.json",
            "v3_event_sr71529092_tennis.json",
            "v4_event_sr67691078_prematch.json",
            "v4_event_sr72339802_ug_2026-09.json",
        ),
        walk=walks.walk_betpawa,
        counts_every_open_outcome=True,
        keys_every_uof_outcome=False,
        keyed_share=0.65,
        hostile=HostileTarget(
            capture="v3_event_sr68995116_prematch.json", sr_id=68995116, price_at=_betpawa_home, key=HOME_WIN
        ),
        archive_labels=(
            ("categories/list/2?includeRegions=true", "catalogue"),
            ("events/lists/by-queries?q=%7B%7D", "list"),
            ("events/123", "list"),
        ),
        lists_name_country_id=True,
        tournaments_counted=True,
        unknown_event_ids=("123", "456"),
        wrapper=None,
    ),
    Book.SPORTYBET: TestKit(
        site_country="ng",
        captures=(
            "event_sr66457080_live_product_wc2026.json",
            "event_sr67645534_live.json",
            "event_sr68995116_prematch.json",
            "event_sr71529092_tennis.json",
            "event_sr71550420_basketball.json",
            "event_sr71583282_asian_handicap.json",
        ),
        walk=walks.walk_sportybet,
        counts_every_open_outcome=False,
        keys_every_uof_outcome=False,
        keyed_share=0.95,
        hostile=HostileTarget(
            capture="event_sr68995116_prematch.json", sr_id=68995116, price_at=_sportybet_home, key=HOME_WIN
        ),
        archive_labels=(
            ("popularAndSportList?sportId=sr%3Asport%3A1", "catalogue"),
            ("pcUpcomingEvents?pageNum=2", "list"),
        ),
        lists_name_country_id=True,
        tournaments_counted=True,
        unknown_event_ids=("sr:match:123", "sr:match:456"),
        wrapper=Wrapper(label="tournament wrapper", missing=".name: missing", lost_by=None),
    ),
    Book.BET9JA: TestKit(
        site_country="ng",
        captures=(
            "GetEvent_sr68995116_prematch.json",
            "GetEvent_sr71427986_basketball.json",
            "GetEvent_sr71543524_tennis.json",
            "GetEvent_sr71549302_next_goal.json",
            "GetLiveEvent_sr67645534_live.json",
        ),
        walk=walks.walk_bet9ja,
        counts_every_open_outcome=False,
        keys_every_uof_outcome=False,
        keyed_share=0.95,
        hostile=HostileTarget(
            capture="GetEvent_sr68995116_prematch.json", sr_id=68995116, price_at=_bet9ja_home, key=HOME_WIN
        ),
        archive_labels=(("GetSports?DISP=0", "catalogue"), ("GetEventsInGroupV2?GROUPID=1", "list")),
        lists_name_country_id=True,
        tournaments_counted=True,
        unknown_event_ids=("123", "456"),
        wrapper=Wrapper(label="group", missing=".G_DESC: missing", lost_by="tournament_id"),
    ),
    Book.MSPORT: TestKit(
        site_country="ng",
        captures=(
            "match_detail_sr66457080_wc2026.json",
            "match_detail_sr67645534_live.json",
            "match_detail_sr68995116_prematch.json",
            "match_detail_sr70505032_basketball.json",
            "match_detail_sr71529092_tennis.json",
            "match_detail_sr71549302_next_goal.json",
            "match_detail_sr71583282_asian_handicap.json",
        ),
        walk=walks.walk_msport,
        counts_every_open_outcome=True,
        keys_every_uof_outcome=True,
        keyed_share=0.95,
        hostile=HostileTarget(
            capture="match_detail_sr68995116_prematch.json",
            sr_id=68995116,
            price_at=_msport_home,
            key=HOME_WIN,
        ),
        archive_labels=(("sports-matches-list?sportId=sr%3Asport%3A1", "list"),),
        lists_name_country_id=True,
        tournaments_counted=False,
        unknown_event_ids=("sr:match:123", "sr:match:456"),
        wrapper=Wrapper(label="tournament wrapper", missing=".tournament: missing", lost_by=None),
    ),
    Book.BETWAY: TestKit(
        site_country="ng",
        # markets_sr66457080_wc2026.json prices some outcomes twice: set aside, named (the parse golden)
        captures=(
            "markets_sr70926700_live_next_goal.json",
            "markets_sr71427986_basketball.json",
            "markets_sr71529092_tennis.json",
            "markets_sr71583282_asian_handicap.json",
        ),
        walk=walks.walk_betway,
        counts_every_open_outcome=True,
        keys_every_uof_outcome=True,
        keyed_share=0.95,
        hostile=HostileTarget(
            capture="markets_sr71583282_asian_handicap.json",
            sr_id=71583282,
            price_at=_betway_home,
            key=HOME_WIN,
        ),
        archive_labels=(
            ("Feeds/RegionsAndLeagues/1", "catalogue"),
            ("BetBook/Filtered/?leagueIds=1", "list"),
        ),
        lists_name_country_id=True,
        tournaments_counted=False,
        unknown_event_ids=("123", "456"),
        wrapper=Wrapper(label="region", missing=".name: missing", lost_by="country_id"),
    ),
    Book.BETIKA: TestKit(
        site_country="ke",
        captures=(
            "matches_sr61624652_markets.json",
            "matches_sr70505032_basketball.json",
            "matches_sr70784812_prematch.json",
            "matches_sr71443804_next_goal.json",
            "matches_sr71463790_live.json",
            "matches_sr71529092_tennis.json",
            "matches_sr71583282_asian_handicap.json",
        ),
        walk=walks.walk_betika,
        counts_every_open_outcome=True,
        keys_every_uof_outcome=True,
        keyed_share=0.95,
        hostile=HostileTarget(
            capture="matches_sr71583282_asian_handicap.json",
            sr_id=71583282,
            price_at=_betika_home,
            key=HOME_WIN,
        ),
        archive_labels=(("uo/matches?sport_id=14&page=1", "list"),),
        lists_name_country_id=False,
        tournaments_counted=False,
        unknown_event_ids=("14:1:123", "14:1:456"),
        wrapper=None,
    ),
}


def test_kit(book: Book) -> TestKit:
    """``book``'s test kit; the test fails (never skips) when the book has none."""
    if book not in TEST_KITS:
        pytest.fail(
            f"{book.value} has no entry in conformance/book_kits.py TEST_KITS: a new book must have one"
        )
    return TEST_KITS[book]


def captures(book: Book) -> list[tuple[Path, int]]:
    """``book``'s event-detail captures its test kit judges, each with its match's SR id (in its name)."""
    return [
        (CAPTURED / book.value / name, int(name.split("_sr")[1].split("_")[0]))
        for name in test_kit(book).captures
    ]


def book_settings(sandbox: SandboxHandle, book: Book, **overrides: Any) -> BookSettings:
    """``book``'s quick client settings against ``sandbox``, in the edition its test kit names."""
    return fast_book_settings(sandbox, [book], site_country=test_kit(book).site_country, **overrides)[book]


test_kit.__test__ = False  # type: ignore[attr-defined]
TestKit.__test__ = False  # type: ignore[attr-defined]
