"""Bet9ja basketball (``B_`` keys) -> UOF basketball markets. Unqualified markets include overtime (UOF 225,
223, 219, 227), "Regular Time" ones do not (``OURT`` -> 18, ``1X2HRT`` -> 14), and the ``1X2`` "3way" is the
regular-time result; quarters carry ``quarternr`` (``3QOU``; ``OUH12`` home total 1st quarter).
"""

from __future__ import annotations

from palimpsest_pipeline.markets.bet9ja.rows import (
    ASIAN,
    HANDICAP_3WAY,
    HOME_AWAY,
    HT_FT_NAMES,
    ODD_EVEN,
    ONE_X_TWO,
    OVER_UNDER,
    WINNER_TOTAL,
    Bet9jaMarket,
    LegTemplate,
    composed,
    market,
)
from palimpsest_pipeline.markets.combinations import ALL_OF, YES


def _quarter(n: int) -> tuple[Bet9jaMarket, ...]:
    """The per-quarter family: ``{n}QOU``, ``{n}QH``, ``{n}Q1X2``, ``{n}QD``, ``{n}QWM`` and odd/even."""
    spec = f"quarternr={n}"
    odd_even_key, odd_even = ("OE1P", ODD_EVEN) if n == 1 else (f"{n}QOEP", [("O", 70), ("E", 72)])
    return (
        market(f"{n}QOU", f"Quarter {n} - Over/Under", 236, OVER_UNDER, "total", specifier=spec),
        market(f"{n}QH", f"Quarter {n} - Handicap", 303, ASIAN, "hcp", specifier=spec),
        market(f"{n}Q1X2", f"Quarter {n} - 1X2", 235, ONE_X_TWO, specifier=spec),
        market(f"{n}QD", f"Quarter {n} - DNB", 302, [("1D", 4), ("2D", 5)], specifier=spec),
        market(
            f"{n}QWM",
            f"Quarter {n} - Winning Margin",
            301,
            [("HOME3", 1002), ("AWAY3", 1003), ("O", 1004)],
            specifier=spec,
        ),
        market(odd_even_key, f"Quarter {n} - Odd/Even", 304, odd_even, specifier=spec),
    )


_MARGIN_BANDS = ((1, 5), (6, 10), (11, 15), (16, 20), (21, 25), (26, None))


def _winning_margin_legs(side: str, low: int, high: int | None) -> tuple[LegTemplate, ...]:
    """Win by ``low``..``high`` points (incl. overtime) as UOF 223 handicap legs, hcp the home line:
    home by low+ = home on -(low-0.5); home by at most high = away on -(high+0.5); mirrored for away."""
    sign = -1 if side == "HOME" else 1
    winner, loser = (1714, 1715) if side == "HOME" else (1715, 1714)
    legs = [(223, f"hcp={sign * (low - 0.5):g}", winner)]
    if high is not None:
        legs.append((223, f"hcp={sign * (high + 0.5):g}", loser))
    return tuple(legs)


#: ``WMIO`` "Win Margin Inc Ov": bands of 5 points for either team (UOF 290 is a variant market whose
#: band outcome ids are not published, so the bands are keyed as handicap combinations).
WINNING_MARGIN = composed(
    "WMIO",
    "Win Margin Inc Ov",
    [
        (f"{side}{low}{high or ''}", ALL_OF, YES, _winning_margin_legs(side, low, high))
        for side in ("HOME", "AWAY")
        for low, high in _MARGIN_BANDS
    ],
)

BASKETBALL: tuple[Bet9jaMarket, ...] = (
    WINNING_MARGIN,
    market("12", "Home/Away (incl. OT)", 219, HOME_AWAY),
    market("OUN", "Over/Under (incl. OT)", 225, OVER_UNDER, "total"),
    market("H", "Handicap (incl. OT)", 223, ASIAN, "hcp"),
    market("OUH", "Over/Under Home (incl. OT)", 227, OVER_UNDER, "total"),
    market("OUA", "Over/Under Away (incl. OT)", 228, OVER_UNDER, "total"),
    market("12OU2", "1-2 + Over/Under (incl. OT)", 292, WINNER_TOTAL, "total"),
    market("1X2", "3way (regular time)", 1, [("1B", 1), ("XB", 2), ("2B", 3)]),
    market("DNB", "Draw No Bet (regular time)", 11, [("1DBN", 4), ("2DBN", 5)]),
    market("OURT", "Over/Under Regular Time", 18, OVER_UNDER, "total"),
    market("1X2HRT", "1X2 Handicap Regular Time", 14, HANDICAP_3WAY, "hcp"),
    market("HFT", "Halftime/Fulltime", 47, HT_FT_NAMES),
    market(
        "HSQ", "Highest Scoring Quarter", 234, [("1", 920), ("2", 921), ("3", 922), ("4", 923), ("E", 924)]
    ),
    # first half
    market("1X21T", "1st Half - 1X2", 60, [("1HT", 1), ("XHT", 2), ("2HT", 3)]),
    market("DNB1T", "1st Half - Draw No Bet", 64, [("1DNBHT", 4), ("2DNBHT", 5)]),
    market("1HH", "1st Half - Handicap", 66, ASIAN, "hcp"),
    market("1HOU", "1st Half - Over/Under", 68, OVER_UNDER, "total"),
    market("OUH11", "Over/Under Home 1st Half", 69, OVER_UNDER, "total"),
    market("OUA11", "Over/Under Away 1st Half", 70, OVER_UNDER, "total"),
    market("OE1T", "1st Half - Odd/Even", 74, ODD_EVEN),
    # second half
    market("21X2", "2nd Half - 1X2", 83, [("12", 1), ("X2", 2), ("22", 3)]),
    market("2HDNB", "2nd Half - Draw No Bet", 86, [("1D2", 4), ("2D2", 5)]),
    market("2HH", "2nd Half - Handicap", 88, ASIAN, "hcp"),
    market("2HOU", "2nd Half - Over/Under", 90, OVER_UNDER, "total"),
    market("OE2TN", "2nd Half - Odd/Even", 94, [("Odd", 70), ("Even", 72)]),
    # quarters (1st quarter team totals: OUH12 / OUA12)
    market("OUH12", "Over/Under Home 1st Quarter", 756, OVER_UNDER, "total", specifier="quarternr=1"),
    market("OUA12", "Over/Under Away 1st Quarter", 757, OVER_UNDER, "total", specifier="quarternr=1"),
    *(row for n in range(1, 5) for row in _quarter(n)),
)
