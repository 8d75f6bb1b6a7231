"""The sandbox child process names every country edition's URL, and ``runtime.point_books_at`` points
each edition the pipeline scrapes in the countries it runs there (``PALIMPSEST_<BOOK>_<CC>_URL``), so a
Ghana scrape reads the sandbox's Ghana sites."""

from __future__ import annotations

import httpx
import pytest

from palimpsest_pipeline import runtime
from palimpsest_pipeline.books.editions import EDITIONS
from palimpsest_pipeline.books.settings import edition_settings, env_var_name
from palimpsest_pipeline.cli.sandbox_process import (
    SandboxStartError,
    read_edition_urls,
    start_sandbox_process,
)
from palimpsest_pipeline.records import Book
from palimpsest_pipeline_tests.books.run_countries import scraped_books_from_env
from palimpsest_pipeline_tests.sandbox.clients import PAWA_HEADERS

pytestmark = pytest.mark.slow


def test_the_child_announces_every_edition_and_the_environment_points_each_scraped_one_there() -> None:
    sandbox = start_sandbox_process(seed=7, size=20)
    try:
        assert set(sandbox.edition_urls) == set(EDITIONS)
        assert sandbox.edition_urls[(Book.SPORTYBET, "ng")] == sandbox.base_urls[Book.SPORTYBET]
        env = {"PALIMPSEST_COUNTRIES": "ng,gh"}
        runtime.point_books_at(sandbox.edition_urls, env)
        scraped = scraped_books_from_env(env)
        for country, books in scraped.items():
            for book in books:
                url = env[env_var_name(book, "base_url", country)]
                assert url == sandbox.edition_urls[(book, country)]
                assert edition_settings(book, country, env).base_url == url
        assert not any(name.endswith("_KE_URL") for name in env)  # Kenya is not run
        ghana = edition_settings(Book.BETPAWA, "gh", env)
        with httpx.Client(timeout=30) as http:
            headers = {**PAWA_HEADERS, **ghana.edition.headers}
            answer = http.get(ghana.base_url + "categories/list/all", headers=headers)
            assert answer.status_code == 200
            ghana_msport = sandbox.edition_urls[(Book.MSPORT, "gh")]
            operid = EDITIONS[(Book.MSPORT, "gh")].headers["operid"]
            assert http.get(ghana_msport + "sports", headers={"operid": operid}).json()["bizCode"] == 10_000
    finally:
        sandbox.stop()


def test_an_announcement_without_readable_edition_urls_is_an_error() -> None:
    assert read_edition_urls(b'{"edition_urls": {"msport": {"gh": "http://h:1/api/gh/"}}}') == {
        (Book.MSPORT, "gh"): "http://h:1/api/gh/"
    }
    for line in (b'{"url": "http://h:1"}', b'{"edition_urls": {"nobook": {}}}', b'{"edition_urls": []}'):
        with pytest.raises(SandboxStartError, match="edition URLs"):
            read_edition_urls(line)
