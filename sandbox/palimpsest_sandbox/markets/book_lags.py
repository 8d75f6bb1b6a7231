"""Who moves first in the sandbox: each book re-prices a match a fixed delay behind the shared price feed.

Real books do not move together: one originates a price move and the others copy it minutes later, or not at
all. Each book sees a match's price version (moves.py) at ``at - book_lag(book, match)``, so every move shows
first on SportyBet, on Bet9ja a few minutes later and on BetPawa later still, and on some matches BetPawa
trails by most of an hour. A pure function of (book, match seed): the tests read it as ground truth.
"""

from __future__ import annotations

from datetime import timedelta

from palimpsest_pipeline.records import Book
from palimpsest_sandbox.markets.moves import unit

#: Per book: (shortest, longest) usual delay behind the feed, in seconds; drawn per match between the two.
USUAL_LAG_S: dict[Book, tuple[int, int]] = {
    Book.SPORTYBET: (0, 0),
    Book.BET9JA: (120, 300),
    Book.BETPAWA: (420, 720),
    Book.MSPORT: (60, 240),
    Book.BETWAY: (180, 480),
    Book.BETIKA: (120, 420),
}
#: On this share of matches BetPawa trails far behind (a feed it does not follow closely) ...
BETPAWA_SLOW_SHARE = 0.2
#: ... by this many seconds (beyond the leadership window's default 30 minutes).
BETPAWA_SLOW_LAG_S = (2_700, 3_300)
_SALT = {
    Book.BETPAWA: 0x1A61,
    Book.SPORTYBET: 0x1A62,
    Book.BET9JA: 0x1A63,
    Book.MSPORT: 0x1A64,
    Book.BETWAY: 0x1A65,
    Book.BETIKA: 0x1A66,
}
_LAGS: dict[tuple[Book, int], timedelta] = {}


def book_lag(book: Book, match_seed: int) -> timedelta:
    """How long after the feed ``book`` shows a price move of this match (whole seconds)."""
    lag = _LAGS.get((book, match_seed))
    if lag is None:
        low, high = USUAL_LAG_S[book]
        if book is Book.BETPAWA and unit(match_seed, 0x510E) < BETPAWA_SLOW_SHARE:
            low, high = BETPAWA_SLOW_LAG_S
        lag = timedelta(seconds=low + int((high - low) * unit(match_seed, _SALT[book])))
        if len(_LAGS) < 300_000:  # three per match of the largest world; the bound only guards memory
            _LAGS[(book, match_seed)] = lag
    return lag
