"""Build one site country's weekly digest (the page and a CSV per table, the same figures) and deliver it
once per receiver: the entry points the CLI and the Dagster job share."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path

import psycopg

from palimpsest_pipeline.alerts.deliver import Receiver, send
from palimpsest_pipeline.report.desk import table_csv
from palimpsest_pipeline.report.digest_page import BuiltSection, digest_title, render_digest
from palimpsest_pipeline.report.digest_sections import SECTIONS, DigestContext, Section
from palimpsest_pipeline.warehouse.digest_reader import DigestWeek, missing_relations
from palimpsest_pipeline.warehouse.digest_store import deliver_once
from palimpsest_pipeline.warehouse.embedded.private_files import write_own_file

DIGEST_PAGE = "digest.html"
DIGESTS_FOLDER = "digests"


def digest_directory(reports: Path, site_country: str, week: str) -> Path:
    """Where a digest goes under the reports folder: ``<reports>/digests/<cc>/<week>/`` (the traders' report
    links the digests it finds there)."""
    return reports / DIGESTS_FOLDER / site_country / week


@dataclass(frozen=True)
class BuiltDigest:
    """Where the digest went, its files and its summary lines."""

    week: DigestWeek
    page: Path
    csvs: list[Path]
    summary: list[str]
    not_measured: list[str]
    charts: int
    seconds: float

    @property
    def title(self) -> str:
        return digest_title(self.week)


def build_digest(
    conn: psycopg.Connection,
    week: DigestWeek,
    directory: Path,
    *,
    rules: tuple[str, ...],
    rules_off: tuple[str, ...] = (),
    now: datetime,
    sections: Sequence[Section] = SECTIONS,
) -> BuiltDigest:
    """Read every section whose relations exist for ``week`` and write the page and one CSV per table
    (``<table>_<cc>.csv``, as the page's download names it) into ``directory``, each file whole."""
    started = time.perf_counter()
    context = DigestContext(week, rules, rules_off)
    built = []
    for section in sections:
        missing = missing_relations(conn, section.relations)
        content = None if missing else section.build(conn, context)
        built.append(BuiltSection(section, content, tuple(missing)))
    page, charts = render_digest(week, built, now)
    directory.mkdir(parents=True, exist_ok=True)
    csvs = []
    for done in built:
        for table in done.content.tables if done.content is not None else ():
            path = directory / f"{table.key}_{week.site_country}.csv"
            write_own_file(path, table_csv(table), 0o644)
            csvs.append(path)
    page_path = directory / DIGEST_PAGE
    write_own_file(page_path, page, 0o644)
    return BuiltDigest(
        week=week,
        page=page_path,
        csvs=csvs,
        summary=[done.content.summary for done in built if done.content is not None and done.content.summary],
        not_measured=[done.section.title for done in built if done.content is None],
        charts=charts,
        seconds=round(time.perf_counter() - started, 2),
    )


def message(digest: BuiltDigest, public_url: str | None) -> str:
    """The short text sent with the page: the summary lines, and where the page is served when known (the
    reports folder at ``public_url``, the digest in its usual place under it)."""
    lines = [f"{digest.week.first:%d %b} to {digest.week.last:%d %b %Y} (UTC):", *digest.summary]
    if digest.not_measured:
        lines.append("Not measured yet: " + ", ".join(digest.not_measured))
    if public_url:
        where = f"{DIGESTS_FOLDER}/{digest.week.site_country}/{digest.week.week}/{DIGEST_PAGE}"
        lines.append(f"The page: {public_url.rstrip('/')}/{where}")
    lines.append("The page is attached where the channel takes files.")
    return "\n".join(lines)


@dataclass(frozen=True)
class DigestDelivery:
    """What each receiver got: ``sent``, ``failed`` or ``already sent``, by label."""

    outcomes: dict[str, str]

    def describe(self) -> str:
        if not self.outcomes:
            return "no receiver (PALIMPSEST_ALERT_URLS is empty): built, not sent"
        return ", ".join(f"{label}: {outcome}" for label, outcome in self.outcomes.items())


def deliver_digest(
    conn: psycopg.Connection,
    digest: BuiltDigest,
    receivers: Sequence[Receiver],
    *,
    public_url: str | None,
    now: datetime,
) -> DigestDelivery:
    """Send the digest's summary with its page attached to each receiver that has not had this country's
    week yet (analytics.digest_deliveries), each receiver's turn its own transaction."""
    title, body = f"Palimpsest {digest.title}", message(digest, public_url)
    cc, week = digest.week.site_country, digest.week.week
    outcomes = {
        receiver.label: deliver_once(
            conn, cc, week, receiver.label, title, partial(send, receiver, title, body, [digest.page]), now
        )
        for receiver in receivers
    }
    return DigestDelivery(outcomes)
