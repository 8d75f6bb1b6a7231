"""From the shared fair model to one book's displayed prices, in canonical keys.

Each book shows a subset of the canonical markets (those its mapping table can express, on the lines it
typically offers: its kit's ``Pricing``), adds its own margin (about 5.5 to 7% on main markets, more on
exotics) and a little per-outcome noise (fixed per line: a book's move follows the fair move), rounds to its
own odds ladder and suspends a few outcomes.
The result is exactly what the book's parser must read back from the rendered payload (round trip).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from random import Random

from palimpsest_pipeline.markets.vocabulary import VOCABULARY, CanonicalKey
from palimpsest_pipeline.records import Book, OddsState
from palimpsest_sandbox.kit import kit
from palimpsest_sandbox.markets.fair import MIN_P
from palimpsest_sandbox.markets.fair_lines import fair_lines
from palimpsest_sandbox.markets.model import fair_book
from palimpsest_sandbox.markets.moves import SLOTS, market_version, mix, spec_code, unit

BookPrices = dict[CanonicalKey, tuple[float | None, OddsState]]

EXOTIC_EXTRA_MARGIN = 0.06
NOISE = 0.01  # +- relative noise per outcome
MARKET_SUSPEND_P = 0.015
OUTCOME_SUSPEND_P = 0.006
MAX_ODDS = 500.0
#: At depth 0 a main market line is shown only if every outcome is at least this likely.
SHALLOW_MIN_P = 0.12
#: Non-main market families appear from a depth spread over [0, EXOTIC_DEPTH_SPAN): all from 0.8.
EXOTIC_DEPTH_SPAN = 0.8
#: Per-outcome noise of a line: a draw per line, then a golden-ratio step per outcome (cheap, well spread).
_GOLDEN = 0.6180339887498949
_TO_UNIT = 1.0 / (1 << 64)


def _line_of(spec: str) -> float | None:
    key, _, value = spec.partition("=")
    if key in ("total", "hcp") and "|" not in spec:
        return float(value)
    return None


def offers(book: Book, sport: str, market: int, spec: str) -> bool:
    """Whether ``book`` shows this canonical market line (its market list and its typical lines)."""
    pricing = kit(book).pricing
    if pricing.families is not None and market not in pricing.families.get(sport, frozenset()):
        return False
    line = _line_of(spec)
    if line is None or market in (14, 65, 87):  # 3-way handicaps are whole goals everywhere
        return True
    return (pricing.lines or uof_lines)(market, line)


def is_half(line: float) -> bool:
    """A half line (2.5, -1.5): neither whole nor a quarter."""
    return line != int(line) and (line * 4) % 2 != 1


def uof_lines(market: int, line: float) -> bool:
    """The lines of the books on UOF's ids: half lines, and whole ones on totals and 2-way handicaps."""
    return (line * 4) % 2 != 1 and (
        market in (18, 68, 90, 16, 66, 88, 187, 189, 223, 225) or line != int(line)
    )


def two_decimals(odds: float) -> float:
    return max(1.01, round(odds, 2))


def round_odds(book: Book, odds: float) -> float:
    """``book``'s odds ladder (two decimals unless its kit has a ladder of its own)."""
    ladder = kit(book).pricing.ladder or two_decimals
    return ladder(min(MAX_ODDS, max(1.01, odds)))


#: Markets every book lists on every football match, however lopsided or minor: its 1X2 and correct scores,
#: full time and each half (every football capture in ../shared lists them, from a 46-market live match to a
#: deep prematch one). A book's own lines are checked against them (transforms/market_checks.py), as on the
#: real books; a 1X2 dropped for its long shot left a lopsided match's lines with nothing to bound them.
ALWAYS_LISTED = frozenset({1, 60, 83, 45, 81, 98})


def depth_keeps(market: int, probabilities: Iterable[float], depth: float) -> bool:
    """Whether an event of ``depth`` (0 minor .. 1 top match) shows this market line on a book.

    ``ALWAYS_LISTED`` always; main markets always, on fewer lines the shallower the event (only lines whose
    every outcome is at least ``min_p`` likely: the balanced ones); other markets from a depth of their own
    (a stable hash of the market id), so deeper events carry more families. Independent of the book, like a
    feed's depth.
    """
    if depth >= 1.0 or market in ALWAYS_LISTED:
        return True
    min_p = MIN_P + (SHALLOW_MIN_P - MIN_P) * (1.0 - depth)
    if any(p < min_p or p > 1 - min_p for p in probabilities):
        return False
    shown_from = _SHOWN_FROM_DEPTH.get(market)
    if shown_from is None:
        shown_from = _SHOWN_FROM_DEPTH[market] = (
            -1.0 if VOCABULARY[market].main else unit(market, 0xDE97) * EXOTIC_DEPTH_SPAN
        )
    return shown_from < depth


#: Per canonical market: the depth from which it is shown (-1 for main markets: always). A hash per line of
#: every render before; one per market now (a few hundred markets exist).
_SHOWN_FROM_DEPTH: dict[int, float] = {}


#: Per (book, sport, market line): its ``line_code`` and whether the book offers it (``offers``). Both depend
#: on the line only, and every render asked them again for each of its hundreds of lines.
_LINE_FACTS: dict[tuple[Book, str, tuple[int, str]], tuple[int, bool]] = {}


def _line_facts(book: Book, sport: str, line: tuple[int, str]) -> tuple[int, bool]:
    facts = (line_code(*line), offers(book, sport, *line))
    if len(_LINE_FACTS) < 200_000:  # a few thousand lines exist; the bound only guards against surprises
        _LINE_FACTS[(book, sport, line)] = facts
    return facts


@lru_cache(maxsize=1_024)  # ~70 MB at most: bodies are cached by the renderer anyway
def book_prices(book: Book, match_seed: int, version: int, sport: str, depth: float = 1.0) -> BookPrices:
    """The canonical prices ``book`` displays for one match version (shared cache: do not modify).

    Each market line is priced from the model at its own market version (moves.py), with suspension drawn
    from (book, match, market line, market version) and noise from (book, match, market line) only: a market
    that did not re-price shows exactly the same odds, whatever the other markets, the depth or the event
    version did, and one that did moves the way its fair price moved (or, rounded, not at all).
    """
    low = version // SLOTS
    fair = (fair_lines(match_seed, low, sport), fair_lines(match_seed, low + 1, sport))
    pricing = kit(book).pricing
    main_margin, salt, ladder = pricing.margin, pricing.salt, pricing.ladder or two_decimals
    expressible = None if pricing.expressible is None else pricing.expressible.get(sport)
    out: BookPrices = {}
    lines = list(fair[0])
    lines += [line for line in fair[1] if line not in fair[0]]
    for line in lines:
        facts = _LINE_FACTS.get((book, sport, line)) or _line_facts(book, sport, line)
        if not facts[1]:
            continue
        code = facts[0]
        line_version = market_version(version, match_seed, code)
        entry = fair[line_version - low].outcomes(line)
        if entry is None:
            continue
        market, spec = line
        outcome_ids, probabilities = entry
        if not depth_keeps(market, probabilities, depth):
            continue
        draws = Random(mix(match_seed, code, line_version, salt))  # suspensions: one stream per version
        noise_phase = mix(match_seed, code, salt) * _TO_UNIT  # noise: the same on every version of the line
        suspended_market = draws.random() < MARKET_SUSPEND_P
        definition = VOCABULARY[market]
        margin = main_margin if definition.main else main_margin + EXOTIC_EXTRA_MARGIN
        for outcome, probability in zip(outcome_ids, probabilities, strict=True):
            noise_phase = (noise_phase + _GOLDEN) % 1.0
            noise = 1 + (2 * noise_phase - 1) * NOISE
            outcome_suspended = draws.random() < OUTCOME_SUSPEND_P
            if expressible is not None and (market, outcome) not in expressible:
                continue
            odds = ladder(min(MAX_ODDS, max(1.01, noise / (max(probability, 1e-4) * (1 + margin)))))
            key = (market, spec, outcome)
            if suspended_market or outcome_suspended:
                out[key] = (odds if pricing.keeps_suspended_odds else None, "suspended")
            else:
                out[key] = (odds, "open")
    return out


#: Canonical football markets the model prices (some lines of a market drop out per match, so several).
MODELLED_FOOTBALL = frozenset(key[0] for seed in range(12) for key in fair_book(seed, 0, "football"))


def line_code(market: int, spec: str) -> int:
    """A stable integer naming one market line (market id and specifier)."""
    return market * 1_000_003 + spec_code(spec)
