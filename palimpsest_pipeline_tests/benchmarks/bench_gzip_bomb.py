"""Peak memory of an odds capture whose every event detail is a gzip bomb, against the same capture clean.

The sandbox runs in its own process (its bombs are built there); this process scrapes the three catalogues,
captures every listed event once clean, then again with every book answering each event detail with a body
of under a megabyte that inflates to 512 MB. Each capture runs in a fresh child process so each peak RSS is
its own. The last line printed is one JSON object: both peaks and their ratio.
"""

from __future__ import annotations

import asyncio
import json
import resource
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import httpx

from palimpsest_pipeline.books.settings import BookSettings
from palimpsest_pipeline.cli.sandbox_process import start_sandbox_process
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.odds.engine import capture_odds
from palimpsest_pipeline.scrape.odds.model import CaptureOptions
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_pipeline_tests.scrape.every_book import scrape_every_book, targets_from_events

SIZE = 200


def capture_once(urls: dict[str, str]) -> dict[str, object]:
    """In a child: catalogues, then one capture of every listed event; this process's peak RSS."""
    settings = {Book(name): BookSettings(book=Book(name), base_url=url) for name, url in urls.items()}
    now = datetime.now(UTC)
    listing = scrape_every_book(settings, sports=["football"], horizon=timedelta(days=3), now=now)
    scrapes = asyncio.run(listing)
    targets = targets_from_events(event for scrape in scrapes.values() for event in scrape.events)
    capture = asyncio.run(capture_odds(targets, settings, now=now, options=CaptureOptions(parse_workers=0)))
    statuses: dict[str, int] = {}
    for by_book in capture.results.values():
        for result in by_book.values():
            statuses[result.status] = statuses.get(result.status, 0) + 1
    return {
        "events": len(targets),
        "statuses": statuses,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def in_child(urls: dict[str, str]) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", json.dumps(urls)], capture_output=True, text=True, check=True
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> dict[str, object]:
    sandbox = start_sandbox_process(seed=7, size=SIZE)
    try:
        urls = {book.value: sandbox.base_urls[book] for book in NIGERIA_BOOKS}
        clean = in_child(urls)
        bomb = {"faults": {"gzip_bomb": 1.0}, "latency": {"median_ms": 0.0, "sigma": 0.0}}
        httpx.put(
            f"{sandbox.url}/_sandbox/config",
            json={"books": {b.value: bomb for b in NIGERIA_BOOKS}},
            timeout=30,
        )
        bombed = in_child(urls)
    finally:
        sandbox.stop()
    return {
        "clean": clean,
        "gzip_bomb": bombed,
        "peak_rss_vs_clean": round(float(bombed["peak_rss_mb"]) / float(clean["peak_rss_mb"]), 2),  # type: ignore[arg-type]
    }


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(capture_once(json.loads(sys.argv[2]))))
    else:
        print(json.dumps(main()))
