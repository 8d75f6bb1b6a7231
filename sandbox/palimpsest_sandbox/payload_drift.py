"""Payload drift: event details served, from a chosen moment, in a shape the parsers do not expect.

The books change their payloads without notice (BetPawa's specifiers moved from goals to quarter units in
2026). ``bare_quarter_lines`` serves every line in quarter units and ONLY in the book's specifier field, so
no second place can show the parser its mistake: BetPawa's rows keep a specifier listing just the line key
in quarter units (no null keys, no row ``handicap``, ``formattedHandicap``, price ``handicap`` text or price
specifier), SportyBet's ``total``/``hcp`` specifiers are in quarter units and its names carry no line,
Bet9ja's ``@line`` is in quarter units. A goal number stays a plain count. Switched per book through
``BookBehaviour.payload_drift`` (configuration, ``PUT /_sandbox/config``) or ``/_sandbox/payload_drift``.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import orjson

from palimpsest_pipeline.records import Book
from palimpsest_sandbox import more_books_faults
from palimpsest_sandbox.config import PayloadDrift

#: BetPawa's ``handicapType`` -> the specifier key its lines go under.
_PAWA_KEYS = {"ASIAN": "hcp", "EUROPEAN": "hcp", "NORMAL": "total", "NUMBER_SPECIFIER": "number"}
_COUNT_KEYS = ("number", "goalnr")
#: A line in a SportyBet name: "(-1.5)", "(+0.5)" or the number after over, under, exact, total, handicap
#: (a look-behind on their fixed-width endings).
_NAMED_LINE = re.compile(
    r"\s*\([+-]?\d+(?:\.\d+)?\)|(?<=over|nder|xact|otal|icap)\s+[+-]?\d+(?:\.\d+)?", re.IGNORECASE
)


def applies(drift: PayloadDrift | None, at: datetime) -> bool:
    """Whether ``drift`` is in force at the sandbox's instant ``at``."""
    return drift is not None and (drift.since is None or at >= drift.since)


def apply(book: Book, drift: PayloadDrift, body: bytes) -> bytes:
    """The event-detail ``body`` of ``book`` re-served in the drifted shape."""
    document = orjson.loads(body)
    if book is Book.BETPAWA:
        for market in document.get("markets", []):
            _betpawa_market(market)
    elif book is Book.SPORTYBET:
        for market in (document.get("data") or {}).get("markets", []):
            _sportybet_market(market)
    elif book in (Book.MSPORT, Book.BETWAY, Book.BETIKA):
        more_books_faults.drift(book, document)
    else:
        event = document.get("D") or {}
        event["O"] = {_bet9ja_key(key): value for key, value in (event.get("O") or {}).items()}
    return orjson.dumps(document)


def _quarters(text: str) -> str:
    return str(round(float(text) * 4))


def _betpawa_market(market: dict[str, Any]) -> None:
    handicap_type = (market.get("marketType") or {}).get("handicapType")
    for row in market.get("row", []):
        quarters = row.get("handicap")
        if not isinstance(quarters, int | float) or isinstance(quarters, bool):
            continue
        specifier = row.get("specifier") or {}
        key = next((k for k, v in specifier.items() if v is not None), None) or _PAWA_KEYS.get(
            str(handicap_type)
        )
        if key is None:
            names = " ".join(str(p.get("name")) for p in row.get("prices", []))
            key = "total" if re.search(r"over|under", names, re.IGNORECASE) else "hcp"
        value = str(round(quarters / 4)) if key in _COUNT_KEYS else str(round(quarters))
        row["specifier"] = {key: value}
        row.pop("handicap", None)
        row.pop("formattedHandicap", None)
        for price in row.get("prices", []):
            price.pop("handicap", None)
            price.pop("specifier", None)


def _sportybet_market(market: dict[str, Any]) -> None:
    specifier = market.get("specifier")
    if not isinstance(specifier, str) or not specifier:
        return
    parts = []
    for part in specifier.split("|"):
        key, _, value = part.partition("=")
        if key in ("total", "hcp") and ":" not in value:
            value = _quarters(value)
        parts.append(f"{key}={value}")
    market["specifier"] = "|".join(parts)
    for field in ("desc",):
        if isinstance(market.get(field), str):
            market[field] = _NAMED_LINE.sub("", market[field])
    for outcome in market.get("outcomes", []):
        if isinstance(outcome.get("desc"), str):
            outcome["desc"] = _NAMED_LINE.sub("", outcome["desc"])


def _bet9ja_key(key: str) -> str:
    head, at, rest = key.partition("@")
    if not at:
        return key
    line, sep, outcome = rest.rpartition("_")
    try:
        return f"{head}@{_quarters(line)}{sep}{outcome}"
    except ValueError:  # a score line ("1:0"): not a number of goals, kept
        return key
