"""A random but reproducible catalogue of three books, plus plain-Python reference computations.

The references deliberately use only dicts, sets and loops (no Polars), so a mistake in a Polars expression
cannot be repeated in the oracle it is compared with.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import polars as pl

from palimpsest_pipeline.frames import EVENTS_SCHEMA

BOOKS = ("betpawa", "sportybet", "bet9ja")
SPORTS = ("football", "basketball", "tennis")
COUNTRIES = ("England", "Nigeria", "Spain", "International", None)
DAY0 = datetime(2025, 3, 1, tzinfo=UTC)


def random_events(seed: int, n_matches: int = 400) -> list[dict[str, Any]]:
    """Events of ``n_matches`` real-world matches spread over three days, shuffled.

    About 15% of matches carry no SR id (they then live on one book only); the rest sit on a random non-empty
    subset of books. Books name things slightly differently, sometimes omit the country, and around
    midnight may put the kick-off on another date, so precedence and date rules are exercised.
    """
    rng = random.Random(seed)
    events: list[dict[str, Any]] = []
    for i in range(n_matches):
        has_sr = rng.random() < 0.85
        if has_sr:
            books = [b for b in BOOKS if rng.random() < 0.6] or [rng.choice(BOOKS)]
        else:
            books = [rng.choice(BOOKS)]
        sport = rng.choice(SPORTS)
        country = rng.choice(COUNTRIES)
        tournament = f"{sport[:4]}-{country or 'none'}-{rng.randint(1, 3)}"
        kickoff = DAY0 + timedelta(minutes=rng.randrange(0, 3 * 24 * 60, 15))
        for book in books:
            book_kickoff = kickoff + timedelta(minutes=rng.choice((0, 0, 0, -20, 20)))
            book_country = None if rng.random() < 0.1 else country
            events.append(
                {
                    "book": book,
                    "event_id": f"{book[:2]}-{i}-{rng.randint(0, 9)}",
                    "sr_id": 50_000_000 + i if has_sr else None,
                    "home": f"Home {i} ({book})",
                    "away": f"Away {i} ({book})",
                    "kickoff": book_kickoff,
                    "kickoff_date": book_kickoff.date(),
                    "tournament_id": f"{book}-t-{tournament}",
                    "tournament_name": f"{tournament} [{book}]",
                    "country": book_country,
                    "sport": sport,
                }
            )
    rng.shuffle(events)
    return events


def events_frame(events: Sequence[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame(list(events), schema=EVENTS_SCHEMA)


def reference_matches(events: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """match_key -> expected matched row, computed with dicts."""
    by_key: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for e in events:
        key = f"sr:{e['sr_id']}" if e["sr_id"] is not None else f"{e['book']}:{e['event_id']}"
        assert e["book"] not in by_key[key], "generator made a duplicate"
        by_key[key][e["book"]] = e
    out = {}
    for key, on in by_key.items():
        source_book = next(b for b in BOOKS if b in on)
        src = on[source_book]
        count = len(on)
        status = "competitor_only"
        if "betpawa" in on:
            status = "matched" if count >= 2 else "betpawa_only"
        out[key] = {
            "kickoff_date": src["kickoff_date"],
            "match_key": key,
            "sr_id": src["sr_id"],
            "kickoff": src["kickoff"],
            "sport": src["sport"],
            "country": src["country"],
            "tournament": src["tournament_name"],
            "home": src["home"],
            "away": src["away"],
            "name_source": source_book,
            **{f"{b}_event_id": on[b]["event_id"] if b in on else None for b in BOOKS},
            **{f"on_{b}": b in on for b in BOOKS},
            "book_count": count,
            "status": status,
        }
    return out


def _metrics(m: dict[str, Any]) -> dict[str, bool]:
    bp, sb, b9 = m["on_betpawa"], m["on_sportybet"], m["on_bet9ja"]
    return {
        "total": True,
        "matched": m["status"] == "matched",
        "betpawa_only": m["status"] == "betpawa_only",
        "competitor_only": m["status"] == "competitor_only",
        "only_sportybet": sb and not bp and not b9,
        "only_bet9ja": b9 and not bp and not sb,
        "sportybet_and_bet9ja_only": sb and b9 and not bp,
        "on_all_three": bp and sb and b9,
        "betpawa_events": bp,
        "sportybet_events": sb,
        "bet9ja_events": b9,
        "sportybet_not_betpawa": sb and not bp,
        "bet9ja_not_betpawa": b9 and not bp,
        "betpawa_not_sportybet": bp and not sb,
        "betpawa_not_bet9ja": bp and not b9,
        "without_sr_id": m["sr_id"] is None,
    }


def reference_coverage(
    matches: dict[str, dict[str, Any]], by: Sequence[str]
) -> dict[tuple[Any, ...], dict[str, Any]]:
    """(kickoff_date, *by values) -> expected metrics, counted in loops."""
    groups: dict[tuple[Any, ...], dict[str, Any]] = {}
    for m in matches.values():
        key = (m["kickoff_date"], *(m[c] for c in by))
        row = groups.setdefault(key, defaultdict(int))
        for name, hit in _metrics(m).items():
            row[name] += int(hit)
    for row in groups.values():
        row["match_rate"] = row["matched"] / row["total"] if row["total"] else None
        denominator = row["matched"] + row["competitor_only"]
        row["betpawa_coverage"] = row["matched"] / denominator if denominator else None
    return {k: dict(v) for k, v in groups.items()}


def dates_of(matches: dict[str, dict[str, Any]]) -> set[date]:
    return {m["kickoff_date"] for m in matches.values()}
