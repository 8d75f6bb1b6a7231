"""The rules: what each reads, and the alert each condition becomes (subject, title, text, figures).

Rules: live_gap, list_soon, price_out_of_line, feed_stale, keys_drift and the three retention rules
(``retention_switch``; docs/operations.md). Each judges every
site country apart (subject ``<site country>:<match or book>``), so one country's condition never holds back,
clears or cools down another's.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import psycopg

from palimpsest_pipeline.alerts import keys_drift, retention_switch
from palimpsest_pipeline.alerts.decide import Finding
from palimpsest_pipeline.alerts.keys_drift import in_utc, title_prefix
from palimpsest_pipeline.alerts.settings import AlertSettings
from palimpsest_pipeline.markets.vocabulary import MAIN_MARKETS as VOCABULARY_MAIN
from palimpsest_pipeline.warehouse import alert_findings, key_health
from palimpsest_pipeline.warehouse.site_books import book_name, country_name

RULES = ("live_gap", "list_soon", "price_out_of_line", "feed_stale", keys_drift.RULE, *retention_switch.RULES)
#: keys_drift judges a book's latest hour that began within this long before now: older figures say nothing
#: about the payloads served now (a book not captured at all is feed_stale's).
KEYS_DRIFT_RECENT = timedelta(hours=24)
MAIN_MARKETS = tuple(sorted(VOCABULARY_MAIN))
#: What a price_out_of_line alert's details keep of each outcome out of line.
_OUTCOME_DETAILS = ("market", "specifier", "outcome", "price_betpawa", "best_price", "best_book")


def _books(books: Any) -> str:
    return ", ".join(book_name(str(book)) for book in books or [])


def _match(row: dict[str, Any]) -> str:
    where = " / ".join(str(part) for part in (row.get("sport"), row.get("tournament")) if part)
    return f"{row['home']} v {row['away']}" + (f" ({where})" if where else "")


def _live_gap(row: dict[str, Any]) -> Finding:
    sites = f" on the {country_name(row['site_country'])} sites"
    return Finding(
        "live_gap",
        f"{row['site_country']}:{row['sr_id']}",
        f"{title_prefix(row['site_country'])}Live on {_books(row['live_on'])}, not on BetPawa: {_match(row)}",
        f"SportRadar match {row['sr_id']} has been live on {_books(row['live_on'])} and missing on BetPawa"
        f"{sites} since {in_utc(row['since'])}.",
        {
            "site_country": row["site_country"],
            "sr_id": row["sr_id"],
            "live_on": list(row["live_on"] or []),
            "since": in_utc(row["since"]),
        },
        since=row["since"],
    )


def _list_soon(row: dict[str, Any], now: datetime) -> Finding:
    hours = (row["kickoff"] - now).total_seconds() / 3600
    country = country_name(row["site_country"])
    return Finding(
        "list_soon",
        f"{row['site_country']}:{row['sr_id'] or row['match_key']}",
        f"{country}: not on BetPawa, kicks off in {hours:.1f} h: {_match(row)}",
        f"SportRadar match {row['sr_id']} kicks off {in_utc(row['kickoff'])}; on the {country} sites "
        f"{_books(row['listed_by'])} list it (since {in_utc(row['first_listed_at'])}), BetPawa does not.",
        {
            "site_country": row["site_country"],
            "sr_id": row["sr_id"],
            "kickoff": in_utc(row["kickoff"]),
            "listed_by": list(row["listed_by"] or []),
        },
    )


def _prices_out_of_line(rows: list[dict[str, Any]]) -> list[Finding]:
    """One finding per match and site country (its outcomes out of line, the worst first): a trader acts on
    a match, on one country's site."""
    by_match: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for row in rows:
        by_match.setdefault((row["site_country"], row["sr_id"]), []).append(row)
    return [_match_out_of_line(sorted(outcomes, key=_gap, reverse=True)) for outcomes in by_match.values()]


def _gap(row: dict[str, Any]) -> float:
    return float(1 - row["price_betpawa"] / row["best_price"])


def _label(row: dict[str, Any]) -> str:
    market = " ".join(str(part) for part in (row["market_name"] or row["market"], row["specifier"]) if part)
    return f"{row['sport']} {market}: {row['outcome_name'] or row['outcome']}"


def _match_out_of_line(outcomes: list[dict[str, Any]]) -> Finding:
    worst = outcomes[0]
    book = book_name(worst["best_book"])
    country = country_name(worst["site_country"])
    lines = [
        f"{_label(row)}: BetPawa {row['price_betpawa']:.2f}, best {row['best_price']:.2f} "
        f"({book_name(row['best_book'])}), {_gap(row):.0%} below"
        for row in outcomes
    ]
    return Finding(
        "price_out_of_line",
        f"{worst['site_country']}:{worst['sr_id']}",
        f"{country}: BetPawa {_gap(worst):.0%} below {book} on {len(outcomes)} outcome(s): {_match(worst)}",
        f"Kick-off {in_utc(worst['kickoff'])}, prices on the {country} sites.\n" + "\n".join(lines),
        {
            "site_country": worst["site_country"],
            "sr_id": worst["sr_id"],
            "outcomes": [{name: r[name] for name in _OUTCOME_DETAILS} for r in outcomes],
        },
    )


def _feed_stale(row: dict[str, Any]) -> Finding:
    book = book_name(row["book"])
    newest = row["odds_at"] if row["feed"] == "odds" else row["catalogue_at"]
    country = country_name(row["site_country"])
    return Finding(
        "feed_stale",
        f"{row['site_country']}:{row['book']}",
        f"{title_prefix(row['site_country'])}{book}'s {row['feed']} feed is stale",
        f"{book}'s newest good {row['feed']} refresh on its {country} site is from {in_utc(newest)}, "
        f"while the other books' {country} sites keep refreshing.",
        {
            "site_country": row["site_country"],
            "book": row["book"],
            "feed": row["feed"],
            "odds_at": in_utc(row["odds_at"]),
            "catalogue_at": in_utc(row["catalogue_at"]),
        },
        since=newest,
    )


def find(conn: psycopg.Connection, settings: AlertSettings, now: datetime) -> list[Finding]:
    """Every condition the rules see at ``now``, rule by rule."""
    return [
        *map(_live_gap, alert_findings.live_gaps(conn, now, settings.live_seen_seconds)),
        *(_list_soon(row, now) for row in alert_findings.to_list_soon(conn, now, settings.list_within_hours)),
        *_prices_out_of_line(alert_findings.prices_out_of_line(conn, now, settings.price_gap, MAIN_MARKETS)),
        *map(_feed_stale, alert_findings.stale_feeds(conn, now, settings.stale_minutes)),
        *_keys_drift(conn, settings, now),
        *retention_switch.findings(
            alert_findings.retention_switches(conn, now, retention_switch.RECENT), settings.retention_below
        ),
    ]


def _keys_drift(conn: psycopg.Connection, settings: AlertSettings, now: datetime) -> list[Finding]:
    """One finding per book edition (book and site country) whose judged hour drifted, or whose families'
    latest hour (as recent) shows a family's competitor-priced share dropped; the evidence is read only for
    those."""
    points = settings.keys_drift_points
    earliest = now - KEYS_DRIFT_RECENT
    families: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in key_health.judged_families(conn, latest=now, earliest=earliest):
        families.setdefault((row["site_country"], row["book"]), []).append(row)
    findings = []
    for hour in key_health.judged_hours(conn, latest=now, earliest=earliest):
        moved = keys_drift.drift(hour, points)
        dropped = keys_drift.dropped_families(families.get((hour["site_country"], hour["book"]), []), points)
        if moved or dropped:
            evidence = alert_findings.keys_drift_evidence(
                conn, hour["site_country"], hour["book"], hour["hour"]
            )
            findings.append(keys_drift.finding(hour, moved, points, evidence, dropped))
    return findings
