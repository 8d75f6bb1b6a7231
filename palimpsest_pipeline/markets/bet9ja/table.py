"""Bet9ja -> canonical, as data: one row per Bet9ja market key, per odds-key prefix (sport). The rows are
reviewed beside this module; this is the one table the keyer (books/bet9ja/keys.py) and the sandbox read.
"""

from __future__ import annotations

from palimpsest_pipeline.markets.bet9ja.assisted import ASSISTED
from palimpsest_pipeline.markets.bet9ja.basketball import BASKETBALL
from palimpsest_pipeline.markets.bet9ja.football import FOOTBALL as FOOTBALL_MAIN
from palimpsest_pipeline.markets.bet9ja.football_combos import COMBOS, CORNERS, TEAM_TO_SCORE
from palimpsest_pipeline.markets.bet9ja.football_composed import COMPOSED
from palimpsest_pipeline.markets.bet9ja.live import LIVE, LIVE_BASKETBALL
from palimpsest_pipeline.markets.bet9ja.rows import Bet9jaMarket
from palimpsest_pipeline.markets.bet9ja.tennis import TENNIS

FOOTBALL: tuple[Bet9jaMarket, ...] = (
    *FOOTBALL_MAIN,
    *COMBOS,
    *TEAM_TO_SCORE,
    *CORNERS,
    *COMPOSED,
    *ASSISTED,
)

#: Odds-key prefix -> (canonical sport, table), prematch.
BY_PREFIX: dict[str, tuple[str, tuple[Bet9jaMarket, ...]]] = {
    "S": ("football", FOOTBALL),
    "B": ("basketball", BASKETBALL),
    "T": ("tennis", TENNIS),
}
#: In play: per odds-key prefix, the sport and its table (the prematch table first, then the live spellings);
#: values there are ``{"v": x}``. Only ``LIVES_`` was captured; ``LIVEB_`` and ``LIVET_`` are guesses.
LIVE_PREFIXES: dict[str, tuple[str, tuple[Bet9jaMarket, ...]]] = {
    "LIVES": ("football", (*FOOTBALL, *LIVE)),
    "LIVEB": ("basketball", (*BASKETBALL, *LIVE_BASKETBALL)),
    "LIVET": ("tennis", TENNIS),
}
