"""Bet9ja in play (``LIVES_`` football keys, values ``{"v": x}``; ``LIVEB_`` basketball, ``LIVET_``
tennis): the keys spelt otherwise than prematch (whose table applies to the rest), the next goal keyed by
the current score (``NEXTGOAL@0:3_1`` = the 4th goal). In-play handicaps stay unmapped: whether the param is
the home line or the score-adjusted one cannot be told from a capture where all are closed.
"""

from __future__ import annotations

from palimpsest_pipeline.markets.bet9ja.rows import (
    OVER_UNDER,
    WHICH_TEAM,
    Bet9jaMarket,
    dc_btts,
    market,
    result_btts,
)

LIVE: tuple[Bet9jaMarket, ...] = (
    market("1X2GG", "1X2 + GG/NG", 35, result_btts("{r}and{g}", ("home", "draw", "away"), ("yes", "no"))),
    market("DCGG", "Double Chance + GG/NG", 546, dc_btts("{dc}and{g}", ("yes", "no"))),
    market("CLEANHOME", "Home Clean Sheet", 31, [("Yes", 74), ("No", 76)]),
    market("CLEANAWAY", "Away Clean Sheet", 32, [("Yes", 74), ("No", 76)]),
    market("HOMENOBET", "Home No Bet", 12, [("XHNB", 776), ("2HNB", 778)]),
    market("AWAYNOBET", "Away No Bet", 13, [("1ANB", 780), ("XANB", 782)]),
    market("OUHOME", "Home Over/Under", 19, [("O", 12), ("U", 13)], "total"),
    market("OUAWAY", "Away Over/Under", 20, [("O", 12), ("U", 13)], "total"),
    market("NEXTGOAL", "Next Goal", 8, WHICH_TEAM, "score"),
)

#: In-play basketball (``LIVEB_`` keys) [guess: never captured; the prefix follows ``LIVES_`` as ``B_``
#: follows ``S_``]: the total including overtime spelt ``OU`` as football's, not the prematch ``OUN``.
LIVE_BASKETBALL: tuple[Bet9jaMarket, ...] = (market("OU", "Over/Under (incl. OT)", 225, OVER_UNDER, "total"),)
