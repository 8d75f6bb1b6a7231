"""The golden parse of every real capture: what each file in ../shared/fixtures/captured parses to.

Each file goes through the capture engine's own path (``scrape.odds.parsing.parse_body`` with the book's
envelope), and its account is kept per market (a described market per family): the number of rows and a
short sha256 of the market's sorted rows (specifier, outcome, price, state); the same for what was set aside
or found suspect, per reason, and for the players; and the parse's counts. A file the odds parse refuses is
kept with its refusal ("not an event detail"), as the parser words it. Counts and digests only: no price
nor text of the captures.

``test_parse_golden.py`` holds every parse to ``parse_golden.json``. After an intended change, rewrite it
from the project root and name the change in the commit that rewrites it::

    .venv/bin/python -m palimpsest_pipeline_tests.contract.parse_golden --write

Without ``--write`` it prints what differs from the golden.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from palimpsest_pipeline.books.kits import KITS
from palimpsest_pipeline.books.odds_parse import EventOdds, described_family
from palimpsest_pipeline.books.settings import default_settings
from palimpsest_pipeline.markets.grammar.canonical import DESCRIBED
from palimpsest_pipeline.markets.vocabulary import VOCABULARY
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.odds.parsing import ParseFailure, parse_body

CAPTURED = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "captured"
GOLDEN = Path(__file__).with_name("parse_golden.json")
WRITE_COMMAND = ".venv/bin/python -m palimpsest_pipeline_tests.contract.parse_golden --write"
AT = datetime(2026, 5, 20, 9, 0, tzinfo=UTC)
#: Hex digits kept of each sha256: enough that a change goes unseen once in 2**48.
DIGEST_CHARS = 12
#: The site each capture was read from (../shared/fixtures/captured/README.md), by path prefix; else Nigeria.
#: Betika has no Nigerian edition: its documented zone is Kenya's.
SITES = {"betpawa/lists_v3_cm/": "cm", "betpawa/v4_event_sr72339802_ug_": "ug", "betika/": "ke"}
#: The parse's counts, kept as they are.
COUNTS = (
    "open_outcomes",
    "mapped_outcomes",
    "native_outcomes",
    "composed_outcomes",
    "canonical_outcomes",
    "set_aside_outcomes",
    "suspect_outcomes",
)
#: The sections of a file's account whose entries are "<rows> <digest>", and what their keys are.
SECTIONS = {"markets": "market", "set_aside": "set aside", "players": "players"}
#: At most this many differences are listed per file (the rest are counted).
SHOWN_PER_FILE = 25

Account = dict[str, Any]


def captures(root: Path = CAPTURED) -> list[str]:
    """Every JSON file under ``root``, as its path relative to it."""
    return sorted(path.relative_to(root).as_posix() for path in root.glob("**/*.json"))


def sr_id_of(relative: str) -> int:
    """The SR match id the file's name carries (``..._sr68995116_...``); 0 for a file that names none."""
    found = re.search(r"_sr(\d+)", relative)
    return int(found.group(1)) if found else 0


def site_of(relative: str) -> str:
    return next((country for prefix, country in SITES.items() if relative.startswith(prefix)), "ng")


def parse_event(relative: str, root: Path = CAPTURED) -> EventOdds | ParseFailure:
    """One capture parsed as the capture engine would parse the same body."""
    book = Book(relative.split("/")[0])
    unwrap = KITS[book].adapter().wire(default_settings(book, site_of(relative))).unwrap
    return parse_body(
        book,
        (root / relative).read_bytes(),
        sr_id=sr_id_of(relative),
        captured_at=AT,
        unwrap=unwrap,
        where="event",
        with_fields=False,
    )


def parse_capture(relative: str, root: Path = CAPTURED) -> Account:
    """The account of one capture's parse, as the capture engine would parse the same body."""
    parsed = parse_event(relative, root)
    if not isinstance(parsed, EventOdds):
        return {"not an event detail": f"{parsed.kind}: {parsed.reason}"}
    return account(parsed)


def account(parse: EventOdds) -> Account:
    """Rows, set-asides and players grouped and digested; the counts as they are."""
    markets: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for row in parse.rows:
        markets[market_key(row.market, row.specifier)].append(
            (row.specifier, row.outcome, row.price, row.state)
        )
    set_aside: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    set_aside["malformed"] = [(reason,) for reason in parse.malformed]
    # one row per open outcome left unmapped: the book's market key
    set_aside["unmapped"] = [(key,) for key, count in parse.unmapped.items() for _ in range(count)]
    for suspect in parse.suspects:
        set_aside[f"suspect:{suspect.reason}"].append((suspect.market, suspect.specifier, suspect.detail))
    for kind, reason in parse.other_notes:
        set_aside[f"note:{kind}"].append((reason,))
    set_aside["unread_lines"] = list(parse.unread_lines)
    rows = parse.rows
    players: dict[str, list[tuple[Any, ...]]] = {
        "named": [(*rows[index][2:5], text) for index, text in parse.named_players],
        "roster": list(parse.roster),
    }
    return {
        "counts": {"rows": len(rows), **{name: getattr(parse, name) for name in COUNTS}},
        "markets": digested(markets, order=_market_order),
        "set_aside": digested(set_aside),
        "players": digested(players),
    }


def market_key(market: int, specifier: str) -> str:
    """The market's id; a described market's family beside it (one id holds every described family)."""
    family = described_family(specifier) if market == DESCRIBED else None
    return f"{market} {family}" if family else str(market)


def _market_order(key: str) -> tuple[int, str]:
    market, _, family = key.partition(" ")
    return int(market), family


def digested(groups: dict[str, list[tuple[Any, ...]]], order: Any = None) -> dict[str, str]:
    """Each non-empty group as "<rows> <digest of its rows>", by name (``order``: the names' sort key)."""
    return {
        name: f"{len(groups[name])} {digest(groups[name])}"
        for name in sorted(groups, key=order)
        if groups[name]
    }


def digest(rows: Iterable[tuple[Any, ...]]) -> str:
    """A short sha256 of the rows in a canonical order (a row's order in the payload is not kept)."""
    canonical = sorted(json.dumps(row, separators=(",", ":")) for row in rows)
    return hashlib.sha256("\n".join(canonical).encode()).hexdigest()[:DIGEST_CHARS]


def golden_now(root: Path = CAPTURED) -> dict[str, Account]:
    """The account of every capture under ``root``, by its relative path."""
    return {relative: parse_capture(relative, root) for relative in captures(root)}


def read_golden(path: Path = GOLDEN) -> dict[str, Account]:
    captured: dict[str, Account] = json.loads(path.read_text(encoding="utf-8"))["captures"]
    return captured


def write_golden(accounts: dict[str, Account], path: Path = GOLDEN) -> None:
    document = {"regenerate": WRITE_COMMAND, "captures": accounts}
    path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def differences(golden: dict[str, Account], now: dict[str, Account]) -> list[str]:
    """Per file that parses differently: what changed (files, refusals, counts, then each market or group
    added, removed or changed with its rows before and after). Empty when every file parses as before."""
    found = []
    for relative in sorted(golden.keys() | now.keys()):
        if relative not in now:
            found.append(f"{relative}: in the golden, no longer among the captures")
        elif relative not in golden:
            found.append(f"{relative}: a capture the golden does not hold")
        else:
            changes = file_changes(golden[relative], now[relative])
            if changes:
                shown = changes[:SHOWN_PER_FILE]
                if len(changes) > SHOWN_PER_FILE:
                    shown.append(f"and {len(changes) - SHOWN_PER_FILE} more")
                found.append(f"{relative}:\n" + "\n".join(f"    {change}" for change in shown))
    return found


def file_changes(before: Account, after: Account) -> list[str]:
    refused = "not an event detail"
    if refused in before or refused in after:
        if before.get(refused) == after.get(refused):
            return []
        return [f"refused: {before.get(refused, 'no')} -> {after.get(refused, 'no')}"]
    changes = [
        f"{name}: {count} -> {after['counts'].get(name)}"
        for name, count in before["counts"].items()
        if after["counts"].get(name) != count
    ]
    for section, what in SECTIONS.items():
        old, new = before[section], after[section]
        for name in sorted(old.keys() | new.keys(), key=_market_order if section == "markets" else None):
            label = f"{what} {name}{_market_name(name) if section == 'markets' else ''}"
            if name not in new:
                changes.append(f"{label}: removed ({_rows(old[name])} rows)")
            elif name not in old:
                changes.append(f"{label}: added ({_rows(new[name])} rows)")
            elif old[name] != new[name]:
                changes.append(f"{label}: changed ({_rows(old[name])} rows -> {_rows(new[name])})")
    return changes


def _rows(entry: str) -> int:
    return int(entry.split(" ", 1)[0])


def _market_name(key: str) -> str:
    """ " (1X2)" for a market of the canonical vocabulary, else nothing."""
    try:
        return f" ({VOCABULARY[int(key.partition(' ')[0])].name})"
    except KeyError:
        return ""


def report(found: list[str]) -> str:
    return (
        f"{len(found)} captures parse differently from {GOLDEN.name}:\n"
        + "\n".join(found)
        + f"\nAn intended change: rewrite the golden ({WRITE_COMMAND}) and name the change in its commit."
    )


def main(argv: list[str]) -> int:
    if not CAPTURED.is_dir():
        print(f"captured responses not found at {CAPTURED} (../shared is absent)", file=sys.stderr)
        return 2
    now = golden_now()
    if "--write" in argv:
        write_golden(now)
        print(f"{GOLDEN}: {len(now)} captures", file=sys.stderr)
        return 0
    found = differences(read_golden(), now)
    print(report(found) if found else f"every capture parses as {GOLDEN.name} holds", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
