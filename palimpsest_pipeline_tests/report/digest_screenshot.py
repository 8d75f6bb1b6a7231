"""The weekly digest's screenshot in docs/digest/: Nigeria's week 2026-W48 from the tests' known rows
(``digest_rows.py``), list_soon switched off, built in a throwaway database of the embedded server and shot
full page in headless chromium, offline. Run by hand:
``python -m palimpsest_pipeline_tests.report.digest_screenshot [PNG]``
(default ``docs/digest/digest_ng_2026-W48.png``)."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import psycopg

from palimpsest_pipeline.alerts.rules import RULES
from palimpsest_pipeline.report.digest_build import build_digest
from palimpsest_pipeline.warehouse.config import (
    create_database,
    embedded_server_home,
    libpq_url,
    with_database,
)
from palimpsest_pipeline.warehouse.digest_reader import DigestWeek
from palimpsest_pipeline.warehouse.embedded.server import ensure_embedded_server
from palimpsest_pipeline.warehouse.migrate import migrate
from palimpsest_pipeline_tests.fixtures_pg import drop_database
from palimpsest_pipeline_tests.report.digest_rows import BUILT_AT, WEEK, seed_digest_week

DEFAULT = Path(__file__).resolve().parents[2] / "docs" / "digest" / f"digest_ng_{WEEK}.png"


def main() -> int:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("chromium is not installed (apt-get install chromium)")
        return 1
    from playwright.sync_api import sync_playwright

    server = ensure_embedded_server(embedded_server_home())
    name = f"palimpsest_digest_screenshot_{os.getpid()}"
    try:
        drop_database(server, name)
        create_database(server, name)
        url = with_database(server, name)
        migrate(url)
        with psycopg.connect(libpq_url(url), autocommit=True) as conn, tempfile.TemporaryDirectory() as out:
            seed_digest_week(conn)
            built = build_digest(
                conn, DigestWeek("ng", WEEK), Path(out), rules=RULES, rules_off=("list_soon",), now=BUILT_AT
            )
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
                page = browser.new_context(offline=True, viewport={"width": 1000, "height": 800}).new_page()
                page.goto(built.page.as_uri())
                page.wait_for_function(
                    f"document.querySelectorAll('.vis[data-drawn=\"true\"]').length === {built.charts}"
                )
                target.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(target), full_page=True)
                browser.close()
    finally:
        drop_database(server, name)
    print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
