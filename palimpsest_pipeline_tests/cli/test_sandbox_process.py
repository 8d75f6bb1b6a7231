"""The sandbox as the CLI runs it: a child process (``python -m palimpsest_sandbox``) that announces its URLs,
serves each book there, stops when asked and never outlives the process that started it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import psutil
import pytest

from palimpsest_pipeline.cli.sandbox_process import (
    SandboxStartError,
    read_announcement,
    sandbox_edition_urls,
    start_sandbox_process,
)
from palimpsest_pipeline.records import Book
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_pipeline_tests.sandbox.clients import PAWA_HEADERS, pawa_query

pytestmark = pytest.mark.slow

#: The real books' API paths (their documented URLs), which the sandbox serves each book under.
REAL_PATHS = {
    Book.BETPAWA: "/api/sportsbook/v4/",
    Book.SPORTYBET: "/api/ng/factsCenter/",
    Book.BET9JA: "/desktop/feapi/PalimpsestAjax/",
    Book.MSPORT: "/api/ng/facts-center/query/frontend/",
    Book.BETWAY: "/br/_apis/sport/v1/",
    Book.BETIKA: "/v1/",
}


def test_each_book_answers_at_the_urls_the_sandbox_announces_and_stop_ends_it() -> None:
    sandbox = start_sandbox_process(seed=7, size=20)
    try:
        port = urlsplit(sandbox.url).port
        assert {book: urlsplit(url).path for book, url in sandbox.base_urls.items()} == REAL_PATHS
        assert {urlsplit(url).port for url in sandbox.base_urls.values()} == {port}
        with httpx.Client(timeout=30) as http:
            sporty = http.get(
                sandbox.base_urls[Book.SPORTYBET] + "popularAndSportList",
                params={"sportId": "sr:sport:1", "productId": 3, "_t": 1},
            ).json()
            assert sporty["bizCode"] == 10_000
            assert [sport["id"] for sport in sporty["data"]["sportList"]] == ["sr:sport:1"]
            pawa = http.get(
                sandbox.base_urls[Book.BETPAWA] + "events/lists/by-queries",
                params={"q": pawa_query()},
                headers=PAWA_HEADERS,
            ).json()
            assert pawa["responses"][0]["responses"]  # football listed
            bet9ja = http.get(sandbox.base_urls[Book.BET9JA] + "GetSports", params={"DISP": 0}).json()
            assert bet9ja["D"]["PAL"]
            msport = http.get(sandbox.base_urls[Book.MSPORT] + "sports", headers={"operid": "2"}).json()
            assert msport["bizCode"] == 10_000 and msport["data"]["sports"]
    finally:
        sandbox.stop()
    assert sandbox.process.returncode == 0  # it stopped on its closed standard input, not on a signal
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0  # nothing listens there any more


def test_the_sandbox_ends_when_the_process_that_started_it_is_killed() -> None:
    parent_code = textwrap.dedent(
        """
        import sys
        from palimpsest_pipeline.cli.sandbox_process import start_sandbox_process
        sandbox = start_sandbox_process(seed=7, size=20)
        print(sandbox.process.pid, flush=True)
        sys.stdin.read()
        """
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", parent_code], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    assert parent.stdout is not None
    try:
        child = psutil.Process(int(parent.stdout.readline()))
        assert child.is_running() and "palimpsest_sandbox" in child.cmdline()
        parent.kill()  # SIGKILL: no handler, no finally of its own
        parent.wait()
        child.wait(timeout=60)  # raises if it outlives its parent: an orphan
        assert not child.is_running()
    finally:
        parent.kill()
        parent.wait()


def test_a_port_in_use_is_an_error_that_names_it() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(SandboxStartError, match=f"cannot listen on 127.0.0.1:{port}"):
            start_sandbox_process(seed=7, size=20, port=port)


def test_the_urls_for_a_port_come_from_the_sandbox_without_starting_it() -> None:
    urls = sandbox_edition_urls(8765)
    # Nigeria's editions (Betika has none there), each country's on the same port
    assert {book: url for (book, cc), url in urls.items() if cc == "ng"} == {
        book: f"http://127.0.0.1:8765{path}" for book, path in REAL_PATHS.items() if book is not Book.BETIKA
    }
    assert (Book.BETIKA, "gh") in urls and all(
        url.startswith("http://127.0.0.1:8765/") for url in urls.values()
    )


def test_env_exports_the_sandbox_urls_of_its_port_and_keeps_a_configured_one(
    tmp_path: Path, warehouse_url: str
) -> None:
    env = {
        **{name: value for name, value in os.environ.items() if not name.startswith("PALIMPSEST_")},
        "PALIMPSEST_HOME": str(tmp_path),
        "PALIMPSEST_DATABASE_URL": warehouse_url,
        "PALIMPSEST_BET9JA_NG_URL": "http://127.0.0.1:9/mine/",
    }
    palimpsest = str(Path(sys.executable).with_name("palimpsest"))
    done = subprocess.run(
        [palimpsest, "env", "--sandbox-port", "8799"], env=env, capture_output=True, text=True, check=True
    )
    book_vars = {f"PALIMPSEST_{book.value.upper()}_NG_URL": book for book in Book}
    exported = {
        line
        for line in done.stdout.splitlines()
        if line.startswith("export ") and line[len("export ") :].split("=")[0] in book_vars
    }
    # every scraped book's URL (Bet9ja's as configured), none for a book the pipeline does not scrape
    assert exported == {
        f"export PALIMPSEST_{book.value.upper()}_NG_URL=http://127.0.0.1:8799{REAL_PATHS[book]}"
        for book in NIGERIA_BOOKS
        if book is not Book.BET9JA
    } | {"export PALIMPSEST_BET9JA_NG_URL=http://127.0.0.1:9/mine/"}
    assert (
        "export PALIMPSEST_MSPORT_NG_URL=http://127.0.0.1:8799/api/ng/facts-center/query/frontend/"
        in exported
    )


@pytest.mark.parametrize(
    "line",
    [
        b"control http://127.0.0.1:8765/_sandbox/health",
        b'{"base_urls": {}}',
        b'{"url": 8765, "base_urls": {}}',
        b'{"url": "http://127.0.0.1:8765", "base_urls": {"nobook": "http://127.0.0.1:8765/"}}',
        b'{"url": "http://127.0.0.1:8765", "base_urls": {"betpawa": 5}}',
        b'{"url": "http://127.0.0.1:8765", "base_urls": ["betpawa"]}',
    ],
)
def test_an_unreadable_announcement_is_refused_with_what_it_said(line: bytes) -> None:
    with pytest.raises(SandboxStartError, match="unreadable sandbox announcement"):
        read_announcement(line)
