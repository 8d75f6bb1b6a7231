"""A random but reproducible catalogue of three books, plus plain-Python reference computations.

The references deliberately use only dicts, sets and loops (no Polars), so a mistake in a Polars expression
cannot be repeated in the oracle it is compared with.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import polars as pl

from palimpsest_pipeline.frames import EVENTS_SCHEMA

BOOKS = ("betpawa", "sportybet", "bet9ja")
SPORTS = ("football", "basketball", "tennis")
COUNTRIES = ("England", "Nigeria", "Spain", "International", None)
DAY0 = datetime(2025, 3, 1, tzinfo=UTC)


def random_events(seed: int, n_matches: int = 400) -> list[dict[str, Any]]:
    """Events of ``n_matches`` real-world matches spread over three days, shuffled.

    About 15% of matches carry no SR id (they then live on one book only, or on BetPawa and SportyBet linked
    by a Genius id); the rest sit on a random non-empty subset of books, half with a Genius id on BetPawa and
    SportyBet, and BetPawa sometimes drops the SR id (then only the Genius id can link it). SportyBet's
    tournament and country ids are SportRadar's. Books name things slightly differently, sometimes omit the
    country, and around midnight may put the kick-off on another date, so precedence and date rules are
    exercised.
    """
    rng = random.Random(seed)
    events: list[dict[str, Any]] = []
    for i in range(n_matches):
        has_sr = rng.random() < 0.85
        genius = 20_000_000 + i if rng.random() < 0.5 else None
        if has_sr:
            books = [b for b in BOOKS if rng.random() < 0.6] or [rng.choice(BOOKS)]
        elif genius is not None:
            books = [b for b in ("betpawa", "sportybet") if rng.random() < 0.7] or ["betpawa"]
        else:
            books = [rng.choice(BOOKS)]
        pawa_drops_sr = rng.random() < 0.3
        sport = rng.choice(SPORTS)
        country = rng.choice(COUNTRIES)
        number = rng.randint(1, 3)
        tournament = f"{sport[:4]}-{country or 'none'}-{number}"
        sr_tournament = f"sr:tournament:{SPORTS.index(sport) * 100 + COUNTRIES.index(country) * 10 + number}"
        kickoff = DAY0 + timedelta(minutes=rng.randrange(0, 3 * 24 * 60, 15))
        for book in books:
            book_kickoff = kickoff + timedelta(minutes=rng.choice((0, 0, 0, -20, 20)))
            book_country = None if rng.random() < 0.1 else country
            sporty = book == "sportybet"
            events.append(
                {
                    "book": book,
                    "event_id": f"{book[:2]}-{i}-{rng.randint(0, 9)}",
                    "sr_id": None if not has_sr or (book == "betpawa" and pawa_drops_sr) else 50_000_000 + i,
                    "home": f"Home {i} ({book})",
                    "away": f"Away {i} ({book})",
                    "kickoff": book_kickoff,
                    "kickoff_date": book_kickoff.date(),
                    "tournament_id": sr_tournament if sporty else f"{book}-t-{tournament}",
                    "tournament_name": f"{tournament} [{book}]",
                    "country": book_country,
                    "sport": sport,
                    "genius_id": genius if book != "bet9ja" else None,
                    "country_id": f"sr:category:{COUNTRIES.index(country)}"
                    if sporty and book_country
                    else None,
                }
            )
    rng.shuffle(events)
    return events


def events_frame(events: Sequence[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame(list(events), schema=EVENTS_SCHEMA)


def reference_keys(events: Sequence[dict[str, Any]]) -> dict[tuple[str, str], tuple[str, bool]]:
    """(book, event_id) -> (match key, joined through the Genius id), by the documented linking rules."""
    sr_books: dict[int, set[str]] = defaultdict(set)
    srs_of_genius: dict[int, set[int]] = defaultdict(set)
    genius_events: dict[int, int] = defaultdict(int)
    for e in events:
        if e["sr_id"] is not None:
            sr_books[e["sr_id"]].add(e["book"])
        if e.get("genius_id") is not None:
            genius_events[e["genius_id"]] += 1
            if e["sr_id"] is not None:
                srs_of_genius[e["genius_id"]].add(e["sr_id"])
    keys = {}
    for e in events:
        alone = (f"{e['book']}:{e['event_id']}", False)
        genius = e.get("genius_id")
        if e["sr_id"] is not None:
            keys[e["book"], e["event_id"]] = (f"sr:{e['sr_id']}", False)
        elif genius is None:
            keys[e["book"], e["event_id"]] = alone
        elif len(srs_of_genius[genius]) == 1:
            (target,) = srs_of_genius[genius]
            taken = e["book"] in sr_books[target]
            keys[e["book"], e["event_id"]] = alone if taken else (f"sr:{target}", True)
        elif not srs_of_genius[genius] and genius_events[genius] > 1:
            keys[e["book"], e["event_id"]] = (f"gs:{genius}", True)
        else:
            keys[e["book"], e["event_id"]] = alone
    return keys


def reference_matches(events: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """match_key -> expected matched row, computed with dicts."""
    by_key: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    via_genius: dict[str, bool] = defaultdict(bool)
    for (book, event_id), (key, genius) in reference_keys(events).items():
        e = next(x for x in events if x["book"] == book and x["event_id"] == event_id)
        assert book not in by_key[key], "generator made a duplicate"
        by_key[key][book] = e
        via_genius[key] |= genius
    out = {}
    for key, on in by_key.items():
        source_book = next(b for b in BOOKS if b in on)
        src = on[source_book]
        count = len(on)
        status = "competitor_only"
        if "betpawa" in on:
            status = "matched" if count >= 2 else "betpawa_only"
        sporty = on.get("sportybet")
        placed = sporty is not None and sporty["tournament_id"].startswith("sr:tournament:")
        category = sporty["country_id"] if placed and sporty is not None else None
        out[key] = {
            "kickoff_date": src["kickoff_date"],
            "match_key": key,
            "sr_id": next((on[b]["sr_id"] for b in BOOKS if b in on and on[b]["sr_id"] is not None), None),
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
            "genius_id": next((on[b]["genius_id"] for b in BOOKS if b in on and on[b]["genius_id"]), None),
            "linked_by": None if count == 1 else ("genius" if via_genius[key] else "sportradar"),
            **{f"{b}_tournament_id": on[b]["tournament_id"] if b in on else None for b in BOOKS},
            "tournament_key": sporty["tournament_id"]
            if placed and sporty is not None
            else f"{source_book}:{src['tournament_id']}",
            "sr_tournament_id": sporty["tournament_id"] if placed and sporty is not None else None,
            "canonical_tournament": sporty["tournament_name"]
            if placed and sporty is not None
            else src["tournament_name"],
            "sr_category_id": category,
            "canonical_country": sporty["country"] if category is not None and sporty else src["country"],
            "country_iso": None,
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
        "linked_by_genius": m["linked_by"] == "genius",
    }


#: Coverage columns read from the matched rows' canonical columns.
CANONICAL_COLUMN = {"country": "canonical_country", "tournament": "canonical_tournament"}


def reference_coverage(
    matches: dict[str, dict[str, Any]], by: Sequence[str]
) -> dict[tuple[Any, ...], dict[str, Any]]:
    """(kickoff_date, *by values) -> expected metrics, counted in loops."""
    groups: dict[tuple[Any, ...], dict[str, Any]] = {}
    for m in matches.values():
        key = (m["kickoff_date"], *(m[CANONICAL_COLUMN.get(c, c)] for c in by))
        row = groups.setdefault(key, defaultdict(int))
        for name, hit in _metrics(m).items():
            row[name] += int(hit)
    for row in groups.values():
        row["match_rate"] = row["matched"] / row["total"] if row["total"] else None
        denominator = row["matched"] + row["competitor_only"]
        row["betpawa_coverage"] = row["matched"] / denominator if denominator else None
    return {k: dict(v) for k, v in groups.items()}
