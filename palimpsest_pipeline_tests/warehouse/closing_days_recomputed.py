"""analytics.closing_price_days worked out again in Python from analytics.closing_prices' rows, by the meaning
of each column (docs/digest.md, Closing prices), not by the statement that writes it: what the tests compare
the table with."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import psycopg
import pytest

SET_ASIDE = ("stale", "suspended", "closed", "kickoff_disagrees", "unreadable_price", "negative_margin")
GROUP = ("kickoff_date", "site_country", "sport", "competition", "market_family", "book")
BET = ("kickoff_date", "site_country", "sr_id", "market", "specifier", "outcome")


def _read(conn: psycopg.Connection, query: str) -> list[dict[str, Any]]:
    cursor = conn.execute(query)
    names = [c.name for c in cursor.description or []]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _sum(values: list[float]) -> float | None:
    return sum(values) if values else None


def recomputed(rows: list[dict[str, Any]]) -> dict[tuple[Any, ...], dict[str, Any]]:
    """The day rows ``rows`` (closing rows as dicts) sum to, keyed by their group."""
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    bets: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[tuple(row[c] for c in GROUP)].append(row)
        bets[tuple(row[c] for c in BET)].append(row)
    days: dict[tuple[Any, ...], dict[str, Any]] = {}
    for key, members in groups.items():
        gaps = [r["gap"] for r in members if r["gap"] is not None]
        openings = [
            r["opening_gap"] for r in members if r["gap"] is not None and r["opening_gap"] is not None
        ]
        histogram = sorted(Counter(round(gap * 1000) for gap in gaps).items())
        days[key] = {
            "outcomes": len(members),
            "compared": len(gaps),
            "gap_sum": _sum(gaps),
            "above_fair": sum(gap > 0 for gap in gaps),
            "opening_gap_sum": _sum(openings),
            "openings_compared": len(openings),
            "no_consensus": sum(r["set_aside"] is None and r["gap"] is None for r in members),
            **{reason: sum(r["set_aside"] == reason for r in members) for reason in SET_ASIDE},
            "gap_bins": [b for b, _ in histogram],
            "gap_bin_counts": [n for _, n in histogram],
            "betpawa_bets": None,
        }
    matches: dict[tuple[Any, ...], set[int]] = defaultdict(set)
    for members in bets.values():
        own = next((r for r in members if r["book"] == "betpawa"), None)
        if own is None or own["gap"] is None or own["opening_gap"] is None:
            continue
        day = days[(*(own[c] for c in GROUP[:-1]), "betpawa")]
        rivals = [r for r in members if r["book"] != "betpawa" and r["gap"] is not None]
        off = (
            None
            if own["book_fair_probability"] is None
            else abs(own["book_fair_probability"] - own["consensus_probability"])
        )
        rivals_off = [
            abs(r["book_fair_probability"] - r["consensus_probability"])
            for r in rivals
            if r["book_fair_probability"] is not None
        ]
        adds = {
            "betpawa_bets": 1,
            "betpawa_opening_sum": own["opening_gap"],
            "betpawa_closing_sum": own["gap"],
            "betpawa_opening_abs_sum": abs(own["opening_gap"]),
            "betpawa_closing_abs_sum": abs(own["gap"]),
            "betpawa_moved_nearer": int(abs(own["gap"]) < abs(own["opening_gap"])),
            "betpawa_off_fair_sum": off,
            "betpawa_off_fair_count": int(off is not None),
            "rivals_gap_sum": _sum([r["gap"] for r in rivals]),
            "rivals_compared": len(rivals),
            "rivals_off_fair_sum": _sum(rivals_off),
            "rivals_fair_count": len(rivals_off),
        }
        for name, value in adds.items():
            if value is not None:
                day[name] = (day.get(name) or 0) + value
            else:
                day.setdefault(name, None)
        matches[tuple(own[c] for c in GROUP[:4])].add(own["sr_id"])
    for key, day in days.items():
        day["betpawa_competition_matches"] = None if day["betpawa_bets"] is None else len(matches[key[:4]])
    return days


def assert_days_equal_rows(conn: psycopg.Connection, where: str = "TRUE") -> int:
    """analytics.closing_price_days equals its recomputation from analytics.closing_prices (both filtered by
    ``where``), column for column, sums to float precision; the day rows compared."""
    expected = recomputed(_read(conn, f"SELECT * FROM analytics.closing_prices WHERE {where}"))
    stored = {
        tuple(row[c] for c in GROUP): row
        for row in _read(conn, f"SELECT * FROM analytics.closing_price_days WHERE {where}")
    }
    assert set(stored) == set(expected)
    for key, want in expected.items():
        got = stored[key]
        for name in set(got) - set(GROUP):
            value = want.get(name)
            if isinstance(value, float):
                assert got[name] == pytest.approx(value, rel=1e-9, abs=1e-12), (key, name)
            else:
                assert got[name] == value, (key, name)
    return len(stored)
