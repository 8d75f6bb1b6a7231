"""Keyed share of each real capture, counted against an independent walk of the raw JSON, and cross-book
disagreements on the matches captured on several books.

    PYTHONPATH=. python palimpsest_pipeline_tests/benchmarks/bench_market_keys.py [CAPTURED_DIR]

Open outcomes are counted here, not by the parsers: SportyBet market ``status == 0``, not ``banned``,
outcome ``isActive == 1``, odds > 1 (MSport alike, ``status == 0``); BetPawa price not ``suspended``,
``odds`` (or ``price``) > 1; Bet9ja odds value (or its ``v``) > 1; Betway market active and not suspended
(and its line's market), outcome ``isTradingActive``, its ``priceDecimal`` > 1; Betika's row's groups not
``market_active`` 0, outcome not ``market_active`` or ``odd_active`` 0, ``odd_value`` > 1. Keyed = open
rows the parser keys / open outcomes walked. Shared = keyed under UOF, a canonical description or a
combination of UOF outcomes (not a book-native family).
A key priced by two books disagrees as the stored check judges it (``SuspectBounds``): one implied
probability more than 1.5 times the other and more than 0.05 apart (long shots differ by large factors).
Per match on several books, keyed as the capture stores them (players one book names re-keyed by the
rosters the others list): each book's open outcomes that another book prices under the same key (``met``),
and the disagreeing keys as a share of the keys two books price.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from palimpsest_pipeline.books.bet9ja import odds as bet9ja
from palimpsest_pipeline.books.betika import odds as betika
from palimpsest_pipeline.books.betpawa import odds as betpawa
from palimpsest_pipeline.books.betway import odds as betway
from palimpsest_pipeline.books.msport import odds as msport
from palimpsest_pipeline.books.sportybet import odds as sportybet
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.odds.parsing import checked
from palimpsest_pipeline.scrape.odds.players import resolve_event_players
from palimpsest_pipeline.transforms.suspect_markets import SuspectBounds

PARSERS = {
    "bet9ja": bet9ja,
    "betpawa": betpawa,
    "sportybet": sportybet,
    "msport": msport,
    "betway": betway,
    "betika": betika,
}
#: Books whose parsers check that the payload is the match asked for: parsed with the file's own SR id.
CHECK_THE_MATCH = ("msport", "betway", "betika", "sportybet", "betpawa")
FIRST_NATIVE_ID, DESCRIBED = 60_000, 2_000_003
MULTI_BOOK = (
    "sr68995116_prematch",
    "sr67645534_live",
    "sr71529092_tennis",
    "sr71583282_asian_handicap",
    "sr70505032_basketball",
)
BOUNDS = SuspectBounds()
#: Long shots (every book above this price) are reported apart: books' margins differ most there.
SHORT_ODDS = 10.0


def _disagree(shortest: float, longest: float) -> bool:
    factor = longest / shortest > BOUNDS.disagree_factor
    return factor and 1 / shortest - 1 / longest > BOUNDS.disagree_min_gap


def _shortest(line: str) -> float:
    quoted = line.rpartition(": {")[2].rstrip("}")
    return min(float(part.rpartition(": ")[2]) for part in quoted.split(", "))


def _price(value: Any) -> float | None:
    try:
        price = float(value)
    except (TypeError, ValueError):
        return None
    return price if price > 1 else None


def open_outcomes(book: str, payload: Any) -> int:
    """Open outcomes of a raw response, walked without the project's parsers."""
    if book == "sportybet":
        markets = (payload.get("data") or payload)["markets"]
        return sum(
            1
            for m in markets
            if m.get("status") == 0 and not m.get("banned")
            for o in m.get("outcomes", [])
            if o.get("isActive") == 1 and _price(o.get("odds"))
        )
    if book == "betpawa":
        return sum(
            1
            for m in payload.get("markets", [])
            for r in m.get("row", [])
            for p in r.get("prices", [])
            if not p.get("suspended") and _price(p.get("odds", p.get("price")))
        )
    if book == "msport":
        return sum(
            1
            for m in (payload.get("data") or payload)["markets"]
            if m.get("status") == 0
            for o in m.get("outcomes", [])
            if o.get("isActive") == 1 and _price(o.get("odds"))
        )
    if book == "betway":
        markets = {m["marketId"]: m for m in payload["marketsInGroup"]}
        prices = {p["outcomeId"]: p.get("priceDecimal") for p in payload["prices"]}
        return sum(
            1
            for o in payload["outcomes"]
            if o.get("isTradingActive")
            and _price(prices.get(o["outcomeId"]))
            and all(
                m["isActive"] and not m["isSuspended"]
                for m in (markets[o["marketId"]], markets.get(o.get("originalMarketId") or o["marketId"]))
                if m is not None
            )
        )
    if book == "betika":
        return sum(
            1
            for row in payload["data"]
            for g in row.get("odds", [])
            if g.get("market_active", 1) == 1
            for o in g.get("odds", [])
            if o.get("market_active", 1) == 1 and o.get("odd_active", 1) == 1 and _price(o.get("odd_value"))
        )
    odds = (payload.get("D") or payload)["O"]
    return sum(1 for v in odds.values() if _price(v.get("v") if isinstance(v, dict) else v))


def _kind(market: int) -> str:
    if market == DESCRIBED:
        return "canonical"
    if market in (2_000_001, 2_000_002):
        return "composed"
    return "native" if market >= FIRST_NATIVE_ID else "uof"


def measure(
    root: Path,
) -> tuple[list[dict[str, Any]], dict[str, list[str]], dict[str, dict[str, tuple[int, int]]], dict[str, int]]:
    """Per-file figures; per multi-book match the disagreeing keys, per book its open outcomes that another
    book prices under the same key (met, walked), and the keys two books price."""
    figures: list[dict[str, Any]] = []
    parses: dict[str, dict[Book, Any]] = {}
    for book, parser in PARSERS.items():
        for path in sorted((root / book).glob("*.json")):
            payload = json.loads(path.read_text(encoding="utf-8"))
            if book == "bet9ja" and "O" not in (payload.get("D") or payload):
                continue
            if book == "sportybet" and "markets" not in (payload.get("data") or payload):
                continue
            if book == "betway" and "marketsInGroup" not in payload:
                continue  # the event-state answers carry no market
            sr_id = int(path.name.split("_sr")[1].split("_")[0]) if book in CHECK_THE_MATCH else 1
            parse = parser.parse_odds(payload, sr_id=sr_id, captured_at=datetime(2026, 11, 25, tzinfo=UTC))
            rows = [r for r in parse.rows if r.state == "open" and r.price is not None]
            walked = open_outcomes(book, payload)
            kinds = [_kind(r.market) for r in rows]
            figures.append(
                {
                    "book": book,
                    "file": path.name,
                    "open": walked,
                    "keyed": len(rows) / walked if walked else 1.0,
                    "shared": sum(k != "native" for k in kinds) / walked if walked else 1.0,
                    "uof": kinds.count("uof") / walked if walked else 1.0,
                    "canonical": kinds.count("canonical") / walked if walked else 1.0,
                }
            )
            match = next((m for m in MULTI_BOOK if m.partition("_")[0] in path.name), None)
            if match:
                parses.setdefault(match.partition("_")[0], {})[Book(book)] = parse
    # as the capture stores them: players named by one book re-keyed by the rosters of the match's others
    prices: dict[str, dict[str, dict[tuple[int, str, int], float]]] = {}
    for match, by_book in parses.items():
        packed = {book: checked(parse) for book, parse in by_book.items()}
        packed.update(resolve_event_players(packed))
        for book, odds in packed.items():
            prices.setdefault(match, {})[book.value] = {
                (r.market, r.specifier, r.outcome): r.price
                for r in odds.rows
                if r.state == "open" and r.price
            }
    walked_open = {
        (f["book"], m.partition("_")[0]): f["open"]
        for f in figures
        for m in MULTI_BOOK
        if m.partition("_")[0] in f["file"]
    }
    met: dict[str, dict[str, tuple[int, int]]] = {}
    shared_keys: dict[str, int] = {}
    for match, books in prices.items():
        met[match] = {
            book: (
                sum(1 for key in own if any(key in other for b, other in books.items() if b != book)),
                walked_open.get((book, match), 0),
            )
            for book, own in books.items()
        }
        shared_keys[match] = sum(
            1
            for key in set().union(*(set(p) for p in books.values()))
            if sum(key in p for p in books.values()) > 1
        )
    disagreements: dict[str, list[str]] = {}
    for match, books in prices.items():
        found = []
        keys = set().union(*(set(p) for p in books.values()))
        for key in sorted(keys, key=str):
            quoted = {book: p[key] for book, p in books.items() if key in p}
            if len(quoted) >= 2 and _disagree(min(quoted.values()), max(quoted.values())):
                found.append(f"{key}: {quoted}")
        disagreements[match] = found
    return figures, disagreements, met, shared_keys


#: The specifier of BetPawa's mid-2026 shape: every key listed, most null, lines in quarter units.
_QUARTER_KEYS = ("hcp", "total", "player", "score", "number", "group")


def in_quarter_shape(payload: Any) -> Any:
    """A BetPawa event in goals (the v4 capture) rewritten in the mid-2026 shape: each row's specifier lists
    every key, lines (hcp, total) in quarter units, counts (number) unchanged."""
    copy = json.loads(json.dumps(payload))
    for market in copy.get("markets", []):
        for row in market.get("row", []):
            spec = row.get("specifier")
            if not isinstance(spec, dict) or not spec:
                continue
            quartered: dict[str, Any] = dict.fromkeys(_QUARTER_KEYS)
            for key, value in spec.items():
                quartered[key] = (
                    format(float(value) * 4, "g") if key in ("hcp", "total") and value is not None else value
                )
            row["specifier"] = quartered
    return copy


def quarter_shape_figures(root: Path) -> list[str]:
    """Each BetPawa capture with specifiers, parsed as captured and in the quarter-unit shape: the keys the
    second stores that the first does not (a line misread) and those it loses."""
    lines = []
    for path in sorted((root / "betpawa").glob("v4_*.json")):
        payload = json.loads(path.read_text(encoding="utf-8"))
        at = datetime(2026, 11, 25, tzinfo=UTC)
        keys = {
            (r.market, r.specifier, r.outcome): r.price
            for r in betpawa.parse_odds(payload, sr_id=1, captured_at=at).rows
        }
        quarter = betpawa.parse_odds(in_quarter_shape(payload), sr_id=1, captured_at=at)
        got = {(r.market, r.specifier, r.outcome): r.price for r in quarter.rows}
        wrong = sum(1 for key, price in got.items() if keys.get(key) != price)
        lost = sum(1 for key in keys if key not in got)
        lines.append(
            f"{path.name} in quarter units: {len(got)} keys stored, {wrong} not as captured in goals "
            f"(misread), {lost} of {len(keys)} lost, {len(quarter.malformed)} set aside"
        )
    return lines


def main(argv: list[str]) -> int:
    if argv:
        root = Path(argv[0])
    else:
        root = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "captured"
    figures, disagreements, met, shared_keys = measure(root)
    print(f"{'book':10} {'file':45} {'open':>6} {'keyed':>6} {'shared':>6} {'uof':>6} {'canon':>6}")
    for f in figures:
        print(
            f"{f['book']:10} {f['file']:45} {f['open']:6d} {f['keyed']:6.3f} {f['shared']:6.3f} "
            f"{f['uof']:6.3f} {f['canonical']:6.3f}"
        )
    for match, found in disagreements.items():
        short = [line for line in found if _shortest(line) < SHORT_ODDS]
        print(
            f"{match}: {len(found)} key(s) priced by 2+ books disagree (x{BOUNDS.disagree_factor} and "
            f"{BOUNDS.disagree_min_gap} apart), "
            f"{len(short)} of them with a price under {SHORT_ODDS:g}"
        )
        for line in found:
            print("   ", line)
        share = len(found) / shared_keys[match] if shared_keys.get(match) else 0.0
        print(f"    keys priced by 2+ books: {shared_keys.get(match, 0)}; disagreeing share {share:.4f}")
        for book, (hits, walked) in sorted(met.get(match, {}).items()):
            print(
                f"    {book}: {hits} of {walked} open outcomes priced by another book under the same key"
                f" ({hits / walked if walked else 0.0:.3f})"
            )
    for line in quarter_shape_figures(root):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
