"""What the single-book checks find: a suspect market with its reason, one reason kept per market."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, Literal, NamedTuple

if TYPE_CHECKING:
    from palimpsest_pipeline.markets.checks.tables import Layout

#: Why a market is suspect (the package docstring says what each means).
Reason = Literal["overround", "ladder", "identity", "units"]
REASON_OVERROUND: Final = "overround"
REASON_LADDER: Final = "ladder"
REASON_IDENTITY: Final = "identity"
REASON_UNITS: Final = "units"
#: When one market fails several checks, the reason kept: the market's own prices first (its overround
#: proves it alone), then a line outside the bounds of the book's reference markets, then the same bet
#: priced apart, then a broken ladder (which cannot tell which of its two lines is wrong).
REASON_PRIORITY: tuple[Reason, ...] = (REASON_OVERROUND, REASON_UNITS, REASON_IDENTITY, REASON_LADDER)

#: (market, specifier): one line of a market
LineKey = tuple[int, str]
#: outcome -> price of one line
Prices = dict[int, float]


class Suspect(NamedTuple):
    """One market of one book that its own prices show cannot be true."""

    market: int
    specifier: str
    reason: Reason
    detail: str


class MarketChecks(NamedTuple):
    """The suspect markets of one event on one book, and the keyed open outcomes they hold."""

    suspects: tuple[Suspect, ...]
    suspect_outcomes: int


_RANK: dict[Reason, int] = {reason: rank for rank, reason in enumerate(REASON_PRIORITY)}


class Found:
    """The suspects found so far, one per market, the reason of highest priority kept."""

    def __init__(self) -> None:
        self.kept: dict[LineKey, Suspect] = {}

    def add(self, market: int, specifier: str, reason: Reason, detail: str) -> None:
        held = self.kept.get((market, specifier))
        if held is None or _RANK[reason] < _RANK[held.reason]:
            self.kept[(market, specifier)] = Suspect(market, specifier, reason, detail)

    def break_ladder(self, market: int, one: str, other: str, detail: str) -> None:
        """Two lines of a ladder out of order: both are suspect, unless one already is for another reason
        (which explains the break and leaves the other line innocent)."""
        if (market, one) in self.kept or (market, other) in self.kept:
            return
        self.add(market, one, REASON_LADDER, detail)
        self.add(market, other, REASON_LADDER, detail)


def prices_text(prices: Prices) -> str:
    """A line's prices for a suspect's detail: ``outcome@price``, by outcome."""
    return " ".join(f"{outcome}@{price:g}" for outcome, price in sorted(prices.items()))


def off_band(layout: Layout, whole: bool, implied: float, band: tuple[float, float], prices: Prices) -> str:
    """An ``overround`` detail: the family, its implied sum, what its layout implies and the band missed."""
    low = f"{band[0]:.2f}" if whole else "0"
    listed = "" if whole else f" ({len(prices)} of its {len(layout.outcomes)} listed)"
    return (
        f"implied sum {implied:.3f} over {len(prices)} outcomes{listed} where the layout of "
        f"{layout.family} implies {layout.winners} (band {low}-{band[1]:.2f}); {prices_text(prices)}"
    )
