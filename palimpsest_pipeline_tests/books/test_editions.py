"""Country editions as configuration: what each edition's requests carry on a real socket, against values
written by hand from ../shared/PLATFORMS.md ("Countries", "MSport", "Betway", "Betika"); unknown editions."""

from __future__ import annotations

import ast
import asyncio
import copy
import pickle
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

import palimpsest_pipeline.books
from palimpsest_pipeline.books.adapter import Window
from palimpsest_pipeline.books.editions import (
    EDITIONS,
    EditionsFileError,
    UnknownEdition,
    edition,
    parse_editions,
)
from palimpsest_pipeline.books.http import BookClient
from palimpsest_pipeline.books.kits import KITS
from palimpsest_pipeline.books.live_list import LiveAdapter
from palimpsest_pipeline.books.settings import BookSettings, edition_settings, env_var_name
from palimpsest_pipeline.books.sports import sport_by_key
from palimpsest_pipeline.books.wire import BookRequest, Wire
from palimpsest_pipeline.records import Book
from palimpsest_pipeline_tests.books.scripted_server import Hit, Reply, ScriptedServer

#: PLATFORMS.md "Countries": BetPawa's 22 editions, host and brand header.
BETPAWA_SITES = {
    "ng": ("www.betpawa.ng", "betpawa-nigeria"),
    "gh": ("www.betpawa.com.gh", "betpawa-ghana"),
    "ke": ("www.betpawa.co.ke", "betpawa-kenya"),
    "ug": ("www.betpawa.ug", "betpawa-uganda"),
    "tz": ("www.betpawa.co.tz", "betpawa-tanzania"),
    "zm": ("www.betpawa.co.zm", "betpawa-zambia"),
    "rw": ("www.betpawa.rw", "betpawa-rwanda"),
    "cm": ("www.betpawa.cm", "betpawa-cameroon"),
    "sl": ("sl.betpawa.com", "betpawa-sierraleone"),
    "bj": ("www.betpawa.bj", "betpawa-benin"),
    "cg": ("cg.betpawa.com", "betpawa-congobrazzaville"),
    "cd": ("www.betpawa.cd", "betpawa-drc"),
    "ls": ("ls.betpawa.com", "betpawa-lesotho"),
    "mw": ("www.betpawa.mw", "betpawa-malawi"),
    "mz": ("www.betpawa.co.mz", "betpawa-mozambique"),
    "ao": ("www.betpawa.ao", "betpawa-angola"),
    "bw": ("bw.betpawa.com", "betpawa-botswana"),
    "lr": ("lr.betpawa.com", "betpawa-liberia"),
    "ml": ("ml.betpawa.com", "betpawa-mali"),
    "ss": ("ss.betpawa.com", "betpawa-southsudan"),
    "tg": ("tg.betpawa.com", "betpawa-togo"),
    "zw": ("zw.betpawa.com", "betpawa-zimbabwe"),
}
SPORTYBET_COUNTRIES = {"ng", "gh", "ke", "tz", "za", "cm", "zm"}
#: PLATFORMS.md "Betika": one API for ke ug tz mw gh, its start_time in East Africa Time whatever the country.
BETIKA_ZONES = dict.fromkeys(("ke", "ug", "tz", "mw", "gh"), "Africa/Nairobi")
MSPORT_OPERIDS = {"ng": "2", "gh": "3", "ke": "1", "ug": "4", "zm": "5"}
BETWAY_COUNTRIES = {"NG", "GH", "TZ", "ZM", "ZA", "BW", "MW", "MZ"}
BETWAY_URL = "https://feeds-roa2.betwayafrica.com/br/_apis/sport/v1/"

#: (book, country, base URL, headers the edition adds, headers it must not send, query parameters it adds)
CASES: list[tuple[Book, str, str, dict[str, str], set[str], dict[str, str]]] = [
    (
        Book.BETPAWA,
        "ng",
        "https://www.betpawa.ng/api/sportsbook/v4/",
        {"x-pawa-brand": "betpawa-nigeria"},
        set(),
        {},
    ),
    (
        Book.BETPAWA,
        "gh",
        "https://www.betpawa.com.gh/api/sportsbook/v4/",
        {"x-pawa-brand": "betpawa-ghana"},
        set(),
        {},
    ),
    (
        Book.BETPAWA,
        "ss",
        "https://ss.betpawa.com/api/sportsbook/v4/",
        {"x-pawa-brand": "betpawa-southsudan"},
        set(),
        {},
    ),
    (Book.SPORTYBET, "ng", "https://www.sportybet.com/api/ng/factsCenter/", {"operid": "2"}, set(), {}),
    # SportyBet's operid is documented for Nigeria only: Ghana's edition sends none rather than Nigeria's.
    (Book.SPORTYBET, "gh", "https://www.sportybet.com/api/gh/factsCenter/", {}, {"operid"}, {}),
    (
        Book.MSPORT,
        "ug",
        "https://www.msport.com/api/ug/facts-center/query/frontend/",
        {"operid": "4"},
        set(),
        {},
    ),
    (
        Book.MSPORT,
        "ke",
        "https://www.msport.com/api/ke/facts-center/query/frontend/",
        {"operid": "1"},
        set(),
        {},
    ),
    (Book.BETWAY, "ng", BETWAY_URL, {}, {"operid", "x-pawa-brand"}, {"countryCode": "NG"}),
    (Book.BETWAY, "mz", BETWAY_URL, {}, {"operid", "x-pawa-brand"}, {"countryCode": "MZ"}),
    (Book.BET9JA, "ng", "https://sports.bet9ja.com/desktop/feapi/PalimpsestAjax/", {}, {"operid"}, {}),
]

#: What each book's envelope says on success, so one attempt is enough.
_OK: dict[Book, object] = {
    Book.SPORTYBET: {"bizCode": 10000, "message": "0#0", "data": {}},
    Book.MSPORT: {"bizCode": 10000, "message": "0#0", "data": {}},
    Book.BET9JA: {"R": "OK", "D": {}},
}


def _seen(book: Book, country: str, wire_of: Any) -> tuple[BookSettings, list[Hit]]:
    """One request through the edition's wire, to a local server standing at the edition's own path."""

    async def run() -> tuple[BookSettings, list[Hit]]:
        async with ScriptedServer(lambda hit: Reply.json(_OK.get(book, {}))) as server:
            path = urlsplit(edition(book, country).base_url).path
            env = {env_var_name(book, "base_url", country): server.url(path)}
            settings = edition_settings(book, country, env).model_copy(update={"max_attempts": 1})
            async with BookClient(settings, wire_of(settings)) as client:
                await client.fetch(BookRequest("probe", "probe", {"q": "1"}), lambda data: data)
            return settings, server.hits

    return asyncio.run(run())


@pytest.mark.parametrize(("book", "country", "url", "headers", "absent", "params"), CASES)
def test_each_edition_sends_what_its_site_expects(
    book: Book, country: str, url: str, headers: dict[str, str], absent: set[str], params: dict[str, str]
) -> None:
    assert edition_settings(book, country, {}).base_url == url
    live: LiveAdapter = KITS[book].live_adapter()
    wires = {
        "catalogue and odds": KITS[book].adapter().wire,
        "live": lambda s: live.wire(live.live_settings(s)),
    }
    for what, wire_of in wires.items():
        settings, hits = _seen(book, country, wire_of)
        assert settings.site_country == country
        [hit] = hits
        if what != "live":
            assert hit.path == urlsplit(url).path + "probe", what
        assert {name: hit.headers.get(name) for name in headers} == headers, what
        assert not absent & set(hit.headers), what
        assert {name: hit.query.get(name) for name in params} == params, what
        assert hit.query["q"] == "1"


def test_a_whole_catalogue_flow_speaks_to_its_edition() -> None:
    """MSport Uganda's catalogue, three pages: every request under /api/ug/ with Uganda's operid 4."""
    start = 1_778_065_200_000  # 2026-05-06 11:00Z in epoch milliseconds

    def page(numbers: list[int], cursor: str | None) -> dict[str, Any]:
        rows = [{"eventId": f"sr:match:{n}", "homeTeam": f"H{n}", "awayTeam": f"A{n}", "startTime": start}
                for n in numbers]  # fmt: skip
        wrapper = {"tournamentId": "sr:tournament:649", "tournament": "Super League", "category": "Uganda",
                   "events": rows}  # fmt: skip
        return {"bizCode": 10000, "message": "0#0", "data": {"tournaments": [wrapper], "lastEventId": cursor}}

    pages = {
        None: page([1, 2], "sr:match:2"),
        "sr:match:2": page([3], "sr:match:3"),
        "sr:match:3": page([], None),
    }
    adapter = KITS[Book.MSPORT].adapter()

    async def run() -> tuple[list[int | None], list[Hit]]:
        async with ScriptedServer(lambda hit: Reply.json(pages[hit.query.get("lastEventId")])) as server:
            path = urlsplit(edition(Book.MSPORT, "ug").base_url).path
            settings = edition_settings(Book.MSPORT, "ug", {"PALIMPSEST_MSPORT_UG_URL": server.url(path)})
            async with BookClient(settings, adapter.wire(settings)) as client:
                now = datetime.fromtimestamp(start / 1000, tz=UTC) - timedelta(days=1)
                parts = await adapter.list_catalogue(
                    client, [sport_by_key("football")], Window(now, timedelta(days=14))
                )
            return [event.sr_id for event in parts.events], server.hits

    sr_ids, hits = asyncio.run(run())
    assert sr_ids == [1, 2, 3] and len(hits) == 3
    for hit in hits:
        assert hit.path == "/api/ug/facts-center/query/frontend/sports-matches-list"
        assert hit.headers["operid"] == "4"


def test_the_editions_are_the_sites_platforms_lists() -> None:
    by_book: dict[Book, set[str]] = {}
    for book, country in EDITIONS:
        by_book.setdefault(book, set()).add(country)
    assert by_book == {
        Book.BETPAWA: set(BETPAWA_SITES),
        Book.SPORTYBET: SPORTYBET_COUNTRIES,
        Book.MSPORT: set(MSPORT_OPERIDS),
        Book.BETWAY: {cc.lower() for cc in BETWAY_COUNTRIES},
        Book.BET9JA: {"ng"},
        Book.BETIKA: set(BETIKA_ZONES),
    }
    for country, zone in BETIKA_ZONES.items():
        site = edition(Book.BETIKA, country)
        assert (site.base_url, dict(site.headers), dict(site.params), site.time_zone) == (
            "https://api.betika.com/v1/",
            {},
            {},
            zone,
        )
    for country, (host, brand) in BETPAWA_SITES.items():
        site = edition(Book.BETPAWA, country)
        assert (site.base_url, dict(site.headers), dict(site.params)) == (
            f"https://{host}/api/sportsbook/v4/",
            {"x-pawa-brand": brand},
            {},
        )
    for country in SPORTYBET_COUNTRIES:
        assert (
            edition(Book.SPORTYBET, country).base_url
            == f"https://www.sportybet.com/api/{country}/factsCenter/"
        )
    for country, operid in MSPORT_OPERIDS.items():
        site = edition(Book.MSPORT, country)
        assert site.base_url == f"https://www.msport.com/api/{country}/facts-center/query/frontend/"
        assert dict(site.headers) == {"operid": operid}
    for code in BETWAY_COUNTRIES:
        site = edition(Book.BETWAY, code.lower())
        assert (site.base_url, dict(site.params)) == (BETWAY_URL, {"countryCode": code})


@pytest.mark.parametrize(
    ("book", "country"), [(Book.BET9JA, "gh"), (Book.MSPORT, "tz"), (Book.BETPAWA, "fr")]
)
def test_an_unknown_edition_names_the_book_and_the_country(book: Book, country: str) -> None:
    with pytest.raises(UnknownEdition) as caught:
        edition(book, country)
    assert f"no {book.value} edition for country {country!r}" in str(caught.value)
    with pytest.raises(ValueError, match=f"no {book.value} edition for country {country!r}"):
        BookSettings(book=book, base_url="http://x/", site_country=country)


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        (
            '[betpawa.ng]\nbase_url = "https://a/"\n[hollywoodbets.za]\nbase_url = "https://b/"',
            "unknown book 'hollywoodbets'",
        ),
        (
            '[betika.gh]\nbase_url = "https://a/"\ntime_zone = "Africa/Atlantis"',
            "[betika.gh] time_zone: must name an IANA time zone",
        ),
        ('[msport.UG]\nbase_url = "https://a/"', "[msport.UG]: the country must be a lower-case ISO code"),
        ('[msport.ug]\nheaders = { operid = "4" }', "[msport.ug]: base_url must be an https URL, got None"),
        ('[betway.gh]\nbase_url = "http://a/"', "[betway.gh]: base_url must be an https URL"),
        (
            '[msport.ug]\nbase_url = "https://a/"\nheaders = { operid = 4 }',
            "[msport.ug] headers: must be a table",
        ),
        (
            '[betway.gh]\nbase_url = "https://a/"\nparam = { countryCode = "GH" }',
            "[betway.gh]: unknown key(s) ['param']",
        ),
        ("[betway.gh\n", "is not valid TOML"),
    ],
)
def test_a_bad_editions_file_names_the_file_book_and_country(text: str, complaint: str) -> None:
    with pytest.raises(EditionsFileError) as caught:
        parse_editions(text, "my-editions.toml")
    assert "editions file my-editions.toml" in str(caught.value) and complaint in str(caught.value)


#: Payload field names spelt like a country code, by the module reading them: Bet9ja's periods' scores
#: ``R.SS`` (not South Sudan).
FIELDS_LIKE_COUNTRIES = {("bet9ja/live.py", "SS")}


def test_no_country_is_written_into_the_books_code() -> None:
    """Every country fact lives in editions.toml: no string in books/ (docstrings aside) names a country
    code, a site's host, an edition's header or parameter name, or a non-numeric value of one (the payload
    fields of ``FIELDS_LIKE_COUNTRIES`` aside)."""
    countries = {country for _, country in EDITIONS}
    names = {name.lower() for site in EDITIONS.values() for name in (*site.headers, *site.params)}
    values = {
        value.lower()
        for site in EDITIONS.values()
        for value in (*site.headers.values(), *site.params.values())
        if not value.isdigit() and value.lower() not in countries  # a code is matched whole, below
    }
    hosts = {urlsplit(site.base_url).netloc for site in EDITIONS.values()}
    assert "x-pawa-brand" in names and "countrycode" in names and "betpawa-ghana" in values  # the check bites
    found = []
    root = Path(palimpsest_pipeline.books.__file__).parent
    for path in sorted(root.rglob("*.py")):
        for text, line in _strings_outside_docstrings(path):
            if (str(path.relative_to(root)), text) in FIELDS_LIKE_COUNTRIES:
                continue
            lowered = text.lower()
            if (
                lowered in countries
                or lowered in names
                or any(value in lowered for value in values)
                or any(host in lowered for host in hosts)
                or any(f"/{country}/" in lowered for country in countries)
            ):
                found.append(f"{path.relative_to(root)}:{line}: {text!r}")
    assert found == []


def _strings_outside_docstrings(path: Path) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return [
        (node.value, node.lineno)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def test_an_edition_is_read_only_and_travels_whole() -> None:
    site = edition(Book.MSPORT, "gh")
    with pytest.raises(TypeError):
        site.headers["operid"] = "2"  # type: ignore[index]
    assert pickle.loads(pickle.dumps(site)) == site == copy.deepcopy(site)
    assert dict(pickle.loads(pickle.dumps(site)).headers) == {"operid": "3"}


def test_wire_headers_are_the_books_own_plus_the_editions() -> None:
    wire: Wire = KITS[Book.BETPAWA].adapter().wire(edition_settings(Book.BETPAWA, "ke", {}))
    assert dict(wire.headers) == {
        "accept": "application/json",
        "devicetype": "web",
        "x-pawa-brand": "betpawa-kenya",
    }
