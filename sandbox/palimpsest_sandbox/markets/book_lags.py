"""Who moves first in the sandbox: each book re-prices a match a fixed delay behind the shared price feed.

Real books do not move together: one originates a price move and the others copy it minutes later, or not at
all. Each book sees a match's price version (moves.py) at ``at - book_lag(book, match)``, its usual delay
drawn per match from its kit (``Pricing.lag_s``), and on a share of matches a book may trail by most of an
hour (``slow_share``). A pure function of (book, match seed): the tests read it as ground truth.
"""

from __future__ import annotations

from datetime import timedelta

from palimpsest_pipeline.records import Book
from palimpsest_sandbox.kit import kit
from palimpsest_sandbox.markets.moves import unit

_LAGS: dict[tuple[Book, int], timedelta] = {}


def book_lag(book: Book, match_seed: int) -> timedelta:
    """How long after the feed ``book`` shows a price move of this match (whole seconds)."""
    lag = _LAGS.get((book, match_seed))
    if lag is None:
        pricing = kit(book).pricing
        low, high = pricing.lag_s
        if pricing.slow_share and unit(match_seed, 0x510E) < pricing.slow_share:
            low, high = pricing.slow_lag_s
        lag = timedelta(seconds=low + int((high - low) * unit(match_seed, pricing.lag_salt)))
        if len(_LAGS) < 300_000:  # three per match of the largest world; the bound only guards memory
            _LAGS[(book, match_seed)] = lag
    return lag
